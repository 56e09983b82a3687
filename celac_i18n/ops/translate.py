"""translate: a machine rendering of a plan with the source's ids."""

from __future__ import annotations

import time

from ..errors import UserError
from .base import Operation, Option, Result

COLUMNS = ("id", "kind", "number", "heading", "text", "sentences", "lang", "provenance",
           "signature")


class Rendering(Result):
    def __init__(self, doc) -> None:
        super().__init__()
        self.doc = doc
        self.signature = doc.provenance.extra["signature"]

    def write(self, fmt: str, out) -> None:
        if fmt == "text":
            from ..translate.layout import document_text

            out.write(document_text(self.doc))
            return
        from ..render.records import write_records

        # "kind" is the unit's kind (clause, chapter...); "provenance" says what the text
        # is (always "machine" here), so no record can pass for an official text.
        mark = {"provenance": self.doc.provenance.kind, "signature": self.signature}
        records = [{**u.record(self.doc.lang), **mark} for u in self.doc.units]
        write_records(records, fmt, COLUMNS, out=out)


class Translate(Operation):
    """Machine-translate REF (PLAN:LANG[:KIND] or a file path[@LANG]) into LANG.

    Every unit is translated (title, preamble, headings, clauses); numbering is kept
    from the source, so the rendering has the same ids. The output is machine text,
    never an official one: its provenance says so.
    """

    name = "translate"
    summary = "Machine-translate a plan, keeping its structure and ids."
    arguments = ("REF",)
    options = (
        Option("to", metavar="LANG", help="Target language (en, es, pt, zh); required."),
        Option("engine", choices=("apertium", "hf", "ct2"),
               help="Translation engine (default: apertium; hf when --model is given)."),
        Option("model", metavar="PATH_OR_NAME",
               help="hf/ct2: a model directory or a name in the local Hugging Face cache."),
        Option("beams", type=int, min=1, max=64, help="hf/ct2: beam size (default 4)."),
        Option("zero_pad", type=bool, default=False,
               help="ct2: convert a Marian model whose <pad> embedding is not zero by zeroing "
                    "it (changes the model; without this flag such a model is refused)."),
        Option("no_cache", type=bool, default=False,
               help="Do not read or write the translation cache."),
    )
    formats = ("text", "jsonl", "json", "tsv")
    piped = "text"
    suffixes = {"txt": "text", "jsonl": "jsonl", "json": "json", "tsv": "tsv"}

    def check(self) -> None:
        from ..langs import check_lang

        if not self.to:
            raise UserError("translate needs the target language: --to LANG")
        self.values["to"] = check_lang(self.to)
        self.engine_options = {}
        if self.beams is not None:
            if self.engine not in ("hf", "ct2") and not (self.engine is None and self.model):
                raise UserError("--beams applies to --engine hf or ct2")
            self.engine_options["beams"] = self.beams
        if self.zero_pad:
            if self.engine != "ct2":
                raise UserError("--zero-pad applies to --engine ct2")
            self.engine_options["zero_pad"] = True

    def run(self, ctx) -> Rendering:
        from ..translate import translate_document
        from ..translate.document import pick_engine

        doc = ctx.load(self.inputs[0])
        name = pick_engine(doc.lang, self.to, self.engine, self.model)
        start = time.perf_counter()
        progress = ctx.progress or (lambda what, done, total: None)
        state = {"done": 0, "total": None}

        def advance(n):
            state["done"] += n
            progress("translating", state["done"], state["total"])

        def total(n):           # the bar shows it from the first segment on
            state["total"] = n

        with ctx.engine(name, self.model, use_cache=not self.no_cache,
                        **self.engine_options) as (engine, cache):
            out = translate_document(doc, self.to, engine, cache=cache, progress=advance,
                                     on_total=total)
        took = time.perf_counter() - start
        res = Rendering(out)
        stats = out.provenance.extra
        res.notes = [f"warning: {w}" for w in out.warnings] + [
            f"machine rendering ({stats['engine']}), not an official text: "
            f"{len(out.clauses())} clauses, {len(out.units)} units in {took:.2f} s "
            f"({stats.get('segments_cached', 0)} of {stats.get('segments', 0)} segments "
            f"from the cache)", f"signature: {stats['signature']}"]
        return res
