"""Where each "open this" leads: sections, evaluations, practice, checks, the next step,
progress, results, the instructor's view, the map. The app routes the navigation messages
(``latsar.tui.messages``) here; screens never push or switch one another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from latsar.services.values import AttemptResult, AttemptView, EntryKind, Target

if TYPE_CHECKING:
    from latsar.course import Question, Section
    from latsar.services import Instructor
    from latsar.services.journal import EntryDetail
    from latsar.tui.app import LatsarApp


class Navigator:
    def __init__(self, app: LatsarApp) -> None:
        self.app = app

    def open(self, target: Target) -> None:
        if target.kind is EntryKind.SECTION:
            self.section(target.id)
        elif target.kind is EntryKind.EVALUATION:
            self.evaluation(target.id)
        elif target.kind is EntryKind.PRACTICE:
            self.practice()
        elif target.kind is EntryKind.JOURNAL:
            self.journal(behaviour=target.id or None)
        elif target.kind is EntryKind.JOURNAL_ENTRY:
            self.journal(entry_id=int(target.id))

    def section(self, section_id: str) -> None:
        from latsar.tui.screens.reader import ReaderScreen

        app = self.app

        def opened(section: Section) -> None:
            app.push_screen(ReaderScreen(section))

        app.ask(app.current_trainee().reading.open, section_id, done=opened)

    def evaluation(self, evaluation_id: str) -> None:
        """Resume or start an attempt; after a pass, ask first (the rule is the services')."""
        from latsar.tui.dialogs.confirm import Confirm
        from latsar.tui.screens.quiz import QuizScreen

        app = self.app
        me = app.current_trainee()

        def opened(view: AttemptView) -> None:
            app.push_screen(QuizScreen(view))

        def start(go: bool | None = True) -> None:
            if go:
                app.ask(me.attempts.start_or_resume, evaluation_id, done=opened)

        def decide(question: str | None) -> None:
            if question is None:
                start()
            else:
                app.push_screen(Confirm(question, "Mulai percobaan baru", "Batal"), start)

        app.ask(me.attempts.retake_question, evaluation_id, done=decide)

    def practice(self) -> None:
        app = self.app
        if app.services.course.practice is None:
            app.notify("Paket materi ini tidak memiliki latihan.", timeout=4, markup=False)
            return
        from latsar.tui.screens.practice import PracticeScreen

        # Opened with its first question: with none open yet, the map stays and says why.
        app.ask(app.current_trainee().practice.next, done=lambda card: app.push_screen(PracticeScreen(card)))

    def journal(self, behaviour: str | None = None, entry_id: int | None = None) -> None:
        """The journal; over it, the form for ``behaviour`` or for revising ``entry_id``."""
        app = self.app
        if app.services.course.journal is None:
            app.notify("Paket materi ini tidak memiliki jurnal aktualisasi.", timeout=4, markup=False)
            return
        from latsar.tui.screens.journal import JournalScreen

        app.push_screen(JournalScreen(entry_id))
        if behaviour is not None or entry_id is not None:
            self.journal_form(behaviour, entry_id)

    def journal_form(self, behaviour: str | None = None, entry_id: int | None = None) -> None:
        """Write an entry, or a new version of one the coach has not yet found "sesuai"."""
        from latsar.tui.screens.journal_form import JournalFormScreen

        app = self.app
        if entry_id is None:
            app.push_screen(JournalFormScreen(behaviour))
            return

        def opened(entry: EntryDetail) -> None:
            if entry.editable:
                app.push_screen(JournalFormScreen(entry.record.content.behaviour, entry))
            else:
                app.notify(f"Entri {entry_id} sudah dinilai sesuai oleh coach; entri itu tidak diubah lagi.", timeout=6, markup=False)

        app.ask(app.current_trainee().journal.entry, entry_id, done=opened)

    def check(self, section_id: str) -> None:
        from latsar.tui.screens.check import CheckScreen

        app = self.app

        def opened(questions: tuple[Question, ...]) -> None:
            if questions:
                app.push_screen(CheckScreen(section_id, questions))
            else:
                app.notify(app.services.voice.no_check(), timeout=4, markup=False)

        app.ask(app.current_trainee().practice.checks, section_id, done=opened)

    def next_step(self) -> None:
        app = self.app

        def go(step: tuple[Target | None, str]) -> None:
            target, sentence = step
            if target is None:
                app.notify(sentence, timeout=6, markup=False)
            else:
                self.open(target)

        def next_step() -> tuple[Target | None, str]:
            found = app.current_trainee().progress().next_step
            return found.target, app.services.voice.next_step(found)

        app.ask(next_step, done=go)

    def progress(self) -> None:
        from latsar.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen())

    def result(self, result: AttemptResult) -> None:
        """The result takes the evaluation's place: Esc from it goes to the map."""
        from latsar.tui.screens.result import ResultScreen

        self.app.switch_screen(ResultScreen(result))

    def home(self) -> None:
        """Back to the module map."""
        from latsar.tui.screens.home import HomeScreen

        self.app.back_to(HomeScreen)

    def instructor(self) -> None:
        from textual import events

        from latsar.tui.base import Form
        from latsar.tui.dialogs.passphrase import PassphraseDialog
        from latsar.tui.screens.instructor import InstructorScreen

        app = self.app
        below = app.screen
        # Keys a form's door held (F2 on the login), wherever that form is in the stack now (a
        # palette may have opened above it meanwhile): never left held.
        held = [key for screen in app.screen_stack if isinstance(screen, Form) and screen.held is not None for key in screen.release()]
        later = app.release_keys()  # typed after those (the map's i holds them at the app)
        if app.serve and app.trainee is not None:
            app.notify("Tampilan pengampu dibuka dari layar masuk: keluar dulu, lalu tekan F2.", timeout=6, markup=False)
            for key in held:  # given back where they were typed
                (below.focused or below).post_message(events.Key(key.key, key.character))
            for key in later:
                app.post_message(events.Key(key.key, key.character))
            return

        def unlocked(instructor: Instructor | None) -> None:
            if instructor is not None:
                app.classroom.tell_server("signed-in", "instructor")
                app.push_screen(InstructorScreen(instructor))

        dialog = PassphraseDialog()
        app.push_screen(dialog, unlocked)
        dialog.hold(held + later)

    def switch_learner(self) -> None:
        from latsar.tui.screens.learner import LearnerScreen

        app = self.app
        if app.serve:
            return  # a classroom session is one trainee's: there is nobody to switch to
        below = app.back_to(LearnerScreen)
        if isinstance(below, LearnerScreen):
            below.start_over()
        else:
            self.home()
            app.push_screen(LearnerScreen())

    def help(self) -> None:
        from latsar.tui.dialogs.help import HelpScreen

        if not isinstance(self.app.screen, HelpScreen):
            self.app.push_screen(HelpScreen())
