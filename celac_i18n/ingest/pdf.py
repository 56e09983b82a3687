"""PDF text layers (pypdf). A scanned PDF without text gets a clear error, not silence.

Running headers and footers (the same line at the top or bottom of most pages) are
dropped; pages are separated by form feeds, which the parser treats as page breaks.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from ..errors import UserError


def _edge_lines(pages: list[list[str]]) -> set[str]:
    """Lines that repeat as the first or last line of at least half the pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {re.sub(r"\d+", "#", ln) for ln in lines[:2] + lines[-2:]}
        counts.update(edges)
    return {ln for ln, n in counts.items() if n >= max(3, len(pages) // 2)}


def read_pdf(data: bytes, where: str) -> tuple[str, str]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                raise UserError(f"{where}: the PDF is encrypted") from None
        pages = [(p.extract_text() or "") for p in reader.pages]
    except PyPdfError as e:          # LimitReachedError (a stream inflating past
        # pypdf's limits), PdfReadError...
        raise UserError(f"{where}: not a readable PDF ({type(e).__name__}: {e})") from None
    except (ValueError, KeyError, OSError, TypeError, AttributeError, IndexError,
            RecursionError, ZeroDivisionError) as e:   # what a malformed file raises
        raise UserError(f"{where}: not a readable PDF ({type(e).__name__}: {e})") from None
    if not "".join(pages).strip():
        raise UserError(f"{where}: the PDF has no text layer (a scan?); run OCR first, "
                        "e.g. ocrmypdf, then read the result")
    split = [[ln.strip() for ln in p.splitlines() if ln.strip()] for p in pages]
    furniture = _edge_lines(split)
    kept = ["\n".join(ln for ln in lines if re.sub(r"\d+", "#", ln) not in furniture)
            for lines in split]
    return "\f".join(kept), "pdf-text-layer"
