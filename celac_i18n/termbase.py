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


def default_path() -> Path:
    from .corpus.manifest import corpus_dir

    return corpus_dir() / "termbase.tsv"


@lru_cache(maxsize=4)
def load_termbase(path: str | None = None) -> tuple[Term, ...]:
    p = Path(path) if path else default_path()
    if not p.exists():
        raise UserError(f"{p}: no termbase")
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
    return tuple(out)


def termbase_fingerprint(path: str | None = None) -> str:
    """The first 12 hex digits of the termbase's sha256 ("none" without one), for the
    signatures of results that depend on it (alignment anchors)."""
    from .fsutil import sha256_file

    p = Path(path) if path else default_path()
    return sha256_file(p)[:12] if p.exists() else "none"
