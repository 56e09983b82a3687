"""What gets aligned: a Document's units as segments, and plain unnumbered texts.

At clause level every unit takes part, in document order: title, preamble paragraphs,
chapter and section headings, clauses (and paragraphs under headings). Headings are
short and clauses long, so keeping them gives the DP firm landmarks; ``--units
clauses`` only filters the output.

A rendering with no numbering at all cannot be parsed into a clause tree; it is read
by its layout (``parse.layout``): paragraphs of blank-separated or hard-wrapped text,
lines of a one-unit-per-line text, with positional ids ``p1, p2, ...`` that never
count as id evidence.
"""

from __future__ import annotations

from ..model import (CHAPTER, CONTENT_KINDS, HEADING_KINDS, PARAGRAPH, PREAMBLE, SECTION,
                     TITLE, Document, Provenance, Unit)
from .beads import Segment
from .dp import BODY, HEADING

POSITIONAL = "positional"
WRAP_MAX = 160      # widest plausible hard wrap (characters)
_HEADING_KINDS = (TITLE, *HEADING_KINDS)
_BODY_KINDS = (PREAMBLE, *CONTENT_KINDS)


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


def split_blocks(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Plain text → (layout, [(first line, paragraph)]), by the text's own layout.

    Blank-separated text gives its paragraphs (hard wraps inside them joined); a text
    with one unit per line gives its lines, each a unit unless it evidently continues
    the line before (a lower-case start after an unfinished line); hard-wrapped text
    gives the paragraphs its short, sentence-final lines end. A paragraph cut by a
    blank line (a page break) is joined back when it breaks off mid-sentence and the
    next part starts in lower case.
    """
    from ..parse.layout import (HARD_WRAPPED, ONE_PER_LINE, detect_layout, join_text,
                                mark_starts, read_lines, terminated, wrap_width)

    lines = read_lines(text)
    if not lines:
        return "", []
    width = wrap_width(lines)
    layout = detect_layout(lines, set(), width)
    if layout == HARD_WRAPPED and (
            width > WRAP_MAX
            or sum(terminated(ln.text) for ln in lines[:-1]) >= 0.8 * (len(lines) - 1)):
        # lines wider than anyone wraps text, or nearly all ending a sentence (wrapped
        # lines end mid-sentence): paragraphs one per line, not a hard wrap
        layout = ONE_PER_LINE
    mark_starts(lines, layout, set(), width)
    blocks: list[tuple[int, str]] = []
    prev = None
    for ln in lines:
        starts = ln.starts
        if prev is not None and ln.blank_before:
            # a blank line ends a paragraph unless the sentence plainly runs on
            starts = terminated(prev.text) or not ln.text[:1].islower()
        if not blocks or starts:
            blocks.append((ln.no, ln.text))
        else:
            no, t = blocks[-1]
            blocks[-1] = (no, join_text(t, ln.text))
        prev = ln
    return layout, blocks


def split_paragraphs(text: str) -> list[str]:
    """Plain text → its paragraphs (or lines, in a one-unit-per-line text)."""
    return [t for _, t in split_blocks(text)[1]]


def paragraph_document(text: str, lang: str, prov: Provenance) -> Document:
    """An unnumbered text as a Document of paragraphs (or of lines, when the text has
    one unit per line) with positional ids."""
    from ..parse.layout import ONE_PER_LINE
    from ..parse.sentences import split_sentences

    layout, blocks = split_blocks(text)
    units = [Unit(id=f"p{i}", kind=PARAGRAPH, number="", heading="", text=t,
                  sentences=split_sentences(t, lang), line=no)
             for i, (no, t) in enumerate(blocks, start=1)]
    prov.extra = {**prov.extra, "ids": POSITIONAL}
    what = "lines" if layout == ONE_PER_LINE else "paragraphs"
    return Document(lang=lang, units=units, provenance=prov, layout=layout,
                    warnings=[f"no numbering found: aligned as plain {what} (p1, p2, ...)"])


def load_paragraphs(ref: str, load_ref=None) -> Document:
    """A document reference, parsed (by ``load_ref``, default ``corpus.refs.load``); an
    unnumbered file falls back to plain paragraphs."""
    from ..corpus.refs import parse_ref
    from ..errors import NoNumberingError, UserError

    if load_ref is None:
        from ..corpus.refs import load as load_ref
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
