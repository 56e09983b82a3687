"""Word .docx: paragraphs and table cells in document order, with list numbers restored.

Word keeps automatic numbering out of the paragraph text (``<w:numPr>``), so a plan
typed with Word's numbered lists would lose every clause number. We recompute them
from numbering.xml: per list and level, its format (decimal, letters, Roman) and its
pattern (``%1.%2.``).
"""

from __future__ import annotations

import io
import zipfile

from ..errors import UserError
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

    def label(self, p) -> str:
        num_pr = self._num_pr(p)
        if num_pr is None:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        kind, pattern, _ = levels[ilvl]
        if kind == "bullet":
            return "-"
        out = pattern
        for lv in range(ilvl, -1, -1):
            value = counters.get(lv, levels.get(lv, ("decimal", "", 1))[2])
            out = out.replace(f"%{lv + 1}", _fmt(value, levels.get(lv, (kind,))[0]))
        return out


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


def _read_docx(data: bytes) -> tuple[str, str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering(document)
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            p = Paragraph(child, document)
            label = numbering.label(p)
            text = p.text.strip()
            if text or label:
                lines.append(f"{label} {text}".strip())
            else:
                lines.append("")
        elif child.tag == f"{_W}tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):  # merged cells repeat
                        cells.append(t)
                lines.extend(cells)
            lines.append("")
    # Paragraphs are blocks: separate them as the parser expects.
    return "\n\n".join(ln for ln in lines if ln) + "\n", "docx"
