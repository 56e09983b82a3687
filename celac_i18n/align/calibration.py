"""From a bead's raw confidence (``dp.confidence``: a noisy-or of its cues) to the share
of beads like it that are right.

The map is an isotonic regression fitted by ``benchmarks/align_calibrate.py`` on
labelled variants of the 2022-2024 plan (es against the en, zh and pt reference
renderings: as parsed, numbering stripped, clauses merged and dropped, as paragraphs and
as lines); the real public texts of ``benchmarks/align_anchors.py`` were kept out of the
fit and measure it (the reliability table in BENCHMARKS.md). One-sided beads (1-0 / 0-1)
have no cues of their own and get the share of them that was right.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

# `benchmarks/align_calibrate.py`, 2026-11-30: fitted on 3,865 plan beads (3,858 right,
# weight 0.1 each) and 420 beads of the UN Charter, GDPR and 2021 CCF declaration
# excerpts (398 right); raw confidence → share right, linear between knots (the fit's
# 14 knots from 0.912 to 0.997 all at 1.000 are left out: the line is the same)
KNOTS_RAW = (0.372, 0.802, 0.891, 0.998)
KNOTS_RIGHT = (0.895, 0.921, 1.000, 1.000)
ONE_SIDED = 0.802
# no bead is certain: the map's top is held below 1 (its fit saw no error above 0.96
# raw, but real texts have errors no cue sees, such as a unit spanning two paragraphs)
CEILING = 0.995
VERSION = "iso-20261130d"

_enabled = True


def calibrate(raw: float, one_sided: bool) -> float:
    if not _enabled:
        return raw
    if one_sided:
        return ONE_SIDED
    return min(CEILING, float(np.interp(raw, KNOTS_RAW, KNOTS_RIGHT)))


@contextmanager
def raw():
    """Raw confidences inside the block (for fitting the map)."""
    global _enabled
    before, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = before
