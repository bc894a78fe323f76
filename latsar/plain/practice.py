"""`latsar practice` in a plain terminal: practice questions scheduled by FSRS, with feedback.

Never counted toward mastery. From a script, answers are read one per line like `latsar quiz`;
when the input ends, practice simply stops: every answer given is already saved.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from msgspec import Struct, field
from rich.console import Console
from rich.markup import escape

from latsar.course import Question
from latsar.plain.answers import Answers, Stop
from latsar.plain.console import option_line, stderr, stdout
from latsar.services import Trainee


class Tally(Struct):
    items: list[dict[str, object]] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(1 for i in self.items if i["correct"])


def _show(me: Trainee, talk: Console, q: Question, number: int, count: int, why: str) -> None:
    talk.print()
    talk.print(f"[title]{number}/{count}.[/] [dim]({escape(me.voice.practice_why(why))})[/] {escape(q.stem)}")
    for letter, text in q.options:
        talk.print(option_line(letter, text))


def _feedback(me: Trainee, talk: Console, q: Question, choice: str, correct: bool) -> None:
    voice = me.voice
    talk.print(f"[{'ok' if correct else 'bad'}]{escape(voice.practice_verdict(correct, choice))}[/]")
    talk.print(f"   {escape(voice.practice_key(q))}")
    talk.print(f"   [dim]{escape(q.explanation)}[/]")
    quote = voice.practice_quote(q)
    if quote:
        talk.print(f"   [dim]{escape(quote)}[/]")
    talk.print(f"   [dim]{escape(voice.practice_reading(q))}[/]")


def run_practice(me: Trainee, section_id: str | None = None, count: int = 10, as_json: bool = False, stdin: TextIO | None = None) -> int:
    if section_id is not None:
        me.practice.checks(section_id)  # an unknown section is a usage error before anything else
    card = me.practice.next(None, section_id)  # nothing open yet: its one sentence, before anything else
    talk = stderr() if as_json else stdout()  # with --json, stdout carries exactly one object
    answers = Answers(stdin or sys.stdin, talk)
    chatty = answers.interactive or not as_json
    tally = Tally()
    last: str | None = None
    if chatty:
        where = f"{me.voice.checks_title} {me.course.section(section_id).title}" if section_id else "latihan"
        talk.print(f"[title]{where.capitalize()}[/] — tidak dinilai. Jawab a–d (atau 1–4); q untuk berhenti.")
    try:
        for number in range(1, count + 1):
            if number > 1:
                card = me.practice.next(last, section_id)
            q = card.question
            if chatty:
                _show(me, talk, q, number, count, card.why)
            choice = answers.read(q.letters, "jawaban latihan sebelumnya sudah tersimpan")
            if choice is None:
                break
            correct = me.practice.answer(q.id, choice)
            tally.items.append({"question": q.id, "choice": choice, "correct": correct})
            if chatty:
                _feedback(me, talk, q, choice, correct)
            last = q.id
    except Stop:
        pass
    counts = me.practice.counts()
    if as_json:
        sys.stdout.write(json.dumps({"answered": len(tally.items), "correct": tally.correct, "items": tally.items, "practice": counts.to_json()}) + "\n")
    else:
        talk.print()
        talk.print(escape(me.voice.practice_summary(tally.correct, len(tally.items), counts)))
    return 0
