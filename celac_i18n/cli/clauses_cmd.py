"""celac-i18n clauses REF: one record per unit, with its id, number, text and sentences."""

from __future__ import annotations

import click

from .options import format_option, pick_format

# "clause": every unit that carries content (clauses, articles without sub-units,
# fractions, items, paragraphs); the other choices name one kind.
_KINDS = ["clause", "all", "part", "chapter", "section", "article", "fraction", "item",
          "paragraph", "preamble"]


@click.command()
@click.argument("ref")
@click.option("--kind", type=click.Choice(_KINDS), default="clause", show_default=True,
              help="Which units to list: clause = every unit with content; all = every "
                   "unit, title and headings included; or one kind.")
@format_option("table", "jsonl", "tsv", "json")
def clauses(ref, kind, fmt):
    """List the units of REF (PLAN:LANG[:KIND] or a file path[@LANG])."""
    from ..corpus.refs import load
    from ..render.records import write_records

    doc = load(ref)
    if kind == "clause":
        units = doc.clauses()
    else:
        units = [u for u in doc if kind == "all" or u.kind == kind]
    records = [u.record(doc.lang) for u in units]
    fmt = pick_format(fmt)
    if fmt == "table":
        columns = ["id", "kind", "number", "parent", "text"] if kind == "all" else \
            ["id", "kind", "number", "text"]
        for r in records:
            r["text"] = r["heading"] if r["kind"] in ("chapter", "section") else r["text"]
        write_records(records, fmt, columns, title=f"{ref}: {len(records)} {kind} units",
                      wrap=("text",))
    else:
        columns = ["id", "kind", "number", "parent", "heading", "text", "sentences", "warnings",
                   "lang"]
        write_records(records, fmt, columns)
    if doc.layout:
        click.echo(f"{ref}: layout: {doc.layout}", err=True)
    for w in doc.warnings:
        click.echo(f"warning: {w}", err=True)
