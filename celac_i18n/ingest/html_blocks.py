"""A web page → its blocks in document order, each knowing where it sits.

Parsed with Lexbor (selectolax), an HTML5 parser like a browser's and without
libxml2's 256-level depth limit (lxml returned no text at all for a page whose text
sits deeper; issue 26), and walked iteratively (no recursion limit either). A block is
one paragraph, heading, list item or table row: the cells of a row are one line, so
"1." in one cell and its clause in the next stay together; an ``<ol>`` item gets the
number a browser would show; a ``<br>`` is a line break inside its block. Each block
records the page furniture it sits in (navigation, page header or footer, sidebar: by
element, ARIA role, or class/id) and how much of it is link text, for
``html_main.select``.
"""

from __future__ import annotations

import re

from ..parse.numbering import match_marker
from ..parse.numerals import int_to_roman
from .html_main import FOOTER, HEADER, NAVIGATION, SIDEBAR, Block

# Elements whose content is never document text.
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "math",
                   "head", "object", "canvas", "select", "button", "textarea",
                   "datalist", "option", "title"})
_BLOCK = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "tr", "table", "thead", "tbody", "tfoot", "caption", "section",
                    "article", "main", "blockquote", "pre", "dd", "dt", "dl", "hr",
                    "center", "header", "footer", "nav", "aside", "figure",
                    "figcaption", "address", "details", "summary", "fieldset", "legend",
                    "form", "body", "html", "menu", "dir", "listing", "hgroup"})
