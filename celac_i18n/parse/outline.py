"""Build the unit tree from accepted markers: levels read from the document, canonical ids.

A marker's level is not fixed by its style. The builder keeps a stack of open units:

- a style already open is a sibling of the open unit in that style (``II.`` closes
  chapter I and everything under it); a style not open yet is a child of the innermost
  open unit, so ``I.`` is a chapter at the top of a plan and a fraction inside
  ``Artículo 73``; a lead-in ("…siendo necesario al efecto:") opens a new level even
  for a style that is open;
- dotted numbers carry their own parent path: ``1.a.1`` belongs under ``1.a``, or under
  ``1`` when ``1.a`` is never written; the id is the written path all the same;
- articles (``Artículo``, ``Article``, ``Artigo``, ``第N条``, bare ordinals after a
  "Transitorios" heading) hang from the nearest chapter, part or transitory heading and
  are numbered document-wide (``art.5``, ``art.5bis``, ``trans.1``).

Ids are the written numbers joined by dots below their container: chapters as Roman
numerals (``II``), Chinese and Arabic numbers as digits (``II.1.6``), letters and Roman
fractions as written (``1.a.1``, ``art.73.XXIX-A``, ``art.73.I.a``), unnumbered paragraphs
as ``p1``, ``p2`` under their parent (``art.2.p1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import (ARTICLE, CHAPTER, CLAUSE, FRACTION, ITEM, PARAGRAPH, PART, PREAMBLE,
                     SECTION, Unit)
from .layout import Line, join_text, terminated
from .numbering import (ARTICLE_STYLES, CHAPTER_WORD_STYLES, DOTTED, PAR_SIGN,
                        PART_WORD_STYLES, WEAK_STYLES, Marker)
from .numerals import int_to_roman

_TRANS = "trans"                    # the style of a transitory-articles heading
_CONTAINERS = CHAPTER_WORD_STYLES | PART_WORD_STYLES | {_TRANS}
# Word-prefixed goal numbers ("Goal 1.", "目标1") are dotted paths of one level.
_DOTTED_STYLES = {DOTTED, "goal-word"}
# A marker followed by one of these words inside running text is a cross-reference
# ("(b) of paragraph 2 above"), and so is one joined to another number ("(a) to (d)").
_REFERENCE_WORDS = {"of", "de", "del", "da", "do", "dos", "das", "above", "below", "supra"}
_RANGE_WORDS = {"to", "and", "or", "y", "o", "e", "ou", "a", "al"}
_ANOTHER_NUMBER = re.compile(r"^[(（]?(?:\d{1,4}|[a-z]|[ivx]{1,5})[)）.]?(?:\s|,|;|$)")


def cross_reference(rest: str) -> bool:
    words = rest.split(" ", 2)
    if len(words) < 2:
        return False
    if words[0] in _REFERENCE_WORDS:
        return True
    return words[0] in _RANGE_WORDS and bool(_ANOTHER_NUMBER.match(words[1]))
_SECTION_MAX = 80                   # a numbered unit with sub-units and a short,
HEADING_MAX = 120                   # unpunctuated text is a section heading


def heading_like(text: str, limit: int = HEADING_MAX) -> bool:
    return len(text) <= limit and not terminated(text)


def section_heading(text: str) -> bool:
    """A numbered unit's text that reads as a heading ("Comercio e Inversión"), not as
    content that has sub-units (a target with its indicators): short, few words."""
    return heading_like(text, _SECTION_MAX) and len(text.split()) <= 10


@dataclass
class Node:
    style: str
    tokens: tuple[str, ...]          # dotted: the path below its run's base; else one token
    ords: tuple[int, ...]
    unit: Unit | None                # None for the root
    parent: "Node | None" = None
    para_count: int = 0              # unnumbered paragraphs and headings under it so far
    leadin: bool = False             # a text before one of its children ends with ":"
    last: dict[str, tuple] = field(default_factory=dict)  # style → last child (ords, tokens)

    @property
    def kind(self) -> str:
        return self.unit.kind if self.unit else ""


def _run_base(node: Node) -> Node:
    """The unit a run of dotted numbers is read below (``II`` for ``1.``, ``1.1``, ``1.2``)."""
    while node.unit is not None and node.style in _DOTTED_STYLES:
        node = node.parent
    return node


@dataclass
class Placement:
    index: int                       # stack index of the parent
    expected: bool                   # the next number in its place


def _follows(last: tuple | None, m: Marker) -> bool:
    """Single-token sequence: 1 first; then n+1; ``5bis`` / ``XXIX-A`` after their base."""
    if last is None:
        return m.number == 1 and not m.suffix
    if m.suffix:
        return m.number == last[0][-1]
    return m.number == last[0][-1] + 1


def _dotted_follows(last: tuple | None, m: Marker) -> bool:
    """Dotted sequence: ``m`` is the next path after ``last`` at some depth, with every
    deeper level starting at its first number (1.2.2 → 1.3.1, 1.5 → 1.a, 1.b.1 → 2)."""
    path, toks = m.ords, m.tokens
    if last is None:
        return all(p == 1 for p in path)
    prev, prev_toks = last
    for k in range(len(prev), -1, -1):
        if path[:k] != prev[:k] or len(path) <= k or any(p != 1 for p in path[k + 1:]):
            continue
        if k == len(prev):
            if path[k] == 1:
                return True
        elif path[k] == prev[k] + 1:
            return True
        elif toks[k].isalpha() and not prev_toks[k].isalpha() and path[k] == 1:
            return True          # letters after numbers: targets 1.1 … 1.5, then 1.a
    return False


class Builder:
    def __init__(self, one_per_line: bool = False, blank_separated: bool = False) -> None:
        self.one_per_line = one_per_line      # every numbered line is a unit (see layout)
        self.blank_separated = blank_separated
        self.root = Node("root", (), (), None)
        self.stack: list[Node] = [self.root]
        self.units: list[Unit] = []
        self.warnings: list[str] = []
        self.current: Unit | None = None      # the unit continuation lines go to
        self.seen: set[str] = set()
        self.dup_next: dict[str, int] = {}
        self.art_prefix = "art"
        self.last_article: tuple | None = None
        self.trans_count = 0
        # Paragraphs after a member of a lead-in list ("El Congreso tiene facultad:" / I.
        # … XXX.): they belong to that member while the list goes on, and to the unit the
        # list belongs to when the list ends there (its closing paragraph).
        self.pending: list[tuple[Unit, Node, Node]] = []   # (paragraph, member, list owner)
        self.closing = 0                      # closing paragraphs so far (0: not closing)

    # -- where a marker goes -------------------------------------------------------------
    def _inside_article(self, upto: int) -> bool:
        return any(n.kind == ARTICLE for n in self.stack[1:upto + 1])

    def _leadin_open(self) -> bool:
        return bool(self.current and self.current.text.rstrip().endswith((":", "：")))

    def place(self, m: Marker) -> Placement:
        st = self.stack
        top = len(st) - 1
        if m.style in ARTICLE_STYLES:
            i = max(k for k, n in enumerate(st) if k == 0 or n.style in _CONTAINERS)
            return Placement(i, _follows(self.last_article, m))
        if m.style in CHAPTER_WORD_STYLES | PART_WORD_STYLES:
            same = [k for k in range(1, len(st)) if st[k].style == m.style]
            if same:
                i = same[-1] - 1
            elif m.style in CHAPTER_WORD_STYLES:
                parts = [k for k in range(1, len(st)) if st[k].style in PART_WORD_STYLES]
                i = parts[-1] if parts else 0
            else:
                i = 0
            return Placement(i, _follows(st[i].last.get(m.style), m))
        if m.style in _DOTTED_STYLES:
            return self._place_dotted(m)
        if m.style == PAR_SIGN:              # "§ 1º", "Parágrafo único": the article's own
            arts = [k for k in range(1, len(st)) if st[k].kind == ARTICLE]
            if arts:
                i = arts[-1]
                only = m.tokens[0] == "par-unico"
                return Placement(i, only or _follows(st[i].last.get(m.style), m))
        same = [k for k in range(1, len(st)) if st[k].style == m.style]
        if same and not (self._leadin_open() and m.number == 1):
            i = same[-1] - 1
        else:
            i = top
        return Placement(i, _follows(st[i].last.get(m.style), m))

    def _place_dotted(self, m: Marker) -> Placement:
        st = self.stack
        runs = [k for k in range(1, len(st)) if st[k].style in _DOTTED_STYLES]
        if not runs or (self._leadin_open() and all(p == 1 for p in m.ords)
                        and st[-1].style not in _DOTTED_STYLES):
            i = len(st) - 1                      # a new run below the innermost unit
            return Placement(i, _dotted_follows(st[i].last.get(DOTTED), m))
        j = runs[-1]
        base = j
        while base > 0 and st[base].style in _DOTTED_STYLES:
            base -= 1
        i = base
        for k in range(j, base, -1):
            t = st[k].tokens
            if len(t) < len(m.tokens) and m.tokens[:len(t)] == t:
                i = k
                break
        return Placement(i, _dotted_follows(st[base].last.get(DOTTED), m))

    def choose(self, m: Marker) -> tuple[Marker, Placement]:
        """A letter that is also a Roman numeral ("(i)", "v)") takes the reading that
        continues the document: (i) after (h) is a letter, after nothing a Roman."""
        p = self.place(m)
        if m.alt is None:
            return m, p
        q = self.place(m.alt)
        open_styles = {n.style for n in self.stack}
        if q.expected and not (p.expected and m.style in open_styles):
            return m.alt, q
        return m, p

    def accept(self, m: Marker, p: Placement, line: Line, prev_text: str,
               after_heading: bool) -> bool:
        """Does ``m`` open a unit, or is it the start of a wrapped line ("2024. Con",
        "(b) of paragraph 2 above")?"""
        boundary = line.blank_before or terminated(prev_text)
        if not boundary and cross_reference(m.rest):
            return False
        if m.style in WEAK_STYLES and not boundary and not after_heading \
                and m.style not in {n.style for n in self.stack} and not self.one_per_line:
            return False                 # "I. P. (APA)", "a) e b)" at a wrapped line's start
        if p.expected:
            return True
        if len(m.ords) == 1 and m.number >= 1000 and not (line.blank_before
                                                          and terminated(prev_text)):
            return False                 # "2024. Con ello": a year at a wrapped line's start
        if len(m.ords) >= 3 and m.style in _DOTTED_STYLES:
            return True                  # "1.3.1" at a line start is never running text
        if self.one_per_line and m.style not in WEAK_STYLES:
            return True                  # lines are units: a gap in the numbers is a gap
        if m.style in WEAK_STYLES:
            if m.style not in {n.style for n in self.stack}:
                # "V. Putin" or "a) ..." out of the blue: only at a clear paragraph start
                return (line.blank_before or self.one_per_line) and terminated(prev_text)
            return boundary
        # A heading line ("1. Comercio") is never terminated, yet the line after it
        # starts a new unit even when its number is unexpected.
        return boundary or after_heading

    # -- building -------------------------------------------------------------------------
    def _make_id(self, uid: str, line: Line, m: Marker) -> tuple[str, list[str]]:
        if uid not in self.seen:
            self.seen.add(uid)
            return uid, []
        n = self.dup_next.get(uid, 2)
        while f"{uid}~{n}" in self.seen:
            n += 1
        self.dup_next[uid] = n + 1
        new = f"{uid}~{n}"
        self.seen.add(new)
        return new, [f"line {line.no}: duplicate number '{m.written}' ({uid}): kept as {new}"]

    def _kind_and_id(self, m: Marker, parent: Node, i: int) -> tuple[str, str]:
        pid = parent.unit.id if parent.unit else ""
        if m.style in ARTICLE_STYLES:
            return ARTICLE, f"{self.art_prefix}.{m.tokens[0]}"
        if m.style in PART_WORD_STYLES:
            return PART, f"part.{m.tokens[0]}"
        if m.style in CHAPTER_WORD_STYLES or (parent is self.root
                                               and m.style in ("roman", "zh-num")
                                               and heading_like(m.rest)):
            roman = m.tokens[0] if m.style == "roman" else int_to_roman(m.number)
            return CHAPTER, f"{pid}.{roman}" if parent.kind == PART else roman
        in_article = self._inside_article(i)
        if m.style in _DOTTED_STYLES:
            base = _run_base(parent)
            bid = base.unit.id if base.unit else ""
            tail = ".".join(m.tokens)
            kind = ITEM if in_article else CLAUSE
            return kind, f"{bid}.{tail}" if bid else tail
        if m.style == PAR_SIGN:
            kind = PARAGRAPH
        else:
            kind = FRACTION if (m.style == "roman" and in_article) else (
                ITEM if in_article else CLAUSE)
        return kind, f"{pid}.{m.tokens[0]}" if pid else m.tokens[0]

    def _settle_pending(self, parent_index: int | None) -> None:
        """A new unit under ``stack[parent_index]`` (None: the structure ends): pending
        paragraphs stay with their list member if the list goes on, else move up."""
        if not self.pending:
            return
        owner = self.pending[0][2]
        pos = next((k for k, n in enumerate(self.stack) if n is owner), None)
        if parent_index is not None and pos is not None and parent_index >= pos:
            self.pending = []
            return
        for unit, member, owner in self.pending:
            self.seen.discard(unit.id)
            member.para_count -= 1
            self._number_paragraph(owner)
            unit.id, _ = self._make_id(f"{owner.unit.id}.p{owner.para_count}", Line(0, "", False),
                                       _NO_MARKER)
            unit.parent = owner.unit.id
        self.pending = []

    def open(self, m: Marker, p: Placement, line: Line) -> None:
        self._settle_pending(p.index)
        self.closing = 0
        warns = [] if p.expected or not self.units else [
            f"line {line.no}: numbering '{m.written}' is out of sequence; kept as written"]
        parent = self.stack[p.index]
        kind, uid = self._kind_and_id(m, parent, p.index)
        uid, dup = self._make_id(uid, line, m)
        warns += dup
        del self.stack[p.index + 1:]
        unit = Unit(id=uid, kind=kind, number=m.written, heading="", text=m.rest,
                    parent=parent.unit.id if parent.unit else None, line=line.no,
                    warnings=warns)
        self.warnings.extend(warns)
        dotted = m.style in _DOTTED_STYLES
        node = Node(DOTTED if dotted else m.style, m.tokens, m.ords, unit, parent=parent)
        parent.leadin = parent.leadin or self._leadin_open()
        last = (m.ords, m.tokens)
        if m.style in ARTICLE_STYLES:
            self.last_article = last
        elif dotted:
            _run_base(parent).last[DOTTED] = last
        else:
            parent.last[m.style] = last
        self.stack.append(node)
        self.units.append(unit)
        self.current = unit

    def open_transitory(self, line: Line) -> None:
        """A "Transitorios" heading: the articles after it are numbered anew (trans.1)."""
        self.trans_count += 1
        self.art_prefix = _TRANS if self.trans_count == 1 else f"{_TRANS}{self.trans_count}"
        self.last_article = None
        self._open_top_heading(self.art_prefix, line)

    def open_annex(self, line: Line, number: str) -> None:
        """An "ANNEX" / "ANEXO II" / "附件" heading: what follows is numbered in the annex
        (annex.1, annex.II.1), not under the last article."""
        self._open_top_heading(f"annex.{number}" if number else "annex", line)

    def take_recitals(self) -> list[Unit]:
        """Before an enacting formula: if everything so far is top-level paragraphs
        numbered "(1)", "(2)" …, they are recitals: hand them over as rec.1, rec.2
        (kind preamble) and start the structure afresh. Else nothing changes."""
        if not self.units or any(u.parent or u.kind not in (CLAUSE, SECTION)
                                 or not u.number.startswith(("(", "（")) for u in self.units):
            return []
        recitals = self.units
        for u in recitals:
            u.id, u.kind = f"rec.{u.id}", PREAMBLE
        self.units, self.seen, self.dup_next = [], set(), {}
        self.stack = [self.root]
        self.root.last = {}
        self.current = None
        return recitals

    def open_closing(self, line: Line) -> None:
        """"IN WITNESS WHEREOF", "Hecho en Bruselas", "Brasília, …": closing matter, whose
        blocks are closing.1, closing.2 … at the top level, after every article."""
        self._settle_pending(None)
        del self.stack[1:]
        self.closing = 0
        self._add_closing(line)

    def _add_closing(self, line: Line) -> None:
        self.closing += 1
        uid, _ = self._make_id(f"closing.{self.closing}", line, _NO_MARKER)
        unit = Unit(id=uid, kind=PARAGRAPH, number="", heading="", text=line.text,
                    line=line.no)
        self.units.append(unit)
        self.current = unit

    def _open_top_heading(self, uid: str, line: Line) -> None:
        self._settle_pending(None)
        self.closing = 0
        uid, _ = self._make_id(uid, line, _NO_MARKER)
        unit = Unit(id=uid, kind=SECTION, number="", heading=line.text, text=line.text,
                    line=line.no)
        del self.stack[1:]
        self.stack.append(Node(_TRANS, (), (), unit, parent=self.root))
        self.units.append(unit)
        self.current = unit

    def awaits_title(self) -> bool:
        """An article line with its number only ("Article 5"): the next short line is
        its title, not a section heading whose number was lost."""
        cur = self.current
        return bool(cur and cur.kind == ARTICLE and not cur.text)

    def continue_text(self, line: Line, title_possible: bool = False) -> bool:
        """Add an unnumbered line to the open structure: a continuation of the open unit,
        or, when it starts a paragraph, a paragraph of its own (``art.2.p1``, ``I.p1``).
        False (line not taken) when nothing is open."""
        node = self.stack[-1]
        if node.unit is None:
            if not self.closing:
                return False
            if line.starts or line.blank_before:   # signature blocks end unpunctuated
                self._add_closing(line)
            else:
                self.current.text = join_text(self.current.text, line.text)
            return True
        target = self._paragraph_parent(node, line, title_possible)
        if target is None:
            cur = self.current or node.unit
            cur.text = join_text(cur.text, line.text)
            if line.blank_before and cur.text:
                cur.joined += 1
            return True
        unit = self.add_unnumbered(target, "p", PARAGRAPH, line)
        owner = target.parent
        if target.kind in (FRACTION, ITEM) and owner is not None and owner.unit is not None \
                and owner.leadin:
            self.pending.append((unit, target, owner))
        return True

    def _paragraph_parent(self, node: Node, line: Line, title_possible: bool) -> Node | None:
        unit = node.unit
        if unit.kind == ARTICLE and not unit.text and self.current is unit:
            # "Article 1" alone, then "Use of terms" on a line of its own: the article's
            # title; otherwise its first paragraph ("El Congreso tiene facultad:").
            return None if title_possible and section_heading(line.text) else node
        if unit.kind == ARTICLE and self.current is unit and line.blank_before \
                and section_heading(unit.text):
            return node                  # the first paragraph after an article's title
        if unit.kind in (CHAPTER, PART) or node.style == _TRANS:
            # An empty heading takes the line; after a heading, a new block is a paragraph.
            return node if unit.text and (line.starts or line.blank_before) else None
        if not line.starts:
            return None
        if node.kind in (ARTICLE, FRACTION, ITEM):
            return node
        if node.kind == CLAUSE and unit.text and not heading_like(unit.text) \
                and self.blank_separated and line.blank_before:
            # A clause's second paragraph (I.6.p2), where blank lines separate paragraphs;
            # elsewhere a blank line inside a clause is more likely a page break.
            return node
        return None

    def open_unnumbered_heading(self, line: Line) -> bool:
        """A short, unpunctuated line between finished units, inside a chapter, is a
        section heading whose number was lost (Word numbering, web pages). It closes
        the open units; the numbered units after it stay children of the chapter."""
        chapters = [k for k in range(1, len(self.stack)) if self.stack[k].kind == CHAPTER]
        if not chapters:
            return False
        k = chapters[-1]
        chapter = self.stack[k]
        if chapter is self.stack[-1] and not chapter.unit.text:
            return False
        del self.stack[k + 1:]
        self.add_unnumbered(chapter, "h", SECTION, line)
        return True

    def _number_paragraph(self, parent: Node) -> None:
        if parent.para_count == 0 and parent.kind in (ARTICLE, FRACTION, ITEM, CLAUSE) \
                and parent.unit.text and not heading_like(parent.unit.text):
            parent.para_count = 1
        parent.para_count += 1

    def add_unnumbered(self, parent: Node, tag: str, kind: str, line: Line) -> Unit:
        """An unnumbered unit under ``parent`` (I.p1, II.h2, art.2.p1): ids count paragraphs
        and headings together in document order. A paragraph after a unit's own text is
        its second paragraph (art.1.p2), as legal citations count them."""
        if tag == "p":
            self._number_paragraph(parent)
        else:
            parent.para_count += 1
        uid, _ = self._make_id(f"{parent.unit.id}.{tag}{parent.para_count}", line, _NO_MARKER)
        unit = Unit(id=uid, kind=kind, number="", heading=line.text if kind == SECTION else "",
                    text=line.text, parent=parent.unit.id, line=line.no)
        self.units.append(unit)
        self.current = unit
        return unit

    def finish(self) -> None:
        """Numbered units with sub-units and a short unpunctuated text are sections;
        headings of chapters, sections and articles with sub-units are set."""
        self._settle_pending(None)
        parents = {u.parent for u in self.units if u.parent}
        for u in self.units:
            has_children = u.id in parents
            if u.kind in (CLAUSE, ITEM) and has_children and section_heading(u.text):
                u.kind = SECTION
            if u.kind in (CHAPTER, PART) or (u.kind in (SECTION, ARTICLE) and has_children):
                u.heading = u.text


_NO_MARKER = Marker("none", (), (0,), "", "")

