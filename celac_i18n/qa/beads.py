"""QA pairs from an alignment's beads, not from ids.

A rendering that drops a clause and renumbers the rest has the right ids on the wrong
text; the aligner pairs by content, so QA follows its beads: one pair per bead of the
two languages, the units of each side merged (a clause rendered together with the next
one is one pair, with both source ids). A bead with nothing on one side is an omission
(source only) or an addition (target only).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UserError
from ..model import Document, Unit
from ..score.pairing import Pair


@dataclass(frozen=True)
class BeadPair(Pair):
    """A ``score.pairing.Pair`` (``id``: the first source id, the target's first id
    when the source has none; ``src``, ``tgt``: the bead's units of each side merged
    into one) that knows where it came from."""

    bead: int = 0
    src_ids: tuple[str, ...] = ()
    tgt_ids: tuple[str, ...] = ()
    confidence: float = 1.0
    src_units: tuple[Unit, ...] = ()    # the bead's own units of each side, unmerged
    tgt_units: tuple[Unit, ...] = ()

    @property
    def renumbered(self) -> bool:
        """The target's ids are not the source's (content paired what ids did not)."""
        return bool(self.src_ids and self.tgt_ids) and self.src_ids != self.tgt_ids


def _joiner(lang: str) -> str:
    return "" if lang.split("-")[0] == "zh" else " "


def _merge(units: list[Unit], lang: str) -> Unit | None:
    if not units:
        return None
    if len(units) == 1:
        return units[0]
    first = units[0]
    return Unit(id=first.id, kind=first.kind, number=first.number, heading=first.heading,
                text=_joiner(lang).join(u.text for u in units if u.text),
                sentences=[s for u in units for s in u.sentences], parent=first.parent,
                line=first.line)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _units(doc: Document, segs, where: str, bead: int) -> list[Unit]:
    from ..align.segments import unit_text

    out = []
    for s in segs:
        u = doc.get(s.id)
        if u is None or _squeeze(unit_text(u)) != _squeeze(s.text):
            raise UserError(f"{where}: bead {bead} holds {doc.lang} {s.id} "
                            f"{'with another text than' if u else 'which is not in'} "
                            f"{doc.provenance.source}: the alignment was made from other texts")
        out.append(u)
    return out


def bead_pairs(alignment, src: Document, tgt: Document, where: str = "alignment"
               ) -> list[BeadPair]:
    """One pair per bead that holds either language, in bead order."""
    for lang in (src.lang, tgt.lang):
        if lang not in alignment.langs:
            raise UserError(f"{where}: no {lang} in the alignment "
                            f"(it aligns {', '.join(alignment.langs)})")
    if alignment.level != "clause":
        raise UserError(f"{where}: QA needs a clause-level alignment (this one is "
                        f"{alignment.level} level)")
    pairs = []
    for b in alignment.beads:
        s = _units(src, b.segs.get(src.lang, []), where, b.n)
        t = _units(tgt, b.segs.get(tgt.lang, []), where, b.n)
        if not s and not t:
            continue
        pairs.append(BeadPair((s or t)[0].id, _merge(s, src.lang), _merge(t, tgt.lang), b.n,
                              tuple(u.id for u in s), tuple(u.id for u in t), b.confidence,
                              tuple(s), tuple(t)))
    return pairs


def id_pairs(src: Document, tgt: Document) -> list[BeadPair]:
    """Pairs by id, for two texts in one language (a revision checked against its
    original: the aligner takes one text per language)."""
    from ..score.pairing import pair_units

    return [BeadPair(p.id, p.src, p.tgt, n, (p.src.id,) if p.src else (),
                     (p.tgt.id,) if p.tgt else (), 1.0, (p.src,) if p.src else (),
                     (p.tgt,) if p.tgt else ())
            for n, p in enumerate(pair_units(src, tgt), start=1)]
