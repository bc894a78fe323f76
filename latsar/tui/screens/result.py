"""Result: the score against the pass line, the module's own words, restudy links, the review.

The restudy list has the focus (Enter opens a section); PgDn/PgUp, End/Home and Tab reach the
review below it. Each reviewed question is a number beside its text, so wrapped lines keep
their indent.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from latsar.assessment.rules import ReviewItem
from latsar.services.presence import Activity
from latsar.services.presentation import Voice
from latsar.services.values import AttemptResult, EntryKind, Target
from latsar.tui.base import LatsarScreen, styles
from latsar.tui.messages import GoHome, Open, ShowProgress
from latsar.tui.widgets.choice import hanging
from latsar.tui.widgets.footer import HELP, LatsarFooter
from latsar.tui.widgets.scorebar import score_line


def review_body(voice: Voice, item: ReviewItem) -> Text:
    text = Text(item.stem)
    text.append(f"\n{voice.your_answer(item)}")
    key = voice.key_line(item)
    if key is not None:
        text.append(f"\n{key}", style="bold")
    if item.explanation:
        text.append(f"\n{item.explanation}", style="italic")
    return text


class ResultScreen(LatsarScreen[None]):
    DEFAULT_CSS = styles("results")
    BINDINGS = [
        HELP,
        Binding("escape", "back", "Beranda", key_display="Esc", id="result.home", tooltip="Kembali ke peta modul"),
        Binding("pagedown", "scroll('page_down')", "Tinjauan", key_display="PgDn", id="result.review", priority=True, tooltip="Gulir ke tinjauan jawaban"),
        Binding("pageup", "scroll('page_up')", "Naik", key_display="PgUp", show=False, priority=True),
        Binding("end", "scroll('end')", "Akhir", show=False, priority=True),
        Binding("home", "scroll('home')", "Awal", show=False, priority=True),
        # Tab leaves the restudy list for the review itself (as the heading says), not for an
        # invisible focus on the page.
        Binding("tab", "review", "Tinjauan", show=False),
        Binding("shift+tab", "restudy", "Pelajari ulang", show=False),
        Binding("p", "progress", "Kemajuan", id="result.progress", tooltip="Riwayat percobaan"),
    ]

    def __init__(self, result: AttemptResult) -> None:
        super().__init__()
        self.result = result

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.RESULT, self.result.quiz_id

    def compose(self) -> ComposeResult:
        r = self.result
        s = r.score
        voice = self.services.voice
        yield Header(show_clock=False)
        with VerticalScroll(id="result"):
            verdict = Text(voice.verdict(s.passed), style="bold reverse" if s.passed else "bold")
            verdict.append(f"   {voice.correct_count(s)}")
            yield Static(verdict, id="verdict", classes="passed" if s.passed else "failed")
            yield Static(score_line(s.percent, s.threshold, self.services.voice.pass_line(s.threshold)), id="scorebar")
            yield Static(voice.feedback(r), id="feedback", markup=False)
            if not s.passed:
                yield Static(Text.assemble(("Pelajari ulang bagian ini", "bold"), " (Enter membuka; PgDn atau Tab: tinjauan jawaban):"), classes="heading")
                yield OptionList(*[Option(hanging(Text("↻ "), Text(title)), id=sid) for sid, title in zip(r.restudy, r.restudy_titles)], id="restudy")
                yield Static(voice.wrong_sentence(r), id="wrong", markup=False)
            yield Static(Text("Tinjauan jawaban", style="bold"), classes="heading", id="review-heading")
            with Vertical(id="review"):
                for item in r.review:
                    with Horizontal(classes="review-item"):
                        yield Static(Text(f"{'✓' if item.correct else '✗'} {item.number}.", style="bold"), classes="review-no")
                        yield Static(review_body(self.services.voice, item), classes="review-body")
        yield LatsarFooter()

    @property
    def review_text(self) -> str:
        """The review as plain text (what the trainee can read there)."""
        return "\n".join(str(w.content) for w in self.query(".review-body").results(Static))

    def on_mount(self) -> None:
        self.sub_title = self.result.title
        restudy = self.query("#restudy")
        # The verdict stays in view: focusing the restudy list must not scroll it away (60x20).
        (restudy.first() if restudy else self.query_one("#result")).focus(scroll_visible=False)

    def action_scroll(self, where: str) -> None:
        page = self.query_one("#result", VerticalScroll)
        moves = {"page_down": page.scroll_page_down, "page_up": page.scroll_page_up, "end": page.scroll_end, "home": page.scroll_home}
        moves[where](animate=False)

    def action_review(self) -> None:
        page = self.query_one("#result", VerticalScroll)
        page.focus(scroll_visible=False)
        page.scroll_to_widget(self.query_one("#review-heading"), animate=False, top=True)

    def action_restudy(self) -> None:
        restudy = self.query("#restudy")
        if restudy:
            self.query_one("#result", VerticalScroll).scroll_home(animate=False)
            restudy.first().focus(scroll_visible=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(Open(Target(EntryKind.SECTION, event.option.id)))

    def action_back(self) -> None:
        self.post_message(GoHome())  # "Beranda": the map, wherever the evaluation was opened from

    def action_progress(self) -> None:
        self.post_message(ShowProgress())
