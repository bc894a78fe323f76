"""Help: the keys, the module's rule, and the credit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Bantuan latsar

**Peta modul** (beranda): ↑/↓ pilih, **Enter** buka, **n** langkah berikutnya,
**p** kemajuan, **l** latihan kasus, **u** ganti peserta, **i** tampilan pengampu
(perlu kata sandi), **q** keluar.

**Membaca**: **[** dan **]** bagian sebelumnya/berikutnya, **t** daftar isi,
**Esc** kembali. Bagian yang dibuka ditandai ✓ dan posisi baca diingat.

**Evaluasi**: **a–d** atau **1–4** menjawab, **←/→** (atau **j/k**) pindah soal,
**f** menandai soal, **s** mengumpulkan, **Esc** menutup. Setiap jawaban langsung
tersimpan; bila aplikasi tertutup, lanjutkan dari peta modul.

**Aturan modul**: bila tingkat penguasaan Anda mencapai **80% atau lebih**, Anda dapat
meneruskan ke Materi Pokok 2. Bila masih di bawah 80%, pelajari ulang Materi Pokok 1,
terutama bagian yang belum dikuasai; evaluasi dapat diulang setelah bagian-bagian itu
dibuka kembali. Kunci dan pembahasan ditampilkan setelah Anda lulus.

**Di mana saja**: **?** bantuan ini, **Ctrl+P** palet perintah, **Ctrl+Q** keluar.

Teks modul: *Modul Berorientasi Pelayanan*, Pelatihan Dasar CPNS, © Lembaga Administrasi
Negara (LAN), 2021. Penjelasan soal, pengayaan, dan latihan ditulis untuk latsar.

Tekan **Esc** untuk menutup.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Tutup")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss()
