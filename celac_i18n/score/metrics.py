"""BLEU, chrF++ and TER through sacrebleu, with the tokenizer the target language needs.

Facts this module is built on (measured, see benchmarks/quality.md):
- Chinese needs ``tokenize='zh'`` for BLEU (13a sees a whole clause as one word);
  TER on Chinese needs ``asian_support=True`` together with ``normalized=True``.
- ``flores200``/``spm`` tokenizers download a model: never used (we work offline).
- ``get_signature()`` is only read after the metric has scored.
- chrF++ adds word n-grams split on whitespace; Chinese is written without spaces, so
  a whole zh clause would be one "word" and every word n-gram a near-certain miss,
  which pulls chrF++ on Chinese systematically down. For zh we therefore score plain
  chrF (``word_order=0``): the label is chrF2 and the signature says ``nw:0``.
- sacrebleu issue #298: ``tokenize='zh'`` treats every character in U+2001-U+2A6D
  (— … “ ” ‘ ’ …) as a Chinese character. See :func:`normalise_zh_punct`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Callable

from ..version import __version__

METRICS = ("bleu", "chrf", "ter")
LABELS = {"bleu": "BLEU", "chrf": "chrF2++", "ter": "TER"}


def label(name: str, lang: str) -> str:
    """The metric's name as scored for ``lang``: chrF on Chinese has no word n-grams."""
    return "chrF2" if name == "chrf" and lang == "zh" else LABELS[name]
ZH_NORM = "zh-punct"

# Typographic punctuation that sacrebleu's zh tokenizer (#298) splits off as if it were
# a Chinese character, folded to one form each and padded with spaces. Padding makes
# each mark one token whatever its neighbours, so the tokens are the same with the
# buggy tokenizer and with a fixed one; folding stops “ ” vs " or — vs – (a style
# choice the punctuation QA check reports) from costing n-gram matches.
_ZH_FOLD = {**{c: "—" for c in "—–―‒−-"}, **{c: '"' for c in "“”„‟〝〞＂"},
            **{c: "'" for c in "‘’‚‛"}, "……": "...", "…": "...", "⋯": "..."}
_ZH_PUNCT_RE = re.compile("|".join(re.escape(c) for c in sorted(_ZH_FOLD, key=len, reverse=True)
                                   if c != "-")
                          + r'|\.\.\.|"'
                          # an ASCII hyphen used as a dash: next to a Chinese character
                          # or in a year range (2022-2024 ~ 2022—2024)
                          + r'|(?<=[\u4e00-\u9fff（）])-|-(?=[\u4e00-\u9fff（）])'
                          + r'|(?<=[0-9])-(?=[0-9])')


def normalise_zh_punct(text: str) -> str:
    """Fold and space-pad the #298 punctuation; other text is returned unchanged."""
    return _ZH_PUNCT_RE.sub(lambda m: f" {_ZH_FOLD.get(m.group(0), m.group(0))} ", text)


# Only BLEU tokenizes with TokenizerZh, so only BLEU is touched by #298 and normalised:
# chrF works on characters with whitespace removed, and TER's asian_support tokenizer
# has its own (correct) ranges. Measured in benchmarks/quality.md.
NORMALISED = ("bleu",)


def normalise(text: str, lang: str, zh_norm: bool = True, metric: str = "bleu") -> str:
    if lang == "zh" and zh_norm and metric in NORMALISED:
        return normalise_zh_punct(text)
    return text


def make_metric(name: str, lang: str, sentence: bool = False):
    """A fresh sacrebleu metric configured for the target language ``lang``."""
    from sacrebleu.metrics import BLEU, CHRF

    zh = lang == "zh"
    if name == "bleu":
        # effective_order for clause-level BLEU, as sacrebleu recommends for sentences
        return BLEU(tokenize="zh" if zh else "13a", effective_order=sentence)
    if name == "chrf":
        # chrF++; on zh plain chrF: unsegmented text has no whitespace "words"
        return CHRF(word_order=0 if zh else 2)
    if name == "ter":
        # sacrebleu's TER with our exact, faster segment statistics (score/ter.py)
        from .sacrebleu_compat import ExactTER

        return ExactTER(asian_support=zh, normalized=zh)
    raise ValueError(f"unknown metric {name!r} (known: {', '.join(METRICS)})")


