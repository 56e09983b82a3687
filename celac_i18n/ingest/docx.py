"""Word .docx: paragraphs and table cells in document order, with list numbers restored.

Word keeps automatic numbering out of the paragraph text (``<w:numPr>``), so a plan
typed with Word's numbered lists would lose every clause number. We recompute them
from numbering.xml: per list and level, its format (decimal, letters, Roman) and its
pattern (``%1.%2.``).

Paragraphs go to the parser as blocks (blank lines between them), except a paragraph
that continues a numbered clause: Word users press Enter inside a clause (or a PDF
conversion cuts one), and as a block of its own it would be the clause's second
paragraph (``I.3.p2``), so that a diff against the same text elsewhere reported a
split. An unnumbered body paragraph continues the numbered clause before it when that
clause stops mid-sentence or the paragraph starts in lower case, or when the next
numbered paragraph is the clause's next sibling (``3.`` ... ``4.``, ``- 3.5.`` ...
``- 3.6.``, the same Word list level): it is then joined to the clause as a wrapped
line. Headings (by style or by their short,
unpunctuated look) and paragraphs after a heading stay blocks.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import UserError
from ..parse.layout import terminated
from ..parse.numbering import match_marker
from ..parse.numerals import int_to_roman

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _fmt(n: int, kind: str) -> str:
    if kind == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if kind == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if kind == "upperRoman":
        return int_to_roman(n)
    if kind == "lowerRoman":
        return int_to_roman(n).lower()
    if kind == "bullet":
        return "-"
    return str(n)


class _Numbering:
    def __init__(self, doc) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            part = doc.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(f"{_W}abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl"))
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[ilvl] = (fmt.get(f"{_W}val") if fmt is not None else "decimal",
                            txt.get(f"{_W}val") if txt is not None else f"%{ilvl + 1}.",
                            int(start.get(f"{_W}val")) if start is not None else 1)
            abstract[an.get(f"{_W}abstractNumId")] = lv
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})

    @staticmethod
    def _num_pr(p):
        """numPr of the paragraph, or of its style chain ("List Number" numbers by style)."""
        ppr = p._p.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            return ppr.numPr
        style = p.style
        while style is not None:
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None and sppr.numPr.numId is not None:
                return sppr.numPr
            style = style.base_style
        return None

    def label(self, p) -> tuple[str, tuple | None]:
        """The number Word shows before ``p``, and its list and level (numId, ilvl) for
        the continuation rule; ("", None) for an unnumbered paragraph."""
        num_pr = self._num_pr(p)
        if num_pr is None:
            return "", None
        num_id = str(num_pr.numId.val)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return "", None
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        kind, pattern, _ = levels[ilvl]
        if kind == "bullet":
            return "-", (num_id, ilvl)
        out = pattern
        for lv in range(ilvl, -1, -1):
            value = counters.get(lv, levels.get(lv, ("decimal", "", 1))[2])
            out = out.replace(f"%{lv + 1}", _fmt(value, levels.get(lv, (kind,))[0]))
        return out, ((num_id, ilvl) if out else None)


# What a .docx may unpack to. A plan's document.xml is a few MB; a zip bomb's is GBs,
# and lxml holds several times an XML part's size in memory.
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024


def check_zip(data: bytes, where: str) -> None:
    """Refuse a zip whose parts unpack past the caps, before anything is inflated.

    The sizes come from the zip's directory; zipfile never inflates a part past its
    declared size (and fails its CRC check if the data disagree), so they bound what
    python-docx can read. Read part by part as it is, nothing is held beyond the caps.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise UserError(f"{where}: not a readable .docx ({e})") from None
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise UserError(f"{where}: {info.filename} unpacks to {info.file_size:,} bytes, "
                            f"over the {MAX_PART_BYTES:,} byte limit for one part")
        total += info.file_size
        if total > MAX_UNZIPPED_BYTES:
            raise UserError(f"{where}: unpacks to more than {MAX_UNZIPPED_BYTES:,} bytes "
                            "(a zip bomb?); refusing to read it")


