"""Practice: case questions and section checks with feedback after each, scheduled by FSRS.

Practice never counts toward mastery. ``PracticeScreen`` asks what the scheduler picks;
``CheckScreen`` (screens/check.py) asks one section's own check. Both answer the same way.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from latsar.course import Question
from latsar.services.presence import Activity
from latsar.services.presentation import PRACTICE_WHY
from latsar.services.values import PracticeCard
from latsar.tui.base import LatsarScreen, styles
from latsar.tui.widgets.choice import choice
from latsar.tui.widgets.footer import HELP, LatsarFooter
from latsar.tui.widgets.keys import answer_bindings
from latsar.tui.wrap import Kept, keep_facts


class AnswerScreen(LatsarScreen[None]):
    """One practice question at a time: choose, see right or wrong with the explanation."""

    DEFAULT_CSS = styles("answering")
    BINDINGS = [
        HELP,
        *answer_bindings("practice", "Pilih jawaban (juga 1–4)"),
        Binding("n", "next", "Soal berikutnya", id="practice.next", tooltip="Lanjut ke soal berikutnya"),
        # The options hold the focus; these scroll the question and its feedback.
        Binding("pagedown", "scroll_area(True)", "Gulir", key_display="PgDn", show=False, priority=True),
        Binding("pageup", "scroll_area(False)", "Naik", key_display="PgUp", show=False, priority=True),
        Binding("escape", "back", "Kembali", key_display="Esc", id="practice.back", tooltip="Kembali"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.question: Question | None = None
        self.answered = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="practice-status")
        with VerticalScroll(id="practice-area"):
            yield Static("", id="practice-stem")
            yield OptionList(id="practice-options")
            yield Static("", id="feedback-box")
        yield LatsarFooter()

    def ask(self, question: Question, status: str) -> None:
        self.question = question
        self.answered = False
        self.query_one("#practice-status", Static).update(Kept(keep_facts(status)))  # wraps between facts
        self.query_one("#practice-stem", Static).update(Text(question.stem))
        options = self.query_one("#practice-options", OptionList)
        options.clear_options()
        for letter, text in question.options:
            options.add_option(Option(choice(f"  {letter}. ", text), id=letter))
        options.highlighted = 0
        options.focus()
        self.query_one("#feedback-box", Static).update("Pilih jawaban: a–d atau 1–4.")
        self.query_one("#practice-area", VerticalScroll).scroll_home(animate=False)

    def action_choose(self, index: int) -> None:
        q = self.question
        if q is None or self.answered or index >= len(q.options):
            return
        letter = q.letters[index]
        self.answered = True
        self.io(self.trainee.practice.answer, q.id, letter, done=lambda correct: self.judged(q, letter, correct))

    def judged(self, q: Question, letter: str, correct: bool) -> None:
        voice = self.services.voice
        text = Text()
        text.append(voice.practice_verdict(correct, letter) + "\n", style="bold")
        text.append(voice.practice_key(q) + "\n", style="bold")
        text.append(q.explanation + "\n", style="italic")
        quote = voice.practice_quote(q)
        if quote:
            text.append(quote + "\n")
        text.append(voice.practice_reading(q) + "\n")
        text.append(self.after_answer())
        self.query_one("#feedback-box", Static).update(text)
        options = self.query_one("#practice-options", OptionList)
        for i, (option_letter, option_text) in enumerate(q.options):
            mark = "✓" if option_letter == q.key else ("✗" if option_letter == letter else " ")
            options.replace_option_prompt_at_index(i, choice(f"{mark} {option_letter}. ", option_text, "bold" if option_letter == q.key else ""))
        area = self.query_one("#practice-area", VerticalScroll)
        self.call_after_refresh(area.scroll_end, animate=False)  # the feedback ends the page

    def after_answer(self) -> str:
        return "Tekan n (atau Enter) untuk soal berikutnya."

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.answered:
            self.action_next()
        else:
            self.action_choose(event.option_index)

    def action_scroll_area(self, down: bool) -> None:
        area = self.query_one("#practice-area", VerticalScroll)
        (area.scroll_page_down if down else area.scroll_page_up)(animate=False)

    def action_next(self) -> None:
        raise NotImplementedError

    def action_back(self) -> None:
        self.dismiss()


class PracticeScreen(AnswerScreen):
    """Practice as the scheduler picks it: due first, then new, never the same twice in a row."""

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.PRACTICE, None

    def __init__(self, first: PracticeCard | None = None) -> None:
        super().__init__()
        self.card: PracticeCard | None = None
        self.first = first

    def on_mount(self) -> None:
        self.sub_title = "Latihan (tidak dinilai)"
        if self.first is not None:
            self._show(self.first)
        else:
            self.action_next()

    def action_next(self) -> None:
        last = self.card.question.id if self.card else None
        self.io(self.trainee.practice.next, last, done=self._show)

    def _show(self, card: PracticeCard) -> None:
        self.card = card
        voice = self.services.voice
        self.ask(
            card.question,
            f"Latihan · {PRACTICE_WHY.get(card.why, card.why)} · {voice.practice_counts(card.counts)} · "
            f"{card.counts.seen} dari {card.total} soal pernah dicoba · tidak dinilai",
        )
