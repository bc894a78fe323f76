"""One voice: every sentence a trainee reads about their state, written once.

The TUI and the plain terminal both take their words from here, and the services take the
sentences of the errors they raise (locked, retake refused). Everything is generated from the
course — its threshold, part and evaluation names, retake policy — never written for one module,
so another course pack reads right too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from msgspec import Struct

from latsar.assessment.journal import EntryStatus, JournalStanding, Verdict
from latsar.assessment.rules import GateLock, RetakeBlock, RetakeReason, ReviewItem, Score, Standing, Subject
from latsar.course.model import Course, Evaluation, Question
from latsar.services.values import (
    AttemptResult,
    AttemptRow,
    EvaluationStatus,
    NextStep,
    PracticeCounts,
    Progress,
    ReachedEnd,
    SectionStatus,
    StepKind,
)

TIME_FORMAT = "%d-%m-%Y %H:%M"
JOURNAL_STEPS = (StepKind.JOURNAL_REVISE, StepKind.JOURNAL_WRITE, StepKind.JOURNAL_WAIT)


def format_time(value: datetime) -> str:
    """A stored (UTC) time as the trainee's local time, one format everywhere.

    SQLite gives stored times back naive: they are UTC, never local.
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone().strftime(TIME_FORMAT)


def format_duration(seconds: int) -> str:
    """"0 menit" (nothing yet), "< 1 menit" (some seconds), "12 menit", "1 jam 5 menit"."""
    minutes = seconds // 60
    if not minutes and seconds > 0:
        return "< 1 menit"
    if minutes < 60:
        return f"{minutes} menit"
    return f"{minutes // 60} jam {minutes % 60} menit"


def format_span(seconds: int) -> str:
    """A short span to the second: "45 detik", "2 menit", "2 menit 10 detik"."""
    minutes, rest = divmod(max(0, seconds), 60)
    if not minutes:
        return f"{rest} detik"
    return f"{minutes} menit" + (f" {rest} detik" if rest else "")


def format_count(n: int) -> str:
    """A count as Indonesian writes it: 1.233."""
    return f"{n:,}".replace(",", ".")


def format_score(score: Score) -> str:
    return f"{score.correct}/{score.total} ({score.percent}%)"


class Mark(Struct, frozen=True):
    """A status as a symbol (readable without colour) and a word or two."""

    symbol: str
    label: str
    quiet: bool = False  # the symbol says it all; a list need not spell it out

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.label}".strip()


STANDING_SYMBOL = {
    Standing.LOCKED: "⊘",
    Standing.IN_PROGRESS: "◐",
    Standing.PASSED: "★",
    Standing.FAILED: "▶",
    Standing.NOT_STARTED: "▶",
}

SECTION_LOCKED = Mark("⊘", "terkunci")
SECTION_RESTUDY = Mark("↻", "pelajari ulang")
SECTION_RESTUDY_SKIMMED = Mark("↻", "dibaca sekilas, baca ulang")
SECTION_SKIMMED = Mark("◔", "dibaca sekilas")
SECTION_READ = Mark("✓", "dibaca", quiet=True)
SECTION_OPENED = Mark("◔", "belum sampai akhir", quiet=True)
SECTION_UNREAD = Mark("·", "", quiet=True)

ENTRY_MARKS = {
    EntryStatus.WAITING: Mark("◷", "menunggu tinjauan"),
    EntryStatus.ACCEPTED: Mark("✓", "sesuai"),
    EntryStatus.NEEDS_REVISION: Mark("↻", "perlu diperbaiki"),
}
DAY_FORMAT = "%d-%m-%Y"

PRACTICE_WHY = {"new": "soal baru", "due": "diulang", "early": "ulangan lebih awal"}


