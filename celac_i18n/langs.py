"""The languages the toolkit works in, and detection of a document's language.

Detection: Chinese by script; es/en/pt by lingua restricted to those three (0.5 s
and ~110 MB; all of lingua's languages would take 1.3 GB).
"""

from __future__ import annotations

import re

LANGS = ("es", "en", "zh", "pt")
NAMES = {"es": "Spanish", "en": "English", "zh": "Chinese", "pt": "Portuguese"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Han ideographs, for regex character classes ("[{CJK_CHARS}]"): Extension A, the
# unified block, compatibility ideographs, and Extensions B-F with the compatibility
# supplement (rare in plans, but a character class that misses them splits words).
CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"


def check_lang(lang: str, where: str = "") -> str:
    from .errors import UserError

    code = lang.lower().replace("_", "-")
    base = code.split("-")[0]
    if base not in LANGS:
        raise UserError(f"{where + ': ' if where else ''}unknown language '{lang}' "
                        f"(known: {', '.join(LANGS)})")
    return base


def detect_lang(text: str) -> str | None:
    sample = text[:20000]
    letters = sum(1 for c in sample if c.isalpha())
    if not letters:
        return None
    if len(_CJK.findall(sample)) / letters > 0.2:
        return "zh"
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(
        Language.SPANISH, Language.ENGLISH, Language.PORTUGUESE).build()
    found = detector.detect_language_of(sample)
    return {Language.SPANISH: "es", Language.ENGLISH: "en",
            Language.PORTUGUESE: "pt"}.get(found) if found else None
