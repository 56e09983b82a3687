"""Omissions and additions: a unit with no counterpart, length-ratio outliers for the
language pair, sentence-count mismatches."""

from __future__ import annotations

import math
import re
import statistics

from .base import Check

_SPACE = re.compile(r"\s+")
_MIN_CHARS = 40        # shorter units have too noisy a length ratio to judge
# headings and titles are formulaic and short: their ratio says little
_RATIO_KINDS = ("clause", "article", "preamble", "paragraph")
_Z = 3.5               # robust z-score (Iglewicz & Hoaglin) above which a ratio is odd


def _length(text: str, lang: str) -> int:
    # characters without spaces: comparable across scripts once the ratio is estimated
    return len(_SPACE.sub("", text))


def _ids(ids) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


class OmissionsCheck(Check):
    """Content dropped or added.

    - a source unit with no target unit (critical) or a target unit with no source
      unit (functional), as the alignment pairs them (by content: a rendering that
      drops a clause and renumbers the rest has one omission, not a cascade);
    - source units merged into one target unit (functional) or one split into several
      (cosmetic);
    - a length ratio far from this language pair's usual ratio, estimated on this very
      document with the median and the median absolute deviation (functional);
    - a different number of sentences (cosmetic: renderings legitimately split or join
      sentences, as the zh VII.2 does).

    Likely false positives: a wrong bead (check its confidence in the alignment);
    clauses whose length legitimately differs (lists of names, acronyms expanded,
    Chinese four-character idioms); very short clauses (not judged below 40 characters).
    """

    id = "omissions"
    severity = "functional"
    title = "Omissions and additions"
    needs_both = False

    def prepare(self, ctx):
        logs = [math.log(_length(p.tgt_text, ctx.tgt_lang) / _length(p.src_text, ctx.src_lang))
                for p in ctx.pairs if p.complete and p.kind in _RATIO_KINDS
                and _length(p.src_text, ctx.src_lang) >= _MIN_CHARS
                and _length(p.tgt_text, ctx.tgt_lang) > 0]
        self.med = statistics.median(logs) if logs else 0.0
        mad = statistics.median(abs(x - self.med) for x in logs) if logs else 0.0
        # floor: a very literal rendering has a tiny MAD, and a 25% shorter clause
        # (an English compound for a Spanish phrase) must not count as an outlier
        self.mad = max(mad, 0.05)
        ctx.stats["length_ratio"] = {"median": round(math.exp(self.med), 3),
                                     "mad_log": round(mad, 4), "n": len(logs)}

    def check_pair(self, pair, ctx):
        src_ids = getattr(pair, "src_ids", (pair.id,) if pair.src else ())
        tgt_ids = getattr(pair, "tgt_ids", (pair.tgt.id,) if pair.tgt else ())
        if pair.tgt is None:
            yield self.finding(pair.id, f"{pair.kind} {_ids(src_ids)} has no counterpart in "
                               "the target (omitted)", "critical",
                               src_spans=[(0, len(pair.src_text))], src=pair.src_text[:80])
            return
        if pair.src is None:
            yield self.finding(pair.id, f"{pair.kind} {_ids(tgt_ids)} in the target has no "
                               "counterpart in the source (added)", "functional",
                               tgt_spans=[(0, len(pair.tgt_text))], tgt=pair.tgt_text[:80])
            return
        # a 2-2 bead (two clauses rendered as two, grouped together) is not a merge:
        # only fewer target units than source units is
        if len(src_ids) > 1 and len(tgt_ids) < len(src_ids):
            yield self.finding(pair.id, f"{_ids(src_ids)} are merged in the target into one "
                               f"unit ({_ids(tgt_ids)})", "functional",
                               tgt_spans=[(0, len(pair.tgt_text))])
        elif len(tgt_ids) > 1 and len(tgt_ids) > len(src_ids):
            yield self.finding(pair.id, f"{pair.id} is split in the target into "
                               f"{_ids(tgt_ids)}", "cosmetic")
        ls, lt = _length(pair.src_text, ctx.src_lang), _length(pair.tgt_text, ctx.tgt_lang)
        if ls >= _MIN_CHARS and pair.kind in _RATIO_KINDS:
            if lt == 0:
                yield self.finding(pair.id, "target is empty", "critical")
                return
            z = 0.6745 * (math.log(lt / ls) - self.med) / self.mad
            if abs(z) > _Z:
                what = "shorter" if z < 0 else "longer"
                yield self.finding(pair.id, f"target is {what} than usual for "
                                   f"{ctx.src_lang}→{ctx.tgt_lang} (ratio {lt / ls:.2f}, usual "
                                   f"{math.exp(self.med):.2f}, z={z:.1f}): possible "
                                   f"{'omission' if z < 0 else 'addition'}")
        ns, nt = len(pair.src.sentences), len(pair.tgt.sentences)
        if ns and nt and ns != nt:
            yield self.finding(pair.id, f"{ns} sentence(s) in the source, {nt} in the target",
                               "cosmetic")
