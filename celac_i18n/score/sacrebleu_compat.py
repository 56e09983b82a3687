"""The one module that touches sacrebleu's private API.

sacrebleu's public calls score a corpus (``corpus_score``) or one sentence
(``sentence_score``); each extracts every segment's statistics (tokens, n-grams, TER's
shift search) again. We need both levels from one extraction, and TER's statistics from
our exact, faster search (score/ter.py), so this module uses four private pieces that
every sacrebleu 2.x metric has:

- ``Metric._extract_corpus_statistics(hypotheses, references)``: one row of sufficient
  statistics per segment; it also sets ``num_refs``, which ``get_signature`` needs;
- ``Metric._aggregate_and_compute(stats)``: the score of the summed rows;
- ``Metric._compute_segment_statistics(hypothesis, ref_kwargs)``: the per-segment hook
  that ``ExactTER`` overrides (``ref_kwargs["ref_words"]``: TER's tokenised references);
- the ``num_refs`` attribute, copied to a metric that scores rows it did not extract.

``PRIVATE_API`` lists them with their parameters; tests/test_sacrebleu_contract.py
checks them and holds every figure made here to sacrebleu's public ``sentence_score``
and ``corpus_score``, so a sacrebleu release that changes them fails there, by name.
"""

from __future__ import annotations

from typing import Sequence

from sacrebleu.metrics import TER

from .ter import translation_edits
from .ter_tokenizer import TercomTokenizer

# "Class.member" → its parameters (a method) or None (an attribute): what we rely on
PRIVATE_API = {
    "Metric._extract_corpus_statistics": ("self", "hypotheses", "references"),
    "Metric._aggregate_and_compute": ("self", "stats"),
    "Metric._compute_segment_statistics": ("self", "hypothesis", "ref_kwargs"),
    "TER._extract_reference_info": ("self", "refs"),
    "Metric.num_refs": None,
}


def segment_statistics(metric, hyps: Sequence[str], refs: Sequence[str]) -> list[list]:
    """Each segment's sufficient statistics, one reference per segment.

    ``metric``: a sacrebleu metric; ``hyps`` and ``refs``: the segments, paired by
    position. Returns one row per segment, to give to :func:`score` (all rows: the
    corpus score) and :func:`segment_scores`. Afterwards the metric's signature can be
    read, as after ``corpus_score``."""
    return metric._extract_corpus_statistics(list(hyps), [list(refs)])


def score(metric, stats: Sequence[Sequence[float]]):
    """The metric's ``Score`` for the summed ``stats`` rows: given every row, what
    ``corpus_score`` returns for those segments."""
    return metric._aggregate_and_compute(list(stats))


def segment_scores(metric, stats: Sequence[Sequence[float]]) -> list[float]:
    """Each row's own score: what ``metric.sentence_score`` returns for that segment.

    ``metric`` may differ from the one that extracted the rows only in how it scores
    them (BLEU's ``effective_order``); :func:`share_reference_count` then gives it a
    signature."""
    return [metric._aggregate_and_compute([row]).score for row in stats]


def share_reference_count(source, target) -> None:
    """Give ``target`` the reference count ``source`` learnt while extracting statistics,
    so that ``target.get_signature()`` can be read without scoring anything itself."""
    target.num_refs = source.num_refs


class ExactTER(TER):
    """sacrebleu's TER with its segment statistics from our exact TER (score/ter.py).

    Everything users see stays sacrebleu's: the signature, corpus and sentence scores and
    the paired significance tests (which take a sacrebleu ``Metric`` and call the hook
    below). Ours are the hook (the same (edits, reference length) as sacrebleu 2.6's,
    several times faster) and the tokenizer (the same tokens in fewer passes).

    Statistics are remembered per (hypothesis, references): a paired test extracts each
    system's statistics once per test, and the bootstrap and randomisation tests share
    one metric. ``on_segment`` (when set) is called after each newly computed segment.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tokenizer = TercomTokenizer(normalized=self.normalized, no_punct=self.no_punct,
                                         asian_support=self.asian_support,
                                         case_sensitive=self.case_sensitive)
        self._seen: dict[tuple, list[float]] = {}
        self.on_segment = None

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict) -> list[float]:
        refs = ref_kwargs["ref_words"]
        key = (hypothesis, *(" ".join(r) for r in refs))
        stats = self._seen.get(key)
        if stats is None:
            words = hypothesis.split()
            best, total = None, 0
            for ref in refs:
                edits, length = translation_edits(words, ref)
                total += length
                best = edits if best is None else min(best, edits)
            # sacrebleu: the fewest edits over the references, their mean length
            stats = self._seen[key] = [best, total / len(refs)]
            if self.on_segment:
                self.on_segment()
        return list(stats)
