"""What similarities mean for a language pair in a given document: the level of
unrelated pairs, and the distribution of the document's own confident pairs, from
which every "far below its pair's usual" judgement is calibrated (no constants: the
encoder, the language pair and the kind of text all move the scale).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def unrelated_level(a: np.ndarray, b: np.ndarray, samples: int = 2000) -> float:
    """The mean cosine of random pairs (fixed seed): nearly none translate each other."""
    if not len(a) or not len(b):
        return 0.0
    rng = np.random.default_rng(0)
    i = rng.integers(0, len(a), samples)
    j = rng.integers(0, len(b), samples)
    return float(np.einsum("nd,nd->n", a[i], b[j]).mean())


@dataclass(frozen=True)
class Baseline:
    """A document's own faithful-pair similarities for one language pair: robust centre
    and spread (median, 1.4826 × MAD), and the unrelated level."""

    centre: float
    spread: float
    unrelated: float
    n: int

    def z(self, s: float) -> float:
        return (s - self.centre) / self.spread

    def to_dict(self) -> dict:
        return {"median": round(self.centre, 4), "spread": round(self.spread, 4),
                "unrelated": round(self.unrelated, 4), "pairs": self.n}


# a spread below this is noise in the estimate, not a property of the pair
MIN_SPREAD = 0.04


def robust_centre(values, min_n: int = 5) -> tuple[float, float, int] | None:
    """(median, 1.4826 x MAD, n) of the finite values; None with fewer than ``min_n``.
    The median and MAD, not mean and deviation: the pairs being judged are in the data."""
    s = np.asarray([x for x in values if x is not None and np.isfinite(x)], dtype=np.float64)
    if len(s) < min_n:
        return None
    med = float(np.median(s))
    return med, float(np.median(np.abs(s - med))) * 1.4826, len(s)


def baseline(sims, unrelated: float) -> Baseline | None:
    """The baseline of confident pairs' similarities; None with fewer than 5."""
    got = robust_centre(sims)
    if got is None:
        return None
    med, mad, n = got
    return Baseline(med, max(mad, MIN_SPREAD), unrelated, n)
