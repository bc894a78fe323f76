"""One voice (issue 22.1): every sentence a learner reads about their state comes from ``Voice``,
generated from the course. A course pack that is not Berorientasi Pelayanan and whose
thresholds are not 80 (the mini pack: 60 and 100) is rendered through every face — the TUI
(local and a classroom session), the plain terminal, the classroom's page — and neither the
module's name nor "80" shows anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from latsar.services import open_services
from latsar.services.values import EntryKind, Target
from latsar.tui.app import build_app
from latsar.tui.messages import Open
from tests.helpers import screen_rows, settle

FORBIDDEN = re.compile(r"Berorientasi Pelayanan|\b80\b|80%")


def clean(where: str, text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{where}: {found.group() if found else ''!r} in\n{text}"


@pytest.fixture
def course(tmp_path: Path, mini_pack: Path):
    svc = open_services(tmp_path / "mini.db", mini_pack)
    svc.passphrase.set("rahasia-pengampu")
    return svc


async def test_the_tui_speaks_the_course_it_was_given(course) -> None:
    app = build_app(course)
    seen: list[tuple[str, str]] = []

    async def look(pilot, where: str) -> None:
        await settle(pilot)
        seen.append((where, "\n".join(screen_rows(app))))

    async with app.run_test(size=(110, 34)) as pilot:
        await look(pilot, "choice of learner")
        for ch in "Citra Dewi":
            await pilot.press(ch)
        await pilot.press("enter", "enter", "enter", "enter")
        await look(pilot, "map")
        await pilot.press("n")
        await look(pilot, "reader")
        await pilot.press("end", "escape")
        app.post_message(Open(Target(EntryKind.EVALUATION, "e1")))
        await look(pilot, "evaluation")
        evaluation = course.course.evaluation("e1")
        for q in evaluation.bank.questions:
            await pilot.press("a" if q.key != "a" else "b")  # all wrong: the failed result
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")
        await look(pilot, "result (failed)")
        await pilot.press("p")
        await look(pilot, "progress")
        await pilot.press("escape", "escape")
        await pilot.press("f1")
        await look(pilot, "help")
        await pilot.press("escape", "ctrl+p")
        await look(pilot, "palette")
    assert [w for w, _ in seen] == ["choice of learner", "map", "reader", "evaluation", "result (failed)", "progress", "help", "palette"]
    assert "Akuntabel" in seen[0][1] or "Akuntabel" in seen[1][1]  # the course's own name instead
    for where, text in seen:
        clean(where, text)


async def test_a_classroom_session_and_its_page_speak_the_course_they_were_given(course, tmp_path: Path, mini_pack: Path) -> None:
    app = build_app(course, serve=True)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        clean("login", "\n".join(screen_rows(app)))
    from latsar.server.web import ClassroomServer

    server = ClassroomServer("127.0.0.1", 1, 5, None, ["true"], {}, course_title=course.course.title)
    assert server.title == f"latsar — {course.course.title}"
    clean("page title", server.title)


def test_the_plain_terminal_speaks_the_course_it_was_given(cli, tmp_path: Path, mini_pack: Path) -> None:
    db = str(tmp_path / "plain.db")
    base = ["--db", db, "--content", str(mini_pack)]
    assert cli(*base, "learner", "add", "--name", "Citra Dewi")[0] == 0
    course = open_services(db, mini_pack).course
    outputs = []
    for args, given in (
        (["read"], None),
        (["read", course.sections[0].id], None),
        (["quiz", "e1"], "\n".join("b" for _ in course.evaluation("e1").bank.questions) + "\n"),
        (["progress"], None),
        (["practice", "--count", "2"], "a\nb\n"),
        (["--help"], None),
        (["quiz", "--help"], None),
        (["report", "--help"], None),
    ):
        code, out, err = cli(*base, *args, input=given)
        outputs.append((" ".join(args), out + err))
    for where, text in outputs:
        clean(where, text)
