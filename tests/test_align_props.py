"""Property tests: the aligner never crashes on arbitrary unit lists, and its beads are
monotone, cover both sides and hold every unit exactly once."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from celac_i18n.align import dp
from celac_i18n.align.beads import Segment
from celac_i18n.align.pair import SideInput, align_pair, combine
from celac_i18n.align.segments import split_paragraphs

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
kinds = st.sampled_from(["clause", "chapter", "section", "preamble", "title", "paragraph"])
units = st.lists(st.tuples(st.sampled_from(["I.1", "I.2", "II", "p1", "x"]), kinds, texts),
                 max_size=25)


def _side(lang, items, positional):
    return SideInput(lang, [Segment(uid, kind, text) for uid, kind, text in items], positional)


def _check_cover(beads, n, m):
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(n))          # each once, in order: monotone and covering
    assert tgt == list(range(m))
    for b in beads:
        assert b.src or b.tgt
        assert len(b.src) <= 2 and len(b.tgt) <= 2
        assert 0.0 <= b.confidence <= 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units, units, st.booleans(), st.sampled_from(["es", "en", "zh", "pt"]))
def test_pair_alignment_covers_both_sides(a, b, positional, lang):
    beads, params = align_pair(_side("es", a, False), _side(lang, b, positional))
    _check_cover(beads, len(a), len(b))
    assert params.ratio > 0 and params.variance > 0


@settings(max_examples=30, deadline=None)
@given(units, units, units)
def test_n_language_beads_hold_every_unit_once(a, b, c):
    pivot, o1, o2 = _side("es", a, False), _side("en", b, False), _side("zh", c, True)
    pairs = [align_pair(pivot, o)[0] for o in (o1, o2)]
    beads = combine("clause", pivot, [o1, o2], pairs)
    for side in (pivot, o1, o2):
        seen = [s for bead in beads for s in bead.segs[side.lang]]
        assert seen == side.segs      # every unit once, in document order
    assert [b.n for b in beads] == list(range(1, len(beads) + 1))
    assert all(any(b.segs.values()) for b in beads)


def _plain_side(lengths):
    n = len(lengths)
    return dp.make_side(lengths, np.zeros((n, 2), dtype=np.uint64), [-1] * n, [0] * n)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 400), min_size=1, max_size=120),
       st.lists(st.integers(1, 400), min_size=1, max_size=120), st.integers(1, 8))
def test_banded_dp_never_beats_the_full_matrix(la, lb, w):
    p = dp.Params(ratio=1.0, variance=2.0)
    sa, sb = _plain_side(la), _plain_side(lb)
    full = dp._run(dp._windows(sa), dp._windows(sb), len(la), len(lb), p, None)
    banded = dp._run(dp._windows(sa), dp._windows(sb), len(la), len(lb), p, w)
    assert banded[2] >= full[2] - 1e-6     # a band only removes paths


def test_band_widens_around_a_long_insertion(monkeypatch):
    """40 extra units in the middle put the path 40 cells off the diagonal: a band
    starting at ±4 must widen until it finds the same alignment as the full matrix."""
    rng = np.random.default_rng(7)
    base = list(rng.integers(20, 400, size=200))
    extra = list(rng.integers(20, 400, size=40))
    la, lb = base, base[:100] + extra + base[100:]
    p = dp.Params(ratio=1.0, variance=1.0)
    full = dp.align_sides(_plain_side(la), _plain_side(lb), p)
    monkeypatch.setattr(dp, "FULL_CELLS", 0)
    monkeypatch.setattr(dp, "MIN_BAND", 4)
    banded = dp.align_sides(_plain_side(la), _plain_side(lb), p)
    shape = lambda beads: [(list(s), list(t)) for s, t, _ in beads]  # noqa: E731
    assert shape(banded) == shape(full)
    # the path really left the starting band: 30+ cells off the diagonal
    assert max(t.stop - s.stop for s, t, _ in banded if s and t) >= 30


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_split_paragraphs_never_crashes_and_keeps_letters(text):
    paras = split_paragraphs(text)
    assert all(p.strip() == p and p for p in paras)
    letters = lambda s: [c for c in s if c.isalnum()]  # noqa: E731
    from celac_i18n.parse.parser import normalize_text

    assert letters("".join(paras)).__len__() <= len(letters(normalize_text(text)))
