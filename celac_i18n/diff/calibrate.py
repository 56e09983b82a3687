"""Thresholds read off the pair's own similarity distribution.

Fixed thresholds do not carry from one pair of versions to the next: two Spanish
versions give an untouched clause 1.0, while an English text rendered into Spanish by
Apertium gives its untouched clauses 0.36–0.86 (median 0.72 on the 2022-2024 plan) and
unrelated clauses up to 0.49. So every diff measures, on a strided sample of its own
units:

- the *baseline*: similarity of mutual best pairs (in a diff across languages nearly
  all of them are the same clause, faithfully translated);
- the *impostors*: each old unit's second best (what an unrelated clause of the same
  plan scores).

From these: ``match`` (least similarity to pair two units with nothing else in favour:
above nearly all impostors), ``floor`` (least similarity when the structure is in
favour: same id, or in place between anchors: above the typical impostor), and, across
languages, ``reword`` (below this a kept clause is reported modified: the baseline's
median less three robust standard deviations) plus split and containment thresholds
scaled to what a faithful translation reaches. The numbers are in the diff's summary
and signature, so a result says which thresholds made it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

SAMPLE_OLD = 400        # measure everything up to this many old units
SAMPLE_NEW = 1500
BLOCK, BLOCKS, MARGIN = 50, 4, 40
# Below this n-gram cosine two texts of one language share nothing worth reporting
# (match.PART_FLOOR: a third of a clause still scores about 0.5 against the whole).
SHARES_NOTHING = 0.25


def _q(xs: list[float], q: float) -> float:
    return xs[min(len(xs) - 1, max(0, int(round(q * (len(xs) - 1)))))] if xs else 0.0


def _clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


@dataclass(frozen=True)
class Calibration:
    cross: bool
    match: float
    floor: float
    reword: float                 # 1.0 in one language: any change of text is a change
    split: float
    contain: float
    baseline: dict = field(default_factory=dict)
    impostor: dict = field(default_factory=dict)
    scores: tuple = ()            # the sorted baseline similarities (for confidence)
    heads: "Calibration | None" = None   # headings' own, across languages
    # By meaning (diff/meaning.py): the encoder, the margin by which a mutual best pair
    # must beat both runners-up to pair with nothing else in favour, and the gain a
    # joined neighbour must bring to make a split or a merge (both measured).
    measure: str = "tfidf-char"
    margin: float | None = None
    join: float | None = None

    def of(self, head: bool) -> "Calibration":
        """The calibration for a heading or a text unit (headings may have their own)."""
        return self.heads if self.heads and head else self

    def confidence(self, sim: float) -> float:
        """How sure a cross-language "modified" is: the share of the baseline's units
        (mostly faithful translations) that score above ``sim``."""
        if not self.scores:
            return 0.0
        # (a unit of the baseline scoring ``sim`` itself, summed in another order, is
        # not above it)
        return round(1.0 - bisect_right(self.scores, sim + 1e-9) / len(self.scores), 3)

    def signature(self):
        from ..signature import Signature

        extra = {k: f"{getattr(self, k):.3f}" for k in ("margin", "join")
                 if getattr(self, k) is not None}
        return Signature({"cal": "cross" if self.cross else "same",
                          "heads": f"{self.heads.reword:.3f}" if self.heads else None,
                          **{k: f"{getattr(self, k):.3f}"
                             for k in ("match", "floor", "reword", "split", "contain")},
                          **extra})

    def to_dict(self) -> dict:
        d = self._dict()
        if self.heads:
            d["headings"] = self.heads._dict()
        return d

    def _dict(self) -> dict:
        return {"mode": "cross-language" if self.cross else "same-language",
                "match": round(self.match, 3), "floor": round(self.floor, 3),
                "reword": round(self.reword, 3), "split": round(self.split, 3),
                "contain": round(self.contain, 3), "baseline": self.baseline,
                "impostor": self.impostor, "measure": self.measure,
                **{k: round(getattr(self, k), 3) for k in ("margin", "join")
                   if getattr(self, k) is not None}}


def csr(left, right):
    """Two sparse matrices (rows: the vectors, ``match.Vec``) over the same n-gram ids."""
    import numpy as np
    from scipy.sparse import csr_matrix

    width = max([1] + [int(v.ids[-1]) + 1 for v in left + right if len(v.ids)])

    def build(vs):
        indptr = np.concatenate([[0], np.cumsum([len(v.ids) for v in vs])])
        ids = np.concatenate([v.ids for v in vs]) if vs else np.zeros(0, np.int64)
        vals = np.concatenate([v.w for v in vs]) if vs else np.zeros(0)
        return csr_matrix((vals, ids, indptr), shape=(len(vs), width))
    return build(left), build(right)


def _windows(n_old: int, n_new: int) -> list[tuple[range, range]]:
    """Where to measure: everything for a plan-sized pair; for a large one, BLOCKS
    runs of BLOCK consecutive old units, each against the new units around the same
    relative place (wide enough to hold renumbered and nearby moved units)."""
    if n_old <= SAMPLE_OLD and n_new <= SAMPLE_NEW:
        return [(range(n_old), range(n_new))]
    out = []
    size = min(BLOCK, n_old)
    for b in range(BLOCKS):
        a = (n_old - size) * b // (BLOCKS - 1)
        lo = a * n_new // n_old - MARGIN
        hi = (a + size) * n_new // n_old + MARGIN
        out.append((range(a, a + size), range(max(0, lo), min(n_new, hi))))
    return out


def calibrate(old_items, new_items, vec, th, cross: bool, sims_of=None) -> Calibration:
    """Measure the baseline and impostor similarities of ``old_items`` / ``new_items``
    (text units of one diff) and derive the thresholds; ``th`` gives the defaults and
    any value the user fixed.

    Baseline: each measured old unit's best new unit when that unit's best is it in
    turn (mutual best: renumbering and edits elsewhere do not disturb it). Impostor:
    the old unit's second best. ``sims_of(olds, news)``: the dense similarity matrix
    of two lists of items by another measure (meaning); ``vec`` is then None and no
    containment is measured.
    """
    import numpy as np

    base, cont, imp = [], [], []
    for rows, cols in _windows(len(old_items), len(new_items)):
        olds = [old_items[k] for k in rows]
        news = [new_items[k] for k in cols]
        if not olds or not news:
            continue
        if sims_of is not None:
            sims = np.asarray(sims_of(olds, news), dtype=np.float64)
        else:
            mo, mn = csr([vec.vector(o.norm) for o in olds],
                         [vec.vector(n.norm) for n in news])
            sims = (mo @ mn.T).toarray()
        at = np.arange(len(olds))
        best_j = sims.argmax(axis=1)
        best = sims[at, best_j]
        if len(news) > 1:
            imp += np.minimum(np.partition(sims, -2, axis=1)[:, -2], 1.0).tolist()
        mutual = (sims.argmax(axis=0)[best_j] == at) & (best > 0)
        base += np.minimum(best[mutual], 1.0).tolist()
        if cross and sims_of is None:
            # share of the best new unit's weight on n-grams the old unit has
            rs, js = at[mutual], best_j[mutual]
            weight = np.asarray(mn.sum(axis=1)).ravel()[js]
            held = np.asarray((mo[rs] > 0).multiply(mn[js]).sum(axis=1)).ravel()
            cont += (held[weight > 0] / weight[weight > 0]).tolist()
    base.sort(), cont.sort(), imp.sort()
    imp_med, imp_hi = _q(imp, 0.5), _q(imp, 0.95)
    base_info = {"n": len(base), "median": round(_q(base, 0.5), 3),
                 "q05": round(_q(base, 0.05), 3), "q25": round(_q(base, 0.25), 3)}
    imp_info = {"n": len(imp), "median": round(imp_med, 3), "q95": round(imp_hi, 3)}
    if not cross:
        match = th.match if th.match is not None else _clamp(imp_hi + 0.05, 0.35, 0.6)
        floor = _clamp(imp_med, th.floor_min, match)
        if len(base) < 8:
            # a handful of units says nothing about what unrelated ones score: a same-id
            # pair must share something (two novels' second paragraphs scored 0.13)
            floor = max(floor, min(SHARES_NOTHING, match))
        return Calibration(False, match, floor, 1.0, th.split, th.contain,
                           base_info, imp_info)
    med = _q(base, 0.5)
    mad = _q(sorted(abs(b - med) for b in base), 0.5) * 1.4826
    base_info["spread"] = round(mad, 3)
    # Too few mutual best pairs to measure (a renumbered old plan, a five-clause
    # excerpt, two texts with nothing in common): the defaults' shape, wholly. (The
    # few pairs' own 5th percentile is no level: a novel against a plan gave 0.07, and
    # paired a paragraph with a clause at 0.11.)
    few = len(base) < 8
    if few:
        med, mad = 0.7, 0.1
    # Fewer than 1 in 20 faithful translations score below it (and usually far fewer).
    reword = _clamp(med - 3 * mad if few else min(med - 3 * mad, _q(base, 0.05)),
                    imp_med, med)
    match = th.match if th.match is not None else _clamp(imp_hi + 0.02, 0.25, med)
    floor = _clamp(imp_med, th.floor_min, match)
    if few:
        # nothing measured says what a faithful pair scores: with the structure in
        # favour a pair still has to look like one
        floor = max(floor, min(reword, match))
    split = min(th.split, _q(base, 0.25)) if len(base) >= 8 else th.split
    contain = min(th.contain, _q(cont, 0.10)) if len(cont) >= 8 else th.contain
    return Calibration(True, match, floor, reword, max(split, reword), contain,
                       base_info, imp_info, tuple(base))
