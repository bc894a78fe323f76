"""Home: the module map with read marks, scores, locks and the suggested next step.

The side panel stands beside the map when the terminal is wide enough and below it, in a few
short lines, when it is not; there it never takes more than a part of the height (the map keeps
the rest) and scrolls when a short screen cannot show all of it.
"""

from __future__ import annotations

import contextlib
from functools import partial

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from latsar.course import Course
from latsar.services.presentation import Voice
from latsar.services.values import EntryKind, MapItem, PracticeCounts, Progress, Target
from latsar.tui.base import LatsarScreen
from latsar.tui.messages import Open, OpenCheck, OpenNextStep, ShowInstructor, ShowProgress, SwitchLearner
from latsar.tui.widgets.choice import hanging
from latsar.tui.widgets.footer import HELP, LatsarFooter
from latsar.tui.wrap import NBSP, Kept, facts, keep, keep_facts

PRACTICE = Target(EntryKind.PRACTICE, "practice")
JOURNAL = Target(EntryKind.JOURNAL, "")
WIDE = 100  # from this width the side panel stands beside the map


def _row(voice: Voice, progress: Progress, item: MapItem) -> Option:
    """One line of the map: a mark, the title, and the status in words; on a narrow screen
    the wrapped lines stay under the title, not under the mark."""
    if item.kind is EntryKind.SECTION:
        mark = voice.section(progress.sections[item.id])
        style = ""
    else:
        mark = voice.evaluation(progress.evaluations[item.id])
        style = "bold"
    label = Text(item.title, style=style)
    if not mark.quiet:  # the status whole, on the next line if it must ("pelajari" / "ulang dulu")
        label.append(f"  {keep_facts(mark.label)}", style="italic")
    return Option(hanging(Text(f" {mark.symbol} ", style=style), label), id=item.target.key)


def practice_row(voice: Voice, course: Course, counts: PracticeCounts | None) -> Option:
    assert course.practice is not None
    label = Text(f" ✎ {course.practice_title}")
    if counts is None:
        label.append(f" ({len(course.practice.questions)} soal)")
    else:
        label.append(f"  {voice.practice_counts(counts)}", style="italic")
    return Option(label, id=PRACTICE.key)


def map_options(voice: Voice, course: Course, progress: Progress, counts: PracticeCounts | None = None) -> list[Option | None]:
    """The module map as option-list rows (None is a separator)."""
    rows: list[Option | None] = []
    for item in progress.items:
        if item.kind is EntryKind.PART:
            if rows:
                rows.append(None)
            rows.append(Option(Text(item.title, style="bold"), id=item.target.key, disabled=True))
        else:
            rows.append(_row(voice, progress, item))
    if course.practice is not None:
        rows.append(None)
        rows.append(Option(Text("Latihan (tidak dinilai)", style="bold"), id="part:practice", disabled=True))
        rows.append(practice_row(voice, course, counts))
    if progress.journal is not None:
        rows += [None, *journal_rows(voice, progress)]
    return rows


def journal_rows(voice: Voice, progress: Progress) -> list[Option]:
    """The habituation journal's part of the map: its heading and one row with the count."""
    assert progress.journal is not None
    label = Text(f" ✎ {voice.journal_title}")
    label.append(f"  {voice.journal_line(progress.journal)}", style="italic")
    return [Option(Text("Aktualisasi (habituasi)", style="bold"), id="part:journal", disabled=True), Option(label, id=JOURNAL.key)]


def scores_text(voice: Voice, progress: Progress, narrow: bool = False) -> Text:
    """Every evaluation's standing; one line each when narrow. A line wraps between two facts
    ("belum lulus, pelajari ulang dulu" · "terbaik 7/10 (70%)"), never inside one."""
    text = Text()
    for ev in progress.evaluations.values():
        mark = voice.evaluation(ev)
        if narrow:
            text.append(keep(f"{ev.name}:") + NBSP, style="bold")
            text.append(keep_facts(f"{mark.symbol} {voice.evaluation_line(ev)}") + "\n")
        else:  # a fact a line: the panel is narrow
            text.append(f"{ev.name}\n", style="bold")
            text.append(keep_facts(f"{mark.symbol} {mark.label}") + "\n")
            best = voice.best(ev)
            if best:
                text.append(keep(best) + "\n")
    done = voice.completion(progress)
    if done:
        text.append(f"{keep_facts(done)}\n", style="bold")
    if progress.journal is not None:
        if not narrow:
            text.append(f"{voice.journal_title}\n", style="bold")
        text.append(keep_facts(f"✎ {voice.journal_line(progress.journal)} (j)") + "\n")
    text.rstrip()
    return text


