"""Paired significance between two renderings against one reference (sacrebleu PairedTest).

Paired bootstrap resampling (Koehn 2004) gives each system's mean and 95% confidence
interval and a p-value; paired approximate randomisation (Riezler & Maxwell 2005) gives
a second p-value. sacrebleu seeds its RNG (SACREBLEU_SEED, default 12345), so results
are reproducible; the seed is in the signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from .metrics import LABELS, METRICS, Progress, label, make_metric, normalise, signature

TESTS = {"bs": "paired bootstrap", "ar": "approximate randomisation"}


@dataclass
class Comparison:
    metric: str
    sys1: float
    sys1_mean: float
    sys1_ci: float
    sys2: float
    sys2_mean: float
    sys2_ci: float
    p_bootstrap: float
    p_ar: float
    signature: str
    label: str = ""       # chrF2++, or chrF2 on zh; LABELS[metric] when not given

    @property
    def delta(self) -> float:
        return self.sys2 - self.sys1

    def record(self, names=("sys1", "sys2")) -> dict:
        a, b = names
        return {"metric": self.label or LABELS[self.metric],
                a: round(self.sys1, 2), f"{a}_ci95": f"{self.sys1_mean:.2f} ± {self.sys1_ci:.2f}",
                b: round(self.sys2, 2), f"{b}_ci95": f"{self.sys2_mean:.2f} ± {self.sys2_ci:.2f}",
                "delta": round(self.delta, 2), "p_bootstrap": round(self.p_bootstrap, 4),
                "p_ar": round(self.p_ar, 4), "signature": self.signature}


def paired_test(sys1: list[str], sys2: list[str], refs: list[str], lang: str,
                metrics=METRICS, n_bootstrap: int = 1000, n_ar: int = 10000,
                zh_norm: bool = True, progress: Progress | None = None) -> list[Comparison]:
    """Bootstrap (CI + p) and approximate randomisation (p) for each metric; sys1 is
    the baseline. ``progress`` hears of each test as it starts."""
    import logging

    from sacrebleu.significance import PairedTest

    if not (len(sys1) == len(sys2) == len(refs)):
        raise ValueError("sys1, sys2 and refs must have the same number of segments")
    logging.getLogger("sacrebleu").setLevel(logging.WARNING)
    out = []
    for name in metrics:
        s1 = [normalise(x, lang, zh_norm, name) for x in sys1]
        s2 = [normalise(x, lang, zh_norm, name) for x in sys2]
        rs = [normalise(x, lang, zh_norm, name) for x in refs]
        res = {}
        # one metric for both tests: TER's remembers each system's segment statistics
        metric = make_metric(name, lang)
        for test, n in (("bs", n_bootstrap), ("ar", n_ar)):
            if progress:
                progress(f"{label(name, lang)} {TESTS[test]}", len(out) * 2 + (test == "ar"),
                         len(metrics) * 2)
            # AR gets no CI of its own (n_ar_confidence=-1): the bootstrap run gives it
            pt = PairedTest([("sys1", s1), ("sys2", s2)], {name: metric}, [rs],
                            test_type=test, n_samples=n, n_ar_confidence=-1, n_jobs=1)
            sigs, scores = pt()
            key = next(k for k in scores if k != "System")
            res[test] = (scores[key], sigs[key], metric)
        (b1, b2), bsig, bmetric = res["bs"]
        (_, a2), asig, _ = res["ar"]
        sig = signature(bmetric, name, lang, zh_norm,
                        {"bs": n_bootstrap, "ar": n_ar, "seed": _seed()})
        out.append(Comparison(name, b1.score, b1.mean, b1.ci, b2.score, b2.mean, b2.ci,
                              b2.p_value, a2.p_value, sig, label(name, lang)))
    if progress:
        progress("done", len(metrics) * 2, len(metrics) * 2)
    return out


def _seed() -> str:
    import os

    return os.environ.get("SACREBLEU_SEED", "12345").lower()


def compare_documents(doc1, doc2, ref_doc, metrics=METRICS, n_bootstrap=1000,
                      n_ar=10000, zh_norm=True, names=("sys1", "sys2"),
                      progress: Progress | None = None):
    """Paired significance test of two renderings against one reference.

    The three documents are paired by id on the reference's units; a unit a system
    lacks is an empty hypothesis for it. Paired bootstrap resampling gives each system's
    mean and 95% confidence interval and a p-value; approximate randomisation a second
    p-value (seeded: results are reproducible).

    Args:
        doc1: the baseline rendering; doc2: the rendering compared with it.
        ref_doc: the reference, in the same language as both.
        metrics: any of ``"bleu"``, ``"chrf"``, ``"ter"``.
        n_bootstrap: bootstrap resamples; n_ar: approximate randomisation trials.
        zh_norm: as in ``score_documents``.
        names: the two systems' names in the records.
        progress: ``f(what, done, total)``, called as each test starts.

    Returns:
        ``(comparisons, n_segments, warnings)``: one ``Comparison`` per metric (scores,
        intervals, delta, both p-values, signature), the number of units tested, and
        warnings (missing units, too few units for reliable p-values).

    Raises:
        UserError: a language mismatch, or fewer than two reference units.
    """
    from ..errors import UserError
    from .pairing import TEXT_KINDS, pair_units

    for d, n in ((doc1, names[0]), (doc2, names[1])):
        if d.lang != ref_doc.lang:
            raise UserError(f"{n} is {d.lang} but the reference is {ref_doc.lang}")
    # the reference's units define the test set; a unit only a system has is warned about
    paired = [pair_units(ref_doc, d, TEXT_KINDS) for d in (doc1, doc2)]
    units = [p.src for p in paired[0] if p.src is not None]
    if len(units) < 2:
        raise UserError("the reference has fewer than 2 units: nothing to resample")
    warnings = []
    if len(units) < 30:
        warnings.append(f"only {len(units)} units: resampling so few segments gives "
                        "unreliable p-values; read them with care")
    hyps = []
    for pairs, n in zip(paired, names):
        scored = [p for p in pairs if p.src is not None]
        missing = [p.id for p in scored if p.tgt is None]
        extra = [p.id for p in pairs if p.src is None]
        if missing:
            warnings.append(f"{n}: {len(missing)} unit(s) missing, scored as empty: "
                            + ", ".join(missing[:10]))
        if extra:
            warnings.append(f"{n}: {len(extra)} unit(s) with no reference, not scored: "
                            + ", ".join(extra[:10]))
        hyps.append([p.tgt_text for p in scored])
    comps = paired_test(hyps[0], hyps[1], [u.text for u in units], ref_doc.lang, metrics,
                        n_bootstrap, n_ar, zh_norm, progress)
    return comps, len(units), warnings
