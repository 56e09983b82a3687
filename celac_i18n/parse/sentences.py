"""Rule-based sentence segmentation for es, en, pt and zh.

Our own rules rather than pysbd: pysbd has no Portuguese and splits Spanish after
"Sr."; plans also carry "1540 (2004)", "N.º 5", "EE.UU." and "ONU" that must not split.
A boundary is sentence-final punctuation, optional closing quotes or brackets,
whitespace, then something that can open a sentence (a capital, a digit, ¿ ¡ or an
opening quote) — unless the word before the point is a known abbreviation or an
initial.
"""

from __future__ import annotations

import re

SEGMENTER = "celac-rules-1"

_ABBREV = {
    "es": {"sr", "sra", "srta", "dr", "dra", "lic", "ing", "art", "arts", "núm", "nº", "n",
           "no", "pág", "págs", "p", "pp", "ej", "etc", "vol", "cap", "av", "ud", "uds",
           "excmo", "excma", "sres", "prof", "aprox", "dpto", "inc", "res", "fig"},
    "pt": {"sr", "sra", "dr", "dra", "art", "arts", "n", "nº", "no", "pág", "p", "pp", "ex",
           "vol", "cap", "av", "prof", "exmo", "exma", "sras", "srs", "inc", "res", "fig"},
    "en": {"mr", "mrs", "ms", "dr", "prof", "no", "nos", "art", "arts", "p", "pp", "vol",
           "e.g", "i.e", "etc", "fig", "inc", "ltd", "co", "st", "res", "para", "paras",
           "cf", "approx", "jr", "sr", "gen", "gov", "rev"},
}
_COMMON = set().union(*_ABBREV.values())

_LATIN_BOUNDARY = re.compile(
    r"(?P<end>[.!?…]+)(?P<close>[\"”’»)\]]*)(?P<space>\s+)(?=[\"“‘«(¿¡]?[A-ZÁÉÍÓÚÑÜÇÀÂÊÔÃÕ0-9])")
_ZH_BOUNDARY = re.compile(r"[。！？!?]+[”’」』）)]*")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _is_abbreviation(before: str, lang: str) -> bool:
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1).lstrip("(\"“«")
    low = word.lower()
    if low in _ABBREV.get(lang, _COMMON):
        return True
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith", or "a." in a list
    if "." in word:  # EE.UU., U.S., N.º, p.ej
        return True
    return False


def split_sentences(text: str, lang: str = "und") -> list[str]:
    """Split ``text`` into sentences; never loses a character except boundary spaces."""
    text = text.strip()
    if not text:
        return []
    if lang == "zh" or (lang == "und" and re.search(r"[\u4e00-\u9fff]", text)):
        return _split_zh(text)
    cuts = [(m.start("space"), m.end()) for m in _LATIN_BOUNDARY.finditer(text)
            if not (m.group("end") == "." and _is_abbreviation(text[max(0, m.start("end") - 40):m.start("end")], lang))]
    return _cut(text, cuts)


def _split_zh(text: str) -> list[str]:
    return _cut(text, [(m.end(), m.end()) for m in _ZH_BOUNDARY.finditer(text)])


def _cut(text: str, cuts: list[tuple[int, int]]) -> list[str]:
    """Pieces of ``text`` between cuts (end of one sentence, start of the next)."""
    out: list[str] = []
    start = 0
    for end, nxt in cuts:
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = nxt
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
