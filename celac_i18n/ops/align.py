"""align (N renderings, clause or sentence beads) and align-eval (P/R/F1 of beads)."""

from __future__ import annotations

from ..errors import UserError
from .base import EMBED_MODEL, Operation, Option, Result
from .results import Records

UNCERTAIN = 0.5     # a bead at or below this confidence is worth a look


class AlignResult(Result):
    def __init__(self, alignment, beads, codes, target) -> None:
        super().__init__()
        self.alignment, self.beads, self.codes, self.target = alignment, beads, codes, target
        self.signature = alignment.signature

    def write(self, fmt: str, out) -> None:
        from ..align.records import write

        write(self.alignment, self.beads, fmt, out)

    def to_bytes(self, fmt: str) -> bytes:
        if fmt == "tmx":
            from ..export.tmx import to_tmx

            return to_tmx(self.alignment, self.beads, self.codes)
        from ..export.xliff import to_xliff

        return to_xliff(self.alignment, self.beads, self.codes, self.target)


def summary(result, beads) -> str:
    """One line for stderr: beads, the one-sided ones, the uncertain ones, disagreements.

    "At most 0.5" and ``<=``, said as it is compared: a bead at exactly 0.5 is counted
    (``--min-confidence`` keeps beads at or above its value, so a bead at 0.5 is both
    kept by ``--min-confidence 0.5`` and reported here as uncertain). One-sided beads
    are counted on their own, whatever their confidence."""
    langs = result.langs
    one_sided = [b for b in beads if b.one_sided(langs)]
    only_pivot = sum(1 for b in one_sided if b.segs.get(langs[0]))
    low = sum(1 for b in beads if b.confidence <= UNCERTAIN)
    over = sum(1 for b in beads if b.content_over_ids)
    return (f"{len(beads)} {result.level} beads ({len(result.beads)} in all): "
            f"{len(one_sided)} one-sided (1-0: {only_pivot}, 0-1: {len(one_sided) - only_pivot}), "
            f"{low} at confidence <= {UNCERTAIN:g}, {over} where content overrode the ids; "
            f"{len(result.consistency)} cross-language disagreements")


