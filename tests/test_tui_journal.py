"""The habituation journal in the TUI, with Pilot: the trainee writes three entries (one per
behaviour) from the map, the coach reviews them behind the passphrase (one "perlu diperbaiki"),
the trainee revises it, the map reaches "Aktualisasi 3/3"; the instructor's "Berbagi
pengalaman" lists only what trainees chose to share, by behaviour."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from latsar.assessment.journal import EntryStatus, Verdict
from latsar.services.journal import Draft
from latsar.tui.app import build_app
from latsar.tui.dialogs.review_entry import ReviewDialog
from latsar.tui.screens.home import HomeScreen
from latsar.tui.screens.instructor import InstructorScreen
from latsar.tui.screens.journal import JournalScreen
from latsar.tui.screens.journal_form import JournalFormScreen
from tests.helpers import notes, screen_rows, settle, unlock

BEHAVIOURS = ("kebutuhan", "ramah", "perbaikan")


@pytest.fixture
def ani(svc):
    learner = svc.learners.add("Ani Lestari", "199001012020122001", "Angkatan 7")
    svc.passphrase.set("rahasia-pengampu")
    return learner


def draft(behaviour: str, situation: str) -> Draft:
    return Draft(behaviour, "", situation, "Saya jelaskan syaratnya.", "Berkasnya lengkap hari itu.", "Siapkan daftar syarat tertulis.")


def map_text(app: Any) -> str:
    return "\n".join(screen_rows(app))


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def journal_at(pilot: Any, option: str) -> OptionList:
    """From the map: j, then the journal's row ``option`` highlighted; the journal's list."""
    await pilot.press("j")
    await settle(pilot)
    entries = pilot.app.screen.query_one("#journal-entries", OptionList)
    entries.highlighted = entries.get_option_index(option)
    await settle(pilot)
    return entries


async def write_entry(pilot: Any, behaviour: str, situation: str, share: bool = False) -> None:
    """On the journal screen: highlight the behaviour, t, type the four parts, Enter saves."""
    entries = pilot.app.screen.query_one("#journal-entries", OptionList)
    entries.highlighted = entries.get_option_index(f"behaviour:{behaviour}")
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, JournalFormScreen)
    assert form.focused is form.query_one("#journal-situation")  # the behaviour was chosen
    if share:
        form.query_one("#journal-share").value = True
    for text in (situation, "Saya jelaskan syaratnya", "Berkasnya lengkap", "Siapkan daftar syarat"):
        await type_text(pilot, text)
        await pilot.press("enter")
    await settle(pilot)


async def test_the_done_when_walk_in_the_tui(svc, ani):
    """Three entries from the map, the coach's queue and verdicts, a revision, 3/3."""
    app = build_app(svc, ani.id)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "Aktualisasi 0/3" in map_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert "Jangan menulis data pribadi warga" in map_text(app)  # the hint, before anything is written
        for behaviour in BEHAVIOURS:
            await write_entry(pilot, behaviour, f"Pemohon {behaviour} datang", share=behaviour == "ramah")
            assert isinstance(app.screen, JournalScreen), str(app.screen.query_one("#form-error", Static).content) if app.screen.query("#form-error") else ""
        me = svc.trainee(ani.id).journal
        assert [(e.content.behaviour, e.shared) for e in me.entries()] == [("kebutuhan", False), ("ramah", True), ("perbaikan", False)]
        assert "3 menunggu tinjauan" in map_text(app)

        # The coach, behind the passphrase: the queue, oldest first.
        await pilot.press("escape")
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        assert isinstance(screen, InstructorScreen)
        screen.query_one(TabbedContent).active = "tab-journal"
        await settle(pilot)
        queue = screen.query_one("#journal-queue", DataTable)
        assert queue.row_count == 3
        assert [str(queue.get_row_at(i)[6]) for i in range(3)] == [f"Pemohon {b} datang" for b in BEHAVIOURS]
        assert "3 entri menunggu tinjauan" in str(screen.query_one("#journal-queue-count", Static).content)

        # The first: perlu diperbaiki, which wants a comment.
        queue.focus()
        queue.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        assert "Pemohon kebutuhan datang" in map_text(app)
        dialog.query_one("#review-perbaiki").press()
        await settle(pilot)
        assert "Tulis komentar" in str(dialog.query_one("#review-error", Static).content)
        assert dialog.focused is dialog.query_one("#review-comment")
        await type_text(pilot, "Sebutkan hasilnya bagi pemohon")
        await pilot.press("enter", "tab", "enter")  # Enter: to "Sesuai"; Tab: "Perlu diperbaiki"
        await settle(pilot)
        assert app.screen is screen
        assert "perlu diperbaiki" in notes(app)
        assert queue.row_count == 2
        # The other two: sesuai, no comment needed.
        for _ in range(2):
            queue.focus()
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReviewDialog)
            await pilot.press("enter", "enter")  # past the empty comment, "Sesuai"
            await settle(pilot)
        assert queue.row_count == 0
        assert "Tidak ada entri yang menunggu tinjauan" in str(screen.query_one("#journal-queue-count", Static).content)
        statuses = {e.content.behaviour: e.status for e in me.entries()}
        assert statuses == {"kebutuhan": EntryStatus.NEEDS_REVISION, "ramah": EntryStatus.ACCEPTED, "perbaikan": EntryStatus.ACCEPTED}

        # The trainee reads the comment and revises the entry.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Aktualisasi 2/3 ·" in map_text(app) and "1 perlu diperbaiki (j)" in map_text(app)  # each fact whole
        await pilot.press("j")
        await settle(pilot)
        first = me.entries("kebutuhan")[0]
        entries = app.screen.query_one("#journal-entries", OptionList)
        entries.highlighted = entries.get_option_index(f"entry:{first.id}")
        await settle(pilot)
        assert "Sebutkan hasilnya bagi pemohon" in map_text(app)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, JournalFormScreen)
        assert "Sebutkan hasilnya bagi pemohon" in str(form.query_one("#journal-form-comment", Static).content)
        result = form.query_one("#journal-result", Input)
        result.value = "Pemohon pulang membawa KTP barunya hari itu juga"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        revised = svc.trainee(ani.id).journal.entry(first.id)
        assert [v.version for v in revised.versions] == [1, 2] and revised.record.status is EntryStatus.WAITING
        assert revised.versions[0].reviews[0].verdict is Verdict.PERLU_DIPERBAIKI  # the history is kept

        # The coach finds the revision "sesuai": the map reaches 3/3.
        svc.instructor("rahasia-pengampu").journal.review(first.id, 2, Verdict.SESUAI)
        await pilot.press("escape")
        await settle(pilot)
        assert "Aktualisasi 3/3" in map_text(app), map_text(app)
        assert me.standing().complete


