"""The contract with sacrebleu's private API (celac_i18n/score/sacrebleu_compat.py).

When a sacrebleu release changes one of the private pieces the adapter relies on, these
tests fail naming the piece and what changed, before any score is silently wrong.
Figures are checked on real segments: the 2022-2024 plan's English machine rendering
(apertium) against its English reference, and its Chinese reference with characters
dropped (no Chinese machine rendering ships).
"""

from __future__ import annotations

import inspect

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric

from celac_i18n.corpus.refs import load
from celac_i18n.score import sacrebleu_compat as sb
from celac_i18n.score.metrics import make_metric
from celac_i18n.score.pairing import TEXT_KINDS, pair_units

OWNERS = {"Metric": Metric, "TER": TER}
WHERE = "celac_i18n/score/sacrebleu_compat.py"


def _changed(what: str, detail: str) -> str:
    return (f"sacrebleu {sacrebleu.__version__} changed {what}: {detail}. "
            f"Adapt {WHERE} (and the pin in pyproject.toml) to the new release.")


@pytest.mark.parametrize("member", sorted(sb.PRIVATE_API))
def test_private_members_exist_with_their_parameters(member):
    owner, name = member.split(".")
    expected = sb.PRIVATE_API[member]
    if expected is None:
        # an attribute, set while statistics are extracted (and read by get_signature)
        m = TER()
        sb.segment_statistics(m, ["a b"], ["a b"])
        assert hasattr(m, name), _changed(member, "no longer set by extracting statistics")
        return
    fn = getattr(OWNERS[owner], name, None)
    assert callable(fn), _changed(member, "it is gone")
    found = tuple(inspect.signature(fn).parameters)
    assert found == expected, _changed(member, f"parameters {found}, expected {expected}")


def test_ter_reference_info_is_what_exact_ter_reads():
    info = TER()._extract_reference_info(["The cat, sat."])
    assert isinstance(info, dict) and "ref_words" in info, \
        _changed("TER._extract_reference_info", f"returns {info!r}, no 'ref_words'")
    # lower-cased, split on whitespace (TER's default tokenizer normalises nothing else)
    assert info["ref_words"] == [["the", "cat,", "sat."]], \
        _changed("TER._extract_reference_info", f"ref_words is {info['ref_words']!r}")


def _plan_pairs(n: int = 12):
    hyp, ref = load("2022-2024:en:apertium"), load("2022-2024:en:reference")
    pairs = [p for p in pair_units(ref, hyp, TEXT_KINDS) if p.complete]
    # spread over the plan, short and long clauses; plus an omitted clause (empty
    # hypothesis), which scoring treats as a miss
    step = max(1, len(pairs) // n)
    picked = pairs[::step][:n]
    hyps = [p.tgt_text for p in picked] + [""]
    refs = [p.src_text for p in picked] + [pairs[1].src_text]
    return hyps, refs


def _zh_pairs(n: int = 8):
    ref = load("2022-2024:zh:reference")
    texts = [u.text for u in ref.units if u.text and u.kind in TEXT_KINDS][:n]
    # a real clause with every 7th character dropped: a plausible imperfect rendering
    return ["".join(c for k, c in enumerate(t) if k % 7 != 3) for t in texts], texts


CASES = [  # (lang, ours, sacrebleu's own at corpus level, at sentence level)
    ("en", "bleu", lambda: BLEU(), lambda: BLEU(effective_order=True)),
    ("en", "chrf", lambda: CHRF(word_order=2), lambda: CHRF(word_order=2)),
    ("en", "ter", lambda: TER(), lambda: TER()),
    ("zh", "bleu", lambda: BLEU(tokenize="zh"), lambda: BLEU(tokenize="zh", effective_order=True)),
    ("zh", "chrf", lambda: CHRF(word_order=0), lambda: CHRF(word_order=0)),
    ("zh", "ter", lambda: TER(asian_support=True, normalized=True),
     lambda: TER(asian_support=True, normalized=True)),
]


@pytest.fixture(scope="module")
def segments():
    return {"en": _plan_pairs(), "zh": _zh_pairs()}


@pytest.mark.parametrize("lang,name,corpus_metric,sentence_metric", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_statistics_give_sacrebleus_public_scores(segments, lang, name, corpus_metric,
                                                  sentence_metric):
    hyps, refs = segments[lang]
    ours = make_metric(name, lang)
    stats = sb.segment_statistics(ours, hyps, refs)
    assert len(stats) == len(hyps)
    theirs = corpus_metric()
    expect = theirs.corpus_score(hyps, [refs])
    got = sb.score(ours, stats)
    assert str(got) == str(expect), _changed(
        "Metric._aggregate_and_compute / _extract_corpus_statistics",
        f"{name} ({lang}) corpus score {got} from the statistics, corpus_score says {expect}")
    assert ours.get_signature().format() == theirs.get_signature().format()

    per_segment = make_metric(name, lang, sentence=True) if name == "bleu" else ours
    if per_segment is not ours:
        sb.share_reference_count(ours, per_segment)
    got_seg = sb.segment_scores(per_segment, stats)
    sm = sentence_metric()
    want_seg = [sm.sentence_score(h, [r]).score for h, r in zip(hyps, refs)]
    assert got_seg == want_seg, _changed(
        "Metric._aggregate_and_compute on one row",
        f"{name} ({lang}) segment scores {got_seg} differ from sentence_score {want_seg}")
    assert per_segment.get_signature().format() == sm.get_signature().format(), _changed(
        "Metric.num_refs", "a metric given the reference count signs differently")


def test_exact_ter_plugs_into_the_hook(segments):
    """ExactTER's hook is what corpus_score, sentence_score and paired tests call."""
    hyps, refs = segments["en"]
    m = sb.ExactTER()
    calls = []
    m.on_segment = lambda: calls.append(1)
    m.corpus_score(hyps, [refs])
    assert len(calls) == len(set(zip(hyps, refs))), _changed(
        "Metric._compute_segment_statistics", "corpus_score no longer calls it per segment")
    m.sentence_score(hyps[0], [refs[0]])
    assert len(calls) == len(set(zip(hyps, refs))), "a segment seen before is not searched again"
