"""Clause-level alignment of N documents around a pivot (the first).

Each other document is aligned to the pivot with the banded DP (``pair.align_pair``);
the pairwise bead sequences are then merged into N-language beads (``pair.combine``):
pivot units that any pair groups together stay together, and target-only units (0-1)
that fall in the same gap of the pivot share one bead. Sentence alignment
(``sentence.py``) and the consistency check (``consistency.py``) build on ``pair.py``
too, so this module imports them and they never import it.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..errors import UserError
from ..model import Document
from ..termbase import default_termbase
from . import anchors as anc
from .beads import CLAUSE_LEVEL, SENTENCE_LEVEL, Alignment
from .calibration import VERSION as CALIBRATION
from .dp import LEN_CAP, TAIL, TAIL_SCALE, VAR_FLOOR, Params
from .pair import SideInput, align_pair, combine
from .segments import positional, segments

# translator(texts, source_lang, target_lang) -> texts; the optional MT hook
Translator = Callable[[list[str], str, str], list[str]]
ALIGNER = "celac-align"


def signature(level: str, langs: Sequence[str], engine: str | None, params: dict,
              consistency: bool, embed: str | None = None, termbase: str = "none"):
    from ..parse.sentences import SEGMENTER
    from ..signature import Signature
    from ..version import __version__

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

    Args:
        docs: two or more ``Document``s, one per language; the first is the pivot.
        level: ``"clause"`` or ``"sentence"`` (sentences aligned inside clause beads).
        translator: optional ``f(texts, source_lang, target_lang) -> texts``; each
            other document is translated into the pivot's language as one more cue.
        engine: the translator's name, recorded in the signature.
        consistency: check pairwise alignments against composition through the pivot
            (default: with three or more documents).
        sources: names of the documents for the result (default: their provenance).
        progress: called with a line of text at each step.
        embedder: a ``semantic.Semantic`` (or anything with ``name`` and
            ``embed(texts, lang)``): sentence similarity as one more cue, for the
            languages its encoder covers; its name goes into the signature.
        termbase: a ``termbase.Termbase`` whose terms are anchors (default: the
            shipped one; ``()`` for none); its fingerprint goes into the signature.

    Returns:
        An ``Alignment``: beads (1-1, 1-2, 2-1, 2-2, 1-0, 0-1) with their segments per
        language and a calibrated confidence, the length model per pair, the
        consistency report and a signature.

    Raises:
        UserError: fewer than two documents, a language given twice, an unknown level,
            or a document with no units.
    """
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
            d_in.emb = embedder.embed([s.text for s in d_in.segs], d_in.lang)
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
                                              for o in others}, embedder)
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
                     hashes={d.lang: d.provenance.sha256 for d in docs if d.provenance.sha256},
                     consistency=report, params=params)

