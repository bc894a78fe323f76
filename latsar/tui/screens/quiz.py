"""Quiz: one question at a time; every answer is saved the moment it is chosen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from latsar.assessment.rules import Presented
from latsar.errors import AttemptClosed, LatsarError
from latsar.services.presence import Activity
from latsar.services.values import AttemptResult, AttemptView
from latsar.tui.base import LatsarScreen, styles
from latsar.tui.messages import ShowResult
from latsar.tui.widgets.choice import choice
from latsar.tui.widgets.footer import HELP, LatsarFooter
from latsar.tui.widgets.keys import answer_bindings
from latsar.tui.widgets.navigator import QuestionNavigator
from latsar.tui.wrap import Kept, keep_facts


class QuizScreen(LatsarScreen[None]):
    DEFAULT_CSS = styles("answering")
    BINDINGS = [
        HELP,
        *answer_bindings("quiz", "Pilih jawaban a, b, c atau d (juga 1–4)"),
        Binding("right,j", "move(1)", "Soal", key_display="←/→", id="quiz.move", tooltip="Soal berikutnya / sebelumnya (j/k)"),
        Binding("left,k", "move(-1)", "Sebelumnya", show=False),
        Binding("pagedown", "scroll_area(True)", "Gulir", key_display="PgDn", show=False, priority=True),
        Binding("pageup", "scroll_area(False)", "Naik", key_display="PgUp", show=False, priority=True),
        Binding("f", "flag", "Tandai", id="quiz.flag", tooltip="Tandai soal untuk ditinjau lagi"),
        Binding("s", "submit", "Kumpulkan", id="quiz.submit", tooltip="Selesai dan nilai jawaban"),
        Binding("escape,q", "leave", "Tutup", key_display="Esc", id="quiz.leave", tooltip="Kembali ke peta modul (juga q); jawaban tetap tersimpan"),
    ]

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.EVALUATION, self.view.quiz_id

    def attempt_counts(self) -> tuple[int, int] | None:
        return self.view.answered_count, len(self.view.presented)

    def __init__(self, view: AttemptView) -> None:
        super().__init__()
        self.view = view
        self.index = 0
        self._submitted_elsewhere = False  # submitted elsewhere (another window or tab) while open here
        unanswered = view.unanswered()
        if unanswered:
            self.index = view.presented.index(unanswered[0])

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="quiz-status")
        yield QuestionNavigator(len(self.view.presented), id="navigator")
        with VerticalScroll(id="question-area"):
            yield Static("", id="stem")
            yield OptionList(id="options")
            yield Static("", id="saved")
        yield LatsarFooter()

    def on_mount(self) -> None:
        self.sub_title = self.view.title
        if self.view.answered_count:
            self.notify(self.services.voice.resume_sentence(self.view.answered_count, len(self.view.presented)), timeout=5, markup=False)
        self.render_question()

    @property
    def current(self) -> Presented:
        return self.view.presented[self.index]

    def _answered_indices(self) -> set[int]:
        return {i for i, p in enumerate(self.view.presented) if self.view.answers.get(p.question.id)}

    def _flagged_indices(self) -> set[int]:
        return {i for i, p in enumerate(self.view.presented) if p.question.id in self.view.flagged}

    def render_question(self) -> None:
        p = self.current
        total = len(self.view.presented)
        answered = len(self._answered_indices())
        flags = len(self._flagged_indices())
        # The evaluation's short name: its full title is in the header just above, and at 60
        # columns the line then holds every count ("· 1 ditandai" went alone to a second line).
        status = f"{self.services.voice.evaluation_name(self.view.quiz_id)} · soal {p.number} dari {total} · {answered} dijawab"
        if flags:
            status += f" · {flags} ditandai"
        self.query_one("#quiz-status", Static).update(Kept(keep_facts(status)))  # wraps between facts
        self.query_one("#navigator", QuestionNavigator).set_state(self._answered_indices(), self._flagged_indices(), self.index)
        stem = Text.assemble((f"{p.number}. ", "bold"), p.question.stem)
        if p.question.id in self.view.flagged:
            stem.append("  ⚑ ditandai", style="italic")
        self.query_one("#stem", Static).update(stem)
        chosen = self.view.answers.get(p.question.id)
        options = self.query_one("#options", OptionList)
        options.clear_options()
        for shown, canon, text in p.options:
            selected = canon == chosen
            label = choice(f"{'●' if selected else '○'} {shown}. ", text, "bold" if selected else "")
            options.add_option(Option(label, id=shown))
        if chosen:
            options.highlighted = [c for _, c, _ in p.options].index(chosen)
            self.query_one("#saved", Static).update(f"Jawaban {p.shown(chosen)} tersimpan.")
        else:
            options.highlighted = 0
            self.query_one("#saved", Static).update("Pilih jawaban: a–d atau 1–4, atau ↑/↓ lalu Enter.")
        # The question opens at its text: focusing the options would scroll a short screen
        # (60×20) past the stem, to the answers of a question not yet read.
        options.focus(scroll_visible=False)
        self.query_one("#question-area", VerticalScroll).scroll_home(animate=False, immediate=True)

    def action_choose(self, index: int) -> None:
        p = self.current
        if index >= len(p.options):
            return
        shown, canon, _ = p.options[index]
        qid = p.question.id
        previous = self.view.answers.get(qid)
        self.view.answers[qid] = canon
        if self.index + 1 < len(self.view.presented):
            self.index += 1  # move on; ← goes back to change an answer
        self.render_question()
        if self.index == len(self.view.presented) - 1 and not self.view.unanswered():
            self.query_one("#saved", Static).update(f"Jawaban {shown} tersimpan. Semua soal sudah dijawab: tekan s untuk mengumpulkan.")

        def undo(exc: LatsarError) -> None:
            self._submitted_elsewhere = self._submitted_elsewhere or isinstance(exc, AttemptClosed)
            self.view.answers[qid] = previous
            self.render_question()
            self.notify(exc.message, severity="error", markup=False)

        self.io(self.trainee.attempts.answer, self.view.id, qid, canon, failed=undo)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option_index)

    def on_question_navigator_jump(self, event: QuestionNavigator.Jump) -> None:
        self.index = event.index
        self.render_question()

    def action_move(self, step: int) -> None:
        new = self.index + step
        if 0 <= new < len(self.view.presented):
            self.index = new
            self.render_question()
        elif new >= len(self.view.presented) and not self.view.unanswered():
            self.action_submit()

    def action_scroll_area(self, down: bool) -> None:
        area = self.query_one("#question-area", VerticalScroll)
        (area.scroll_page_down if down else area.scroll_page_up)(animate=False)

    def action_flag(self) -> None:
        qid = self.current.question.id
        flagged = qid not in self.view.flagged
        (self.view.flagged.add if flagged else self.view.flagged.discard)(qid)
        self.render_question()
        self.io(self.trainee.attempts.flag, self.view.id, qid, flagged)

    def action_submit(self) -> None:
        from latsar.tui.dialogs.confirm_submit import ConfirmSubmit

        unanswered = [p.number for p in self.view.unanswered()]
        flagged = [p.number for p in self.view.presented if p.question.id in self.view.flagged]

        def decided(go: bool | None) -> None:
            if go:
                self.io(self.trainee.attempts.submit, self.view.id, done=self._finished)

        self.app.push_screen(ConfirmSubmit(self.view.title, unanswered, flagged, len(self.view.presented)), decided)

    def _finished(self, result: AttemptResult) -> None:
        self.post_message(ShowResult(result))

    def action_leave(self) -> None:
        if self._submitted_elsewhere:  # submitted in another window or tab: nothing here was saved after that
            self.notify("Percobaan ini sudah dikumpulkan di jendela lain; hasilnya ada di Kemajuan (p).", timeout=6, markup=False)
            self.dismiss()
            return
        self.notify(f"Jawaban tersimpan ({len(self._answered_indices())} dari {len(self.view.presented)}). Lanjutkan kapan saja dari peta modul.", timeout=5, markup=False)
        self.dismiss()
