"""`latsar jurnal`: the habituation journal ("Jurnal aktualisasi") in a plain terminal.

For a trainee: ``tambah`` (write an entry), ``list``, ``show``, ``ubah`` (a new version),
``bagikan`` (share with the class). For the coach, behind the instructor passphrase:
``antrean`` (entries waiting for review, oldest first) and ``tinjau`` (read one; with
``--putusan``, judge it). Text comes as options; what is not given is asked at a terminal, or
read from standard input, one line per part, in order (situasi, tindakan, hasil, perbaikan).
"""

from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from latsar.services import Trainee
    from latsar.services.journal import Draft

app = typer.Typer(no_args_is_help=True)

Learner = Annotated[Optional[str], typer.Option("--learner", help="NIP atau id peserta (boleh kosong bila hanya satu).")]
Json = Annotated[bool, typer.Option("--json", help="Keluaran JSON.")]
Behaviour = Annotated[Optional[str], typer.Option("--perilaku", help="Perilaku yang dipraktikkan: id atau hurufnya (lihat `latsar jurnal list`).")]
Day = Annotated[Optional[str], typer.Option("--tanggal", help="Tanggal kejadian, mis. 2026-11-02 atau 02-11-2026 (bawaan: hari ini).")]
Situation = Annotated[Optional[str], typer.Option("--situasi", help="Situasinya: apa yang terjadi, siapa yang dilayani (tanpa data pribadi).")]
Action = Annotated[Optional[str], typer.Option("--tindakan", help="Yang Anda lakukan.")]
Result = Annotated[Optional[str], typer.Option("--hasil", help="Hasilnya bagi yang dilayani.")]
Better = Annotated[Optional[str], typer.Option("--perbaikan", help="Yang akan Anda lakukan lebih baik lain kali.")]
Entry = Annotated[int, typer.Argument(help="Nomor entri (lihat `latsar jurnal list`).", metavar="ID")]

TEXTS = ("situation", "action", "result", "improvement")


def _asked(given: "dict[str, Optional[str]]", current: "dict[str, str] | None" = None) -> "dict[str, str]":
    """The four parts: as given; the rest asked at a terminal, else read from standard input (one
    line each, in order; for a revision an empty line keeps the current text)."""
    import sys

    from latsar.services.journal import FIELD_WORDS

    missing = [name for name in TEXTS if given.get(name) is None]
    out = {name: str(given[name]) for name in TEXTS if given.get(name) is not None}
    if current is not None and len(missing) < len(TEXTS):
        return {name: out.get(name, current[name]) for name in TEXTS}  # only the parts given change
    for name in missing:
        keep = current[name] if current else None
        if sys.stdin.isatty():
            out[name] = str(typer.prompt(FIELD_WORDS[name], default=keep, show_default=False) if keep else typer.prompt(FIELD_WORDS[name]))
        else:
            line = sys.stdin.readline().rstrip("\r\n")
            out[name] = line or (keep or "")
    return out


def _behaviour(me: "Trainee", given: Optional[str]) -> str:
    import sys

    from latsar.errors import UsageError

    if given:
        return given
    journal = me.course.journal
    if journal is None or not sys.stdin.isatty():
        raise UsageError("Sebutkan perilakunya: --perilaku (lihat `latsar jurnal list`).")
    for b in journal.behaviours:
        typer.echo(f"  {journal.letter(b.id)}. {b.title}  ({b.id})")
    return str(typer.prompt("Perilaku (huruf atau id)"))


def _saved(me: "Trainee", entry_id: int, as_json: bool, said: str) -> None:
    import json

    from latsar.services.journal import detail_json

    d = me.journal.entry(entry_id)
    if as_json:
        typer.echo(json.dumps(detail_json(d), ensure_ascii=False))
        return
    voice = me.voice
    status = voice.entry_mark(d.record.status).label
    typer.echo(f"{said} Entri {d.record.id} ({voice.behaviour_name(d.record.content.behaviour)}, versi {d.record.version}): {status}. {voice.journal_count(me.journal.standing())}.")


def _draft(me: "Trainee", behaviour: Optional[str], day: Optional[str], texts: "dict[str, str]") -> "Draft":
    from latsar.services.journal import Draft

    return Draft(_behaviour(me, behaviour), day or "", texts["situation"], texts["action"], texts["result"], texts["improvement"])


@app.command("tambah", help="Tulis entri baru di jurnal aktualisasi (menunggu tinjauan coach).")
def tambah(
    ctx: typer.Context,
    behaviour: Behaviour = None,
    day: Day = None,
    situation: Situation = None,
    action: Action = None,
    result: Result = None,
    better: Better = None,
    share: Annotated[bool, typer.Option("--bagikan", help="Bagikan entri ini ke kelas (tab Berbagi pengalaman pengampu).")] = False,
    learner: Learner = None,
    as_json: Json = False,
) -> None:
    import sys

    from latsar.cli.common import trainee

    _, me = trainee(ctx, learner)
    if sys.stdin.isatty() and None in (situation, action, result, better):
        typer.echo(me.voice.journal_hint())
    chosen = _behaviour(me, behaviour)
    texts = _asked({"situation": situation, "action": action, "result": result, "improvement": better})
    written = me.journal.write(_draft(me, chosen, day, texts), share=share)
    _saved(me, written.record.id, as_json, "Disimpan.")


