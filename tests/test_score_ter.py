"""Our exact TER (celac_i18n.score.ter) against sacrebleu's, segment by segment.

The statistics (edits, reference length) must be equal for every segment: on the plan's
machine renderings, on a real public text that is not the plan (the UDHR, official es/en
and an apertium rendering), on every test set in tests/, and on generated pairs meant
to reach the corners of sacrebleu's search (empty, identical, all-shifted, long enough
for its beam to cut paths, the 1,000-candidate limit, Chinese with asian support).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sacrebleu.metrics import TER
from sacrebleu.metrics.lib_ter import translation_edit_rate

from celac_i18n.corpus.refs import load
from celac_i18n.score import ter
from celac_i18n.score.pairing import TEXT_KINDS, pair_units
from celac_i18n.score import sacrebleu_compat as sb
from celac_i18n.score.sacrebleu_compat import ExactTER

FIX = Path(__file__).parent / "fixtures" / "score"


def sacrebleu_stats(hyps, refs, zh=False):
    return [tuple(s) for s in sb.segment_statistics(TER(asian_support=zh, normalized=zh),
                                                    hyps, refs)]


def ours(hyps, refs, zh=False):
    return ter.segment_statistics(hyps, refs, normalized=zh, asian_support=zh)


def assert_same(hyps, refs, zh=False):
    expected, got = sacrebleu_stats(hyps, refs, zh), ours(hyps, refs, zh)
    diff = [(i, e, g) for i, (e, g) in enumerate(zip(expected, got)) if tuple(e) != tuple(g)]
    assert not diff, f"{len(diff)} segment(s) differ, first: {diff[:3]}"
    assert len(got) == len(hyps)
    return got


def plan_pairs(lang, kind):
    ref, hyp = load(f"2022-2024:{lang}:reference"), load(f"2022-2024:{lang}:{kind}")
    pairs = [p for p in pair_units(ref, hyp, TEXT_KINDS) if p.src is not None]
    return [p.tgt_text for p in pairs], [p.src_text for p in pairs]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_plan_machine_renderings(lang):
    hyps, refs = plan_pairs(lang, "apertium")
    stats = assert_same(hyps, refs)
    assert len(stats) == 138 and sum(s[0] for s in stats) > 0
    # the other way round too: the reference as hypothesis
    assert_same(refs[::3], hyps[::3])


def test_plan_chinese_with_asian_support():
    zh = load("2022-2024:zh:reference")
    texts = [u.text for u in zh.units if u.kind in TEXT_KINDS]
    short = sorted(texts, key=len)[:40]
    # drop every 5th character; swap the halves of some clauses (long shifts)
    hyps = ["".join(c for i, c in enumerate(t) if i % 5 != 2) for t in short]
    hyps[::4] = [t[len(t) // 2:] + t[:len(t) // 2] for t in short[::4]]
    stats = assert_same(hyps, short, zh=True)
    assert all(s[1] >= len(t.replace(" ", "")) // 2 for s, t in zip(stats, short))  # characters


def udhr():
    with open(FIX / "udhr.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_udhr_official_english_against_apertium():
    rows = udhr()
    assert len(rows) == 37 and rows[-1]["id"] == "30"
    hyps, refs = [r["en_apertium"] for r in rows], [r["en"] for r in rows]
    stats = assert_same(hyps, refs)
    assert 40 < ter.score(stats) < 90          # a weak engine against the UN's English
    assert_same(refs[::3], hyps[::3])


def test_every_test_set_in_tests():
    sys.path.insert(0, str(Path(__file__).parent))
    import test_score

    assert_same(test_score.EN_HYPS, test_score.EN_REFS)
    assert_same(test_score.ZH_HYPS, test_score.ZH_REFS, zh=True)
    assert_same(test_score.EN_HYPS[::-1], test_score.EN_REFS)


def test_what_users_see_is_unchanged():
    """ExactTER is sacrebleu's metric: same scores, signature and paired tests."""
    from sacrebleu.significance import PairedTest

    rows = udhr()[:12]
    sys1, sys2, refs = [r["en_apertium"] for r in rows], [r["en"][:60] for r in rows], \
        [r["en"] for r in rows]
    for zh in (False, True):
        a, b = TER(asian_support=zh, normalized=zh), ExactTER(asian_support=zh, normalized=zh)
        assert str(a.corpus_score(sys1, [refs])) == str(b.corpus_score(sys1, [refs]))
        assert a.get_signature().format() == b.get_signature().format()
        h, r = sys1[3], [refs[3]]
        assert a.sentence_score(h, r).score == b.sentence_score(h, r).score
    for test in ("bs", "ar"):
        results = []
        for m in (TER(), ExactTER()):
            sigs, scores = PairedTest([("a", sys1), ("b", sys2)], {"ter": m}, [refs],
                                      test_type=test, n_samples=200)()
            results.append([repr(x) for x in scores["TER"]])
        assert results[0] == results[1]


def test_several_references_take_the_fewest_edits():
    hyp = ["the cat sat on the mat"]
    refs = [["a cat sat on a mat"], ["the cat is on the mat today"]]
    a, b = TER(), ExactTER()
    # several references: through sacrebleu's public corpus_score (the adapter takes one)
    assert b.corpus_score(hyp, refs).score == a.corpus_score(hyp, refs).score


# -- generated pairs ---------------------------------------------------------------

WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "la", "de", "que", "."]), max_size=40)


def shifted(words, data):
    """The words with a few blocks moved: the case TER's shifts are for."""
    out = list(words)
    for _ in range(data.draw(st.integers(0, 4))):
        if len(out) < 2:
            break
        s = data.draw(st.integers(0, len(out) - 1))
        n = data.draw(st.integers(1, min(12, len(out) - s)))
        block, rest = out[s:s + n], out[:s] + out[s + n:]
        t = data.draw(st.integers(0, len(rest)))
        out = rest[:t] + block + rest[t:]
    return out


