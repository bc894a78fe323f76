"""The command palette's entries (Ctrl+P): what can be opened from anywhere, in Indonesian; and,
as the trainee types, every section found by its title ("Baca: 4. Nilai …").
Textual's own entries (Theme, Keys, Maximize, Screenshot, Quit) speak English: left out."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider

from latsar.services.values import EntryKind, Target
from latsar.tui.messages import GoHome, Open, OpenNextStep, ShowInstructor, ShowProgress, SwitchLearner

if TYPE_CHECKING:
    from latsar.tui.app import LatsarApp


def system_commands(app: LatsarApp) -> Iterator[SystemCommand]:
    post = app.post_message
    if app.trainee is not None:
        yield SystemCommand("Beranda: peta modul", "Kembali ke peta modul", lambda: post(GoHome()))
        yield SystemCommand("Langkah berikutnya", "Buka langkah belajar yang disarankan", lambda: post(OpenNextStep()))
        for ev in app.services.course.evaluations:
            target = Target(EntryKind.EVALUATION, ev.id)
            yield SystemCommand(f"Kerjakan {ev.name}", ev.title, lambda t=target: post(Open(t)))
        yield SystemCommand("Kemajuan belajar", "Riwayat percobaan dan bagian yang sudah dibaca", lambda: post(ShowProgress()))
        if app.services.course.practice is not None:
            yield SystemCommand("Latihan", "Latihan soal kasus dan cek pemahaman (tidak dinilai)", lambda: post(Open(Target(EntryKind.PRACTICE, "practice"))))
        if app.services.course.journal is not None:
            title = app.services.voice.journal_title
            yield SystemCommand(title, "Tulis pengalaman melayani di tempat kerja dan baca tinjauan coach", lambda: post(Open(Target(EntryKind.JOURNAL, ""))))
        yield SystemCommand("Ganti PIN", "Buat atau ganti PIN Anda", app.action_change_pin)
        if not app.serve:
            yield SystemCommand("Ganti peserta", "Pilih atau daftarkan peserta lain", lambda: post(SwitchLearner()))
            yield SystemCommand("Tampilan pengampu", "Tabel angkatan, ekspor, analisis soal (perlu kata sandi)", lambda: post(ShowInstructor()))
    yield SystemCommand("Bantuan", "Tombol dan aturan aplikasi", app.action_help)
    yield SystemCommand("Keluar", "Keluar dari latsar; semua jawaban sudah tersimpan", app.action_quit)


class Sections(Provider):
    """The sections, found by title as the trainee types (not listed before: they would bury
    the few commands under twenty-odd titles)."""

    async def search(self, query: str) -> Hits:
        app = cast("LatsarApp", self.app)
        if app.trainee is None:
            return
        matcher = self.matcher(query)
        course = app.services.course
        for section in course.reading_order():
            title = f"Baca: {section.title}"
            score = matcher.match(title)
            if score > 0:
                target = Target(EntryKind.SECTION, section.id)
                yield Hit(score, matcher.highlight(title), partial(app.post_message, Open(target)), text=title, help=course.part(section.part).title)