class Align(Operation):
    """Align REFs clause by clause (the first is the pivot).

    REF is PLAN:LANG[:KIND] or a file path[@LANG]; a file without numbering is read as
    plain paragraphs (p1, p2, ...).

    \b
      celac-i18n align 2022-2024:es 2022-2024:en 2022-2024:zh 2022-2024:pt
      celac-i18n align 2022-2024:es 2022-2024:zh --level sentence -o es-zh.tmx
    """

    name = "align"
    uses_termbase = True
    summary = "Align a plan with its renderings, clause by clause or sentence by sentence."
    arguments = ("PIVOT", "REF...")
    max_inputs = 4
    options = (
        Option("level", default="clause", choices=("clause", "sentence"),
               help="Align units, or sentences inside aligned units."),
        Option("units", default="all", choices=("all", "clauses", "headings", "preamble"),
               help="Which beads to output (alignment always uses all units)."),
        Option("lang_code", type=list, default=[], metavar="LANG=CODE",
               help="Code written for LANG in TMX/XLIFF (default es, en, zh-CN, pt-BR)."),
        Option("target", help="XLIFF: the target language when more than two are aligned."),
        Option("min_confidence", type=float, default=0.0, min=0, max=1,
               help="Output only beads at least this confident."),
        Option("consistency", type=bool, default=None, off_flag="--no-consistency",
               help="Check es→en→zh against es→zh (default: on with three or more texts)."),
        Option("engine", help="Also compare a machine translation of each text into the pivot "
                              "language with the pivot (e.g. apertium); languages the engine "
                              "cannot translate are aligned without it."),
        EMBED_MODEL,
        Option("review", metavar="WORKSPACE", input="file",
               help="Review workspace: keep the pairings its reviewers accepted (clause level)."),
    )
    formats = ("table", "jsonl", "json", "tsv", "tmx", "xliff")
    piped = "jsonl"
    suffixes = {"jsonl": "jsonl", "json": "json", "tsv": "tsv", "tmx": "tmx", "xlf": "xliff",
                "xliff": "xliff", "txt": "table"}
    binary = frozenset({"tmx", "xliff"})

    def check(self) -> None:
        from ..export.codes import lang_codes

        self.codes = lang_codes(self.lang_code)
        if self.review and self.level != "clause":
            raise UserError("--review keeps reviewed clause pairings: use --level clause")

    def run(self, ctx) -> AlignResult:
        from ..align.clause import align_documents
        from ..align.records import select

        reviewed = None
        if self.review:
            # the workspace is read first: a bad one fails before any aligning
            from ..review.flowback import reviewed_pairs
            from ..review.store import Store

            reviewed = reviewed_pairs(Store(self.review))
        # the encoder first: a bad --embed-model fails before any reading
        embedder = ctx.semantic(self.embed_model)
        notes, docs = [], []
        for ref in self.inputs:
            ctx.say(f"reading {ref}")
            d = ctx.load_aligned(ref)
            notes += [f"warning: {ref}: {w}" for w in d.warnings]
            docs.append(d)

        def align(translator=None, label=None):
            return align_documents(docs, level=self.level, consistency=self.consistency,
                                   sources=list(self.inputs), translator=translator,
                                   engine=label, progress=ctx.say, embedder=embedder,
                                   termbase=ctx.termbase)

        if self.engine:
            with ctx.engine(self.engine) as (eng, cache):
                label = f"{eng.name}:{eng.version}" + (f"+{eng.model_id}" if eng.model_id else "")
                result = align(lambda texts, src, tgt: eng.translate(texts, src, tgt, cache=cache),
                               label)
        else:
            result = align()
        if reviewed is not None:
            from ..review.flowback import keep_reviewed_pairs

            kept, skipped = keep_reviewed_pairs(result, reviewed)
            notes.append(f"{self.review}: {kept} reviewed pairing(s) kept, {skipped} skipped "
                         "(texts changed or units no longer consecutive)")
        beads = select(result, self.units, self.min_confidence)
        if self.units != "all" or self.min_confidence:
            # the output is a selection of the alignment: say so in its signature
            result.signature = result.signature.extend(
                select=self.units + (f",min-confidence={self.min_confidence:g}"
                                     if self.min_confidence else ""))
        out = AlignResult(result, beads, self.codes, self.target)
        from ..align.consistency import describe

        out.notes = notes + [summary(result, beads)] + \
            [f"  {describe(c)}" for c in result.consistency[:10]]
        return out


class AlignEval(Operation):
    """Strict and lax precision/recall/F1 of PRED against GOLD (alignment JSONL files),
    as vecalign's score.py defines them."""

    name = "align-eval"
    summary = "Precision/recall/F1 of a predicted alignment against a gold one."
    arguments = ("PRED", "GOLD")
    options = (
        Option("pair", type=list, default=[], metavar="SRC-TGT",
               help="Language pair to score (repeatable; default: pivot against each other)."),
        Option("level", choices=("clause", "sentence"), help="Score only beads of this level."),
    )
    formats = ("table", "jsonl", "json", "tsv")
    piped = "jsonl"
    suffixes = {"jsonl": "jsonl", "json": "json", "tsv": "tsv", "txt": "table"}
    COLUMNS = ("pair", "precision_strict", "recall_strict", "f1_strict", "precision_lax",
               "recall_lax", "f1_lax", "gold_beads", "test_beads")

    def check(self) -> None:
        self.pairs = []
        for p in self.pair:
            s, sep, t = p.partition("-")
            if not sep or not s or not t:
                raise UserError(f"--pair {p!r}: expected SRC-TGT, e.g. es-zh")
            self.pairs.append((s, t))

    def declared_inputs(self) -> list[str]:
        return list(self.inputs)

    def run(self, ctx) -> Records:
        from ..align.evaluate import evaluate_files
        from ..signature import Signature
        from ..version import __version__

        rows = evaluate_files(self.inputs[0], self.inputs[1], self.pairs or None, self.level)
        return Records(rows, self.COLUMNS, title="alignment scores (vecalign strict / lax)",
                       signature=Signature({"celac-align-eval": __version__,
                                            "level": self.level or "all"}))