@app.command("list", help="Entri jurnal aktualisasi per perilaku, dengan status tinjauan coach.")
def list_(
    ctx: typer.Context,
    behaviour: Behaviour = None,
    learner: Learner = None,
    as_json: Json = False,
) -> None:
    import json

    from latsar.cli.common import trainee
    from latsar.services.journal import entry_json

    _, me = trainee(ctx, learner)
    entries = me.journal.entries(behaviour)
    standing = me.journal.standing()
    if as_json:
        typer.echo(json.dumps({"journal": me.voice.journal_json(standing), "entries": [entry_json(e) for e in entries]}, ensure_ascii=False))
        return
    from latsar.plain.journal import print_entries

    print_entries(me.voice, standing, entries)


@app.command("show", help="Satu entri: isinya, putusan dan komentar coach, dan versi-versi sebelumnya.")
def show(ctx: typer.Context, entry: Entry, learner: Learner = None, as_json: Json = False) -> None:
    import json

    from latsar.cli.common import trainee
    from latsar.services.journal import detail_json

    _, me = trainee(ctx, learner)
    d = me.journal.entry(entry)
    if as_json:
        typer.echo(json.dumps(detail_json(d), ensure_ascii=False))
        return
    from latsar.plain.journal import print_entry

    print_entry(me.voice, d)


@app.command("ubah", help="Tulis versi baru sebuah entri (selama belum dinilai sesuai); versi lama tetap tersimpan.")
def ubah(
    ctx: typer.Context,
    entry: Entry,
    behaviour: Behaviour = None,
    day: Day = None,
    situation: Situation = None,
    action: Action = None,
    result: Result = None,
    better: Better = None,
    learner: Learner = None,
    as_json: Json = False,
) -> None:
    from latsar.cli.common import trainee

    _, me = trainee(ctx, learner)
    now = me.journal.entry(entry)
    c = now.record.content
    current = {"situation": c.situation, "action": c.action, "result": c.result, "improvement": c.improvement}
    if not now.editable:
        from latsar.errors import UsageError

        raise UsageError(f"Entri {entry} sudah dinilai sesuai oleh coach; entri itu tidak diubah lagi.")
    texts = _asked({"situation": situation, "action": action, "result": result, "improvement": better}, current)
    draft = _draft(me, behaviour or c.behaviour, day or c.happened_on.isoformat(), texts)
    me.journal.revise(entry, draft, now.record.version)
    _saved(me, entry, as_json, "Disimpan.")


@app.command("bagikan", help="Bagikan sebuah entri ke kelas (atau, dengan --batal, berhenti membagikannya).")
def bagikan(
    ctx: typer.Context,
    entry: Entry,
    stop: Annotated[bool, typer.Option("--batal", help="Berhenti membagikan entri ini.")] = False,
    learner: Learner = None,
) -> None:
    from latsar.cli.common import trainee

    _, me = trainee(ctx, learner)
    me.journal.share(entry, not stop)
    typer.echo(f"Entri {entry} {'tidak lagi dibagikan' if stop else 'dibagikan ke kelas (tab Berbagi pengalaman pengampu)'}.")


# -- the coach -------------------------------------------------------------------------------------


@app.command("antrean", help="Pengampu/coach: entri yang menunggu tinjauan, yang terlama dulu.")
def antrean(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    as_json: Json = False,
) -> None:
    import json

    from latsar.cli.common import instructor
    from latsar.services.journal import entry_json

    svc, boss = instructor(ctx)
    queue = boss.journal.queue(cohort)
    if as_json:
        typer.echo(json.dumps([{**entry_json(e), "learner": {"id": e.learner_id, "name": e.name, "nip": e.nip, "cohort": e.cohort}} for e in queue], ensure_ascii=False))
        return
    from latsar.plain.journal import print_queue

    print_queue(svc.voice, queue, f"Menunggu tinjauan: {len(queue)} entri")


@app.command("tinjau", help="Pengampu/coach: baca satu entri; dengan --putusan, beri putusan (sesuai atau perlu diperbaiki) dan komentar.")
def tinjau(
    ctx: typer.Context,
    entry: Entry,
    verdict: Annotated[Optional[str], typer.Option("--putusan", help="sesuai atau perlu-diperbaiki.")] = None,
    comment: Annotated[str, typer.Option("--komentar", help="Komentar untuk peserta (wajib bila perlu diperbaiki).")] = "",
    version: Annotated[Optional[int], typer.Option("--versi", help="Versi yang Anda baca (bawaan: versi terbaru); bila entri sudah berubah, putusan ditolak.")] = None,
    as_json: Json = False,
) -> None:
    import json

    from latsar.cli.common import instructor
    from latsar.services.journal import detail_json

    svc, boss = instructor(ctx)
    d = boss.journal.entry(entry) if verdict is None else boss.journal.review(entry, version, verdict, comment)
    if as_json:
        typer.echo(json.dumps({**detail_json(d), "learner": {"id": d.record.learner_id, "name": d.record.name, "nip": d.record.nip}}, ensure_ascii=False))
        return
    if verdict is not None:
        typer.echo(f"Entri {entry} ({d.record.name}), versi {d.record.version}: {svc.voice.entry_mark(d.record.status).label}.")
        return
    from latsar.plain.journal import print_entry

    typer.echo(f"{d.record.name}" + (f" ({d.record.nip})" if d.record.nip else "") + (f", {d.record.cohort}" if d.record.cohort else ""))
    print_entry(svc.voice, d)