_CELL = frozenset({"td", "th"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BR = "\u2028"   # a <br> inside a block: a line break that whitespace folding keeps

_MARKS = re.compile(r"(?:^|[\s_-])(nav|navbar|navigation|menu|menubar|topbar|breadcrumbs?|"
                    r"skip|pager|pagination|share|sharing|social|toolbar|cookies?|"
                    r"sidebar|header|masthead|banner|footer)(?:[\s_-]|$)", re.I)
_MARK_KIND = {"sidebar": SIDEBAR, "header": HEADER, "masthead": HEADER, "banner": HEADER,
              "footer": FOOTER}
_ROLE_KIND = {"navigation": NAVIGATION, "menu": NAVIGATION, "menubar": NAVIGATION,
              "search": NAVIGATION, "toolbar": NAVIGATION, "complementary": SIDEBAR,
              "banner": HEADER, "contentinfo": FOOTER}

# Lexbor looks through the open elements for a <p> to close at every block start tag,
# so nested block containers cost quadratic time: 30,000 nested <div>s take 2.7 s,
# 50,000 <ul>s 40 s (inline tags, tables, and elements that close themselves, such as
# <p>, <li>, <td>, do not). No real page comes near: block containers nested deeper than
# this are unwrapped before parsing (their text kept, the count recorded).
MAX_NESTING = 5000
_NESTING_TAGS = re.compile(
    r"<(/?)(div|section|article|blockquote|ul|ol|dl|dir|menu|main|aside|nav|header|"
    r"footer|center|fieldset|figure|figcaption|details|summary|dialog|address|hgroup)"
    r"\b[^>]*>", re.I)


def _flatten(text: str) -> tuple[str, int]:
    """``text`` with the container tags nested deeper than MAX_NESTING removed, and how
    many were (0: unchanged; the scan is skipped on pages with few such tags)."""
    if text.count("<") < MAX_NESTING:
        return text, 0
    depth, cut, pieces, last = 0, [], [], 0
    for m in _NESTING_TAGS.finditer(text):
        closing = bool(m.group(1))
        if closing:
            drop = depth > MAX_NESTING
            depth = max(0, depth - 1)
        else:
            depth += 1
            drop = depth > MAX_NESTING
        if drop:
            cut.append(m.span())
    if not cut:
        return text, 0
    for start, end in cut:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), len(cut)


def _furniture(tag: str, attrs: dict, sectioned: bool) -> str:
    role = (attrs.get("role") or "").strip().lower()
    if role in _ROLE_KIND:
        return _ROLE_KIND[role]
    if tag == "nav":
        return NAVIGATION
    if tag == "aside":
        return SIDEBAR
    if tag in ("header", "footer") and not sectioned:   # an article's own is content
        return HEADER if tag == "header" else FOOTER
    if tag in _HEADINGS:
        return ""
    marks = " ".join(v for v in (attrs.get("class"), attrs.get("id")) if v)
    m = _MARKS.search(marks) if marks else None
    if m:
        return _MARK_KIND.get(m.group(1).lower(), NAVIGATION)
    return ""


_STYLE_TYPE = re.compile(r"list-style(?:-type)?\s*:\s*([\w-]+)", re.I)
_TYPE_NAMES = {"lower-alpha": "a", "lower-latin": "a", "upper-alpha": "A",
               "upper-latin": "A", "lower-roman": "i", "upper-roman": "I",
               "decimal": "1", "none": ""}


def _list_type(attrs: dict) -> str:
    """How an <ol> numbers its items: "1", "a", "A", "i", "I", or "" (no numbers)."""
    t = (attrs.get("type") or "").strip()
    if t in ("1", "a", "A", "i", "I"):
        return t
    m = _STYLE_TYPE.search(attrs.get("style") or "")
    if m and m.group(1).lower() in _TYPE_NAMES:
        return _TYPE_NAMES[m.group(1).lower()]
    for name, kind in _TYPE_NAMES.items():   # class="ol-lower-latin" and the like
        if kind and name in (attrs.get("class") or "").lower():
            return kind
    return "1"


def _label(n: int, kind: str) -> str:
    """The marker a browser shows, in the forms the numbering grammar reads."""
    if kind in ("a", "A") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return f"{letter})" if kind == "a" else f"{letter.upper()}."
    if kind in ("i", "I") and n >= 1:
        return f"{int_to_roman(n).lower()})" if kind == "i" else f"{int_to_roman(n)}."
    return f"{n}."


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class _Walker:
    """Collects blocks from a Lexbor tree walked in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.links = 0
        self.top = 0
        self.furniture: list[str] = []
        self.sectioned = 0
        self.link_depth = 0
        self.top_depth = 0
        self.pre = 0
        self.heading = 0
        self.lists: list[list] = []       # [next number, type] for <ol>, None for <ul>
        self.label = ""
        self.row_cells = 0

    def flush(self) -> None:
        if not self.buf:
            return
        raw = "".join(self.buf)
        self.buf = []
        lines = [" ".join(ln.split()) for ln in raw.split(_BR)]
        text = "\n".join(ln for ln in lines if ln)
        links, top = self.links, self.top
        self.links = self.top = 0
        if not text:
            return
        block = Block(text=text, links=min(links, len(text)),
                      top_link=top >= len(text.replace("\n", "")) > 0,
                      furniture=self.furniture[-1] if self.furniture else "",
                      heading=self.heading)
        if self.label:
            if match_marker(text.split("\n", 1)[0]) is None:
                block.text = f"{self.label} {text}"
                block.listed = True
            self.label = ""
        self.blocks.append(block)

    def text(self, s: str) -> None:
        if not s:
            return
        if self.pre:
            s = s.replace("\r\n", "\n").replace("\n", _BR)
        s = s.replace("\u00a0", " ").replace("\u00ad", "")
        self.buf.append(s)
        n = len(" ".join(s.split()))
        if self.link_depth:
            self.links += n
        if self.top_depth:
            self.top += n

    def open(self, tag: str, attrs: dict) -> tuple:
        """Enter an element; returns what ``close`` needs to undo."""
        undo = []
        if tag in _BLOCK:
            self.flush()
        elif tag in _CELL:
            if any(p.strip() for p in self.buf):
                self.buf.append(" ")
        elif tag == "br":
            self.buf.append(_BR)
        kind = _furniture(tag, attrs, self.sectioned > 0)
        if kind:
            self.furniture.append(kind)
            undo.append("furniture")
        if tag in ("article", "main", "section"):     # HTML5 sectioning: their own
            # <header>/<footer> are theirs (a chapter's heading), not the page's
            self.sectioned += 1
            undo.append("sectioned")
        if tag == "a" and attrs.get("href") is not None:
            self.link_depth += 1
            undo.append("link")
            href = (attrs.get("href") or "").strip().lower()
            if href.startswith(("#", "javascript:")):
                self.top_depth += 1
                undo.append("top")
        if tag == "pre" or tag == "listing":
            self.pre += 1
            undo.append("pre")
        if tag in _HEADINGS:
            self.heading = _HEADINGS[tag]
            undo.append("heading")
        if tag == "ol":
            start = _int(attrs.get("start"))
            self.lists.append([(start if start is not None else 1), _list_type(attrs)])
            undo.append("list")
        elif tag == "ul" or tag == "menu":
            self.lists.append(None)
            undo.append("list")
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            ctx = self.lists[-1]
            value = _int(attrs.get("value"))
            n = value if value is not None else ctx[0]
            ctx[0] = n + 1
            self.label = _label(n, ctx[1]) if ctx[1] else ""
        return tag, undo

    def close(self, state: tuple) -> None:
        tag, undo = state
        if tag in _BLOCK:
            self.flush()
        for what in reversed(undo):
            if what == "furniture":
                self.furniture.pop()
            elif what == "sectioned":
                self.sectioned -= 1
            elif what == "link":
                self.link_depth -= 1
            elif what == "top":
                self.top_depth -= 1
            elif what == "pre":
                self.pre -= 1
            elif what == "heading":
                self.heading = 0
            elif what == "list":
                self.lists.pop()
        if tag == "li":
            self.label = ""


def page_blocks(text: str) -> tuple[list[Block], int]:
    """The page's blocks in document order, and how many over-deep tags were unwrapped."""
    from selectolax.lexbor import LexborHTMLParser

    text, unwrapped = _flatten(text)
    tree = LexborHTMLParser(text)
    body = tree.body if tree.body is not None else tree.root
    walker = _Walker()
    if body is None:
        return [], unwrapped
    # Document order with an explicit stack of open elements: a node's parent tells
    # which of them it closes (no recursion, whatever the depth).
    stack: list[tuple[int, tuple, bool]] = []     # (mem_id, close state, skipped)
    skipping = 0
    for node in body.traverse(include_text=True):
        parent = node.parent
        pid = parent.mem_id if parent is not None else None
        while stack and stack[-1][0] != pid:
            _, state, skipped = stack.pop()
            if skipped:
                skipping -= 1
            else:
                walker.close(state)
        tag = node.tag
        if tag == "-text":
            if not skipping:
                walker.text(node.text_content or "")
            continue
        if tag.startswith("-") or tag.startswith("_"):     # comments, doctype
            continue
        tag = tag.lower()
        if skipping or tag in _SKIP:
            skipping += 1
            stack.append((node.mem_id, (tag, []), True))
            continue
        stack.append((node.mem_id, walker.open(tag, node.attributes), False))
    while stack:
        _, state, skipped = stack.pop()
        if not skipped:
            walker.close(state)
    walker.flush()
    return walker.blocks, unwrapped
