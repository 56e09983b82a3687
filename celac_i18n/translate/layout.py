"""Lay a Document out as plain text in the source layout, so that it parses back.

Title, blank line, preamble paragraphs; chapter and section lines "<number> <heading>"
set off by blank lines; one line per clause "<number> <text>". The parser reads this
back to the same ids (tested on the shipped plans and on machine renderings).
"""

from __future__ import annotations

from ..model import ARTICLE, CHAPTER, CLAUSE, SECTION, Document


def _line(number: str, text: str) -> str:
    return f"{number} {text}".strip() if number else text.strip()


def document_text(doc: Document) -> str:
    """The plain text of ``doc`` (a rendering) laid out so that the parser reads back the
    same ids: one line per clause with its number as written, headings on their own
    lines, blank lines between blocks. Returns the text, ending with a newline."""
    lines: list[str] = []
    for u in doc.units:
        if u.kind == CLAUSE:
            lines.append(_line(u.number, u.text))          # clauses: one line each
            continue
        text = u.heading if u.kind in (CHAPTER, SECTION, ARTICLE) and u.heading else u.text
        # Everything else is a block of its own: title, preamble paragraphs,
        # chapter and section headings, articles, paragraphs under a heading.
        lines += ["", _line(u.number, text), ""]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):                         # collapse blank runs
            out.append(ln)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
