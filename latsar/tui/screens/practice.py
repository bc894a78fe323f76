"""Practice: scenario questions with feedback after each; missed items come back later.

Practice never counts toward mastery.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from latsar.services.presentation import PRACTICE_WHY
from latsar.services.values import PracticeCard
from latsar.tui.base import LatsarScreen
from latsar.tui.widgets.keys import answer_bindings


class PracticeScreen(LatsarScreen[None]):
    BINDINGS = [
        *answer_bindings("practice", "Pilih jawaban (juga 1–4)"),
        Binding("n", "next", "Soal berikutnya", id="practice.next", tooltip="Lanjut ke soal berikutnya"),
        Binding("escape", "back", "Kembali", id="practice.back", tooltip="Kembali ke peta modul"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.card: PracticeCard | None = None
        self.answered = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="practice-status")
        with VerticalScroll(id="practice-area"):
            yield Static("", id="practice-stem")
            yield OptionList(id="practice-options")
            yield Static("", id="feedback-box")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Latihan (tidak dinilai)"
        self.action_next()

    def action_next(self) -> None:
        last = self.card.question.id if self.card else None
        self.latsar.run_io(self.trainee.practice.next, last, done=self._show)

    def _show(self, card: PracticeCard) -> None:
        self.card = card
        self.answered = False
        q = card.question
        self.query_one("#practice-status", Static).update(
            f"Latihan · {PRACTICE_WHY.get(card.why, card.why)} · {card.counts.seen} dari {card.total} soal pernah dicoba · {card.counts.learned} dikuasai · tidak dinilai"
        )
        self.query_one("#practice-stem", Static).update(Text(q.stem))
        options = self.query_one("#practice-options", OptionList)
        options.clear_options()
        for letter, text in q.options:
            options.add_option(Option(Text(f"{letter}. {text}"), id=letter))
        options.highlighted = 0
        options.focus()
        self.query_one("#feedback-box", Static).update("Pilih jawaban: a–d atau 1–4.")

    def action_choose(self, index: int) -> None:
        if self.card is None or self.answered or index >= len(self.card.question.options):
            return
        q = self.card.question
        letter = q.letters[index]
        self.answered = True

        def judged(correct: bool) -> None:
            text = Text()
            if correct:
                text.append("✓ Tepat.\n", style="bold")
            else:
                text.append(f"✗ Belum tepat (Anda memilih {letter}). ", style="bold")
                text.append("Soal ini akan muncul lagi nanti.\n")
            text.append(f"Jawaban: {q.key}. {q.option_text(q.key)}\n", style="bold")
            text.append(q.explanation + "\n", style="italic")
            titles = [self.services.course.section(s).title for s in q.sections]
            text.append(f"Bacaan terkait: {'; '.join(titles)}\n")
            text.append("Tekan n untuk soal berikutnya.")
            self.query_one("#feedback-box", Static).update(text)

        self.latsar.run_io(self.trainee.practice.answer, q.id, letter, done=judged)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.answered:
            self.action_next()
        else:
            self.action_choose(event.option_index)

    def action_back(self) -> None:
        self.dismiss()
