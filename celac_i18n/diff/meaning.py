"""Similarity by meaning for the diff: two versions in different languages compared
with no engine, through the semantic layer's sentence encoder.

Across languages no n-gram is shared, so the matcher (match.py) takes its similarities
from here instead: the cosine of the units' embeddings. The same structure cues apply
(ids, in-place anchors); what changes is the scale, so every threshold is measured on
the two documents (calibrate.py on the embedding similarities) and two more are added:

- ``margin``: a pair that is each unit's best and beats the runners-up by at least
  the spread of the document's faithful pairs (on average over its two units) is
  taken with nothing else in favour (a moved clause keeps its meaning, not its place
  or number);
- ``join``: a split or a merge is a unit whose neighbour, joined to its partner (the
  embedding of the joined text), brings it closer to the whole by more than joining
  the next unit does for the document's faithful pairs (the 95th percentile of that
  gain). The joined text is embedded, not the parts' embeddings averaged: a short
  second sentence barely moves the encoder's vector of a clause, and the average of
  a long and a short part is pulled towards the short one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UserError

if TYPE_CHECKING:
    import numpy as np

# (units are match.Item; not imported here: match imports this module)

ROWS = 1024          # rows of the similarity matrix computed at a time
DENSE = 200_000      # below this many pairs keep every pair (no top-k blocking)
JOIN_SAMPLE = 80     # faithful pairs on which the gain of joining a neighbour is measured


class NotCovered(UserError):
    """The encoder does not cover a version's language."""


class Meaning:
    """Embeddings of the units of two versions (``old_lang``, ``new_lang``)."""

    def __init__(self, sem, old_lang: str, new_lang: str) -> None:
        self.sem = sem
        self.langs = (old_lang, new_lang)
        self.name = sem.name

    def embed(self, texts: list[str], side: int) -> np.ndarray:
        e = self.sem.embed(texts, self.langs[side])
        if e is None:
            raise NotCovered(f"the sentence encoder {self.name} does not cover "
                             f"'{self.langs[side]}'")
        return e

    def items(self, items: list, side: int) -> np.ndarray:
        return self.embed([it.text for it in items], side)

    def matrix(self, old: list, new: list):
        return self.items(old, 0) @ self.items(new, 1).T

    def sims(self, old: list, new: list, keep: set, floor: float,
             k: int) -> dict[tuple[int, int], float]:
        """Similarity of candidate pairs: every pair for a plan-sized diff, else each
        unit's ``k`` best each way plus ``keep``; pairs below ``floor`` are dropped
        (unless kept)."""
        import numpy as np

        eo, en = self.items(old, 0), self.items(new, 1)
        out: dict[tuple[int, int], float] = {}
        if len(old) * len(new) <= DENSE:
            s = eo @ en.T
            for i, j in zip(*np.nonzero(s >= floor)):
                out[(int(i), int(j))] = float(s[i, j])
        else:
            for a, b, flip in ((eo, en, False), (en, eo, True)):
                kk = min(k, len(b))
                for r0 in range(0, len(a), ROWS):
                    s = a[r0:r0 + ROWS] @ b.T
                    top = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
                    for r, cols in enumerate(top):
                        for c in cols:
                            v = float(s[r, c])
                            if v >= floor:
                                key = (int(c), r0 + r) if flip else (r0 + r, int(c))
                                out[key] = v
        for i, j in keep:
            if (i, j) not in out:
                out[(i, j)] = float(eo[i] @ en[j])
        return {key: min(1.0, v) for key, v in out.items()}

    def joined(self, parts: list[list], side: int) -> np.ndarray:
        """The embedding of each group's texts joined in document order."""
        return self.embed([" ".join(it.text for it in sorted(g, key=lambda x: x.idx))
                           for g in parts], side)


