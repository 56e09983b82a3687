"""The project termbase (corpora/termbase.tsv): key terms of the plans in es/en/zh/pt.

Columns: id, es, en, zh, pt, then ``<lang>_variants`` (accepted variants separated by
" | ") and a note. QA checks and the aligner's anchors use it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import UserError
from .langs import LANGS


@dataclass(frozen=True)
class Term:
    id: str
    terms: dict[str, str]                       # lang → preferred term
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""

    def forms(self, lang: str) -> tuple[str, ...]:
        """Preferred term first, then accepted variants; empty when none in ``lang``."""
        main = self.terms.get(lang, "")
        return tuple(f for f in (main, *self.variants.get(lang, ())) if f)


class Termbase(tuple):
    """The terms of one termbase file, with the file's ``fingerprint`` (the first 12
    hex digits of its sha256) that every result depending on it records in its
    signature. Equal and hashed by fingerprint, so caches keyed on it stay valid."""

    path: str
    fingerprint: str

    def __new__(cls, terms=(), path: str = "", fingerprint: str = "none"):
        self = super().__new__(cls, terms)
        self.path, self.fingerprint = path, fingerprint
        return self

    def __getnewargs__(self):
        return (tuple(self), self.path, self.fingerprint)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other) -> bool:
        if isinstance(other, Termbase):
            return self.fingerprint == other.fingerprint
        return tuple.__eq__(self, other)


NO_TERMBASE = Termbase()


def default_path() -> Path:
    """The shipped corpus's termbase (a context names another)."""
    from .corpus.manifest import shipped_corpus_dir

    return shipped_corpus_dir() / "termbase.tsv"


@lru_cache(maxsize=4)
def _load(path: str, sha: str) -> Termbase:
    p = Path(path)
    with p.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = {"id", *LANGS} - set(rows[0] if rows else {})
    if missing:
        raise UserError(f"{p}: termbase lacks columns {', '.join(sorted(missing))}")
    out = []
    for row in rows:
        variants = {lang: tuple(v.strip() for v in (row.get(f"{lang}_variants") or "").split("|")
                                if v.strip()) for lang in LANGS}
        out.append(Term(row["id"], {lang: (row.get(lang) or "").strip() for lang in LANGS},
                        variants, (row.get("note") or "").strip()))
    return Termbase(out, str(p), sha[:12])


def load_termbase(path: str | Path | None = None) -> Termbase:
    """The termbase at ``path`` (default: the shipped corpus's), read once per content."""
    from .fsutil import sha256_file

    p = Path(path) if path else default_path()
    if not p.is_file():
        raise UserError(f"{p}: no termbase")
    return _load(str(p), sha256_file(p))



def corpus_termbase(path: str | Path) -> Termbase:
    """A corpus's own termbase file, which may be missing (then no terms); one that is
    there must read."""
    return load_termbase(path) if Path(path).is_file() else NO_TERMBASE


def default_termbase() -> Termbase:
    """The shipped corpus's termbase: what a library call uses when the caller names
    no termbase."""
    return corpus_termbase(default_path())
