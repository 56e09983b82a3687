"""Banded dynamic programming over two sequences of segments (Gale–Church style).

The cost of a bead adds, in nats: a prior for its shape; the Gale–Church length cost
(characters, ratio and variance estimated per language pair, with a heavy tail);
a bonus per anchor both sides share (numbers, acronyms, termbase terms) and a penalty
per anchor only one side has; a small bonus when canonical ids agree (only a bonus:
ids are one cue, and where they disagree with the content the content decides); a
penalty for a heading paired with body text; and, when a machine
translation is given, a term for the character-trigram similarity between the
translation and the pivot (Bleualign's idea); when sentence embeddings are given, a term
for their cosine, rescaled so that unrelated pairs sit at 0 (bertalign's cue).

Only a band around the diagonal is computed: bead costs are evaluated for the whole
band at once with numpy, then a row-by-row recurrence keeps two rows of scores and an
int8 back-pointer per band cell. If the best path touches the band's edge the band is
doubled and the DP run again, so a long insertion cannot be cut off silently.
Memory is O(n · band), time O(n · band); no n×m matrix is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

# Bead shapes (pivot units, target units). Order matters only for ties.
BEADS = ((1, 1), (2, 1), (1, 2), (2, 2), (1, 0), (0, 1))
# −log of prior probabilities relative to 1-1, after Gale & Church's (1993) counts
# (0.89 for 1-1, 0.089 for 2-1 and 1-2 together, 0.011 for 2-2, 0.0099 for 1-0 and
# 0-1), with omissions made about twice as likely as they found: a rendering of a
# plan that leaves a clause out is rarer than a merge, but a dropped clause folded
# into its neighbour is the worse error for a translator.
PRIORS = {(1, 1): 0.0, (2, 1): 3.0, (1, 2): 3.0, (2, 2): 6.0, (1, 0): 4.2, (0, 1): 4.2}
FULL_CELLS = 300_000      # below this many cells the band is the whole matrix
MIN_BAND = 32
CHUNK = 4096              # rows of bead costs computed at once (bounds memory)

TAIL, TAIL_SCALE = 0.1, 10.0  # length model: 10 % of pairs with 10× the variance
LEN_CAP = 5.0             # most a length mismatch costs (nats), see bead_terms
VAR_FLOOR = 2.0           # least variance (× ratio) a re-estimate may give: see estimate
HEADING, BODY = 1, 2      # kind classes; 0 = unknown (plain paragraphs)


@dataclass
class Side:
    """One sequence to align, as arrays (see ``make_side``)."""

    lengths: np.ndarray           # float64 (n,)
    anchors: np.ndarray           # uint64 (n, words)
    ids: np.ndarray               # int64 (n,), -1 = no usable id
    kinds: np.ndarray             # uint8 (n,), HEADING / BODY / 0
    mt: np.ndarray | None = None  # uint64 (n, words): trigrams of text or of its MT
    emb: np.ndarray | None = None  # float32 (n, dim): sentence embeddings, L2-normalised
    anchors2: np.ndarray | None = None  # uint64 (n-1, words): anchors of units k, k+1

    def __len__(self) -> int:
        return len(self.lengths)


def make_side(lengths, anchors, ids, kinds, mt=None, emb=None, anchors2=None) -> Side:
    return Side(np.asarray(lengths, dtype=np.float64), anchors,
                np.asarray(ids, dtype=np.int64), np.asarray(kinds, dtype=np.uint8), mt, emb,
                anchors2)


@dataclass
class Params:
    ratio: float = 1.0            # target chars per pivot char
    variance: float = 6.8         # Gale–Church s², scaled to the ratio by estimate()
    w_anchor: float = 1.0         # bonus per anchor found on both sides
    w_anchor_miss: float = 1.0    # penalty per anchor on one side only: a clause
                                  # folded into its neighbour brings its own anchors
    w_id: float = 1.0             # bonus when ids agree: a tie-breaker among pairings
                                  # the content finds about as good
    w_id_miss: float = 0.0        # no penalty when they differ: a rendering that merged
                                  # or dropped a clause renumbers all that follow, and
                                  # the content must be free to pair them
    w_kind: float = 3.0
    w_mt: float = 4.0
    w_emb: float = 4.0
    w_merge_numbered: float = 1.25  # a merge or split of units numbered on both sides:
                                    # a rendering rarely joins two numbered clauses, and
                                    # a dropped short clause must not pass for a merge
    emb_base: float = 0.0         # cosine of unrelated pairs for this model and pair
    priors: dict = field(default_factory=lambda: dict(PRIORS))
    band: int | None = None       # half-width; None = automatic


class _Windows:
    """Per end position e (0..n): the data of the window of k segments ending at e."""

    def __init__(self, side: Side, k: int) -> None:
        n = len(side)
        self.k = k
        pref = np.concatenate([[0.0], np.cumsum(side.lengths)])
        e = np.arange(n + 1)
        ok = e >= k
        self.ok = ok
        self.length = np.where(ok, pref - pref[np.maximum(e - k, 0)], np.nan)
        if k == 2 and side.anchors2 is not None:
            # the window's own anchors, occurrences counted (see anchors.window_masks):
            # a term both units carry counts twice, as it does in a rendering that
            # joins them, so merging units never hides a miss
            self.anchors = np.zeros((n + 1, side.anchors.shape[1]), dtype=np.uint64)
            if n >= 2:
                self.anchors[2:] = side.anchors2
            self.pop = np.where(ok, _popcount(self.anchors), 0)
        else:
            self.anchors = self._or(side.anchors, n, k)
            # without window masks: anchors counted per unit, so merging never hides
            # a miss (the cost stays additive)
            unit_pop = np.concatenate([[0], np.cumsum(_popcount(side.anchors))])
            self.pop = np.where(ok, unit_pop - unit_pop[np.maximum(e - k, 0)], 0)
        self.kinds = self._or(side.kinds[:, None].astype(np.uint64), n, k)[:, 0].astype(np.uint8)
        # ids of the window, oldest first; -2 where the window does not exist
        self.ids = [np.concatenate([[-2] * (k - t), side.ids[: n + 1 - (k - t)]])
                    if n + 1 - (k - t) >= 0 else np.full(n + 1, -2) for t in range(k)]
        if side.mt is not None:
            self.mt = self._or(side.mt, n, k)
            self.mtpop = _popcount(self.mt)
        else:
            self.mt = self.mtpop = None
        self.emb = None
        if side.emb is not None:
            # a window's embedding: the normalised sum of its units' (vecalign embeds
            # the concatenation; the mean of the parts is its cheap stand-in)
            w = np.zeros((n + 1, side.emb.shape[1]), dtype=np.float32)
            for t in range(1, k + 1):
                w[t:] += side.emb[: n + 1 - t]
            w[:k] = 0.0
            norm = np.linalg.norm(w, axis=1, keepdims=True)
            self.emb = w / np.maximum(norm, 1e-9)

    @staticmethod
    def _or(arr: np.ndarray, n: int, k: int) -> np.ndarray:
        out = np.zeros((n + 1, arr.shape[1]), dtype=np.uint64)
        for t in range(1, k + 1):   # window [e-k, e) = OR of arr[e-t] for t=1..k
            out[t:] |= arr[: n + 1 - t]
        out[:k] = 0
        return out


def _popcount(a: np.ndarray) -> np.ndarray:
    return np.bitwise_count(a).sum(axis=-1, dtype=np.int64)


def _log_erfc(x: np.ndarray) -> np.ndarray:
    """log erfc(x) for x >= 0 (Abramowitz & Stegun 7.1.26, in log space so it never underflows)."""
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                           + t * 1.061405429))))
    return np.log(poly) - x * x


def bead_terms(a: int, b: int, src: dict, tgt: dict, I, J, p: Params) -> dict:
    """Evidence for beads of shape (a, b) ending at pivot position I, target position J.

    Returns arrays: ``len`` (Gale–Church cost, nats), ``anchor`` (Dice of anchor masks,
    NaN when neither side has one), ``id`` (share of ids that agree, NaN when a side
    has no usable id), ``kind`` (heading paired with body text), ``mt`` (Dice of
    trigram masks, NaN without a translation) and ``cost``.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return _bead_terms(a, b, src, tgt, np.asarray(I), np.asarray(J), p)


