"""The alignment data model: segments (units or sentences) grouped into beads.

A bead holds, per language, the segments that translate each other: 1-1, 1-2, 2-1,
2-2, or 1-0 / 0-1 when one side has nothing. Beads are monotone (document order on
every side) and cover every segment exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CLAUSE_LEVEL, SENTENCE_LEVEL = "clause", "sentence"


@dataclass(frozen=True)
class Segment:
    id: str            # unit id (II.1.6, p12) or sentence id (II.1.6#s2)
    kind: str          # unit kind, or "sentence"
    text: str
    sentences: tuple[str, ...] = ()   # the parser's split of text, when it made one


@dataclass
class Bead:
    n: int                                     # 1-based position in the alignment
    level: str
    segs: dict[str, list[Segment]]             # lang → segments, in document order
    confidence: float
    parent: int | None = None                  # clause bead a sentence bead sits in
    # languages whose ids disagree with the pivot's in this bead: the content (lengths,
    # anchors) paired units that the numbering did not (a renumbered rendering)
    content_over_ids: tuple[str, ...] = ()

    def ids(self, lang: str) -> list[str]:
        return [s.id for s in self.segs.get(lang, [])]

    def texts(self, lang: str) -> list[str]:
        return [s.text for s in self.segs.get(lang, [])]

    @property
    def kind(self) -> str:
        """The kind of the bead's first segment, pivot first (clause, section...)."""
        for segs in self.segs.values():
            if segs:
                return segs[0].kind
        return ""

    def shape(self, langs) -> str:
        return "-".join(str(len(self.segs.get(lang, []))) for lang in langs)

    def one_sided(self, langs) -> bool:
        """A 1-0 or 0-1 bead: some language has nothing here."""
        return any(not self.segs.get(lang) for lang in langs)

    def record(self, langs, signature: str | None = None) -> dict:
        r = {"bead": self.n, "level": self.level, "confidence": round(self.confidence, 4),
             "kind": self.kind, "shape": self.shape(langs),
             "ids": {lang: self.ids(lang) for lang in langs},
             "text": {lang: self.texts(lang) for lang in langs}}
        if self.parent is not None:
            r["parent"] = self.parent
        if self.content_over_ids:
            r["content_over_ids"] = list(self.content_over_ids)
        return r


@dataclass
class Alignment:
    langs: list[str]                           # pivot first
    level: str
    beads: list[Bead]
    signature: str
    sources: dict[str, str] = field(default_factory=dict)      # lang → reference / path
    kinds: dict[str, str | None] = field(default_factory=dict)  # lang → official/reference/...
    hashes: dict[str, str] = field(default_factory=dict)       # lang → sha256 of the bytes read
    consistency: list[dict] = field(default_factory=list)      # disagreements found
    params: dict = field(default_factory=dict)                 # per pair: ratio, variance

    @property
    def pivot(self) -> str:
        return self.langs[0]

    def header(self) -> dict:
        return {"signature": self.signature, "level": self.level, "pivot": self.pivot,
                "langs": self.langs, "sources": self.sources, "kinds": self.kinds,
                "sha256": self.hashes,
                "beads": len(self.beads), "consistency": self.consistency}
