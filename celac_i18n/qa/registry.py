"""Lazy registry of QA checks: name → "module:Class", imported only when run."""

from __future__ import annotations

import importlib

from ..errors import UserError

CHECKS = {
    "numbers": "celac_i18n.qa.numbers:NumbersCheck",
    "acronyms": "celac_i18n.qa.terms:AcronymsCheck",
    "terms": "celac_i18n.qa.terms:TermsCheck",
    "untranslated": "celac_i18n.qa.untranslated:UntranslatedCheck",
    "omissions": "celac_i18n.qa.omissions:OmissionsCheck",
    "consistency": "celac_i18n.qa.consistency:ConsistencyCheck",
    "punctuation": "celac_i18n.qa.punctuation:PunctuationCheck",
    "meaning": "celac_i18n.qa.meaning:MeaningCheck",
}


def get_check(name: str):
    if name not in CHECKS:
        raise UserError(f"unknown QA check {name!r} (known: {', '.join(CHECKS)})")
    mod, attr = CHECKS[name].split(":")
    return getattr(importlib.import_module(mod), attr)()


def parse_checks(spec: str | None) -> list[str]:
    """'numbers,terms' → those; '-punctuation' → all but; None/'all' → all."""
    if not spec or spec == "all":
        return list(CHECKS)
    names = [s.strip() for s in spec.replace(" ", ",").split(",") if s.strip()]
    if all(n.startswith("-") for n in names):
        drop = {n[1:] for n in names}
        for n in drop - set(CHECKS):
            raise UserError(f"unknown QA check {n!r} (known: {', '.join(CHECKS)})")
        return [n for n in CHECKS if n not in drop]
    for n in names:
        if n not in CHECKS:
            raise UserError(f"unknown QA check {n!r} (known: {', '.join(CHECKS)})")
    return names
