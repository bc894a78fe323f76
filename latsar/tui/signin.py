"""Who is signed in: choosing a learner (after their PIN), entering their map, changing one's
PIN, and starting again from nobody when a restore has changed the database underneath."""

from __future__ import annotations

from typing import TYPE_CHECKING

from latsar.errors import Restored

if TYPE_CHECKING:
    from latsar.services import Trainee
    from latsar.tui.app import LatsarApp


class SignIn:
    def __init__(self, app: LatsarApp) -> None:
        self.app = app

    def choose(self, learner_id: int) -> None:
        """Open a learner's record: after their PIN, when they have one."""
        from latsar.tui.dialogs.pin import PinDialog

        app = self.app
        services = app.services

        def known(has_pin: bool) -> None:
            if not has_pin:
                self.enter(services.trainee(learner_id))
                return

            def signed_in(trainee: Trainee | None) -> None:
                if trainee is not None:
                    self.enter(trainee)

            app.push_screen(PinDialog(services.learners.get(learner_id)), signed_in)

        app.ask(services.pins.has, learner_id, done=known)

    def enter(self, trainee: Trainee) -> None:
        """The trainee's map, for this trainee and nobody else."""
        from latsar.tui.screens.home import HomeScreen

        app = self.app
        app.trainee = trainee
        app.io_first = None
        app.classroom.signed_in(trainee.id)
        if app.back_to(HomeScreen) is None:  # the map below shows whoever is signed in now
            app.push_screen(HomeScreen())
        app.classroom.report()

    def sign_out(self) -> None:
        """Back to the classroom's login, or the choice of learner, with nobody signed in."""
        from latsar.tui.screens.learner import LearnerScreen
        from latsar.tui.screens.login import LoginScreen

        app = self.app
        app.trainee = None
        app.io_first = None
        app.classroom.signed_in(None)
        below = app.back_to(LoginScreen if app.serve else LearnerScreen)
        if isinstance(below, LearnerScreen):
            below.start_over()  # whoever is registered now
        elif below is None:
            while len(app.screen_stack) > 1:
                app.pop_screen()
            if not app.serve:
                app.push_screen(LearnerScreen())

    def restored(self, exc: Restored) -> None:
        """The database was restored from a backup under this app: whoever was signed in may be
        someone else in it now, and what screens hold may be gone. Say so, take the database as
        it is, and start again from the login (or the choice of learner)."""
        app = self.app
        app.notify(exc.message, severity="warning", timeout=20, markup=False)
        app.ask(app.services.db.adopt)
        self.sign_out()

    def change_pin(self) -> None:
        from latsar.tui.dialogs.pin import ChangePinDialog

        app = self.app
        me = app.current_trainee()

        def changed(ok: bool | None) -> None:
            if ok:
                app.notify("PIN baru tersimpan.", timeout=4, markup=False)

        app.ask(app.services.pins.has, me.id, done=lambda has: app.push_screen(ChangePinDialog(has), changed))