def _bead_terms(a, b, src, tgt, I, J, p):
    prior = p.priors[(a, b)]
    if a == 0 or b == 0:
        shape = np.broadcast(I, J).shape
        nan = np.full(shape, np.nan)
        return {"len": np.zeros(shape), "anchor": nan, "id": nan, "kind": np.zeros(shape, bool),
                "mt": nan, "emb": nan, "cost": np.full(shape, prior)}
    S, T = src[a], tgt[b]
    ls, lt = S.length[I], T.length[J]
    c = p.ratio
    delta = (lt - c * ls) / np.sqrt(p.variance * (ls + lt / c) / 2.0 + 1e-9)
    x = np.abs(delta) / math.sqrt(2.0)
    # a heavy tail (a few pairs with several times the variance): real renderings add
    # or drop whole phrases, and one odd clause must not cost more than a deletion
    len_cost = -np.logaddexp(math.log(1 - TAIL) + _log_erfc(x),
                             math.log(TAIL) + _log_erfc(x / math.sqrt(TAIL_SCALE)))
    # and a floor under the probability: lengths alone never make a pairing costlier
    # than LEN_CAP nats (a clause rendered in a few words is still its rendering; a
    # deletion + insertion needs other evidence: ids, anchors, the neighbours' fit)
    len_cost = np.minimum(len_cost, LEN_CAP)

    inter = _popcount(S.anchors[I][..., :] & T.anchors[J])
    tot = S.pop[I] + T.pop[J]
    with np.errstate(invalid="ignore", divide="ignore"):
        dice = np.where(tot > 0, 2.0 * inter / np.maximum(tot, 1), np.nan)

    sid = [x[I] for x in S.ids]
    tid = [x[J] for x in T.ids]
    valid = np.ones(np.broadcast(I, J).shape, dtype=bool)
    for x in sid:
        valid &= x >= 0
    for y in tid:
        valid &= y >= 0
    # ids compared position by position (first with first): a merged clause keeps
    # the first number, and shifted numbering must not make a 2-2 look right
    matches = sum((x == y).astype(np.float64) for x, y in zip(sid, tid))
    idscore = np.where(valid, matches / max(a, b), np.nan)

    ks, kt = S.kinds[I], T.kinds[J]
    kind = (ks > 0) & (kt > 0) & (ks != kt)

    if S.mt is not None and T.mt is not None:
        mi = _popcount(S.mt[I] & T.mt[J])
        mtot = S.mtpop[I] + T.mtpop[J]
        mt = np.where(mtot > 0, 2.0 * mi / np.maximum(mtot, 1), np.nan)
    else:
        mt = np.full(np.broadcast(I, J).shape, np.nan)

    if S.emb is not None and T.emb is not None:
        cos = _rowdot(S.emb, T.emb, I, J)
        emb = np.clip((cos - p.emb_base) / max(1e-6, 1.0 - p.emb_base), 0.0, 1.0)
    else:
        emb = np.full(np.broadcast(I, J).shape, np.nan)

    # Evidence terms are centred on "no evidence" (0): a good match earns a bonus, a
    # bad one a penalty, so a 1-0 + 0-1 pair never dodges what a 1-1 shows. Anchor
    # terms count anchors, so they add up the same whether a region is split or merged.
    cost = (prior + len_cost
            - p.w_anchor * inter + p.w_anchor_miss * (tot - 2 * inter)
            + np.where(np.isnan(idscore), 0.0,
                       p.w_id_miss - (p.w_id + p.w_id_miss) * np.nan_to_num(idscore))
            + p.w_kind * kind
            + (p.w_merge_numbered * valid if a > 1 or b > 1 else 0.0)
            + p.w_mt * np.where(np.isnan(mt), 0.0, 1.0 - 2.0 * np.nan_to_num(mt))
            + p.w_emb * np.where(np.isnan(emb), 0.0, 1.0 - 2.0 * np.nan_to_num(emb)))
    return {"len": len_cost, "anchor": dice, "id": idscore, "kind": kind, "mt": mt,
            "emb": emb, "cost": cost}


