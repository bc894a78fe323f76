"""Help: the keys, the course's own rule (generated from the course), and the credit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Markdown

from latsar.services.presentation import Voice
from latsar.tui.base import LatsarModal

KEYS = """\
**Peta modul** (beranda): ↑/↓ pilih, **Enter** buka, **n** langkah berikutnya,
**p** kemajuan, **l** latihan kasus, **u** ganti peserta, **i** tampilan pengampu
(perlu kata sandi), **q** keluar.

**Membaca**: **[** dan **]** bagian sebelumnya/berikutnya, **t** daftar isi,
**Esc** kembali. Bagian yang dibuka ditandai ✓ dan posisi baca diingat.

**Evaluasi**: **a–d** atau **1–4** menjawab, **←/→** (atau **j/k**) pindah soal,
**f** menandai soal, **s** mengumpulkan, **Esc** menutup. Setiap jawaban langsung
tersimpan; bila aplikasi tertutup, lanjutkan dari peta modul.
"""


def help_markdown(voice: Voice) -> str:
    course = voice.course
    return "\n\n".join(
        [
            "# Bantuan latsar",
            KEYS,
            f"**Aturan modul**: {voice.rules_paragraph()}",
            "**Di mana saja**: **?** bantuan ini, **Ctrl+P** palet perintah, **Ctrl+Q** keluar.",
            f"Teks modul: {course.credit} Penjelasan soal, pengayaan, dan latihan ditulis untuk latsar.",
            "Tekan **Esc** untuk menutup.",
        ]
    )


class HelpScreen(LatsarModal[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Tutup")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Markdown(help_markdown(self.services.voice))

    def action_close(self) -> None:
        self.dismiss()
