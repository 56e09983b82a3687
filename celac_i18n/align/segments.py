"""What gets aligned: a Document's units as segments, and plain unnumbered texts.

At clause level every unit takes part, in document order: title, preamble paragraphs,
chapter and section headings, clauses (and paragraphs under headings). Headings are
short and clauses long, so keeping them gives the DP firm landmarks; ``--units
clauses`` only filters the output.

A rendering with no numbering at all cannot be parsed into a clause tree; it is read
as plain paragraphs (blank lines separate them; a line ending without sentence-final
punctuation followed by a lower-case line is a hard wrap) with positional ids
``p1, p2, ...`` that never count as id evidence.
"""

from __future__ import annotations

import re

from ..model import (CHAPTER, CONTENT_KINDS, HEADING_KINDS, PARAGRAPH, PREAMBLE, SECTION,
                     TITLE, Document, Provenance, Unit)
from .beads import Segment
from .dp import BODY, HEADING

POSITIONAL = "positional"
_HEADING_KINDS = (TITLE, *HEADING_KINDS)
_BODY_KINDS = (PREAMBLE, *CONTENT_KINDS)
_FINAL = tuple(".;:!?。；：！？…")


def positional(doc: Document) -> bool:
    return doc.provenance.extra.get("ids") == POSITIONAL


def unit_text(u: Unit) -> str:
    return u.heading if u.kind in (CHAPTER, SECTION) and u.heading else u.text


def segments(doc: Document) -> list[Segment]:
    out = []
    for u in doc.units:
        text = unit_text(u)
        # the parser's sentences, when they are the sentences of this very text (a
        # heading's segment text is not its unit's text)
        sents = tuple(u.sentences or ())
        if sents and _squeeze("".join(sents)) != _squeeze(text):
            sents = ()
        out.append(Segment(u.id, u.kind, text, sents))
    return out


def _squeeze(text: str) -> str:
    return "".join(text.split())


def kind_class(kind: str, is_positional: bool) -> int:
    if is_positional:
        return 0
    if kind in _HEADING_KINDS:
        return HEADING
    if kind in _BODY_KINDS:
        return BODY
    return 0


def split_paragraphs(text: str) -> list[str]:
    """Plain text → paragraphs: blank lines separate, hard wraps and page breaks join."""
    from ..parse.parser import join_text, normalize_text

    paras: list[str] = []
    block: list[str] = []

    def flush():
        if block:
            paras.append(_join_lines(block))
            block.clear()

    def _join_lines(lines):
        out = lines[0]
        for ln in lines[1:]:
            out = join_text(out, ln)
        return out

    for raw in normalize_text(text).split("\n"):
        line = re.sub(r"[ \t]+", " ", raw).strip()
        if not line:
            flush()
            continue
        if block and block[-1].endswith(_FINAL):
            flush()
        block.append(line)
    flush()
    # a paragraph cut by a page break: no final punctuation, next starts lower case
    merged: list[str] = []
    for p in paras:
        if merged and not merged[-1].endswith(_FINAL) and p[:1].islower():
            merged[-1] = join_text(merged[-1], p)
        else:
            merged.append(p)
    return merged


def paragraph_document(text: str, lang: str, prov: Provenance) -> Document:
    """An unnumbered text as a Document of paragraphs with positional ids."""
    from ..parse.sentences import split_sentences

    units = [Unit(id=f"p{i}", kind=PARAGRAPH, number="", heading="", text=t,
                  sentences=split_sentences(t, lang))
             for i, t in enumerate(split_paragraphs(text), start=1)]
    prov.extra = {**prov.extra, "ids": POSITIONAL}
    return Document(lang=lang, units=units, provenance=prov,
                    warnings=["no numbering found: aligned as plain paragraphs (p1, p2, ...)"])


def load(ref: str) -> Document:
    """A document reference, parsed; an unnumbered file falls back to plain paragraphs."""
    from ..corpus.refs import load as load_ref, parse_ref
    from ..errors import NoNumberingError, UserError

    try:
        return load_ref(ref)
    except NoNumberingError:
        pass
    from ..ingest import read_path
    from ..langs import detect_lang

    r = parse_ref(ref)
    if r.path is None:
        raise UserError(f"{ref}: no numbering found and not a file")
    text, prov = read_path(r.path)
    lang = r.lang or detect_lang(text)
    if lang is None:
        raise UserError(f"{ref}: cannot tell the document's language; add @es, @en, @zh or @pt")
    doc = paragraph_document(text, lang, prov)
    if not doc.units:
        raise UserError(f"{ref}: no paragraphs found")
    return doc
