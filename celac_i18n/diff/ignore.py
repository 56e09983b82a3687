"""What a diff may ignore, as Word Compare's and Litera's toggles do.

``--ignore case,punctuation,quotes,whitespace,numbering`` (any subset):

``case``         upper and lower case are the same letter ("Fortalecer" = "fortalecer");
``punctuation``  punctuation marks do not count (commas, stops, dashes, brackets,
                 quotes; in every script, 、。， included);
``quotes``       straight and curly quotes and guillemets are one mark (" = “ = ” = «);
``whitespace``   spaces do not count at all ("China-CELAC" = "China - CELAC"; runs of
                 spaces are always one space, with or without this);
``numbering``    a clause's own number does not count: a renumbered clause is
                 unchanged, and list markers at the start of a line ("a)", "1.",
                 "(iii)", "（一）", "- ") are dropped from the text compared.

The matching runs on the texts so normalised (a clause differing only that way is
``unchanged``); every output shows the texts as given, and the word redline keeps no
mark whose deleted and inserted words are equal once normalised (the new version's
wording is shown there, as Word does): ``filter_ops``. With an ignore set, the old
text is no longer rebuilt exactly from the redline in those places.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Callable

from ..errors import UserError

IGNORES = ("case", "punctuation", "quotes", "whitespace", "numbering")

_DOUBLE = "\"“”„‟«»〝〞〟＂「」『』"
_SINGLE = "'‘’‚‛‹›＇`´"
_QUOTES = str.maketrans({**{c: '"' for c in _DOUBLE}, **{c: "'" for c in _SINGLE}})
_SPACES = re.compile(r"\s+")
_ENUM = re.compile(
    r"^[ \t]*(?:[-–—•·][ \t]*)?"
    r"(?:[(（]?(?:\d+(?:\.\d+)*|[a-zA-Z]|[ivxlcdmIVXLCDM]+|[一二三四五六七八九十百]+)"
    r"[.)）、](?:[ \t]+|$)|[(（][一二三四五六七八九十百]+[)）])?[ \t]*", re.M)


def parse_ignore(spec: str | None) -> tuple[str, ...]:
    """The ignore set a ``--ignore`` value names, in canonical order; a UserError for
    an unknown name."""
    if not spec:
        return ()
    names = {p.strip().lower() for p in spec.split(",") if p.strip()}
    if "all" in names:
        names = (names - {"all"}) | set(IGNORES)
    bad = sorted(names - set(IGNORES))
    if bad:
        raise UserError(f"--ignore: unknown {', '.join(bad)} (known: {', '.join(IGNORES)}, "
                        "or all)")
    return tuple(k for k in IGNORES if k in names)


def normalizer(ignore: tuple[str, ...]) -> Callable[[str], str] | None:
    """The function that puts a text in the form compared under ``ignore`` (None for
    none: the texts compare as given)."""
    if not ignore:
        return None
    drop_punct = "punctuation" in ignore

    def norm(text: str) -> str:
        if "numbering" in ignore:
            text = _ENUM.sub("", text)
        if "quotes" in ignore or drop_punct:
            text = text.translate(_QUOTES)
        if drop_punct:
            text = "".join(" " if unicodedata.category(c).startswith("P") and c in "-–—/"
                           else "" if unicodedata.category(c).startswith("P") else c
                           for c in text)
        if "case" in ignore:
            text = text.casefold()
        if "whitespace" in ignore:
            return "".join(text.split())
        # runs of spaces are one (as the matcher's key has them), never dropped: a
        # piece of the redline that deletes a space is a change unless ignored
        return _SPACES.sub(" ", text)
    return norm


def normalized_document(doc, norm: Callable[[str], str]):
    """A copy of ``doc`` whose units' texts and headings are ``norm``-ed (same ids,
    order and structure: what the matcher compares)."""
    units = [replace(u, text=norm(u.text), heading=norm(u.heading) if u.heading else u.heading)
             for u in doc.units]
    return replace(doc, units=units)


def filter_ops(ops: list[list[str]], norm: Callable[[str], str]) -> list[list[str]]:
    """The redline with every run of deletions and insertions that ``norm`` makes equal
    shown as kept (in the new wording); adjacent kept pieces joined."""
    out: list[list[str]] = []

    def keep(text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == "=":
            out[-1][1] += text
        else:
            out.append(["=", text])

    run: list[list[str]] = []

    def flush() -> None:
        if not run:
            return
        old = "".join(t for op, t in run if op == "-")
        new = "".join(t for op, t in run if op == "+")
        if norm(old) == norm(new):
            keep(new)
        else:
            out.extend([op, t] for op, t in run)
        run.clear()

    for op, text in ops:
        if op == "=":
            flush()
            keep(text)
        else:
            run.append([op, text])
    flush()
    return out
