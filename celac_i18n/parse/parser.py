"""Turn a document's plain text into a Document: title, preamble and its numbered units.

The text may come from a PDF or a web page, so the parser expects mess: page numbers
and form feeds, units cut by a page break (a blank line mid-sentence), hard-wrapped
lines, one unit per line without blank lines, hyphenated words, lines that begin with
something that looks like a number ("2024. ...") but is not a marker. A marker only
opens a unit when it is plausible: the next number in its place, or at a block
boundary after a finished sentence.

``layout`` decides how lines form paragraphs, ``numbering`` recognises markers,
``outline`` places them at the level the document gives them and makes the ids.
"""

from __future__ import annotations

import gc
import re

from ..errors import NoNumberingError, UserError
from ..model import CONTENT_KINDS, HEADING_KINDS, PREAMBLE, TITLE, Document, Provenance, Unit
from .layout import (BLANK_SEPARATED, HARD_WRAPPED, ONE_PER_LINE, Line, detect_layout,
                     join_text, mark_starts, normalize_text, read_lines, starts_block,
                     terminated, wrap_width)
from .numbering import (ARTICLE_STYLES, CHAPTER_WORD_STYLES, PART_WORD_STYLES, WEAK_STYLES,
                        match_marker)
from .outline import HEADING_MAX, Builder, cross_reference, heading_like
from .sentences import split_sentences

__all__ = ["parse", "normalize_text", "join_text"]

_CONJUNCTIONS = {"or", "and", "o", "y", "e", "ou", "et", "u", "ni", "nor"}
_TITLE_MAX = 400               # EU acts have long titles
_STRUCTURE_STYLES = ARTICLE_STYLES | CHAPTER_WORD_STYLES | PART_WORD_STYLES | {"roman", "zh-num"}
_TRANSITORY = re.compile(
    r"^(?:art[ií]culos?\s+)?transitori[oa]s?$|^disposici(?:ones|ón)\s+transitorias?$"
    r"|^transitory\s+(?:articles|provisions)$|^disposi[çc](?:ões|ão)\s+transit[óo]rias?$"
    r"|^附\s*则$", re.I)

_ANNEX = re.compile(r"^(?:ANNEX|ANNEXE|ANEXO|Annex|Annexe|Anexo|附件)(?:\s+(?P<n>[IVXLC]+|\d{1,3}|"
                    r"[A-Z]))?\s*[.:]?$")

# The formulas that close an agreement or an act; what follows them (place and date,
# signatures) is closing matter (closing.1, closing.2), not paragraphs of the last article.
_CLOSING = re.compile(
    r"^(?:IN WITNESS WHEREOF|EN (?:FE|TESTIMONIO) DE LO CUAL|EM (?:FÉ|TESTEMUNHO) DO QUE"
    r"|EN FOI DE QUOI|DONE (?:at|in)\b|Done (?:at|in)\b|Hecho en\b|HECHO en\b|Feito em\b"
    r"|Fait à\b|Brasília, \d|(?:Firmado|Suscrito|Signed|Assinado) (?:en|at|in|em)\b"
    r"|Visto e aprovado em Conselho de Ministros"
    r"|本(?:谅解备忘录|协定|议定书|计划|宣言|公约|条约|声明)于.{0,40}?签[订署]"
    r"|[〇零一二三四五六七八九十\d]{4}年[^。]{1,8}日[于在][^。，]{1,10}$"
    # a place and a date alone on a line: "Santiago de Chile, 5 de abril de 2031"
    r"|[A-ZÁÉÍÓÚ][^\d,.;:]{1,40}, (?:(?:a|el|em|on|this)\s+)?(?:\d{1,2}º?\s+(?:de\s+)?)?"
    r"[A-Za-zçéû]{3,10}\s+(?:de\s+)?\d{4}\.?$"
    r"|(?:This|The present) Regulation shall be binding|El presente Reglamento será obligatorio"
    r"|O presente [Rr]egulamento é obrigatório)")

# The enacting formula of an act ("HAN ADOPTADO EL PRESENTE REGLAMENTO:"): the numbered
# paragraphs before it are recitals (rec.1, rec.2), part of the preamble.
_ENACTING = re.compile(
    r"^(?:HA(?:N|VE|S) (?:ADOPTADO|ADOPTED)|ONT (?:ADOPTÉ|ARRÊTÉ)|ADOT(?:OU|ARAM)|HAVE AGREED"
    r"|Have agreed as follows|Han convenido|Acordaram)\b")


