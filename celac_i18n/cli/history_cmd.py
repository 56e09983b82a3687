"""celac-i18n history OLDEST … NEWEST [--clause ID]: follow clauses through versions."""

from __future__ import annotations

import click

from ..errors import UserError
from .diff_cmd import _via, output_format, write_output
from .options import format_option


@click.command()
@click.argument("versions", nargs=-1, required=True)
@click.option("--clause", "clause", metavar="ID",
              help="Follow only the lineage through this id (in the newest version if it "
                   "has it, else in any), with its text in each version.")
@click.option("--all", "show_all", is_flag=True,
              help="List every lineage in the table, not only those that changed.")
@format_option("table", "json", "html")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically); its suffix (.json, .html, .txt) picks the format.")
@click.option("--via", "via", metavar="ENGINE", default="apertium", show_default=True,
              help="Engine for steps between versions in different languages: each older "
                   "version is matched through a machine rendering into the next one's "
                   "language (cached); the texts shown are the versions as given.")
@click.option("--via-model", metavar="PATH", help="Model for --via hf/ct2.")
def history(versions, clause, show_all, fmt, output, via, via_model):
    """Follow each clause through several versions of a plan, oldest first.

    VERSIONS are PLAN:LANG[:KIND] or file paths (path@LANG), e.g. 2015-2019:en
    2019-2021:es 2022-2024:es. Shows, at each step, what changed, where a clause
    moved, and when it appeared or was dropped.
    """
    from ..corpus.refs import load
    from ..diff import Thresholds, diff_documents
    from ..diff.changes import document_name
    from ..diff.history import history as build
    from ..fsutil import refuse_overwriting_inputs

    if len(versions) < 2:
        raise UserError("history needs at least two versions, oldest first")
    fmt = output_format(fmt, output)
    if fmt not in ("table", "json", "html"):
        raise UserError(f"history writes table, json or html, not {fmt}")
    refuse_overwriting_inputs(output, versions)
    docs = [load(v) for v in versions]
    diffs = []
    for a, b in zip(docs, docs[1:]):
        rendered = _via(a, b, via, via_model) if a.lang != b.lang else None
        diffs.append(diff_documents(a, b, Thresholds(), via=via if rendered else None,
                                    rendered=rendered))
    h = build(docs, diffs, [document_name(d) for d in docs])
    tracks = h.tracks
    if clause:
        tracks = h.select(clause)
        if not tracks:
            raise UserError(f"--clause {clause}: no such id in any of the versions")
    if fmt == "json":
        import json
        text = json.dumps(h.to_dict(tracks, with_text=bool(clause)), ensure_ascii=False,
                          indent=1) + "\n"
    elif fmt == "html":
        from ..diff.history_html import render_history_html
        text = render_history_html(h, tracks, clause)
    else:
        text = _table(h, tracks, show_all or bool(clause))
    write_output(text, output)


def _cell(step) -> str:
    if step is None:
        return ""
    ids = ", ".join(step.ids)
    if step.kind in (None, "unchanged"):
        return ids
    sim = f" {step.similarity:.2f}" if step.similarity is not None and step.kind == "modified" else ""
    return f"{ids} ({step.kind}{sim})"


def _table(h, tracks, show_all: bool) -> str:
    import io

    from ..render.records import write_records

    n = len(h.names)
    rows = []
    for t in tracks:
        if not show_all and not t.changed() and t.first == 0 and t.last == n - 1:
            continue
        at = {s.version: s for s in t.steps}
        row = {name: _cell(at.get(v)) for v, name in enumerate(h.names)}
        if t.last < n - 1:
            row[h.names[t.last + 1]] = "(dropped)"
        rows.append(row)
    buf = io.StringIO()
    steps = "; ".join(f"{h.names[k]} → {h.names[k + 1]}: " +
                      ", ".join(f"{kind} {c}" for kind, c in d.summary["counts"].items()
                                if c and kind != "unchanged")
                      for k, d in enumerate(h.diffs))
    write_records(rows, "table", list(h.names), out=buf,
                  title=f"{len(rows)} lineages{'' if show_all else ' that changed'} · {steps}")
    if len(tracks) <= 3:
        for t in tracks:
            for s in t.steps:
                buf.write(f"{h.names[s.version]} {', '.join(s.ids)}: {h.text(s)}\n")
    return buf.getvalue()
