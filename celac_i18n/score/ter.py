"""Exact TER: sacrebleu 2.6's edit distance with shifts, the same results with less work.

sacrebleu's TER (``sacrebleu.metrics.lib_ter``, after Tercom) is a greedy search: find
the block shift that lowers the beam edit distance to the reference most, apply it,
repeat until no shift helps or 1,000 candidates have been checked; TER = (shifts + edit
distance) / reference length. Every candidate costs a pure-Python edit distance, which
made TER most of our scoring time. This module runs the same search and returns the
same statistics for every segment (tests/test_score_ter.py holds it to sacrebleu's),
doing less work:

- Words become integer ids; candidate shifts come from a position index of the
  reference instead of a scan of every (hypothesis, reference) position pair.
- The search stops as soon as the candidate count reaches the limit: that round's best
  shift is never applied, so its candidates need no edit distance at all.
- A candidate's distance comes from rapidfuzz's compiled Levenshtein. sacrebleu's beam
  only computes cells near the diagonal, so its distance can exceed the true one; it
  cannot when every cell an optimal path may touch lies inside the beam, and that is
  true for every distance up to a bound computed once per segment from the two lengths
  (:func:`_safe_distance`). Above the bound the exact beam distance is computed, and
  only for candidates that could still beat the best one found.
- The current hypothesis (whose edit trace picks the candidates) is computed exactly,
  with sacrebleu's tie-breaking, reusing the matrix rows of the previous round's
  hypothesis for the prefix the two share, and only in the cells a path as cheap as
  its (known) distance can cross: every cell on a cheapest path keeps its beam value
  and every other cell gets one at least as high, so the backtrack, which steps to a
  neighbour whose value plus the step's cost equals the cell's, turns as sacrebleu's.
- Segments where one side is the other with words left out need no search.
"""

from __future__ import annotations

import math
from typing import Sequence

# sacrebleu 2.6's limits (lib_ter.py), which its results depend on
MAX_SHIFT_SIZE = 10
MAX_SHIFT_DIST = 50
BEAM_WIDTH = 25
MAX_SHIFT_CANDIDATES = 1000
INF = 10 ** 16


def _band(n_h: int, n_r: int) -> list[tuple[int, int]]:
    """Columns [lo, hi) of the reference computed in each hypothesis row (row 0 is
    complete): sacrebleu's beam around the length-ratio diagonal, with its float maths."""
    ratio = n_r / n_h if n_h else 1
    width = math.ceil(ratio / 2 + BEAM_WIDTH) if BEAM_WIDTH < ratio / 2 else BEAM_WIDTH
    rows = [(0, n_r + 1)]
    for i in range(1, n_h + 1):
        diag = math.floor(i * ratio)
        rows.append((max(0, diag - width), n_r + 1 if i == n_h else min(n_r + 1, diag + width)))
    return rows


def _safe_distance(n_h: int, n_r: int, band: list[tuple[int, int]]) -> int:
    """A distance d up to which the beam distance equals the true edit distance.

    A path of cost d passes only through cells (i, j) with |i - j| + |(n_h - i) - (n_r -
    j)| <= d (both parts need at least that many insertions or deletions), i.e. j in
    [(a - d) / 2, (a + d) / 2] with a = 2i + n_r - n_h. If that interval lies inside
    the row's beam for every row, an optimal path is inside the beam and the beam finds
    it. The bound is kept conservative by one on each side.
    """
    safe = INF
    for i in range(1, n_h + 1):
        lo, hi = band[i]
        a = 2 * i + n_r - n_h
        if lo > 0:
            safe = min(safe, a - 2 * lo)
        if hi <= n_r:
            safe = min(safe, 2 * hi - a - 2)
    return max(safe, -1)


