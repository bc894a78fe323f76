"""First run and shared machines: choose a learner or register a new one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from latsar.errors import LatsarError
from latsar.services.values import LearnerInfo
from latsar.tui.base import LatsarScreen


class LearnerScreen(LatsarScreen[None]):
    BINDINGS = [
        Binding("escape", "focus_list", "Daftar peserta", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="learner-screen"):
            yield Static(
                Text.assemble(
                    ("Selamat datang di latsar\n", "bold"),
                    "Modul Berorientasi Pelayanan (LAN, 2021). Pilih nama Anda, atau daftar sebagai peserta baru.",
                ),
                id="welcome",
            )
            yield Label("Peserta di komputer ini", id="learners-label")
            yield OptionList(id="learners")
            with Vertical(id="new-learner"):
                yield Label("Peserta baru", classes="form-title")
                with Grid(id="form-grid"):
                    yield Input(placeholder="Nama lengkap (wajib)", id="name")
                    yield Input(placeholder="NIP, 18 angka (boleh kosong)", id="nip")
                    yield Input(placeholder="Angkatan (boleh kosong)", id="cohort")
                    yield Input(placeholder="Instansi (boleh kosong)", id="instansi")
                yield Static("", id="form-error")
                yield Button("Daftar dan mulai", id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.latsar.run_io(self.services.learners.list, done=self._show)

    def _show(self, learners: list[LearnerInfo]) -> None:
        option_list = self.query_one("#learners", OptionList)
        option_list.clear_options()
        for learner in learners:
            extra = " — ".join(x for x in (learner.nip, learner.cohort) if x)
            option_list.add_option(Option(Text(learner.name + (f"  ({extra})" if extra else "")), id=str(learner.id)))
        has_any = bool(learners)
        option_list.display = has_any
        self.query_one("#learners-label").display = has_any
        (option_list if has_any else self.query_one("#name", Input)).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.latsar.choose_learner(int(event.option.id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["name", "nip", "cohort", "instansi"]
        index = order.index(event.input.id)
        if index + 1 < len(order):
            self.query_one(f"#{order[index + 1]}", Input).focus()
        else:
            self.create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.create()

    def create(self) -> None:
        values = {key: self.query_one(f"#{key}", Input).value for key in ("name", "nip", "cohort", "instansi")}
        error = self.query_one("#form-error", Static)
        if not values["name"].strip():
            error.update("Nama wajib diisi.")
            self.query_one("#name", Input).focus()
            return
        error.update("")

        def failed(exc: LatsarError) -> None:
            error.update(exc.message)

        self.latsar.run_io(
            self.services.learners.add,
            values["name"],
            values["nip"] or None,
            values["cohort"] or None,
            values["instansi"] or None,
            done=lambda learner: self.latsar.choose_learner(learner.id),
            failed=failed,
        )

    def action_focus_list(self) -> None:
        option_list = self.query_one("#learners", OptionList)
        if option_list.display:
            option_list.focus()
