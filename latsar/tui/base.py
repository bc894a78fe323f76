"""A typed base for latsar's screens: the app, its services, and the current trainee."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from latsar.services.presence import Activity

if TYPE_CHECKING:
    from latsar.services import Services, Trainee
    from latsar.tui.app import LatsarApp

ResultType = TypeVar("ResultType")

STYLES = Path(__file__).parent / "styles"


def styles(*names: str) -> list[str | Path]:
    """A screen's own stylesheets (``CSS_PATH``), read when the screen is first shown. The app's
    stylesheet holds only what every screen shares and the module map, the first screen: nothing
    else is parsed before it is painted."""
    return [STYLES / f"{name}.tcss" for name in names]


class _OfLatsar:
    """The typed way from a screen to the app and its services."""

    app: object

    @property
    def latsar(self) -> LatsarApp:
        return cast("LatsarApp", self.app)

    @property
    def services(self) -> Services:
        return self.latsar.services


class Form:
    """A screen whose text fields (`latsar.tui.widgets.fields.Field`) Enter moves through.

    The field calls `entered` itself, in order with the characters typed before the Enter, and
    `entered` moves on with `Screen.set_focus`, which takes effect at once (`Widget.focus()` is
    queued behind the keys already typed): a fast typist's or a password manager's PIN never
    lands in the NIP field."""

    def entered(self, field: Input) -> None:
        raise NotImplementedError


class LatsarScreen(_OfLatsar, Screen[ResultType]):
    @property
    def trainee(self) -> Trainee:
        return self.latsar.current_trainee()

    def save_state(self) -> None:
        """Keep whatever this screen would lose when the app quits (the reader's place)."""

    def activity(self) -> tuple[Activity, str | None]:
        """What the trainee is doing here, for the instructor's live view of the classroom."""
        return Activity.HOME, None


class LatsarModal(_OfLatsar, ModalScreen[ResultType]):
    CSS_PATH = styles("dialogs")