class _Segment:
    """The search for one hypothesis against one reference (both as integer ids)."""

    def __init__(self, hyp: list[int], ref: list[int]):
        self.ref = ref
        self.n_h, self.n_r = len(hyp), len(ref)
        self.band = _band(self.n_h, self.n_r)
        self.safe = _safe_distance(self.n_h, self.n_r, self.band)
        self.where: dict[int, list[int]] = {}
        for j, w in enumerate(ref):
            self.where.setdefault(w, []).append(j)
        # matrix rows of the hypothesis last computed exactly
        self.words: list[int] = []
        self.costs = [list(range(self.n_r + 1))]

    # -- the beam edit distance ------------------------------------------------------

    def _fill(self, words: list[int], start: int, costs: list, bound: int) -> None:
        """Rows start+1 .. n_h of the beam matrix, cells outside it at INF (sacrebleu's
        'x'). Only cells a path of cost <= ``bound`` can cross are computed: every value
        on such a path is still exact, and a distance above the bound comes out above
        it. Rows kept from a larger bound are as good (their cells are a superset)."""
        ref, n_r = self.ref, self.n_r
        offset = n_r - self.n_h
        for i in range(start + 1, self.n_h + 1):
            lo, hi = self.band[i]
            if bound < INF:
                a = 2 * i + offset         # see _safe_distance
                x = (a - bound + 1) // 2
                if x > lo:
                    lo = x
                x = (a + bound) // 2 + 1
                if x < hi:
                    hi = x
            prev = costs[i - 1]
            row = [INF] * (n_r + 1)
            if lo < hi:
                w = words[i - 1]
                if lo == 0:
                    left = row[0] = min(prev[0] + 1, INF)
                    lo = 1
                else:
                    left = INF
                vals = []
                push = vals.append
                # cost = min(diagonal (+1 unless the words match), above + 1, left + 1);
                # cells no path reaches come out at INF or a little above, never below
                for r, d, u in zip(ref[lo - 1:hi - 1], prev[lo - 1:hi - 1], prev[lo:hi]):
                    if r != w:
                        d += 1
                    u += 1
                    if u < d:
                        d = u
                    left += 1
                    if d < left:
                        left = d
                    push(left)
                row[lo:hi] = vals
            if len(costs) > i:
                costs[i] = row
            else:
                costs.append(row)

    def _common_prefix(self, words: list[int]) -> int:
        p, old = 0, self.words
        n = min(len(old), len(words))
        while p < n and old[p] == words[p]:
            p += 1
        return p

    def current(self, words: list[int], bound: int) -> int:
        """Exact beam distance of ``words`` (at most ``bound``), keeping its rows for
        the trace."""
        self._fill(words, self._common_prefix(words), self.costs, bound)
        self.words = list(words)
        return self.costs[self.n_h][self.n_r]

    def beam_distance(self, words: list[int], bound: int) -> int:
        """Exact beam distance of a candidate when it is at most ``bound`` (else some
        larger number), from the current hypothesis's rows for their shared prefix."""
        p = self._common_prefix(words)
        costs = self.costs[:p + 1]
        self._fill(words, p, costs, bound)
        return costs[self.n_h][self.n_r]

    def alignment(self) -> tuple[list[int], list[int], list[int]]:
        """From the current hypothesis's trace: for each reference word the hypothesis
        position it is aligned to (as sacrebleu's trace_to_alignment, -1 before the
        first), and the prefix sums of error flags on hypothesis and reference words.

        The trace follows sacrebleu's preference where costs tie: match/substitution,
        then deletion of a hypothesis word, then insertion of a reference word.
        """
        costs, ref, words = self.costs, self.ref, self.words
        i, j = self.n_h, self.n_r
        trail = []                         # 0 match, 1 substitution, 2 hyp-only, 3 ref-only
        while i > 0 or j > 0:
            v = costs[i][j]
            if v >= INF:
                raise RuntimeError("TER trace reached a cell outside the beam")
            if i == 0:
                o = 3
            elif j == 0:
                o = 2
            else:
                sub = ref[j - 1] != words[i - 1]
                if costs[i - 1][j - 1] + sub == v:
                    o = int(sub)
                elif costs[i - 1][j] + 1 == v:
                    o = 2
                else:
                    o = 3
            trail.append(o)
            if o < 2:
                i, j = i - 1, j - 1
            elif o == 2:
                i -= 1
            else:
                j -= 1
        align = []
        hyp_err, ref_err = [0], [0]
        pos_h = -1
        for o in reversed(trail):
            if o < 2:
                pos_h += 1
                align.append(pos_h)
                hyp_err.append(hyp_err[-1] + o)
                ref_err.append(ref_err[-1] + o)
            elif o == 2:
                pos_h += 1
                hyp_err.append(hyp_err[-1] + 1)
            else:
                align.append(pos_h)
                ref_err.append(ref_err[-1] + 1)
        return align, hyp_err, ref_err

    # -- the shift search ------------------------------------------------------------

    def candidates(self, words: list[int], checked: int) -> tuple[list[tuple[int, int, int]], int]:
        """Shifts (start, length, target) in sacrebleu's order, and the running count of
        checked candidates (the count includes repeats, as sacrebleu's does)."""
        align, hyp_err, ref_err = self.alignment()
        ref, n_h, n_r, where = self.ref, self.n_h, self.n_r, self.where
        out = []
        # the first hypothesis error at or after each position: a block needs one
        first_err, nxt = [n_h] * (n_h + 1), n_h
        for k in range(n_h - 1, -1, -1):
            if hyp_err[k + 1] != hyp_err[k]:
                nxt = k
            first_err[k] = nxt
        for sh in range(n_h):
            if first_err[sh] - sh >= MAX_SHIFT_SIZE or first_err[sh] == n_h:
                continue
            for sr in where.get(words[sh], ()):
                if sr - sh > MAX_SHIFT_DIST:
                    break
                if sh - sr > MAX_SHIFT_DIST:
                    continue
                length = 0
                while True:
                    length += 1
                    # sacrebleu's filters: the hypothesis block has an error, the
                    # reference block has an error, the target is outside the block
                    if (hyp_err[sh + length] - hyp_err[sh] and ref_err[sr + length] - ref_err[sr]
                            and not sh <= align[sr] < sh + length):
                        prev = -1
                        for off in range(-1, length):
                            target = 0 if sr + off == -1 else align[sr + off] + 1
                            if target == prev:
                                continue
                            prev = target
                            out.append((sh, length, target))
                            checked += 1
                        if checked >= MAX_SHIFT_CANDIDATES:
                            return out, checked
                    if (length == MAX_SHIFT_SIZE or sh + length == n_h or sr + length == n_r
                            or words[sh + length] != ref[sr + length]):
                        break
        return out, checked

    def best_shift(self, words: list[int], pre: int, shifts: list[tuple[int, int, int]]):
        """(shifted words, their distance) for the shift sacrebleu would pick (highest
        gain, then longest block, earliest start, earliest target), or None when no
        shift lowers the distance."""
        from rapidfuzz.distance import Levenshtein

        seen: dict[tuple[int, int, int], list[int]] = {}
        for s in shifts:
            if s not in seen:
                seen[s] = shift_words(words, *s)
        best_key, best = None, None
        unsure = []
        for (sh, length, target), shifted in seen.items():
            # the true distance bounds the beam distance from below: no gain, no use
            d = Levenshtein.distance(shifted, self.ref, score_cutoff=max(pre - 1, 0))
            if d >= pre:
                continue
            key = (pre - d, length, -sh, -target)
            if d > self.safe:
                unsure.append((key, shifted))
            elif best_key is None or key > best_key:
                best_key, best = key, (shifted, d)
        unsure.sort(key=lambda kw: kw[0], reverse=True)
        for key, shifted in unsure:
            if best_key is not None and key <= best_key:
                break                      # bounds only fall from here on
            # only a distance that ties or beats the best gain matters
            d = self.beam_distance(shifted, pre - (best_key[0] if best_key else 1))
            exact = (pre - d,) + key[1:]
            if d < pre and (best_key is None or exact > best_key):
                best_key, best = exact, (shifted, d)
        return best

    def edits(self, words: list[int]) -> int:
        from rapidfuzz.distance import Levenshtein

        shifts, checked = 0, 0
        d = Levenshtein.distance(words, self.ref)
        if d <= self.safe and d == abs(self.n_r - self.n_h):
            # one side is the other with words left out: every step of the trace is a
            # match or a one-sided word, so no block has errors on both sides and no
            # shift is a candidate (sacrebleu's filters)
            return d
        bound = d if d <= self.safe else INF
        while True:
            pre = self.current(words, bound)
            found, checked = self.candidates(words, checked)
            if checked >= MAX_SHIFT_CANDIDATES:
                break                      # sacrebleu stops without applying this round
            best = self.best_shift(words, pre, found)
            if best is None:
                break
            shifts += 1
            words, bound = best
        return shifts + pre


