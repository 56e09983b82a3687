"""Which blocks of a web page are the document: the numbered text is never left out.

A page is read into blocks (``html.py``): one per paragraph, heading, list item or
table row, each knowing whether it sits in page furniture (navigation, a page header
or footer, a sidebar) and how much of it is link text. General-purpose extractors
(readability, trafilatura) pick the one container that scores best, or drop short
paragraphs, which loses every clause but the long one when one clause is much longer
than the others, or every "Artículo N." line (BENCHMARKS.md, "Reading HTML"). Here the
numbering decides instead:

- the *span* runs from the first to the last block that opens with a numbering marker
  ("1.", "II.", "Artículo 5", "第五条", "（一）", an ``<ol>`` item's number) and is not
  navigation or link text (a table of contents). Nothing in the span is left out but
  link text that lives in furniture and in-page links ("back to top"), so every unit,
  heading and paragraph between units is kept whatever the markup around it;
- before and after the span (title, preamble, signatures, annexes) blocks are kept
  walking outwards while they are neither furniture nor mostly links; the walk stops
  once it has crossed more than ``BARRIER`` characters of furniture (the site's menus,
  its footer), so text beyond them (other articles, site notices) stays out;
- the page's first ``<h1>`` outside navigation that is not a link (a logo) is kept
  (its title);
- after the span, a heading over a box of links ("Related articles") is the page's;
- a page with no numbering at all keeps every block that is neither furniture nor
  mostly links (a page of links only keeps its numbered links: an index of clauses).

Whatever is left out is counted by kind, for the reader's one-line note and the
document's provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parse.numbering import match_marker

# Characters of furniture or link text the outward walk may cross (a share bar, a
# breadcrumb) before it stops (a site menu, a footer).
BARRIER = 200
LINK_SHARE = 0.5      # a block at least this much link text is navigation-like

NAVIGATION, SIDEBAR, HEADER, FOOTER = "navigation", "sidebar", "page header", "page footer"
LINKS, TOP_LINKS = "link lists", "in-page links"   # "back to top", print/close
_NOT_DOCUMENT = (NAVIGATION, SIDEBAR)   # numbered text there does not open the span

_ZH_UNIT = re.compile(r"^\s*第[一二三四五六七八九十百千零〇两\d]+[条章节编部款项]")
_ANNEX = re.compile(r"^\s*(anexo|annex|annexe|apéndice|appendix|附件|附录)\b", re.I)


@dataclass(slots=True)
class Block:
    text: str
    links: int = 0            # characters inside <a href>
    top_link: bool = False    # only links to "#..." / javascript: ("back to top", "print")
    furniture: str = ""       # "" or one of NAVIGATION, SIDEBAR, HEADER, FOOTER
    heading: int = 0          # 1-6 for <h1>-<h6>
    listed: bool = False      # an <ol> item whose number the reader wrote

    @property
    def linky(self) -> bool:
        return bool(self.text) and self.links >= LINK_SHARE * len(self.text)


def numbered(block: Block) -> bool:
    """Opens with a numbering marker the parser reads (or an <ol> number)."""
    text = block.text.lstrip()
    if block.listed or _ZH_UNIT.match(text) or _ANNEX.match(text):
        return True
    return match_marker(text.split("\n", 1)[0]) is not None


def _kind(block: Block) -> str:
    if block.top_link:
        return TOP_LINKS
    return block.furniture or LINKS


def select(blocks: list[Block]) -> tuple[list[Block], dict[str, dict[str, int]], int]:
    """The blocks that are the document, in page order; what was left out,
    ``{kind: {"blocks": n, "chars": n}}``; and how many blocks are numbered."""
    keep = [False] * len(blocks)
    anchors = [i for i, b in enumerate(blocks)
               if b.furniture not in _NOT_DOCUMENT and not b.linky and not b.top_link
               and numbered(b)]
    clean = [not b.furniture and not b.linky and not b.top_link for b in blocks]
    if not anchors and not any(clean):
        # A page that is all links outside its furniture: when its units are links
        # (an index of clauses, each linked), they are still the document.
        anchors = [i for i, b in enumerate(blocks)
                   if b.furniture not in _NOT_DOCUMENT and not b.top_link and numbered(b)]
    if not anchors:
        keep = clean
    else:
        first, last = anchors[0], anchors[-1]
        for i in range(first, last + 1):
            b = blocks[i]
            keep[i] = not (b.top_link or (b.furniture and b.linky))
        for direction, start in ((-1, first - 1), (1, last + 1)):
            crossed = 0
            i = start
            while 0 <= i < len(blocks) and crossed <= BARRIER:
                if clean[i]:
                    keep[i] = True
                    crossed = 0
                else:
                    crossed += len(blocks[i].text)
                i += direction
        # After the text, a heading over a list of links ("Related articles") or one
        # that nothing kept follows (a document does not end on a heading) is a box of
        # the page's, not the document's.
        for i in range(len(blocks) - 1, last, -1):
            if keep[i] and blocks[i].heading and not numbered(blocks[i]) and (
                    i + 1 == len(blocks) or not keep[i + 1]
                    or (blocks[i + 1].linky and not numbered(blocks[i + 1]))):
                keep[i] = False
    title = next((i for i, b in enumerate(blocks)     # not a logo: that is a link
                  if b.heading == 1 and b.furniture not in _NOT_DOCUMENT and not b.linky),
                 None)
    if title is not None:
        keep[title] = True
    left: dict[str, dict[str, int]] = {}
    for b, k in zip(blocks, keep):
        if not k and b.text:
            entry = left.setdefault(_kind(b), {"blocks": 0, "chars": 0})
            entry["blocks"] += 1
            entry["chars"] += len(b.text)
    return [b for b, k in zip(blocks, keep) if k], left, len(anchors)


def summary(left: dict[str, dict[str, int]]) -> str:
    """``'1,234 characters in 56 blocks (navigation 1,000 in 40, page footer 234 in 16)'``."""
    chars = sum(v["chars"] for v in left.values())
    n = sum(v["blocks"] for v in left.values())
    parts = ", ".join(f"{k} {v['chars']:,} in {v['blocks']}"
                      for k, v in sorted(left.items(), key=lambda kv: -kv[1]["chars"]))
    return f"{chars:,} characters in {n} block{'s' * (n != 1)} ({parts})"
