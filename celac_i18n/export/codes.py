"""Language codes written into TMX and XLIFF.

CAT tools match codes exactly or by language alone (OmegaT), read two languages out of
a multilingual memory (memoQ) or skip pairs that do not match the project (Trados), so
the codes are plain and consistent, and a user may choose them (``--lang-code zh=zh``).
"""

from __future__ import annotations

import re

from ..errors import UserError

DEFAULT_CODES = {"es": "es", "en": "en", "zh": "zh-CN", "pt": "pt-BR"}
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def lang_codes(overrides: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    codes = dict(DEFAULT_CODES)
    for item in overrides:
        lang, sep, code = item.partition("=")
        if not sep or not lang or not code:
            raise UserError(f"--lang-code {item!r}: expected LANG=CODE, e.g. zh=zh-CN")
        if not _BCP47.match(code):
            raise UserError(f"--lang-code {item!r}: {code!r} is not a language tag like pt-BR")
        codes[lang.strip()] = code.strip()
    return codes
