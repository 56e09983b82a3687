"""The objects every stage passes on: a Document made of Units with canonical ids."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterator

# Unit kinds, in the order a reader meets them in a plan, a list or a legal text.
TITLE, PREAMBLE, PART, CHAPTER, SECTION, CLAUSE, ARTICLE, FRACTION, ITEM, PARAGRAPH = (
    "title", "preamble", "part", "chapter", "section", "clause", "article", "fraction", "item",
    "paragraph")
KINDS = (TITLE, PREAMBLE, PART, CHAPTER, SECTION, CLAUSE, ARTICLE, FRACTION, ITEM, PARAGRAPH)
HEADING_KINDS = (PART, CHAPTER, SECTION)
# Units that carry a document's content (what is translated, aligned, scored, diffed);
# an article counts when it has no units of its own below it.
CONTENT_KINDS = (CLAUSE, ARTICLE, FRACTION, ITEM, PARAGRAPH)


_SENTENCE_END = tuple(".;:!?。；：！？…")


def _heading_text(text: str) -> bool:
    """Short and without final punctuation: a title, not a sentence of content."""
    return len(text) <= 120 and not text.rstrip().endswith(_SENTENCE_END)


@dataclass
class Unit:
    """One numbered (or positional) unit of a plan.

    ``id`` is language-independent (``II.1.6``, ``art.5.2``, ``preamble.1``);
    ``number`` is the marker as written in this language (``- 1.6.``, ``（一）``).
    For chapters and sections ``heading`` is the heading and ``text`` repeats it;
    for clauses ``heading`` is empty and ``text`` is the whole clause.
    """

    id: str
    kind: str
    number: str
    heading: str
    text: str
    sentences: list[str] = field(default_factory=list)
    parent: str | None = None
    line: int = 0          # 1-based line of the source text where the unit starts
    joined: int = 0        # page breaks / hard wraps joined back into this unit
    warnings: list[str] = field(default_factory=list)  # out-of-sequence or duplicate number

    def record(self, lang: str) -> dict:
        d = asdict(self)
        d["lang"] = lang
        return d


@dataclass
class Provenance:
    """Where a text came from and what it is. Never lose this."""

    source: str                 # path, URL or corpus reference
    sha256: str = ""
    reader: str = ""            # txt, md, html, pdf, docx
    encoding: str = ""
    plan: str | None = None
    kind: str | None = None     # official | reference | machine | reviewed
    notes: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Document:
    lang: str
    units: list[Unit]
    provenance: Provenance
    warnings: list[str] = field(default_factory=list)
    layout: str = ""       # how the text was laid out: see parse.layout

    def __post_init__(self) -> None:
        self._index = {u.id: u for u in self.units}

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def get(self, uid: str) -> Unit | None:
        return self._index.get(uid)

    def __getitem__(self, uid: str) -> Unit:
        return self._index[uid]

    def of_kind(self, *kinds: str) -> list[Unit]:
        return [u for u in self.units if u.kind in kinds]

    @property
    def title(self) -> str:
        t = self.get("title")
        return t.text if t else ""

    def clauses(self) -> list[Unit]:
        """The units that carry the document's content: clauses, fractions, items and
        paragraphs, and articles whose own text is content (an article with sub-units
        and a title-like text, "Artículo 1. Objeto", is a heading)."""
        parents = {u.parent for u in self.units if u.kind in CONTENT_KINDS}
        return [u for u in self.units if u.kind in CONTENT_KINDS and u.text
                and (u.kind != ARTICLE or u.id not in parents or not _heading_text(u.text))]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for u in self.units:
            out[u.kind] = out.get(u.kind, 0) + 1
        return out
