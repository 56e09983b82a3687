"""Clause-level alignment of N documents around a pivot (the first).

Each other document is aligned to the pivot with the banded DP (``dp.py``); the
pairwise bead sequences are then merged into N-language beads: pivot units that any
pair groups together stay together, and target-only units (0-1) that fall in the same
gap of the pivot share one bead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..errors import UserError
from ..model import Document
from ..termbase import default_termbase
from . import anchors as anc
from .calibration import VERSION as CALIBRATION, calibrate
from .beads import CLAUSE_LEVEL, SENTENCE_LEVEL, Alignment, Bead, Segment
from .dp import (LEN_CAP, TAIL, TAIL_SCALE, VAR_FLOOR, Params, align_sides, confidence,
                 estimate, make_side, path_centre)
from .segments import kind_class, positional, segments

# translator(texts, source_lang, target_lang) -> texts; the optional MT hook
Translator = Callable[[list[str], str, str], list[str]]
MT_WORDS = 32     # 2048-bit trigram masks


@dataclass
class PairBead:
    src: list[int]
    tgt: list[int]
    confidence: float
    evidence: dict


@dataclass
class SideInput:
    lang: str
    segs: list[Segment]
    positional: bool = False
    mt: list[str] | None = None     # the segments machine-translated into the pivot language
    emb: np.ndarray | None = None   # sentence embeddings of the segments (--embed-model)
    terms: tuple = ()               # the termbase whose terms are anchors


def _id_codes(a: SideInput, b: SideInput) -> tuple[list[int], list[int]]:
    table: dict[str, int] = {}

    def codes(side: SideInput) -> list[int]:
        if side.positional:
            return [-1] * len(side.segs)
        return [table.setdefault(s.id, len(table)) for s in side.segs]

    return codes(a), codes(b)


def _sides(a: SideInput, b: SideInput):
    ca = [anc.anchor_counts(s.text, a.lang, a.terms) for s in a.segs]
    cb = [anc.anchor_counts(s.text, b.lang, b.terms) for s in b.segs]
    ma, ma2, mb, mb2 = anc.window_masks(ca, cb)
    ia, ib = _id_codes(a, b)
    mta = mtb = None
    if b.mt is not None:
        # pivot text vs the target's translation into the pivot language
        ta = [anc.trigrams(s.text) for s in a.segs]
        tb = [anc.trigrams(t) for t in b.mt]
        keep = set().union(*ta) & set().union(*tb) if ta and tb else set()
        mta, mtb = anc.masks(ta, keep, MT_WORDS), anc.masks(tb, keep, MT_WORDS)
    both = a.emb is not None and b.emb is not None
    src = make_side([len(s.text) for s in a.segs], ma, ia,
                    [kind_class(s.kind, a.positional) for s in a.segs], mta,
                    a.emb if both else None, ma2)
    tgt = make_side([len(s.text) for s in b.segs], mb, ib,
                    [kind_class(s.kind, b.positional) for s in b.segs], mtb,
                    b.emb if both else None, mb2)
    return src, tgt


def emb_base(a: np.ndarray, b: np.ndarray, samples: int = 2000) -> float:
    """The cosine of unrelated pairs for this model and language pair: the mean over
    random pairs (fixed seed), nearly all of which do not translate each other."""
    rng = np.random.default_rng(0)
    i = rng.integers(0, len(a), samples)
    j = rng.integers(0, len(b), samples)
    return float(np.einsum("nd,nd->n", a[i], b[j]).mean())


def align_pair(a: SideInput, b: SideInput, params: Params | None = None,
               refine: bool = True) -> tuple[list[PairBead], Params]:
    """Align ``b`` to ``a``. Without ``params`` the length model is estimated from the
    data: a first pass with the ratio of the units whose ids agree (of total lengths
    when none do), then ratio and variance re-estimated from that pass's 1-1 beads and
    a second pass."""
    src, tgt = _sides(a, b)
    base = emb_base(src.emb, tgt.emb) if src.emb is not None else 0.0
    if params is None:
        ratio, var = estimate(src.lengths, tgt.lengths, ids=(src.ids, tgt.ids))
        params = Params(ratio=ratio, variance=var, emb_base=base)
        raw = align_sides(src, tgt, params)
        if refine:
            ratio2, var2 = estimate(src.lengths, tgt.lengths, raw, ratio=ratio)
            if abs(var2 - var) > 1e-9 or abs(ratio2 - ratio) > 1e-9:
                ratio = ratio2
                params = Params(ratio=ratio, variance=var2, emb_base=base)
                # the second pass follows the first one's path, not the diagonal
                raw = align_sides(src, tgt, params, path_centre(raw, len(a.segs)))
    else:
        raw = align_sides(src, tgt, params)
    beads = [PairBead(list(rs), list(rt),
                      calibrate(confidence((len(rs), len(rt)), ev), not rs or not rt), ev)
             for rs, rt, ev in raw]
    return beads, params


def combine(level: str, pivot: SideInput, others: Sequence[SideInput],
            pairs: Sequence[list[PairBead]], start: int = 1,
            parent: int | None = None) -> list[Bead]:
    """Merge pairwise (pivot → other) bead sequences into N-language beads."""
    n = len(pivot.segs)
    group = list(range(n))                  # pivot index → group id (run start)
    for beads in pairs:
        for pb in beads:
            for x, y in zip(pb.src, pb.src[1:]):
                group[y] = group[x]
    # groups are runs, so fix each index to the start of its run
    for i in range(1, n):
        if group[i] != i:
            group[i] = group[i - 1]
    langs = [pivot.lang] + [o.lang for o in others]
    grouped: dict[int, dict] = {}
    inserts: dict[int, dict] = {}           # after group g (−1: before everything)
    for i in range(n):
        g = grouped.setdefault(group[i], {"segs": {lang: [] for lang in langs}, "conf": 1.0,
                                          "over": []})
        g["segs"][pivot.lang].append(pivot.segs[i])
    for other, beads in zip(others, pairs):
        last = -1                           # last pivot index consumed
        for pb in beads:
            if pb.src:
                g = grouped[group[pb.src[0]]]
                last = pb.src[-1]
            elif 0 <= last < n - 1 and group[last + 1] == group[last]:
                # inserted between two pivot units that another pair keeps together:
                # it belongs inside that group, not after it
                g = grouped[group[last]]
            else:
                key = group[last] if last >= 0 else -1
                g = inserts.setdefault(key, {"segs": {lang: [] for lang in langs},
                                             "conf": 1.0, "over": []})
            g["segs"][other.lang].extend(other.segs[k] for k in pb.tgt)
            g["conf"] = min(g["conf"], pb.confidence)
            idscore = pb.evidence.get("id", math.nan)
            if pb.src and pb.tgt and not math.isnan(idscore) and idscore < 1.0 \
                    and other.lang not in g["over"]:
                g["over"].append(other.lang)
    out: list[Bead] = []

    def emit(g):
        out.append(Bead(start + len(out), level, g["segs"], g["conf"], parent,
                        tuple(g["over"])))

    if -1 in inserts:
        emit(inserts[-1])
    for gid in sorted(grouped):
        emit(grouped[gid])
        if gid in inserts:
            emit(inserts[gid])
    # every insert is keyed by a run start (or -1), so none is lost
    assert all(k == -1 or k in grouped for k in inserts)
    return out


def signature(level: str, langs: Sequence[str], engine: str | None, params: dict,
              consistency: bool, embed: str | None = None, termbase: str = "none"):
    from .. import __version__
    from ..parse.sentences import SEGMENTER
    from ..signature import Signature
    from . import ALIGNER

    p = Params()
    return Signature({
        ALIGNER: __version__, "level": level, "pivot": langs[0], "langs": list(langs),
        "units": "all", "segmenter": SEGMENTER, "engine": engine or "none",
        "anchors": anc.ANCHOR_KINDS, "embed": embed, "termbase": termbase,
        "weights": f"anchor={p.w_anchor:g}/{p.w_anchor_miss:g},id={p.w_id:g}/{p.w_id_miss:g},"
                   f"kind={p.w_kind:g},mt={p.w_mt:g}" + (f",emb={p.w_emb:g}" if embed else ""),
        "priors": f"gc93-omit2x,2-2={p.priors[(2, 2)]:g},numbered-merge=+{p.w_merge_numbered:g}",
        "length": f"tail={TAIL:g}x{TAIL_SCALE:g},cap={LEN_CAP:g},var-floor={VAR_FLOOR:g}",
        "band": "auto", "calibration": CALIBRATION,
        "ratio": ",".join(f"{k}={v['ratio']:.3f}" for k, v in params.items()),
        "consistency": bool(consistency)},
        {"level": "l", "pivot": "p", "segmenter": "seg", "engine": "e", "termbase": "tb",
         "calibration": "cal", "consistency": "cons"})


def align_documents(docs: Sequence[Document], level: str = CLAUSE_LEVEL,
                    translator: Translator | None = None, engine: str | None = None,
                    consistency: bool | None = None, sources: Sequence[str] | None = None,
                    progress: Callable[[str], None] | None = None,
                    embedder=None, termbase=None) -> Alignment:
    """Align N documents (the first is the pivot) at clause or sentence level.

    ``level``: ``"clause"`` or ``"sentence"`` (sentences inside clause beads).
    ``translator(texts, src, tgt)``: optional machine translation into the pivot's
    language, one more cue (``engine`` names it in the signature). ``consistency``:
    check es→en→zh against es→zh (default: with three or more documents).
    ``sources``: the names recorded for each document. ``progress(message)``: called
    at each step. ``embedder`` (``embed.Embedder``): sentence embeddings as one more
    cue. ``termbase`` (``termbase.Termbase``; default: the shipped one, ``()`` for
    none): its terms are anchors; its fingerprint goes into the signature.

    Returns an ``Alignment``: N-language beads, each with a confidence, and a signature."""
    if len(docs) < 2:
        raise UserError("align needs at least two documents (the first is the pivot)")
    langs = [d.lang for d in docs]
    if len(set(langs)) != len(langs):
        raise UserError(f"each language may appear once (got {', '.join(langs)})")
    if level not in (CLAUSE_LEVEL, SENTENCE_LEVEL):
        raise UserError(f"unknown level '{level}' (clause or sentence)")
    termbase = default_termbase() if termbase is None else termbase
    inputs = [SideInput(d.lang, segments(d), positional(d), terms=termbase) for d in docs]
    for d, s in zip(docs, inputs):
        if not s.segs:
            raise UserError(f"{d.provenance.source}: nothing to align (no units)")
    pivot, others = inputs[0], inputs[1:]
    if translator is not None:
        for o in others:
            if progress:
                progress(f"translating {o.lang} → {pivot.lang} for similarity")
            try:
                o.mt = list(translator([s.text for s in o.segs], o.lang, pivot.lang))
            except UserError as e:
                # an engine without this pair: align this language on the other cues
                if progress:
                    progress(f"no machine translation for {o.lang}: {e}")
                continue
            if len(o.mt) != len(o.segs):
                raise UserError(f"translator returned {len(o.mt)} segments for {len(o.segs)}")
    if embedder is not None:
        for d_in in inputs:
            if progress:
                progress(f"embedding {d_in.lang} ({len(d_in.segs)} units, {embedder.name})")
            d_in.emb = embedder.encode([s.text for s in d_in.segs])
    pairs, params = [], {}
    for o in others:
        if progress:
            progress(f"aligning {pivot.lang}–{o.lang}")
        beads, p = align_pair(pivot, o)
        pairs.append(beads)
        params[f"{pivot.lang}-{o.lang}"] = {"ratio": float(p.ratio), "variance": float(p.variance)}
    beads = combine(CLAUSE_LEVEL, pivot, others, pairs)
    if consistency is None:
        consistency = len(docs) >= 3
    report = []
    if consistency:
        from .consistency import check

        report = check(pivot, others, pairs, beads, progress=progress)
    if level == SENTENCE_LEVEL:
        from .sentence import sentence_beads

        if progress:
            progress("aligning sentences inside clause beads")
        beads = sentence_beads(beads, langs, {o.lang: params[f"{pivot.lang}-{o.lang}"]
                                              for o in others})
        # the check ran on clause beads, and the output lists sentence beads: name the
        # number for what it is (a sentence bead's "parent")
        report = [{("clause_bead" if k == "bead" else k): v for k, v in r.items()}
                  for r in report]
    with_mt = [o.lang for o in others if o.mt is not None]
    if translator is not None:
        engine = f"{engine or 'custom'}({'+'.join(with_mt) or 'no pair'})"
    sig = signature(level, langs, engine, params, consistency,
                    embedder.name if embedder is not None else None,
                    getattr(termbase, "fingerprint", "none"))
    return Alignment(langs=langs, level=level, beads=beads, signature=sig,
                     sources={d.lang: (sources[k] if sources else d.provenance.source)
                              for k, d in enumerate(docs)},
                     kinds={d.lang: d.provenance.kind for d in docs},
                     consistency=report, params=params)

