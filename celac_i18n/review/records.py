"""What a workspace holds: beads and QA findings as built, and the texts' hash that
decisions carry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def text_hash(*texts: str) -> str:
    """The hash a decision carries: sha256 of the texts it applies to, in order."""
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


def finding_key(f, src_lang: str, tgt_lang: str) -> str:
    """Stable across runs: the check, the clause, the pair, and what it found."""
    return f"{f.check}:{f.id}:{src_lang}-{tgt_lang}:" + text_hash(f.message, f.src, f.tgt)[:10]


def bead_hash(b: "BeadData", langs: list[str]) -> str:
    """The hash of a bead's texts, all languages in order (what bead decisions carry)."""
    return text_hash(*(b.texts.get(lang, "") for lang in langs))


@dataclass
class BeadData:
    """A bead as the workspace holds it (texts as the aligner saw them)."""
    key: str
    kind: str
    confidence: float
    ids: dict[str, list[str]]
    texts: dict[str, str]
    # lang → each unit's text (as ids): what a split needs; None in a workspace made
    # before splits existed, until ``review update``
    units: dict[str, list[str]] | None = None


@dataclass
class FindingData:
    fkey: str
    bead: str
    unit: str
    src_lang: str
    tgt_lang: str
    check: str
    severity: str
    message: str
    src: str = ""
    tgt: str = ""
    src_spans: list = field(default_factory=list)    # into the bead's src_lang text
    tgt_spans: list = field(default_factory=list)    # into the bead's tgt_lang text
    text_hash: str = ""                              # of the clause pair QA read


# -- sentence-level workspaces ---------------------------------------------------------
SENTENCE_MARK = "#"        # I.5#s2: sentence 2 of unit I.5 (align.sentence)


def sentence_unit(uid: str) -> str:
    """The unit a sentence id belongs to (``I.5#s2`` and its cut piece ``I.5#s2~2`` →
    ``I.5``); a unit id is its own."""
    return uid.rsplit(SENTENCE_MARK, 1)[0] if SENTENCE_MARK in uid else uid


class Clauses:
    """The clause beads of a sentence-level workspace (``meta["clauses"]``: [[key,
    {lang: unit ids}], ...] in document order): which clause bead a sentence bead sits
    in, by the units of its sentences."""

    def __init__(self, clauses: list | None):
        self.keys = [k for k, _ in clauses or ()]
        self.ids = {k: ids for k, ids in clauses or ()}
        self._home = {(lang, uid): k for k, ids in clauses or ()
                      for lang, uids in ids.items() for uid in uids}

    def __bool__(self) -> bool:
        return bool(self.keys)

    def of(self, b: "BeadData") -> str | None:
        """The key of the clause bead ``b``'s sentences are in (None: no sentence of
        it is in a clause bead, or they are in several)."""
        homes = {self._home.get((lang, sentence_unit(uid)))
                 for lang, uids in b.ids.items() for uid in uids}
        return homes.pop() if len(homes) == 1 else None
