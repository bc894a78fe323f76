"""The classroom's door: NIP (or the id printed on the PIN sheet) and PIN.

A session of the classroom server starts here and holds nothing but what the trainee who
signs in may do. The instructor's way in is the passphrase, from the same screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Static

from latsar.errors import LatsarError
from latsar.services import Trainee
from latsar.services.presence import Activity
from latsar.tui.base import Form, LatsarScreen, styles
from latsar.tui.messages import ShowInstructor, SignedIn
from latsar.tui.widgets.fields import Field
from latsar.tui.widgets.footer import HELP, LatsarFooter


class LoginScreen(Form, LatsarScreen[None]):
    DEFAULT_CSS = styles("forms", "login")
    ERROR = "#login-error"
    SUBMIT = "#login"
    DOORS = frozenset({"f2"})
    BINDINGS = [
        HELP,
        Binding("f2", "instructor", "Pengampu", key_display="F2", id="login.instructor", tooltip="Tampilan pengampu (kata sandi pengampu)"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="login-screen", can_focus=False):  # Tab stops only where something shows it
            yield Static(
                Text.assemble(("Selamat datang di kelas latsar\n", "bold"), self.services.voice.course_line()),
                id="welcome",
            )
            with Vertical(id="login-form"):
                yield Static("Masuk dengan NIP (atau nomor id di lembar PIN) dan PIN Anda.", classes="form-title")
                yield Field(placeholder="NIP atau id", id="ref", max_length=40)
                yield Field(placeholder="PIN", id="pin", password=True, restrict=r"[0-9]*", max_length=12)
                yield Static("", id="login-error", markup=False)
                yield Button("Masuk", id="login", variant="primary")
            yield Button("Pengampu (F2)", id="as-instructor")
        yield LatsarFooter()

    def on_mount(self) -> None:
        self.sub_title = "Masuk"
        self.query_one("#ref", Input).focus()

    def activity(self) -> tuple[Activity, str | None]:
        return Activity.LOGIN, None

    def entered(self, field: Input) -> None:
        if field.id == "ref":
            self.set_focus(self.query_one("#pin", Input))
        else:
            self.sign_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "login":
            self.sign_in()
        elif event.button.id == "as-instructor":
            self.action_instructor()

    def sign_in(self) -> None:
        ref, pin = self.query_one("#ref", Input), self.query_one("#pin", Input)
        if not ref.value.strip() or not pin.value:
            self.fail("Isi NIP (atau id) dan PIN.", *((ref, pin) if not ref.value.strip() else (pin, ref)))
            return
        value = pin.value
        pin.value = ""

        def refused(exc: LatsarError) -> None:
            self.fail(exc.message, pin, ref)

        def entered(trainee: Trainee) -> None:
            self.post_message(SignedIn(trainee))

        self.io(self.services.login, ref.value, value, done=entered, failed=refused)

    def action_instructor(self) -> None:
        self.post_message(ShowInstructor())
