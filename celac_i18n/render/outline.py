"""A plan's outline for the terminal: title, preamble, chapters, sections, clause ranges."""

from __future__ import annotations

import sys

from ..model import CHAPTER, PART, PREAMBLE, SECTION, TITLE, Document


def _clause_range(doc: Document, parent_id: str) -> tuple[int, str]:
    def under(u) -> bool:
        while u is not None and u.parent:
            if u.parent == parent_id:
                return True
            u = doc.get(u.parent)
        return False

    ids = [u.id for u in doc.clauses() if under(u)]
    if not ids:
        return 0, ""
    return len(ids), ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"


def outline_records(doc: Document) -> list[dict]:
    out = []
    for u in doc:
        if u.kind in (TITLE, PREAMBLE, PART, CHAPTER, SECTION):
            n, span = _clause_range(doc, u.id)
            out.append({"id": u.id, "kind": u.kind, "number": u.number,
                        "heading": u.heading or u.text or u.number, "clauses": n, "span": span})
    return out


def print_outline(doc: Document, ref: str, out=None) -> None:
    from rich.console import Console
    from rich.cells import cell_len, set_cell_size
    from rich.markup import escape

    out = out or sys.stdout
    console = Console(file=out, width=None if out.isatty() else 120, highlight=False)
    p = doc.provenance
    what = p.kind or "file"
    console.print(f"[bold]{escape(ref)}[/bold]  lang={doc.lang}  kind={what}  "
                  f"reader={p.reader} encoding={p.encoding}  sha256={p.sha256[:12]}")
    counts = doc.counts()
    console.print("  " + ", ".join(f"{counts[k]} {k}s" for k in
                                   ("part", "chapter", "section", "clause", "article",
                                    "fraction", "item", "paragraph", "preamble")
                                   if counts.get(k)))
    for r in outline_records(doc):
        head = escape(r["heading"])
        if r["kind"] == TITLE:
            console.print(f"[bold]{head}[/bold]")
        elif r["kind"] == PREAMBLE:
            short = set_cell_size(r["heading"], 100).rstrip()
            more = "…" if cell_len(r["heading"]) > 100 else ""
            console.print(f"  [dim]{r['id']}[/dim]  {escape(short)}{more}")
        elif r["kind"] in (PART, CHAPTER):
            tail = f"  [dim]{r['span']} ({r['clauses']})[/dim]" if r["clauses"] else ""
            console.print(f"[bold cyan]{r['id']:<6}[/bold cyan] {head}{tail}")
        else:
            tail = f"  [dim]{r['span']} ({r['clauses']})[/dim]" if r["clauses"] else ""
            console.print(f"  [cyan]{r['id']:<8}[/cyan] {head}{tail}")