def signature(metric, name: str, lang: str, zh_norm: bool, extra: dict | None = None):
    """sacrebleu's own signature fields, then ours: norm, package version and anything
    else (a ``signature.Signature``; its short form uses sacrebleu's short keys)."""
    from ..signature import Signature

    theirs = metric.get_signature()
    info = dict(part.partition(":")[::2] for part in theirs.format().split("|"))
    short = {long: abbr for long, abbr in zip(
        info, (p.partition(":")[0] for p in theirs.format(short=True).split("|")))}
    ours = {"norm": ZH_NORM} if lang == "zh" and zh_norm and name in NORMALISED else {}
    return Signature({"celac-i18n": __version__, "metric": label(name, lang), **info, **ours,
                      **(extra or {})}, short)


@dataclass
class Score:
    metric: str           # bleu | chrf | ter
    score: float
    signature: str
    detail: str = ""      # sacrebleu's one-line rendering (BLEU precisions, BP...)
    label: str = ""       # chrF2++, or chrF2 on zh; LABELS[metric] when not given

    def record(self) -> dict:
        return {"metric": self.label or LABELS[self.metric], "score": round(self.score, 2),
                "signature": self.signature, "detail": self.detail}


@dataclass
class SegmentScores:
    id: str
    kind: str
    scores: dict[str, float] = field(default_factory=dict)
    status: str = "ok"    # ok | missing (no hypothesis) | extra (no reference)


def corpus_scores(hyps: list[str], refs: list[str], lang: str,
                  metrics=METRICS, zh_norm: bool = True, extra: dict | None = None) -> list[Score]:
    out = []
    for name in metrics:
        m = make_metric(name, lang)
        s = m.corpus_score([normalise(h, lang, zh_norm, name) for h in hyps],
                           [[normalise(r, lang, zh_norm, name) for r in refs]])
        out.append(Score(name, s.score, signature(m, name, lang, zh_norm, extra), str(s),
                         label(name, lang)))
    return out


def sentence_scores(hyps: list[str], refs: list[str], lang: str,
                    metrics=METRICS, zh_norm: bool = True,
                    extra: dict | None = None) -> tuple[list[dict[str, float]], dict[str, str]]:
    """Per-segment scores and the signature of each metric at sentence level."""
    rows: list[dict[str, float]] = [{} for _ in hyps]
    sigs: dict[str, str] = {}
    for name in metrics:
        m = make_metric(name, lang, sentence=True)
        for row, h, r in zip(rows, hyps, refs):
            row[name] = m.sentence_score(normalise(h, lang, zh_norm, name),
                                         [normalise(r, lang, zh_norm, name)]).score
        if hyps:
            sigs[name] = signature(m, name, lang, zh_norm, extra)
    return rows, sigs


# progress(what, done, total): what a long run is doing, for a progress bar on stderr
Progress = Callable[[str, int, int], None]


def score_metric(name: str, hyps: list[str], refs: list[str], lang: str, zh_norm: bool = True,
                 per_segment: bool = False, extra: dict | None = None,
                 seg_extra: dict | None = None,
                 progress: Progress | None = None) -> tuple[Score, list[float], str]:
    """Corpus score, per-segment scores (when asked) and the per-segment signature.

    Each segment's statistics (tokens, n-grams, TER's shift search) are extracted once
    and serve both levels: the corpus score is sacrebleu's aggregate of all rows, a
    segment's score the aggregate of its own row (sacrebleu_compat.py, held to
    sacrebleu's public scores by tests/test_sacrebleu_contract.py). Clause-level BLEU
    scores the same rows with effective_order, as sacrebleu recommends for sentences;
    corpus BLEU must not use it. ``progress`` hears of each TER segment (the costliest
    metric per segment) and of the start of the others.
    """
    from . import sacrebleu_compat as sb

    h = [normalise(x, lang, zh_norm, name) for x in hyps]
    r = [normalise(x, lang, zh_norm, name) for x in refs]
    m = make_metric(name, lang)
    what = label(name, lang)
    if progress:
        progress(what, 0, len(h))
        if name == "ter":
            done = itertools.count(1)
            m.on_segment = lambda: progress(what, min(next(done), len(h)), len(h))
    stats = sb.segment_statistics(m, h, r)
    s = sb.score(m, stats)
    score = Score(name, s.score, signature(m, name, lang, zh_norm, extra), str(s),
                  label(name, lang))
    if not per_segment:
        return score, [], ""
    sm = m
    if name == "bleu":
        sm = make_metric(name, lang, sentence=True)
        sb.share_reference_count(m, sm)
    return score, sb.segment_scores(sm, stats), signature(sm, name, lang, zh_norm, seg_extra)


