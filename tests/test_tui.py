"""The TUI, driven with Pilot: the journeys of the issue, end to end, on a real database."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from latsar.services import open_services
from latsar.tui.app import build_app
from latsar.tui.screens.home import HomeScreen
from latsar.tui.screens.learner import LearnerScreen
from latsar.tui.screens.quiz import QuizScreen
from latsar.tui.screens.reader import ReaderScreen
from latsar.tui.screens.result import ResultScreen
from tests.helpers import MP1_KEY, answer_all, notes, open_entry, settle, submit


@pytest.fixture
def svc(tmp_path):
    return open_services(tmp_path / "tui.db")


@pytest.fixture
def learner(svc):
    return svc.learners.add("Siti Aminah", "199001012020122001", "Angkatan 7")


async def test_first_run_registers_a_learner(svc):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        app.screen.query_one("#name").value = "Budi Santoso"
        app.screen.query_one("#nip").value = "123"
        await pilot.click("#create")
        await settle(pilot)
        assert "18 angka" in str(app.screen.query_one("#form-error", Static).content)
        assert svc.learners.list() == []
        app.screen.query_one("#nip").value = "19900101 202012 1 003"
        await pilot.pause(0.3)  # Button ignores a second click within its 0.2 s press effect
        await pilot.click("#create")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [l.nip for l in svc.learners.list()] == ["199001012020121003"]


async def test_shared_machine_lists_learners_to_choose(svc):
    svc.learners.add("Ani")
    b = svc.learners.add("Budi")
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        learners = app.screen.query_one("#learners", OptionList)
        assert learners.option_count == 2
        learners.highlighted = 1
        learners.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.learner_id == b.id


async def test_locked_mp2_refuses(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp2")
        assert isinstance(app.screen, HomeScreen)
        assert "Materi Pokok 2 terbuka setelah Evaluasi MP1 ≥ 80%" in notes(app)
        await open_entry(pilot, "section:mp2-1a")
        assert isinstance(app.screen, HomeScreen)
    assert svc.trainee(learner.id).attempts.history() == []


async def test_passing_mp1_with_the_module_key_opens_mp2(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        assert isinstance(app.screen, QuizScreen)
        await answer_all(pilot, MP1_KEY)
        await submit(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.result.passed and app.screen.result.score.correct == 10
        assert "LULUS" in str(app.screen.query_one("#verdict", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.progress.evaluations["mp2"].lock is None
        await open_entry(pilot, "section:mp2-1a")
        assert isinstance(app.screen, ReaderScreen) and app.screen.section_id == "mp2-1a"


async def test_failed_attempt_restudy_links_open_the_right_sections(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, "bccbacaaab")  # 6/10: misses q7-q10
        await submit(pilot)
        result = app.screen
        assert isinstance(result, ResultScreen) and not result.result.passed
        links = result.query_one("#restudy", OptionList)
        assert [links.get_option_at_index(i).id for i in range(links.option_count)] == ["mp1-1", "mp1-4"]
        assert "Kunci" not in str(result.query_one("#review", Static).content)
        links.highlighted = 1
        links.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.section_id == "mp1-4"
    assert svc.trainee(learner.id).progress().sections["mp1-4"].read


async def test_quitting_mid_attempt_and_restarting_resumes(svc, learner, tmp_path):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, MP1_KEY[:4])
        await pilot.press("f")
        await settle(pilot)
    # A new process: a fresh app over the same database file.
    again = build_app(open_services(tmp_path / "tui.db"))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        quiz = again.screen
        assert isinstance(quiz, QuizScreen)
        assert quiz.view.answered_count == 4 and quiz.index == 4
        assert quiz.view.flagged == {"mp1-q05"}
        assert "4 dari 10 soal sudah dijawab" in notes(again)
        await answer_all(pilot, MP1_KEY[4:])
        await submit(pilot)
        assert again.screen.result.score.correct == 10


async def test_quiz_keys_navigation_flag_and_changing_an_answer(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        quiz = app.screen
        await pilot.press("2")  # option b by number; moves on to question 2
        await settle(pilot)
        assert quiz.index == 1 and quiz.view.answers["mp1-q01"] == "b"
        await pilot.press("k", "d")  # back to question 1, change the answer to d
        await settle(pilot)
        assert quiz.view.answers["mp1-q01"] == "d"
        await pilot.press("left", "up", "enter")  # back to question 1, arrow up from d to c, Enter chooses
        await settle(pilot)
        assert quiz.view.answers["mp1-q01"] == "c"
        await pilot.press("j", "f")
        await settle(pilot)
        assert "mp1-q03" in quiz.view.flagged
        await pilot.press("s")
        await pilot.pause()
        text = str(app.screen.query_one("#dialog-text", Static).content)
        assert "Belum dijawab (9 dari 10)" in text and "Ditandai untuk ditinjau: soal 3" in text
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
    view = svc.trainee(learner.id).attempts.in_progress("mp1")
    assert view.answers == {"mp1-q01": "c"} and view.flagged == {"mp1-q03"}


async def test_reader_marks_read_and_moves_between_sections(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert "Sumber: LAN (2021)" in str(reader.query_one("#credit", Static).content)
        await pilot.press("]")
        await settle(pilot)
        assert reader.section_id == "mp1-2"
        await pilot.press("[", "[")
        await settle(pilot)
        assert reader.section_id == "bab1-e"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    read = {sid for sid, st in svc.trainee(learner.id).progress().sections.items() if st.read}
    assert {"mp1-1", "mp1-2", "bab1-e"} <= read


async def test_practice_gives_feedback_and_never_counts(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        card = app.screen.card
        wrong = next(i for i, l in enumerate(card.question.letters) if l != card.question.key)
        await pilot.press(str(wrong + 1))
        await settle(pilot)
        feedback = str(app.screen.query_one("#feedback-box", Static).content)
        assert "Belum tepat" in feedback and f"Jawaban: {card.question.key}." in feedback
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.card.question.id != card.question.id
    me = svc.trainee(learner.id)
    assert me.attempts.history() == []  # no evaluation attempt was made
    assert me.progress().evaluations["mp1"].best is None


async def test_help_and_command_palette_entries(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Langkah berikutnya", "Kerjakan Evaluasi MP1", "Kemajuan belajar", "Latihan kasus"} <= set(titles)


def test_theme_reads_well_on_16_colour_terminals():
    from latsar.tui.app import pick_theme

    assert pick_theme({"TERM": "xterm"}) == "ansi-dark"
    assert pick_theme({"TERM": "linux"}) == "ansi-dark"
    assert pick_theme({"TERM": "xterm-256color"}) == "textual-dark"
    assert pick_theme({"COLORTERM": "truecolor", "TERM": "xterm"}) == "textual-dark"


async def test_quitting_from_the_reader_saves_reading_time_and_place(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-2")
        calls = []
        reading = app.trainee.reading
        original = reading.record
        reading.record = lambda *args: (calls.append(args), original(*args))[1]
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert calls and calls[-1][0] == "mp1-2"


async def test_help_is_generated_from_the_course(tmp_path, mini_pack):
    """A course pack with another threshold and other parts gets its own rule in the help."""
    from textual.widgets import Markdown

    svc = open_services(tmp_path / "mini.db", mini_pack)
    svc.learners.add("Ani")
    app = build_app(svc)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = app.screen.query_one(Markdown).source
    assert "pada Evaluasi 1 mencapai **60% atau lebih**" in text and "80%" not in text
    assert "Evaluasi dapat langsung diulang" in text  # the mini-pack's retake policy is "free"
    assert svc.course.credit in text and "LAN" not in text
