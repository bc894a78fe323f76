"""Result: the score against the pass line, the module's own words, restudy links, the review."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from latsar.services.values import AttemptResult, EntryKind, Target
from latsar.tui.base import LatsarScreen
from latsar.tui.messages import Open, ShowProgress
from latsar.tui.widgets.scorebar import score_bar


class ResultScreen(LatsarScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Beranda", id="result.home", tooltip="Kembali ke peta modul"),
        Binding("p", "progress", "Kemajuan", id="result.progress", tooltip="Riwayat percobaan"),
    ]

    def __init__(self, result: AttemptResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        r = self.result
        s = r.score
        voice = self.services.voice
        yield Header(show_clock=False)
        with VerticalScroll(id="result"):
            verdict = Text(voice.verdict(s.passed), style="bold reverse" if s.passed else "bold")
            verdict.append(f"   {s.correct} dari {s.total} benar")
            yield Static(verdict, id="verdict", classes="passed" if s.passed else "failed")
            yield Static(score_bar(s.percent, s.threshold), id="scorebar")
            yield Static(voice.feedback(r), id="feedback")
            if not s.passed:
                yield Static(Text("Pelajari ulang bagian ini (Enter untuk membuka):", style="bold"), classes="heading")
                yield OptionList(*[Option(Text(f"↻ {title}"), id=sid) for sid, title in zip(r.restudy, r.restudy_titles)], id="restudy")
                yield Static(voice.wrong_sentence(r), id="wrong")
            yield Static(Text("Tinjauan jawaban", style="bold"), classes="heading")
            yield Static(self._review_text(), id="review")
        yield Footer()

    def _review_text(self) -> Text:
        text = Text()
        for item in self.result.review:
            mark = "✓" if item.correct else "✗"
            text.append(f"{mark} {item.number}. ", style="bold")
            text.append(item.stem + "\n")
            text.append(f"   Jawaban Anda: {item.chosen or '-'}")
            if item.key is not None:
                text.append(f"   Kunci: {item.key}. {dict(item.options)[item.key]}", style="bold")
                text.append(f"\n   {item.explanation}\n", style="italic")
            text.append("\n")
        return text

    def on_mount(self) -> None:
        self.sub_title = self.result.title
        restudy = self.query("#restudy")
        if restudy:
            restudy.first().focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(Open(Target(EntryKind.SECTION, event.option.id)))

    def action_back(self) -> None:
        self.dismiss()

    def action_progress(self) -> None:
        self.post_message(ShowProgress())