class Voice:
    """The sentences of one course."""

    def __init__(self, course: Course) -> None:
        self.course = course

    def course_line(self) -> str:
        """The course as the first screens name it: "Modul Berorientasi Pelayanan."."""
        return f"Modul {self.course.title}."

    # -- the gate and the retake policy --------------------------------------------------------

    def lock(self, lock: GateLock) -> str:
        """Why something is closed: "Materi Pokok 2 terbuka setelah Evaluasi MP1 ≥ 80%."."""
        what = self.course.part(lock.id).name if lock.subject is Subject.PART else self.course.evaluation(lock.id).name
        return f"{what} terbuka setelah {self._requirements(lock.missing)}."

    def _requirements(self, evaluation_ids: tuple[str, ...]) -> str:
        return " dan ".join(f"{ev.name} ≥ {ev.threshold}%" for ev in map(self.course.evaluation, evaluation_ids))

    def retake(self, block: RetakeBlock) -> str:
        ev = self.course.evaluation(block.evaluation)
        if block.reason is RetakeReason.LIMIT:
            return f"Batas {block.limit} percobaan {ev.name} sudah tercapai; hubungi pengampu."
        titles = "; ".join(self.course.section(s).title for s in block.sections)
        return f"Pelajari ulang dulu bagian yang belum dikuasai ({titles}), lalu ulangi {ev.name}."

    # -- status marks ----------------------------------------------------------------------------

    def evaluation(self, ev: EvaluationStatus) -> Mark:
        """The one status of an evaluation, in the one precedence of ``rules.standing``."""
        state = ev.standing
        label = {
            Standing.LOCKED: "terkunci",
            Standing.PASSED: "lulus",
            Standing.FAILED: "belum lulus",
            Standing.NOT_STARTED: "belum dikerjakan",
        }.get(state, "")
        if state is Standing.IN_PROGRESS and ev.open is not None:
            label = f"sedang dikerjakan, {ev.open.answered}/{ev.open.total} dijawab"
        if state is Standing.PASSED and ev.open is not None:  # a retake the trainee chose, left open
            label = f"lulus · percobaan baru {ev.open.answered}/{ev.open.total} dijawab"
        if state is Standing.FAILED and ev.retake is not None:  # not yet: restudy first
            return Mark(SECTION_RESTUDY.symbol, "belum lulus, pelajari ulang dulu")
        return Mark(STANDING_SYMBOL[state], label)

    def best(self, ev: EvaluationStatus) -> str | None:
        return f"terbaik {format_score(ev.best)}" if ev.best else None

    def evaluation_line(self, ev: EvaluationStatus) -> str:
        """Status and best score in one line: "lulus · terbaik 10/10 (100%)"."""
        best = self.best(ev)
        return self.evaluation(ev).label + (f" · {best}" if best else "")

    def section(self, st: SectionStatus) -> Mark:
        if st.lock:
            return SECTION_LOCKED
        if st.restudy:
            return SECTION_RESTUDY_SKIMMED if st.skimmed else SECTION_RESTUDY
        if st.read:
            return SECTION_READ
        if st.skimmed:
            return SECTION_SKIMMED
        return SECTION_OPENED if st.opened else SECTION_UNREAD

    # -- where to go next ------------------------------------------------------------------------

    def next_step(self, step: NextStep) -> str:
        target = step.target
        if step.kind in JOURNAL_STEPS:
            return self.journal_step(step)
        if step.kind is StepKind.LOCKED and step.lock is not None:
            return self.lock(step.lock)
        if step.kind is StepKind.COMPLETE or target is None:
            return self.complete_sentence()
        if step.kind in (StepKind.RESTUDY, StepKind.READ):
            verb = "Pelajari ulang" if step.kind is StepKind.RESTUDY else "Baca"
            return f"{verb}: {self.section_title(target.id)}."
        ev = self.course.evaluation(target.id)
        if step.kind is StepKind.CONTINUE:
            done = f" ({step.open.answered} dari {step.open.total} soal dijawab)" if step.open else ""
            if step.optional:
                return f"Lanjutkan percobaan baru {ev.name}{done}; tidak wajib, Anda sudah lulus."
            return f"Lanjutkan {ev.name} yang belum selesai{done}."
        if step.kind is StepKind.RETAKE:
            return f"Ulangi {ev.name}: bagian yang perlu dipelajari ulang sudah dibaca (lulus bila ≥ {ev.threshold}%)."
        return f"Kerjakan {ev.name} (lulus bila ≥ {ev.threshold}%)."

    def section_title(self, section_id: str) -> str:
        """A section's title, with its part's name when another part has a section so called."""
        section = self.course.section(section_id)
        if sum(1 for s in self.course.sections if s.title == section.title) > 1:
            return f"{section.title} ({self.course.part(section.part).name})"
        return section.title

    def complete_sentence(self) -> str:
        extra = " Ulangi materi kapan saja dengan latihan." if self.course.practice else ""
        return "Modul selesai: semua evaluasi lulus dan semua bagian sudah dibaca. Selamat!" + extra

    def _evaluation_names(self) -> str:
        names = [ev.name for ev in self.course.evaluations]
        return ", ".join(names[:-1]) + f" dan {names[-1]}" if len(names) > 1 else "".join(names)

    def completion(self, progress: Progress) -> str | None:
        """The short completion mark, only when it is true: passing every evaluation and reading
        every section are two different things, and each is said as it is."""
        if not progress.module_complete or not progress.evaluations:
            return None
        passed = f"{self._evaluation_names()} lulus ★"
        unread = sum(1 for s in progress.sections.values() if not s.read and not s.lock)
        if unread:
            return f"{passed} · {unread} bagian belum dibaca"
        return f"Modul selesai ★ {self._evaluation_names()} lulus, semua bagian dibaca"

    # -- the habituation journal -------------------------------------------------------------------

    @property
    def journal_title(self) -> str:
        return self.course.journal.title if self.course.journal else "Jurnal aktualisasi"

    def behaviour_name(self, behaviour_id: str) -> str:
        """A behaviour as the module lists it: "b. Ramah, Cekatan, Solutif, dan Dapat Diandalkan"."""
        journal = self.course.journal
        if journal is None or not journal.has(behaviour_id):
            return behaviour_id
        return f"{journal.letter(behaviour_id)}. {journal.behaviour(behaviour_id).title}"

    def behaviour_short(self, behaviour_id: str) -> str:
        """A behaviour in a narrow column: "b. ramah"."""
        journal = self.course.journal
        return f"{journal.letter(behaviour_id)}. {behaviour_id}" if journal and journal.has(behaviour_id) else behaviour_id

    def journal_count(self, standing: JournalStanding) -> str:
        """The map's short mark: "Aktualisasi 2/3" (behaviours that reached the target)."""
        return f"Aktualisasi {standing.done}/{standing.total}"

    def journal_line(self, standing: JournalStanding) -> str:
        """"Aktualisasi 2/3 · 1 menunggu tinjauan · 1 perlu diperbaiki"."""
        parts = [self.journal_count(standing)]
        waiting = standing.waiting
        revise = sum(b.needs_revision for b in standing.behaviours)
        if waiting:
            parts.append(f"{waiting} menunggu tinjauan")
        if revise:
            parts.append(f"{revise} perlu diperbaiki")
        if standing.complete:
            parts.append("target tercapai ★")
        return " · ".join(parts)

    def journal_target(self, standing: JournalStanding) -> str:
        n = standing.target
        return f"Target: setiap perilaku punya {n} entri yang dinilai sesuai oleh coach."

    def journal_accepted(self, accepted: int, target: int) -> str:
        """A behaviour's count in the journal's list: "0/1 sesuai"."""
        return f"{accepted}/{target} {ENTRY_MARKS[EntryStatus.ACCEPTED].label}"

    def journal_none_to(self, verb: str, write_key: str) -> str:
        """An entry's action asked for while there is no entry yet: "Belum ada entri untuk
        dibagikan; tulis dulu dengan t (pilih perilakunya dengan ↑/↓)."."""
        return f"Belum ada entri untuk {verb}; tulis dulu dengan {write_key} (pilih perilakunya dengan ↑/↓)."

    def journal_pick(self, key: str, purpose: str) -> str:
        """An entry's action asked for on a behaviour's row: "Pilih satu entri dengan ↑/↓ (di
        bawah perilakunya), lalu tekan b untuk membagikannya."."""
        return f"Pilih satu entri dengan ↑/↓ (di bawah perilakunya), lalu tekan {key} untuk {purpose}."

    def journal_no_history(self, entry_id: int) -> str:
        return f"Entri {entry_id} belum pernah diubah: belum ada versi sebelumnya."

    def journal_hint(self) -> str:
        return "Jangan menulis data pribadi warga (nama, NIK, alamat, nomor telepon): tulis \"seorang pemohon\", \"warga lansia\"."

    def entry_mark(self, entry_status: EntryStatus) -> Mark:
        return ENTRY_MARKS[entry_status]

    def verdict_words(self, verdict: Verdict) -> str:
        return verdict.words

    def day(self, value: date) -> str:
        return value.strftime(DAY_FORMAT)

    def journal_step(self, step: NextStep) -> str:
        target = step.target
        if step.kind is StepKind.JOURNAL_REVISE and target is not None:
            return f"Perbaiki entri jurnal {target.id} yang ditandai perlu diperbaiki oleh coach."
        if step.kind is StepKind.JOURNAL_WRITE and target is not None:
            return f"Tulis {self.journal_title.lower()}: {self.behaviour_name(target.id)}."
        return f"{self.journal_title} menunggu tinjauan coach."

    # -- after an attempt -------------------------------------------------------------------------

    def verdict(self, passed: bool) -> str:
        return "LULUS" if passed else "BELUM LULUS"

    def outcome(self, row: AttemptRow) -> str:
        """An attempt in a history: "lulus", "belum lulus", or "sedang dikerjakan"."""
        if not row.finished:
            return "sedang dikerjakan"
        return "lulus" if row.passed else "belum lulus"

    def evaluation_name(self, evaluation_id: str) -> str:
        """An evaluation's short name ("Evaluasi MP1"); its id for one the course no longer has."""
        try:
            return self.course.evaluation(evaluation_id).name
        except KeyError:
            return evaluation_id

    def pass_line(self, threshold: int) -> str:
        return f"batas lulus {threshold}%"

    def correct_count(self, score: Score) -> str:
        """"7 dari 10 benar"."""
        return f"{score.correct} dari {score.total} benar"

    def score_sentence(self, score: Score) -> str:
        """"7 dari 10 benar (70%), batas lulus 80%"."""
        return f"{self.correct_count(score)} ({score.percent}%), {self.pass_line(score.threshold)}"

    def sections_read(self, progress: Progress) -> str:
        return f"Bagian dibaca: {progress.sections_read} dari {len(progress.sections)}"

    def time_spent(self, progress: Progress) -> str:
        """"Waktu membaca: 12 menit · waktu evaluasi: < 1 menit"."""
        return f"Waktu membaca: {format_duration(progress.seconds_reading)} · waktu evaluasi: {format_duration(progress.seconds_quizzing)}"

    def read_count(self, progress: Progress) -> str:
        """The map's short count: "Dibaca: 2/23 bagian"."""
        return f"Dibaca: {progress.sections_read}/{len(progress.sections)} bagian"

    def your_answer(self, item: ReviewItem) -> str:
        """The trainee's own answer in a review, with its text: "Jawaban Anda: b. Pelayanan …"."""
        if not item.chosen:
            return "Jawaban Anda: -"
        return f"Jawaban Anda: {item.chosen}. {dict(item.options).get(item.chosen, '')}".rstrip()

    def key_line(self, item: ReviewItem) -> str | None:
        """The key, once it may be shown (after a pass): "Kunci: c. …"."""
        return f"Kunci: {item.key}. {dict(item.options).get(item.key, '')}".rstrip() if item.key is not None else None

    def feedback(self, result: AttemptResult) -> str:
        """The module's own words ("Umpan Balik dan Tindak Lanjut") for a finished attempt."""
        return self.feedback_on(result.quiz_id, result.passed, result.score.threshold)

    def feedback_on(self, evaluation_id: str, passed: bool, threshold: int) -> str:
        """The module's own words for a result of ``evaluation_id`` (a trainee's best, in a report)."""
        ev = self.course.evaluation(evaluation_id)
        part = self.course.part(ev.part)
        t = threshold
        if passed:
            text = f"Tingkat penguasaan Anda mencapai {t}% atau lebih: Anda telah memahami {part.name}."
            following = self.following(ev)
            if following:
                text += f" Anda dapat meneruskan untuk mempelajari {following[0]}."
            return text
        return (
            f"Tingkat penguasaan Anda masih di bawah {t}%: Anda harus mengulangi lagi {part.name}, "
            "terutama bagian yang belum Anda kuasai."
        )

    def following(self, ev: Evaluation) -> list[str]:
        """Names of the parts that open once ``ev`` is mastered."""
        return [p.name for p in self.course.parts if ev.id in p.requires]

    def wrong_sentence(self, result: AttemptResult) -> str:
        numbers = ", ".join(map(str, result.wrong_numbers))
        return f"Soal yang belum tepat: {numbers}. Kunci jawaban dan pembahasan ditampilkan setelah Anda lulus."

    def retake_after_pass(self, ev: EvaluationStatus) -> str:
        best = f" dengan nilai {format_score(ev.best)}" if ev.best else ""
        return f"Anda sudah lulus {ev.name}{best}. Mulai percobaan baru? Nilai terbaik tetap yang dihitung."

    def goodbye(self, progress: Progress | None, signed_in: bool = True) -> str:
        """Said in the terminal once the app is closed (q, Ctrl+Q or Ctrl+C): nothing is lost,
        and an evaluation left open waits where it stopped. Closed before anyone signed in (the
        first registration, the choice of learner), there were no answers to keep: none are
        claimed."""
        if not signed_in:
            return "Keluar dari latsar; belum ada peserta yang masuk. Buka lagi dengan: latsar"
        said = "Keluar dari latsar. Semua jawaban dan posisi baca sudah tersimpan."
        for ev in progress.evaluations.values() if progress else ():
            if ev.open is not None:
                said += f" {ev.name} belum dikumpulkan ({ev.open.answered} dari {ev.open.total} soal dijawab): lanjutkan dari peta modul."
        return said + " Buka lagi dengan: latsar"

    def resume_sentence(self, answered: int, total: int) -> str:
        return f"Melanjutkan percobaan yang belum selesai: {answered} dari {total} soal sudah dijawab."

    # -- practice and section checks ---------------------------------------------------------------

    @property
    def checks_title(self) -> str:
        return self.course.checks_title or "Cek pemahaman"

    def practice_counts(self, counts: PracticeCounts) -> str:
        """What practice holds now, in two numbers: "jatuh tempo 3 · dikuasai 5"."""
        return f"jatuh tempo {counts.due} · dikuasai {counts.learned}"

    def section_read(self) -> str:
        return "✓ Akhir bagian: bagian ini tercatat sudah dibaca."

    def section_unfinished(self) -> str:
        return "Bagian ini tercatat sudah dibaca setelah Anda membacanya sampai akhir."

    def section_skimmed(self, reached: ReachedEnd, again: str) -> str:
        """The end reached too soon: how long it took, how long the section needs, what to do
        (``again``: the face's way, e.g. "tetap di sini" or "baca lagi: latsar read mp1-1")."""
        return (
            f"◔ Dibaca sekilas: akhir bagian ini tercapai {format_span(reached.seconds)} setelah dibuka, padahal "
            f"{format_count(reached.words)} katanya perlu sekurang-kurangnya {format_span(reached.needed)}. "
            f"Belum tercatat sudah dibaca; {again}."
        )

    def section_counts_in(self, reached: ReachedEnd) -> str:
        """A section whose end showed as soon as it opened: when it will count, no reproach."""
        return f"Bagian ini tercatat sudah dibaca setelah {format_span(reached.needed)} di layar, waktu membaca {format_count(reached.words)} katanya."

    def reading_rule(self) -> str:
        """How a section comes to count as read (``rules.read_in_time``), for the help."""
        return (
            "Sebuah bagian tercatat sudah dibaca bila Anda sampai di akhirnya setelah waktu yang cukup untuk "
            f"membacanya (secepat-cepatnya {format_count(self.course.reading_wpm)} kata per menit); "
            "lebih cepat dari itu tercatat ◔ dibaca sekilas."
        )

    def section_left_early(self) -> str:
        return "Belum sampai akhir: bagian ini belum tercatat sudah dibaca."

    def section_printed(self, section_id: str) -> str:
        """`latsar read` into a pipe: printed for a script, not read by anyone."""
        return f"Dicetak, belum tercatat sudah dibaca: baca di terminal sampai akhir (latsar read {section_id})."

    def no_check(self) -> str:
        return f"Bagian ini tidak memiliki {self.checks_title}."

    def check_offer(self, count: int) -> str:
        return f"{self.checks_title}: {count} soal singkat tentang bagian ini (tidak dinilai)."

    def practice_verdict(self, correct: bool, chosen: str) -> str:
        if correct:
            return "✓ Tepat."
        return f"✗ Belum tepat (Anda memilih {chosen}). Soal ini akan muncul lagi di latihan."

    def practice_key(self, question: Question) -> str:
        return f"Jawaban: {question.key}. {question.option_text(question.key)}"

    def practice_quote(self, question: Question) -> str | None:
        """The module's own sentence(s) that answer a section check."""
        return f"Kata modul: “{question.quote}”" if question.quote else None

    def practice_reading(self, question: Question) -> str:
        return "Bacaan terkait: " + "; ".join(self.course.section(s).title for s in self.course.in_order(question.sections))

    def practice_why(self, why: str) -> str:
        return PRACTICE_WHY.get(why, why)

    def practice_summary(self, right: int, answered: int, counts: PracticeCounts) -> str:
        return f"{right} dari {answered} tepat. {self.practice_counts(counts).capitalize()}."

    def check_summary(self, right: int, total: int) -> str:
        text = f"Selesai: {right} dari {total} tepat. Tidak dinilai"
        if right < total:
            return text + "; soal yang belum tepat akan muncul lagi di latihan."
        return text + "."

    # -- help --------------------------------------------------------------------------------------

    def rules_paragraph(self) -> str:
        """The course's own rule, in Markdown: threshold, what opens, what to restudy."""
        sentences = []
        for ev in self.course.evaluations:
            following = self.following(ev)
            if not following:
                continue
            part = self.course.part(ev.part).name
            t = ev.threshold
            sentences.append(
                f"Bila tingkat penguasaan Anda pada {ev.name} mencapai **{t}% atau lebih**, Anda dapat "
                f"meneruskan ke {' dan '.join(following)}. Bila masih di bawah {t}%, pelajari ulang {part}, "
                "terutama bagian yang belum dikuasai."
            )
        if self.course.retake.policy == "restudy":
            sentences.append("Evaluasi dapat diulang setelah bagian-bagian itu dibaca ulang sampai akhir.")
        else:
            sentences.append("Evaluasi dapat langsung diulang.")
        if self.course.retake.max_attempts:
            sentences.append(f"Setiap evaluasi paling banyak {self.course.retake.max_attempts} kali.")
        sentences.append("Nilai terbaik yang dihitung. Kunci dan pembahasan ditampilkan setelah Anda lulus.")
        return " ".join(sentences)

    # -- machine-readable --------------------------------------------------------------------------

    def progress_json(self, progress: Progress) -> dict[str, object]:
        return {
            "learner": {
                "id": progress.learner.id,
                "name": progress.learner.name,
                "nip": progress.learner.nip,
                "cohort": progress.learner.cohort,
            },
            "sections_read": sorted(s.id for s in progress.sections.values() if s.read),
            "sections_total": len(progress.sections),
            "evaluations": {e.id: self._evaluation_json(e) for e in progress.evaluations.values()},
            "module_complete": progress.module_complete,
            "all_sections_read": progress.all_read,
            "seconds_reading": progress.seconds_reading,
            "practice": progress.practice.to_json(),
            "next_step": self.next_step(progress.next_step),
            **({"journal": self.journal_json(progress.journal)} if progress.journal else {}),
        }

    def journal_json(self, standing: JournalStanding) -> dict[str, object]:
        return {
            "done": standing.done, "total": standing.total, "target": standing.target, "complete": standing.complete,
            "behaviours": {b.id: {"accepted": b.accepted, "waiting": b.waiting, "needs_revision": b.needs_revision} for b in standing.behaviours},
        }

    def _evaluation_json(self, e: EvaluationStatus) -> dict[str, object]:
        return {
            "best_percent": e.best.percent if e.best else None,
            "best_correct": e.best.correct if e.best else None,
            "total": e.best.total if e.best else None,
            "threshold": e.threshold,
            "passed": e.passed,
            "attempts": e.attempts,
            "locked": self.lock(e.lock) if e.lock else None,
            "passed_at": e.passed_at.isoformat() if e.passed_at else None,
        }
