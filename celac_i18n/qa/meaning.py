"""Meaning: a rendering whose sense is far from its source's, judged by the semantic
layer's cross-language similarity against this very document's own scale."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Check

# A unit this short (characters without spaces, on the source side) has too noisy a
# similarity to judge alone: a heading of two or three words ("Aduanas e Impuestos" /
# "Aduanas e Tributos" is 0.52 with USE-m3, a median es-pt pair 0.92). It is flagged
# only when it clearly belongs to another unit.
_MIN_CHARS = 40
# Far below: a robust z-score under -Z against the pair's confident beads, and closer
# to the level of unrelated pairs than to the pair's usual faithful pair.
_Z = 3.0
_MIDWAY = 0.5
# Another source unit matches "clearly better" by this many of the pair's spreads.
_BETTER = 2.0


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _text(unit) -> str:
    from ..align.segments import unit_text

    return unit_text(unit) if unit is not None else ""


@dataclass
class _Item:
    """One rendering judged against one source text."""

    id: str                     # the source unit's id (the target's where none)
    bead: int                   # the bead the rendering is in
    src: tuple                  # source units (empty: a rendering with no source)
    tgt: tuple                  # target units
    confident: bool             # a one-to-one bead: part of the calibration
    how: str = ""               # how the rendering came to be set against this source


def _units(pair, side: str) -> tuple:
    units = getattr(pair, f"{side}_units", ())
    if units:
        return tuple(units)
    u = getattr(pair, side)
    return (u,) if u is not None else ()


def items(pairs) -> list[_Item]:
    """What each rendering is judged against.

    A one-to-one bead: its two units. A bead whose two sides hold the same ids (the
    aligner's 2-2 of I.2+I.3 with I.2+I.3): each id's units. Other beads: their units
    together. Between two paired beads, units the aligner left unpaired on both sides
    (a 1-0 next to a 0-1: it found no match for a rendering at that place) are set
    against each other in order; a rendering left over has no source of its own.
    """
    out: list[_Item] = []
    run_src: list = []
    run_tgt: list = []

    def flush():
        for k, tp in enumerate(run_tgt):
            if k < len(run_src):
                sp = run_src[k]
                out.append(_Item(sp.id, tp.bead, _units(sp, "src"), _units(tp, "tgt"), False,
                                 "unpaired"))
            else:
                out.append(_Item(tp.id, tp.bead, (), _units(tp, "tgt"), False, "added"))
        run_src.clear()
        run_tgt.clear()

    for p in pairs:
        s, t = _units(p, "src"), _units(p, "tgt")
        if s and not t:
            run_src.append(p)
            continue
        if t and not s:
            run_tgt.append(p)
            continue
        flush()
        if len(s) == len(t) == 1:
            out.append(_Item(s[0].id, p.bead, s, t, True))
        elif len(s) == len(t) and [u.id for u in s] == [u.id for u in t]:
            out.extend(_Item(a.id, p.bead, (a,), (b,), False) for a, b in zip(s, t))
        else:
            out.append(_Item(s[0].id, p.bead, s, t, False))
    flush()
    return out


def _join(units, lang: str) -> str:
    sep = "" if lang.split("-")[0] == "zh" else " "
    return sep.join(_text(u) for u in units if _text(u))


class MeaningCheck(Check):
    """Meaning: a rendering that does not say what its source says.

    Each rendering's similarity (cosine of the semantic layer's sentence embeddings of
    the source text and the rendering's text of a bead) is set against this language
    pair's own distribution in this document: the median and spread (1.4826 × MAD) of
    its one-to-one beads, and the mean similarity of random unrelated pairs. A rendering
    is flagged when its similarity is far below that (robust z under -3, and nearer the
    unrelated level than the median): **critical** when another source unit matches it
    clearly better (by two spreads, and within the usual range: "this rendering belongs
    to I.7": swapped or misplaced text), **functional** otherwise (a clause rewritten
    about something else, a wrong or garbled rendering). Where the aligner left a
    rendering unpaired next to an unpaired source unit, the two are judged against each
    other; the units of a bead whose two sides hold the same ids are judged one by one.
    Units under 40 characters (headings) are flagged only when they clearly belong
    elsewhere. Needs the semantic layer (skipped, and said so, with
    ``--embed-model none`` or a language the encoder does not cover).

    Likely false positives: a faithful but very free or condensed rendering (Chinese
    four-character phrasing of a long Spanish clause: the faithful es-zh pairs of the
    plan reach down to 0.44); a clause made mostly of names, acronyms or figures;
    near-duplicate clauses (a rendering of either matches both, so "belongs to" can
    name the twin). A document with fewer than five one-to-one beads cannot be
    calibrated and is not judged.
    """

    id = "meaning"
    severity = "functional"
    title = "Meaning"
    needs_both = False

    def applies(self, ctx) -> bool:
        sem = ctx.semantic
        if sem is None:
            ctx.notes.append("meaning: skipped (the meaning cue is off: --embed-model none)")
            return False
        for lang in (ctx.src_lang, ctx.tgt_lang):
            if not sem.covers(lang):
                ctx.notes.append(f"meaning: skipped (the sentence encoder {sem.name} does "
                                 f"not cover '{lang}')")
                return False
        return True

    def prepare(self, ctx) -> None:
        import numpy as np

        from ..semantic.similarity import baseline, unrelated_level

        sem = ctx.semantic
        self.base = None
        self.items = [it for it in items(ctx.pairs) if _join(it.tgt, ctx.tgt_lang).strip()]
        # every source unit, one by one: what a rendering may belong to
        self.sources = [u for p in ctx.pairs for u in _units(p, "src") if _text(u).strip()]
        if not self.items or not self.sources:
            return
        S = sem.embed([_text(u) for u in self.sources], ctx.src_lang)
        T = sem.embed([_join(it.tgt, ctx.tgt_lang) for it in self.items], ctx.tgt_lang)
        own_texts = [_join(it.src, ctx.src_lang) for it in self.items]
        O = sem.embed(own_texts, ctx.src_lang)
        self.cross = T @ S.T                      # each rendering × each source unit
        self.sims = np.einsum("nd,nd->n", T, O)   # each rendering × its own source
        self.has_own = np.array([bool(t.strip()) for t in own_texts])
        conf = [k for k, it in enumerate(self.items) if it.confident and self.has_own[k]]
        self.base = baseline(self.sims[conf], unrelated_level(S, T))
        if self.base is None:
            ctx.notes.append(f"meaning: skipped (fewer than 5 one-to-one beads to calibrate "
                             f"{ctx.src_lang}→{ctx.tgt_lang} on)")
        else:
            ctx.stats["meaning"] = {"encoder": sem.name, **self.base.to_dict()}

    def _far(self, s: float) -> bool:
        b = self.base
        midway = b.unrelated + _MIDWAY * (b.centre - b.unrelated)
        return b.z(s) < -_Z and s < midway

    def check_document(self, ctx):
        b = self.base
        if b is None:
            return
        usual = (f"{ctx.src_lang}→{ctx.tgt_lang} median {b.centre:.2f}, spread "
                 f"{b.spread:.2f}, unrelated {b.unrelated:.2f}")
        pos = {id(u): k for k, u in enumerate(self.sources)}
        for k, it in enumerate(self.items):
            own = bool(self.has_own[k])
            s = float(self.sims[k]) if own else None
            row = self.cross[k].copy()
            for u in it.src:
                if id(u) in pos:
                    row[pos[id(u)]] = -1.0
            j = int(row.argmax())
            other = float(row[j])
            tgt_text = _join(it.tgt, ctx.tgt_lang)
            src_text = _join(it.src, ctx.src_lang)
            detail = {"similarity": round(s, 4) if own else None, "baseline": b.to_dict()}
            kw = dict(tgt_spans=[(0, len(tgt_text))], src=_clip(src_text), tgt=_clip(tgt_text),
                      bead=it.bead)
            where = " (the aligner left it unpaired)" if it.how == "unpaired" else ""
            if not self._far(other) and (not own or other >= s + _BETTER * b.spread):
                # belongs elsewhere: another source unit clearly better (whether or not
                # its own similarity is far below: a swap of two related clauses)
                there = self.sources[j].id
                mine = f", {s:.2f} with its own{where}" if own else \
                    " (it has no source unit of its own)"
                yield self.finding(
                    it.id, f"this rendering belongs to {there}: similarity {other:.2f} with "
                    f"{there}'s source{mine} ({usual})", "critical",
                    detail={**detail, "belongs_to": there, "similarity_there": round(other, 4)},
                    **kw)
            elif own and self._far(s) and _chars(src_text) >= _MIN_CHARS:
                yield self.finding(
                    it.id, f"the rendering's meaning is far from the source's{where}: "
                    f"similarity {s:.2f}, z={b.z(s):.1f} ({usual})", detail=detail, **kw)


def _clip(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
