"""Proofread a typeset edition the way a ministry's editor reads it: from the PDF.

The PDF is read back with poppler's ``pdftotext -bbox`` (every word with its box), so
what is checked is what a reader sees, not what the template meant to draw. Words are
grouped into lines and the lines into the edition's columns (found from the column
labels under the running header: "中文 — …", "Español — …"). The checks:

- kinsoku: no line of a Chinese column starts with closing punctuation or a dash
  (、。，）」… —) and none ends with opening punctuation or a dash (（「《 —);
- no space after a Chinese numbering marker (一、 （一） 1． （1）);
- no absolute path and no ``shared/`` anywhere;
- no Markdown asterisks and no list dash before a clause number (bookmarks included);
- every page that begins inside a clause names that clause's id as a continuation.

Used by the tests on every demo PDF and on a real public document (tests/test_proof.py).
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .labels import ENDONYMS

# Chinese line-start and line-end prohibitions (GB/T 15834 and the W3C's clreq).
NO_START = set("、。，．：；！？）」』》〉】〕〗］｝’”…‥·・～%‰℃—–―-")
NO_END = set("（「『《〈【〔〖［｛‘“—–―")
DASHES = "—–―"
ZH_MARKER = re.compile(r"(?:[一二三四五六七八九十百零〇]+、|（[一二三四五六七八九十百零〇]+）"
                       r"|[0-9０-９]+[．.、]|（[0-9０-９]+）|第[一二三四五六七八九十百零〇0-9]+[章节条款])")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ABS_PATH = re.compile(r"(?:^|[\s(\[\"'=])((?:/|~/|[A-Za-z]:\\)[\w.@+-]+[/\\][^\s)\]]*)", re.M)
EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)[^*\n]+(?<=\S)\*(?![\w*])")
LIST_DASH = re.compile(r"^[-–—•·*]$")
NUMBER = re.compile(r"[(（]?(?:[0-9０-９]+|[IVXLC]+|[a-z])(?:[.．][0-9０-９]+)*[.．)）]?")
ID = re.compile(r"^(?:[IVXLC]+(?:\.[\w-]+)*|preamble\.\d+|art\.[\w.-]+|p\d+|[\w]+\.p\d+)"
                r"(?:,|$)")
CONT = re.compile(r"\(cont\.\)")


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    words: list[Word]


@dataclass
class Proof:
    """What the checks found; ``problems`` empty means the edition passes."""

    pages: int = 0
    zh_lines: int = 0
    continuation_pages: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def by_check(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.problems:
            k = p.split(":", 1)[0]
            out[k] = out.get(k, 0) + 1
        return out


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def read_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = []
    for i, m in enumerate(_PAGE.finditer(out), 1):
        words = [Word(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in _WORD.findall(m[3])]
        pages.append(Page(i, float(m[1]), words))
    return pages


def lines_of(words: list[Word]) -> list[Line]:
    """Words on one baseline, left to right (a word joins a line it overlaps by half)."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w.y0, w.x0)):
        mid = (w.y0 + w.y1) / 2
        for ln in lines[-6:]:
            if ln.y0 <= mid <= ln.y1:
                ln.words.append(w)
                break
        else:
            lines.append(Line([w]))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    return lines


def _column_labels(lines: list[Line]) -> tuple[Line | None, list[tuple[float, str]]]:
    """The line of column labels ("Español — …  中文 — …") and each column's start x."""
    names = {v: k for k, v in ENDONYMS.items()}
    for ln in lines[:6]:
        starts = [(w.x0, names[w.text]) for i, w in enumerate(ln.words)
                  if w.text in names and i + 1 < len(ln.words) and ln.words[i + 1].text == "—"]
        if len(starts) >= 2:
            return ln, starts
    return None, []


def _segments(line: Line, starts: list[tuple[float, str]], id_x1: float
              ) -> list[tuple[str, list[Word]]]:
    """Split a body line into (language, words) per column; '' for the id column."""
    out: list[tuple[str, list[Word]]] = []
    for w in line.words:
        lang = ""
        if w.x0 >= id_x1:
            lang = "?"
            for x, l in starts:
                if w.x0 >= x - 6:   # a line-initial （“ hangs up to half an em left
                    lang = l
        if out and out[-1][0] == lang:
            out[-1][1].append(w)
        else:
            out.append((lang, [w]))
    return out


def _is_zh(lang: str, words: list[Word]) -> bool:
    if lang in ("zh", ""):
        return lang == "zh"
    text = "".join(w.text for w in words)
    return lang == "?" and len(CJK.findall(text)) > len(text) / 2


