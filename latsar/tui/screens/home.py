"""Home: the module map with read marks, scores, locks and the suggested next step."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from latsar.course import Course
from latsar.services.presentation import Voice
from latsar.services.values import EntryKind, MapItem, Progress, Target
from latsar.tui.base import LatsarScreen
from latsar.tui.messages import Open, OpenNextStep, ShowInstructor, ShowProgress, SwitchLearner

PRACTICE = Target(EntryKind.PRACTICE, "practice")


def _row(voice: Voice, progress: Progress, item: MapItem) -> Option:
    """One line of the map: a mark, the title, and the status in words."""
    if item.kind is EntryKind.SECTION:
        mark = voice.section(progress.sections[item.id])
        label = Text(f" {mark.symbol} {item.title}")
    else:
        mark = voice.evaluation(progress.evaluations[item.id])
        label = Text(f" {mark.symbol} {item.title}", style="bold")
    if not mark.quiet:
        label.append(f"  {mark.label}", style="italic")
    return Option(label, id=item.target.key)


def map_options(voice: Voice, course: Course, progress: Progress) -> list[Option | None]:
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
        rows.append(Option(Text(f" ✎ {course.practice_title} ({len(course.practice.questions)} soal)"), id=PRACTICE.key))
    return rows


def scores_text(voice: Voice, progress: Progress) -> Text:
    text = Text()
    for ev in progress.evaluations.values():
        text.append(f"{ev.name}\n", style="bold")
        text.append(f"  {voice.evaluation_line(ev)}\n")
    done = voice.completion(progress)
    if done:
        text.append(f"{done}\n", style="bold")
    return text


class HomeScreen(LatsarScreen[None]):
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

    def refresh_progress(self) -> None:
        self.latsar.run_io(self.trainee.progress, done=self._show)

    def _show(self, progress: Progress) -> None:
        self.progress = progress
        voice = self.services.voice
        option_list = self.query_one("#map", OptionList)
        keep = option_list.highlighted_option.id if option_list.highlighted_option else None
        option_list.clear_options()
        option_list.add_options(map_options(voice, self.services.course, progress))
        target = keep or (progress.next_step.target.key if progress.next_step.target else None)
        if target:
            with contextlib.suppress(OptionDoesNotExist):
                option_list.highlighted = option_list.get_option_index(target)
        learner = progress.learner
        self.query_one("#who", Static).update(
            Text.assemble((learner.name, "bold"), f"\n{learner.nip or 'tanpa NIP'}", f"\n{learner.cohort or ''}", f"\nDibaca: {progress.sections_read}/{len(progress.sections)} bagian")
        )
        self.query_one("#scores", Static).update(scores_text(voice, progress))
        self.query_one("#next", Static).update(Text.assemble(("Langkah berikutnya\n", "bold"), voice.next_step(progress.next_step)))
        self.sub_title = learner.name
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(Open(Target.from_key(event.option.id)))

    def action_next_step(self) -> None:
        self.post_message(OpenNextStep())

    def action_progress(self) -> None:
        self.post_message(ShowProgress())

    def action_practice(self) -> None:
        self.post_message(Open(PRACTICE))

    def action_switch_learner(self) -> None:
        self.post_message(SwitchLearner())

    def action_instructor(self) -> None:
        self.post_message(ShowInstructor())
