"""`latsar export`: a cohort's results for a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def export(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx atau json.")] = "csv",
    detail: Annotated[str, typer.Option("--detail", help="summary (per peserta), attempts (per percobaan) atau answers (per jawaban).")] = "summary",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Berkas tujuan (bawaan: layar; wajib untuk xlsx).")] = None,
) -> None:
    import sys

    from latsar.cli.common import services
    from latsar.errors import UsageError
    from latsar.exchange.tabular import FORMATS, write_table
    from latsar.services.instructor import DETAILS, export_table

    fmt, detail = fmt.lower(), detail.lower()
    if fmt not in FORMATS:
        raise UsageError(f"Format '{fmt}' tidak dikenal; pilih {', '.join(FORMATS)}.")
    if detail not in DETAILS:
        raise UsageError(f"Rincian '{detail}' tidak dikenal; pilih {', '.join(DETAILS)}.")
    if fmt == "xlsx" and output is None:
        raise UsageError("Ekspor xlsx perlu nama berkas: -o hasil.xlsx")
    svc = services(ctx)
    header, rows = export_table(svc, detail, cohort)
    n = write_table(fmt, output, header, rows, stdout=sys.stdout, title=f"latsar {detail}")
    if output is not None:
        typer.echo(f"{n} baris ditulis ke {output}.")
