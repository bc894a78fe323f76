"""First run and shared machines: choose a learner or register a new one.

Enter in a field checks that field before moving on (a malformed or taken NIP is said at once);
an error goes away as soon as the field it is about is changed. Enter on the list chooses the
highlighted learner; Esc goes back to the map when someone was already studying.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from latsar.errors import LatsarError
from latsar.services.values import LearnerInfo
from latsar.tui.base import Form, LatsarScreen, styles
from latsar.tui.messages import ChooseLearner
from latsar.tui.widgets.fields import Field
from latsar.tui.widgets.footer import HELP, LatsarFooter

# Each field's label stays in view once it is filled in (a placeholder goes); the hint inside.
LABELS = (
    ("name", "Nama lengkap", "wajib"),
    ("nip", "NIP", "18 angka (boleh kosong)"),
    ("cohort", "Angkatan", "boleh kosong"),
    ("instansi", "Instansi", "boleh kosong"),
)
FIELDS = tuple(field for field, _, _ in LABELS)


class LearnerScreen(Form, LatsarScreen[None]):
    DEFAULT_CSS = styles("forms", "learner")
    SUBMIT = "#create"
    # From 72 columns two fields stand side by side, each under its label; below, one a line, a
    # one-row field after its label, so that the welcome, the form and its button fit in 60×20.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide")]
    BINDINGS = [
        HELP,
        Binding("escape", "back", "Kembali", key_display="Esc", id="learner.back", tooltip="Kembali ke peta modul"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="learner-screen", can_focus=False):  # Tab stops only where something shows it
            yield Static(
                Text.assemble(
                    ("Selamat datang di latsar\n", "bold"),
                    f"{self.services.voice.course_line()} Pilih nama Anda, atau daftar sebagai peserta baru.",
                ),
                id="welcome",
            )
            yield Label("Peserta di komputer ini (↑/↓ pilih, Enter masuk)", id="learners-label")
            yield OptionList(id="learners")
            with Vertical(id="new-learner"):
                yield Label("Peserta baru (Tab pindah kolom, Enter lanjut)", classes="form-title")
                with Grid(id="form-grid"):
                    for field, label, hint in LABELS:
                        with Vertical(classes="field"):
                            yield Label(label, classes="field-label")
                            yield Field(placeholder=hint, id=field)
                yield Static("", id="form-error", markup=False)
                yield Button("Daftar dan mulai", id="create", variant="primary")
        yield LatsarFooter()

    def on_mount(self) -> None:
        self.io(self.services.learners.list, done=self._show)

    def start_over(self) -> None:
        """Shown again (u from a map): whoever is registered now, and an empty form."""
        for field in FIELDS:
            self.query_one(f"#{field}", Input).value = ""
        self.clear_error()
        self.on_mount()

    def _show(self, learners: list[LearnerInfo]) -> None:
        option_list = self.query_one("#learners", OptionList)
        option_list.clear_options()
        for learner in learners:
            extra = " — ".join(x for x in (learner.nip, learner.cohort) if x)
            option_list.add_option(Option(Text(learner.name + (f"  ({extra})" if extra else "")), id=str(learner.id)))
        has_any = bool(learners)
        option_list.display = has_any
        self.query_one("#learners-label").display = has_any
        if has_any:
            current = self.latsar.learner_id
            ids = [str(learner.id) for learner in learners]
            option_list.highlighted = ids.index(str(current)) if str(current) in ids else 0
            option_list.focus()
        else:
            # The first field ready to type in, the screen from its top: the welcome and the
            # form's title stay in view (a field's focus scrolls to keep the button in view).
            self.quiet_focus = True
            self.query_one("#name", Input).focus(scroll_visible=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ChooseLearner(int(event.option.id)))

    # -- the form -----------------------------------------------------------------------------------

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _fail(self, field: str, message: str) -> None:
        self.fail(message, self.query_one(f"#{field}", Input))

    def entered(self, field_input: Input) -> None:
        field = field_input.id or ""
        following = FIELDS[FIELDS.index(field) + 1] if FIELDS.index(field) + 1 < len(FIELDS) else None

        def checked(_: object = None) -> None:
            if following is None:
                self.create()
            else:
                self.set_focus(self.query_one(f"#{following}", Input))

        if field == "name" and not self._value("name").strip():
            self._fail("name", "Nama wajib diisi.")
            return
        if field == "nip":
            try:  # pure and quick: checked here, so the next key goes to the next field
                self.services.learners.check_nip(self._value("nip"))
            except LatsarError as exc:
                self._fail("nip", exc.message)
                return
        if field in (self._wrong or {}):  # what was said about this field no longer holds
            self.clear_error()
        checked()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.create()

    def create(self) -> None:
        values = {key: self._value(key) for key in FIELDS}
        if not values["name"].strip():
            self._fail("name", "Nama wajib diisi.")
            return
        self.clear_error()

        def failed(exc: LatsarError) -> None:
            self._fail("nip" if "NIP" in exc.message else "name", exc.message)

        self.io(
            self.services.learners.add,
            values["name"],
            values["nip"] or None,
            values["cohort"] or None,
            values["instansi"] or None,
            done=lambda learner: self.post_message(ChooseLearner(learner.id)),
            failed=failed,
        )

    # -- keys ------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.latsar.trainee is not None
        return True

    def action_back(self) -> None:
        """Back to the map of whoever was studying (reached with u from the map)."""
        if self.latsar.learner_id is not None:
            self.post_message(ChooseLearner(self.latsar.learner_id))
