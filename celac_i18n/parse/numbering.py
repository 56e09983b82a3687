"""The numbering grammar: recognise the marker that opens a line, in any of our languages.

A ``Marker`` says which *style* a line is numbered in (Roman chapter, ``1.``, ``1.1``,
``（一）``, ``(a)``, ``Artículo 5``, ``第五条`` ...) and what number it carries.
Whether a marker really opens a unit, and at what depth, is the parser's decision:
``2024.`` at the start of a hard-wrapped line looks like a marker too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import (FULLWIDTH_DIGITS, ORDINAL_WORDS, ZH_NUMERAL_CHARS, letter_to_int,
                       roman_to_int, zh_to_int)

# Styles that open a chapter (top level) or an article.
CHAPTER_STYLES = {"roman", "zh-chapter", "chapter-word"}
ARTICLE_STYLE = "article"
# Styles so short that a wrapped line can begin with one by accident.
WEAK_STYLES = {"alpha", "roman"}


@dataclass(frozen=True)
class Marker:
    style: str                 # see the patterns below; multi-level decimals are "dec2", "dec3"...
    path: tuple[int, ...]      # (6,) for "6.", (1, 6) for "1.6."
    written: str               # the marker as written, bullets included
    rest: str                  # the text after the marker

    @property
    def number(self) -> int:
        return self.path[-1]


_BULLET = r"(?P<bullet>(?:[-–—•·▪*+]\s*)?)"
_ZHN = f"[{ZH_NUMERAL_CHARS}]+"
_ORD = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_ORD_SUFFIX = r"(?:\s*(?:\.?\s*[ºª°]|o\b|\.o\b))?"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("chapter-word", re.compile(
        r"(?i)(?P<m>(?:cap[ií]tulo|chapter|parte|part)\s+(?P<n>[IVXLC]+|\d{1,3}|" + _ORD + r")"
        + _ORD_SUFFIX + r")\s*[.:\-–—]?\s*(?P<rest>.*)$")),
    ("zh-chapter", re.compile(rf"(?P<m>第(?P<n>{_ZHN}|\d{{1,3}})[章编部])\s*(?P<rest>.*)$")),
    ("zh-chapter", re.compile(rf"(?P<m>(?P<n>{_ZHN})\s*[、，．.])\s*(?P<rest>.*)$")),
    (ARTICLE_STYLE, re.compile(
        r"(?i)(?P<m>(?:art[ií]culo|article|artigo|art\.)\s+(?P<n>\d{1,3}|[IVXLC]+|" + _ORD + r")"
        + _ORD_SUFFIX + r")\s*[.:\-–—]?\s*(?P<rest>.*)$")),
    (ARTICLE_STYLE, re.compile(rf"(?P<m>第(?P<n>{_ZHN}|\d{{1,3}})条)\s*(?P<rest>.*)$")),
    ("roman", re.compile(r"(?P<m>(?P<n>[IVXLC]{1,6})\s*[.)\-–—:])\s*(?P<rest>[^\d\s].*)$")),
    ("dec", re.compile(
        r"(?P<m>(?P<n>\d{1,3}(?:[.．]\d{1,3})+)\s?[.．)）]?(?:-)?)(?:\s+|(?=[^\d\s.．,]))"
        r"(?P<rest>.*)$")),
    # "2．2022年": a full-width point after a number is a marker even before digits.
    ("dec", re.compile(r"(?P<m>(?P<n>\d{1,3})(?:\s?[.)）](?!\d)|\s?．)(?:-)?)\s*(?P<rest>.*)$")),
    ("paren-num", re.compile(r"(?P<m>[(（](?P<n>\d{1,3})[)）])\s*(?P<rest>.*)$")),
    ("paren-zh", re.compile(rf"(?P<m>[(（](?P<n>{_ZHN})[)）])\s*(?P<rest>.*)$")),
    ("paren-alpha", re.compile(r"(?P<m>[(（](?P<n>[a-z])[)）])\s*(?P<rest>.*)$")),
    ("alpha", re.compile(r"(?P<m>(?P<n>[a-z])[)）])\s+(?P<rest>.*)$")),
]

_MD_NOISE = re.compile(r"^(?:#{1,6}\s+|>\s*)")
_BOLD_MARK = re.compile(r"^(\*\*|__)(.+?)\1")


def _to_int(style: str, raw: str) -> int | None:
    raw = raw.strip()
    if raw.isdigit():
        return int(raw)
    if style in ("roman", "chapter-word", ARTICLE_STYLE):
        low = raw.lower()
        if low in ORDINAL_WORDS:
            return ORDINAL_WORDS[low]
        r = roman_to_int(raw)
        if r is not None:
            return r
    if style in ("zh-chapter", "paren-zh", ARTICLE_STYLE):
        return zh_to_int(raw)
    if style in ("paren-alpha", "alpha") and len(raw) == 1:
        return letter_to_int(raw)
    return None


def strip_decorations(line: str) -> str:
    """Drop Markdown heading marks and bold around a leading marker (``**1.**``)."""
    line = _MD_NOISE.sub("", line.strip())
    return _BOLD_MARK.sub(r"\2", line)


def match_marker(line: str) -> Marker | None:
    """The numbering marker that opens ``line``, or None."""
    s = strip_decorations(line)
    bullet = re.match(_BULLET, s).group("bullet")
    original = s[len(bullet):]
    body = original.translate(FULLWIDTH_DIGITS)   # one char for one: offsets still agree
    for style, pat in _PATTERNS:
        m = pat.match(body)
        if not m:
            continue
        raw = m.group("n")
        if style == "dec":
            pieces = [p for p in re.split(r"[.．]", raw) if p]
            if any(p.startswith("0") for p in pieces):
                continue  # "1.000" is a thousands separator, not item 1.0
            parts = [int(p) for p in pieces]
            style = f"dec{len(parts)}"
            path = tuple(parts)
        else:
            n = _to_int(style, raw)
            if n is None or n <= 0:
                continue
            path = (n,)
        written = (bullet + original[m.start("m"):m.end("m")]).strip()
        return Marker(style=style, path=path, written=written, rest=original[m.start("rest"):].strip())
    return None
