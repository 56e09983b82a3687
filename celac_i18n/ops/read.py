"""clauses: a document's units with their ids."""

from __future__ import annotations

from .base import Operation, Option
from .results import Records

# "clause": every unit that carries content (clauses, articles without sub-units,
# fractions, items, paragraphs); the other choices name one kind.
KINDS = ("clause", "all", "part", "chapter", "section", "article", "fraction", "item",
         "paragraph", "preamble")
COLUMNS = ("id", "kind", "number", "parent", "heading", "text", "sentences", "warnings", "lang")


class Clauses(Operation):
    """List the units of REF (PLAN:LANG[:KIND] or a file path[@LANG])."""

    name = "clauses"
    summary = "List a plan's units (clauses, sections, chapters) with their ids."
    arguments = ("REF",)
    options = (
        Option("kind", default="clause", choices=KINDS,
               help="Which units to list: clause = every unit with content; all = every "
                    "unit, title and headings included; or one kind."),
    )
    formats = ("table", "jsonl", "json", "tsv")
    piped = "jsonl"
    suffixes = {"jsonl": "jsonl", "json": "json", "tsv": "tsv", "txt": "table"}

    def run(self, ctx) -> Records:
        doc = ctx.load(self.inputs[0])
        kind = self.kind
        units = doc.clauses() if kind == "clause" else \
            [u for u in doc if kind == "all" or u.kind == kind]
        records = [u.record(doc.lang) for u in units]
        table = [{**r, "text": r["heading"] if r["kind"] in ("chapter", "section") else r["text"]}
                 for r in records]
        res = Records(records, COLUMNS, title=f"{self.inputs[0]}: {len(records)} {kind} units",
                      wrap=("text",), table_records=table,
                      table_columns=["id", "kind", "number", "parent", "text"] if kind == "all"
                      else ["id", "kind", "number", "text"])
        if doc.layout:
            res.notes.append(f"{self.inputs[0]}: layout: {doc.layout}")
        res.notes += [f"warning: {w}" for w in doc.warnings]
        return res
