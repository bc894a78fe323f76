"""`latsar quiz` in a plain terminal: one question at a time, each answer saved at once.

When standard input is not a terminal, answers are read one per line, in question order;
an interrupted attempt asks only what is still unanswered.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from msgspec import Struct
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from latsar.assessment.rules import Presented
from latsar.errors import EXIT_INTERRUPTED, UsageError
from latsar.plain.answers import Answers, Stop
from latsar.plain.console import option_line, stderr, stdout
from latsar.services import Trainee
from latsar.services.values import AttemptResult, AttemptView


class Session(Struct):
    """One run of ``latsar quiz``: where answers come from and where words go."""

    me: Trainee
    view: AttemptView
    answers: Answers
    talk: Console
    chatty: bool  # show questions (a terminal, or plain output without --json)

    @property
    def interactive(self) -> bool:
        return self.answers.interactive

    @property
    def total(self) -> int:
        return len(self.view.presented)

    def saved(self) -> str:
        return f"{self.view.answered_count} dari {self.total} jawaban tersimpan"

    def show(self, p: Presented) -> None:
        self.talk.print()
        self.talk.print(f"[title]{p.number}/{self.total}.[/] {escape(p.question.stem)}")
        for letter, _, text in p.options:
            self.talk.print(option_line(letter, text))

    def read_choice(self, p: Presented) -> str:
        """The shown letter for ``p``; the input ending before every question is answered is an error."""
        shown = self.answers.read(tuple(letter for letter, _, _ in p.options), f"{self.view.answered_count} jawaban sebelumnya sudah tersimpan")
        if shown is None:
            raise UsageError(
                f"Masukan berakhir sebelum semua soal dijawab: {self.saved()}. "
                f"Jalankan `latsar quiz {self.view.quiz_id}` lagi untuk melanjutkan."
            )
        return shown

    def ask(self, p: Presented) -> None:
        if self.chatty:
            self.show(p)
        shown = self.read_choice(p)
        self.me.attempts.answer(self.view.id, p.question.id, p.canonical(shown))
        self.view.answers[p.question.id] = p.canonical(shown)
        if not self.interactive and self.chatty:
            self.talk.print(f"   Jawaban: {shown}")

    def greet(self) -> None:
        if not self.chatty:
            return
        self.talk.print(f"[title]{escape(self.view.title)}[/] — {escape(self.me.info().label)}")
        if self.view.answered_count:
            self.talk.print(self.me.voice.resume_sentence(self.view.answered_count, self.total))
        elif self.interactive:
            self.talk.print(f"{self.total} soal. Jawab dengan huruf a–d (atau 1–4). Ketik q untuk berhenti; jawaban tetap tersimpan.")


def retake_chosen(me: Trainee, quiz_id: str, answers: Answers, talk: Console, again: bool) -> bool:
    """After a pass, a new attempt is the trainee's choice (``Attempts.retake_question``): asked
    at a terminal, ``--ulang`` from a script. False: nothing is started."""
    question = me.attempts.retake_question(quiz_id)
    if question is None or again:
        return True
    if not answers.interactive:
        raise UsageError(f"{question} Dari skrip: tambahkan --ulang untuk memulainya.")
    talk.print(escape(question))
    reply = answers.line("Mulai percobaan baru? [y/N] ")
    return reply is not None and reply.strip().lower() in ("y", "ya")


def run_quiz(me: Trainee, quiz_id: str, *, shuffle: bool = False, as_json: bool = False, again: bool = False, stdin: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    talk = stderr() if as_json else stdout()  # with --json, stdout carries exactly one object
    answers = Answers(stdin, talk)
    if not retake_chosen(me, quiz_id, answers, talk, again):
        talk.print("Tidak ada percobaan baru; nilai terbaik Anda tetap.")
        return 0
    view = me.attempts.start_or_resume(quiz_id, shuffle=shuffle)
    session = Session(me, view, answers, talk, answers.interactive or not as_json)
    session.greet()
    try:
        for p in view.unanswered():
            session.ask(p)
    except Stop:
        talk.print(f"Berhenti. {session.saved()}; lanjutkan kapan saja dengan `latsar quiz {quiz_id}`.")
        return 0
    except KeyboardInterrupt:
        stderr().print(f"\nDihentikan (Ctrl+C). {session.saved()}; lanjutkan kapan saja dengan `latsar quiz {quiz_id}`.")
        return EXIT_INTERRUPTED
    result = me.attempts.submit(view.id)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json()) + "\n")
    else:
        print_result(me, result)
    return 0


def print_result(me: Trainee, result: AttemptResult) -> None:
    out = stdout()
    s = result.score
    voice = me.voice
    verdict = f"[ok]{voice.verdict(True)}[/]" if s.passed else f"[bad]{voice.verdict(False)}[/]"
    out.print()
    out.print(
        Panel(
            f"{verdict}  {escape(voice.score_sentence(s))}.\n\n{escape(voice.feedback(result))}",
            title=escape(result.title),
            expand=False,
        )
    )
    if not s.passed:
        out.print("[title]Bagian yang perlu dipelajari ulang:[/]")
        for sid, title in zip(result.restudy, result.restudy_titles):
            out.print(f"  • {escape(title)}  [dim](latsar read {sid})[/]")
        out.print(escape(voice.wrong_sentence(result)))
        return
    out.print("[title]Pembahasan:[/]")
    for item in result.review:
        mark = "[ok]✓[/]" if item.correct else "[bad]✗[/]"
        out.print(f"{mark} {item.number}. {escape(item.stem)}")
        out.print(f"   {escape(voice.your_answer(item))}")
        key = voice.key_line(item)
        if key:
            out.print(f"   [key]{escape(key)}[/]")
        out.print(f"   [dim]{escape(item.explanation or '')}[/]")
