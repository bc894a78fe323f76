"""Help: the keys, the marks, the course's own rule (generated from the course), and the credit.

It scrolls by keyboard (↓/↑, PgDn/PgUp, Spasi, Home/End) and has its own footer.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from latsar.services.presentation import Voice
from latsar.tui.base import LatsarModal
from latsar.tui.widgets.footer import LatsarFooter

MAP_KEYS = """\
**Peta modul** (beranda): ↑/↓ pilih, **Enter** buka, **n** langkah berikutnya,
**c** cek pemahaman bagian yang dipilih, **l** latihan, **p** kemajuan,
"""
AT_A_PC = "**u** ganti peserta, **i** tampilan pengampu (perlu kata sandi), **q** keluar."
IN_CLASS = "**q** keluar (semua jawaban tersimpan; masuk lagi dengan NIP dan PIN kapan saja)."

KEYS = """\
**Tanda di peta**: ✓ dibaca sampai akhir · ◔ dibuka, belum sampai akhir, atau dibaca sekilas ·
↻ pelajari ulang · ⊘ terkunci · ◐ evaluasi sedang dikerjakan · ★ lulus.

**Membaca**: ↓/↑, **PgDn**/**PgUp**, **Spasi** menggulir; **[** dan **]** bagian
sebelumnya/berikutnya (**]** sesudah Rangkuman membuka evaluasinya), **c** cek
pemahaman, **/** cari kata (bagian ini, lalu seluruh modul), **t** daftar isi, **Esc** kembali.
Posisi baca diingat.

**Cek pemahaman dan latihan**: **a–d** atau **1–4** menjawab, **n** soal berikutnya.
Tidak dinilai; soal yang belum tepat muncul lagi di latihan pada waktunya.

**Evaluasi**: **a–d** atau **1–4** menjawab, **←/→** (atau **j/k**) pindah soal,
**f** menandai soal, **s** mengumpulkan, **Esc** (atau **q**) menutup. Setiap jawaban langsung
tersimpan; bila aplikasi tertutup, lanjutkan dari peta modul.
"""


def journal_keys(voice: Voice) -> str:
    """The journal's keys, when the course has a journal."""
    return (
        f"**{voice.journal_title}** (**j** di peta): **t** tulis entri, **e** tulis versi baru (selama belum "
        "dinilai sesuai oleh coach), **b** bagikan ke kelas atau berhenti membagikan, **v** versi sebelumnya, "
        "**Esc** kembali. Di formulir, **Enter** di kolom terakhir atau **Ctrl+S** menyimpan. " + voice.journal_hint()
    )


def help_markdown(voice: Voice, serve: bool = False) -> str:
    """The help; ``serve``: in a classroom session (no switching learner, no instructor view
    from the map, a PIN to change, and a browser that may keep Ctrl+Q for itself)."""
    course = voice.course
    anywhere = (
        "**Di mana saja**: **F1** bantuan ini (juga **?** di luar kolom isian), **Ctrl+P** cari perintah "
        "(di sana juga **Ganti PIN**), **Ctrl+C** keluar (semua jawaban tersimpan)."
        if serve
        else "**Di mana saja**: **F1** bantuan ini (juga **?** di luar kolom isian), **Ctrl+P** cari perintah, "
        "**Ctrl+Q** atau **Ctrl+C** keluar (semua jawaban tersimpan; evaluasi yang belum dikumpulkan dilanjutkan dari peta modul)."
    )
    return "\n\n".join(
        [
            "# Bantuan latsar",
            MAP_KEYS + (IN_CLASS if serve else AT_A_PC),
            KEYS,
            *([journal_keys(voice)] if voice.course.journal is not None else []),
            f"**Dibaca**: {voice.reading_rule()}",
            f"**Aturan modul**: {voice.rules_paragraph()}",
            anywhere,
            f"Teks modul: {course.credit} Penjelasan soal, cek pemahaman, pengayaan, dan latihan ditulis untuk latsar.",
            "Tekan **Esc** untuk menutup.",
        ]
    )


class HelpScreen(LatsarModal[None]):
    BINDINGS = [
        Binding("escape,f1,question_mark,q", "close", "Tutup", key_display="Esc"),
        Binding("space", "page_down", "Gulir", key_display="Spasi/PgDn"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_markdown(self.services.voice, self.latsar.serve))
        yield LatsarFooter()

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()

    def action_page_down(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_page_down()

    def action_close(self) -> None:
        self.dismiss()
