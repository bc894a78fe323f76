"""Nothing that came from a file reaches a terminal raw (issue 18, item 5).

A pack's text, a name, a roster's cell or a file's name can hold ESC, CSI (U+009B), a bell,
a carriage return or a lone surrogate. Each face neutralises them at the one place it prints:
the CLI's sentences, Rich in the plain terminal, Textual's line filter in the TUI. And no
name, cohort or agency can carry a control character into the database.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latsar.exchange.bundle import seal
from latsar.services import open_services
from latsar.terminal import inert, visible
from tests.helpers import MP1_KEY, results_of, take

HOSTILE = "A\x1b]0;dibajak\x07B\x9b2JC\x1b[31mD\rE\x08F\x7fG\x00H"
ANI_NIP = "199001012020122001"
# What a terminal would obey: C0 but tab/newline, DEL, C1; and a lone surrogate (unprintable).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

controls = st.sampled_from([chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]] + ["\ud800", "\udcff", "\udfff", "\u2028", "\ufeff"])
texts = st.text(st.characters() | controls, max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_inert_and_visible_leave_nothing_a_terminal_obeys(text):
    from rich.cells import cell_len

    shown = visible(text)
    assert not RAW.search(shown) and "\n" not in shown
    shown.encode("utf-8")  # a lone surrogate never stops the output
    calm = inert(text)
    assert not RAW.search(calm)
    calm.encode("utf-8")
    assert cell_len(calm) == cell_len(text)  # the layout Rich and Textual measured still holds
    if not RAW.search(text):
        assert calm == text and (shown == text or "\n" in text)


def test_visible_writes_out_what_it_neutralises():
    assert visible("hasil\x1b[2J\x9b.json") == "hasil\\x1b[2J\\x9b.json"
    assert visible(os.fsdecode(b"hasil-\xff.json")) == "hasil-\\xff.json"  # a byte that is not UTF-8
    assert visible("a\nb\tc") == "a\\x0ab\tc"


# -- the CLI's sentences ---------------------------------------------------------------------------


def _no_raw(*texts: str) -> None:
    for text in texts:
        assert not RAW.search(text), repr(text)


def laptop_file(tmp_path: Path, name: str, nip: str | None) -> dict:
    svc = open_services(tmp_path / f"laptop-{name[:4]}.db")
    me = svc.trainee(svc.learners.add(name, nip, "Angkatan 7").id)
    take(me, "mp1", MP1_KEY)
    data = results_of(me)
    svc.close()
    return data


def test_results_file_names_with_escapes_or_bad_bytes_are_said_visibly(cli, tmp_path):
    """Issue 18, case 6: the names of results files were echoed raw; one with a byte that is not
    UTF-8 stopped the batch with an encoding error."""
    good = tmp_path / "hasil-\x1b]0;dibajak\x07\x9b2J.json"
    good.write_text(json.dumps(laptop_file(tmp_path, "Ani Lestari", ANI_NIP)), encoding="utf-8")
    missing = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/hasil-\xff\x1b[2J.json"))
    broken = tmp_path / "rusak-\x1b[2J.json"
    broken.write_text("{", encoding="utf-8")
    code, out, err = cli("--db", str(tmp_path / "t.db"), "results", "import", "--tambah-baru", str(missing), str(broken), str(good))
    assert code == 4, err
    _no_raw(out, err)
    assert "hasil-\\xff\\x1b[2J.json" in err and "rusak-\\x1b[2J.json" in err
    assert "hasil-\\x1b]0;dibajak\\x07\\x9b2J.json: Ani Lestari: 1 percobaan baru" in out
    assert "1 berkas diterima, 2 ditolak" in out


def test_a_roster_named_and_filled_with_escapes_is_said_visibly(cli, tmp_path):
    roster = tmp_path / "peserta-\x1b[2J.csv"
    roster.write_text(f"nama,nip\nSiti,{ANI_NIP}\nBudi,1990\x1b[2J0101\n", encoding="utf-8")
    code, out, err = cli("learner", "import", str(roster))
    assert code == 4 and "baris 3" in err
    _no_raw(out, err)
    assert "1990\\x1b[2J0101" in err
    code, out, err = cli("learner", "import", str(roster), "--skip-invalid")
    assert code == 0 and "dilewati: baris 3" in err
    _no_raw(out, err)


def test_warnings_are_said_visibly(capsys):
    from latsar.errors import warn

    warn(f"berkas {HOSTILE}")
    err = capsys.readouterr().err
    _no_raw(err)
    assert err.count("\n") == 1 and "\\x1b]0;dibajak" in err


# -- the plain terminal (Rich) ----------------------------------------------------------------------


def test_the_plain_consoles_render_text_inert_and_keep_their_own_styles(monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")  # styles on, as in a terminal
    monkeypatch.setenv("TERM", "xterm-256color")
    from rich.markdown import Markdown
    from rich.table import Table
    from rich.text import Text

    from latsar.plain.console import stderr, stdout

    for make in (stdout, stderr):
        console = make()
        console.file = io.StringIO()
        console.print(Text(HOSTILE, style="bold"))
        table = Table()
        table.add_column("Nama")
        table.add_row(Text(HOSTILE))
        console.print(table)
        console.print(Markdown(f"# {HOSTILE}\n\n{HOSTILE} \ud800"))
        out = console.file.getvalue()
        assert "\x1b[1m" in out  # Rich's own bold
        data = re.sub(r"\x1b\[[0-9;]*m", "", out)  # what is left once Rich's styles are removed
        _no_raw(data)
        assert "A]0;dibajakB2JC[31mDEFGH" in data and "\ufffd" in data


# -- the TUI (Textual) ------------------------------------------------------------------------------


async def test_the_tui_filters_every_line_it_sends_to_the_terminal(tmp_path):
    from textual.widgets import Static

    from latsar.tui.app import build_app
    from tests.helpers import settle

    svc = open_services(tmp_path / "t.db")
    svc.learners.add("Ani")
    app = build_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.screen.mount(Static(HOSTILE, id="hostile"))
        app.notify(HOSTILE)
        await settle(pilot)
        update = app.screen._compositor.render_full_update()
        written = update.render_segments(app.console)
    assert "\x9b" not in written and "\x1b]0;" not in written and "\x07" not in written and "\x00" not in written
    assert "\x1b[31mD" not in written
    cells = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", written)  # Textual's own cursor moves and colours
    _no_raw(cells.replace("\n", ""))
    assert "A]0;dibajakB2JC[31mDEFGH" in cells


# -- names, cohorts and agencies never carry a control character into the database -----------------


@pytest.mark.parametrize("field", ["--name", "--cohort", "--instansi"])
def test_learner_add_and_edit_refuse_control_characters_naming_the_field(cli, field):
    code, _, err = cli("learner", "add", "--name", "Ani", field, f"Ani\x1b[2J{field}")
    what = {"--name": "Nama", "--cohort": "Angkatan", "--instansi": "Instansi"}[field]
    assert code == 2 and f"{what} memuat karakter kendali U+001B" in err and err.count("\n") == 1
    _no_raw(err)
    assert cli("learner", "list", "--json")[1].strip() == "[]"
    assert cli("learner", "add", "--name", "Ani")[0] == 0
    code, _, err = cli("learner", "edit", "1", field, "Ani\x9b2J")
    assert code == 2 and "U+009B" in err
    assert "\x9b" not in cli("learner", "list", "--json")[1]


def test_spaces_of_every_kind_are_one_space_and_invisible_marks_are_dropped(cli):
    assert cli("learner", "add", "--name", "Siti\xa0Aminah\u200b", "--cohort", "Angkatan\t7\u2028", "--instansi", "BKD\ufeff")[0] == 0
    (learner,) = json.loads(cli("learner", "list", "--json")[1])
    assert (learner["name"], learner["cohort"], learner["instansi"]) == ("Siti Aminah", "Angkatan 7", "BKD")


def test_a_roster_cell_with_a_control_character_is_refused_with_its_row_and_field(cli, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("nama,nip,angkatan,instansi\nSiti,,A7,BKD\nBudi,,A7\x1b[2J,BKD\nCici,,A7,\x07\n", encoding="utf-8")
    code, _, err = cli("learner", "import", str(roster))
    assert code == 4 and "baris 3: Angkatan memuat karakter kendali U+001B" in err and "baris 4: Instansi memuat karakter kendali U+0007" in err
    _no_raw(err)
    assert cli("learner", "list", "--json")[1].strip() == "[]"


@pytest.mark.parametrize("where", ["name", "cohort", "instansi"])
def test_a_results_file_whose_person_holds_a_control_character_is_refused(cli, tmp_path, where):
    data = laptop_file(tmp_path, "Ani Lestari", ANI_NIP)
    data["learner"][where] = "Ani\x1b[2J"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(seal(data)), encoding="utf-8")
    code, out, err = cli("--db", str(tmp_path / "t.db"), "results", "import", "--tambah-baru", str(path))
    assert code == 4 and "ditolak seluruhnya" in err and "karakter kendali U+001B" in err
    _no_raw(out, err)
    assert "0 berkas diterima, 1 ditolak" in out
