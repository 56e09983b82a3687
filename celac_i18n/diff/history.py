"""A clause's history through several versions: "where did this commitment come from?"

``history(versions)`` diffs each version with the next (``diff_documents``, across
languages through a machine rendering where the two differ) and chains the changes
into *tracks*: one per unit lineage, with, for each version, the ids it has there and
how it got there (unchanged, renumbered, modified, moved, split, merged, added). A
track starts where its unit first appears and ends where it was removed. A split
continues one track with several ids; a merge continues several tracks into one id.
Every step keeps its diff's redline, so the text of each version is at hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Document
from .changes import DiffResult, document_name

NAME = "celac-i18n-history"


@dataclass
class Step:
    version: int
    ids: list[str]
    kind: str | None          # how the unit came into this version (None: the first)
    similarity: float | None = None
    confidence: float | None = None
    ops: list = field(default_factory=list)     # redline from the previous version

    def to_dict(self) -> dict:
        d = {"version": self.version, "ids": self.ids, "kind": self.kind}
        if self.similarity is not None:
            d["similarity"] = self.similarity
        if self.confidence is not None:
            d["confidence"] = self.confidence
        return d


@dataclass
class Track:
    steps: list[Step]

    @property
    def first(self) -> int:
        return self.steps[0].version

    @property
    def last(self) -> int:
        return self.steps[-1].version

    def changed(self) -> bool:
        return any(s.kind not in (None, "unchanged") for s in self.steps)

    def to_dict(self, names: list[str]) -> dict:
        return {"appeared": names[self.first] if self.first else None,
                "dropped_after": None if self.last == len(names) - 1 else names[self.last],
                "steps": [s.to_dict() for s in self.steps]}


@dataclass
class History:
    names: list[str]
    docs: list[Document]
    diffs: list[DiffResult]
    tracks: list[Track]

    @property
    def signature(self):
        from ..signature import Signature
        from ..version import __version__

        return Signature({NAME: __version__, **{f"step{k}": d.signature
                                                for k, d in enumerate(self.diffs, 1)}})

    def select(self, uid: str) -> list[Track]:
        """The tracks through ``uid``: in the newest version if it has that id, else in
        any version (newest first)."""
        for v in range(len(self.docs) - 1, -1, -1):
            hit = [t for t in self.tracks if any(s.version == v and uid in s.ids
                                                 for s in t.steps)]
            if hit:
                return hit
        return []

    def text(self, step: Step) -> str:
        """The unit's text in that version (as given; across languages, not the MT)."""
        doc = self.docs[step.version]
        return "\n".join((doc[i].heading or doc[i].text) if doc[i].kind != "clause"
                         else doc[i].text for i in step.ids)

    def to_dict(self, tracks: list[Track] | None = None, with_text: bool = False) -> dict:
        out = []
        for t in (self.tracks if tracks is None else tracks):
            d = t.to_dict(self.names)
            if with_text:
                for sd, s in zip(d["steps"], t.steps):
                    sd["text"] = self.text(s)
            out.append(d)
        return {"signature": self.signature, "versions": self.names,
                "steps": [d.summary["counts"] for d in self.diffs], "tracks": out}


def history(docs: list[Document], diffs: list[DiffResult],
            names: list[str] | None = None) -> History:
    """Follow each clause through several versions of a plan.

    Args:
        docs: the versions, oldest first.
        diffs: ``diff_documents(docs[k], docs[k + 1])`` for each consecutive pair.
        names: the versions' names (default: from their provenance).

    Returns:
        A ``History``: one track per clause, with the version it appeared in, its id in
        each version, and each change (renumbered, modified, moved, split, merged,
        removed) on the way.
    """
    names = names or [document_name(d) for d in docs]
    # per version: unit id -> the track(s) holding it
    live: dict[str, list[Track]] = {}
    tracks: list[Track] = []
    for u in docs[0].units:
        t = Track([Step(0, [u.id], None)])
        tracks.append(t)
        live.setdefault(u.id, []).append(t)
    for k, res in enumerate(diffs, start=1):
        nxt: dict[str, list[Track]] = {}
        for c in res.changes:
            sim = c.similarity if c.old and c.new else None
            step = dict(kind=c.kind, similarity=sim, confidence=c.confidence, ops=c.ops)
            if not c.old:                       # appears in this version
                t = Track([Step(k, list(c.new), **step)])
                tracks.append(t)
                for i in c.new:
                    nxt.setdefault(i, []).append(t)
                continue
            if not c.new:                       # dropped: the track ends at k-1
                continue
            seen = set()
            for i in c.old:
                for t in live.get(i, []):
                    if id(t) in seen:
                        continue
                    seen.add(id(t))
                    t.steps.append(Step(k, list(c.new), **step))
                    for j in c.new:
                        nxt.setdefault(j, []).append(t)
        live = nxt
    return History(names, docs, diffs, tracks)
