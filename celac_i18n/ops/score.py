"""score (BLEU, chrF++, TER, COMET, round trip) and compare (paired significance)."""

from __future__ import annotations

import json

from ..errors import UserError
from .base import EMBED_MODEL, Operation, Option, Result
from .results import Records

_METRICS = Option("metrics", default="bleu,chrf,ter", help="Comma-separated: bleu, chrf (chrF++), ter.")
_NORM = Option("no_zh_norm", type=bool, default=False,
               help="Chinese BLEU on the raw text: no folding/padding of — “ ” … (sacrebleu "
                    "issue #298); the signature then lacks norm:zh-punct.")
_SUFFIXES = {"json": "json", "tsv": "tsv", "txt": "table"}


def metric_names(spec: str) -> tuple[str, ...]:
    from ..score.metrics import METRICS

    names = tuple(m.strip().lower().replace("chrf++", "chrf") for m in spec.split(",") if m.strip())
    bad = [m for m in names if m not in METRICS]
    if bad or not names:
        raise UserError(f"--metrics: unknown {', '.join(bad) or 'empty list'} "
                        f"(known: {', '.join(METRICS)})")
    return names


class ScoreResult(Result):
    def __init__(self, head: dict, corpus_rows, seg_rows, seg_sigs, seg_cols, per_clause,
                 title, warnings: list[str]) -> None:
        super().__init__()
        self.head, self.corpus_rows, self.seg_rows = head, corpus_rows, seg_rows
        self.seg_sigs, self.seg_cols, self.per_clause, self.title = \
            seg_sigs, seg_cols, per_clause, title
        self.warnings = warnings
        self.notes = [f"warning: {m}" for m in warnings]
        self.signature = corpus_rows[0]["signature"] if corpus_rows else ""

    def write(self, fmt: str, out) -> None:
        from ..render.records import write_records

        if fmt == "json":
            json.dump({**self.head, "corpus": self.corpus_rows,
                       **({"segments": self.seg_rows, "segment_signatures": self.seg_sigs}
                          if self.per_clause else {}), "warnings": self.warnings},
                      out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt == "tsv":
            # one score per line: corpus scores first, then each unit's
            rows = [{"scope": "corpus", **r} for r in self.corpus_rows]
            for r in self.seg_rows:
                scores = [(k, v) for k, v in r.items() if k not in ("id", "kind", "status")]
                for k, v in scores or [("", "")]:
                    rows.append({"scope": "unit", "id": r["id"], "kind": r["kind"],
                                 "status": r["status"], "metric": k, "score": v,
                                 "signature": self.seg_sigs.get(k, "")})
            write_records(rows, "tsv", ("scope", "id", "kind", "status", "metric", "score",
                                        "signature"), out=out)
        else:
            write_records(self.corpus_rows, "table", ("metric", "score", "signature"), out=out,
                          title=self.title, wrap=("signature",))
            if "similarity" in self.head:
                out.write(f"xsim: {self.head['similarity']['what']}\n")
            if self.per_clause:
                write_records(self.seg_rows, "table", self.seg_cols, out=out, title="per unit")
                for k, v in self.seg_sigs.items():
                    out.write(f"{k} (per unit): {v}\n")


class Score(Operation):
    """BLEU, chrF++ and TER of the rendering HYP against the reference REF.

    Units are paired by id; a reference unit HYP lacks counts as an empty hypothesis.
    Every score carries sacrebleu's signature plus ours. With --src, also xsim: the
    cross-lingual similarity of each source unit and HYP's unit (the semantic layer's
    cosine; the document's is the mean), reference-free and not a quality metric: it
    says whether HYP is about what the source says (a swapped or rewritten clause
    stands out), per unit with --per-clause; --embed-model none leaves it out.
    """

    name = "score"
    summary = "BLEU, chrF++ and TER of a rendering against a reference."
    arguments = ("HYP", "REF")
    options = (
        Option("src", metavar="REF", input="ref",
               help="The source document: adds xsim, the cross-lingual similarity of source "
                    "and HYP (not a quality metric); needed by --comet and --roundtrip."),
        Option("per_clause", type=bool, default=False,
               help="Also score every unit (clause, heading) on its own."),
        _METRICS, _NORM,
        Option("comet", metavar="PATH",
               help="Also compute COMET with this local checkpoint (needs unbabel-comet and --src)."),
        Option("roundtrip", metavar="ENGINE",
               help="Also translate HYP back into the source language with ENGINE and report "
                    "chrF++ against --src (reference-free estimate)."),
        EMBED_MODEL,
    )
    formats = ("table", "json", "tsv")
    piped = "json"
    suffixes = _SUFFIXES

    def check(self) -> None:
        self.names = metric_names(self.metrics)
        if (self.comet or self.roundtrip) and not self.src:
            raise UserError("--comet and --roundtrip need the source document: add --src SRC")

    def run(self, ctx) -> ScoreResult:
        from ..score.metrics import label, score_documents

        hyp, ref = self.inputs
        if self.comet:
            from ..score import comet
            comet.check(self.comet)           # fail fast, before any scoring
        hyp_doc, ref_doc = ctx.load(hyp), ctx.load(ref)
        rep = score_documents(hyp_doc, ref_doc, self.names, self.per_clause,
                              not self.no_zh_norm, hyp, ref, progress=ctx.progress)
        extra = []                             # (metric label, score, signature)
        seg_extra: dict[str, dict[str, float]] = {}
        if self.src:
            src_doc = ctx.load(self.src)
            if self.comet:
                extra.append(self._comet(src_doc, hyp_doc, ref_doc, seg_extra))
            if self.roundtrip:
                from ..score.roundtrip import roundtrip

                s, per, sig = roundtrip(hyp_doc, src_doc, self.roundtrip, ctx.engine)
                extra.append(("roundtrip-chrF2++", s.score, sig))
                for uid, v in per.items():
                    seg_extra.setdefault(uid, {})["roundtrip-chrF2++"] = v
        head = {"hyp": hyp, "ref": ref, "lang": rep.lang}
        notes = []
        if self.src:
            notes = self._xsim(ctx, src_doc, hyp_doc, ref_doc, extra, seg_extra, head)
        corpus_rows = [{"metric": s.label or label(s.metric, rep.lang),
                        "score": round(s.score, 2), "signature": s.signature} for s in rep.corpus]
        corpus_rows += [{"metric": m, "score": round(v, _digits(m)), "signature": sig}
                        for m, v, sig in extra]
        seg_rows = []
        for seg in rep.segments:
            row = {"id": seg.id, "kind": seg.kind, "status": seg.status}
            row.update({label(k, rep.lang): round(v, 2) for k, v in seg.scores.items()})
            row.update({k: round(v, _digits(k)) for k, v in seg_extra.get(seg.id, {}).items()})
            seg_rows.append(row)
        seg_sigs = {label(k, rep.lang): v for k, v in rep.sentence_signatures.items()}
        seg_sigs.update({m: sig for m, _, sig in extra if m == "xsim" and self.per_clause})
        seg_cols = ["id", "kind", "status"] + [label(n, rep.lang) for n in self.names] + \
            [m for m, _, _ in extra]
        res = ScoreResult(head, corpus_rows, seg_rows, seg_sigs, seg_cols, self.per_clause,
                          f"{hyp} vs {ref} ({rep.lang}, {len(ref_doc.units)} units)",
                          list(rep.warnings))
        res.notes += notes
        return res

    def _xsim(self, ctx, src_doc, hyp_doc, ref_doc, extra, seg_extra, head) -> list[str]:
        """xsim of HYP against --src over the units scored: a corpus row, a per-unit
        column and the JSON's ``similarity`` block; what it says on stderr."""
        from ..score.pairing import TEXT_KINDS
        from ..score.similarity import LABEL, WHAT, xsim

        sem = ctx.semantic(self.embed_model)
        if sem is None:
            return [f"{LABEL}: left out (the meaning cue is off: --embed-model none)"]
        x = xsim(src_doc, hyp_doc, [u.id for u in ref_doc.units if u.kind in TEXT_KINDS], sem)
        if x is None:
            return [f"{LABEL}: left out ({sem.name} does not cover {src_doc.lang}-"
                    f"{hyp_doc.lang}, or no unit of the reference is in --src)"]
        extra.append((LABEL, x.score, x.signature))
        for uid, v in x.per_unit.items():
            seg_extra.setdefault(uid, {})[LABEL] = v
        head["similarity"] = {"label": LABEL, "what": WHAT, "encoder": sem.name,
                              "pair": f"{src_doc.lang}-{hyp_doc.lang}",
                              "mean": round(x.score, 4), "median": round(x.median, 4),
                              "units": x.n}
        return [f"{LABEL} = {x.score:.3f} (mean over {x.n} units, {src_doc.lang}-"
                f"{hyp_doc.lang}, {sem.name}): {WHAT}"]

    def _comet(self, src_doc, hyp_doc, ref_doc, seg_extra):
        from ..score import comet
        from ..score.pairing import TEXT_KINDS

        units = [u for u in ref_doc.units if u.kind in TEXT_KINDS and src_doc.get(u.id)]
        hyps = [hyp_doc.get(u.id).text if hyp_doc.get(u.id) else "" for u in units]
        sys_s, segs, sig = comet.comet_scores([src_doc[u.id].text for u in units], hyps,
                                              [u.text for u in units], self.comet)
        for u, v in zip(units, segs):
            seg_extra.setdefault(u.id, {})["COMET"] = v
        return ("COMET", sys_s, sig)


def _digits(metric: str) -> int:
    # xsim is a cosine (-1..1); the metrics are on a 0-100 scale
    return 3 if metric == "xsim" else 2


class Compare(Operation):
    """Is SYS2 better than SYS1 against REF? Paired significance per metric.

    Paired bootstrap resampling gives each system's mean with a 95% confidence interval
    and a p-value; paired approximate randomisation a second p-value (sacrebleu's
    PairedTest, seed in the signature). For TER lower is better.
    """

    name = "compare"
    summary = "Paired significance test between two renderings."
    arguments = ("SYS1", "SYS2", "REF")
    options = (
        _METRICS, _NORM,
        Option("bootstrap", type=int, default=1000, min=10, max=100000,
               help="Paired bootstrap resamples."),
        Option("ar", type=int, default=10000, min=10, max=100000,
               help="Approximate randomisation trials."),
    )
    formats = ("table", "json", "tsv")
    piped = "json"
    suffixes = _SUFFIXES
    COLUMNS = ("metric", "sys1", "sys1_ci95", "sys2", "sys2_ci95", "delta", "p_bootstrap",
               "p_ar", "verdict", "signature")

    def check(self) -> None:
        self.names = metric_names(self.metrics)

    def run(self, ctx) -> Records:
        from ..score.significance import compare_documents

        sys1, sys2, ref = self.inputs
        d1, d2, dr = ctx.load(sys1), ctx.load(sys2), ctx.load(ref)
        comps, n, warnings = compare_documents(d1, d2, dr, self.names, self.bootstrap, self.ar,
                                               not self.no_zh_norm, progress=ctx.progress)
        rows = [c.record() for c in comps]
        for r, c in zip(rows, comps):
            better = (c.delta < 0) if c.metric == "ter" else (c.delta > 0)
            if not c.delta:
                r["verdict"] = "same score"
            else:
                r["verdict"] = ("sys2 better" if better else "sys1 better") + \
                    (" (p<0.05)" if c.p_ar < 0.05 and c.p_bootstrap < 0.05 else " (not significant)")
        res = Records(rows, self.COLUMNS, table_columns=self.COLUMNS[:-1],
                      title=f"sys1 = {sys1}  sys2 = {sys2}  ref = {ref} ({n} units)",
                      envelope={"sys1": sys1, "sys2": sys2, "ref": ref, "segments": n},
                      key="results", signature=rows[0]["signature"] if rows else "")
        res.notes = [f"warning: {m}" for m in warnings]
        res.table_footer = [f"{r['metric']}: {r['signature']}" for r in rows]
        return res