async def test_an_entry_found_sesuai_cannot_be_revised_and_personal_data_is_refused(svc, ani):
    me = svc.trainee(ani.id).journal
    done = me.write(draft("kebutuhan", "Pemohon izin usaha datang"))
    svc.instructor("rahasia-pengampu").journal.review(done.record.id, 1, "sesuai")
    app = build_app(svc, ani.id)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        entries = app.screen.query_one("#journal-entries", OptionList)
        entries.highlighted = entries.get_option_index(f"entry:{done.record.id}")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert "tidak diubah lagi" in notes(app)
        entries.highlighted = entries.get_option_index("behaviour:ramah")
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "Warga telepon 0812 3456 7890")
        for text in ("Saya bantu", "Selesai", "Catat"):
            await pilot.press("enter")
            await type_text(pilot, text)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, JournalFormScreen)
        assert "Situasi memuat deret angka panjang" in str(form.query_one("#form-error", Static).content)
        assert form.focused is form.query_one("#journal-situation")
    assert len(me.entries()) == 1


async def test_berbagi_pengalaman_lists_only_shared_entries_by_behaviour(svc, ani):
    budi = svc.learners.add("Budi Santoso", "199203152019031004", "Angkatan 7")
    other = svc.learners.add("Citra Dewi", "199505052020122002", "Angkatan 8")
    queue_entry = svc.trainee(ani.id).journal.write(draft("perbaikan", "Antrean loket dipendekkan"), share=True)
    svc.instructor("rahasia-pengampu").journal.review(queue_entry.record.id, 1, "perlu diperbaiki", "Ukur waktu tunggunya dulu")
    svc.trainee(ani.id).journal.write(draft("kebutuhan", "Catatan pribadi Ani"), share=False)
    shared_later = svc.trainee(budi.id).journal.write(draft("kebutuhan", "Lansia dibantu mengisi formulir"))
    svc.trainee(other.id).journal.write(draft("ramah", "Dari angkatan lain"), share=True)
    app = build_app(svc, ani.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        screen.query_one(TabbedContent).active = "tab-shared"
        await settle(pilot)
        listing = screen.query_one("#shared-list", OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert "behaviour:kebutuhan" not in ids  # Ani's kebutuhan entry is hers alone; Budi has not shared yet
        assert len([i for i in ids if i and i.startswith("entry:")]) == 2
        text = map_text(app)
        assert "Catatan pribadi Ani" not in text and "Lansia dibantu" not in text
        assert "Antrean loket dipendekkan" in text
        assert "Ukur waktu tunggunya dulu" not in text  # she shared the entry, not the coach's feedback on it
        assert "2 entri dibagikan oleh 2 peserta" in str(screen.query_one("#shared-count", Static).content)

        # Budi shares his: it appears while the tab is shown, under its behaviour, first.
        svc.trainee(budi.id).journal.share(shared_later.record.id)
        await pilot.pause(2.5)
        await settle(pilot)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert ids[:2] == ["behaviour:kebutuhan", f"entry:{shared_later.record.id}"]
        listing.focus()
        listing.highlighted = 1
        await settle(pilot)
        assert "Lansia dibantu mengisi formulir" in str(screen.query_one("#shared-entry", Static).content)

        # One cohort: the filter of the cohort tab applies here too.
        screen.query_one("#cohort-filter").value = "Angkatan 8"
        await settle(pilot)
        assert "1 entri dibagikan oleh 1 peserta" in str(screen.query_one("#shared-count", Static).content)


async def test_with_nothing_written_both_tabs_say_so(svc, ani):
    app = build_app(svc, ani.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        screen = app.screen
        for tab, selector, words in (("tab-shared", "#shared-count", "Belum ada entri yang dibagikan peserta"), ("tab-journal", "#journal-queue-count", "Tidak ada entri yang menunggu tinjauan")):
            screen.query_one(TabbedContent).active = tab
            await settle(pilot)
            assert words in str(screen.query_one(selector, Static).content)


async def test_at_80_columns_the_shared_rows_use_the_width(svc, ani):
    """Reached with the keyboard (the tabs scroll at 80 columns), the rows are not cut short."""
    svc.trainee(ani.id).journal.write(draft("ramah", "Pemohon bingung prosedur izin daring."), share=True)
    app = build_app(svc, ani.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await unlock(pilot, "rahasia-pengampu")
        await pilot.press("right", "right", "right", "right")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "tab-shared"
        listing = app.screen.query_one("#shared-list", OptionList)
        assert "Pemohon bingung prosedur izin daring." in str(listing.get_option_at_index(1).prompt)


async def test_the_help_and_the_palette_know_the_journal(svc, ani):
    from latsar.tui.dialogs.help import help_markdown

    assert "**j** di peta" in help_markdown(svc.voice) and "Jangan menulis data pribadi warga" in help_markdown(svc.voice)
    app = build_app(svc, ani.id)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Jurnal aktualisasi")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)


async def test_with_no_entry_yet_e_b_and_v_say_why_nothing_happens(svc, ani):
    """b and v did nothing, silently; e asked to pick an entry there was none of."""
    app = build_app(svc, ani.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        for key, words in (("b", "Belum ada entri untuk dibagikan"), ("v", "Belum ada entri untuk dilihat riwayatnya"), ("e", "Belum ada entri untuk diubah")):
            app.clear_notifications()
            await pilot.press(key)
            await settle(pilot)
            said = notes(app)
            assert words in said and "tulis dulu dengan t" in said, (key, said)
            assert "Pilih satu entri" not in said


async def test_on_a_behaviour_row_b_and_v_say_to_pick_an_entry_and_v_on_a_first_version_says_so(svc, ani):
    svc.trainee(ani.id).journal.write(draft("ramah", "Seorang pemohon bingung dengan formulir."))
    app = build_app(svc, ani.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        entries = await journal_at(pilot, "behaviour:ramah")
        for key, purpose in (("b", "membagikannya"), ("v", "melihat riwayatnya")):
            app.clear_notifications()
            await pilot.press(key)
            await settle(pilot)
            assert "Pilih satu entri dengan ↑/↓" in notes(app) and f"tekan {key} untuk {purpose}" in notes(app)
        entry = svc.trainee(ani.id).journal.entries()[0]
        entries.highlighted = entries.get_option_index(f"entry:{entry.id}")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("v")
        await settle(pilot)
        assert f"Entri {entry.id} belum pernah diubah" in notes(app)


async def test_the_journal_at_60x20_keeps_its_counts_whole_and_the_form_fits(svc, ani):
    """The list said "0/1" / "sesuai"; the form's button was below the fold and the first
    field's hint cut."""
    app = build_app(svc, ani.id)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await journal_at(pilot, "behaviour:ramah")
        rows = screen_rows(app)
        assert not any(row.strip("│ ") == "sesuai" for row in rows), rows
        assert any("0/1 sesuai" in row for row in rows), rows
        assert any(row.strip() == "(pilih perilakunya dengan ↑/↓)." for row in rows), rows  # the hint whole, not "dengan" / "↑/↓)."
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, JournalFormScreen)
        text = "\n".join(screen_rows(app))
        parts = ("Situasi", "Yang saya lakukan", "Hasil bagi yang dilayani", "Lain kali lebih baik", "Tanggal")
        for words in ("Apa yang terjadi, siapa yang Anda layani (tanpa nama)", *parts, "Simpan (Ctrl+S)", "Bagikan ke kelas"):
            assert words in text, (words, text)
        save = app.screen.query_one("#journal-save")
        assert save.region.bottom <= app.screen.query_one("#journal-form").region.bottom
