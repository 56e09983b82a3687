"""Readers: a file (txt, md, html, pdf, docx) → plain text + provenance.

``read_path`` picks the reader by extension, falling back to sniffing the bytes, so a
``.htm`` saved without extension or a PDF named ``.bin`` still reads. Heavy parsers
(lxml, pypdf, python-docx) are imported only by the reader that needs them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UserError
from ..fsutil import sha256_bytes
from ..model import Provenance

READERS = {  # name → "module:function" (lazy)
    "txt": "celac_i18n.ingest.text:read_txt",
    "md": "celac_i18n.ingest.text:read_md",
    "html": "celac_i18n.ingest.html:read_html",
    "pdf": "celac_i18n.ingest.pdf:read_pdf",
    "docx": "celac_i18n.ingest.docx:read_docx",
}
_BY_SUFFIX = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
              ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf",
              ".docx": "docx"}
MAX_BYTES = 50 * 1024 * 1024


def sniff(data: bytes, suffix: str = "") -> str:
    """The reader name for ``data``: by suffix when known, else by magic bytes."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and (suffix == ".docx" or b"word/" in data[:4000]):
        return "docx"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    head = data[:2000].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "txt"


def _load(name: str):
    import importlib

    mod, func = READERS[name].split(":")
    return getattr(importlib.import_module(mod), func)


def read_bytes(data: bytes, where: str, suffix: str = "", reader: str | None = None,
               encoding: str | None = None) -> tuple[str, Provenance]:
    """``encoding``: a declared charset (an HTTP header's) for the text and HTML readers."""
    if not data.strip():
        raise UserError(f"{where}: the file is empty")
    name = reader or sniff(data, suffix)
    if name == "docx" and not data.startswith(b"PK"):
        raise UserError(f"{where}: not a .docx file (no zip container)")
    if encoding and name in ("txt", "md", "html"):
        got = _load(name)(data, where, encoding=encoding)
    else:
        got = _load(name)(data, where)
    # A reader may return what the provenance should record as a third item (the HTML
    # reader: what it left out of the page, said here on stderr as well).
    text, encoding, info = got if len(got) == 3 else (*got, None)
    # A NUL never belongs in a plan: text files with one are refused (text.decode);
    # in text extracted from a PDF or Word file it is an artefact of the file's fonts.
    text = text.replace("\0", "")
    if not text.strip():
        raise UserError(f"{where}: no text could be extracted ({name})")
    prov = Provenance(source=where, sha256=sha256_bytes(data), reader=name, encoding=encoding)
    if info:
        prov.extra[name] = info
        if info.get("note"):
            sys.stderr.write(f"{where}: {info['note']}\n")
    return text, prov


def read_path(path: str | Path, reader: str | None = None) -> tuple[str, Provenance]:
    """Read a document file; UserError (exit 2) for anything a user can fix."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"{p}: no such file")
    if p.is_dir():
        raise UserError(f"{p}: is a directory, not a document")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise UserError(f"{p}: {size} bytes is over the {MAX_BYTES} byte limit for a plan")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UserError(f"{p}: cannot read ({e.strerror})") from None
    return read_bytes(data, str(p), p.suffix.lower(), reader)
