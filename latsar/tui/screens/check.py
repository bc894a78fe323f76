"""A section's check ("Cek pemahaman"): its 3–5 questions in order, each answer a practice review.

Offered at the end of a section in the reader and from the map. Never counted toward mastery.
"""

from __future__ import annotations

from textual.binding import Binding

from latsar.course import Question
from latsar.services.presence import Activity
from latsar.tui.screens.practice import AnswerScreen


class CheckScreen(AnswerScreen):
    BINDINGS = [Binding("escape", "back", "Selesai", key_display="Esc", id="check.back", tooltip="Kembali; jawaban sudah tersimpan sebagai latihan")]

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.PRACTICE, self.section_id

    def __init__(self, section_id: str, questions: tuple[Question, ...]) -> None:
        super().__init__()
        self.section_id = section_id
        self.questions = questions
        self.index = -1
        self.right = 0
        self.done = False

    def on_mount(self) -> None:
        section = self.services.course.section(self.section_id)
        self.sub_title = f"{self.services.voice.checks_title}: {section.title}"
        self.action_next()

    def _status(self) -> str:
        title = self.services.course.section(self.section_id).title
        return f"{self.services.voice.checks_title} · {title} · soal {self.index + 1} dari {len(self.questions)} · tidak dinilai"

    def action_next(self) -> None:
        if self.done:
            self.dismiss()
            return
        if self.index >= 0 and not self.answered:
            return  # answer this one first
        if self.index + 1 < len(self.questions):
            self.index += 1
            self.ask(self.questions[self.index], self._status())

    def judged(self, q: Question, letter: str, correct: bool) -> None:
        self.right += correct
        self.done = self.index + 1 >= len(self.questions)
        super().judged(q, letter, correct)

    def after_answer(self) -> str:
        if self.done:
            return self.services.voice.check_summary(self.right, len(self.questions)) + " Tekan Enter atau Esc untuk kembali."
        return "Tekan n (atau Enter) untuk soal berikutnya."
