"""celac-i18n corpus list|show|import|fetch."""

from __future__ import annotations

import click

from .options import emit, output_options


@click.group()
def corpus():
    """The corpus of plans: what is known, what is shipped, and where texts come from."""


@corpus.command("list")
@output_options("table", "jsonl", "tsv", "json")
def list_cmd(fmt, output):
    """Every document in the manifest: plan, language, kind, shipped or not, source."""
    from ..ops.results import Records
    from .settings import context

    m = context().manifest
    records = [{"ref": e.ref, "plan": e.plan, "lang": e.lang, "kind": e.kind,
                "shipped": bool(e.file), "file": e.file or "", "title": e.title,
                "source": e.sources[0] if e.sources else ("cited: " + e.extra["cited_in"][0]
                                                           if e.extra.get("cited_in") else ""),
                "engine": e.extra.get("engine", ""), "translator": e.extra.get("translator", "")}
               for e in sorted(m.entries, key=lambda e: (e.plan, e.lang, e.kind))]
    cols = ["ref", "plan", "lang", "kind", "shipped", "file", "title", "source", "engine",
            "translator"]
    emit(Records(records, cols, title=f"corpus: {m.root}", wrap=("title", "source"),
                 table_columns=["ref", "shipped", "title", "source"]),
         "corpus list", fmt, output, ("table", "jsonl", "tsv", "json"))


class _Outline:
    """corpus show's result: the outline as a tree (table) or as records."""

    def __init__(self, doc, ref) -> None:
        from ..render.outline import outline_records

        self.doc, self.ref, self.records = doc, ref, outline_records(doc)

    def write(self, fmt, out) -> None:
        from ..render.outline import print_outline
        from ..render.records import write_records

        if fmt == "table":
            print_outline(self.doc, self.ref, out)
        else:
            write_records(self.records, fmt, ["id", "kind", "number", "heading", "clauses",
                                              "span"], out=out)


@corpus.command()
@click.argument("ref")
@output_options("table", "jsonl", "json", "tsv")
def show(ref, fmt, output):
    """The outline of REF: title, preamble, chapters and sections with their ids."""
    from ..corpus.guard import refuse_overwriting_inputs
    from .settings import context

    refuse_overwriting_inputs(output, [ref])
    doc = context().load(ref)
    emit(_Outline(doc, ref), "corpus show", fmt, output, ("table", "jsonl", "json", "tsv"))
    for w in doc.warnings:
        click.echo(f"warning: {w}", err=True)


@corpus.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--plan", required=True, help="Plan id, e.g. 2019-2021.")
@click.option("--lang", required=True, help="es, en, zh or pt.")
@click.option("--kind", required=True, type=click.Choice(["official", "reference", "machine"]))
@click.option("--source", help="URL or citation the text came from.")
@click.option("--title", help="Title in the document's language (default: parsed).")
@click.option("--note", "notes", default="", help="Provenance note.")
@click.option("--engine", help="For machine renderings: the engine that made it.")
@click.option("--translator", help="For reference renderings: who translated it.")
@click.option("--force", is_flag=True, help="Replace a document already in the corpus.")
def import_cmd(file, plan, lang, kind, source, title, notes, engine, translator, force):
    """Import FILE (txt, md, html, pdf, docx) into corpora/ and record its provenance."""
    from ..corpus.importer import import_file
    from ..corpus.refs import SINGLE_BYTE
    from .settings import context

    extra = {k: v for k, v in (("engine", engine), ("translator", translator)) if v}
    entry = import_file(file, plan=plan, lang=lang, kind=kind, source=source, title=title,
                        notes=notes, force=force, extra=extra, manifest=context().manifest)
    enc = entry.extra.get("imported", {}).get("encoding")
    click.echo(f"imported {file} as {entry.ref} → corpora/{entry.file} "
               f"(sha256 {entry.sha256[:12]}"
               + (f"; read as {enc}, not UTF-8: check the accents" if enc in SINGLE_BYTE
                  else "") + ")", err=True)


@corpus.command()
@click.argument("plan")
@click.option("--lang", help="Only this language.")
@click.option("--timeout", type=click.FloatRange(0, 3600, min_open=True), default=20.0,
              show_default=True,
              help="Seconds a whole download may take (connection, redirects, body).")
@click.option("--max-bytes", type=click.IntRange(1), default=20 * 1024 * 1024,
              show_default=True,
              help="Refuse downloads larger than this.")
@click.option("--force", is_flag=True, help="Re-fetch documents already shipped.")
def fetch(plan, lang, timeout, max_bytes, force):
    """Download PLAN's known sources (manifest URLs), extract the text and import it."""
    from ..corpus.fetch import fetch as do_fetch
    from ..errors import UserError
    from .settings import context

    results = do_fetch(plan, lang, timeout=timeout, max_bytes=max_bytes, force=force,
                       manifest=context().manifest)
    for r in results:
        if r.entry:
            click.echo(f"fetched {r.url} → corpora/{r.entry.file}", err=True)
        else:
            click.echo(f"failed {r.error}", err=True)
    if not any(r.entry for r in results):
        raise UserError(f"plan {plan}: no source could be fetched")
