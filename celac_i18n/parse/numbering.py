"""The numbering grammar: recognise the marker that opens a line, in any of our languages.

A ``Marker`` says which *style* a line is numbered in (``I.``, ``1.``, ``1.a.1``,
``（一）``, ``(a)``, ``(iv)``, ``Artículo 5 bis``, ``第五条``, ``Primero.-`` ...), the
canonical tokens of its number (``("1", "a", "1")``, ``("XXIX-A",)``, ``("5bis",)``) and
their order values for sequence checks. A marker carries no level: whether it really
opens a unit, and at what depth, is the parser's decision, read from the document
(``2024.`` at the start of a hard-wrapped line looks like a marker too; ``I.`` is a
chapter in a plan and a fraction inside a constitution's article).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import (FULLWIDTH_DIGITS, ORDINAL_WORDS, ZH_NUMERAL_CHARS, int_to_roman,
                       letter_to_int, roman_to_int, zh_to_int)

# Styles whose units are chapters (by word), articles, or dotted paths.
CHAPTER_WORD_STYLES = {"chapter-word", "zh-chapter"}
PART_WORD_STYLES = {"part-word", "zh-part"}
ARTICLE_STYLES = {"article", "ordinal"}
DOTTED = "dec"
# Styles so short that a wrapped line can begin with one by accident.
WEAK_STYLES = {"alpha", "roman", "roman-lower", "upper-alpha", "alpha-dot"}
# Numbers: a clause can be numbered 1000 and above; a year-like "2024." at the start of
# a wrapped line is rejected by the parser's sequence check, not by a digit limit here.
_NUM = r"\d{1,6}"


@dataclass(frozen=True)
class Marker:
    style: str                 # see _PATTERNS; every dotted path ("1.", "1.6", "1.a.1") is "dec"
    tokens: tuple[str, ...]    # canonical tokens: ("1", "6"), ("a",), ("XXIX-A",), ("5bis",)
    ords: tuple[int, ...]      # order value per token: letters a=1, Romans and Chinese as numbers
    written: str               # the marker as written, bullets included
    rest: str                  # the text after the marker
    suffix: bool = False       # the last token carries a suffix (bis, -A): follows its base number
    alt: "Marker | None" = None  # another reading: "(i)" is a letter or a lowercase Roman

    @property
    def number(self) -> int:
        return self.ords[-1]

    @property
    def path(self) -> tuple[int, ...]:
        return self.ords


_BULLET = r"(?P<bullet>(?:[-–—•·▪*+]\s*)?)"
_ZHN = f"[{ZH_NUMERAL_CHARS}]+"
_ORDINALS = sorted(ORDINAL_WORDS, key=len, reverse=True)
_ORD = "|".join(_ORDINALS)
# True ordinals only ("one", "two" are not transitory article numbers).
_ORD_ONLY = "|".join(v for w in _ORDINALS if w not in ("one", "two", "three")
                     for v in (w.capitalize(), w.upper()))
_ORD_SUFFIX = r"(?:\s*(?:\.?\s*[ºª°]|o\b|\.o\b))?"
_LATIN_SUFFIX = r"bis|ter|qu[aá]ter|quinquies|sexies|septies|octies"
_ART_SUFFIX = (rf"(?:\s*\.?\s*[-–]?\s*(?P<suf>{_LATIN_SUFFIX})\b|-(?P<sufl>[A-Z])(?![\w]))?")

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("part-word", re.compile(
        r"(?i)(?P<m>(?:t[ií]tulo|title|libro|book|parte|part)\s+(?P<n>[IVXLC]+|" + _NUM
        + "|" + _ORD + r")" + _ORD_SUFFIX + r")\s*(?:[.:\-–—]\s*|\s+|$)(?P<rest>.*)$")),
    ("part-word", re.compile(       # "PRIMERA PARTE", "Segunda Parte"
        r"(?i)(?P<m>(?P<n>" + _ORD + r")\s+(?:parte|part))\s*(?:[.:\-–—]\s*|\s+|$)(?P<rest>.*)$")),
    ("zh-part", re.compile(rf"(?P<m>第(?P<n>{_ZHN}|\d{{1,6}})[编部](?:分)?)\s*(?P<rest>.*)$")),
    ("chapter-word", re.compile(
        r"(?i)(?P<m>(?:cap[ií]tulo|chapter|chapitre)\s+(?P<n>[IVXLC]+|" + _NUM + "|" + _ORD
        + r")" + _ORD_SUFFIX + r")\s*[.:\-–—]?\s*(?P<rest>.*)$")),
    ("zh-chapter", re.compile(rf"(?P<m>第(?P<n>{_ZHN}|\d{{1,6}})章)\s*(?P<rest>.*)$")),
    ("zh-num", re.compile(rf"(?P<m>(?P<n>{_ZHN})\s*[、，．.])\s*(?P<rest>.*)$")),
    ("article", re.compile(
        r"(?i)(?P<m>(?:art[ií]culo|article|artigo|art\.)\s+(?P<n>" + _NUM + r"|[IVXLC]+|" + _ORD
        + r")" + _ORD_SUFFIX + _ART_SUFFIX + r")\s*[.:\-–—]*\s*(?P<rest>.*)$")),
    ("article", re.compile(
        rf"(?P<m>第(?P<n>{_ZHN}|\d{{1,6}})条(?:之(?P<zhsuf>[一二三四五]))?)\s*(?P<rest>.*)$")),
    # Transitory articles numbered by a bare ordinal: "Primero.-", "ÚNICO.", "Segundo. -"
    ("ordinal", re.compile(
        r"(?P<m>(?P<n>" + _ORD_ONLY + r")\s*[.:]\s*[-–—]?)\s*(?P<rest>\S.*)$")),
    ("roman", re.compile(
        r"(?P<m>(?P<n>[IVXLCDM]{1,15})(?:-(?P<sufl>[A-Z])(?![\w]))?\s*[.)\-–—:])\s*"
        r"(?P<rest>[^\d\s].*)$")),
    ("dec", re.compile(
        r"(?P<m>(?P<n>\d{1,6}(?:[.．](?:\d{1,3}(?!\d)|[a-z](?![a-z])|[ivx]{2,5}(?![a-z])))+)"
        r"\s?[.．)）]?(?:-)?)(?:\s+|(?=[^\d\s.．,]))(?P<rest>.*)$")),
    # "2．2022年": a full-width point after a number is a marker even before digits.
    # Portuguese numbered paragraphs: "1 - O presente decreto-lei…" (capital after).
    ("dec", re.compile(rf"(?P<m>(?P<n>{_NUM})\s+[-–—])\s+(?P<rest>[A-ZÁÉÍÓÚÂÊÔÃÕÇ].*)$")),
    # Ordinal abbreviations as item numbers: "1o.", "2º", "1.ª" (legal texts).
    ("dec", re.compile(rf"(?P<m>(?P<n>{_NUM})(?:[oaºª°]\.?|\.[ºª])\s*[-–—]?)\s+(?P<rest>.*)$")),
    ("dec", re.compile(rf"(?P<m>(?P<n>{_NUM})(?:\s?[.)）](?!\d)|\s?．)(?:-)?)\s*(?P<rest>.*)$")),
    # Goals, axes, objectives and actions numbered by dotted paths: "Goal 1.",
    # "Eixo 1 –", "Objetivo 1.1 –", "Ação 1.1.1 –", "Línea de acción 2.3".
    ("goal-word", re.compile(
        r"(?i)(?P<m>(?:goal|objetivo|objective|eixo|eje|axis|a[çc][ãa]o|acci[óo]n|action|"
        r"l[íi]nea de acci[óo]n|meta|target)\s+(?P<n>" + _NUM + r"(?:\.\d{1,3})*)\.?\s*"
        r"[.:\-–—]?)\s*(?P<rest>.*)$")),
    ("goal-word", re.compile(rf"(?P<m>目标\s*(?P<n>{_NUM}|{_ZHN})\s*[.．:：]?)\s*(?P<rest>.*)$")),
    # Brazilian paragraphs of an article: "§ 1º", "§ 12.", "Parágrafo único."
    ("par-sign", re.compile(
        rf"(?P<m>§\s*(?P<n>{_NUM})\s*(?:[oºª°]|\.[ºª])?\.?\s*[-–—]?)\s*(?P<rest>.*)$")),
    ("par-sign", re.compile(
        r"(?P<m>(?P<n>Par[áa]grafo\s+[úu]nico|PAR[ÁA]GRAFO\s+[ÚU]NICO)\s*[.:]?\s*[-–—]?)"
        r"\s*(?P<rest>.*)$")),
    ("paren-num", re.compile(rf"(?P<m>[(（](?P<n>{_NUM})[)）])\s*(?P<rest>.*)$")),
    ("paren-zh", re.compile(rf"(?P<m>[(（](?P<n>{_ZHN})[)）])\s*(?P<rest>.*)$")),
    ("paren-roman", re.compile(r"(?P<m>[(（](?P<n>[ivxlc]{2,8})[)）])\s*(?P<rest>.*)$")),
    ("paren-alpha", re.compile(r"(?P<m>[(（](?P<n>[a-z])[)）])\s*(?P<rest>.*)$")),
    # Lettered headings and items: "A. Priority area", "a. Solicitar" (capital after).
    ("upper-alpha", re.compile(r"(?P<m>(?P<n>[A-Z])\.)\s+(?P<rest>[A-ZÁÉÍÓÚÑ¿\"“(].*)$")),
    ("alpha-dot", re.compile(r"(?P<m>(?P<n>[a-z])\.)\s+(?P<rest>[A-ZÁÉÍÓÚÑ¿\"“(].*)$")),
    ("roman-lower", re.compile(r"(?P<m>(?P<n>[ivxlc]{2,8})[.)）])\s+(?P<rest>.*)$")),
    # "a) …", and "a)el …" as EUR-Lex copies lose the space after the parenthesis.
    ("alpha", re.compile(r"(?P<m>(?P<n>[a-z])[)）])(?:\s+|(?=[^\W\d_]))(?P<rest>.*)$")),
]
# A single letter that is also a lowercase Roman numeral: "(i)" after "(h)" is a letter.
_ROMAN_LETTERS = {"i": "roman-lower", "v": "roman-lower", "x": "roman-lower"}
_ALT_STYLE = {"paren-alpha": "paren-roman", "alpha": "roman-lower"}
_ZH_SUFFIX = {"一": "bis", "二": "ter", "三": "quater", "四": "quinquies", "五": "sexies"}

# Which patterns can match, by the class of the marker's first character: most lines
# are tried against a few patterns only (parsing is linear, but this is its constant).
_FULLWIDTH = re.compile("[０-９]")


def _first_class(c: str) -> str:
    if c.isdigit() or c in "０１２３４５６７８９":
        return "digit"
    if c in "(（":
        return "paren"
    if c.isascii() and c.isalpha() or c in "ÚúÉé§":
        return "latin"
    if c in ZH_NUMERAL_CHARS or c in "第目":
        return "zh"
    return ""


_CLASS_OF_STYLE = {"part-word": "latin", "zh-part": "zh", "chapter-word": "latin",
                   "zh-chapter": "zh", "zh-num": "zh", "ordinal": "latin", "roman": "latin",
                   "dec": "digit", "paren-num": "paren", "paren-zh": "paren",
                   "paren-roman": "paren", "paren-alpha": "paren", "roman-lower": "latin",
                   "alpha": "latin", "par-sign": "latin", "upper-alpha": "latin",
                   "alpha-dot": "latin"}
_BY_CLASS: dict[str, list[tuple[str, re.Pattern]]] = {}
for _style, _pat in _PATTERNS:
    if _style in ("article", "goal-word"):      # Latin words, or 第N条 / 目标N
        for _cls in ("latin", "zh"):
            _BY_CLASS.setdefault(_cls, []).append((_style, _pat))
    else:
        _BY_CLASS.setdefault(_CLASS_OF_STYLE[_style], []).append((_style, _pat))

_WORD_STYLES = {"part-word", "chapter-word", "article", "goal-word"}
PAR_SIGN = "par-sign"
_ZH_REFERENCE = re.compile(r"^(?:所述|所列|规定|的|中|之规定|第|和|或|至|、|项下)")
_MD_NOISE = re.compile(r"^(?:#{1,6}\s+|>\s*)")
_BOLD_MARK = re.compile(r"^(\*\*|__)(.+?)\1")


def _number(style: str, raw: str) -> tuple[str, int] | None:
    """(canonical token, order value) of one written number in ``style``."""
    raw = raw.strip()
    if style == PAR_SIGN:
        return ("par" + raw, int(raw)) if raw.isdigit() else ("par-unico", 1)
    if raw.isdigit():
        return str(int(raw)), int(raw)
    low = raw.lower()
    if style in ("chapter-word", "part-word", "article", "ordinal") and low in ORDINAL_WORDS:
        n = ORDINAL_WORDS[low]
        return str(n), n
    if style in ("roman", "chapter-word", "part-word", "article"):
        r = roman_to_int(raw)
        if r is not None:
            return (int_to_roman(r) if style == "roman" else str(r)), r
    if style in ("roman-lower", "paren-roman"):
        r = roman_to_int(raw)
        if r is not None and raw.islower():
            return int_to_roman(r).lower(), r
    if style in ("zh-chapter", "zh-part", "zh-num", "paren-zh", "article", "goal-word"):
        z = zh_to_int(raw)
        if z is not None:
            return str(z), z
    if style in ("paren-alpha", "alpha", "alpha-dot") and len(raw) == 1 and raw.isalpha():
        return raw.lower(), letter_to_int(raw)
    if style == "upper-alpha" and len(raw) == 1:
        return raw, letter_to_int(raw)
    return None


def _dotted(raw: str) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """"1.a.1" → (("1","a","1"), (1,1,1)); "1.000" is a thousands separator, not 1.0."""
    pieces = [p for p in re.split(r"[.．]", raw) if p]
    tokens, ords = [], []
    for i, p in enumerate(pieces):
        if p.isdigit():
            if p.startswith("0"):
                return None
            tokens.append(str(int(p)))
            ords.append(int(p))
        elif i == 0:
            return None
        elif len(p) == 1:
            tokens.append(p)
            ords.append(letter_to_int(p))
        else:
            r = roman_to_int(p)
            if r is None:
                return None
            tokens.append(p)
            ords.append(r)
    return tuple(tokens), tuple(ords)


def strip_decorations(line: str) -> str:
    """Drop Markdown heading marks and bold around a leading marker (``**1.**``)."""
    line = line.strip()
    if line[:1] not in ("#", ">", "*", "_"):
        return line
    line = _MD_NOISE.sub("", line)
    return _BOLD_MARK.sub(r"\2", line)


def match_marker(line: str) -> Marker | None:
    """The numbering marker that opens ``line``, or None."""
    s = strip_decorations(line)
    bullet = re.match(_BULLET, s).group("bullet")
    original = s[len(bullet):]
    if not original:
        return None
    patterns = _BY_CLASS.get(_first_class(original[0]))
    if not patterns:
        return None
    body = original
    if _FULLWIDTH.search(original):
        body = original.translate(FULLWIDTH_DIGITS)   # one char for one: offsets agree
    for style, pat in patterns:
        m = pat.match(body)
        if not m:
            continue
        raw = m.group("n")
        suffix = ""
        if style == "dec" or (style == "goal-word" and "." in raw):
            parsed = _dotted(raw)
            if parsed is None:
                continue
            tokens, ords = parsed
        else:
            got = _number(style, raw)
            if got is None or got[1] <= 0:
                continue
            groups = m.groupdict()
            if groups.get("suf"):
                suffix = groups["suf"].lower().replace("á", "a")
            elif groups.get("sufl"):
                suffix = "-" + groups["sufl"].upper()
            elif groups.get("zhsuf"):
                suffix = _ZH_SUFFIX[groups["zhsuf"]]
            tokens, ords = (got[0] + suffix,), (got[1],)
        written = (bullet + original[m.start("m"):m.end("m")]).strip()
        rest = original[m.start("rest"):].strip()
        if style in _WORD_STYLES and (rest[:1].islower() or body[:1].islower()):
            return None      # "Chapter VII of the Charter", "Artículo 5 de la Ley": a reference
        if style == "article" and _ZH_REFERENCE.match(rest):
            return None      # "第四条所述工作组": a reference to article 4
        alt = None
        if style in _ALT_STYLE and raw in _ROMAN_LETTERS:
            r = roman_to_int(raw)
            alt = Marker(_ALT_STYLE[style], (raw,), (r,), written, rest)
        elif style == "roman" and len(raw) == 1 and not suffix and written.endswith("."):
            # "C." after "A." and "B." is a letter; "I." opening a plan is a Roman one.
            alt = Marker("upper-alpha", (raw,), (letter_to_int(raw),), written, rest)
        return Marker(style=style, tokens=tokens, ords=ords, written=written, rest=rest,
                      suffix=bool(suffix), alt=alt)
    return None