def _annex_number(raw: str) -> str:
    return raw if not raw.isdigit() else str(int(raw))


def _uppercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.7


def _split_front(lines: list[Line], width: int) -> list[tuple[int, str]]:
    """Front matter lines → paragraphs, by the document's layout (``Line.starts``).
    Front matter is short and made of titles, subtitles, date lines and preambular
    paragraphs, so a blank line ends a paragraph here unless the next line evidently
    continues it (a lower-case start, a hyphenated word); a line after an all-caps title
    line starts a paragraph too, while all-caps lines continue an all-caps title."""
    paras: list[tuple[int, str]] = []
    prev: Line | None = None
    for ln in lines:
        if not paras:
            new = True
        elif ln.blank_before:
            new = not (ln.text[:1].islower() or prev.text.endswith("-"))
        else:
            new = ln.starts or (_uppercase(prev.text) and not _uppercase(ln.text)
                                and not ln.text[:1].islower())
            # A short unfinished line (a title) before a capitalised one is no hard wrap.
            new = new or (len(prev.text) < 0.6 * width and prev.text[-1:] not in ".;:!?。；：！？"
                          and ln.text[:1].isupper() and len(ln.text) > len(prev.text))
            if _uppercase(prev.text) and _uppercase(ln.text) and not terminated(prev.text):
                new = False              # a title set in capitals over several lines
        if new:
            paras.append((ln.no, ln.text))
        else:
            paras[-1] = (paras[-1][0], join_text(paras[-1][1], ln.text))
        prev = ln
    return paras


def _unnumbered_heading(ln: Line, prev_text: str, after_heading: bool,
                        nxt: Line | None) -> bool:
    """A heading line without a number: its own paragraph after a finished sentence or
    a heading, short and unpunctuated, and followed by a new paragraph or a numbered
    line (a wrapped line of running text is followed by its continuation instead)."""
    return (ln.blank_before and (terminated(prev_text) or after_heading)
            and len(ln.text) <= HEADING_MAX
            and not terminated(ln.text) and nxt is not None
            # "Union law; or" is a list item that lost its letter, not a heading
            and ";" not in ln.text and ln.text.rsplit(" ", 1)[-1] not in _CONJUNCTIONS
            and (nxt.blank_before or match_marker(nxt.text) is not None))


def _looks_like_title(text: str) -> bool:
    return len(text) <= _TITLE_MAX and not text.rstrip().endswith((".", "。", ";", "；"))


def parse(text: str, lang: str = "und", provenance: Provenance | None = None,
          *, where: str = "<text>") -> Document:
    """Parse plain text into a Document: its numbered structure with canonical ids.

    Args:
        text: the plan's plain text (as a reader in ``celac_i18n.ingest`` gives it).
        lang: its language (``es``, ``en``, ``zh``, ``pt``); ``und`` when unknown.
        provenance: where the text came from, kept on the document (a bare one
            naming ``where`` when not given).
        where: the name used in warnings and errors (a path).

    Returns:
        A ``Document`` whose units (title, preamble, chapters, sections, clauses,
        articles, items, paragraphs) carry language-independent ids (``II.1.6``,
        ``art.5.2``), the numbers as written and any warnings (out-of-sequence or
        duplicate numbers).

    Raises:
        NoNumberingError: (a ``UserError``) no numbering the parser recognises.
    """
    # The parser allocates millions of small objects and makes no reference cycles;
    # Python's cyclic collector, scanning an ever larger heap, costs a quarter of the
    # time on 100,000 clauses. Pause it while parsing.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, lang, provenance, where)
    finally:
        if paused:
            gc.enable()


