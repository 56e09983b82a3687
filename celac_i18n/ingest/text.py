"""Plain text and Markdown, with the encodings plans really arrive in."""

from __future__ import annotations

import codecs
import re

from ..errors import UserError


def decode(data: bytes, where: str, hint: str | None = None) -> tuple[str, str]:
    """Decode bytes, returning (text, encoding name).

    Order: BOMs; the ``hint`` (a declared charset, e.g. from HTTP) when the bytes decode
    with it; UTF-16 without BOM (every other byte NUL) and binary (other NULs) refused,
    before strict UTF-8, which NUL-laden ASCII would pass; strict UTF-8; then GB18030 when the high bytes come in pairs as
    double-byte Chinese does (reported as gb2312 when the text fits that subset);
    else cp1252 or Latin-1, where accented letters are single high bytes.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise UserError(f"{where}: starts with a {enc} byte-order mark but does "
                                f"not decode as {enc}") from None
    if hint:
        try:
            return data.decode(hint), hint.lower()
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration: sniff instead
    if b"\x00" in data[:4096]:
        utf16 = _try_utf16(data)
        if utf16:
            return utf16
        raise UserError(f"{where}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_double_byte(data):
        try:
            text = data.decode("gb18030")
            try:
                text.encode("gb2312")
                return text, "gb2312"
            except UnicodeEncodeError:
                return text, "gb18030"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _try_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: accept the byte order whose text is almost all printable."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        ok = sum(1 for c in text if c.isprintable() or c in "\n\r\t\f")
        if ok >= 0.98 * len(text):
            return text, enc
    return None


def _mostly_double_byte(data: bytes) -> bool:
    """High bytes in runs of even length (double-byte CJK) ≥ 80% of the time.

    Latin-1 Spanish puts accented letters alone between ASCII ("acci\xf3n": a run of 1);
    GB2312 Chinese writes both bytes of a character at 0xA1 or above.
    """
    runs = [len(r) for r in re.findall(rb"[\x80-\xff]+", data)]
    return bool(runs) and sum(1 for n in runs if n % 2 == 0) / len(runs) >= 0.8


def read_txt(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    return decode(data, where, encoding)


_MD_RULES = [
    (re.compile(r"^```.*$", re.M), ""),                       # code fences
    (re.compile(r"<!--.*?-->", re.S), ""),                    # comments
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),           # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),            # links → text
    (re.compile(r"^#{1,6}\s+", re.M), ""),                    # heading marks
    (re.compile(r"^>\s?", re.M), ""),                         # block quotes
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),                 # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.M), ""),  # rules
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!])"), r"\1"),        # escapes
]


def markdown_to_text(md: str) -> str:
    for pat, rep in _MD_RULES:
        md = pat.sub(rep, md)
    return md


def read_md(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    text, enc = decode(data, where, encoding)
    return markdown_to_text(text), enc
