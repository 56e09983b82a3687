"""sacrebleu's TER metric with its segment statistics from our exact TER (score/ter.py).

Everything users see stays sacrebleu's: the signature, corpus and sentence scores and
the paired significance tests (which take a sacrebleu ``Metric``). Ours are
``_compute_segment_statistics``, the per-segment hook every sacrebleu metric
implements (the same (edits, reference length) as sacrebleu 2.6's, several times
faster), and the tokenizer (the same tokens in fewer passes, score/ter_tokenizer.py).
tests/test_score_ter.py holds both to sacrebleu's, so a sacrebleu release that changes
TER or the hook fails there, loudly.

Statistics are remembered per (hypothesis, references) on the metric object: a
paired test extracts each system's statistics once per test and a sentence score after
a corpus score asks again for a segment already done.
"""

from __future__ import annotations

from sacrebleu.metrics import TER

from .ter import translation_edits
from .ter_tokenizer import TercomTokenizer


class ExactTER(TER):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the same tokens as sacrebleu's tokenizer gives, in fewer passes
        self.tokenizer = TercomTokenizer(normalized=self.normalized, no_punct=self.no_punct,
                                         asian_support=self.asian_support,
                                         case_sensitive=self.case_sensitive)
        self._seen: dict[tuple, list[float]] = {}
        self.on_segment = None             # called after each newly computed segment

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