def shift_words(words: list, start: int, length: int, target: int) -> list:
    """The block words[start:start+length] moved as sacrebleu's _perform_shift moves it
    (a target inside the block reads as an offset past the block's end)."""
    if target < start:
        return words[:target] + words[start:start + length] + words[target:start] \
            + words[start + length:]
    if target > start + length:
        return words[:start] + words[start + length:target] + words[start:start + length] \
            + words[target:]
    return words[:start] + words[start + length:length + target] \
        + words[start:start + length] + words[length + target:]


def translation_edits(hyp_words: Sequence[str], ref_words: Sequence[str]) -> tuple[int, int]:
    """(number of edits, reference length) of tokenised words, as sacrebleu's
    ``translation_edit_rate``."""
    n_r = len(ref_words)
    if n_r == 0:
        return len(hyp_words), 0
    ids: dict[str, int] = {}
    ref = [ids.setdefault(w, len(ids)) for w in ref_words]
    hyp = [ids.setdefault(w, len(ids)) for w in hyp_words]
    return _Segment(hyp, ref).edits(hyp), n_r


def tokenizer(normalized: bool = False, asian_support: bool = False,
              case_sensitive: bool = False, no_punct: bool = False):
    """sacrebleu's Tercom tokenizer with these settings (ours: the same output, faster)."""
    from .ter_tokenizer import TercomTokenizer

    return TercomTokenizer(normalized=normalized, no_punct=no_punct,
                           asian_support=asian_support, case_sensitive=case_sensitive)


def segment_statistics(hyps: Sequence[str], refs: Sequence[str], normalized: bool = False,
                       asian_support: bool = False, case_sensitive: bool = False,
                       no_punct: bool = False) -> list[tuple[int, int]]:
    """(edits, reference length) for each segment, one reference each, tokenised as
    sacrebleu's TER tokenises: trailing whitespace stripped, and the reference passed
    through the tokenizer twice (sacrebleu 2.6 preprocesses it when caching references
    and again when extracting their words; with normalisation on, the second pass can
    split more, e.g. '..0' -> '. .0' -> '. . 0')."""
    tok = tokenizer(normalized, asian_support, case_sensitive, no_punct)
    return [translation_edits(tok(h.rstrip()).split(), tok(tok(r.rstrip()).rstrip()).split())
            for h, r in zip(hyps, refs)]


def score(stats: Sequence[Sequence[float]]) -> float:
    """TER in percent from summed statistics (sacrebleu's rule for empty references)."""
    edits = sum(s[0] for s in stats)
    length = sum(s[1] for s in stats)
    if length > 0:
        return 100 * edits / length
    return 100.0 if edits > 0 else 0.0
