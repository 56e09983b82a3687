"""`celac-i18n qa SRC TGT`: translator's QA checks over clause pairs."""

from __future__ import annotations

import sys

import click

from .options import pick_format

COLUMNS = ("bead", "id", "tgt_id", "check", "severity", "message", "src", "tgt")


@click.command("qa")
@click.argument("src")
@click.argument("tgt")
@click.option("--checks", default="all", show_default=True,
              help="Comma-separated checks to run (numbers, acronyms, terms, untranslated, "
                   "omissions, consistency, punctuation), or -name to leave one out.")
@click.option("--severity", "min_severity", type=click.Choice(["critical", "functional", "cosmetic"]),
              default="cosmetic", show_default=True,
              help="Report findings of this severity and more serious ones.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "tsv", "html"]),
              default=None, help="Output format (default: table on a terminal, jsonl when piped).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file (atomically) instead of stdout.")
@click.option("--termbase", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Termbase TSV (default: corpora/termbase.tsv).")
@click.option("--alignment", "alignment_path", type=click.Path(dir_okay=False), default=None,
              help="Follow this alignment (JSONL from `celac-i18n align`) instead of "
                   "aligning SRC and TGT here.")
@click.option("--fail-on", type=click.Choice(["critical", "functional", "cosmetic", "never"]),
              default="never", show_default=True,
              help="Exit with status 1 when a finding of this severity (or worse) is reported.")
@click.option("--review", "review_ws", type=click.Path(dir_okay=False), default=None,
              help="Review workspace: leave out findings its reviewers marked as not an issue.")
def qa(src, tgt, checks, min_severity, fmt, output, termbase, alignment_path, fail_on,
       review_ws):
    """Check the rendering TGT against its source SRC, clause by clause.

    Units are paired as the aligner pairs them (by content, with ids as one cue), so a
    dropped clause is one omission even when the rendering renumbers the rest; or as
    the beads of --alignment FILE say. Every finding has a severity: critical,
    functional or cosmetic, and names its bead and the target's own ids (tgt_id) where
    they differ from the source's.
    """
    import io
    import json

    from ..align.segments import load
    from ..fsutil import refuse_overwriting_inputs, write_text_atomic
    from ..qa import run_qa
    from ..qa.base import SEVERITIES
    from ..termbase import load_termbase

    refuse_overwriting_inputs(output, (src, tgt, termbase, alignment_path))
    src_doc, tgt_doc = load(src), load(tgt)
    alignment = None
    if alignment_path:
        from ..align.records import read_alignment

        alignment = read_alignment(alignment_path)
    if src_doc.lang == tgt_doc.lang:
        click.echo(f"celac-i18n: note: {src} and {tgt} are both {src_doc.lang}", err=True)
    tb = load_termbase(termbase) if termbase else None
    report = run_qa(src_doc, tgt_doc, checks, min_severity, tb, src, tgt,
                    alignment=alignment, alignment_name=alignment_path or "alignment")
    if review_ws:
        from ..review.flowback import drop_ignored
        from ..review.store import Store

        dropped, stale = drop_ignored(report, Store(review_ws))
        click.echo(f"{review_ws}: {dropped} finding(s) left out as not an issue, {stale} kept "
                   "(dismissed on a text that has changed since)", err=True)
    fmt = fmt or ("html" if output and output.endswith((".html", ".htm")) else
                  pick_format(None, ("table", "jsonl")) if not output else "json")
    records = [f.record() for f in report.findings]
    if fmt == "html":
        from ..qa.report_html import render_html
        text = render_html(report)
    elif fmt == "json":
        text = json.dumps({"src": src, "tgt": tgt, "alignment": alignment_path,
                           "signature": report.signature,
                           "counts": report.counts(), "findings": records},
                          ensure_ascii=False, indent=2) + "\n"
    else:
        from ..render.records import write_records
        buf = io.StringIO()
        if fmt == "table" and not output:
            buf = sys.stdout
        write_records(records, fmt, COLUMNS, out=buf, wrap=("message", "src", "tgt"),
                      title=f"QA {src} → {tgt}" if fmt == "table" else None)
        text = None if buf is sys.stdout else buf.getvalue()
    if text is not None:
        if output:
            write_text_atomic(output, text)
        else:
            sys.stdout.write(text)
    sev = report.counts()["by_severity"]
    click.echo(f"{sum(sev.values())} finding(s): " + ", ".join(f"{sev[s]} {s}" for s in SEVERITIES)
               + (f" → {output}" if output else "") + f"  [{report.signature}]", err=True)
    if fail_on != "never":
        worst = [f for f in report.findings
                 if SEVERITIES.index(f.severity) <= SEVERITIES.index(fail_on)]
        if worst:
            sys.exit(1)
