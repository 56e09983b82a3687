"""Pair the units of two renderings by their language-independent ids.

Our parsers give every rendering the same ids (clause I.6 in es is I.6 in zh), so id
pairing is exact for them; renderings with broken or missing numbering need the
aligner (celac_i18n.align) first. A unit present on one side only is kept as a pair
with ``None`` on the other side, so scores can penalise it and QA can report it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import CONTENT_KINDS, KINDS, PARAGRAPH, Document, Unit

# Units that carry translatable text, in the order a reader meets them.
TEXT_KINDS = KINDS
CLAUSE_KINDS = tuple(k for k in CONTENT_KINDS if k != PARAGRAPH)


@dataclass(frozen=True)
class Pair:
    id: str
    src: Unit | None
    tgt: Unit | None

    @property
    def kind(self) -> str:
        return (self.src or self.tgt).kind

    @property
    def src_text(self) -> str:
        return self.src.text if self.src else ""

    @property
    def tgt_text(self) -> str:
        return self.tgt.text if self.tgt else ""

    @property
    def complete(self) -> bool:
        return self.src is not None and self.tgt is not None


def pair_units(src: Document, tgt: Document, kinds=TEXT_KINDS) -> list[Pair]:
    """Pairs in source order; target-only units follow the source unit before them."""
    src_units = [u for u in src.units if u.kind in kinds]
    tgt_units = [u for u in tgt.units if u.kind in kinds]
    src_ids = {u.id for u in src_units}
    # Target-only units are attached after the last shared unit that precedes them.
    extra_after: dict[str | None, list[Unit]] = {}
    last_shared = None
    for u in tgt_units:
        if u.id in src_ids:
            last_shared = u.id
        else:
            extra_after.setdefault(last_shared, []).append(u)
    pairs = [Pair(u.id, None, u) for u in extra_after.get(None, [])]
    for u in src_units:
        t = tgt.get(u.id)
        pairs.append(Pair(u.id, u, t if t is not None and t.kind in kinds else None))
        pairs.extend(Pair(x.id, None, x) for x in extra_after.get(u.id, []))
    return pairs
