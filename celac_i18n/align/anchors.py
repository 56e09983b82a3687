"""Content anchors that survive translation: numbers, acronyms, termbase terms and
punctuation.

Every segment gets a set of tokens (``#2024``, ``A:OPANAL``, ``T:celac``). For a pair of
documents only tokens that occur on both sides are kept (an acronym that the Chinese
text never writes says nothing), then each set is hashed into a small bitmask so the
DP can score thousands of candidate beads at once with popcounts.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np

from ..parse.numerals import FULLWIDTH_DIGITS, ZH_NUMERAL_CHARS, zh_to_int

WORDS = 2            # 128-bit masks: few collisions for the handful of anchors a clause has
ANCHOR_KINDS = "num+acr+term+punct"

_NUMBER = re.compile(r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?!\d)|\d+")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9&-]*[A-Z0-9](?![a-z])")
_ZH_NUM = re.compile(rf"(第)?([{ZH_NUMERAL_CHARS}]+)([年月日届次个项周倍名国]?)")


def numbers(text: str, lang: str) -> set[str]:
    text = text.translate(FULLWIDTH_DIGITS)
    out = set()
    for m in _NUMBER.finditer(text):
        out.add("#" + str(int(re.sub(r"\D", "", m.group()))))
    if lang == "zh":
        for m in _ZH_NUM.finditer(text):
            first, digits, unit = m.groups()
            # 一 and 两 live inside ordinary words (一切, 进一步, 两国): a lone numeral
            # counts only after 第 or before a counter.
            if len(digits) < 2 and not (first or unit):
                continue
            value = zh_to_int(digits)
            if value is not None and value > 1:
                out.add(f"#{value}")
    return out


def acronyms(text: str) -> set[str]:
    return {"A:" + m.group() for m in _ACRONYM.finditer(text) if len(m.group()) >= 2}


@lru_cache(maxsize=8)
def _term_index(lang: str):
    """One regex for all of a language's term forms; form → term ids; form → the
    shorter forms it starts with.

    The text is searched again one character after each match so that matches may
    overlap ("Foro China - CELAC" also holds "CELAC"); at one position the regex
    takes the longest form, and the shorter forms that start there ("中国—拉共体论坛"
    → "中国—拉共体" → "中国") come from the prefix table. One pass over the text
    instead of one search per term.
    """
    from ..errors import UserError
    from ..termbase import load_termbase

    try:
        terms = load_termbase()
    except UserError:
        return None, {}, {}
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


def terms(text: str, lang: str) -> set[str]:
    pat, index, prefixes = _term_index(lang)
    if pat is None:
        return set()
    zh = lang == "zh"
    if not zh:
        text = text.lower()     # forms are indexed lower-cased: no slow re.I
    out = set()
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
        out.update("T:" + tid for tid in index[form])
        for g in prefixes[form]:
            after = text[m.start() + len(g):m.start() + len(g) + 1]
            if zh or not (after.isalnum() or after == "_"):
                out.update("T:" + tid for tid in index[g])
    return out


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
def anchors(text: str, lang: str) -> frozenset[str]:
    return frozenset(numbers(text, lang) | acronyms(text) | terms(text, lang)
                     | punctuation(text))


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


def shared_masks(a: list[set[str]], b: list[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Masks of two documents' anchor sets, keeping only tokens both documents use."""
    keep = set().union(*a) & set().union(*b) if a and b else set()
    return masks(a, keep), masks(b, keep)


def trigrams(text: str) -> set[str]:
    """Character trigrams (lower case, spaces squeezed): the MT-similarity channel."""
    t = " ".join(text.lower().split())
    return {t[i:i + 3] for i in range(max(0, len(t) - 2))}
