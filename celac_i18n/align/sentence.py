"""Sentence alignment inside each clause bead, with the same DP as clauses.

Sentences come from the project's segmenter (``parse.sentences``); their ids are the
unit id plus ``#s1``, ``#s2``... The length model of each language pair keeps the
clause-level ratio and re-estimates the variance on sentences.
"""

from __future__ import annotations

import numpy as np

from ..parse.sentences import split_sentences
from ..semantic.similarity import unrelated_level
from .beads import SENTENCE_LEVEL, Bead, Segment
from .pair import PairBead, SideInput, align_pair, combine
from .dp import Params, estimate


def sentence_segments(segs: list[Segment], lang: str) -> list[Segment]:
    out = []
    for s in segs:
        # the parser already split the unit (Unit.sentences): do not split it again
        sents = s.sentences or split_sentences(s.text, lang) or [s.text]
        for k, sent in enumerate(sents, start=1):
            # a sentence keeps its unit's kind, so --units clauses filters both levels
            out.append(Segment(f"{s.id}#s{k}", s.kind, sent))
    return out


def _sentence_params(clause_beads: list[Bead], pivot_lang: str, lang: str,
                     clause_params: dict) -> Params:
    """Length model for sentences: ratio from the clauses, variance re-estimated on the
    sentences of clause beads that have as many sentences on both sides (paired in
    order); short segments vary more than whole clauses."""
    src_len, tgt_len, pairs = [], [], []
    for cb in clause_beads:
        a = sentence_segments(cb.segs.get(pivot_lang, []), pivot_lang)
        b = sentence_segments(cb.segs.get(lang, []), lang)
        if a and len(a) == len(b):
            for x, y in zip(a, b):
                pairs.append((range(len(src_len), len(src_len) + 1),
                              range(len(tgt_len), len(tgt_len) + 1), None))
                src_len.append(len(x.text))
                tgt_len.append(len(y.text))
    ratio, var = estimate(src_len, tgt_len, pairs)
    if len(pairs) < 10:
        ratio, var = clause_params["ratio"], clause_params["variance"]
    return Params(ratio=ratio, variance=var)


def _sentence_embeddings(clause_beads: list[Bead], langs: list[str], embedder):
    """Per language, an iterator giving each clause bead's sentence embeddings (all the
    document's sentences encoded in one batch), or None where the cue is off."""
    if embedder is None:
        return {}
    out = {}
    for lang in langs:
        per_bead = [sentence_segments(cb.segs.get(lang, []), lang) for cb in clause_beads]
        emb = embedder.embed([s.text for segs in per_bead for s in segs], lang)
        if emb is None:
            continue
        bounds = np.cumsum([0] + [len(segs) for segs in per_bead])
        out[lang] = [emb[bounds[k]:bounds[k + 1]] for k in range(len(per_bead))]
    return out


def sentence_beads(clause_beads: list[Bead], langs: list[str], params: dict,
                   embedder=None) -> list[Bead]:
    pivot_lang, others = langs[0], langs[1:]
    sparams = {lang: _sentence_params(clause_beads, pivot_lang, lang, params[lang])
               for lang in others}
    embs = _sentence_embeddings(clause_beads, langs, embedder)
    if pivot_lang in embs:
        for lang in others:
            if lang in embs:
                # the unrelated level over the whole document: inside one clause bead
                # nearly every pair is related
                sparams[lang].emb_base = unrelated_level(np.concatenate(embs[pivot_lang]),
                                                         np.concatenate(embs[lang]))
    out: list[Bead] = []
    for n_cb, cb in enumerate(clause_beads):
        pivot = SideInput(pivot_lang, sentence_segments(cb.segs.get(pivot_lang, []), pivot_lang),
                          positional=True)
        if pivot_lang in embs:
            pivot.emb = embs[pivot_lang][n_cb]
        sides, pairs = [], []
        for lang in others:
            side = SideInput(lang, sentence_segments(cb.segs.get(lang, []), lang), positional=True)
            if lang in embs and pivot.emb is not None:
                side.emb = embs[lang][n_cb]
            if len(pivot.segs) == 1 and len(side.segs) == 1:
                # one sentence each: nothing to decide (and no DP to pay for)
                beads = [PairBead([0], [0], 0.9, {})]
            else:
                beads, _ = align_pair(pivot, side, sparams[lang])
            if (all(len(b.src) == 1 and len(b.tgt) == 1 for b in beads)
                    or (len(beads) == 1 and beads[0].src and beads[0].tgt)):
                # as many sentences on both sides, paired in order, or one bead that
                # takes all: the structure itself vouches for the pairing
                for b in beads:
                    b.confidence = max(b.confidence, 0.9)
            sides.append(side)
            pairs.append(beads)
        for b in combine(SENTENCE_LEVEL, pivot, sides, pairs, start=len(out) + 1,
                         parent=cb.n):
            # a sentence bead is no surer than the clause bead it sits in
            b.confidence = min(b.confidence, cb.confidence)
            out.append(b)
    return out
