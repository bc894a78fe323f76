"""Home: the module map with read marks, scores, locks and the suggested next step."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from latsar.services.dto import Progress

PRACTICE_ID = "practice"


def map_options(progress: Progress, practice_title: str | None, practice_count: int) -> list[Option | None]:
    """The module map as option-list rows (None is a separator)."""
    rows: list[Option | None] = []
    for item in progress.items:
        if item.kind == "part":
            if rows:
                rows.append(None)
            rows.append(Option(Text(item.title, style="bold"), id=f"part:{item.id}", disabled=True))
        elif item.kind == "section":
            st = progress.sections[item.id]
            if st.locked:
                mark, note = "⊘", "  terkunci"
            elif st.restudy:
                mark, note = "↻", "  pelajari ulang"
            elif st.read:
                mark, note = "✓", ""
            else:
                mark, note = "·", ""
            label = Text(f" {mark} {item.title}")
            if note:
                label.append(note, style="italic")
            rows.append(Option(label, id=f"section:{item.id}"))
        else:
            ev = progress.evaluations[item.id]
            if ev.locked:
                note = "  terkunci"
            elif ev.in_progress:
                note = "  sedang dikerjakan"
            elif ev.best is not None:
                note = f"  terbaik {ev.best.percent}% " + ("lulus" if ev.passed else "belum lulus")
            else:
                note = "  belum dikerjakan"
            mark = "⊘" if ev.locked else ("★" if ev.passed else "▶")
            label = Text(f" {mark} {item.title}", style="bold")
            label.append(note, style="italic")
            rows.append(Option(label, id=f"evaluation:{item.id}"))
    if practice_title:
        rows.append(None)
        rows.append(Option(Text("Latihan (tidak dinilai)", style="bold"), id="part:practice", disabled=True))
        rows.append(Option(Text(f" ✎ {practice_title} ({practice_count} soal)"), id=PRACTICE_ID))
    return rows


class HomeScreen(Screen):
    BINDINGS = [
        Binding("n", "next_step", "Berikutnya", id="home.next", tooltip="Buka langkah yang disarankan"),
        Binding("p", "progress", "Kemajuan", id="home.progress", tooltip="Riwayat percobaan dan waktu belajar"),
        Binding("l", "practice", "Latihan", id="home.practice", tooltip="Latihan kasus, tidak dinilai"),
        Binding("u", "switch_learner", "Ganti peserta", id="home.learner", show=False, tooltip="Pilih atau daftarkan peserta lain"),
        Binding("i", "instructor", "Pengampu", id="home.instructor", show=False, tooltip="Tampilan pengampu (perlu kata sandi)"),
        Binding("q", "app.quit", "Keluar", id="home.quit", tooltip="Keluar; semua jawaban sudah tersimpan"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.progress: Progress | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="home"):
            yield OptionList(id="map")
            with Vertical(id="side"):
                yield Static("", id="who")
                yield Static("", id="scores")
                yield Static("", id="next")
                yield Static("Enter: buka · n: langkah berikutnya · ?: bantuan", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_progress()

    def on_screen_resume(self) -> None:
        self.refresh_progress()

    @property
    def services(self):
        return self.app.services

    def refresh_progress(self) -> None:
        if self.app.learner_id is None:
            return
        self.app.run_io(self.services.progress, self.app.learner_id, done=self._show)

    def _show(self, progress: Progress) -> None:
        self.progress = progress
        course = self.services.course
        option_list = self.query_one("#map", OptionList)
        keep = option_list.highlighted_option.id if option_list.highlighted_option else None
        option_list.clear_options()
        option_list.add_options(
            map_options(progress, course.practice_title if course.practice else None, len(course.practice.questions) if course.practice else 0)
        )
        target = keep or (f"{progress.next_target[0]}:{progress.next_target[1]}" if progress.next_target else None)
        if target:
            try:
                option_list.highlighted = option_list.get_option_index(target)
            except Exception:
                pass
        learner = progress.learner
        read = sum(1 for s in progress.sections.values() if s.read)
        self.query_one("#who", Static).update(
            Text.assemble((learner.name, "bold"), f"\n{learner.nip or 'tanpa NIP'}", f"\n{learner.cohort or ''}", f"\nDibaca: {read}/{len(progress.sections)} bagian")
        )
        scores = Text()
        for ev in progress.evaluations.values():
            scores.append(f"{ev.name}\n", style="bold")
            if ev.best:
                verdict = "lulus" if ev.passed else "belum lulus"
                scores.append(f"  terbaik {ev.best.correct}/{ev.best.total} ({ev.best.percent}%) {verdict}\n")
            elif ev.locked:
                scores.append("  terkunci\n")
            else:
                scores.append("  belum dikerjakan\n")
        if progress.module_complete:
            scores.append("Modul selesai ★\n", style="bold")
        self.query_one("#scores", Static).update(scores)
        self.query_one("#next", Static).update(Text.assemble(("Langkah berikutnya\n", "bold"), progress.next_step))
        self.sub_title = learner.name
        option_list.focus()

    # -- opening things ------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_id(event.option.id or "")

    def open_id(self, option_id: str) -> None:
        kind, _, ident = option_id.partition(":")
        if kind == "section":
            self.open_section(ident)
        elif kind == "evaluation":
            self.open_evaluation(ident)
        elif option_id == PRACTICE_ID:
            self.action_practice()

    def open_section(self, section_id: str) -> None:
        if self.progress is not None:
            lock = self.progress.sections[section_id].locked
            if lock:
                self.notify(lock, title="Terkunci", severity="warning", timeout=6)
                return
        from latsar.tui.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(section_id))

    def open_evaluation(self, evaluation_id: str) -> None:
        from latsar.tui.screens.quiz import QuizScreen

        def opened(view) -> None:
            self.app.push_screen(QuizScreen(view))

        self.app.run_io(self.services.start_or_resume, self.app.learner_id, evaluation_id, done=opened)

    def action_next_step(self) -> None:
        if self.progress is None or self.progress.next_target is None:
            self.notify(self.progress.next_step if self.progress else "Memuat…", timeout=6)
            return
        kind, ident = self.progress.next_target
        self.open_id(f"{kind}:{ident}")

    def action_progress(self) -> None:
        from latsar.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen())

    def action_practice(self) -> None:
        if self.services.course.practice is None:
            self.notify("Paket materi ini tidak memiliki soal latihan.")
            return
        from latsar.tui.screens.practice import PracticeScreen

        self.app.push_screen(PracticeScreen())

    def action_switch_learner(self) -> None:
        from latsar.tui.screens.learner import LearnerScreen

        self.app.switch_screen(LearnerScreen())

    def action_instructor(self) -> None:
        from latsar.tui.dialogs.passphrase import PassphraseDialog
        from latsar.tui.screens.instructor import InstructorScreen

        def opened(ok: bool | None) -> None:
            if ok:
                self.app.push_screen(InstructorScreen())

        self.app.push_screen(PassphraseDialog(), opened)
