"""PDF: documents typeset by Typst (the ``typst`` package: the Typst compiler in the wheel, with
its own fonts), offline, fonts embedded.

Why Typst: it works with no network and no font installed on the machine (Libertinus Serif,
New Computer Modern and DejaVu Sans Mono ship inside the compiler, and only those are used:
``ignore_system_fonts``, so a PDF looks the same on every machine), embeds the subset of each
font it uses, breaks tables across pages with their header repeated, hyphenates Indonesian,
and writes a 40-trainee report in well under a second. The data goes in as JSON
(``sys.inputs``), read by a fixed template (``typst/*.typ``): a name or an answer is text,
never markup. Imported only when a PDF is made.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from latsar.errors import DataError
from latsar.exchange.document import Document
from latsar.exchange.files import output_path, staged

TEMPLATES = files("latsar.exchange") / "typst"


def typeset(template: str, data: dict[str, Any], when: datetime | None = None) -> bytes:
    """The PDF of ``template`` (a file of ``typst/``) filled with ``data``."""
    import typst  # only when a PDF is made

    source = (TEMPLATES / template).read_bytes()
    stamp = (when or datetime.now(UTC)).astimezone(UTC)
    try:
        return bytes(typst.compile(source, ignore_system_fonts=True, sys_inputs={"data": json.dumps(data, ensure_ascii=False)}, timestamp=int(stamp.timestamp())))
    except RuntimeError as exc:  # a template that does not compile: a bug of latsar's, said in one sentence
        raise DataError(f"PDF tidak dapat disusun: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}.") from exc


def render(documents: Sequence[Document], title: str, author: str = "latsar") -> bytes:
    """One PDF of ``documents``, each beginning on a new page with its own page numbers."""
    return typeset("report.typ", {"title": title, "author": author, "documents": [d.to_data() for d in documents]})


def write_pdf(path: Path, pdf: bytes) -> None:
    """Write a PDF privately and atomically (``exchange.files``)."""
    output_path(path)
    with staged(path) as tmp:
        tmp.write_bytes(pdf)


def write_pdfs(pdfs: Sequence[tuple[Path, bytes]]) -> None:
    """Write several PDFs, all or none: each is written in full beside its place first, and only
    when every one is on disk are they renamed into place (a rename needs no space), so a disk
    that fills up half-way leaves no file of the set written."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        for path, pdf in pdfs:
            output_path(path)
            stack.enter_context(staged(path)).write_bytes(pdf)


def check_pdf_path(path: Path) -> Path:
    """``path`` if it names a .pdf file that can be written; a usage error otherwise."""
    from latsar.errors import UsageError

    if Path(path).suffix.lower() != ".pdf":
        raise UsageError(f"Laporan ini ditulis sebagai PDF: beri nama berkas berakhiran .pdf, bukan '{Path(path).name}'.")
    return output_path(path)
