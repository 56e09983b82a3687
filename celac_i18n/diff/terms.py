"""Key terms of a diff: termbase terms and frequent content words in only one version.

Term forms match as the QA checks match them (``qa.textmatch.term_regex``: case,
spaced or unspaced dashes, line-wrap whitespace, bracket width), so "China-CELAC" in
one version and "China - CELAC" in the other is not a difference. A form's regex runs
only in short windows around the occurrences of one of its words; those occurrences
come from an index of the text's word runs, built once per text (a ``str.find`` chain
per form read the whole text again for every form: at 10,000 clauses that, and
counting every occurrence of terms both versions have, was half of the diff).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import accumulate

from ..langs import CJK_CHARS
from ..model import Document

_WORD = re.compile(r"[^\W\d_][\w'-]{3,}")
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_RUN = re.compile(r"(\w+)")
_UNIT = "\x00"          # joins units: no term form can match across it
PART = 1 << 16          # characters counted at a time


def _texts(doc: Document) -> list[str]:
    return [u.text for u in doc.units]


# -- content words ----------------------------------------------------------------------

def _content_counts(text: str, lang: str) -> Counter:
    if lang in ("zh", "ja"):
        # No word boundaries: character bigrams inside CJK runs stand in for words.
        return Counter(run[i:i + 2] for run in _CJK_RUN.findall(text)
                       for i in range(len(run) - 1))
    low = text.lower()
    if len(low) != len(text):        # a letter that lower-cases to two: word by word
        return Counter(w.lower() for w in _WORD.findall(text))
    return Counter(_WORD.findall(low))


def _words_only_in_one(old: list[str], new: list[str], lang: str, top: int,
                       read=None) -> dict:
    """Frequent content words of one version that the other never uses.

    Words never span a line break, so the texts both versions share (most of them)
    are read once, not twice: a word they hold is in both versions, and a word that
    is only in one version has all its occurrences in that version's own texts.
    """
    shared = set(old) & set(new)

    def counts(texts) -> Counter:
        out: Counter = Counter()
        for text in parts(texts, "\n", read=read):
            out.update(_content_counts(text, lang))
        return out
    in_both = counts(shared)
    co = counts(t for t in old if t not in shared)
    cn = counts(t for t in new if t not in shared)

    def only(a: Counter, b: Counter) -> list:
        # the top few, most frequent first (no sorted copy of every distinct word)
        best = heapq.nsmallest(top, ((-n, w) for w, n in a.items()
                                     if w not in b and w not in in_both))
        return [[w, -n] for n, w in best]
    return {"only_old": only(co, cn), "only_new": only(cn, co)}


# -- termbase terms ---------------------------------------------------------------------

class WordRuns:
    """Where every substring made of word characters occurs in a lower-cased text.

    Such a substring lies inside one maximal run of word characters, so its
    occurrences are those inside the text's distinct runs (a short string to search),
    shifted to every place each run occurs: the same offsets a ``str.find`` chain over
    the whole text gives, without reading the whole text for each word.
    """

    def __init__(self, low: str) -> None:
        parts = _RUN.split(low)              # separator, run, separator, run, ...
        runs = parts[1::2]
        starts = list(accumulate(map(len, parts)))[0:-1:2]   # where each run begins
        where: dict[str, list[int]] = defaultdict(list)
        for r, at in zip(runs, starts):
            where[r].append(at)
        self._where = where
        self._runs = list(where)
        self._joined = "\n".join(self._runs)      # "\n" is no word character
        self._starts = [0] + list(accumulate(len(r) + 1 for r in self._runs))[:-1]
        self._cache: dict[str, list[int]] = {}
        self._counts: dict[str, int] = {}

    def _runs_with(self, word: str):
        """(run, offset of ``word`` in it) for each occurrence of ``word`` in a run."""
        at = self._joined.find(word)
        while at >= 0:
            k = bisect_right(self._starts, at) - 1
            yield self._runs[k], at - self._starts[k]
            at = self._joined.find(word, at + 1)

    def count(self, word: str) -> int:
        n = self._counts.get(word)
        if n is None:
            n = self._counts[word] = sum(len(self._where[r]) for r, _ in self._runs_with(word))
        return n

    def find(self, word: str) -> list[int]:
        """Sorted start offsets of every (also overlapping) occurrence of ``word``."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        out: list[int] = []
        for run, off in self._runs_with(word):
            out.extend(p + off for p in self._where[run])
        out.sort()
        self._cache[word] = out
        return out


def _windows(hits: list[int], size: int, before: int, after: int):
    """Merged spans from ``before`` characters ahead of each hit to ``after``
    characters past it, in order (lazily: a first occurrence is found without
    visiting the rest)."""
    span = None
    for at in hits:
        a, b = max(0, at - before), min(size, at + after)
        if span and a <= span[1]:
            span = (span[0], b)
        else:
            if span:
                yield span
            span = (a, b)
    if span:
        yield span