@pytest.mark.parametrize("hyp, ref", [([], []), (["a"], []), ([], ["a", "b"]), (["a"], ["a"]),
                                      (["b", "a"], ["a", "b"])])
def test_edge_cases(hyp, ref):
    assert ter.translation_edits(hyp, ref) == translation_edit_rate(hyp, ref)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WORDS, st.data())
def test_generated_word_sequences(ref, data):
    """Small vocabularies make many ties, which the search must break as sacrebleu does."""
    kind = data.draw(st.sampled_from(["random", "shifted", "identical", "rotated"]))
    if kind == "random":
        hyp = data.draw(WORDS)
    elif kind == "shifted":
        hyp = shifted(ref, data)
    elif kind == "identical":
        hyp = list(ref)
    else:
        k = data.draw(st.integers(0, max(len(ref) - 1, 0)))
        hyp = ref[k:] + ref[:k]
    assert ter.translation_edits(hyp, ref) == translation_edit_rate(hyp, ref)


LONG = st.lists(st.sampled_from([str(i) for i in range(30)]), min_size=40, max_size=90)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LONG, st.data())
def test_generated_long_segments_where_the_beam_cuts(ref, data):
    """Long segments of unequal length: distances above the beam's bound, shifts near
    the 50-word limit, and the 1,000-candidate limit (many repeated words)."""
    hyp = shifted(ref, data) if data.draw(st.booleans()) else data.draw(LONG)
    if data.draw(st.booleans()):
        hyp = hyp[:data.draw(st.integers(0, len(hyp)))]
    assert ter.translation_edits(hyp, ref) == translation_edit_rate(hyp, ref)


ZH_TEXT = st.text(st.sampled_from("中国拉共体论坛合作加强双方的和在，。、“”（）2024ab "), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ZH_TEXT, ZH_TEXT, st.booleans())
def test_generated_chinese_with_asian_support(hyp, ref, rotate):
    if rotate:
        hyp = ref[len(ref) // 3:] + ref[:len(ref) // 3]
    assert_same([hyp], [ref], zh=True)


@settings(max_examples=100, deadline=None)
@given(st.text(st.sampled_from("Ab c,.-'s&;:\n 0 1 ¿?é"), max_size=60),
       st.text(st.sampled_from("Ab c,.-'s&;:\n 0 1 ¿?é"), max_size=60))
def test_generated_text_through_the_tokenizer(hyp, ref):
    assert_same([hyp], [ref])
    assert_same([hyp], [ref], zh=True)


def test_band_bound_is_safe():
    """Every distance at or under _safe_distance fits the beam: brute force over
    small shapes (the bound must never claim more than the beam holds)."""
    for n_h in range(1, 70, 3):
        for n_r in range(1, 140, 7):
            band = ter._band(n_h, n_r)
            safe = ter._safe_distance(n_h, n_r, band)
            for i in range(1, n_h + 1):
                lo, hi = band[i]
                for j in range(n_r + 1):
                    need = abs(i - j) + abs((n_h - i) - (n_r - j))
                    if need <= safe:
                        assert lo <= j < hi, (n_h, n_r, i, j, safe)


# -- no process left behind ----------------------------------------------------------

def test_kill_9_of_score_leaves_no_process(tmp_path):
    """`score` runs in its own process only: killed with SIGKILL mid-run, nothing of it
    survives (forked TER workers did, issue 13 case 8)."""
    rows = udhr()

    def lines(column):
        out = []
        for i in range(3000):
            words = rows[i % len(rows)][column].split()
            if column == "en_apertium":        # every hypothesis its own: no repeats
                k = i % len(words)
                words = words[k:k + 3] + words[:k] + words[k + 3:]
            out.append(f"{i + 1}. {' '.join(words)}\n")
        return "".join(out)

    hyp, ref = tmp_path / "hyp.en.txt", tmp_path / "ref.en.txt"
    hyp.write_text(lines("en_apertium"), encoding="utf-8")
    ref.write_text(lines("en"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    # TER only: the step that once ran in forked workers
    p = subprocess.Popen([sys.executable, "-m", "celac_i18n", "score", f"{hyp}@en", f"{ref}@en",
                          "--metrics", "ter", "--format", "json"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, env=env)
    time.sleep(3)
    assert p.poll() is None, "score finished before it could be killed: make the input larger"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    deadline = time.monotonic() + 5
    while True:
        try:
            os.killpg(p.pid, 0)            # anything left in score's process group?
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "processes of the killed score are still alive"
        time.sleep(0.1)


TOKENIZER_TEXT = st.lists(st.sampled_from(
    list("Ab s'S.,-09 \n&;qut") + ["&quot;", "&amp;", "&lt;", "&gt;", "'s", "\n-"]
    + list("{|}~[\\]^_`!\"#$%()*+:<=>?@/") + list("中国论坛㐀㴀ぁあアヵㇰ㈀㌀豈︰、。〈】〔〟｡･・．，？：；！＂（）")
), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(TOKENIZER_TEXT, st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_tokenizer_gives_sacrebleus_tokens(text, normalized, no_punct, asian, case):
    from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer as Theirs

    from celac_i18n.score.ter_tokenizer import TercomTokenizer as Ours

    opts = dict(normalized=normalized, no_punct=no_punct, asian_support=asian,
                case_sensitive=case)
    theirs, ours_ = Theirs(**opts), Ours(**opts)
    assert ours_(text) == theirs(text)
    assert ours_(ours_(text)) == theirs(theirs(text))
    assert ours_.signature() == theirs.signature()
