"""Stable unit ids for exchange files: the clause ids a bead pairs, not its position.

A TMX ``tuid`` or an XLIFF unit id that is a bead number shifts when a clause is
inserted; the pivot's clause ids do not. XLIFF 2.0 ids are NMTOKENs (letters, digits,
``. - _ :``), so ids are joined with ``_`` and any other character becomes ``.``
(``II.1.6#s2`` → ``II.1.6.s2``).
"""

from __future__ import annotations

import re

KEY_JOIN = "_"
_NOT_NMTOKEN = re.compile(r"[^\w.\-:]")


def bead_key(ids: dict[str, list[str]], langs: list[str]) -> str:
    """The pivot's ids (``II.1.6``, ``II.1.6_II.1.7`` for a 2-1 bead); a bead with no
    pivot text is keyed by the first language that has one (``zh:II.1.8``)."""
    for i, lang in enumerate(langs):
        if ids.get(lang):
            key = _NOT_NMTOKEN.sub(".", KEY_JOIN.join(ids[lang]))
            return key if i == 0 else f"{lang}:{key}"
    return "empty"


def unique_keys(beads, langs: list[str]) -> list[str]:
    """One key per bead, in order; a repeated key (positional or duplicated ids) gets
    ``-2``, ``-3``..."""
    seen: set[str] = set()
    out = []
    for b in beads:
        key = base = bead_key({lang: b.ids(lang) for lang in langs}, langs)
        k = 2
        while key in seen:
            key, k = f"{base}-{k}", k + 1
        seen.add(key)
        out.append(key)
    return out
