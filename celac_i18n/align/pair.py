"""One document aligned to the pivot (``align_pair``), and pairwise bead sequences
merged into N-language beads (``combine``).

The building blocks that clause, sentence and consistency alignment share: the
banded DP (``dp.py``) run on one pair of sides, with the anchors, ids, machine
translation and embeddings of each side as its cues.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..semantic.similarity import unrelated_level
from . import anchors as anc
from .beads import Bead, Segment
from .calibration import calibrate
from .dp import Params, align_sides, confidence, estimate, make_side, path_centre
from .segments import kind_class

MT_WORDS = 32     # 2048-bit trigram masks


@dataclass
class PairBead:
    src: list[int]
    tgt: list[int]
    confidence: float
    evidence: dict


@dataclass
class SideInput:
    lang: str
    segs: list[Segment]
    positional: bool = False
    mt: list[str] | None = None     # the segments machine-translated into the pivot language
    emb: np.ndarray | None = None   # sentence embeddings of the segments (semantic layer)
    terms: tuple = ()               # the termbase whose terms are anchors


def _id_codes(a: SideInput, b: SideInput) -> tuple[list[int], list[int]]:
    table: dict[str, int] = {}

    def codes(side: SideInput) -> list[int]:
        if side.positional:
            return [-1] * len(side.segs)
        return [table.setdefault(s.id, len(table)) for s in side.segs]

    return codes(a), codes(b)


def _sides(a: SideInput, b: SideInput):
    ca = [anc.anchor_counts(s.text, a.lang, a.terms) for s in a.segs]
    cb = [anc.anchor_counts(s.text, b.lang, b.terms) for s in b.segs]
    ma, ma2, mb, mb2 = anc.window_masks(ca, cb)
    ia, ib = _id_codes(a, b)
    mta = mtb = None
    if b.mt is not None:
        # pivot text vs the target's translation into the pivot language
        ta = [anc.trigrams(s.text) for s in a.segs]
        tb = [anc.trigrams(t) for t in b.mt]
        keep = set().union(*ta) & set().union(*tb) if ta and tb else set()
        mta, mtb = anc.masks(ta, keep, MT_WORDS), anc.masks(tb, keep, MT_WORDS)
    both = a.emb is not None and b.emb is not None
    src = make_side([len(s.text) for s in a.segs], ma, ia,
                    [kind_class(s.kind, a.positional) for s in a.segs], mta,
                    a.emb if both else None, ma2)
    tgt = make_side([len(s.text) for s in b.segs], mb, ib,
                    [kind_class(s.kind, b.positional) for s in b.segs], mtb,
                    b.emb if both else None, mb2)
    return src, tgt


def align_pair(a: SideInput, b: SideInput, params: Params | None = None,
               refine: bool = True) -> tuple[list[PairBead], Params]:
    """Align ``b`` to ``a``. Without ``params`` the length model is estimated from the
    data: a first pass with the ratio of the units whose ids agree (of total lengths
    when none do), then ratio and variance re-estimated from that pass's 1-1 beads and
    a second pass."""
    src, tgt = _sides(a, b)
    base = unrelated_level(src.emb, tgt.emb) if src.emb is not None else 0.0
    if params is None:
        ratio, var = estimate(src.lengths, tgt.lengths, ids=(src.ids, tgt.ids))
        params = Params(ratio=ratio, variance=var, emb_base=base)
        raw = align_sides(src, tgt, params)
        if refine:
            ratio2, var2 = estimate(src.lengths, tgt.lengths, raw, ratio=ratio)
            if abs(var2 - var) > 1e-9 or abs(ratio2 - ratio) > 1e-9:
                ratio = ratio2
                params = Params(ratio=ratio, variance=var2, emb_base=base)
                # the second pass follows the first one's path, not the diagonal
                raw = align_sides(src, tgt, params, path_centre(raw, len(a.segs)))
    else:
        raw = align_sides(src, tgt, params)
    beads = [PairBead(list(rs), list(rt),
                      calibrate(confidence((len(rs), len(rt)), ev), not rs or not rt), ev)
             for rs, rt, ev in raw]
    return beads, params


def combine(level: str, pivot: SideInput, others: Sequence[SideInput],
            pairs: Sequence[list[PairBead]], start: int = 1,
            parent: int | None = None) -> list[Bead]:
    """Merge pairwise (pivot → other) bead sequences into N-language beads."""
    n = len(pivot.segs)
    group = list(range(n))                  # pivot index → group id (run start)
    for beads in pairs:
        for pb in beads:
            for x, y in zip(pb.src, pb.src[1:]):
                group[y] = group[x]
    # groups are runs, so fix each index to the start of its run
    for i in range(1, n):
        if group[i] != i:
            group[i] = group[i - 1]
    langs = [pivot.lang] + [o.lang for o in others]
    grouped: dict[int, dict] = {}
    inserts: dict[int, dict] = {}           # after group g (−1: before everything)
    for i in range(n):
        g = grouped.setdefault(group[i], {"segs": {lang: [] for lang in langs}, "conf": 1.0,
                                          "over": []})
        g["segs"][pivot.lang].append(pivot.segs[i])
    for other, beads in zip(others, pairs):
        last = -1                           # last pivot index consumed
        for pb in beads:
            if pb.src:
                g = grouped[group[pb.src[0]]]
                last = pb.src[-1]
            elif 0 <= last < n - 1 and group[last + 1] == group[last]:
                # inserted between two pivot units that another pair keeps together:
                # it belongs inside that group, not after it
                g = grouped[group[last]]
            else:
                key = group[last] if last >= 0 else -1
                g = inserts.setdefault(key, {"segs": {lang: [] for lang in langs},
                                             "conf": 1.0, "over": []})
            g["segs"][other.lang].extend(other.segs[k] for k in pb.tgt)
            g["conf"] = min(g["conf"], pb.confidence)
            idscore = pb.evidence.get("id", math.nan)
            if pb.src and pb.tgt and not math.isnan(idscore) and idscore < 1.0 \
                    and other.lang not in g["over"]:
                g["over"].append(other.lang)
    out: list[Bead] = []

    def emit(g):
        out.append(Bead(start + len(out), level, g["segs"], g["conf"], parent,
                        tuple(g["over"])))

    if -1 in inserts:
        emit(inserts[-1])
    for gid in sorted(grouped):
        emit(grouped[gid])
        if gid in inserts:
            emit(inserts[gid])
    # every insert is keyed by a run start (or -1), so none is lost
    assert all(k == -1 or k in grouped for k in inserts)
    return out
