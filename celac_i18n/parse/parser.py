"""Turn a plan's plain text into a Document: title, preamble, chapters, sections, clauses.

The text may come from a PDF or a web page, so the parser expects mess: page numbers
and form feeds, clauses cut by a page break (a blank line mid-sentence), hard-wrapped
lines, hyphenated words, lines that begin with something that looks like a number
("2024. ...") but is not a marker. A marker only opens a unit when it is plausible:
the next number in its style, or at a block boundary after a finished sentence.

Ids are language-independent: the chapter as a Roman numeral, then the unit's own
number path (``II.1.6``); article documents use ``art.5``, ``art.5.2``; letters map to
numbers ((b) → 2), Chinese numerals to digits, so every rendering gets the same ids.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import NoNumberingError, UserError
from ..model import (ARTICLE, CHAPTER, CLAUSE, PARAGRAPH, PREAMBLE, SECTION, TITLE,
                     Document, Provenance, Unit)
from .numbering import ARTICLE_STYLE, CHAPTER_STYLES, WEAK_STYLES, Marker, match_marker
from .numerals import int_to_roman
from .sentences import split_sentences

_PAGE_NOISE = re.compile(
    r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|(?:p[áa]gina|page|pág\.|p\.)\s*\d{1,4}"
    r"(?:\s*(?:de|of|/)\s*\d{1,4})?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$", re.I)
_TERMINAL = tuple(".;:!?。；：！？…)”\"’»）")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TITLE_MAX = 250
_HEADING_MAX = 120


@dataclass
class _Line:
    no: int            # 1-based line number in the source
    text: str
    blank_before: bool


@dataclass
class _Node:
    style: str
    path: tuple[int, ...]          # number path below the chapter / article
    unit: Unit
    children: list["_Node"] = field(default_factory=list)
    para_count: int = 0
    last_child: dict[int, int] = field(default_factory=dict)  # path length → last number


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
    if _CJK.match(a[-1]) or _CJK.match(b[0]):
        return a + b
    return a + " " + b


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    blank = True
    for no, raw in enumerate(normalize_text(text).split("\n"), start=1):
        s = re.sub(r"[ \t]+", " ", raw).strip()
        if not s or _PAGE_NOISE.match(s):
            blank = True
            continue
        out.append(_Line(no, s, blank))
        blank = False
    return out


def _terminated(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


class _Builder:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.units: list[Unit] = []
        self.stack: list[_Node] = []          # open nodes, outermost first
        self.roots: list[_Node] = []
        self.last_top: dict[str, int] = {}    # last number used per top-level style
        self.seen_ids: set[str] = set()
        self.warnings: list[str] = []
        self.current: Unit | None = None      # the unit continuation lines go to

    # -- ids ---------------------------------------------------------------------
    def _container(self) -> _Node | None:
        return self.stack[0] if self.stack and (
            self.stack[0].style in CHAPTER_STYLES or self.stack[0].style == ARTICLE_STYLE) else None

    def _make_id(self, node_style: str, path: tuple[int, ...], container: _Node | None) -> str:
        if node_style in CHAPTER_STYLES:
            uid = int_to_roman(path[0])
        elif node_style == ARTICLE_STYLE:
            uid = f"art.{path[0]}"
        else:
            tail = ".".join(str(p) for p in path)
            uid = f"{container.unit.id}.{tail}" if container else tail
        if uid in self.seen_ids:
            n = 2
            while f"{uid}~{n}" in self.seen_ids:
                n += 1
            self.warnings.append(f"duplicate number {uid}: kept as {uid}~{n}")
            uid = f"{uid}~{n}"
        self.seen_ids.add(uid)
        return uid

    # -- plausibility ----------------------------------------------------------------
    def _expected(self, m: Marker) -> tuple[bool, _Node | None, tuple[int, ...]]:
        """Is ``m`` the next number in its place? Returns (expected, parent, path)."""
        if m.style in CHAPTER_STYLES or m.style == ARTICLE_STYLE:
            last = self.last_top.get(m.style, 0)
            return m.number == last + 1, None, m.path
        container = self._container()
        inner = self.stack[1:] if container else self.stack
        if m.style.startswith("dec") and len(m.path) > 1:
            prefix = m.path[:-1]
            for node in reversed(inner):
                if node.path == prefix:
                    last = node.last_child.get(len(m.path), 0)
                    return m.number == last + 1, node, m.path
            # No open parent with that number (section numbers missing): hang it on
            # the container; expected if it follows its previous sibling.
            prev = self.current_node()
            ok = bool(prev and prev.path[:-1] == prefix and prev.path[-1] + 1 == m.number)
            ok = ok or (m.number == 1 and not any(n.path[:1] == prefix[:1] for n in inner))
            return ok, container, m.path
        for i, node in enumerate(inner):
            if node.style == m.style:
                parent = inner[i - 1] if i > 0 else container
                base = parent.path if parent and parent is not container else ()
                return m.number == node.path[-1] + 1, parent, base + (m.number,)
        parent = inner[-1] if inner else container
        base = parent.path if parent and parent is not container else ()
        return m.number == 1, parent, base + (m.number,)

    def current_node(self) -> _Node | None:
        return self.stack[-1] if self.stack else None

    def accept(self, m: Marker, line: _Line, prev_text: str, after_heading: bool) -> bool:
        expected, _, _ = self._expected(m)
        if expected:
            return True
        boundary = line.blank_before or _terminated(prev_text)
        if m.style in WEAK_STYLES:
            if m.style not in self._open_styles():
                # "V. Putin" or "a) ..." out of the blue: only at a clear paragraph start
                return line.blank_before and _terminated(prev_text)
            return boundary
        # A heading line ("1. Comercio") is never terminated, yet the line after it
        # starts a new unit even when its number is unexpected.
        return boundary or after_heading

    def _open_styles(self) -> set[str]:
        return {n.style for n in self.stack}

    # -- building ----------------------------------------------------------------------
    def open(self, m: Marker, line: _Line) -> None:
        expected, parent, path = self._expected(m)
        if not expected:
            self.warnings.append(
                f"line {line.no}: numbering '{m.written}' is out of sequence; kept as written")
        if m.style in CHAPTER_STYLES or m.style == ARTICLE_STYLE:
            self.last_top[m.style] = m.number
            keep = self._container() if (m.style == ARTICLE_STYLE and self._container()
                                         and self._container().style in CHAPTER_STYLES) else None
            self.stack = [keep] if keep else []
            parent = keep
            kind = CHAPTER if m.style in CHAPTER_STYLES else ARTICLE
        else:
            while self.stack and self.stack[-1] is not parent:
                self.stack.pop()
            kind = CLAUSE
        container = self._container() if m.style not in CHAPTER_STYLES else None
        if m.style == ARTICLE_STYLE:
            container = None
        uid = self._make_id(m.style, path, container)
        unit = Unit(id=uid, kind=kind, number=m.written, heading="", text=m.rest,
                    parent=parent.unit.id if parent else None, line=line.no)
        node = _Node(m.style, path if m.style not in CHAPTER_STYLES else (), unit)
        if m.style == ARTICLE_STYLE:
            node.path = ()
        if parent:
            parent.children.append(node)
            if node.path:
                parent.last_child[len(node.path)] = node.path[-1]
        else:
            self.roots.append(node)
        self.stack.append(node)
        self.units.append(unit)
        self.current = unit

    def continue_text(self, line: _Line) -> bool:
        """Add ``line`` to the open unit; False (line not taken) when none is open."""
        node = self.current_node()
        if node is None:
            return False
        is_heading = node.style in CHAPTER_STYLES
        if is_heading and node.unit.text and line.blank_before:
            # A paragraph under a chapter heading, not part of the heading.
            self._add_unnumbered(node, "p", PARAGRAPH, line)
            return True
        target = self.current or node.unit
        target.text = join_text(target.text, line.text)
        if line.blank_before and target.text:
            target.joined += 1
        return True

    def open_unnumbered_heading(self, line: _Line) -> bool:
        """A short, unpunctuated line between finished units, inside a chapter, is a
        section heading whose number was lost (Word numbering, web pages). It closes
        the open units; the numbered units after it stay children of the chapter."""
        container = self._container()
        if container is None or (container is self.current_node() and not container.unit.text):
            return False
        while self.stack and self.stack[-1] is not container:
            self.stack.pop()
        self._add_unnumbered(container, "h", SECTION, line)
        return True

    def _add_unnumbered(self, parent: _Node, tag: str, kind: str, line: _Line) -> None:
        """An unnumbered unit under ``parent`` (I.p1, II.h2): ids count paragraphs and
        headings together in document order."""
        parent.para_count += 1
        uid = f"{parent.unit.id}.{tag}{parent.para_count}"
        self.seen_ids.add(uid)
        unit = Unit(id=uid, kind=kind, number="", heading=line.text if kind == SECTION else "",
                    text=line.text, parent=parent.unit.id, line=line.no)
        self.units.append(unit)
        self.current = unit

    def finish(self) -> None:
        for root in self.roots:
            self._assign_kinds(root)

    def _assign_kinds(self, node: _Node) -> None:
        if node.unit.kind == CLAUSE and node.children:
            node.unit.kind = SECTION
        if node.unit.kind in (CHAPTER, SECTION, ARTICLE) and node.children:
            node.unit.heading = node.unit.text
        if node.unit.kind == CHAPTER:
            node.unit.heading = node.unit.text
        for child in node.children:
            self._assign_kinds(child)


def _uppercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.7


def _split_front(lines: list[_Line], wrap: int) -> list[tuple[int, str]]:
    """Front matter lines → paragraphs.

    Blank lines separate paragraphs, except a page break mid-sentence. PDF text layers
    often lose the blank lines, so a line also starts a paragraph when the line before
    ended a sentence well short of the wrap width (the last line of a paragraph), or
    when it follows an all-caps title line.
    """
    paras: list[tuple[int, str]] = []
    prev: _Line | None = None
    for ln in lines:
        if not paras:
            paras.append((ln.no, ln.text))
        elif ln.blank_before:
            if _terminated(paras[-1][1]) or (len(paras) == 1 and _looks_like_title(paras[0][1])):
                paras.append((ln.no, ln.text))
            else:
                paras[-1] = (paras[-1][0], join_text(paras[-1][1], ln.text))
        elif (_uppercase(prev.text) and not _uppercase(ln.text)) or (
                _terminated(prev.text) and len(prev.text) < 0.85 * wrap):
            paras.append((ln.no, ln.text))
        else:
            paras[-1] = (paras[-1][0], join_text(paras[-1][1], ln.text))
        prev = ln
    return paras


def _wrap_width(lines: list[_Line]) -> int:
    """The width hard-wrapped text is set to: the 90th percentile of line lengths."""
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) > 20)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80


def _unnumbered_heading(ln: _Line, prev_text: str, after_heading: bool,
                        nxt: _Line | None) -> bool:
    """A heading line without a number: its own paragraph after a finished sentence or
    a heading, short and unpunctuated, and followed by a new paragraph or a numbered
    line (a wrapped line of running text is followed by its continuation instead)."""
    return (ln.blank_before and (_terminated(prev_text) or after_heading)
            and len(ln.text) <= _HEADING_MAX
            and not _terminated(ln.text) and nxt is not None
            and (nxt.blank_before or match_marker(nxt.text) is not None))


def _looks_like_title(text: str) -> bool:
    return len(text) <= _TITLE_MAX and not text.rstrip().endswith((".", "。", ";", "；"))


def parse(text: str, lang: str = "und", provenance: Provenance | None = None,
          *, where: str = "<text>") -> Document:
    """Parse plain text into a Document. Raises UserError when no numbering is found."""
    lines = _lines(text)
    if not lines:
        raise UserError(f"{where}: the document is empty")
    b = _Builder(lang)
    front: list[_Line] = []
    prev_text = ""
    started = False
    after_heading = False
    for i, ln in enumerate(lines):
        m = match_marker(ln.text)
        if m and not started:
            # The first marker must look like the start of a structure.
            if m.number == 1 or m.style in CHAPTER_STYLES or m.style == ARTICLE_STYLE:
                if ln.blank_before or _terminated(prev_text) or not front:
                    started = True
        if not started:
            front.append(ln)
            prev_text = ln.text
            continue
        # The marker that started the structure is always opened, even one a later
        # line would not be accepted with ("II." first in an extract).
        if m and (not b.units or b.accept(m, ln, prev_text, after_heading)):
            b.open(m, ln)
            after_heading = len(m.rest) <= _HEADING_MAX and not _terminated(m.rest)
        elif _unnumbered_heading(ln, prev_text, after_heading,
                                 lines[i + 1] if i + 1 < len(lines) else None) \
                and b.open_unnumbered_heading(ln):
            after_heading = True
        else:
            if not b.continue_text(ln):
                front.append(ln)  # nothing open yet: the line belongs to the front matter
            after_heading = False
        prev_text = ln.text
    b.finish()
    if not b.units:
        raise NoNumberingError(f"{where}: no numbering found (no chapters, clauses or articles)")

    units: list[Unit] = []
    paras = _split_front(front, _wrap_width(lines))
    if paras and _looks_like_title(paras[0][1]):
        no, t = paras.pop(0)
        units.append(Unit(id="title", kind=TITLE, number="", heading=t, text=t, line=no))
    for i, (no, t) in enumerate(paras, start=1):
        units.append(Unit(id=f"preamble.{i}", kind=PREAMBLE, number="", heading="",
                          text=t, line=no))
    units.extend(b.units)
    for u in units:
        if u.kind in (CLAUSE, PREAMBLE, PARAGRAPH, ARTICLE) and u.text:
            u.sentences = split_sentences(u.text, lang)
    prov = provenance or Provenance(source=where)
    return Document(lang=lang, units=units, provenance=prov, warnings=b.warnings)
