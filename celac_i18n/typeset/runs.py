"""Text as the template sets it: runs of plain, emphasised and unbreakable text.

- Markdown emphasis in a document (``*Think Tanks*``, ``_cursiva_``, ``**fuerte**``)
  is set in italics (bold) without its marks; a lone ``*`` or an intraword ``_`` stays
  as written (CommonMark's flanking rules, simplified).
- A dash between two Chinese words (中国—拉美, 2022—2024年) is kept on one line with
  its neighbours: Typst follows UAX #14, where an em dash is a break opportunity on
  both sides, so "—拉美" could start a line. The span goes to the template as an
  unbreakable run (a box) rather than with U+2060 word joiners, which pdftotext and
  copy-paste would carry into the reader's text.

A run is ``[text, flags]``: flags hold ``e`` (emphasis), ``s`` (strong), ``n`` (no break).
"""

from __future__ import annotations

import re

# A list mark the parser keeps in front of a number ("- 6.4."): the document numbers
# the clause 6.4; the dash is list layout.
_LIST_MARK = re.compile(r"^\s*[-–—•·▪*]\s*(?=\S)")
_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])")
_EMPH = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"
                   r"|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_DASHES = re.compile(r"[—–―]+")
_HAS_CJK = re.compile(f"[{_CJK}]")


def number_as_written(number: str) -> str:
    """The clause number without a leading list mark: '- 6.4.' → '6.4.'."""
    return _LIST_MARK.sub("", number).strip()


def _emphasis(text: str) -> list[list[str]]:
    out: list[list[str]] = []
    pos = 0
    marks = sorted([(m.start(), m.end(), m[1], "s") for m in _STRONG.finditer(text)]
                   + [(m.start(), m.end(), m[1] or m[2], "e") for m in _EMPH.finditer(
                       _STRONG.sub(lambda m: "\0" * len(m[0]), text))])
    for start, end, inner, flag in marks:
        if start < pos:
            continue
        if start > pos:
            out.append([text[pos:start], ""])
        out.append([inner, flag])
        pos = end
    if pos < len(text):
        out.append([text[pos:], ""])
    return out


def _nobreak(run: list[str], lang: str) -> list[list[str]]:
    text, flags = run
    out: list[list[str]] = []
    pos = 0                                  # text before pos is in out
    for d in _DASHES.finditer(text):
        a, b = d.start() - 1, d.end() + 1    # the dash with one character either side
        if a < 0 or b > len(text) or text[a].isspace() or text[b - 1].isspace():
            continue
        if lang != "zh" and not _HAS_CJK.search(text[a:b]):
            continue        # Latin "2022-2024", "China–CELAC": ordinary breaking
        if a < pos:                          # 中国—拉美—加勒比: extend the last box
            out[-1][0] += text[pos:b]
        else:
            if a > pos:
                out.append([text[pos:a], flags])
            out.append([text[a:b], flags + "n"])
        pos = b
    if pos < len(text):
        out.append([text[pos:], flags])
    return out


def runs(text: str, lang: str) -> list[list[str]]:
    """``text`` as template runs (see the module's docstring)."""
    out: list[list[str]] = []
    for run in _emphasis(text):
        out.extend(_nobreak(run, lang))
    return [r for r in out if r[0]]


def plain(text: str) -> str:
    """The text a bookmark or a metadata field shows: emphasis marks dropped."""
    return "".join(t for t, _ in _emphasis(text))
