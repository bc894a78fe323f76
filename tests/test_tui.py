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
from tests.helpers import MP1_KEY, answer_all, notes, open_attempt, open_entry, read_through, screen_rows, search_in, settle, submit, take, widget_text


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


async def test_registration_checks_each_field_on_enter_and_clears_a_fixed_error(svc):
    from textual.widgets import Input

    svc.learners.add("Budi", "199001012020121003")
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")  # a second trainee on the same laptop
        await settle(pilot)
        screen = app.screen
        screen.query_one("#name", Input).focus()
        await pilot.press("enter")  # an empty name: said at once, focus stays
        await settle(pilot)
        error = screen.query_one("#form-error", Static)
        assert "Nama wajib diisi" in str(error.content) and app.focused.id == "name"
        await pilot.press(*"Ani")
        assert str(error.content) == ""  # being fixed: the error goes
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused.id == "nip"
        await pilot.press(*"123", "enter")
        await settle(pilot)
        assert "18 angka" in str(error.content) and app.focused.id == "nip"
        await pilot.press("backspace")
        assert str(error.content) == ""
        await pilot.press(*"4", "enter")
        await settle(pilot)
        assert "18 angka" in str(error.content)
        screen.query_one("#nip", Input).value = ""  # emptied (no NIP is allowed): the Enter that
        await pilot.press("enter")  # moves on takes the message away with it
        await settle(pilot)
        assert str(error.content) == "" and app.focused.id == "cohort"
        screen.query_one("#nip", Input).focus()
        await settle(pilot)
        await pilot.press(*"19900101 202012 1 003", "enter", *"Angkatan 7", "enter")  # typed on without waiting
        assert screen.query_one("#cohort", Input).value == "Angkatan 7"
        await pilot.press("enter")  # the NIP is taken: said on adding, with the focus back on it
        await settle(pilot)
        assert "sudah terdaftar atas nama Budi" in str(error.content) and "(id" not in str(error.content)
        assert app.focused.id == "nip" and isinstance(app.screen, LearnerScreen)
        screen.query_one("#nip", Input).value = "199001012020122001"
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert [l.nip for l in svc.learners.list()] == ["199001012020121003", "199001012020122001"]


async def test_shared_machine_lists_learners_to_choose(svc):
    a = svc.learners.add("Ani")
    b = svc.learners.add("Budi")
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        learners = app.screen.query_one("#learners", OptionList)
        assert learners.option_count == 2 and app.focused is learners
        await pilot.press("enter")  # the first is highlighted already
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.learner_id == a.id
        shown = {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}
        assert "Peserta" in shown
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        assert "Kembali" in {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}
        await pilot.press("escape")  # changed my mind: back to my map
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.learner_id == a.id
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.learner_id == b.id


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (100, 30), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_home_says_an_attempt_is_open_and_cuts_nothing(svc, learner, size):
    me = svc.trainee(learner.id)
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented[:4], MP1_KEY):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        home = app.screen
        side = widget_text(app, "#side")
        assert "199001012020122001" in side  # the whole NIP
        assert "Evaluasi MP1: ◐ sedang dikerjakan, 4/10 dijawab" in side or "◐ sedang dikerjakan, 4/10 dijawab" in side
        assert "Lanjutkan Evaluasi MP1 yang belum selesai (4 dari 10 soal dijawab)." in side
        assert "Evaluasi MP2" in side and "terkunci" in side
        narrow = size[0] < 100
        assert home.query_one("#home").has_class("-narrow") == narrow
        map_list = home.query_one("#map", OptionList)
        assert map_list.highlighted_option.id == "evaluation:mp1"  # the open attempt, ready for Enter
        assert "◐ C. Evaluasi Materi Pokok 1 sedang dikerjakan, 4/10 dijawab" in widget_text(app, "#map")
        for row, words in (
            ("section:mp2-1b", "⊘ b. Ramah, Cekatan, Solutif, dan Dapat Diandalkan terkunci"),
            ("section:mp2-2", "⊘ 2. Tantangan Aktualisasi Nilai Berorientasi Pelayanan terkunci"),
        ):
            map_list.highlighted = map_list.get_option_index(row)
            await settle(pilot)
            assert words in widget_text(app, "#map"), (row, widget_text(app, "#map"))
        await pilot.press("enter")
        await settle(pilot)
        assert "terbuka setelah Evaluasi MP1" in notes(app)
        await pilot.press("n")  # the next step is to continue the attempt
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen) and app.screen.view.answered_count == 4


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


async def test_after_a_pass_opening_the_evaluation_asks_before_a_new_attempt(svc, learner):
    from latsar.tui.dialogs.confirm import Confirm

    me = svc.trainee(learner.id)
    take(me, "mp1", MP1_KEY)
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        assert isinstance(app.screen, Confirm) and "sudah lulus Evaluasi MP1" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and open_attempt(me, "mp1") is None
        await open_entry(pilot, "evaluation:mp1")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen) and open_attempt(me, "mp1") is not None


async def test_failed_attempt_restudy_links_open_the_right_sections(svc, learner, clock):
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
        assert "Jawaban Anda" in result.review_text and "Kunci" not in result.review_text
        links.highlighted = 1
        links.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.section_id == "mp1-4"
        clock.advance(svc.trainee(learner.id).reading.minimum("mp1-4"))
        await pilot.press("end")
        await settle(pilot)
    assert svc.trainee(learner.id).progress().sections["mp1-4"].read


