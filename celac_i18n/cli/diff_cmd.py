"""celac-i18n diff OLD NEW: clause-level diff of two versions of a plan, with a redline."""

from __future__ import annotations

import sys

import click

from ..errors import UserError
from .options import format_option, pick_format

VIA_MATCH = 0.3
_KINDS = ("unchanged", "renumbered", "modified", "moved", "split", "merged", "added", "removed")


def _parse_only(value: str | None) -> set[str] | None:
    if not value:
        return None
    kinds = {k.strip() for k in value.split(",") if k.strip()}
    bad = sorted(kinds - set(_KINDS))
    if bad:
        raise UserError(f"--only: unknown kind {', '.join(bad)} (known: {', '.join(_KINDS)})")
    return kinds


def _via(old, new, engine_name: str, model: str | None):
    """OLD rendered into NEW's language by a translation engine (a machine text)."""
    try:
        from ..translate import session, translate_document
    except ImportError as e:  # the translate stage is not there
        raise UserError(f"--via needs the translate stage ({e})") from None
    click.echo(f"translating {len(old.units)} units of OLD ({old.lang}) into {new.lang} "
               f"with {engine_name}: the diff will compare a machine rendering", err=True)
    with session(engine_name, model) as (engine, cache):
        return translate_document(old, new.lang, engine, cache=cache)


@click.command()
@click.argument("old")
@click.argument("new")
@format_option("table", "json", "html", "pdf")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--only", metavar="KINDS",
              help="Comma-separated kinds to list (unchanged, renumbered, modified, moved, "
                   "split, merged, added, removed); the summary still counts everything. "
                   "The table leaves out unchanged clauses unless asked for.")
@click.option("--via", "via", metavar="ENGINE",
              help="OLD is in another language: compare a machine rendering of OLD into "
                   "NEW's language by ENGINE (apertium, hf, ct2).")
@click.option("--via-model", metavar="PATH", help="Model for --via hf/ct2.")
@click.option("--match", "match_t", type=click.FloatRange(0, 1), default=None,
              help="Least similarity for two clauses to be one modified or moved clause "
                   "(default 0.5; 0.3 with --via, since a machine rendering words things "
                   "differently).")
def diff(old, new, fmt, output, only, via, via_model, match_t):
    """Compare two versions of a plan clause by clause, whatever their numbering.

    OLD and NEW are PLAN:LANG[:KIND] or file paths (path@LANG). Reports unchanged,
    renumbered, modified, moved, split, merged, added and removed clauses, with a
    word-level redline of each.
    """
    from ..corpus.refs import load
    from ..diff import Thresholds

    from ..fsutil import refuse_overwriting_inputs

    kinds = _parse_only(only)
    refuse_overwriting_inputs(output, (old, new))
    old_doc, new_doc = load(old), load(new)
    if old_doc.lang != new_doc.lang:
        if not via:
            raise UserError(f"{old} is '{old_doc.lang}' and {new} is '{new_doc.lang}': add "
                            "--via ENGINE to compare through a machine rendering of OLD")
        old_doc = _via(old_doc, new_doc, via, via_model)
    elif via:
        raise UserError(f"--via: {old} and {new} are both '{new_doc.lang}'; nothing to translate")
    if match_t is None:
        match_t = VIA_MATCH if via else Thresholds().match
    result = _run_diff(old_doc, new_doc, Thresholds(match=match_t), via)
    fmt = pick_format(fmt, ("table", "json"))
    if fmt == "pdf":
        if not output:
            raise UserError("--format pdf needs -o FILE.pdf")
        from ..typeset.redline import render_redline_pdf
        render_redline_pdf(result, output, old, new, kinds)
        click.echo(f"wrote {output}", err=True)
        return
    if fmt == "json":
        import json
        text = json.dumps(result.to_dict(kinds), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "html":
        from ..diff.html import render_html
        text = render_html(result, kinds, old, new)
    else:
        text = _table(result, kinds, old, new, to_file=bool(output))
    if output:
        from ..fsutil import write_text_atomic
        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)
    if "via" in result.summary:
        click.echo(f"note: OLD was compared through a machine rendering ({via}); "
                   "not an official text", err=True)


def _run_diff(old_doc, new_doc, th, via):
    from ..diff import diff_documents

    big = len(old_doc.units) + len(new_doc.units) > 2000
    if not (big and sys.stderr.isatty()):
        return diff_documents(old_doc, new_doc, th, via=via or None)
    from rich.console import Console

    with Console(stderr=True).status(f"diffing {len(old_doc.units):,} against "
                                     f"{len(new_doc.units):,} units"):
        return diff_documents(old_doc, new_doc, th, via=via or None)


def _table(result, kinds, old_ref, new_ref, to_file: bool) -> str:
    import io

    from ..diff.redline import wdiff
    from ..render.records import write_records

    s = result.summary
    buf = io.StringIO()
    rows = []
    for ch in s["chapters"]:
        rows.append({"chapter": ch["chapter"], "was": " ".join(ch["old_chapters"]),
                     "heading": ch["heading"],
                     "changes": ", ".join(f"{k} {n}" for k, n in ch["counts"].items() if n),
                     "changed": f"{ch['changed_share']:.1%}"})
    total = ", ".join(f"{k} {n}" for k, n in s["counts"].items() if n)
    write_records(rows, "table", ["chapter", "was", "heading", "changes", "changed"], out=buf,
                  title=f"{old_ref} → {new_ref}: {total}; {s['changed_share']:.1%} of the "
                        "text changed", wrap=("heading", "changes"))
    show = kinds or set(_KINDS) - {"unchanged"}
    records = []
    for c in result.changes:
        if c.kind not in show:
            continue
        same = all(op == "=" for op, _ in c.ops)
        records.append({"kind": c.kind,
                        "old → new": f"{', '.join(c.old) or '—'} → {', '.join(c.new) or '—'}",
                        "sim": f"{c.similarity:.2f}" if c.old and c.new else "",
                        "redline": "(same text)" if same and c.kind != "unchanged"
                        else wdiff(c.ops).replace("\n", " ¶ ")})
    write_records(records, "table", ["kind", "old → new", "sim", "redline"], out=buf,
                  title=f"{len(records)} changes", wrap=("redline",))
    kt = s["key_terms"]
    for side in ("only_old", "only_new"):
        terms = "; ".join(f"{t['term']} ({t['count']})" for t in kt["terms"][side]) or "none"
        words = ", ".join(f"{w} ({n})" for w, n in kt["words"][side]) or "none"
        buf.write(f"{side.replace('_', ' in ')}: terms: {terms}; words: {words}\n")
    if "via" in s:
        buf.write(f"NOTE: {s['via']['note']} (engine {s['via']['engine']}).\n")
    buf.write(f"signature: {result.signature}\n")
    return buf.getvalue()
