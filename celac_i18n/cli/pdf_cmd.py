"""celac-i18n pdf REF REF [REF ...]: a typeset bilingual (or 3-4 language) edition."""

from __future__ import annotations

import click


@click.command("pdf")
@click.argument("refs", nargs=-1, required=True)
@click.option("--layout", type=click.Choice(["side-by-side", "interleaved", "table"]),
              default=None, help="Default: side-by-side for two texts, table for three or four.")
@click.option("--annotate", default="", metavar="scores,qa",
              help="Per-clause notes: QA flags (qa) and chrF/BLEU against --score-ref (scores).")
@click.option("--score-ref", default=None, metavar="REF",
              help="Reference text the non-pivot rendering is scored against (--annotate scores).")
@click.option("--title", default=None, help="Title of the edition (default: the pivot's title).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The PDF to write (atomically).")
def pdf(refs, layout, annotate, score_ref, title, output):
    """Typeset REFs (the first is the pivot) clause by clause into a PDF edition.

    REF is PLAN:LANG[:KIND] (2022-2024:es, 2022-2024:zh:reference) or a path[@LANG].
    """
    from ..corpus.refs import load
    from ..errors import UserError
    from ..fsutil import refuse_overwriting_inputs
    from ..typeset.edition import check_layout, parse_annotations

    if len(refs) < 2:
        raise UserError("pdf needs at least two documents (the first is the pivot)")
    check_layout(layout, len(refs))
    parse_annotations(annotate)
    if not str(output).lower().endswith(".pdf"):
        raise UserError(f"{output}: the output must be a .pdf file")
    refuse_overwriting_inputs(output, (*refs, score_ref))
    from ..typeset import render_pdf

    def progress(msg: str) -> None:
        click.echo(f"pdf: {msg}", err=True)

    docs = [load(r) for r in refs]
    for r, d in zip(refs, docs):
        for w in d.warnings:
            click.echo(f"warning: {r}: {w}", err=True)
    ref_doc = load(score_ref) if score_ref else None
    info = render_pdf(docs, output, layout=layout, refs=list(refs), annotate=annotate,
                      score_ref=ref_doc, title=title, progress=progress)
    click.echo(f"pdf: wrote {output} ({info['rows']} rows, {info['bytes'] // 1024} KiB, "
               f"{info['layout']})", err=True)
