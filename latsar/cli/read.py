"""`latsar read [SECTION]`."""

from typing import Annotated, Optional

import typer


def read(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Argument(help="Id bagian. Tanpa id: daftar bagian dan id-nya.", metavar="BAGIAN")] = None,
    learner: Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta (boleh kosong bila hanya satu).")] = None,
) -> None:
    from latsar.cli.common import services
    from latsar.plain.reader import print_map, print_section

    svc = services(ctx)
    me = svc.trainee(svc.learners.resolve(learner).id) if (learner or svc.learners.list()) else None
    if section is None:
        print_map(svc, me)
    else:
        print_section(svc, me, section)