def _parse(text: str, lang: str, provenance: Provenance | None, where: str) -> Document:
    lines = read_lines(text)
    if not lines:
        raise UserError(f"{where}: the document is empty")
    markers = [match_marker(ln.text) for ln in lines]
    numbered = {ln.no for ln, m in zip(lines, markers) if m}
    width = wrap_width(lines)
    layout = detect_layout(lines, numbered, width)
    cjk_wrap = mark_starts(lines, layout, numbered, width)
    b = Builder(one_per_line=layout == ONE_PER_LINE, blank_separated=layout == BLANK_SEPARATED)
    recitals: list[Unit] = []
    enacting: Line | None = None
    front: list[Line] = []
    prev_text = ""
    started = False
    after_heading = False
    for i, (ln, m) in enumerate(zip(lines, markers)):
        if m and not started:
            # The first marker must look like the start of a structure.
            if (m.number == 1 or m.style in _STRUCTURE_STYLES) and not (
                    cross_reference(m.rest) and not terminated(prev_text)):
                if ln.blank_before or terminated(prev_text) or not front \
                        or (ln.starts and m.style not in WEAK_STYLES):
                    started = True
        if not started:
            front.append(ln)
            prev_text = ln.text
            continue
        if m:
            m, place = b.choose(m)
        # The marker that started the structure is always opened, even one a later
        # line would not be accepted with ("II." first in an extract).
        if m and (not b.units or b.accept(m, place, ln, prev_text, after_heading)):
            b.open(m, place, ln)
            # A heading ("1. Comercio") is short and unpunctuated; a hard-wrapped first
            # line of a paragraph ("1 - A gestão … cabem à Agência,") is not one.
            after_heading = (len(m.rest) <= HEADING_MAX and not terminated(m.rest)
                             and not m.rest.endswith((",", "，"))
                             and not (layout == HARD_WRAPPED and len(ln.text) >= 0.75 * width))
            prev_text = ln.text
            continue
        if m and i:                      # a rejected marker: an ordinary line after all
            ln.starts = starts_block(lines[i - 1], ln, layout, width, cjk_wrap)
        if ln.starts and b.last_article is not None and _TRANSITORY.match(ln.text):
            b.open_transitory(ln)
            after_heading = True
        elif ln.starts and _ENACTING.match(ln.text) and not recitals \
                and (taken := b.take_recitals()):
            recitals, enacting = taken, ln   # the structure starts again after it
            after_heading = False
        elif ln.starts and not b.closing and _CLOSING.match(ln.text):
            b.open_closing(ln)
            after_heading = False
        elif ln.starts and (annex := _ANNEX.match(ln.text)):
            b.open_annex(ln, _annex_number(annex.group("n") or ""))
            after_heading = True
        elif not b.awaits_title() and _unnumbered_heading(
                ln, prev_text, after_heading, lines[i + 1] if i + 1 < len(lines) else None) \
                and b.open_unnumbered_heading(ln):
            after_heading = True
        else:
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            title_possible = nxt is None or nxt.blank_before or nxt.starts
            if not b.continue_text(ln, title_possible):
                front.append(ln)  # nothing open yet: the line belongs to the front matter
            # A chapter's name on the line after "Capítulo II" is still its heading.
            cur = b.current
            after_heading = bool(cur and cur.kind in HEADING_KINDS and heading_like(cur.text))
        prev_text = ln.text
    b.finish()
    if not b.units:
        raise NoNumberingError(f"{where}: no numbering found (no chapters, clauses or articles)")
    warnings = b.warnings + _bare_numbers(b.units, where)

    units: list[Unit] = []
    paras = _split_front(front, width)
    if paras and _looks_like_title(paras[0][1]):
        no, t = paras.pop(0)
        units.append(Unit(id="title", kind=TITLE, number="", heading=t, text=t, line=no))
    for i, (no, t) in enumerate(paras, start=1):
        units.append(Unit(id=f"preamble.{i}", kind=PREAMBLE, number="", heading="",
                          text=t, line=no))
    units.extend(recitals)
    if enacting:
        units.append(Unit(id=f"preamble.{len(paras) + 1}", kind=PREAMBLE, number="",
                          heading="", text=enacting.text, line=enacting.no))
    units.extend(b.units)
    for u in units:
        if (u.kind in CONTENT_KINDS or u.kind == PREAMBLE) and u.text:
            u.sentences = split_sentences(u.text, lang)
    prov = provenance or Provenance(source=where)
    return Document(lang=lang, units=units, provenance=prov, warnings=warnings,
                    layout=layout)


def _bare_numbers(units: list[Unit], where: str) -> list[str]:
    """A warning for numbered units with no text, heading or sub-units (a number alone
    on its line: a list whose text was lost on the way in); an error when that is
    every one of them (issue 27: 1,000 bare "1." lines were read as 1,000 clauses)."""
    parents = {u.parent for u in units if u.parent}
    bare = [u for u in units if not u.text and not u.heading and u.id not in parents]
    if not bare:
        return []
    if not any(u.text or u.heading for u in units):
        raise UserError(f"{where}: {len(units)} numbered units and none has text (every "
                        "line is a bare number such as \"1.\"); nothing to read")
    shown = ", ".join(u.number or u.id for u in bare[:5]) + (", ..." if len(bare) > 5 else "")
    return [f"{len(bare)} of {len(units)} numbered units have no text ({shown}): a number "
            "alone on its line"]
