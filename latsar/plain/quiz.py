"""`latsar quiz` in a plain terminal: one question at a time, each answer saved at once.

When standard input is not a terminal, answers are read one per line, in question order;
an interrupted attempt asks only what is still unanswered.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from rich.markup import escape
from rich.panel import Panel

from latsar.errors import UsageError
from latsar.plain.console import stderr, stdout
from latsar.services import Services
from latsar.services.dto import AttemptResult, LearnerInfo

STOP_WORDS = {"q", "keluar"}


def _parse(raw: str, letters: tuple[str, ...]) -> str | None:
    text = raw.strip().lower().rstrip(".)")
    if text in letters:
        return text
    if text.isdigit() and 1 <= int(text) <= len(letters):
        return letters[int(text) - 1]
    return None


def run_quiz(
    svc: Services,
    learner: LearnerInfo,
    quiz_id: str,
    *,
    shuffle: bool = False,
    as_json: bool = False,
    stdin: TextIO | None = None,
) -> int:
    stdin = stdin or sys.stdin
    interactive = stdin.isatty()
    out = stdout()
    talk = stderr() if as_json else out  # with --json, stdout carries exactly one object
    view = svc.start_or_resume(learner.id, quiz_id, shuffle=shuffle)
    total = len(view.presented)
    if interactive or not as_json:
        talk.print(f"[title]{escape(view.title)}[/] — {escape(learner.label)}")
        if view.answered_count:
            talk.print(f"Melanjutkan percobaan yang belum selesai: {view.answered_count} dari {total} soal sudah dijawab.")
        elif interactive:
            talk.print(f"{total} soal. Jawab dengan huruf a–d (atau 1–4). Ketik q untuk berhenti; jawaban tetap tersimpan.")
    line_no = 0
    for p in view.unanswered():
        letters = tuple(letter for letter, _, _ in p.options)
        if interactive or not as_json:
            talk.print()
            talk.print(f"[title]{p.number}/{total}.[/] {escape(p.question.stem)}")
            for letter, _, text in p.options:
                talk.print(f"   [key]{letter}.[/] {escape(text)}")
        while True:
            if interactive:
                talk.print("Jawaban: ", end="")
            raw = stdin.readline()
            line_no += 1
            if raw == "":
                raise UsageError(
                    f"Masukan berakhir sebelum semua soal dijawab: {view.answered_count} dari {total} jawaban tersimpan. "
                    f"Jalankan `latsar quiz {quiz_id}` lagi untuk melanjutkan."
                )
            if raw.strip().lower() in STOP_WORDS:
                talk.print(f"Berhenti. {view.answered_count} dari {total} jawaban tersimpan; lanjutkan kapan saja dengan `latsar quiz {quiz_id}`.")
                return 0
            shown = _parse(raw, letters)
            if shown is not None:
                break
            if not interactive:
                raise UsageError(
                    f"Baris {line_no}: '{raw.strip()}' bukan jawaban; tulis satu huruf {letters[0]}–{letters[-1]} per baris. "
                    f"{view.answered_count} jawaban sebelumnya sudah tersimpan."
                )
            talk.print(f"[bad]Pilih {', '.join(letters)}.[/]")
        svc.answer(view.id, p.question.id, p.canonical(shown))
        view.answers[p.question.id] = p.canonical(shown)
        if not interactive and not as_json:
            talk.print(f"   Jawaban: {shown}")
    result = svc.submit(view.id)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json()) + "\n")
    else:
        print_result(svc, result)
    return 0


def print_result(svc: Services, result: AttemptResult) -> None:
    out = stdout()
    s = result.score
    verdict = "[ok]LULUS[/]" if s.passed else "[bad]BELUM LULUS[/]"
    out.print()
    out.print(
        Panel(
            f"{verdict}  {s.correct} dari {s.total} benar ({s.percent}%), batas lulus {s.threshold}%.\n\n{escape(svc.feedback(result))}",
            title=escape(result.title),
            expand=False,
        )
    )
    if not s.passed:
        out.print("[title]Bagian yang perlu dipelajari ulang:[/]")
        for sid, title in zip(result.restudy, result.restudy_titles):
            out.print(f"  • {escape(title)}  [dim](latsar read {sid})[/]")
        wrong = [str(item.number) for item in result.review if not item.correct]
        out.print(f"Soal yang belum tepat: {', '.join(wrong)}. Kunci jawaban ditampilkan setelah Anda lulus.")
        return
    out.print("[title]Pembahasan:[/]")
    for item in result.review:
        mark = "[ok]✓[/]" if item.correct else "[bad]✗[/]"
        out.print(f"{mark} {item.number}. {escape(item.stem)}")
        chosen = item.chosen or "-"
        out.print(f"   Jawaban Anda: {chosen}   Kunci: [key]{item.key}[/] ({escape(dict(item.options)[item.key])})")
        out.print(f"   [dim]{escape(item.explanation or '')}[/]")
