"""`latsar export`: a cohort's results for a spreadsheet."""

from pathlib import Path
from typing import Annotated, Optional

import typer


def export(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx atau json.")] = "csv",
    detail: Annotated[str, typer.Option("--detail", help="summary (per peserta), attempts (per percobaan), answers (per jawaban) atau journal (jurnal aktualisasi, per entri).")] = "summary",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Berkas tujuan (bawaan: layar; wajib untuk xlsx).")] = None,
) -> None:
    import sys

    from latsar.cli.common import instructor
    from latsar.exchange.files import output_path

    if output is not None:
        output_path(output)  # a wrong -o is told before anything is opened
    n = instructor(ctx)[1].exports.write(fmt, detail, output, cohort, stdout=sys.stdout)
    if output is not None:
        typer.echo(f"{n} baris ditulis ke {output}.")
