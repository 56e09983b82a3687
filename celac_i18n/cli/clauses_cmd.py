"""celac-i18n clauses REF: one record per unit, with its id, number, text and sentences."""

from __future__ import annotations

import click

from .options import format_option, pick_format

_KINDS = {"clause": ("clause", "article"), "section": ("section",),
          "chapter": ("chapter",), "all": None}


@click.command()
@click.argument("ref")
@click.option("--kind", type=click.Choice(list(_KINDS)), default="clause", show_default=True,
              help="Which units to list (all: title and preamble too).")
@format_option("table", "jsonl", "tsv", "json")
def clauses(ref, kind, fmt):
    """List the units of REF (PLAN:LANG[:KIND] or a file path[@LANG])."""
    from ..corpus.refs import load
    from ..render.records import write_records

    doc = load(ref)
    kinds = _KINDS[kind]
    units = [u for u in doc if kinds is None or u.kind in kinds]
    records = [u.record(doc.lang) for u in units]
    fmt = pick_format(fmt)
    if fmt == "table":
        columns = ["id", "kind", "number", "text"]
        for r in records:
            r["text"] = r["heading"] if r["kind"] in ("chapter", "section") else r["text"]
        write_records(records, fmt, columns, title=f"{ref}: {len(records)} {kind} units",
                      wrap=("text",))
    else:
        columns = ["id", "kind", "number", "heading", "text", "sentences", "lang"]
        write_records(records, fmt, columns)
    for w in doc.warnings:
        click.echo(f"warning: {w}", err=True)
