"""Consistency across languages: does composing through the pivot agree with a direct
alignment? With es as pivot, for en and zh: es→en→zh (the N-language beads) against
en→zh aligned directly. A disagreement points at a bead worth a human look."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from .beads import Bead
from .pair import PairBead, SideInput, align_pair


def _partners(beads: list[PairBead]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    fwd: dict[int, set[int]] = {}
    back: dict[int, set[int]] = {}
    for b in beads:
        for s in b.src:
            fwd[s] = set(b.tgt)
        for t in b.tgt:
            back[t] = set(b.src)
    return fwd, back


def check(pivot: SideInput, others: list[SideInput], pairs, beads: list[Bead],
          progress=None) -> list[dict]:
    report: list[dict] = []
    for a, b in combinations(others, 2):
        if progress:
            progress(f"consistency: {a.lang}–{b.lang} direct vs through {pivot.lang}")
        # b.mt is b translated into the pivot language, not into a's: without this the
        # direct a–b alignment would compare a with pivot-language text at full weight.
        direct, _ = align_pair(replace(a, mt=None), replace(b, mt=None))
        fwd, back = _partners(direct)
        pos_a = {s.id: k for k, s in enumerate(a.segs)}
        pos_b = {s.id: k for k, s in enumerate(b.segs)}
        for bead in beads:
            A = {pos_a[s.id] for s in bead.segs.get(a.lang, [])}
            B = {pos_b[s.id] for s in bead.segs.get(b.lang, [])}
            if not A and not B:
                continue
            via_direct = set().union(*(fwd.get(x, set()) for x in A)) if A else set()
            back_direct = set().union(*(back.get(y, set()) for y in B)) if B else set()
            if via_direct != B or back_direct != A:
                report.append({
                    "bead": bead.n, "pair": f"{a.lang}-{b.lang}", "via": pivot.lang,
                    "composed": {a.lang: [a.segs[k].id for k in sorted(A)],
                                 b.lang: [b.segs[k].id for k in sorted(B)]},
                    "direct": {a.lang: [a.segs[k].id for k in sorted(back_direct | A)],
                               b.lang: [b.segs[k].id for k in sorted(via_direct)]}})
    return report


def describe(entry: dict) -> str:
    """One line for a report entry; at sentence level the number is the clause bead's."""
    where = (f"clause bead {entry['clause_bead']}" if "clause_bead" in entry
             else f"bead {entry['bead']}")
    return (f"{where} {entry['pair']}: via {entry['via']} {entry['composed']} "
            f"≠ direct {entry['direct']}")