def read_docx(data: bytes, where: str) -> tuple[str, str]:
    from lxml import etree

    check_zip(data, where)
    try:
        return _read_docx(data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, TypeError,
            AttributeError, etree.LxmlError, NotImplementedError, EOFError) as e:
        # malformed XML, an entity loop, a missing part: python-docx and lxml raise
        # many kinds; for a user they all mean the same thing
        msg = " ".join(str(e).split())[:200]
        raise UserError(f"{where}: not a readable .docx ({type(e).__name__}: {msg})") from None
    except Exception as e:
        from docx.opc.exceptions import OpcError

        if isinstance(e, OpcError):
            raise UserError(f"{where}: not a readable .docx ({e})") from None
        raise


def _mark(text: str):
    """(style, parent tokens, value, text after it) of a clause number typed as text
    ("3.", "- 3.5.", "(a)", "IV.", "二、", "（三）"): the parser's own grammar, so a
    paragraph counts as numbered here exactly when the parser would number it."""
    m = match_marker(text)
    return (m.style, m.tokens[:-1], m.number, m.rest) if m else None


def _heading_like(text: str) -> bool:
    return len(text) <= 120 and not terminated(text)


class _Para:
    """A body paragraph as the continuation rule needs it."""

    def __init__(self, label: str, text: str, style: str, list_key) -> None:
        self.label, self.text, self.list_key = label, text, list_key
        self.heading = style.lower().startswith(("heading", "title", "subtitle"))
        self.mark = None if label else _mark(text)
        self.numbered = bool(label) or self.mark is not None
        body = self.mark[3] if self.mark else text
        self.clause = self.numbered and not self.heading and bool(body) and \
            not _heading_like(body)

    def line(self) -> str:
        return f"{self.label} {self.text}".strip()

    def follows(self, prev: "_Para") -> bool:
        """This numbered paragraph is ``prev``'s next sibling."""
        if self.list_key is not None or prev.list_key is not None:
            return self.list_key == prev.list_key
        a, b = prev.mark, self.mark
        return bool(a and b and a[0] == b[0] and a[1] == b[1] and b[2] == a[2] + 1)


def _continues(prev: "_Para | None", p: "_Para", nxt: "_Para | None") -> bool:
    if prev is None or not prev.clause or p.numbered or p.heading or not p.text:
        return False
    if _heading_like(p.text) and p.text[:1].isupper():
        return False         # a heading whose number was lost, not a clause's words
    if not terminated(prev.text) or p.text[:1].islower():
        return True          # the clause stops mid-sentence, or this goes on with one
    return nxt is not None and nxt.numbered and nxt.follows(prev)


def _read_docx(data: bytes) -> tuple[str, str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering(document)
    blocks: list = []          # _Para for body paragraphs, str for table cells
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            p = Paragraph(child, document)
            label, key = numbering.label(p)
            text = p.text.strip()
            if text or label:
                try:
                    style = p.style.name if p.style is not None else ""
                except (KeyError, ValueError, AttributeError):
                    style = ""
                blocks.append(_Para(label, text, style or "", key))
        elif child.tag == f"{_W}tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):  # merged cells repeat
                        cells.append(t)
                blocks.extend(cells)
    # Paragraphs are blocks, separated as the parser expects; a clause's continuation
    # is a wrapped line of it.
    out: list[str] = []
    prev = None                 # the last numbered paragraph or clause in progress
    for k, b in enumerate(blocks):
        if isinstance(b, str):
            out.append(b)
            prev = None
            continue
        nxt = next((x for x in blocks[k + 1:] if isinstance(x, str) or x.numbered), None)
        if out and _continues(prev, b, nxt if isinstance(nxt, _Para) else None):
            out[-1] += "\n" + b.text
            continue
        out.append(b.line())
        prev = b if b.numbered else None
    return "\n\n".join(out) + "\n", "docx"
