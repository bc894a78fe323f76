"""A typed base for latsar's screens: the app, its services, and the current trainee."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from latsar.errors import LatsarError
from latsar.services.presence import Activity
from latsar.tui.io import Answered, Done, Failed
from latsar.tui.wrap import Kept, clauses

if TYPE_CHECKING:
    from textual.events import DescendantFocus

    from latsar.services import Services, Trainee
    from latsar.tui.app import LatsarApp

ResultType = TypeVar("ResultType")
T = TypeVar("T")

STYLES = Path(__file__).parent / "styles"


def styles(*names: str) -> str:
    """A screen's own rules (its ``DEFAULT_CSS``), from ``styles/``: parsed when the screen is
    first shown, and only they (Textual adds a new widget's default CSS to what it has parsed;
    a screen's ``CSS_PATH`` would make it parse every stylesheet again, ~10–30 ms each time).
    The app's stylesheet holds only what every screen shares and the module map, the first
    screen: nothing else is parsed before it is painted."""
    return "\n".join((STYLES / f"{name}.tcss").read_text(encoding="utf-8") for name in names)


class _OfLatsar:
    """The typed way from a screen to the app and its services, and its service calls."""

    @property
    def latsar(self) -> LatsarApp:
        return cast("LatsarApp", cast("Screen[Any]", self).app)

    @property
    def services(self) -> Services:
        return self.latsar.services

    def io(self, fn: Callable[..., T], *args: Any, done: Done[T] | None = None, failed: Failed | None = None) -> Future[T]:
        """Run a service call off the UI thread; ``done(result)`` (or ``failed(refusal)``) then
        runs here, on the UI thread, if this screen is still open (``latsar.tui.io``)."""
        app = self.latsar
        return app.io.ask(cast("Screen[Any]", self), app, fn, *args, done=done, failed=failed)

    def on_answered(self, message: Answered) -> None:
        message.deliver(self.latsar)


class Form:
    """A screen whose text fields (`latsar.tui.widgets.fields.Field`) Enter moves through, with
    one line (``ERROR``) saying what is wrong.

    The field calls `entered` itself, in order with the characters typed before the Enter, and
    `entered` moves on with `Screen.set_focus`, which takes effect at once (`Widget.focus()` is
    queued behind the keys already typed): a fast typist's or a password manager's PIN never
    lands in the NIP field.

    What is wrong stays said until one of the fields it names is changed. The changes of a fast
    typist's keys before that Enter arrive after it, while the field still holds the value found
    wrong: they leave the message standing (it used to vanish at once, so nothing seemed to
    happen)."""

    ERROR = "#form-error"
    SUBMIT: str | None = None  # the form's button, kept in view below the field being filled in
    _wrong: dict[str, str] | None = None  # the fields the message names, and the values they held
    # Keys bound on this form that open a screen above it (F2 on the login). A field runs them
    # in order with the characters typed before them, and holds those typed after until the
    # screen above takes them (`release`): a passphrase typed with F2 never lands in the NIP field.
    DOORS: frozenset[str] = frozenset()
    held: list[events.Key] | None = None
    quiet_focus = False  # the next focus leaves the scroll where it is (a form opening at its top)

    def entered(self, field: Input) -> None:
        raise NotImplementedError

    def release(self) -> list[events.Key]:
        """The keys held since a door was opened, for the screen it opened; none are held after."""
        held, self.held = self.held or [], None
        return held

    def fail(self, message: str, field: Input, *also: Input) -> None:
        """Say ``message`` about ``field`` (and ``also``), and put the focus on ``field``."""
        screen = cast("Screen[Any]", self)
        self._wrong = {f.id or "": f.value for f in (field, *also)}
        screen.query_one(self.ERROR, Static).update(Kept(clauses(message)))
        screen.set_focus(field)
        self.keep_in_view(field)

    def keep_in_view(self, field: Input) -> None:
        """On a short screen (60×20) the message and the button sit below the fields: scroll so
        that they show with ``field`` (else Enter seems to do nothing)."""
        screen = cast("Screen[Any]", self)

        def show() -> None:
            below = [screen.query_one(self.SUBMIT)] if self.SUBMIT else []
            for widget in (*below, screen.query_one(self.ERROR), field):
                widget.scroll_visible(animate=False, immediate=True)

        screen.call_after_refresh(show)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if self.quiet_focus:
            self.quiet_focus = False
            return
        if isinstance(event.widget, Input) and self.SUBMIT:
            self.keep_in_view(event.widget)

    def secret_from(self, field: Input, missing: str) -> str | None:
        """What was typed in a secret ``field`` (a PIN, the passphrase), the field emptied so the
        secret never stays on screen; None, with ``missing`` said, when nothing was typed."""
        value = field.value
        field.value = ""
        if not value:
            self.fail(missing, field)
            return None
        return value

    def refusal_at(self, field: Input) -> Callable[[LatsarError], None]:
        """A service's refusal, said about ``field``."""
        return lambda exc: self.fail(exc.message, field)

    def clear_error(self) -> None:
        self._wrong = None
        cast("Screen[Any]", self).query_one(self.ERROR, Static).update("")

    def on_input_changed(self, event: Input.Changed) -> None:
        wrong = self._wrong
        if wrong is not None and event.input.id in wrong and event.input.value not in (wrong[event.input.id], ""):
            self.clear_error()


class LatsarScreen(_OfLatsar, Screen[ResultType]):
    @property
    def trainee(self) -> Trainee:
        return self.latsar.current_trainee()

    def save_state(self) -> None:
        """Keep whatever this screen would lose when the app quits (the reader's place)."""

    def activity(self) -> tuple[Activity, str | None]:
        """What the trainee is doing here, for the instructor's live view of the classroom."""
        return Activity.HOME, None

    def attempt_counts(self) -> tuple[int, int] | None:
        """Questions answered and asked, on a screen that holds an evaluation's attempt."""
        return None


class LatsarModal(_OfLatsar, ModalScreen[ResultType]):
    DEFAULT_CSS = styles("dialogs")
    SCOPED_CSS = False  # the rules name the dialogs themselves (``align``)
