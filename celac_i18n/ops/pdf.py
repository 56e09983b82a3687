"""pdf: a typeset bilingual (or 3-4 language) edition."""

from __future__ import annotations

from .base import Operation, Option, Result


class Edition(Result):
    def __init__(self, info: dict) -> None:
        super().__init__()
        self.info, self.signature = info, info["signature"]

    def to_bytes(self, fmt: str) -> bytes:
        return self.info["pdf"]


class Pdf(Operation):
    """Typeset REFs (the first is the pivot) clause by clause into a PDF edition.

    REF is PLAN:LANG[:KIND] (2022-2024:es, 2022-2024:zh:reference) or a path[@LANG].
    """

    name = "pdf"
    uses_termbase = True
    summary = "Typeset a bilingual (or 3-4 language) edition of a plan as PDF."
    arguments = ("PIVOT", "REF...")
    max_inputs = 4
    options = (
        Option("layout", choices=("side-by-side", "interleaved", "table"),
               help="Default: side-by-side for two texts, table for three or four."),
        Option("annotate", default="", metavar="scores,qa",
               help="Per-clause notes: QA flags (qa) and chrF/BLEU against --score-ref (scores)."),
        Option("score_ref", metavar="REF", input="ref",
               help="Reference text the non-pivot rendering is scored against (--annotate scores)."),
        Option("title", help="Title of the edition (default: the pivot's title)."),
    )
    formats = ("pdf",)
    piped = "pdf"
    suffixes = {"pdf": "pdf"}
    binary = frozenset({"pdf"})

    def check(self) -> None:
        from ..typeset.edition import check_layout, parse_annotations

        check_layout(self.layout, len(self.inputs))
        parse_annotations(self.annotate)

    def run(self, ctx) -> Edition:
        from ..typeset import render_pdf

        docs = [ctx.load(r) for r in self.inputs]
        notes = [f"warning: {r}: {w}" for r, d in zip(self.inputs, docs) for w in d.warnings]
        ref_doc = ctx.load(self.score_ref) if self.score_ref else None
        info = render_pdf(docs, None, layout=self.layout, refs=list(self.inputs),
                          annotate=self.annotate, score_ref=ref_doc, title=self.title,
                          progress=lambda m: ctx.say(f"pdf: {m}"), termbase=ctx.termbase,
                          font_dirs=ctx.font_dirs)
        res = Edition(info)
        res.notes = notes + [f"pdf: {info['rows']} rows, {info['bytes'] // 1024} KiB, "
                             f"{info['layout']}"]
        return res
