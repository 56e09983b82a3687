"""HTML pages → the document's text, whole: scripts, styles and page furniture dropped.

The bytes are decoded (a declared charset, read as browsers read it, else as text files
are), the page read into blocks (``html_blocks``), and ``html_main.select`` keeps the
document: the numbered text whole, furniture around it dropped, what was left out
counted by kind. ``read_bytes`` prints that on stderr and records it in the provenance
(``extra["html"]``).
"""

from __future__ import annotations

import re

from ..errors import UserError
from .html_blocks import page_blocks
from .html_main import select, summary

_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252",
             "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def read_html(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str, dict]:
    """``encoding``: a charset declared outside the page (HTTP); it beats <meta>.

    Returns the text, the encoding and what the provenance records: the parser, blocks
    and characters kept, and what was left out by kind (``left_out``)."""
    from .text import decode

    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.I)
    if m and not encoding:
        declared = m.group(1).decode("ascii").lower()
        try:
            # As browsers do (WHATWG Encoding): a GB2312 label means GBK, whose
            # characters such pages use; Latin-1 means cp1252.
            text = data.decode(_SUPERSET.get(declared, declared))
            encoding = declared
        except (LookupError, UnicodeDecodeError):
            # An unknown charset, or a page declaring one and written in another: its
            # bytes decide, as for a text file, rather than replacement characters.
            text, encoding = decode(data, where)
    else:
        # No usable declaration in the page: decode the way text files are (BOM,
        # UTF-8, UTF-16, GB18030, cp1252...) rather than a Latin-1 guess.
        text, encoding = decode(data, where, encoding)
    if "\0" in text:
        raise UserError(f"{where}: not a readable HTML page (it contains NUL characters)")
    blocks, unwrapped = page_blocks(text)
    kept, left, units = select(blocks)
    body = "\n\n".join(b.text for b in kept)
    if not body.strip():
        # Say why: a page of menus only, or one whose text is all in scripts (a page
        # that a browser builds with JavaScript).
        raise UserError(f"{where}: no document text in the page: " + (
            f"only page furniture ({summary(left)})" if left else
            "its body has no text outside scripts and styles (a page built by "
            "JavaScript? save it from a browser)"))
    info: dict = {"parser": f"lexbor (selectolax {_selectolax_version()})",
                  "blocks": len(kept), "chars": sum(len(b.text) for b in kept)}
    if left:
        info["left_out"] = left
        info["left_out_chars"] = sum(v["chars"] for v in left.values())
        info["left_out_blocks"] = sum(v["blocks"] for v in left.values())
        kept_note = (f"kept all {units} numbered blocks and the text between them" if units
                     else "the page has no numbering, so only furniture was left out")
        info["note"] = f"left out {summary(left)} of page furniture; {kept_note}"
    if unwrapped:
        info["unwrapped_deep_tags"] = unwrapped
    return (body + "\n") if body else "", encoding, info


def _selectolax_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("selectolax")
    except PackageNotFoundError:
        return "?"