def who_text(voice: Voice, progress: Progress, narrow: bool) -> Text:
    """Who is studying and how much is read. Narrow: one line, without the name (the header
    above says it)."""
    learner = progress.learner
    parts = [learner.nip or "tanpa NIP", *(p for p in (learner.cohort, learner.instansi) if p), voice.read_count(progress)]
    if narrow:
        return Text(facts(*parts))
    return Text.assemble((learner.name, "bold"), *(f"\n{keep(p)}" for p in parts))


def next_text(voice: Voice, progress: Progress, narrow: bool) -> Text:
    step = voice.next_step(progress.next_step)
    if narrow:
        return Text.assemble((keep("Berikutnya (n):") + " ", "bold"), step)
    return Text.assemble(("Langkah berikutnya\n", "bold"), step, ("\nn: buka langkah ini", "italic"))


class ModuleMap(OptionList):
    """The map's list. Its height changes after it is filled (the panel below it takes its new
    lines, the footer its keys, one frame or more later): the highlighted row, the one to open
    next, is scrolled into view again then, or it could sit just below the fold."""

    def on_resize(self) -> None:
        if self.highlighted is not None:
            self.scroll_to_highlight()


class HomeScreen(LatsarScreen[None]):
    BINDINGS = [
        HELP,
        # In the order of need: what fits in 60 columns comes first.
        Binding("n", "next_step", "Berikutnya", id="home.next", tooltip="Buka langkah yang disarankan"),
        Binding("c", "check", "Cek", id="home.check", tooltip="Cek pemahaman bagian yang dipilih (tidak dinilai)"),
        Binding("l", "practice", "Latihan", id="home.practice", tooltip="Latihan soal, tidak dinilai"),
        Binding("j", "journal", "Jurnal", id="home.journal", tooltip="Jurnal aktualisasi: tulis dan baca tinjauan coach"),
        Binding("q", "app.quit", "Keluar", id="home.quit", tooltip="Keluar; semua jawaban sudah tersimpan"),
        Binding("p", "progress", "Kemajuan", id="home.progress", tooltip="Riwayat percobaan dan waktu belajar"),
        Binding("u", "switch_learner", "Peserta", id="home.learner", tooltip="Ganti peserta: pilih atau daftarkan peserta lain"),
        # A priority binding: run before the keys typed behind it are handed out, which then wait
        # for the passphrase dialog (``LatsarApp.hold_keys``).
        Binding("i", "instructor", "Pengampu", id="home.instructor", show=False, priority=True, tooltip="Tampilan pengampu (perlu kata sandi)"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A classroom session is one trainee's: no switching learner, no instructor view. The
        journal's key shows where the course has one."""
        if action == "journal":
            return self.services.course.journal is not None
        return not (self.latsar.serve and action in ("switch_learner", "instructor"))

    def __init__(self) -> None:
        super().__init__()
        self.progress: Progress | None = None
        self.counts: PracticeCounts | None = None
        self._opened_here: str | None = None  # the row last opened with Enter (or c)
        self._for: int | None = None  # whose map this is

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Container(id="home"):
            yield ModuleMap(id="map")
            with Vertical(id="side"):
                yield Static("", id="who")
                yield Static("", id="scores")
                yield Static("", id="next")
                who = "Ctrl+P › Ganti PIN" if self.latsar.serve else "u: ganti peserta"
                yield Static(f"Enter: buka · c: cek pemahaman · {who} · F1: bantuan", id="hint")
        yield LatsarFooter()

    @property
    def narrow(self) -> bool:
        return self.app.size.width < WIDE

    def on_mount(self) -> None:
        self._arrange(self.narrow)

    def _arrange(self, narrow: bool) -> None:
        """Beside the map: who, scores, next step. Below it, where a short screen may leave the
        panel less room than it needs: the next step first, who is studying last."""
        self.query_one("#home").set_class(narrow, "-narrow")
        side, who, step = self.query_one("#side"), self.query_one("#who"), self.query_one("#next")
        side.move_child(step, before=0) if narrow else side.move_child(step, after=self.query_one("#scores"))
        side.move_child(who, after=self.query_one("#scores")) if narrow else side.move_child(who, before=0)

    def on_resize(self, event: events.Resize) -> None:
        narrow = self.narrow
        if self.query_one("#home").has_class("-narrow") != narrow:
            self._arrange(narrow)
            if self.progress is not None:
                self._show_side(self.progress)
            self.call_after_refresh(self.query_one("#map", OptionList).scroll_to_highlight)

    def on_screen_resume(self) -> None:
        """Shown first, or back from another screen: the map as it is now, of whoever is signed
        in now (after u, the map below may come back for another trainee)."""
        if self._for != self.latsar.learner_id:
            self._for = self.latsar.learner_id
            self.progress, self.counts, self._opened_here = None, None, None
        if self._for is None:
            return  # nobody signed in (signed out after a restore): the choice of learner goes on top
        self.latsar.first_progress(self, self._show)

    def _show(self, progress: Progress) -> None:
        if progress.learner.id != self._for:
            return  # read for the trainee before a switch: not this map's any more
        self.progress = progress
        voice = self.services.voice
        option_list = self.query_one("#map", OptionList)
        option_list.clear_options()
        option_list.add_options(map_options(voice, self.services.course, progress, self.counts))
        # Back from something opened here: stay on it. Otherwise point at the next step (n).
        keep, self._opened_here = self._opened_here, None
        target = keep or (progress.next_step.target.key if progress.next_step.target else None)
        if target:
            with contextlib.suppress(OptionDoesNotExist):
                option_list.highlighted = option_list.get_option_index(target)
        self._show_side(progress)
        self.sub_title = progress.learner.name
        option_list.focus()
        self.call_after_refresh(option_list.scroll_to_highlight)  # once the layout for this width is done
        self.call_after_refresh(self.latsar.started)
        if self.services.course.practice is not None:
            # After the map is painted: work on the I/O thread would hold the GIL during the paint.
            counts = partial(self._show_counts, self._for)
            self.call_after_refresh(self.io, self.trainee.practice.counts, done=counts)

    def _show_side(self, progress: Progress) -> None:
        voice = self.services.voice
        narrow = self.narrow
        self.query_one("#who", Static).update(Kept(who_text(voice, progress, narrow)))
        self.query_one("#scores", Static).update(Kept(scores_text(voice, progress, narrow)))
        self.query_one("#next", Static).update(Kept(next_text(voice, progress, narrow)))

    def _show_counts(self, who: int | None, counts: PracticeCounts) -> None:
        if who != self._for:
            return  # counted for the trainee before a switch
        self.counts = counts
        option_list = self.query_one("#map", OptionList)
        with contextlib.suppress(OptionDoesNotExist):
            index = option_list.get_option_index(PRACTICE.key)
            option_list.replace_option_prompt_at_index(index, practice_row(self.services.voice, self.services.course, counts).prompt)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._opened_here = event.option.id
            self.post_message(Open(Target.from_key(event.option.id)))

    def action_next_step(self) -> None:
        self.post_message(OpenNextStep())

    def action_check(self) -> None:
        option = self.query_one("#map", OptionList).highlighted_option
        target = Target.from_key(option.id) if option and option.id else None
        if target is None or target.kind is not EntryKind.SECTION:
            self.notify(f"Pilih satu bagian di peta, lalu tekan c untuk {self.services.voice.checks_title}.", timeout=4, markup=False)
            return
        self._opened_here = option.id if option else None  # back from the check: on this row again
        self.post_message(OpenCheck(target.id))

    def action_progress(self) -> None:
        self.post_message(ShowProgress())

    def action_practice(self) -> None:
        self.post_message(Open(PRACTICE))

    def action_journal(self) -> None:
        self.post_message(Open(JOURNAL))

    def action_switch_learner(self) -> None:
        self.post_message(SwitchLearner())

    def action_instructor(self) -> None:
        self.latsar.hold_keys()
        self.post_message(ShowInstructor())