def sure_pairs(sims: dict[tuple[int, int], float], margin: float, floor: float) -> set:
    """Pairs that are each unit's best, at least ``floor``, and beat the two units'
    runners-up by ``margin`` on average (a moved clause's old text may have a near
    twin in its new chapter, but then its own row is clear)."""
    rows: dict[int, list[float]] = {}
    cols: dict[int, list[float]] = {}
    best_r: dict[int, tuple[float, int]] = {}
    best_c: dict[int, tuple[float, int]] = {}
    for (i, j), s in sims.items():
        rows.setdefault(i, []).append(s)
        cols.setdefault(j, []).append(s)
        if s > best_r.get(i, (-2.0, -1))[0]:
            best_r[i] = (s, j)
        if s > best_c.get(j, (-2.0, -1))[0]:
            best_c[j] = (s, i)

    def second(xs: list[float]) -> float:
        return sorted(xs)[-2] if len(xs) > 1 else 0.0

    out = set()
    for i, (s, j) in best_r.items():
        if best_c[j][1] == i and s >= floor and \
                s - (second(rows[i]) + second(cols[j])) / 2 >= margin:
            out.add((i, j))
    return out


def join_gain(meaning: Meaning, old: list, new: list,
              sims: dict[tuple[int, int], float]) -> float | None:
    """The 95th percentile of what joining the next unit to one side of a confident
    pair adds to its similarity (usually a loss: the pair's texts are diluted); None
    with fewer than 8 pairs to measure."""
    import numpy as np

    best_r: dict[int, tuple[float, int]] = {}
    best_c: dict[int, tuple[float, int]] = {}
    for (i, j), s in sims.items():
        if s > best_r.get(i, (-2.0, -1))[0]:
            best_r[i] = (s, j)
        if s > best_c.get(j, (-2.0, -1))[0]:
            best_c[j] = (s, i)
    pairs = sorted((i, j) for i, (s, j) in best_r.items() if best_c[j][1] == i)
    step = max(1, len(pairs) // JOIN_SAMPLE)
    pairs = [(i, j) for i, j in pairs[::step] if i + 1 < len(old) and j + 1 < len(new)]
    if len(pairs) < 8:
        return None
    eo, en = meaning.items(old, 0), meaning.items(new, 1)
    jn = meaning.joined([[new[j], new[j + 1]] for i, j in pairs], 1)
    jo = meaning.joined([[old[i], old[i + 1]] for i, j in pairs], 0)
    gains = []
    for k, (i, j) in enumerate(pairs):
        s = float(eo[i] @ en[j])
        gains += [float(eo[i] @ jn[k]) - s, float(jo[k] @ en[j]) - s]
    return float(np.quantile(gains, 0.95))


# Fallbacks where a document has too few confident pairs to measure (a five-clause
# excerpt): the spread of the plan's faithful es-zh pairs, and a join gain that the
# 95th percentile measured on the plan's faithful pairs stays below.
FALLBACK_MARGIN, FALLBACK_JOIN, LEAST_JOIN = 0.1, 0.05, 0.02


def calibrate_meaning(old: list, new: list, th, meaning: Meaning,
                      joins: bool = True):
    """calibrate.py's thresholds measured on embedding similarities, plus ``margin``
    (the faithful pairs' robust spread) and ``join`` (see ``join_gain``).

    ``reword`` is also kept at or below the midpoint between the impostors' and the
    faithful pairs' medians: an encoder gives a pair with a narrow spread (en-es: 0.04)
    a tail of faithful translations three spreads down, which are still far nearer
    their own kind than an unrelated clause; a rewrite falls to the impostors' level.
    """
    from dataclasses import replace

    from ..semantic.similarity import MIN_SPREAD
    from .calibrate import calibrate

    cal = calibrate(old, new, None, th, True, sims_of=meaning.matrix)
    if cal.baseline["n"] >= 8:
        imp = cal.impostor["median"]
        mid = (imp + cal.baseline["median"]) / 2
        cal = replace(cal, reword=max(imp, min(cal.reword, mid)))
    margin = FALLBACK_MARGIN if cal.baseline["n"] < 8 else \
        max(cal.baseline.get("spread", 0.0), MIN_SPREAD)
    join = None
    if joins:
        gain = join_gain(meaning, old, new, meaning.sims(old, new, set(), -1.0, 10))
        join = FALLBACK_JOIN if gain is None else max(gain, LEAST_JOIN)
    return replace(cal, measure=meaning.name, margin=margin, join=join)
