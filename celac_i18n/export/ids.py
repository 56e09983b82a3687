"""Stable unit ids for exchange files: the clause ids a bead pairs, not its position.

A TMX ``tuid`` or an XLIFF unit id that is a bead number shifts when a clause is
inserted; the pivot's clause ids do not. A key is the ids as written, joined with
``_`` (``II.1.6``, ``II.1.6_II.1.7`` for a 2-1 bead, ``I.5#s2`` for a sentence,
``I.5~2`` for the second piece of a unit cut in two), ``LANG:`` before them when the
pivot has none (``zh:II.1.8``), and ``+SUFFIX`` where two beads would otherwise share
a key (``+2``, ``+m``...). The characters with a meaning in a key (``_ : + %``,
spaces, controls) are %-escaped inside an id, so a key reads back into exactly its
ids (``parse_key``); ``.`` is never put in for anything, so ``I.5~2`` and a real
``I.5.2`` stay apart.

XLIFF 2.0 ids are NMTOKENs (letters, digits, ``. - _ :``): ``nmtoken`` writes every
other character as ``·HEX·`` (``I.5#s2`` → ``I.5·23·s2``), and ``from_nmtoken`` reads
it back.
"""

from __future__ import annotations

import re

KEY_JOIN = "_"
LANG_SEP = ":"
SUFFIX_SEP = "+"
EMPTY = SUFFIX_SEP + "empty"          # a bead with no ids at all
_ESCAPE = "%"
_RESERVED = {KEY_JOIN, LANG_SEP, SUFFIX_SEP, _ESCAPE}
# what the keys of workspaces made before 0.x look like: any other character became "."
_NOT_NMTOKEN = re.compile(r"[^\w.\-:]")
_NMTOKEN_SAFE = re.compile(r"[A-Za-z0-9.\-_:]")
_NM_ESCAPE = "\u00b7"                 # a NameChar that no key character needs
_NM_CODE = re.compile(f"{_NM_ESCAPE}([0-9A-F]+){_NM_ESCAPE}")


def _esc(uid: str) -> str:
    out = []
    for c in uid:
        if c in _RESERVED or c.isspace() or not c.isprintable():
            out.extend(f"%{x:02X}" for x in c.encode("utf-8", "surrogatepass"))
        else:
            out.append(c)
    return "".join(out)


def _unesc(part: str) -> str:
    from urllib.parse import unquote

    return unquote(part, errors="surrogatepass") if _ESCAPE in part else part


def ids_key(ids: list[str], lang: str | None = None) -> str:
    """The key of one language's ids (``lang``: written before them, for a bead whose
    pivot side is empty)."""
    if not ids:
        return EMPTY
    key = KEY_JOIN.join(_esc(i) for i in ids)
    return f"{_esc(lang)}{LANG_SEP}{key}" if lang else key


def bead_key(ids: dict[str, list[str]], langs: list[str]) -> str:
    """The pivot's ids (``II.1.6``, ``II.1.6_II.1.7`` for a 2-1 bead); a bead with no
    pivot text is keyed by the first language that has one (``zh:II.1.8``)."""
    for i, lang in enumerate(langs):
        if ids.get(lang):
            return ids_key(ids[lang], None if i == 0 else lang)
    return EMPTY


def with_suffix(key: str, suffix: str) -> str:
    """``key`` told apart from another bead's (``I.5+2``, ``I.5_I.6+m``)."""
    return f"{key}{SUFFIX_SEP}{suffix}"


def parse_key(key: str) -> tuple[str | None, list[str], str | None]:
    """(language or None for the pivot, ids, suffix or None): what ``bead_key`` and
    ``with_suffix`` made ``key`` of."""
    key, _, suffix = key.partition(SUFFIX_SEP)
    if key == "":
        return None, [], suffix or None
    lang, sep, rest = key.partition(LANG_SEP)
    if not sep:
        lang, rest = None, key
    return (_unesc(lang) if lang is not None else None,
            [_unesc(p) for p in rest.split(KEY_JOIN)], suffix or None)


def legacy_key(key: str) -> str:
    """The key a workspace made before keys kept ids as written gave the same bead
    (any character outside letters, digits, ``_ . - :`` made a ``.``; ``-`` before a
    suffix): decisions recorded then still find their beads."""
    base, sep, suffix = key.partition(SUFFIX_SEP)
    lang, lsep, rest = base.partition(LANG_SEP)
    if not lsep:
        lang, rest = "", base
    ids = [_NOT_NMTOKEN.sub(".", _unesc(p)) for p in rest.split(KEY_JOIN)]
    out = (f"{_unesc(lang)}:" if lsep else "") + KEY_JOIN.join(ids)
    if base == "":
        out = "empty"
    return out + (f"-{suffix}" if sep else "")


def unique_keys(beads, langs: list[str]) -> list[str]:
    """One key per bead, in order; a repeated key (positional or duplicated ids) gets
    ``+2``, ``+3``..."""
    seen: set[str] = set()
    out = []
    for b in beads:
        key = base = bead_key({lang: b.ids(lang) for lang in langs}, langs)
        k = 2
        while key in seen:
            key, k = with_suffix(base, str(k)), k + 1
        seen.add(key)
        out.append(key)
    return out


def nmtoken(key: str) -> str:
    """``key`` as an XLIFF 2.0 id (an NMTOKEN), read back by ``from_nmtoken``."""
    return "".join(c if _NMTOKEN_SAFE.fullmatch(c) else f"{_NM_ESCAPE}{ord(c):X}{_NM_ESCAPE}"
                   for c in key)


def from_nmtoken(token: str) -> str:
    """The key an XLIFF 2.0 id stands for (an id ``nmtoken`` did not write comes back
    as it is, save its ``·HEX·`` runs)."""
    def char(m):
        n = int(m.group(1), 16)
        return chr(n) if n <= 0x10FFFF else m.group(0)

    return _NM_CODE.sub(char, token)