@pytest.mark.parametrize("size, letters", [((80, 24), "bccbacaaab"), ((60, 20), "bccbacaaab"), ((60, 20), "aaaaaaaaaa")])
async def test_failed_result_review_is_reached_by_keyboard(svc, learner, size, letters):
    from textual.containers import VerticalScroll

    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, letters)
        await submit(pilot)
        result = app.screen
        page = result.query_one("#result", VerticalScroll)
        assert app.focused.id == "restudy" and page.scroll_y == 0 and page.max_scroll_y > 0
        assert "BELUM LULUS" in " ".join(screen_rows(app)[page.region.y : page.region.y + 3]), screen_rows(app)  # the verdict is the first thing seen
        shown = {b.binding.description for b in result.active_bindings.values() if b.binding.show}
        assert "Tinjauan" in shown
        await pilot.press("pagedown")
        await settle(pilot)
        assert page.scroll_y > 0 and app.focused.id == "restudy"
        await pilot.press("end")
        await settle(pilot)
        assert page.scroll_y == page.max_scroll_y
        await pilot.press("home", "tab")  # as the heading says: Tab goes to the review itself
        await settle(pilot)
        heading = result.query_one("#review-heading")
        assert app.focused is page and page.scroll_y > 0
        assert page.region.y <= heading.region.y < page.region.bottom  # the review's heading is on screen
        await pilot.press("shift+tab")  # and back to the sections to restudy
        await settle(pilot)
        assert app.focused.id == "restudy" and page.scroll_y == 0
        await pilot.press("enter")  # Enter still opens the highlighted restudy section
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.section_id == "mp1-1"


async def test_review_lines_keep_their_indent(svc, learner):
    from latsar.tui.screens.result import ResultScreen as Result

    me = svc.trainee(learner.id)
    passed = take(me, "mp1", MP1_KEY)
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(Result(passed))
        await settle(pilot)
        bodies = list(app.screen.query(".review-body").results(Static))
        numbers = list(app.screen.query(".review-no").results(Static))
        assert len(bodies) == 10 and all(b.region.x == bodies[0].region.x > numbers[0].region.x for b in bodies)
        assert all(b.region.height > 2 for b in bodies)  # stem, answer and explanation, wrapped inside their column


async def test_quitting_mid_attempt_and_restarting_resumes(svc, learner, tmp_path):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, MP1_KEY[:4])
        await pilot.press("f")
        await settle(pilot)
    # A new process: a fresh app over the same database file.
    again = build_app(open_services(tmp_path / "latsar.db"))
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
        await pilot.press("k", "k", "f")  # flag question 1, which is answered: the strip shows both
        await settle(pilot)
        strip = quiz.query_one("#navigator").render().plain
        assert strip[:5] == "› 1●⚑" and strip[10:15] == "  3 ⚑"
        await pilot.press("f", "j", "j")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        text = str(app.screen.query_one("#dialog-text", Static).content)
        assert "Belum dijawab (9 dari 10)" in text and "Ditandai untuk ditinjau: soal 3" in text
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
    view = open_attempt(svc.trainee(learner.id), "mp1")
    assert view.answers == {"mp1-q01": "c"} and view.flagged == {"mp1-q03"}