@dataclass
class ScoreReport:
    hyp: str
    ref: str
    lang: str
    corpus: list[Score]
    segments: list[SegmentScores]
    sentence_signatures: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def score_documents(hyp_doc, ref_doc, metrics=METRICS, per_segment: bool = False,
                    zh_norm: bool = True, hyp_name: str = "", ref_name: str = "",
                    kinds=None, progress: Progress | None = None) -> ScoreReport:
    """Score a rendering against a reference, units paired by id.

    A reference unit the hypothesis lacks counts as an empty hypothesis (an omission
    costs score); a hypothesis unit with no reference cannot be scored and is reported.

    Args:
        hyp_doc: the rendering to score.
        ref_doc: the reference, in the same language.
        metrics: any of ``"bleu"``, ``"chrf"`` (chrF++; plain chrF on Chinese),
            ``"ter"``.
        per_segment: also score each unit (clause-level BLEU uses effective order).
        zh_norm: on Chinese, fold typographic punctuation before BLEU (sacrebleu
            issue #298); the signature says so.
        hyp_name, ref_name: names used in messages and the report.
        kinds: unit kinds to score (default: the units that carry text).
        progress: ``f(what, done, total)``, called as each metric runs.

    Returns:
        A ``ScoreReport``: corpus scores (``Score``: value, sacrebleu's signature plus
        ours, sacrebleu's one-line detail), per-unit scores when asked, their
        signatures, and warnings about missing or extra units.

    Raises:
        UserError: the two documents are in different languages, or nothing to score.
    """
    from ..errors import UserError
    from .pairing import TEXT_KINDS, pair_units

    if hyp_doc.lang != ref_doc.lang:
        raise UserError(f"{hyp_name or 'hypothesis'} is {hyp_doc.lang} but "
                        f"{ref_name or 'reference'} is {ref_doc.lang}: score a rendering "
                        "against a reference in the same language")
    lang = ref_doc.lang
    pairs = pair_units(ref_doc, hyp_doc, kinds or TEXT_KINDS)
    scored = [p for p in pairs if p.src is not None]
    if not scored:
        raise UserError(f"{ref_name or 'reference'}: no units to score")
    missing = [p.id for p in scored if p.tgt is None]
    extra_ids = [p.id for p in pairs if p.src is None]
    warnings = []
    if missing:
        warnings.append(f"{len(missing)} reference unit(s) missing from the hypothesis, "
                        f"scored as empty: {', '.join(missing[:10])}"
                        + (" ..." if len(missing) > 10 else ""))
    if extra_ids:
        warnings.append(f"{len(extra_ids)} hypothesis unit(s) with no reference, not scored: "
                        f"{', '.join(extra_ids[:10])}")
    hyps = [p.tgt_text for p in scored]
    refs = [p.src_text for p in scored]
    extra = {"unit": "id", "n": len(scored)}
    corpus: list[Score] = []
    rows: list[dict[str, float]] = [{} for _ in scored]
    sigs: dict[str, str] = {}
    for name in metrics:
        score, seg, sig = score_metric(name, hyps, refs, lang, zh_norm, per_segment, extra,
                                       {"unit": "id"}, progress)
        if progress:
            progress(label(name, lang), len(hyps), len(hyps))
        corpus.append(score)
        if per_segment:
            sigs[name] = sig
            for row, v in zip(rows, seg):
                row[name] = v
    segments: list[SegmentScores] = []
    if per_segment:
        for p, row in zip(scored, rows):
            segments.append(SegmentScores(p.id, p.kind, row, "ok" if p.tgt else "missing"))
        segments.extend(SegmentScores(p.id, p.kind, {}, "extra") for p in pairs if p.src is None)
    return ScoreReport(hyp_name, ref_name, lang, corpus, segments, sigs, warnings)