def _check_zh_line(where: str, words: list[Word], proof: Proof) -> None:
    text = "".join(w.text for w in words)
    proof.zh_lines += 1
    if text[0] in NO_START:
        proof.problems.append(f"kinsoku-start: {where}: line starts with {text[0]!r}: {text[:24]}")
    if text[-1] in NO_END:
        proof.problems.append(f"kinsoku-end: {where}: line ends with {text[-1]!r}: {text[-24:]}")
    if len(words) > 1 and ZH_MARKER.fullmatch(words[0].text) and CJK.match(words[1].text):
        proof.problems.append(f"marker-space: {where}: space after {words[0].text!r}: "
                              f"{' '.join(w.text for w in words[:2])[:24]}")


def proofread(pdf: Path | str, outline: bool = True) -> Proof:
    pdf = Path(pdf)
    pages = read_pages(pdf)
    proof = Proof(pages=len(pages))
    last_id = ""
    for page in pages:
        lines = lines_of(page.words)
        full = "\n".join(ln.text for ln in lines)
        for m in ABS_PATH.finditer(full):
            proof.problems.append(f"path: p{page.number}: {m[1][:60]}")
        if "shared/" in full:
            proof.problems.append(f"path: p{page.number}: mentions shared/")
        for m in EMPHASIS.finditer(full):
            proof.problems.append(f"asterisks: p{page.number}: {m[0][:40]}")
        if page.number == 1:
            continue                                   # the title page has no columns
        label_line, starts = _column_labels(lines)
        body = [ln for ln in lines if not re.fullmatch(r"Page \d+ of \d+", ln.text)]
        if label_line is not None:       # side by side, table: labels end the header
            id_x1 = starts[0][0] - 6
            body = body[body.index(label_line) + 1:]
        else:                            # interleaved: one header line
            body = body[1:]
            id_x1 = min((w.x0 for ln in body for w in ln.words), default=0) + 30
        # A page that begins inside a clause: its first body line is the clause's
        # "ID (cont.)" line, or else a line of text with no id beside it.
        id_words = [w for ln in body for w in ln.words if w.x1 < id_x1]
        first = next((ln for ln in body if any(w.x0 >= id_x1 for w in ln.words)), None)
        if body and CONT.search(body[0].text):
            first = body[0]
            proof.continuation_pages.append(page.number)
            if not last_id or not re.search(rf"(?:^|\s){re.escape(last_id)} \(cont\.\)",
                                            first.text):
                proof.problems.append(f"continuation: p{page.number}: continues "
                                      f"{last_id or 'nothing'} but names {first.text[:30]}")
            body = body[body.index(first) + 1:]
            id_words = [w for ln in body for w in ln.words if w.x1 < id_x1]
        elif first is not None and last_id and not any(
                abs(w.y0 - first.y0) < 5 and ID.match(w.text) for w in id_words):
            proof.continuation_pages.append(page.number)
            proof.problems.append(f"continuation: p{page.number}: continues {last_id} "
                                  f"without naming it")
        for w in id_words:
            if ID.match(w.text):
                last_id = w.text.rstrip(",")
        for ln in body:
            for lang, ws in _segments(ln, starts, id_x1):
                if lang == "":
                    continue
                if LIST_DASH.match(ws[0].text) and len(ws) > 1 and NUMBER.fullmatch(ws[1].text):
                    proof.problems.append(f"list-dash: p{page.number}: "
                                          f"{' '.join(w.text for w in ws[:3])}")
                if _is_zh(lang, ws):
                    _check_zh_line(f"p{page.number}", ws, proof)
    if outline:
        for title in outline_titles(pdf):
            if "*" in title:
                proof.problems.append(f"asterisks: bookmark: {title[:50]}")
            if re.search(r"(?:^|\s)[-–—•]\s*\d", title):
                proof.problems.append(f"list-dash: bookmark: {title[:50]}")
    return proof


def outline_titles(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    out: list[str] = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                out.append(str(it.title))

    walk(PdfReader(str(pdf)).outline)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m celac_i18n.typeset.proof PDF...``: one line per PDF; exit 1 on findings."""
    import sys

    failed = 0
    for path in argv if argv is not None else sys.argv[1:]:
        p = proofread(path)
        print(f"{Path(path).name}: {p.pages} pages, {p.zh_lines} Chinese lines checked, "
              f"{len(p.continuation_pages)} continuation pages, "
              f"{len(p.problems)} problems", file=sys.stderr)
        for problem in p.problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        failed += bool(p.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
