"""Lines of a plain text and how they are laid out.

Real documents arrive in three layouts, and a line without a number means something
different in each:

- *blank-separated*: paragraphs are separated by blank lines; a line that follows
  another without a blank line is a hard wrap of the same paragraph;
- *one unit per line*: lists copied from web pages and spreadsheets, with no blank lines
  and often no final punctuation; every line is a unit, except a line that evidently
  continues the one before (a hyphenated word, a lower-case start after an unfinished
  line);
- *hard-wrapped*: PDF text layers and e-mails, lines cut at a fixed width with no blank
  lines; a line starts a paragraph only after a line that ended a sentence well short of
  the wrap width.

The layout is decided from the whole text (line lengths, blank lines, sentence ends) and
reported on the Document, so that a reader can see why lines were joined or not.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

BLANK_SEPARATED = "blank-separated paragraphs"
ONE_PER_LINE = "one unit per line"
HARD_WRAPPED = "hard-wrapped lines"

_PAGE_NOISE = re.compile(
    r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|(?:p[áa]gina|page|pág\.|p\.)\s*\d{1,4}"
    r"(?:\s*(?:de|of|/)\s*\d{1,4})?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$", re.I)
_NOISE_MAX = 40          # page furniture is short; longer lines are never tested
_HEADER_MAX = 100        # a running header or footer fits on one line
_SPACES = re.compile(r"[ \t]+")
_TERMINAL = tuple(".;:!?。；：！？…)”\"’»）")
# Preambular paragraphs of resolutions end with a comma or a semicolon.
_LINE_END = _TERMINAL + (",", "，")
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class Line:
    no: int              # 1-based line number in the source
    text: str
    blank_before: bool
    starts: bool = True  # starts a new block (paragraph), by the document's layout
    page_break: bool = False   # a page number or form feed came between it and the line before


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no BOM, no odd spaces; form feeds become blank lines."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    text = text.replace("\u200b", "").replace("\u00ad", "")  # zero-width and soft hyphen
    return text


def join_text(a: str, b: str) -> str:
    """Join two pieces of one paragraph: undo hyphenation, no space between CJK."""
    if not a:
        return b
    if not b:
        return a
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].islower():
        return a[:-1] + b
    if CJK.match(a[-1]) or CJK.match(b[0]):
        return a + b
    return a + " " + b


def terminated(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


# A list item ends in "; or", "; and", "; y" … before the next item.
_LIST_JOINT = re.compile(r"[;,；，]\s*(?:or|and|y|o|e|ou|et|u|或|和)$")


def ended(text: str) -> bool:
    """Does ``text`` end a paragraph or a list item ("…is required; or")?"""
    return terminated(text) or bool(_LIST_JOINT.search(text))


def read_lines(text: str) -> list[Line]:
    """Non-blank lines, with page furniture dropped: page numbers ("Página 3 de 9") and,
    in a text with page breaks, running headers and footers (a short line repeated on
    three pages or more)."""
    out: list[Line] = []
    blank = page = True
    pages = 0
    # A form feed is kept as a line of its own ("\v") so that the page break is seen.
    for no, raw in enumerate(normalize_text(text.replace("\f", "\n\v\n")).split("\n"),
                             start=1):
        s = (_SPACES.sub(" ", raw) if "  " in raw or "\t" in raw else raw).strip()
        if not s or (len(s) <= _NOISE_MAX and _PAGE_NOISE.match(s)):
            noise = bool(s) or "\v" in raw
            pages += noise
            page = page or noise
            blank = True
            continue
        out.append(Line(no, s, blank, page_break=page and bool(out)))
        blank = page = False
    if pages >= 2:
        counts = Counter(ln.text for ln in out if len(ln.text) <= _HEADER_MAX)
        running = {t for t, n in counts.items()
                   if n >= 3 and not t[:1].isdigit() and t[:1] not in "(（-–—•"}
        if running:
            kept: list[Line] = []
            for ln in out:
                if ln.text in running:
                    continue
                kept.append(ln)
            out = kept
    return out


def wrap_width(lines: list[Line]) -> int:
    """The width hard-wrapped text is set to: the 90th percentile of line lengths."""
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) > 20)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80


def detect_layout(lines: list[Line], numbered: set[int], width: int | None = None) -> str:
    """Which of the three layouts ``lines`` are in (``numbered`` holds the numbers of
    lines, which start a unit in every layout; ``width``: their wrap width if known)."""
    if len(lines) < 2:
        return BLANK_SEPARATED
    glued = [(a, b) for a, b in zip(lines, lines[1:]) if not b.blank_before]
    if len(glued) < 0.3 * (len(lines) - 1):
        return BLANK_SEPARATED
    width = width or wrap_width(lines)
    # Hard-wrapped text: most lines that another line follows are cut near the width.
    cut = [a for a, b in glued if b.no not in numbered]
    if len(cut) >= 3:
        full = sum(len(a.text) >= 0.75 * width for a in cut)
        if full >= 0.6 * len(cut) and width >= 30:
            return HARD_WRAPPED
    return ONE_PER_LINE


def cjk_wrapped(lines: list[Line], numbered: set[int] = frozenset()) -> bool:
    """In a one-unit-per-line text, are unfinished Chinese lines cut at a width (a wrap
    inside a unit) rather than whole units without final punctuation (a list of targets
    or indicators pasted from a table)?

    Cut lines have about the same length (the width they were cut at); units vary. So
    the lines that would be joined (unfinished, Chinese at the end, followed by an
    unnumbered Chinese line) count as wraps only when most are within 15 % of their
    median length. With fewer than three such lines there is nothing to measure: they
    are taken as wraps, as before."""
    cut = [len(a.text) for a, b in zip(lines, lines[1:])
           if not b.blank_before and b.no not in numbered and not a.text.endswith(_LINE_END)
           and CJK.match(a.text[-1:]) and CJK.match(b.text[:1])]
    if len(cut) < 3:
        return True
    med = sorted(cut)[len(cut) // 2]
    return sum(abs(n - med) <= 0.15 * med for n in cut) >= 0.7 * len(cut)


def continues(prev: str, line: str, cjk_wrap: bool = True) -> bool:
    """Does ``line`` evidently continue ``prev`` (in a one-unit-per-line text)?
    ``cjk_wrap``: Chinese lines of this text may be cut inside a unit (``cjk_wrapped``)."""
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
        return True
    if prev.endswith(_LINE_END) or _LIST_JOINT.search(prev):
        return False
    first = line[:1]
    if first.islower() or (first and not first.isalnum() and first not in "¿¡\"“«'‘("):
        return True
    # Chinese has no capitals: where this text's Chinese lines are cut at a width, an
    # unfinished line goes on unless the next one is short enough to be a heading.
    return bool(cjk_wrap and CJK.match(prev[-1:]) and CJK.match(first) and len(line) > 20)


def starts_block(prev: Line, ln: Line, layout: str, width: int,
                 cjk_wrap: bool = True) -> bool:
    """Does the unnumbered line ``ln`` (after ``prev``) begin a block of its own?"""
    if ln.blank_before:
        # A blank line mid-sentence is a page break, not a paragraph end; so is a page
        # break before a line that goes on in lower case ("…this resolution, / - 3 - /
        # and thereafter").
        if ln.page_break and ln.text[:1].islower():
            return False
        if layout == BLANK_SEPARATED and not ln.page_break:
            # Blank lines separate paragraphs here: only a lower-case start after an
            # unfinished line ("…para el / ciberdelito") is the same paragraph.
            return ended(prev.text) or not ln.text[:1].islower()
        return terminated(prev.text) or prev.text.endswith(_LINE_END)
    if layout == ONE_PER_LINE:
        return not continues(prev.text, ln.text, cjk_wrap)
    if layout == HARD_WRAPPED:
        if not ln.text[:1].isupper():
            return terminated(prev.text) and len(prev.text) < 0.8 * width
        # Preambular and listed paragraphs end in ";" or ":", or in "," on a short line.
        return (prev.text.endswith((";", ":", "；", "：")) or terminated(prev.text)
                and len(prev.text) < 0.8 * width
                or prev.text.endswith((",", "，")) and len(prev.text) < 0.8 * width)
    return False


def mark_starts(lines: list[Line], layout: str, numbered: set[int],
                width: int | None = None) -> bool:
    """Set ``Line.starts``: does each line begin a block of its own? A numbered line
    always does (the parser may still reject its marker and call ``starts_block``).
    Returns whether Chinese lines may be wraps (``cjk_wrapped``), for such calls."""
    width = width or wrap_width(lines)
    wrap = layout != ONE_PER_LINE or cjk_wrapped(lines, numbered)
    prev: Line | None = None
    for ln in lines:
        ln.starts = prev is None or ln.no in numbered or starts_block(prev, ln, layout, width,
                                                                      wrap)
        prev = ln
    return wrap
