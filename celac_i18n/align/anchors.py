"""Content anchors that survive translation: numbers, acronyms, termbase terms and
punctuation.

Every segment gets its tokens with their counts (``#2024``, ``A:OPANAL``, ``T:celac``
twice). For a pair of documents only tokens that occur on both sides are kept (an
acronym that the Chinese text never writes says nothing); each multiset, and that of
each pair of consecutive segments, is hashed into a small bitmask (the second
occurrence of a token is a token of its own) so the DP can score thousands of
candidate beads at once with popcounts.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from functools import lru_cache

import numpy as np

from ..parse.numerals import FULLWIDTH_DIGITS, ZH_NUMERAL_CHARS, zh_to_int

WORDS = 2            # 128-bit masks: few collisions for the handful of anchors a clause has
ANCHOR_KINDS = "num+acr+term+punct,occurrences"

_NUMBER = re.compile(r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?!\d)|\d+")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9&-]*[A-Z0-9](?![a-z])")
_ZH_NUM = re.compile(rf"(第)?([{ZH_NUMERAL_CHARS}]+)([年月日届次个项周倍名国]?)")


def number_counts(text: str, lang: str) -> Counter:
    text = text.translate(FULLWIDTH_DIGITS)
    out: Counter = Counter()
    for m in _NUMBER.finditer(text):
        out["#" + str(int(re.sub(r"\D", "", m.group())))] += 1
    if lang == "zh":
        for m in _ZH_NUM.finditer(text):
            first, digits, unit = m.groups()
            # 一 and 两 live inside ordinary words (一切, 进一步, 两国): a lone numeral
            # counts only after 第 or before a counter.
            if len(digits) < 2 and not (first or unit):
                continue
            value = zh_to_int(digits)
            if value is not None and value > 1:
                out[f"#{value}"] += 1
    return out


def numbers(text: str, lang: str) -> set[str]:
    return set(number_counts(text, lang))


def acronym_counts(text: str) -> Counter:
    return Counter("A:" + m.group() for m in _ACRONYM.finditer(text) if len(m.group()) >= 2)


def acronyms(text: str) -> set[str]:
    return set(acronym_counts(text))


@lru_cache(maxsize=8)
def _term_index(terms, lang: str):
    """One regex for all of a language's term forms; form → term ids; form → the
    shorter forms it starts with.

    The text is searched again one character after each match so that matches may
    overlap ("Foro China - CELAC" also holds "CELAC"); at one position the regex
    takes the longest form, and the shorter forms that start there ("中国—拉共体论坛"
    → "中国—拉共体" → "中国") come from the prefix table. One pass over the text
    instead of one search per term.
    """
    index: dict[str, list[str]] = {}      # a form may belong to several terms (中拉)
    for t in terms:
        for f in t.forms(lang):
            f = f.strip()
            if len(f) >= 2:
                ids = index.setdefault(f if lang == "zh" else f.lower(), [])
                if t.id not in ids:
                    ids.append(t.id)
    if not index:
        return None, {}, {}
    forms = sorted(index, key=len, reverse=True)
    prefixes = {f: [g for g in forms if len(g) < len(f) and f.startswith(g)] for f in forms}
    alts = "|".join(re.escape(f) for f in forms)
    # a first-character class up front lets the engine skip most positions fast
    first = "[" + "".join(re.escape(c) for c in sorted({f[0] for f in forms})) + "]"
    if lang == "zh":
        pat = re.compile(rf"(?={first})(?:{alts})")
    else:  # whole words only ("ALC" not inside "ALCANCE"); texts are lower-cased
        pat = re.compile(rf"(?<!\w)(?={first})(?:{alts})(?!\w)")
    return pat, index, prefixes


def term_counts(text: str, lang: str, terms=()) -> Counter:
    """Occurrences of the termbase ``terms`` (a ``termbase.Termbase``) in ``text``."""
    pat, index, prefixes = _term_index(terms, lang)
    out: Counter = Counter()
    if pat is None:
        return out
    zh = lang == "zh"
    if not zh:
        text = text.lower()     # forms are indexed lower-cased: no slow re.I
    pos = 0
    while True:
        # search (not finditer) and restart one character on: matches may overlap
        m = pat.search(text, pos)
        if m is None:
            break
        pos = m.start() + 1
        form = m.group()
        if form not in index:
            continue
        found = {"T:" + tid for tid in index[form]}
        for g in prefixes[form]:
            after = text[m.start() + len(g):m.start() + len(g) + 1]
            if zh or not (after.isalnum() or after == "_"):
                found.update("T:" + tid for tid in index[g])
        out.update(found)       # each term once per place it occurs
    return out


def terms(text: str, lang: str, termbase=()) -> set[str]:
    return set(term_counts(text, lang, termbase))


_PUNCT = str.maketrans("（）；：？！", "();:?!")


def punctuation(text: str) -> set[str]:
    """Punctuation that translations keep: how many parentheses, semicolons (list
    items), question and exclamation marks, and a final colon (a lead-in)."""
    t = text.translate(_PUNCT).rstrip()
    out = {f"P:{ch}{t.count(ch)}" for ch in "(;?!" if ch in t}
    if t.endswith(":"):
        out.add("P:lead-in")
    return out


@lru_cache(maxsize=200_000)
def anchor_counts(text: str, lang: str, terms=()) -> tuple[tuple[str, int], ...]:
    """Each anchor of the text with the number of times it occurs (``terms``: the
    termbase whose terms count as anchors)."""
    c = number_counts(text, lang) + acronym_counts(text) + term_counts(text, lang, terms)
    c.update(punctuation(text))
    return tuple(sorted(c.items()))


def anchors(text: str, lang: str, terms=()) -> frozenset[str]:
    return frozenset(tok for tok, _ in anchor_counts(text, lang, terms))


def _expand(counts, keep: set[str]) -> set[str]:
    """A multiset as a set: the second CELAC of a text is the token ``A:CELAC@2``."""
    return {tok if i == 1 else f"{tok}@{i}" for tok, n in counts if tok in keep
            for i in range(1, n + 1)}


def window_masks(a: list, b: list) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Anchor masks of two documents' units (``anchor_counts`` of each) and of each
    pair of consecutive units, counting occurrences: two clauses that both name CELAC
    make a window with CELAC twice, as a rendering that joins them names it twice.
    Only anchors both documents use are kept. Returns (a units, a pairs, b units,
    b pairs); a pair row k covers units k and k + 1."""
    keep = ({t for c in a for t, _ in c} & {t for c in b for t, _ in c}) if a and b else set()

    def pairs(counts):
        out = []
        for x, y in zip(counts, counts[1:]):
            merged = Counter(dict(x))
            merged.update(dict(y))
            out.append(_expand(tuple(merged.items()), keep))
        return out

    return (masks([_expand(c, keep) for c in a]), masks(pairs(a)),
            masks([_expand(c, keep) for c in b]), masks(pairs(b)))


def masks(sets: list[set[str]], keep: set[str] | None = None, words: int = WORDS) -> np.ndarray:
    """Hash each set into ``words`` uint64 words (row per segment)."""
    out = np.zeros((len(sets), words), dtype=np.uint64)
    for i, s in enumerate(sets):
        for tok in s:
            if keep is not None and tok not in keep:
                continue
            h = zlib.crc32(tok.encode("utf-8"))
            out[i, (h >> 7) % words] |= np.uint64(1) << np.uint64(h & 63)
    return out


def trigrams(text: str) -> set[str]:
    """Character trigrams (lower case, spaces squeezed): the MT-similarity channel."""
    t = " ".join(text.lower().split())
    return {t[i:i + 3] for i in range(max(0, len(t) - 2))}
