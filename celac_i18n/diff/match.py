"""Match the units of two versions of a plan by content, whatever their numbering.

Every unit of both versions ends up in exactly one *change*. Headings (chapters,
sections) are matched among headings, text units (title, preamble, clauses, articles,
paragraphs) among text units. The kinds, precisely:

``unchanged``   one old unit, one new unit, same id and same text (whitespace-normalised).
``renumbered``  one to one, same text, different id, and *in place* (below).
``modified``    one to one, different text (similarity >= ``match``), in place; the id
                may have changed too.
``moved``       one to one (same or changed text) but *not* in place.
``split``       one old unit whose content went into two or more new units.
``merged``      two or more old units whose content went into one new unit.
``added``       a new unit with no counterpart; ``removed``: an old unit with none.

*In place* means two things. First, the unit's new parent (its chapter or section) is
where its old parent went: each old parent maps to the new parent that received most
of its matched children. Second, the pair keeps its order: it belongs to the longest
sequence of one-to-one pairs that appear in the same order in both versions. So a
chapter renumbered III → IV with its clauses unchanged gives ``renumbered`` clauses
(III maps to IV, order kept), and a clause inserted in a chapter renumbers the ones
after it; a clause carried into another chapter, or far from its neighbours, is
``moved``. A unit with the same id and the same text is always ``unchanged``.

Similarity is TF-IDF cosine on character n-grams (3-grams; unigrams and bigrams for
CJK text, which has no spaces between words); benchmarks/diff.md compares it with
rapidfuzz ratios. Identical texts are paired first (cheap, and most clauses of a new
version are unchanged). For the rest, candidates are *blocked*: an inverted index on
the rarest n-grams of each unit proposes a few candidates, and the neighbours of a
unit's first candidate are candidates of its neighbours, so the work grows with the
number of changed units, not with the product of the two sizes. Splits and merges are
taken first; the one-to-one pairs then come from one global assignment (assign.py)
scoring content plus structure: a pair that keeps its id, or lies between the same
anchors (identical, or across languages surely matched, neighbours) in both versions,
scores a bonus and needs less similarity, and every pair costs a little, so that two
weak pairs do not outweigh one strong one. The thresholds come from the pair's own
similarity distribution (calibrate.py); across languages "the same text" means a
similarity not far below that pair's faithful translations.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from ..langs import CJK_CHARS
from ..model import ARTICLE, CHAPTER, SECTION, Document
from .assign import assign
from .calibrate import Calibration, calibrate

if TYPE_CHECKING:
    import numpy as np

UNCHANGED, RENUMBERED, MODIFIED, MOVED = "unchanged", "renumbered", "modified", "moved"
SPLIT, MERGED, ADDED, REMOVED = "split", "merged", "added", "removed"
KINDS = (UNCHANGED, RENUMBERED, MODIFIED, MOVED, SPLIT, MERGED, ADDED, REMOVED)
MEASURE = "tfidf-char"
# Below this cosine two units share nothing worth reporting, not even as a split part
# (a third of a clause still scores about 0.5 against the whole).
PART_FLOOR = 0.25
_EPS = 1e-9      # rounding room when a similarity meets a threshold measured on it

_CJK_CHAR = re.compile(f"[\u3040-\u30ff{CJK_CHARS}]")     # kana + Han

# Where the long steps report: progress(what, done, total). Set around one diff by its
# caller (ops/diff.py: the CLI's bar); a context variable, so that diff_documents and
# the library calls keep their signatures and concurrent diffs do not mix.
PROGRESS: ContextVar = ContextVar("celac_i18n_diff_progress", default=None)
PROGRESS_EVERY = 2048    # units between two reports


def report_progress(what: str, done: int, total: int | None) -> None:
    progress = PROGRESS.get()
    if progress is not None:
        progress(what, done, total)


@dataclass(frozen=True)
class Thresholds:
    match: float | None = None  # least similarity for a pair with nothing else in favour
    #                             (None: calibrated on the pair, see calibrate.py)
    floor_min: float = 0.1    # least similarity for a same-id pair in place
    split: float = 0.75       # least similarity between a unit and its joined parts
    contain: float = 0.8      # least share of a part's n-gram weight found in the whole
    margin: float = 0.05      # joined parts must cover this much more than one part
    same_id: float = 0.2      # score bonus of a pair that keeps its id
    in_place: float = 0.1     # score bonus of a pair between the same anchors
    pair_cost: float = 0.25   # what each pair of the assignment costs (see match_items)
    candidates: int = 10      # candidates kept per unit (each way) when blocking
    all_pairs: int = 40_000   # below this many pairs, compare all of them (no blocking)

    def signature(self):
        from ..signature import Signature

        return Signature({"match": "cal" if self.match is None else self.match,
                          "split": self.split, "contain": self.contain, "margin": self.margin,
                          "prior": f"{self.same_id}/{self.in_place}", "pair": self.pair_cost,
                          "cand": self.candidates, "assign": "lapjv"})


@dataclass(slots=True)
class Item:
    """One unit of one version, as the matcher sees it."""

    idx: int                 # position in the document (document order)
    uid: str
    kind: str
    text: str                # as written (the redline rebuilds exactly this)
    key: str                 # whitespace-collapsed: equal keys are "the same text"
    norm: str                # key lower-cased, for similarity
    parent: str | None
    chapter: str
    head: bool = False       # a heading (chapter, section, article holding items)


@dataclass(slots=True)
class Match:
    kind: str
    old: list[Item]
    new: list[Item]
    similarity: float
    rewritten: bool = False   # a one-to-one pair held by its place alone (see _rewritten)


def normalize(text: str) -> str:
    # str.split() splits on exactly the characters ``\s`` matches; no regex per unit
    return " ".join(text.split())


def _chapter_of(doc: Document, uid: str) -> str:
    u = doc.get(uid)
    seen = 0
    while u is not None and u.kind != CHAPTER and u.parent and seen < 50:
        u, seen = doc.get(u.parent), seen + 1
    if u is None:
        return uid.split(".")[0]
    if u.kind in (CHAPTER, ARTICLE):        # a plan of articles: the article is the chapter
        return u.id
    return u.id.split(".")[0] if u.kind not in ("title", "preamble") else "front"


def items_of(doc: Document) -> tuple[list[Item], list[Item]]:
    """(heading items, text items) of a document, in document order.

    Headings are chapters and sections, and articles that hold numbered items (an
    article is then a container, like a chapter: 2025-2027's articles against
    2022-2024's chapters); an article with no items of its own is text.
    """
    heads, texts = [], []
    holders = {u.parent for u in doc.units if u.parent}
    chapters: dict[str, str] = {}
    for i, u in enumerate(doc.units):
        head = u.kind in (CHAPTER, SECTION) or (u.kind == ARTICLE and u.id in holders)
        text = u.heading if head and u.heading else u.text
        # one string where the forms agree, one per chapter name (a large diff holds
        # every unit's item: copies were a fifth of its memory before matching)
        key = normalize(text)
        key = text if key == text else key
        low = key.lower()
        low = key if low == key else low
        ch = _chapter_of(doc, u.id)
        it = Item(i, u.id, u.kind, text, key, low, u.parent, chapters.setdefault(ch, ch),
                  head)
        (heads if head else texts).append(it)
    return heads, texts


# -- similarity ---------------------------------------------------------------------

def grams(norm: str) -> list[str]:
    """Character n-grams, each occurrence: 3-grams, or 1- and 2-grams when the text
    is mostly CJK."""
    if not norm:
        return []
    # (search first: most texts have no CJK at all, and then no list is built)
    cjk = bool(_CJK_CHAR.search(norm)) and (
        len(_CJK_CHAR.findall(norm)) * 2 > len(norm.replace(" ", "")))
    if cjk:
        s = norm.replace(" ", "")
        return list(s) + [s[i:i + 2] for i in range(len(s) - 1)]
    s = f" {norm} "
    if len(s) < 3:
        return [s]
    return [s[i:i + 3] for i in range(len(s) - 2)]


class Vec(NamedTuple):
    """A unit-length TF-IDF vector: n-gram ids (ascending) and their weights. Arrays,
    not a dict of n-grams: a 10,000-clause diff across languages holds 20,000 of them
    (a dict took ~30 kB each, 1 GB in all)."""

    ids: np.ndarray
    w: np.ndarray


class Vectorizer:
    """TF-IDF over character n-grams; document frequencies from both versions. Each
    n-gram gets an id the first time a vector holds it."""

    def __init__(self, corpus: list[str], sample: int = 3000) -> None:
        # Past a few thousand units a strided sample gives the same rare/common split.
        step = max(1, len(corpus) // sample)
        df: Counter = Counter()
        for norm in corpus[::step]:
            df.update(set(grams(norm)))
        self.n = len(corpus[::step])
        self.df = df
        n = self.n
        self._idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        self._unseen = math.log(n + 1) + 1.0
        self.index: dict[str, int] = {}
        self._idf_arr = None                # idf by n-gram id (with room to grow)
        self._vectors: dict[str, Vec] = {}

    def idf(self, f: str) -> float:
        return self._idf.get(f, self._unseen)

    @property
    def size(self) -> int:
        """How many n-gram ids have been given out."""
        return len(self.index)

    def _ids(self, gs: list[str]) -> np.ndarray:
        import numpy as np

        index = self.index
        if self._idf_arr is None:
            self._idf_arr = np.zeros(4096)
        new = set(gs).difference(index)
        if new:
            # new n-grams get the next ids, in alphabetical order (the same ids on
            # every run, whatever the string hashing)
            first, new = len(index), sorted(new)
            for f in new:
                index[f] = len(index)
            if len(index) > len(self._idf_arr):
                grown = np.zeros(max(len(index), 2 * len(self._idf_arr)))
                grown[:first] = self._idf_arr[:first]
                self._idf_arr = grown
            idf, unseen = self._idf.get, self._unseen
            self._idf_arr[first:len(index)] = [idf(f, unseen) for f in new]
        return np.fromiter(map(index.__getitem__, gs), np.int64, len(gs))

    def _weights(self, norm: str) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        ids, c = np.unique(self._ids(grams(norm)), return_counts=True)
        w = self._idf_arr[ids] * np.where(c == 1, 1.0, 1.0 + np.log(np.maximum(c, 1)))
        w /= math.sqrt(float(w @ w)) or 1.0
        return ids.astype(np.int32), w

    def vector(self, norm: str, keep: bool = True) -> Vec:
        """The unit-length TF-IDF vector of a text; ``keep``: remember it (calibration
        asks for the same units again)."""
        v = self._vectors.get(norm)
        if v is not None:
            return v
        v = Vec(*self._weights(norm))
        if keep:
            self._vectors[norm] = v
        return v

    def vectors(self, norms: list[str], what: str = "diff: n-gram vectors") -> "Vectors":
        """The vectors of many texts, packed (see Vectors), in this order (n-gram ids
        are given out as each text is reached, as ``vector`` would)."""
        import numpy as np

        # At most one 3-gram per character, or two n-grams per CJK character (1- and
        # 2-grams): the bound is reserved, and pages never written take no memory.
        search = _CJK_CHAR.search
        bound = sum((2 if search(t) else 1) * len(t) + 1 for t in norms)
        ids, w = np.empty(bound, np.int32), np.empty(bound)
        starts = np.zeros(len(norms) + 1, np.int64)
        at = 0
        for k, norm in enumerate(norms):
            if k % PROGRESS_EVERY == 0 and len(norms) > PROGRESS_EVERY:
                report_progress(what, k, len(norms))
            v = self._vectors.get(norm)
            i, x = (v.ids, v.w) if v is not None else self._weights(norm)
            ids[at:at + len(i)] = i
            w[at:at + len(i)] = x
            at += len(i)
            starts[k + 1] = at
        return Vectors(ids[:at], w[:at], starts)


class Vectors:
    """Many units' vectors in three arrays: every n-gram id, every weight, and where
    each unit starts. One Vec per unit cost ~300 bytes of objects beside its data, a
    third of a diff's memory on short clauses; ``vs[k]`` is unit k's Vec (views)."""

    def __init__(self, ids: np.ndarray, w: np.ndarray, starts: np.ndarray) -> None:
        import numpy as np

        self.ids, self.w, self.starts = ids, w, starts
        self.lens = np.diff(starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, k: int) -> Vec:
        a, b = self.starts[k], self.starts[k + 1]
        return Vec(self.ids[a:b], self.w[a:b])

    def gather(self, ks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids, weights) of units ``ks`` one after the other, and where each starts."""
        import numpy as np

        lo, n = self.starts[ks], self.lens[ks]
        out = np.zeros(len(ks), np.int64)
        np.cumsum(n[:-1], out=out[1:])
        at = np.arange(int(n.sum()), dtype=np.int64) + np.repeat(lo - out, n)
        return self.ids[at], self.w[at], out


def cosine(a: Vec, b: Vec) -> float:
    import numpy as np

    _, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return min(1.0, float(a.w[ia] @ b.w[ib]))


def containment(part: Vec, whole: Vec) -> float:
    """Share of ``part``'s weight carried by n-grams that ``whole`` also has."""
    import numpy as np

    total = float(part.w.sum())
    if not total:
        return 0.0
    return float(part.w[np.isin(part.ids, whole.ids, assume_unique=True)].sum()) / total


# -- candidates -----------------------------------------------------------------------

POSTINGS_BUDGET = 4800     # postings one unit's rare n-grams may visit in all


def _postings(right: Vectors, size: int):
    """Each n-gram's units in order, as one array, and where each n-gram starts in it.

    One sort of (n-gram id, unit) keys: sorting them orders the units of an n-gram
    as a stable sort by n-gram would, with one array of the postings' size alive
    instead of four."""
    import numpy as np

    n = max(1, len(right))
    keys = right.ids.astype(np.int64)
    keys *= n
    keys += np.repeat(np.arange(len(right), dtype=np.int64), right.lens)
    keys.sort()
    owners = (keys % n).astype(np.int32)
    keys //= n
    df = np.bincount(keys, minlength=size)
    del keys
    starts = np.zeros(size + 1, np.int64)
    np.cumsum(df, out=starts[1:])
    return owners, df, starts


def _block(left: Vectors, right: Vectors, keep: int, names: np.ndarray,
           rare: int = 12, what: str = "diff: candidates") -> np.ndarray:
    """For each left[i], the right units sharing the most of its rarest n-grams: a
    (len(left), keep) array of right indices (-1: none), best first. ``names``: each
    n-gram id's rank in the n-grams' alphabetical order (equally rare n-grams are
    taken in that order). Arrays, not a set of pairs: a tuple in a set costs about
    150 bytes, and two 2 MB texts gave 700,000 of them."""
    import numpy as np

    owners, df, starts = _postings(right, len(names))
    top_js = np.full((len(left), keep), -1, np.int64)
    for i in range(len(left)):
        if i % PROGRESS_EVERY == 0 and len(left) > PROGRESS_EVERY:
            report_progress(what, i, len(left))
        ids = left[i].ids
        feats = ids[df[ids] > 0]
        if not len(feats):
            continue
        sizes = df[feats]
        feats = feats[np.lexsort((names[feats], sizes))][:rare]
        # A constant budget of postings per unit, rarest n-grams first: common n-grams
        # (boilerplate) say little and cost the most. A cap that grew with n made the
        # work per unit grow with n, and the whole quadratic when every clause is
        # lightly edited (benchmarks/diff.md). The rarest n-gram is always visited.
        take = max(1, int(np.searchsorted(np.cumsum(df[feats]), POSTINGS_BUDGET, "right")))
        chosen = [owners[starts[f]:starts[f + 1]] for f in feats[:take]]
        js, counts = np.unique(np.concatenate(chosen), return_counts=True)
        # most shared n-grams first; ties to the earlier unit (stable sort)
        top = np.argsort(-counts, kind="stable")[:keep]
        top_js[i, :len(top)] = js[top]
    return top_js


def pair_keys(i, j, n_new: int):
    """Candidate pairs (i, j) as one sorted array of distinct keys ``i * n_new + j``."""
    import numpy as np

    keys = np.asarray(i, np.int64) * n_new
    keys += np.asarray(j, np.int64)
    return distinct(keys)


def distinct(keys):
    """The distinct values of an int64 array, ascending; ``keys`` is sorted in place.
    (numpy 2's ``unique`` hashes: 60 MB for 1.3 million keys, where sorting needs none.)"""
    import numpy as np

    keys.sort()
    if len(keys) < 2:
        return keys
    first = np.empty(len(keys), bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return keys[first]


def _candidates(vo: Vectors, vn: Vectors, th: Thresholds, vec: Vectorizer):
    """Candidate pairs of old and new vectors, as ``pair_keys``."""
    import numpy as np

    n_o, n_n = len(vo), len(vn)
    if n_o * n_n <= th.all_pairs:
        return np.arange(n_o * n_n, dtype=np.int64)
    grams = list(vec.index)
    names = np.empty(len(grams), np.int64)
    names[sorted(range(len(grams)), key=grams.__getitem__)] = np.arange(len(grams))
    del grams
    fwd = _block(vo, vn, th.candidates, names, what="diff: candidates, old → new")
    back = _block(vn, vo, th.candidates, names, what="diff: candidates, new → old")
    # Keys straight from the two (units, candidates) arrays: one int64 per pair.
    rows = np.arange(n_o, dtype=np.int64)[:, None] * n_n
    parts = [(rows + fwd)[fwd >= 0]]
    cols = np.arange(n_n, dtype=np.int64)[:, None]
    parts.append((back * n_n + cols)[back >= 0])
    del rows, cols
    # Versions keep their order: when old i's first candidate is new j, new j - 1 and
    # j + 1 are candidates of old i - 1 and i + 1. This finds the partner of a unit
    # whose rarest n-grams are common in a large pair (across languages nothing is
    # identical, so every unit is blocked), at two more candidates per unit.
    fi = np.flatnonzero(fwd[:, 0] >= 0)
    bj = np.flatnonzero(back[:, 0] >= 0)
    firsts_i = np.concatenate([fi, back[bj, 0]])
    firsts_j = np.concatenate([fwd[fi, 0], bj])
    del fwd, back
    for d in (-1, 1):
        ii, jj = firsts_i + d, firsts_j + d
        ok = (ii >= 0) & (ii < n_o) & (jj >= 0) & (jj < n_n)
        parts.append(ii[ok] * n_n + jj[ok])
    return distinct(np.concatenate(parts))


# -- assignment -----------------------------------------------------------------------

def match_items(old: list[Item], new: list[Item], th: Thresholds, cal: Calibration, *,
                splits: bool = True, vectorizer: Vectorizer | None = None,
                meaning=None) -> list[Match]:
    """Pair old and new items; every item ends up in exactly one Match.

    The one-to-one pairs come back with kind "pair" (classified later, when the
    positions of all pairs are known); the others as split/merged/added/removed.
    ``meaning`` (a ``meaning.Meaning``): similarities by meaning instead of n-grams
    (two languages, no engine).
    """
    out: list[Match] = []
    # 1. Identical texts: pair them first, same id first, then the rest in order.
    # text -> {uid: item} in document order: O(1) picks even with many repeated texts
    by_text: dict[str, dict[str, Item]] = defaultdict(dict)
    for it in new:
        by_text[it.key][it.uid] = it
    taken_new: set[int] = set()
    paired: dict[int, Item] = {}            # old idx -> new item
    # Pass a: same id and same text, so that an earlier old unit cannot take the new
    # unit that belongs to a later old unit with the same text.
    for it in old:
        pool = by_text.get(it.key)
        if pool and it.uid in pool:
            paired[it.idx] = pool.pop(it.uid)
    # Pass b: the remaining identical texts, in document order.
    for it in old:
        if it.idx not in paired:
            pool = by_text.get(it.key)
            if pool:
                paired[it.idx] = pool.pop(next(iter(pool)))
    rest_old: list[Item] = []
    for it in old:
        pick = paired.get(it.idx)
        if pick is not None:
            taken_new.add(pick.idx)
            out.append(Match("pair", [it], [pick], 1.0))
        else:
            rest_old.append(it)
    rest_new = [it for it in new if it.idx not in taken_new]
    if not rest_old or not rest_new:
        out += [Match(REMOVED, [o], [], 0.0) for o in rest_old]
        out += [Match(ADDED, [], [n], 0.0) for n in rest_new]
        return out
    if meaning is not None:
        return _by_meaning(out, paired, rest_old, rest_new, old, new, th, cal, meaning,
                           splits)

    import numpy as np

    vec = vectorizer or Vectorizer([it.norm for it in old + new])
    vo = vec.vectors([it.norm for it in rest_old], "diff: n-gram vectors, old")
    vn = vec.vectors([it.norm for it in rest_new], "diff: n-gram vectors, new")
    # A unit that keeps its id is always a candidate of its namesake, whatever the score.
    new_pos = {it.uid: j for j, it in enumerate(rest_new)}
    named = [(i, new_pos[it.uid]) for i, it in enumerate(rest_old) if it.uid in new_pos]
    same_id = pair_keys([i for i, _ in named], [j for _, j in named], len(rest_new))
    keys = distinct(np.concatenate([_candidates(vo, vn, th, vec), same_id]))
    sims, inside = _similarities(vo, vn, keys, splits, same_id, vec.size)
    del keys
    free_o = set(range(len(rest_old)))
    free_n = set(range(len(rest_new)))

    # 2. Splits and merges: parts that each sit inside one whole, and together are it.
    proposals = []
    if splits:
        gth = replace(th, split=cal.split, contain=cal.contain)
        by_old: dict[int, list[int]] = defaultdict(list)
        by_new: dict[int, list[int]] = defaultdict(list)
        for (i, j) in sims:
            by_old[i].append(j)
            by_new[j].append(i)
        what, total = "diff: splits and merges", len(by_old) + len(by_new)
        for k, (i, js) in enumerate(by_old.items()):
            if k % PROGRESS_EVERY == 0 and total > PROGRESS_EVERY:
                report_progress(what, k, total)
            p = _group(vo[i], [(j, vn[j], rest_new[j]) for j in js], sims,
                       lambda j, i=i: (i, j), inside[0], vec, gth)
            if p:
                proposals.append((p[0], SPLIT, [i], p[1]))
        for k, (j, is_) in enumerate(by_new.items(), len(by_old)):
            if k % PROGRESS_EVERY == 0 and total > PROGRESS_EVERY:
                report_progress(what, k, total)
            p = _group(vn[j], [(i, vo[i], rest_old[i]) for i in is_], sims,
                       lambda i, j=j: (i, j), inside[1], vec, gth)
            if p:
                proposals.append((p[0], MERGED, p[1], [j]))
    proposals.sort(key=lambda p: (-p[0], p[2], p[3]))
    for sim, kind, ois, nis in proposals:
        if all(i in free_o for i in ois) and all(j in free_n for j in nis):
            free_o.difference_update(ois)
            free_n.difference_update(nis)
            out.append(Match(kind, [rest_old[i] for i in ois], [rest_new[j] for j in nis], sim))

    # 3. One-to-one: a global assignment on content plus structure. A pair that keeps
    # its id, or sits between the same anchors (identical or surely-matched units) in
    # both versions, needs less similarity and scores a bonus; ties go to the nearer.
    # Each pair costs ``pair_cost``, so that two weak pairs held up by their bonuses
    # (an added clause taking the id of a reworded one, which takes the next id in
    # turn) do not outweigh the one strong pair between them. The cost stays below the
    # least score a pair can qualify with, so that any pair that qualifies alone is
    # still taken alone.
    out += _one_to_one(rest_old, rest_new, paired, sims, free_o, free_n, th, cal)
    # (the units left over are rest_old's and rest_new's: their vectors are at hand)
    pos_o = {it.idx: k for k, it in enumerate(rest_old)}
    pos_n = {it.idx: k for k, it in enumerate(rest_new)}
    return _rewritten(out, lambda o, n: cosine(vo[pos_o[o.idx]], vn[pos_n[n.idx]]))


def _one_to_one(rest_old, rest_new, paired, sims, free_o, free_n, th, cal,
                sure=frozenset()) -> list[Match]:
    """The assignment's pairs, then the units left removed and added. ``sure``: pairs
    that need no more than the floor, wherever they lie (by meaning: clear mutual
    bests)."""
    # three stages: anchors, scores, the assignment (each about linear in the pairs)
    what, large = "diff: one-to-one pairs", len(sims) > PROGRESS_EVERY
    if large:
        report_progress(what, 0, 3)
    between = _anchor_windows(rest_old, paired, sims, rest_new, cal)
    if large:
        report_progress(what, 1, 3)
    least = min(th.floor_min + th.same_id + th.in_place,
                cal.floor + min(th.same_id, th.in_place), cal.match)
    cost = max(0.0, min(th.pair_cost, least - 0.01))
    scores = {}
    for (i, j), s in sims.items():
        if i not in free_o or j not in free_n:
            continue
        o, n = rest_old[i], rest_new[j]
        same = o.uid == n.uid
        lo, hi = between[i]
        place = lo < n.idx < hi
        need = th.floor_min if same and place else \
            cal.floor if same or place or (i, j) in sure else cal.match
        if s >= need:
            scores[(i, j)] = (s + th.same_id * same + th.in_place * place - cost
                              + 1e-4 / (1 + abs(o.idx - n.idx)))
    if large:
        report_progress(what, 2, 3)
    out = []
    for i, j in assign(len(rest_old), len(rest_new), scores):
        free_o.discard(i)
        free_n.discard(j)
        out.append(Match("pair", [rest_old[i]], [rest_new[j]], sims[(i, j)]))
    out += [Match(REMOVED, [rest_old[i]], [], 0.0) for i in sorted(free_o)]
    out += [Match(ADDED, [], [rest_new[j]], 0.0) for j in sorted(free_n)]
    return out


def _by_meaning(out, paired, rest_old, rest_new, old, new, th, cal, meaning,
                splits: bool) -> list[Match]:
    """match_items' steps 2 and 3 on similarities by meaning: the one-to-one
    assignment first (clear mutual bests count as anchors of their own), then splits
    and merges as neighbours that, joined to a pair's unit, bring it closer to the
    other side (see meaning.py)."""
    from .meaning import sure_pairs

    new_pos = {it.uid: j for j, it in enumerate(rest_new)}
    same_id = {(i, new_pos[it.uid]) for i, it in enumerate(rest_old) if it.uid in new_pos}
    sims = meaning.sims(rest_old, rest_new, same_id, th.floor_min, th.candidates)
    sure = sure_pairs(sims, cal.margin or 0.0, cal.floor) if cal.margin is not None \
        else set()
    free_o, free_n = set(range(len(rest_old))), set(range(len(rest_new)))
    out += _one_to_one(rest_old, rest_new, paired, sims, free_o, free_n, th, cal, sure)
    if splits and cal.join is not None:
        out = _absorb(out, old, new, meaning, cal)
    return _rewritten(out, lambda o, n: float(meaning.items([o], 0)[0]
                                              @ meaning.items([n], 1)[0]))


def _absorb(matches: list[Match], old: list[Item], new: list[Item], meaning,
            cal: Calibration) -> list[Match]:
    """Splits and merges by meaning: an added (removed) unit next to a pair's new (old)
    unit, under the same parent, joins it when the joined text is closer to the
    other side by more than ``cal.join`` and at least as close as a faithful
    translation (``cal.reword``). Greedy, best gain first; a group grows one
    neighbour at a time."""
    holder = {}
    for m in matches:
        for it in m.old:
            holder[("o", it.idx)] = m
        for it in m.new:
            holder[("n", it.idx)] = m
    pos_o = {it.idx: k for k, it in enumerate(old)}
    pos_n = {it.idx: k for k, it in enumerate(new)}
    dropped: set[int] = set()
    for _ in range(8):               # a group of up to 9 parts
        trials = []
        for m in matches:
            if id(m) in dropped or not m.old or not m.new or \
                    m.kind not in ("pair", SPLIT, MERGED):
                continue
            for side, units, pos, seq, tag in ((1, m.new, pos_n, new, "n"),
                                               (0, m.old, pos_o, old, "o")):
                if (side == 1 and len(m.old) != 1) or (side == 0 and len(m.new) != 1):
                    continue
                ends = (pos[min(u.idx for u in units)] - 1, pos[max(u.idx for u in units)] + 1)
                for k in ends:
                    if 0 <= k < len(seq):
                        nb = seq[k]
                        lone = holder.get((tag, nb.idx))
                        if lone is not None and lone.kind == (ADDED if side else REMOVED) \
                                and nb.parent == units[0].parent and id(lone) not in dropped:
                            trials.append((m, side, nb, lone))
        if not trials:
            break
        groups_n = [sorted(m.new + [nb], key=lambda x: x.idx) for m, side, nb, _ in trials
                    if side == 1]
        groups_o = [sorted(m.old + [nb], key=lambda x: x.idx) for m, side, nb, _ in trials
                    if side == 0]
        jn = iter(meaning.joined(groups_n, 1)) if groups_n else iter(())
        jo = iter(meaning.joined(groups_o, 0)) if groups_o else iter(())
        scored = []
        for m, side, nb, lone in trials:
            if side == 1:
                s = float(meaning.joined([m.old], 0)[0] @ next(jn))
            else:
                s = float(next(jo) @ meaning.joined([m.new], 1)[0])
            gain = s - m.similarity
            if gain > cal.join and s >= cal.reword - _EPS:
                scored.append((gain, s, m, side, nb, lone))
        if not scored:
            break
        scored.sort(key=lambda t: (-t[0], t[4].idx))
        used: set[int] = set()
        for gain, s, m, side, nb, lone in scored:
            if id(m) in used or id(lone) in used or id(lone) in dropped:
                continue
            used.update((id(m), id(lone)))
            dropped.add(id(lone))
            if side == 1:
                m.new = sorted(m.new + [nb], key=lambda x: x.idx)
                m.kind = SPLIT
                holder[("n", nb.idx)] = m
            else:
                m.old = sorted(m.old + [nb], key=lambda x: x.idx)
                m.kind = MERGED
                holder[("o", nb.idx)] = m
            m.similarity = s
    return [m for m in matches if id(m) not in dropped]


def _rewritten(matches: list[Match], sim) -> list[Match]:
    """A clause rewritten at its place is one change, not a removal and an addition:
    where the only units left between two consecutive kept pairs (in both versions'
    order) are one removed and one added unit, or a removed and an added unit with
    the same id, they become one pair, marked ``rewritten``. ``sim(old_item,
    new_item)``: their similarity, for the report."""
    kept = sorted((min(it.idx for it in m.old), min(it.idx for it in m.new))
                  for m in matches if m.old and m.new)
    chain = [kept[k] for k in sorted(_lis_members([n for _, n in kept]))]
    olds, news = [o for o, _ in chain], [n for _, n in chain]
    gaps: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for m in matches:
        if m.kind == REMOVED:
            gaps[bisect_left(olds, m.old[0].idx)][0].append(m)
        elif m.kind == ADDED:
            gaps[bisect_left(news, m.new[0].idx)][1].append(m)
    drop, pairs = set(), []
    for rem, add in gaps.values():
        if len(rem) == 1 and len(add) == 1:
            couples = [(rem[0], add[0])]
        else:
            by_id = {a.new[0].uid: a for a in add}
            couples = [(r, by_id[r.old[0].uid]) for r in rem if r.old[0].uid in by_id]
        for r, a in couples:
            drop.update((id(r), id(a)))
            pairs.append(Match("pair", r.old, a.new, max(0.0, sim(r.old[0], a.new[0])),
                               rewritten=True))
    if not pairs:
        return matches
    return [m for m in matches if id(m) not in drop] + pairs


def _anchor_windows(rest_old, paired, sims, rest_new, cal) -> list[tuple[int, int]]:
    """For each unpaired old item, the new positions of the nearest anchors before and
    after it: a candidate strictly between them is *in place*.

    Anchors are the identical pairs and, where the versions differ in language (few
    identical texts), mutual best pairs scoring above the reword threshold; only the
    ones in a common order (longest increasing run) count.
    """
    anchors = [(o, n.idx) for o, n in paired.items()]
    if cal.cross:
        best_o: dict[int, tuple[float, int]] = {}
        best_n: dict[int, tuple[float, int]] = {}
        for (i, j), s in sims.items():
            if s > best_o.get(i, (0.0, -1))[0]:
                best_o[i] = (s, j)
            if s > best_n.get(j, (0.0, -1))[0]:
                best_n[j] = (s, i)
        anchors += [(rest_old[i].idx, rest_new[j].idx) for i, (s, j) in best_o.items()
                    if s >= cal.reword - _EPS and best_n[j][1] == i]
    anchors.sort()
    keep = _lis_members([n for _, n in anchors])
    anchors = [a for k, a in enumerate(anchors) if k in keep]
    olds = [o for o, _ in anchors]
    out = []
    for it in rest_old:
        k = bisect_left(olds, it.idx)
        lo = anchors[k - 1][1] if k > 0 else -1
        # an anchor at the item itself (cross-language) bounds neither side
        while k < len(olds) and olds[k] == it.idx:
            k += 1
        hi = anchors[k][1] if k < len(anchors) else 1 << 60
        out.append((lo, hi))
    return out


def _similarities(vo: Vectors, vn: Vectors, keys, containments: bool, keep=None,
                  size: int = 0):
    """Cosine of each candidate pair (``pair_keys``; kept when >= PART_FLOOR or in
    ``keep``, keys too) and, for those, the containment of the new unit in the old one
    and of the old one in the new one.

    One dense row per unit and one numpy pass over all its candidates: the pure-Python
    dict version spent 30 s on 2,000 entirely rewritten clauses. Only the pairs kept
    become dict entries: most candidates of unrelated texts score below the floor, and
    one entry per candidate was most of the diff's memory. ``size``: how many n-gram
    ids the vectors use.
    """
    import numpy as np

    n_n = max(1, len(vn))
    dense = np.zeros(max([size] + [int(v.ids.max()) + 1 for v in (vo, vn) if len(v.ids)]))

    def sweep(rows, cols, keys, width, kept, what):
        """For each row unit r and its candidates c (sorted ``keys`` r * width + c):
        (dot product, share of c's weight on n-grams that r has), for the candidates
        ``kept(dots, at)`` selects (``at``: their positions in keys)."""
        filled = cols.lens > 0
        firsts = np.searchsorted(keys, np.arange(len(rows) + 1, dtype=np.int64) * width)
        todo = np.flatnonzero(np.diff(firsts)).tolist()
        for n, r in enumerate(todo):
            if n % PROGRESS_EVERY == 0 and len(todo) > PROGRESS_EVERY:
                report_progress(what, n, len(todo))
            lo, hi = int(firsts[r]), int(firsts[r + 1])
            ids_r, w_r = rows[r]
            # Empty texts share nothing (and empty segments would upset reduceat).
            cs = keys[lo:hi] - r * width
            at = np.flatnonzero(filled[cs])
            if not len(ids_r) or not len(at):
                continue
            cs, at = cs[at], at + lo
            dense[ids_r] = w_r
            ids, w, starts = cols.gather(cs)
            got = dense[ids]
            dots = np.add.reduceat(got * w, starts)
            dense[ids_r] = 0.0
            sel = kept(dots, at)
            if not sel.any():
                continue
            held = np.add.reduceat(np.where(got > 0, w, 0.0), starts)
            totals = np.add.reduceat(w, starts)
            for k in np.flatnonzero(sel).tolist():
                d, h, t = float(dots[k]), float(held[k]), float(totals[k])
                yield r, int(cs[k]), d, h / t if t else 0.0

    keys = np.asarray(keys, np.int64)
    wanted = np.zeros(len(keys), bool)
    if keep is not None and len(keep):          # (``keep`` is among ``keys``)
        wanted[np.searchsorted(keys, keep)] = True
    sims: dict[tuple[int, int], float] = {}
    new_in_old: dict[tuple[int, int], float] = {}
    for i, j, d, h in sweep(vo, vn, keys, n_n,
                            lambda dots, at: (dots >= PART_FLOOR) | wanted[at],
                            "diff: similarities"):
        sims[(i, j)] = min(1.0, d)
        new_in_old[(i, j)] = h
    old_in_new: dict[tuple[int, int], float] = {}
    if containments and sims:
        n_o = max(1, len(vo))
        back = np.array(sorted(j * n_o + i for i, j in sims), np.int64)
        for j, i, _, h in sweep(vn, vo, back, n_o,
                                lambda dots, at: np.ones(len(dots), bool),
                                "diff: containments"):
            old_in_new[(i, j)] = h
    return sims, (new_in_old, old_in_new)


def _group(whole: Vec, cands, sims, key, inside, vec: Vectorizer, th: Thresholds):
    """The best set of two or more parts that together make ``whole``, or None.

    Each part must sit inside the whole (``contain``), the joined parts must be close to
    it (``split``), and they must cover clearly more of it than the best single
    candidate does (``margin``): otherwise it is one modified unit beside an added one.
    """
    # ``inside`` holds each candidate's containment in the whole (computed in bulk).
    parts = [(j, v, it) for j, v, it in cands if inside.get(key(j), 0.0) >= th.contain]
    if len(parts) < 2:
        return None
    single = max(cands, key=lambda c: (sims.get(key(c[0]), 0.0), -c[2].idx))
    single_cover = containment(whole, single[1])
    # Greedy: start from the most similar part, add parts while the joined text gets
    # closer to the whole.
    parts.sort(key=lambda p: (-sims.get(key(p[0]), 0.0), p[2].idx))
    chosen = [parts[0]]
    score = sims.get(key(parts[0][0]), 0.0)
    joined = parts[0][1]
    for p in parts[1:]:
        trial = sorted(chosen + [p], key=lambda q: q[2].idx)
        v = vec.vector(" ".join(q[2].norm for q in trial), keep=False)   # a trial join
        s = cosine(whole, v)
        if s > score:
            chosen, score, joined = trial, s, v
    if len(chosen) < 2 or score < th.split:
        return None
    if containment(whole, joined) < single_cover + th.margin:
        return None
    return score, [q[0] for q in sorted(chosen, key=lambda q: q[2].idx)]


# -- classification of one-to-one pairs -------------------------------------------------------

def _lis_members(seq: list[int]) -> set[int]:
    """Positions in ``seq`` that form one longest strictly increasing subsequence."""
    tails: list[int] = []        # smallest tail value of an increasing run of each length
    tail_pos: list[int] = []
    prev = [-1] * len(seq)
    for k, v in enumerate(seq):
        p = bisect_left(tails, v)
        if p == len(tails):
            tails.append(v)
            tail_pos.append(k)
        else:
            tails[p] = v
            tail_pos[p] = k
        prev[k] = tail_pos[p - 1] if p else -1
    out = set()
    k = tail_pos[-1] if tail_pos else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def classify(matches: list[Match], cal: Calibration | None = None) -> list[Match]:
    """Give each one-to-one pair its kind: unchanged, renumbered, modified or moved.

    In one language "the same text" is identical text. Across languages (``cal.cross``)
    it is a similarity not far below the pair's baseline (``cal.reword``): a faithful
    translation of an unchanged clause is unchanged across languages.
    """
    pairs = [m for m in matches if m.kind == "pair"]
    # Where did each old parent go? The new parent that took most of its children;
    # ties go to the parent's own counterpart, then to the earliest.
    own = {m.old[0].uid: m.new[0].uid for m in pairs}
    votes: dict[str | None, Counter] = defaultdict(Counter)
    first_seen: dict[tuple, int] = {}
    for m in pairs:
        o, n = m.old[0], m.new[0]
        votes[o.parent][n.parent] += 1
        first_seen.setdefault((o.parent, n.parent), n.idx)
    parent_map = {}
    for op, c in votes.items():
        parent_map[op] = max(c, key=lambda np: (c[np], own.get(op) == np,
                                                -first_seen[(op, np)]))
    order = sorted(range(len(pairs)), key=lambda k: pairs[k].old[0].idx)
    in_order = {order[k] for k in _lis_members([pairs[k].new[0].idx for k in order])}
    cross = bool(cal and cal.cross)
    for k, m in enumerate(pairs):
        o, n = m.old[0], m.new[0]
        # (the threshold is one of the measured similarities: a unit scoring exactly
        # it, computed in another order of sums, must not fall below by rounding)
        same_text = o.key == n.key or (cross and m.similarity >= cal.of(o.head).reword - _EPS)
        if m.rewritten:
            m.kind = MODIFIED
        elif same_text and o.uid == n.uid:
            m.kind = UNCHANGED
        elif k not in in_order or parent_map.get(o.parent, o.parent) != n.parent:
            m.kind = MOVED
        else:
            m.kind = RENUMBERED if same_text else MODIFIED
        if o.key == n.key:
            m.similarity = 1.0
    return matches


def match_documents(old: Document, new: Document, th: Thresholds | None = None, *,
                    cross: bool = False, meaning=None) -> tuple[list[Match], Calibration]:
    """Every unit of both versions in one Match, and the calibration that made them.

    ``cross``: ``old`` is a machine rendering of a text in another language (same ids
    as that text), so identical wording is not expected of unchanged clauses.
    ``meaning`` (a ``meaning.Meaning``): ``old`` and ``new`` are in two languages and
    are matched by the meaning of their units, with no engine.
    """
    th = th or Thresholds()
    oh, ot = items_of(old)
    nh, nt = items_of(new)
    if meaning is not None:
        from .meaning import calibrate_meaning

        cal = calibrate_meaning(ot, nt, th, meaning)
        hcal = calibrate_meaning(oh, nh, th, meaning, joins=False) \
            if min(len(oh), len(nh)) >= 8 else cal
        matches = match_items(oh, nh, th, hcal, splits=False, meaning=meaning)
        cal = replace(cal, heads=hcal if hcal is not cal else None)
        return classify(matches + match_items(ot, nt, th, cal, meaning=meaning), cal), cal
    vec = Vectorizer([it.norm for it in ot + nt])
    cal = calibrate(ot, nt, vec, th, cross)
    # Across languages short headings score lower and noisier than clauses: their own
    # calibration (when there are enough of them to measure).
    hcal = cal
    if cross and min(len(oh), len(nh)) >= 8:
        hvec = Vectorizer([it.norm for it in oh + nh])
        hcal = calibrate(oh, nh, hvec, th, cross)
        matches = match_items(oh, nh, th, hcal, splits=False, vectorizer=hvec)
    else:
        matches = match_items(oh, nh, th, cal, splits=False)
    cal = replace(cal, heads=hcal if hcal is not cal else None)
    matches = classify(matches + match_items(ot, nt, th, cal, vectorizer=vec), cal)
    return matches, cal
