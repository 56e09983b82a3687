"""Find a term in running text, tolerant of the spelling noise plans really have:
spaced vs unspaced hyphens and dashes (China - CELAC / China-CELAC / 中国—拉共体),
line-wrap whitespace, case (es/en/pt), full- vs half-width brackets, markdown stars."""

from __future__ import annotations

import re
from functools import lru_cache

_DASH = "-–—‐‑"


# A leading article is not part of a term: "las Partes" must match "de las Partes" and
# pt "das Partes" (de + as), "the Parties" must match "both Parties".
_ARTICLES = {"es": ("el ", "la ", "los ", "las "), "pt": ("o ", "a ", "os ", "as "),
             "en": ("the ",)}


def strip_article(form: str, lang: str) -> str:
    low = form.lower()
    for a in _ARTICLES.get(lang, ()):
        if low.startswith(a) and len(form) > len(a) + 2:
            return form[len(a):]
    return form


@lru_cache(maxsize=4096)
def term_regex(form: str, lang: str) -> re.Pattern:
    form = strip_article(form, lang)
    parts = []
    for ch in form:
        if ch in _DASH:
            parts.append(rf"\s*[{_DASH}]\s*")
        elif ch.isspace():
            parts.append(r"[\s*]+")
        elif ch in "(（":
            parts.append(r"[(（]")
        elif ch in ")）":
            parts.append(r"[)）]")
        elif ch in "“”\"":
            parts.append(r"[“”\"]?")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if lang == "zh":
        return re.compile(body)
    # word boundaries only where the form starts/ends with a word character
    pre = r"(?<!\w)" if form[:1].isalnum() else ""
    post = r"(?!\w)" if form[-1:].isalnum() else ""
    return re.compile(pre + body + post, re.I)


@lru_cache(maxsize=4096)
def _key(form: str, lang: str) -> str:
    """The longest plain word of a form: if it is not in a text, the form is not either."""
    words = re.findall(r"\w+", strip_article(form, lang).lower())
    return max(words, key=len) if words else ""


@lru_cache(maxsize=1024)
def _lower(text: str) -> str:
    return text.lower()


def find(form: str, text: str, lang: str) -> list[tuple[int, int]]:
    if not form:
        return []
    key = _key(form, lang)
    if key and key not in _lower(text):       # cheap rejection before the regex
        return []
    return [m.span() for m in term_regex(form, lang).finditer(text)]


# (US$ is a currency sign, not an acronym)
ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]*[A-Z](?:s)?)(?![\w$-])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")


def acronyms(text: str) -> list[tuple[str, tuple[int, int]]]:
    """All-caps words of 2+ letters (SDGs, ICTs with a plural s); Roman numerals are not."""
    out = []
    for m in ACRONYM.finditer(text):
        a = m.group(1)
        if _ROMAN.match(a.rstrip("s")):
            continue
        out.append((a, m.span(1)))
    return out


def is_acronym(form: str) -> bool:
    return bool(ACRONYM.fullmatch(form)) and not _ROMAN.match(form)