async def test_reader_counts_a_section_once_its_end_is_reached_in_the_time_it_takes_to_read(svc, learner, clock):
    app = build_app(svc)
    me = svc.trainee(learner.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")  # long: its end is far below
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert "Sumber: LAN (2021)" in str(reader.query_one("#credit", Static).content)
        await settle(pilot)
        assert not reader.completed and not me.progress().sections["mp1-1"].read
        assert me.progress().sections["mp1-1"].opened
        await pilot.press("pagedown")
        await settle(pilot)
        assert not me.progress().sections["mp1-1"].read
        clock.advance(20)
        await pilot.press("end")  # one key to the end: skimmed, not read
        await settle(pilot)
        end = str(reader.query_one("#section-end", Static).content)
        assert not reader.completed and "Dibaca sekilas" in end and "1.233 katanya" in end
        status = me.progress().sections["mp1-1"]
        assert not status.read and status.skimmed
        await pilot.press("home")
        await settle(pilot)
        clock.advance(me.reading.minimum("mp1-1"))  # read, screen after screen
        await pilot.press("end")
        await settle(pilot)
        assert reader.completed and me.progress().sections["mp1-1"].read
        assert "tercatat sudah dibaca" in str(reader.query_one("#section-end", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert "◔ dibaca sekilas" not in " ".join(screen_rows(app))
        await open_entry(pilot, "section:mp1-umpan-balik")  # short: fits on the screen
        await settle(pilot)
        assert not app.screen.completed  # not yet: 76 words take a few seconds
        clock.advance(me.reading.minimum("mp1-umpan-balik"))
        app.screen._check_end()  # what the reader's own timer does once that time has passed
        await settle(pilot)
        assert app.screen.completed
    assert me.progress().sections["mp1-umpan-balik"].read


@pytest.mark.parametrize(
    ("size", "section_id", "last_line"),
    [((60, 20), "bab1-c", "Nilai-Nilai Dasar PNS."), ((80, 24), "mp1-1", "diterima oleh penerima layanan.")],
    ids=["60x20", "80x24"],
)
async def test_an_end_reached_too_soon_counts_by_itself_while_it_stays_on_the_screen(svc, learner, clock, size, section_id, last_line):
    """The note about an end reached too soon made the page longer and pushed the end below the
    screen: the promise "tercatat sendiri bila akhir ini masih di layar" never held, however
    long the trainee waited (only End again counted). The end is the last line of the text."""
    me = svc.trainee(learner.id)
    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_entry(pilot, f"section:{section_id}")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        clock.advance(1)
        await pilot.press("end")  # one key to the end: too soon
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        end = str(reader.query_one("#section-end", Static).content)
        assert not reader.completed and "Dibaca sekilas" in end and "masih di layar setelah waktu itu" in end
        shown = " ".join(" ".join(screen_rows(app)).split())
        assert last_line in shown  # the end of the text, still on the screen under the note
        assert "setelah waktu itu." in shown and "Kembali ke peta modul" in shown  # and the whole end below it
        clock.advance(me.reading.minimum(section_id))  # left alone, the end on the screen
        reader._check_end()  # what the reader's own timer does once that time has passed
        await settle(pilot)
        assert reader.completed and "tercatat sudah dibaca" in str(reader.query_one("#section-end", Static).content)
    assert me.progress().sections[section_id].read


async def test_the_note_does_not_pull_the_page_from_under_a_trainee_scrolling_down(svc, learner, clock):
    """The page follows the note down only after End (or a scroll to the very bottom): scrolled
    line by line, the end just come into view, the lines being read stay where they are."""
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        y = reader._text_end() - reader._seen() + 2  # the last lines of the text at the bottom of the screen
        reader.page.scroll_to(y=y, animate=False)
        await settle(pilot)
        assert "Dibaca sekilas" in str(reader.query_one("#section-end", Static).content)
        assert reader.page.scroll_y == y


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
async def test_a_section_that_fits_on_the_screen_counts_quietly_once_its_time_has_passed(svc, learner, clock, size):
    """Its end is there as it opens: no "dibaca sekilas … tercapai 0 detik" for what the trainee
    did not do, only when it will count; the rule is the services' as ever (too soon is not
    read, the time its words need is)."""
    me = svc.trainee(learner.id)
    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-umpan-balik")  # 76 words: fits
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        end = str(reader.query_one("#section-end", Static).content)
        assert not reader.completed and not me.progress().sections["mp1-umpan-balik"].read
        assert "sekilas" not in end and "tercapai" not in end
        assert "tercatat sudah dibaca setelah 8 detik di layar" in end
        assert "sekilas" not in " ".join(screen_rows(app))
        clock.advance(me.reading.minimum("mp1-umpan-balik") - 2)
        reader._check_end()  # not yet: still quiet
        await settle(pilot)
        assert not reader.completed and "sekilas" not in str(reader.query_one("#section-end", Static).content)
        clock.advance(2)
        reader._check_end()  # what the reader's own timer does once that time has passed
        await settle(pilot)
        assert reader.completed and "tercatat sudah dibaca." in str(reader.query_one("#section-end", Static).content)
    assert me.progress().sections["mp1-umpan-balik"].read


async def test_opened_at_the_words_searched_for_with_the_end_in_view_nothing_was_skimmed(svc, learner, clock):
    """At 60x20 "kode etik" opens B. Tujuan Pembelajaran at its second objective, the end on the
    screen: it said "tercapai 0 detik" and scrolled the page down past the words searched for."""
    me = svc.trainee(learner.id)
    app = build_app(svc)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await search_in(pilot, "pengantar", "kode etik")
        await pilot.press("down", "enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.section_id == "bab1-b"
        end = str(reader.query_one("#section-end", Static).content)
        assert "sekilas" not in end and "tercatat sudah dibaca setelah 8 detik di layar" in end
        assert "panduan perilaku (kode" in " ".join(screen_rows(app))  # still at the words searched for
        clock.advance(me.reading.minimum("bab1-b"))
        reader._check_end()  # what the reader's own timer does once that time has passed
        await settle(pilot)
        assert reader.completed
    assert me.progress().sections["bab1-b"].read


async def test_a_skimmed_section_says_so_on_the_map(svc, learner, clock):
    me = svc.trainee(learner.id)
    me.reading.open("mp1-2")
    clock.advance(5)
    me.reading.complete("mp1-2")
    app = build_app(svc)
    async with app.run_test(size=(80, 40)) as pilot:  # the row in view below BAB I
        await settle(pilot)
        assert "◔ 2. Membangun Budaya Pelayanan Prima  dibaca sekilas" in " ".join(screen_rows(app))


async def test_reopening_a_finished_section_starts_at_the_top_so_restudy_means_reading_it(svc, learner, clock):
    me = svc.trainee(learner.id)
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")
        clock.advance(me.reading.minimum("mp1-1"))
        await pilot.press("end")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert me.progress().sections["mp1-1"].read
    take(me, "mp1", "bccbacaaab")  # fails; mp1-1 is listed for restudy
    assert me.progress().sections["mp1-1"].restudy
    again = build_app(svc)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")
        await settle(pilot)
        reader = again.screen
        assert reader.page.scroll_y == 0 and not reader.completed
        await pilot.press("escape")
        await settle(pilot)
        assert me.progress().sections["mp1-1"].restudy  # opened and closed: still to restudy
        await open_entry(pilot, "section:mp1-1")
        await pilot.press("end")
        await settle(pilot)
        assert me.progress().sections["mp1-1"].restudy  # skimmed: restudy asks for a real reading
        await pilot.press("home")
        clock.advance(me.reading.minimum("mp1-1"))
        await pilot.press("end")
        await settle(pilot)
    assert not me.progress().sections["mp1-1"].restudy


async def test_reader_moves_along_the_module_map_and_offers_the_evaluation(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")
        reader = app.screen
        await pilot.press("]")
        await settle(pilot)
        assert reader.section_id == "mp1-2"
        await pilot.press("[", "[")
        await settle(pilot)
        assert reader.section_id == "bab1-e"
        await pilot.press("escape")
        await settle(pilot)
        await open_entry(pilot, "section:mp1-rangkuman")
        assert "Evaluasi Materi Pokok 1" in str(app.screen.query_one("#section-end", Static).content)
        await pilot.press("]")  # the next entry of the map is the evaluation, not D. Umpan Balik
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen) and app.screen.view.quiz_id == "mp1"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("[")
        await settle(pilot)
        assert app.screen.section_id == "mp1-4"  # back goes by sections


async def test_section_check_from_the_reader_and_the_map_never_counts(svc, learner, clock):
    from latsar.tui.screens.check import CheckScreen

    me = svc.trainee(learner.id)
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-2")
        assert "Cek Pemahaman" in str(app.screen.query_one("#section-end", Static).content)
        await pilot.press("c")
        await settle(pilot)
        check = app.screen
        assert isinstance(check, CheckScreen)
        questions = me.practice.checks("mp1-2")
        assert [q.id for q in check.questions] == [q.id for q in questions]
        first = questions[0]
        wrong = next(i for i, l in enumerate(first.letters) if l != first.key)
        await pilot.press(str(wrong + 1))
        await settle(pilot)
        feedback = str(check.query_one("#feedback-box", Static).content)
        assert "Belum tepat" in feedback and first.explanation in feedback and first.quote in feedback
        for q in questions[1:]:
            await pilot.press("n")
            await settle(pilot)
            await pilot.press(str(q.letters.index(q.key) + 1))
            await settle(pilot)
        summary = str(check.query_one("#feedback-box", Static).content)
        assert f"{len(questions) - 1} dari {len(questions)} tepat" in summary
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await settle(pilot)
        # From the map: c on a section row opens its check.
        await open_entry(pilot, "section:mp1-3", key="c")
        assert isinstance(app.screen, CheckScreen) and app.screen.section_id == "mp1-3"
        await pilot.press("escape")
        await settle(pilot)
        await open_entry(pilot, "section:mp2-1a", key="c")  # locked: refused with the reason
        assert isinstance(app.screen, HomeScreen) and "terbuka setelah Evaluasi MP1" in notes(app)
    progress = me.progress()
    assert progress.evaluations["mp1"].best is None and me.attempts.history() == []
    read_through(me, "mp1-2", clock)  # practice draws on the checks of sections read: the answers are there
    assert me.practice.counts().seen == len(me.practice.checks("mp1-2"))


async def test_with_no_practice_open_yet_l_stays_on_the_map_and_says_why(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert "Belum ada soal latihan yang terbuka" in notes(app)


async def test_practice_gives_feedback_and_never_counts(svc, learner):
    take(svc.trainee(learner.id), "mp1", MP1_KEY)  # the cases open with Materi Pokok 2
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
    assert len(me.attempts.history()) == 1  # practice made no evaluation attempt (MP1 was taken before)
    assert [e.best.correct if e.best else None for e in me.progress().evaluations.values()] == [10, None]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_help_scrolls_by_keyboard_and_shows_its_own_keys(svc, learner, size):
    from textual.containers import VerticalScroll
    from textual.widgets import Footer

    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert type(help_screen).__name__ == "HelpScreen"
        page = help_screen.query_one("#help", VerticalScroll)
        assert page.max_scroll_y > 0 and page.scroll_y == 0
        for key, moved in (("down", lambda y: y > 0), ("pagedown", lambda y: y > 1), ("space", lambda y: y > 2)):
            before = page.scroll_y
            await pilot.press(key)
            await settle(pilot)
            assert page.scroll_y > before and moved(page.scroll_y), key
        await pilot.press("end")
        await settle(pilot)
        assert page.scroll_y == page.max_scroll_y
        keys = {b.binding.description for b in help_screen.active_bindings.values() if b.binding.show}
        assert {"Tutup", "Gulir"} <= keys
        assert help_screen.query(Footer)  # the footer belongs to help while it is open
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_question_mark_types_in_a_text_field_and_f1_opens_help(svc):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("A", "n", "i", "question_mark")
        assert app.screen.query_one("#name").value == "Ani?"
        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        footer = [b.binding for b in app.screen.active_bindings.values()]
        assert all(b.key_display != "F1/?" for b in footer)


async def test_command_palette_speaks_indonesian(svc, learner):
    from textual.command import CommandInput, CommandList

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Langkah berikutnya", "Kerjakan Evaluasi MP1", "Kemajuan belajar", "Latihan", "Bantuan", "Keluar"} <= set(titles)
        assert not {"Keys", "Maximize", "Screenshot", "Quit", "Theme"} & set(titles)
        palette_keys = [b for b in app._bindings.key_to_bindings.get("ctrl+p", [])]
        assert palette_keys and all(b.description == "Perintah" for b in palette_keys)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one(CommandInput).placeholder == "Cari perintah…"
        await pilot.press(*"zzzqqq")
        await pilot.pause(0.8)
        options = app.screen.query_one(CommandList)
        assert "Tidak ada perintah yang cocok" in str(options.get_option_at_index(0).prompt.renderable)
        await pilot.press("escape")
        await settle(pilot)


def test_theme_reads_well_on_16_colour_terminals():
    from latsar.tui.app import pick_theme

    assert pick_theme({"TERM": "xterm"}) == "ansi-dark"
    assert pick_theme({"TERM": "linux"}) == "ansi-dark"
    assert pick_theme({"TERM": "xterm-256color"}) == "textual-dark"
    assert pick_theme({"COLORTERM": "truecolor", "TERM": "xterm"}) == "textual-dark"


@pytest.mark.parametrize("how", ["ctrl+q", "tab closed", "help open"])
async def test_leaving_from_the_reader_saves_reading_time_and_place_once(svc, learner, how):
    """However the app ends: a key, or the browser tab closed (the web driver posts ExitApp)."""
    from textual import messages

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-2")
        app.screen.query_one("#page").scroll_to(y=12, animate=False)
        await pilot.pause()
        calls = []
        reading = app.trainee.reading
        original = reading.record
        reading.record = lambda *args: (calls.append(args), original(*args))[1]
        if how == "tab closed":
            app.post_message(messages.ExitApp())
        elif how == "help open":
            await pilot.press("f1")
            await pilot.pause()
            app.post_message(messages.ExitApp())
        else:
            await pilot.press(how)
        await pilot.pause()
    assert len(calls) == 1 and calls[0][0] == "mp1-2" and calls[0][2] > 0
    (row,) = [s for s in svc.trainee(learner.id).progress().sections.values() if s.id == "mp1-2"]
    assert row.opened


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
    assert "secepat-cepatnya 600 kata per menit" in text and "dibaca sekilas" in text  # the reading rule, from the course
    assert svc.course.credit in text and "LAN" not in text


async def test_start_up_reads_the_map_once_and_gives_the_collector_back(svc, learner):
    import gc

    me_calls = []
    app = build_app(svc)
    original = app.trainee.progress
    gc.disable()  # as `latsar` does while starting
    try:
        app.trainee.progress = lambda: (me_calls.append(1), original())[1]
        app.io_first = app.io.submit(app.trainee.progress)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen) and app.screen.progress is not None
            assert gc.isenabled()  # the first screen is up: collecting again
        assert len(me_calls) == 1
    finally:
        gc.enable()


async def test_back_on_the_map_the_highlight_is_where_you_were_or_on_the_next_step(svc, learner, clock):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        map_list = app.screen.query_one("#map", OptionList)
        assert map_list.highlighted_option.id == "section:pengantar"
        await open_entry(pilot, "section:mp1-3")  # opened from the map
        await pilot.press("escape")
        await settle(pilot)
        assert map_list.highlighted_option.id == "section:mp1-3"
        await pilot.press("n")  # the next step, Kata Pengantar, read to its end
        await settle(pilot)
        clock.advance(svc.trainee(learner.id).reading.minimum("pengantar"))
        await pilot.press("end")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert map_list.highlighted_option.id == "section:bab1-a"  # now the next step


async def reader_at(pilot, entry: str):
    """The section ``entry`` opened from the map: the reader, its contents and its page."""
    from textual.containers import VerticalScroll

    await open_entry(pilot, entry)
    reader = pilot.app.screen
    return reader, reader.query_one("#contents", OptionList), reader.query_one("#page", VerticalScroll)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_reader_contents_never_squeeze_the_text(svc, learner, size):
    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        reader, toc, page = await reader_at(pilot, "section:mp1-2")
        wide = size[0] >= 110
        assert toc.display == wide and page.region.width >= 70  # beside the text only when there is room
        if wide:
            return
        await pilot.press("t")  # narrow: the contents take the page's place, at full width
        await settle(pilot)
        assert toc.display and not page.display and toc.region.width >= 70
        assert toc.highlighted_option.id == "mp1-2"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert reader.section_id == "mp1-3" and page.display and not toc.display


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
async def test_escape_in_the_readers_contents_closes_them_and_stays_in_the_reader(svc, learner, size):
    """Esc in the contents t opened closed them and left the reader too, for the map."""
    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        reader, toc, page = await reader_at(pilot, "section:mp1-2")
        await pilot.press("t")
        await settle(pilot)
        assert toc.display and not page.display and app.focused is toc
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is reader and reader.section_id == "mp1-2"
        assert page.display and not toc.display and app.focused is page
        await pilot.press("escape")  # from the page: back to the map, as before
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_registration_fields_say_in_full_what_they_want(tmp_path, size):
    """A label each, in view once the field is filled in (a placeholder is gone by then), and
    the hint in the field while it is empty; the screen opens at its top, the first field ready:
    the welcome, the form's title, every field and the button on the screen, at 60×20 too."""
    from textual.widgets import Input

    from latsar.services import open_services

    app = build_app(open_services(tmp_path / "baru.db"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        text = "\n".join(screen_rows(app))
        for words in ("Selamat datang di latsar", "Peserta baru (Tab pindah kolom, Enter lanjut)", "wajib", "18 angka (boleh kosong)", "Daftar dan mulai"):
            assert words in text, words
        assert isinstance(app.focused, Input) and app.focused.id == "name"
        await pilot.press(*"Budi", "enter", *"199001012020122001", "enter", *"Angkatan 7", "enter", *"BKN")
        await settle(pilot)
        rows = screen_rows(app)
        for label, value in (("Nama lengkap", "Budi"), ("NIP", "199001012020122001"), ("Angkatan", "Angkatan 7"), ("Instansi", "BKN")):
            assert any(label in row for row in rows), label
            assert app.screen.query_one(f"#{dict(NIP='nip', Angkatan='cohort', Instansi='instansi').get(label, 'name')}", Input).value == value
        assert "Selamat datang di latsar" in rows[2] and any("Daftar dan mulai" in row for row in rows)


async def test_a_wrong_nip_is_said_whole_at_60_columns(tmp_path):
    """ "NIP harus 18 angka, bukan 5." stays on one line ("…, bukan" / "5." read as two things)."""
    from latsar.services import open_services

    app = build_app(open_services(tmp_path / "baru.db"))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press(*"Budi", "enter", *"12345", "enter")
        await settle(pilot)
        assert any("NIP harus 18 angka, bukan 5." in row for row in screen_rows(app))
        error = app.screen.query_one("#form-error")
        error.styles.width = 30  # narrower than the message: it breaks between its clauses
        await settle(pilot)
        rows = screen_rows(app)
        assert any("NIP '12345' tidak sah: " in row.ljust(99) for row in rows), rows
        assert any("NIP harus 18 angka, bukan 5." in row for row in rows), rows


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_leaving_an_evaluation_keeps_its_answers_and_says_so(svc, learner, key):
    from latsar.tui.screens.home import HomeScreen

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, MP1_KEY[:3])
        await pilot.press(key)  # a newcomer's q closes the evaluation, as Esc does
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Jawaban tersimpan (3 dari 10)" in notes(app)
    assert svc.trainee(learner.id).progress().evaluations["mp1"].open.answered == 3


async def test_a_long_answer_option_wraps_under_its_text_not_under_its_letter(svc, learner):
    take(svc.trainee(learner.id), "mp1", MP1_KEY)
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp2")
        await answer_all(pilot, "cbdd")  # question 5 has four options of three or four lines each
        rows = screen_rows(app)
        first = next(i for i, r in enumerate(rows) if "○ a. " in r)
        text_at = rows[first].index("○ a. ") + len("○ a. ")
        following = rows[first + 1]
        assert following[:text_at].strip(" │") == "" and following[text_at] != " ", following


async def test_practice_feedback_keeps_each_options_wrapped_lines_under_its_text(svc, learner):
    import re

    take(svc.trainee(learner.id), "mp1", MP1_KEY)  # the cases open with Materi Pokok 2
    app = build_app(svc)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("home")  # the options, above the feedback
        app.screen.query_one("#practice-area").scroll_home(animate=False)
        await settle(pilot)
        rows = screen_rows(app)
        lead = re.compile(r"[✓✗ ] [a-d]\. ")
        wrapped = 0
        for i, row in enumerate(rows[:-1]):
            found = lead.search(row)
            follow = rows[i + 1]
            if found and "│" in row and not lead.search(follow) and follow.strip(" │"):
                text_at = found.end()
                assert follow[:text_at].strip(" │") == "" and follow[text_at] != " ", (row, follow)
                wrapped += 1
        assert wrapped, rows


async def test_the_readers_contents_mark_what_is_read_and_what_is_locked(svc, learner, clock):
    me = svc.trainee(learner.id)
    read_through(me, "mp1-1", clock)
    app = build_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:  # wide: the contents stand beside the text
        await settle(pilot)
        await open_entry(pilot, "section:mp1-2")
        await settle(pilot)
        reader = app.screen
        assert reader.marks["mp1-1"] == "✓" and reader.marks["mp2-1"] == "⊘" and reader.marks["mp1-3"] == " "
        rows = screen_rows(app)
        assert any(r.startswith("│ ✓ 1. Pengertian Pelayanan") for r in rows)  # what the trainee sees
        title = next(i for i, r in enumerate(rows) if "4. Nilai Berorientasi" in r)
        assert rows[title + 1].startswith("│   ")  # a wrapped title stays under its text
        clock.advance(me.reading.minimum("mp1-2"))
        await pilot.press("end")
        await settle(pilot)
        assert reader.marks["mp1-2"] == "✓"  # read to its end here: marked at once


async def test_an_evaluation_submitted_in_another_window_is_not_said_to_be_saved_here(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, MP1_KEY[:2])
        me = svc.trainee(learner.id)
        me.attempts.submit(open_attempt(me, "mp1").id)  # the other browser tab submits
        await answer_all(pilot, "a")  # refused here: the attempt is closed
        await pilot.press("escape")
        await settle(pilot)
        said = notes(app)
        assert "sudah dikumpulkan di jendela lain" in said and "Jawaban tersimpan (" not in said


def test_the_app_ends_while_a_service_call_is_finishing_without_hanging(tmp_path):
    """Leaving while the I/O thread is finishing a call (a presence report, a save) used to hang
    for ever: the app waited for the I/O thread, which waited for the app to run its callback."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import asyncio, time
        from latsar.services import open_services
        from latsar.tui.app import build_app

        svc = open_services({str(tmp_path / "h.db")!r})
        learner = svc.learners.add("Ani")

        async def main():
            app = build_app(svc, learner.id)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                app.ask(time.sleep, 0.5, done=lambda _: None)  # still running when the app ends

        asyncio.run(main())
        print("ended")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0 and "ended" in done.stdout, done.stderr[-2000:]


QUIT_PLACES = {
    "map": None,
    "reader": "section:mp1-1",
    "evaluation": "evaluation:mp1",
    "practice": "l",
    "progress": "p",
    "help": "f1",
    "palette": "ctrl+p",
}


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
@pytest.mark.parametrize("place", list(QUIT_PLACES))
async def test_ctrl_c_and_ctrl_q_quit_from_every_screen_in_indonesian(svc, learner, place, key):
    """Textual's Ctrl+C only said "Do you want to quit? Press ctrl+q" (in English) and stayed:
    here both keys leave, from anywhere, and the terminal is told that nothing is lost."""
    from latsar.tui.run import goodbye

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        how = QUIT_PLACES[place]
        if how and ":" in how:
            await open_entry(pilot, how)
        elif how:
            await pilot.press(how)
            await settle(pilot)
        if place == "evaluation":
            await pilot.press("b", "right", "c")  # two answers given
            await settle(pilot)
        assert app.return_code is None
        await pilot.press(key)
        await pilot.pause()
        assert app.return_code == 0, (place, key)
        assert "quit" not in notes(app).lower()
    said = goodbye(svc, app.trainee)
    assert said.startswith("Keluar dari latsar. Semua jawaban dan posisi baca sudah tersimpan.")
    if place == "evaluation":
        assert "Evaluasi MP1 belum dikumpulkan (2 dari 10 soal dijawab): lanjutkan dari peta modul." in said


async def test_ctrl_c_in_a_text_field_quits_and_q_types_itself(svc):
    from textual.widgets import Input

    app = build_app(svc)  # nobody registered: the form
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("q")
        assert app.focused.value == "q" and app.return_code is None
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.return_code == 0


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_every_key_of_the_footer_shows_on_a_small_screen(svc, learner, size):
    """Textual's one-row footer cut "u Peserta" on the map and "t Daftar isi" in the reader at
    60 columns: every shown key, and the palette's, is on the screen, none cut in two."""
    from textual.widgets._footer import FooterKey

    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for place in (None, "section:mp1-1", "evaluation:mp1"):
            if place:
                await pilot.press("escape")
                await settle(pilot)
                await open_entry(pilot, place)
            await pilot.pause()
            screen = app.screen
            keys = [k for k in screen.query(FooterKey)]
            shown = {b.binding.description for b in screen.active_bindings.values() if b.binding.show} | {"Perintah"}
            assert {k.description for k in keys} == shown, place
            rows = screen_rows(app)[-3:]
            for key in keys:
                assert any(f"{key.key_display} {key.description}" in row for row in rows), (place, key.description, rows)
                assert key.region.right <= size[0], (place, key.description)


async def test_a_registration_refused_at_60x20_shows_why_and_the_button(svc):
    app = build_app(svc)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press(*"Budi", "enter", *"123", "enter")
        await settle(pilot)
        text = " ".join(screen_rows(app))
        assert "NIP harus 18 angka" in text and "Daftar dan mulai" in text


async def test_a_resumed_evaluation_at_60x20_opens_on_its_question(svc, learner):
    me = svc.trainee(learner.id)
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented[:4], "bccb"):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
    app = build_app(svc)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen)
        area = app.screen.query_one("#question-area")
        assert area.scroll_y == 0 and "5. Secara sederhana" in " ".join(screen_rows(app))


async def test_the_score_line_and_restudy_titles_wrap_whole_at_60_columns(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "evaluation:mp1")
        await answer_all(pilot, "bccbacaaab")
        await submit(pilot)
        rows = screen_rows(app)
        assert any("(batas lulus 80%)" in r for r in rows), rows
        title = next(i for i, r in enumerate(rows) if "4. Nilai Berorientasi" in r)
        assert rows[title + 1].startswith(" │   "), rows  # the wrapped title stays under its text


async def test_the_palette_finds_a_section_by_its_title_and_opens_it(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Nilai Berorientasi")
        await pilot.pause(0.8)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.section_id == "mp1-4"


async def test_c_on_a_section_without_a_check_says_why(svc, learner):
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:bab1-a")
        assert not svc.course.checks_for("bab1-a")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and "tidak memiliki Cek Pemahaman" in notes(app)
        await pilot.press("escape")
        await settle(pilot)
        app.clear_notifications()
        await open_entry(pilot, "section:bab1-a", key="c")
        assert "tidak memiliki Cek Pemahaman" in notes(app)


async def test_slash_searches_this_section_then_the_module_and_opens_at_the_match(svc, learner):
    from textual.widgets import Input

    from latsar.tui.dialogs.search import SearchDialog

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")
        await pilot.press("slash")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SearchDialog) and isinstance(app.focused, Input)
        await pilot.press(*"kode etik", "enter")
        await settle(pilot)
        sections = [m.section_id for m in dialog.matches]
        assert sections and sections == sorted(sections, key=lambda sid: [s.id for s in svc.course.reading_order()].index(sid))
        assert not any(sid.startswith("mp2") for sid in sections)  # closed by the gate: not searched
        assert "di bagian lain" in widget_text(app, "#search-said")
        first_mp1_4 = next(i for i, m in enumerate(dialog.matches) if m.section_id == "mp1-4")
        match = dialog.matches[first_mp1_4]
        await pilot.press("down")
        results = dialog.query_one("#search-results", OptionList)
        results.highlighted = next(i for i in range(results.option_count) if results.get_option_at_index(i).id == str(first_mp1_4))
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.section_id == "mp1-4"
        assert reader.page.scroll_y > 0  # at the match, not at the top
        assert " ".join(match.snippet.strip("…").split()[:4]) in " ".join(" ".join(screen_rows(app)).split())
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"zzzqqq", "enter")
        await settle(pilot)
        assert "tidak ditemukan" in widget_text(app, "#search-said")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)


async def test_down_from_the_search_field_lands_on_the_first_result(svc, learner):
    """↓ went past the first result to the second: "↓ then Enter" opened the wrong section."""
    from latsar.tui.dialogs.search import SearchDialog

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-1")
        await pilot.press("slash")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SearchDialog)
        await pilot.press(*"kode etik", "enter")
        await settle(pilot)
        first = dialog.matches[0]
        assert first.section_id != dialog.matches[1].section_id or first.line != dialog.matches[1].line
        await pilot.press("down")
        await settle(pilot)
        results = dialog.query_one("#search-results", OptionList)
        assert app.focused is results and results.highlighted_option.id == "0"
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.section_id == first.section_id


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=["60x20", "80x24", "120x40"])
async def test_the_search_dialog_fits_between_the_title_bar_and_the_footer(svc, learner, size):
    """At 60x20 it covered the title bar and ran off the bottom of the screen; at 80x24 it
    covered the footer. Its results scroll in the room that is left."""
    from latsar.tui.dialogs.search import SearchDialog

    width, height = size
    app = build_app(svc)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await search_in(pilot, "mp1-1", "kode etik")
        dialog = app.screen
        assert isinstance(dialog, SearchDialog)
        box = dialog.query_one("#dialog").region
        results = dialog.query_one("#search-results", OptionList)
        assert box.y >= 1 and box.bottom <= height - 2 and box.x >= 0 and box.right <= width  # title bar and footer rows free
        assert box.contains_region(results.region) and results.region.height >= 3
        rows = screen_rows(app)
        assert "▄" * 10 in rows[box.bottom - 1]  # the dialog's bottom edge is drawn, not cut off
        assert rows[-1].strip() and "Esc" not in rows[0]  # the reader's footer and title bar still show
        await pilot.press("down", "end")  # the last result, scrolled to, inside the dialog
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        assert results.highlighted == results.option_count - 1
        assert results.max_scroll_y > 0 or height >= 40
        assert box.contains_region(results.region)