def term_counts(base, text: str, lang: str, first: bool = False) -> Counter:
    """Non-overlapping occurrences of each term (any of its forms) in ``text``;
    ``first``: stop at a term's first occurrence (1 for every term that occurs).

    The windows are placed around the occurrences of the form's rarest word (fewest
    occurrences in this text; the longest on a tie), with room for the form's spelling
    noise on each side.
    """
    from ..qa.textmatch import strip_article, term_regex

    mode = "zh" if lang in ("zh", "ja") else lang   # no word boundaries in CJK
    out: Counter = Counter()
    if not base:
        return out
    low = text.lower()
    aligned = len(low) == len(text)                 # lower() kept every offset
    index = WordRuns(low) if aligned else None
    for t in base:
        spans = set()
        for form in t.forms(lang):
            if not form:
                continue
            bare = strip_article(form, mode).lower()
            words = re.findall(r"\w+", bare)
            if aligned and words:
                key = min(words, key=lambda w: (index.count(w), -len(w)))
                hits = index.find(key)
                if not hits:
                    continue
                at = bare.find(key)
                wins = _windows(hits, len(text), 2 * max(at, 0) + 16, 2 * len(form) + 16)
            else:
                key = max(words, key=len) if words else ""
                if key and key not in low:
                    continue
                wins = [(0, len(text))]
            rx = term_regex(form, mode)
            for a, b in wins:
                # a match that ends at b was cut there: its look-ahead saw no text
                for m in rx.finditer(text, a, b):
                    if m.end() > m.start() and (m.end() < b or b == len(text)):
                        spans.add(m.span())
                        if first:
                            break
                if first and spans:
                    break
            if first and spans:
                break
        # one sweep: an occurrence starting inside one already counted is the same one
        n, end = 0, -1
        for a, b in sorted(spans, key=lambda sp: (sp[0], -sp[1])):
            if a >= end:
                n += 1
                end = b
            else:
                end = max(end, b)
        if n:
            out[t.id] = n
    return out


class _Reading:
    """The key-term passes' progress: characters read of all they will read."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def __call__(self, n: int) -> None:
        from .match import report_progress

        self.done += n
        if self.total > PART:
            report_progress("diff: key terms", min(self.done, self.total - 1), self.total)


def parts(texts, sep: str, size: int = PART, read=None):
    """The texts joined by ``sep`` in consecutive parts of about ``size`` characters
    (a text is never cut): what is counted inside texts is counted part by part, so
    the indexes of a large diff are a part's, not the whole text's (a word-run index
    of a 2 MB version took ~30 bytes a character)."""
    part: list[str] = []
    n = 0
    for t in texts:
        part.append(t)
        n += len(t) + 1
        if n >= size:
            yield sep.join(part)
            if read is not None:
                read(n - len(part))         # the texts' characters, no separators
            part, n = [], 0
    if part:
        yield sep.join(part)
        if read is not None:
            read(n - len(part))


def _term_counts_in(base, texts, lang: str, first: bool = False, read=None) -> Counter:
    """``term_counts`` over texts joined by _UNIT, part by part (no form matches
    across _UNIT, so the counts are the whole join's)."""
    out: Counter = Counter()
    for text in parts(texts, _UNIT, read=read):
        if not base:
            break
        found = term_counts(base, text, lang, first)
        out.update(found)
        if first:
            base = [t for t in base if t.id not in found]
    return out


def key_terms(old: Document, new: Document, termbase=(), top: int = 15) -> dict:
    """Termbase terms and frequent content words that occur in only one version.

    A term is counted inside units (a clause's last words and the next one's first are
    no occurrence), so the texts both versions share are read once: a term found in
    them is in both versions; any other term has all its occurrences in the texts
    only one version has, a small part of a large diff.
    """
    olds, news = _texts(old), _texts(new)
    same_lang = old.lang == new.lang
    shared = set(olds) & set(news) if same_lang else set()
    terms = {"only_old": [], "only_new": []}
    base = [t for t in termbase if t.forms(old.lang) and t.forms(new.lang)]
    # the passes' texts, read once each: the terms' (OLD whole, NEW's own), then the
    # words' (shared, each version's own), so the progress has a known end
    own_old = sum(len(t) for t in olds if t not in shared)
    own_new = sum(len(t) for t in news if t not in shared)
    total = (sum(map(len, olds)) + own_new) * bool(base) + \
        (sum(map(len, shared)) + own_old + own_new) * same_lang
    read = _Reading(total)
    # the first occurrence settles that a term is in both
    in_both = _term_counts_in(base, (t for t in olds if t in shared), old.lang, first=True,
                              read=read)
    base = [t for t in base if t.id not in in_both]
    count_old = _term_counts_in(base, (t for t in olds if t not in shared), old.lang,
                                read=read)
    count_new = _term_counts_in(base, (t for t in news if t not in shared), new.lang,
                                read=read)
    for t in base:
        a, b = count_old.get(t.id, 0), count_new.get(t.id, 0)
        if a and not b:
            terms["only_old"].append({"id": t.id, "term": t.forms(old.lang)[0], "count": a})
        elif b and not a:
            terms["only_new"].append({"id": t.id, "term": t.forms(new.lang)[0], "count": b})
    if not same_lang:
        # Words of two languages never match; only the termbase's terms compare.
        return {"terms": terms, "words": {"only_old": [], "only_new": []}}
    return {"terms": terms, "words": _words_only_in_one(olds, news, old.lang, top, read)}