def _rowdot(A: np.ndarray, B: np.ndarray, I, J) -> np.ndarray:
    """A[I]·B[J] for broadcast index arrays, in slices that bound the memory used."""
    I, J = np.broadcast_arrays(I, J)
    if I.size:
        i0, i1, j0, j1 = int(I.min()), int(I.max()) + 1, int(J.min()), int(J.max()) + 1
        if (i1 - i0) * (j1 - j0) <= max(4 * I.size, 1 << 16):
            # the cells fill most of their rectangle (a short text, whose band is the
            # whole matrix): one matrix product beats gathering 512 floats per cell
            block = A[i0:i1] @ B[j0:j1].T
            return block[I - i0, J - j0].astype(np.float64)
    out = np.empty(I.shape, dtype=np.float64)
    flat_i, flat_j, flat_o = I.reshape(-1), J.reshape(-1), out.reshape(-1)
    step = max(1, 4_000_000 // max(1, A.shape[1]))
    for k in range(0, len(flat_i), step):
        a, b = A[flat_i[k:k + step]], B[flat_j[k:k + step]]
        flat_o[k:k + step] = np.einsum("nd,nd->n", a, b)
    return out


def _windows(side: Side) -> dict:
    return {k: _Windows(side, k) for k in (1, 2)}


def _band(n: int, m: int, w: int | None, centre: np.ndarray | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    rows = np.arange(n + 1)
    if w is None or n == 0:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    if centre is None:
        centre = rows * (m / n)
    lo = np.clip(np.floor(centre - w), 0, m).astype(np.int64)
    hi = np.clip(np.ceil(centre + w), 0, m).astype(np.int64)
    # keep consecutive rows connected (a bead moves at most 2 columns; 0-1 beads
    # move along a row), however steep the diagonal
    lo[1:] = np.minimum(lo[1:], hi[:-1] + 2)
    return lo, hi


def _shift(prev: np.ndarray, d: int, width: int) -> np.ndarray:
    """out[k] = prev[k + d] (inf outside prev)."""
    out = np.full(width, np.inf)
    lo_k = max(0, -d)
    hi_k = min(width, len(prev) - d)
    if hi_k > lo_k:
        out[lo_k:hi_k] = prev[lo_k + d:hi_k + d]
    return out


def _run(src: dict, tgt: dict, n: int, m: int, p: Params, w: int | None, centre=None):
    lo, hi = _band(n, m, w, centre)
    width = int((hi - lo).max()) + 1
    bp = np.full((n + 1, width), -1, dtype=np.int8)
    rows: dict[int, np.ndarray] = {}
    cols = np.arange(width)
    del_cost = float(p.priors[(0, 1)])
    costs = np.empty((len(BEADS) - 1, min(CHUNK, n + 1), width), dtype=np.float32)
    chunk_start = -1
    for i in range(n + 1):
        if i // CHUNK != chunk_start:
            # bead costs for a block of rows at once: the heavy, vectorised part
            chunk_start = i // CHUNK
            r0 = chunk_start * CHUNK
            r1 = min(n + 1, r0 + CHUNK)
            I = np.arange(r0, r1)[:, None]
            J = lo[r0:r1, None] + cols[None, :]
            inside = J <= hi[r0:r1, None]
            Jc = np.minimum(J, m)
            for t, (a, b) in enumerate(BEADS[:-1]):
                ok = inside & (I >= a) & (J >= b)
                # positions before a window can exist are masked by ``ok``; clip them
                # to a valid index so the vectorised lookup stays in bounds
                c = bead_terms(a, b, src, tgt, np.clip(I, a, max(a, n)) if a <= n else I * 0,
                               np.clip(Jc, b, max(b, m)) if b <= m else Jc * 0, p)["cost"]
                costs[t, : r1 - r0] = np.where(ok, c, np.inf)
        ci = i - chunk_start * CHUNK
        wi = int(hi[i] - lo[i]) + 1
        best = np.full(width, np.inf)       # scores in float64: long sums of costs
        arg = np.full(width, -1, dtype=np.int8)
        if i == 0 and lo[0] == 0:
            best[0] = 0.0
            arg[0] = 127  # start
        for t, (a, b) in enumerate(BEADS[:-1]):
            if i - a < 0:
                continue
            prev = rows.get(i - a)
            cand = _shift(prev, int(lo[i] - lo[i - a]) - b, width) + costs[t, ci]
            better = cand < best
            best = np.where(better, cand, best)
            arg[better] = t
        # 0-1 beads stay on the row: D[j] = min_k<=j (O[k] + (j-k)·del), a prefix minimum
        ramp = cols * del_cost
        run = np.minimum.accumulate(best - ramp) + ramp
        # (x - r) + r is not always x in floating point: only a clear gain is a 0-1
        ins = run < best - 1e-9 * (1.0 + np.abs(run))
        best = np.where(ins, run, best)
        arg[ins] = len(BEADS) - 1
        best[wi:] = np.inf
        arg[wi:] = -1
        bp[i] = arg
        rows[i] = best
        rows.pop(i - 3, None)
    # trace back
    path = []
    i, j = n, m
    edge = False
    while i > 0 or j > 0:
        k = j - lo[i]
        t = int(bp[i, k]) if 0 <= k < width else -1
        if t < 0 or t == 127:
            raise RuntimeError("alignment DP found no path")  # pragma: no cover
        if w is not None and ((k <= 1 and lo[i] > 0) or (hi[i] - j <= 1 and hi[i] < m)):
            edge = True
        a, b = BEADS[t]
        path.append((i, j, t))
        i, j = i - a, j - b
    path.reverse()
    return path, edge, float(rows[n][m - lo[n]])


def path_centre(beads, n: int) -> np.ndarray:
    """Per pivot row, the target column a previous alignment passed through: the band
    of a second pass follows it instead of the straight diagonal."""
    centre = np.zeros(n + 1)
    for rs, rt, _ in beads:
        centre[rs.stop] = max(centre[rs.stop], rt.stop)
    return np.maximum.accumulate(centre)


def align_sides(src: Side, tgt: Side, p: Params, centre: np.ndarray | None = None
                ) -> list[tuple[range, range, dict]]:
    """Best monotone bead sequence; each bead: (pivot range, target range, evidence).

    ``centre`` (from ``path_centre``) centres the band on an earlier path."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return ([(range(i, i + 1), range(0), _deletion()) for i in range(n)]
                + [(range(0), range(j, j + 1), _deletion()) for j in range(m)])
    sw, tw = _windows(src), _windows(tgt)
    if p.band is not None:
        w = p.band
    elif (n + 1) * (m + 1) <= FULL_CELLS:
        w = None
    else:
        w = max(MIN_BAND, 2 * math.ceil(m / n) + 4, 2 * math.ceil(n / m) + 4)
    while True:
        path, edge, _ = _run(sw, tw, n, m, p, w, centre)
        if not edge or w is None or (p.band is not None):
            break
        w *= 2
        if (n + 1) * (2 * w + 1) >= (n + 1) * (m + 1):
            w = None
    return _evidence(path, sw, tw, p)


def _deletion() -> dict:
    return {"len": 0.0, "anchor": float("nan"), "id": float("nan"), "kind": False,
            "mt": float("nan"), "emb": float("nan"), "cost": PRIORS[(1, 0)],
            "margin": float("inf")}


def _evidence(path, sw, tw, p):
    out: list = [None] * len(path)
    by_type: dict[int, list[int]] = {}
    for k, (_, _, t) in enumerate(path):
        by_type.setdefault(t, []).append(k)
    for t, ks in by_type.items():
        a, b = BEADS[t]
        I = np.array([path[k][0] for k in ks])
        J = np.array([path[k][1] for k in ks])
        ev = bead_terms(a, b, sw, tw, I, J, p)
        ev["margin"] = _margin(a, b, sw, tw, I, J, p, ev["cost"])
        for x, k in enumerate(ks):
            out[k] = {key: (v[x].item() if hasattr(v[x], "item") else v[x])
                      for key, v in ev.items()}
    beads = []
    for (i, j, t), ev in zip(path, out):
        a, b = BEADS[t]
        beads.append((range(i - a, i), range(j - b, j), ev))
    return beads


def _margin(a, b, sw, tw, I, J, p, cost) -> np.ndarray:
    """How much worse the same pivot units would fare paired one target unit earlier
    or later (and the same target units one pivot unit off): a pairing that beats
    its neighbours clearly is unambiguous, whatever its absolute cost."""
    n, m = len(sw[1].length) - 1, len(tw[1].length) - 1
    best_alt = np.full(len(I), np.inf)
    if a == 0 or b == 0:
        return best_alt
    for di, dj in ((0, -1), (0, 1), (-1, 0), (1, 0)):
        I2, J2 = I + di, J + dj
        ok = (I2 >= a) & (I2 <= n) & (J2 >= b) & (J2 <= m)
        if not ok.any():
            continue
        alt = bead_terms(a, b, sw, tw, np.clip(I2, a, n), np.clip(J2, b, m), p)["cost"]
        best_alt = np.where(ok, np.minimum(best_alt, alt), best_alt)
    return best_alt - cost


def confidence(shape: tuple[int, int], ev: dict) -> float:
    """A bead's confidence in [0, 1] from its evidence (noisy-or of independent cues).

    Length agreement alone gives at most 0.6 (lengths also agree by chance), anchors
    0.7, machine-translation similarity 0.8, agreeing ids 0.9 — ids only count when
    the lengths are not absurd — and the margin over the neighbouring pairings (the
    same units one position off) up to 0.85: 1 − e^(−margin/2), margin in nats. Merges and splits are discounted; a 1-0 or 0-1 bead is
    a claim of absence that the evidence cannot confirm, so it gets 0.5. This is the
    raw confidence; ``calibration.calibrate`` maps it onto the share of beads that were
    right on labelled data.
    """
    a, b = shape
    if a == 0 or b == 0:
        return 0.5
    p_len = math.exp(-ev["len"])
    miss = 1.0 - 0.6 * p_len
    if not math.isnan(ev["anchor"]):
        miss *= 1.0 - 0.7 * ev["anchor"]
    if not math.isnan(ev["mt"]):
        miss *= 1.0 - 0.8 * ev["mt"]
    if not math.isnan(ev.get("emb", math.nan)):
        miss *= 1.0 - 0.8 * ev["emb"]
    if not math.isnan(ev["id"]) and p_len > 1e-3:
        miss *= 1.0 - 0.9 * ev["id"]
    margin = ev.get("margin", math.inf)
    if math.isfinite(margin):
        miss *= 1.0 - 0.85 * (1.0 - math.exp(-max(margin, 0.0) / 2.0))
    conf = 1.0 - miss
    conf *= {(1, 1): 1.0, (2, 1): 0.95, (1, 2): 0.95}.get((a, b), 0.9)
    if ev["kind"]:
        conf *= 0.5
    return max(0.0, min(1.0, conf))


def estimate(src_lengths, tgt_lengths, beads=None, ids=None, ratio: float | None = None
             ) -> tuple[float, float]:
    """Ratio and Gale–Church variance for a pair.

    Without beads the ratio is the total target length over the total pivot length,
    or, when ``ids`` (pivot codes, target codes) pair some units, the ratio over those
    pairs: a rendering that adds or drops whole clauses shifts the totals, not the
    paired clauses. The variance is then Gale & Church's 6.8 scaled by the ratio. With
    beads from a first pass both are estimated from its 1-1 beads (the ratio once there
    are three of them); the variance robustly: δ² ~ χ²₁, whose upper quartile is 1.323
    (the upper quartile rather than the median: real length differences are
    heavier-tailed than a normal law, and too tight a variance breaks good pairs), and
    never below VAR_FLOOR × ratio: on a very literal rendering the quartile is tiny, and
    length differences of a few characters would then outweigh ids and anchors.
    ``ratio``: the first pass's, kept when its beads are too few to estimate one.
    """
    s = float(np.sum(src_lengths)) or 1.0
    t = float(np.sum(tgt_lengths)) or 1.0
    c = ratio or t / s
    if not beads:
        if ids is not None:
            c = _id_ratio(src_lengths, tgt_lengths, *ids) or c
        return c, 6.8 * c
    ones = [(src_lengths[r_s[0]], tgt_lengths[r_t[0]]) for r_s, r_t, _ in beads
            if len(r_s) == 1 and len(r_t) == 1]
    if len(ones) >= 3:
        ps, pt = sum(a for a, _ in ones), sum(b for _, b in ones)
        if ps > 0 and pt > 0:
            c = pt / ps
    if len(ones) < 10:
        return c, 6.8 * c
    d2 = [(lt - c * ls) ** 2 / ((ls + lt / c) / 2.0 + 1e-9) for ls, lt in ones]
    var = float(np.quantile(d2, 0.75)) / 1.323
    return c, max(var, VAR_FLOOR * c)


def _id_ratio(src_lengths, tgt_lengths, src_ids, tgt_ids) -> float | None:
    where = {int(x): j for j, x in enumerate(tgt_ids) if x >= 0}
    ps = pt = 0.0
    for i, x in enumerate(src_ids):
        j = where.get(int(x)) if x >= 0 else None
        if j is not None:
            ps += float(src_lengths[i])
            pt += float(tgt_lengths[j])
    return pt / ps if ps > 0 and pt > 0 else None
