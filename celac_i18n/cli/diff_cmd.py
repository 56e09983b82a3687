"""celac-i18n diff OLD NEW: clause-level diff of two versions of a plan, with a redline."""

from __future__ import annotations

import sys

import click

from ..errors import UserError
from .options import format_option, pick_format

_KINDS = ("unchanged", "renumbered", "modified", "moved", "split", "merged", "added", "removed")


def _parse_only(value: str | None) -> set[str] | None:
    if not value:
        return None
    kinds = {k.strip() for k in value.split(",") if k.strip()}
    bad = sorted(kinds - set(_KINDS))
    if bad:
        raise UserError(f"--only: unknown kind {', '.join(bad)} (known: {', '.join(_KINDS)})")
    return kinds


# -o's suffix picks the format when --format is not given.
SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".html": "html", ".htm": "html",
                  ".pdf": "pdf", ".docx": "docx", ".txt": "table"}


def output_format(fmt: str | None, output: str | None, default=("table", "json")) -> str:
    """The format asked for: --format, else -o's suffix, else table/json by terminal."""
    from pathlib import PurePath

    by_suffix = SUFFIX_FORMATS.get(PurePath(output).suffix.lower()) if output else None
    if fmt and by_suffix and fmt != by_suffix and not (fmt == "table" and by_suffix):
        raise UserError(f"--format {fmt} does not fit -o {PurePath(output).name} "
                        f"(a {by_suffix} file name); drop one of them")
    if fmt:
        return fmt
    if by_suffix:
        return by_suffix
    if output:
        raise UserError(f"-o {PurePath(output).name}: cannot tell the format from the "
                        f"suffix (known: {', '.join(sorted(SUFFIX_FORMATS))}); add --format")
    return pick_format(None, default)


def _via(old, new, engine_name: str, model: str | None):
    """OLD rendered into NEW's language by a translation engine (a machine text)."""
    try:
        from ..translate import session, translate_document
    except ImportError as e:  # the translate stage is not there
        raise UserError(f"--via needs the translate stage ({e})") from None
    click.echo(f"translating {len(old.units)} units of OLD ({old.lang}) into {new.lang} "
               f"with {engine_name} to match clauses across languages (cached)", err=True)
    with session(engine_name, model) as (engine, cache):
        return translate_document(old, new.lang, engine, cache=cache)


def write_output(text: str | bytes, output: str | None) -> None:
    if output:
        from ..fsutil import write_bytes_atomic, write_text_atomic
        (write_bytes_atomic if isinstance(text, bytes) else write_text_atomic)(output, text)
        click.echo(f"wrote {output}", err=True)
    elif isinstance(text, bytes):
        raise UserError("this format is binary: give -o FILE")
    else:
        sys.stdout.write(text)


@click.command()
@click.argument("old")
@click.argument("new")
@format_option("table", "json", "jsonl", "html", "pdf", "docx")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically) instead of stdout; its suffix (.json, "
                   ".jsonl, .html, .pdf, .docx, .txt) picks the format.")
@click.option("--only", metavar="KINDS",
              help="Comma-separated kinds to list (unchanged, renumbered, modified, moved, "
                   "split, merged, added, removed); the summary still counts everything. "
                   "The table leaves out unchanged clauses unless asked for.")
@click.option("--via", "via", metavar="ENGINE",
              help="OLD is in another language: match clauses through a machine rendering "
                   "of OLD into NEW's language by ENGINE (apertium, hf, ct2). OLD's own "
                   "text is what the report shows.")
@click.option("--via-model", metavar="PATH", help="Model for --via hf/ct2.")
@click.option("--match", "match_t", type=click.FloatRange(0, 1), default=None,
              help="Least similarity for two clauses with different ids and places to be "
                   "one clause (default: calibrated on the two versions' own similarity "
                   "distribution; see the summary's calibration).")
def diff(old, new, fmt, output, only, via, via_model, match_t):
    """Compare two versions of a plan clause by clause, whatever their numbering.

    OLD and NEW are PLAN:LANG[:KIND] or file paths (path@LANG). Reports unchanged,
    renumbered, modified, moved, split, merged, added and removed clauses, with a
    word-level redline of each. Across languages (--via) a faithfully translated clause
    is unchanged, and "modified" carries a confidence.
    """
    from ..corpus.refs import load
    from ..diff import Thresholds
    from ..diff.changes import document_name
    from ..fsutil import refuse_overwriting_inputs

    kinds = _parse_only(only)
    refuse_overwriting_inputs(output, (old, new))
    fmt = output_format(fmt, output)
    if fmt in ("pdf", "docx") and not output:
        raise UserError(f"--format {fmt} needs -o FILE.{fmt}")
    old_doc, new_doc = load(old), load(new)
    rendered = None
    if old_doc.lang != new_doc.lang:
        if not via:
            raise UserError(f"{old} is '{old_doc.lang}' and {new} is '{new_doc.lang}': add "
                            "--via ENGINE to compare through a machine rendering of OLD")
        rendered = _via(old_doc, new_doc, via, via_model)
    elif via:
        raise UserError(f"--via: {old} and {new} are both '{new_doc.lang}'; nothing to translate")
    result = _run_diff(old_doc, new_doc, Thresholds(match=match_t), via, rendered)
    old_name, new_name = document_name(old_doc), document_name(new_doc)
    write_output(render_result(result, fmt, kinds, old_name, new_name, bool(output)), output)
    if "via" in result.summary:
        click.echo(f"note: clauses were matched through a machine rendering ({via}); the "
                   "old text shown is the version as given", err=True)


def render_result(result, fmt: str, kinds, old_name: str, new_name: str,
                  to_file: bool) -> str | bytes:
    if fmt == "pdf":
        from ..typeset.redline import render_redline_pdf
        return render_redline_pdf(result, None, old_name, new_name, kinds)
    if fmt == "docx":
        from ..diff.docx import render_docx
        return render_docx(result, old_name, new_name, kinds)
    if fmt == "json":
        import json
        return json.dumps(result.to_dict(kinds), ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        import json
        d = result.to_dict(kinds)
        lines = [{"signature": d["signature"], "summary": d["summary"]}] + d["changes"]
        return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    if fmt == "html":
        from ..diff.html import render_html
        return render_html(result, kinds, old_name, new_name)
    return _table(result, kinds, old_name, new_name, to_file=to_file)


def _run_diff(old_doc, new_doc, th, via, rendered):
    from ..diff import diff_documents

    big = len(old_doc.units) + len(new_doc.units) > 2000
    if not (big and sys.stderr.isatty()):
        return diff_documents(old_doc, new_doc, th, via=via or None, rendered=rendered)
    from rich.console import Console

    with Console(stderr=True).status(f"diffing {len(old_doc.units):,} against "
                                     f"{len(new_doc.units):,} units"):
        return diff_documents(old_doc, new_doc, th, via=via or None, rendered=rendered)


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
