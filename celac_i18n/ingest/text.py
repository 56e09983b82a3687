"""Plain text and Markdown, with the encodings plans really arrive in."""

from __future__ import annotations

import codecs
import re

from ..errors import UserError


def decode(data: bytes, where: str, hint: str | None = None) -> tuple[str, str]:
    """Decode bytes, returning (text, encoding name).

    Order: BOMs; the ``hint`` (a declared charset, e.g. from HTTP) when the bytes decode
    with it; UTF-16 without BOM (every other byte NUL) and binary (other NULs) refused,
    before strict UTF-8, which NUL-laden ASCII would pass; strict UTF-8; UTF-8 with a
    few damaged bytes refused, naming them; then GB18030 when the high bytes come in
    pairs as double-byte Chinese does (reported as gb2312 when the text fits that
    subset); else cp1252 or Latin-1 when the text reads as such (accented letters as
    single high bytes). A NUL character anywhere is refused.
    """
    text, enc = _decode(data, where, hint)
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise UserError(f"{where}: contains a NUL character (line {line}, character "
                        f"{nul - text.rfind(chr(10), 0, nul)}); not a text file, or a "
                        "damaged one")
    return text, enc


def _decode(data: bytes, where: str, hint: str | None) -> tuple[str, str]:
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
    _refuse_damaged_utf8(data, where)
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
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _reads_as_single_byte(text):
            return text, enc
    raise UserError(f"{where}: not UTF-8, and not plausibly GB18030, cp1252 or Latin-1 "
                    f"either ({_bad_utf8_bytes(data)}); re-save it as UTF-8")


# high characters that cp1252/Latin-1 text uses besides letters
_SINGLE_BYTE_MARKS = set("€‚„…†‡‰‹›‘’“”•–—˜™\xa0¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")


def _reads_as_single_byte(text: str) -> bool:
    """Almost every non-ASCII character a letter or usual punctuation (not C1 controls
    or stray symbols, which is what bytes of another encoding read as)."""
    high = re.findall(r"[^\x00-\x7f]", text)
    ok = sum(1 for c in high if c.isalpha() or c in _SINGLE_BYTE_MARKS)
    return ok >= 0.95 * len(high)


def _bad_utf8_bytes(data: bytes, show: int = 3) -> str:
    """'N invalid UTF-8 bytes, first at byte B (line L): b'..' ...' for a message."""
    n = len(re.findall("[\udc80-\udcff]", data.decode("utf-8", "surrogateescape")))
    spots, pos = [], 0
    while len(spots) < show:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as e:
            at = pos + e.start
            line = data.count(b"\n", 0, at) + 1
            spots.append(f"byte {at} (line {line}): "
                         f"{data[at:pos + e.end]!r}")
            pos += e.end
    return f"{n} invalid UTF-8 byte{'s' if n != 1 else ''} at " + ", ".join(spots) + (
        ", ..." if n > len(spots) else "")


def _refuse_damaged_utf8(data: bytes, where: str) -> None:
    """UTF-8 with a few invalid bytes is a damaged UTF-8 file, not cp1252: reading it
    as cp1252 would store "RepÃºblica" as the text. Refused, naming the bad bytes."""
    text = data.decode("utf-8", "surrogateescape")
    bad = len(re.findall("[\udc80-\udcff]", text))
    good = len(re.findall("[^\x00-\x7f\udc80-\udcff]", text))
    if good and good >= bad:
        raise UserError(f"{where}: UTF-8 with {_bad_utf8_bytes(data)}; the rest is "
                        "UTF-8, so it is not read as cp1252: repair those bytes or "
                        "re-save the file as UTF-8")


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