async def test_back_from_a_section_check_the_map_stays_on_its_row(svc, learner):
    from latsar.tui.screens.check import CheckScreen

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_entry(pilot, "section:mp1-3", key="c")
        assert isinstance(app.screen, CheckScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#map", OptionList).highlighted_option.id == "section:mp1-3"  # a second c: the same check


async def test_editing_keys_in_a_burst_edit_where_they_were_typed(svc):
    """Backspace, Home, Ctrl+K … are bindings, which Textual runs only after the characters queued
    behind them: "12345", five Backspaces and an NIP in one burst left "123451992031520190"."""
    from textual import events
    from textual.widgets import Input

    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        nip = app.screen.query_one("#nip", Input)
        nip.focus()
        nip.value = "12345"
        nip.cursor_position = 5
        await settle(pilot)
        keys = [("backspace", None)] * 5 + [(c, c) for c in "199203152019031004"]
        keys += [("home", None), ("delete", None), ("delete", None), ("9", "9"), ("end", None), ("left", None), ("backspace", None), ("7", "7")]
        for key, character in keys:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert nip.value == "99203152019031074"  # as typed slowly (without Field running them: "920315201901")


# -- found walking the app at 60×20 in tmux: what a short screen keeps, where lines break -------------


async def _fail_mp1(pilot) -> None:
    await settle(pilot)
    await open_entry(pilot, "evaluation:mp1")
    await pilot.press(*"bccbacaaab")
    await settle(pilot)
    await submit(pilot)
    await pilot.press("escape")
    await settle(pilot)


async def test_after_a_failed_attempt_the_map_keeps_most_of_a_short_screen(svc, learner):
    """60×20: the panel below the map took 10 rows and left the list 4; now the list keeps most
    of the height, the next step comes first, and no fact is broken over two lines."""
    app = build_app(svc)
    async with app.run_test(size=(60, 20)) as pilot:
        await _fail_mp1(pilot)
        assert isinstance(app.screen, HomeScreen)
        home = app.screen
        map_rows = home.query_one("#map").scrollable_content_region.height
        side = home.query_one("#side")
        assert map_rows >= 7 and map_rows > side.region.height, (map_rows, side.region.height)
        assert side.region.height <= 0.45 * home.query_one("#home").region.height
        rows = screen_rows(app)
        panel = rows[side.region.y : side.region.bottom]
        assert panel[0].startswith(" Berikutnya (n): Pelajari ulang")
        for fact in ("terbaik 6/10 (60%)", "Dibaca: 0/23 bagian", "belum lulus, pelajari ulang dulu", "Evaluasi MP2: ⊘ terkunci"):
            assert any(fact in row for row in panel), (fact, panel)
        # The map's own row: the status goes whole below the title ("pelajari" / "ulang dulu").
        map_list = home.query_one("#map", OptionList)
        map_list.highlighted = map_list.get_option_index("evaluation:mp1")
        map_list.scroll_to_highlight()
        await settle(pilot)
        region = map_list.region
        shown = screen_rows(app)[region.y : region.bottom]
        assert any("↻ C. Evaluasi Materi Pokok 1" in row for row in shown), shown
        assert any("│    belum lulus, pelajari ulang dulu" in row for row in shown), shown


async def test_beside_the_map_each_fact_of_an_evaluation_has_its_own_line(svc, learner):
    """120×40: "↻ belum lulus, pelajari ulang dulu" / "· terbaik 7/10 (70%)" wrapped mid-phrase."""
    app = build_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await _fail_mp1(pilot)
        side = app.screen.query_one("#side").region
        panel = [row[side.x : side.right] for row in screen_rows(app)[side.y : side.bottom]]
        assert any("│ ↻ belum lulus, pelajari ulang dulu │" in row for row in panel), panel
        assert any("│ terbaik 6/10 (60%)" in row for row in panel), panel
        assert any("│ Dibaca: 0/23 bagian" in row for row in panel), panel


def test_the_goodbye_is_wrapped_to_the_terminal_and_claims_nothing_before_anyone_signed_in(svc, learner):
    from latsar.tui.run import goodbye

    me = svc.trainee(learner.id)
    view = me.attempts.start_or_resume("mp1")
    me.attempts.answer(view.id, view.presented[0].question.id, view.presented[0].canonical("b"))
    said = goodbye(svc, me, 60)
    assert said.startswith("Keluar dari latsar.")
    lines = said.split("\n")
    assert len(lines) > 1 and all(len(line) < 60 for line in lines), lines
    assert " ".join(lines) == goodbye(svc, me)  # whole words only: nothing cut, nothing lost
    assert "tersimpan" in said and "Evaluasi MP1 belum dikumpulkan" in " ".join(lines)
    nobody = goodbye(svc, None, 60)
    assert "tersimpan" not in nobody and "jawaban" not in nobody
    assert nobody.replace("\n", " ") == "Keluar dari latsar; belum ada peserta yang masuk. Buka lagi dengan: latsar"


async def test_ctrl_c_on_the_first_registration_says_goodbye_without_saved_answers(svc):
    from latsar.tui.run import goodbye

    app = build_app(svc)  # nobody registered: the form
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press(*"Bud", "ctrl+c")
        await pilot.pause()
        assert app.return_code == 0
    said = goodbye(svc, app.trainee, 60)
    assert "tersimpan" not in said and "belum ada peserta yang masuk" in said


async def test_progress_at_60_columns_shows_every_column_of_the_history(svc, learner, clock):
    """The table was cut on the right ("Hasi", "belu"); a minute not yet reached read "0 menit"."""
    me = svc.trainee(learner.id)
    me.reading.open("pengantar")
    me.reading.record("pengantar", 30)  # half a minute on the page
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented, "bccbacaaab"):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
        clock.advance(2)
    me.attempts.submit(view.id)
    app = build_app(svc)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        text = "\n".join(screen_rows(app))
        assert "Waktu membaca: < 1 menit · waktu evaluasi: < 1 menit" in text, text
        table = app.screen.query_one("#history")
        app.screen.query_one("#progress").scroll_to_widget(table, animate=False)
        await settle(pilot)
        region = table.region
        rows = [row[region.x : region.right] for row in screen_rows(app)[region.y : region.bottom]]
        assert any("Hasil" in row for row in rows) and any("belum lulus" in row for row in rows), rows
        assert table.virtual_size.width <= region.width  # nothing to the right of what shows


def test_a_duration_under_a_minute_is_said_so():
    from latsar.services.presentation import format_duration

    assert [format_duration(s) for s in (0, 1, 59, 60, 3600 + 300)] == ["0 menit", "< 1 menit", "< 1 menit", "1 menit", "1 jam 5 menit"]


async def test_short_lines_break_between_facts_at_60_and_80_columns(svc, learner):
    """Practice's header ("0 dari" / "22 soal pernah dicoba"), the evaluation's ("· 1 ditandai"
    alone), the reader's breadcrumb ("Publik  ›" / "1. Pengertian…")."""
    take(svc.trainee(learner.id), "mp1", MP1_KEY)  # the cases open with Materi Pokok 2
    for size in ((60, 20), (80, 24)):
        app = build_app(svc)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            rows = screen_rows(app)
            assert any("0 dari 22 soal pernah dicoba" in row for row in rows[:4]), rows[:4]
            await pilot.press("escape")
            await settle(pilot)
            await open_entry(pilot, "section:mp1-1")
            rows = screen_rows(app)
            assert rows[1].strip() == "BAB II Materi Pokok 1: Konsep Pelayanan Publik", rows[:3]
            assert rows[2].strip() == "› 1. Pengertian Pelayanan Publik", rows[:3]
            if size == (60, 20):
                await pilot.press("escape")
                await settle(pilot)
                await open_entry(pilot, "evaluation:mp2")  # MP1 is passed: MP2 is open
                await pilot.press("b", "c", "f")
                await settle(pilot)
                rows = screen_rows(app)
                assert rows[1].strip() == "Evaluasi MP2 · soal 3 dari 10 · 2 dijawab · 1 ditandai", rows[:3]


@pytest.mark.parametrize("size", [(60, 20), (120, 40)])
async def test_the_map_says_the_instansi_given_at_registration_and_shows_the_journals_key(svc, size):
    me = svc.learners.add("Rina Kartika", "199001012020122001", "Angkatan 7", instansi="Dinas Kesehatan")
    app = build_app(svc, me.id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        text = "\n".join(screen_rows(app))
        assert "Dinas Kesehatan" in text, text
        assert "j Jurnal" in text, text
