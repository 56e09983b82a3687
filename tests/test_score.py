"""Scores: ours equal sacrebleu's own on the same segments; signatures; pairing; the
Chinese punctuation normalisation (sacrebleu issue #298); paired significance."""

from __future__ import annotations

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.tokenizers import tokenizer_zh

from celac_i18n import __version__
from celac_i18n.corpus.refs import load
from celac_i18n.errors import UserError
from celac_i18n.model import Document, Provenance, Unit
from celac_i18n.score.metrics import (corpus_scores, normalise_zh_punct, score_documents,
                                      sentence_scores)
from celac_i18n.score.significance import paired_test

EN_REFS = ["Strengthen high-level contacts between the Parties.",
           "Promote trade, investment and the orderly flow of people.",
           "Hold the China-CELAC Forum in 2024 on its tenth anniversary."]
EN_HYPS = ["Strengthen the high level contacts between Parties.",
           "Promote trade and investment and orderly flows of persons.",
           "Hold a China-CELAC Forum in 2024 for its 10th anniversary."]
ZH_REFS = ["加强双方领导人和代表在多边论坛上的高层接触与会晤。",
           "探讨于2024年中国拉共体论坛成立十周年之际举行峰会的可能性。"]
ZH_HYPS = ["加强双方领导人在多边论坛上的高层接触。",
           "探讨2024年论坛成立十周年时举行峰会的可能性。"]


def doc(lang, texts, ids=None):
    ids = ids or [f"I.{i + 1}" for i in range(len(texts))]
    return Document(lang, [Unit(i, "clause", i, "", t, [t]) for i, t in zip(ids, texts)],
                    Provenance(source="test"))


def by(scores):
    return {s.metric: s for s in scores}


def test_corpus_scores_equal_sacrebleu_en():
    ours = by(corpus_scores(EN_HYPS, EN_REFS, "en"))
    assert ours["bleu"].score == pytest.approx(sacrebleu.corpus_bleu(EN_HYPS, [EN_REFS]).score)
    assert ours["chrf"].score == pytest.approx(
        sacrebleu.corpus_chrf(EN_HYPS, [EN_REFS], word_order=2).score)
    assert ours["ter"].score == pytest.approx(sacrebleu.corpus_ter(EN_HYPS, [EN_REFS]).score)


def test_corpus_scores_equal_sacrebleu_zh():
    # no #298 characters in these segments: normalisation is the identity
    assert [normalise_zh_punct(s) for s in ZH_REFS] == ZH_REFS
    ours = by(corpus_scores(ZH_HYPS, ZH_REFS, "zh"))
    assert ours["bleu"].score == pytest.approx(
        sacrebleu.corpus_bleu(ZH_HYPS, [ZH_REFS], tokenize="zh").score)
    assert ours["ter"].score == pytest.approx(
        TER(asian_support=True, normalized=True).corpus_score(ZH_HYPS, [ZH_REFS]).score)
    # zh has no whitespace words: plain chrF (nw:0), not chrF++
    assert ours["chrf"].score == pytest.approx(CHRF(word_order=0).corpus_score(ZH_HYPS, [ZH_REFS]).score)
    # and the tokenizer matters: 13a sees each Chinese clause as one word
    assert ours["bleu"].score > 20 > sacrebleu.corpus_bleu(ZH_HYPS, [ZH_REFS]).score


def test_sentence_scores_equal_sacrebleu():
    rows, sigs = sentence_scores(EN_HYPS, EN_REFS, "en")
    for row, h, r in zip(rows, EN_HYPS, EN_REFS):
        assert row["bleu"] == pytest.approx(BLEU(effective_order=True).sentence_score(h, [r]).score)
        assert row["chrf"] == pytest.approx(CHRF(word_order=2).sentence_score(h, [r]).score)
        assert row["ter"] == pytest.approx(TER().sentence_score(h, [r]).score)
    assert "eff:yes" in sigs["bleu"]


def test_signatures():
    s = by(corpus_scores(ZH_HYPS, ZH_REFS, "zh"))
    assert s["bleu"].signature.startswith(f"celac-i18n:{__version__}|metric:BLEU|")
    assert "tok:zh" in s["bleu"].signature and "norm:zh-punct" in s["bleu"].signature
    assert "asian:yes" in s["ter"].signature and "norm:yes" in s["ter"].signature
    assert "nw:0" in s["chrf"].signature and "metric:chrF2|" in s["chrf"].signature
    assert s["chrf"].record()["metric"] == "chrF2"           # not chrF++ on zh
    assert "norm:zh-punct" not in s["chrf"].signature        # chrF is not normalised
    raw = by(corpus_scores(ZH_HYPS, ZH_REFS, "zh", zh_norm=False))
    assert "norm:zh-punct" not in raw["bleu"].signature
    en = by(corpus_scores(EN_HYPS, EN_REFS, "en"))
    assert "nw:2" in en["chrf"].signature and en["chrf"].record()["metric"] == "chrF2++"
    assert "tok:13a" in en["bleu"].signature and "zh-punct" not in en["bleu"].signature


def test_zh_norm_makes_bleu_independent_of_sacrebleu_issue_298(monkeypatch):
    refs = ["计划（2022—2024年）和“一带一路”倡议……", "中国—拉共体论坛（2022—2024）"]
    hyps = ["计划（2022-2024年）和\"一带一路\"倡议...", "中国-拉共体论坛（2022-2024）"]

    def bleu(ranges, norm):
        monkeypatch.setattr(tokenizer_zh, "_UCODE_RANGES", ranges)
        tokenizer_zh.TokenizerZh._is_chinese_char.cache_clear()
        return by(corpus_scores(hyps, refs, "zh", ("bleu",), zh_norm=norm))["bleu"].score

    stock = list(tokenizer_zh._UCODE_RANGES)
    fixed = [r for r in stock if len(r[0]) == 1] + [("\U00020000", "\U0002A6D6")]
    try:
        assert bleu(stock, True) == pytest.approx(bleu(fixed, True))
        assert bleu(stock, False) != pytest.approx(bleu(fixed, False))  # what #298 does
        assert bleu(stock, True) == pytest.approx(100.0)  # — vs -, “” vs "" no longer cost
    finally:
        tokenizer_zh.TokenizerZh._is_chinese_char.cache_clear()


def test_score_documents_pairs_by_id_and_penalises_missing():
    ref = doc("en", EN_REFS)
    full = score_documents(doc("en", EN_HYPS), ref, per_segment=True)
    # same segments in another order, ids kept: same scores
    shuffled = doc("en", EN_HYPS[::-1], ids=["I.3", "I.2", "I.1"])
    assert by(score_documents(shuffled, ref).corpus)["bleu"].score == \
        pytest.approx(by(full.corpus)["bleu"].score)
    assert [s.id for s in full.segments] == ["I.1", "I.2", "I.3"]
    partial = score_documents(doc("en", EN_HYPS[:2]), ref, per_segment=True)
    assert by(partial.corpus)["bleu"].score < by(full.corpus)["bleu"].score
    assert partial.segments[2].status == "missing" and partial.segments[2].scores["bleu"] == 0
    assert "missing from the hypothesis" in partial.warnings[0]
    extra = score_documents(doc("en", EN_HYPS + ["More."]), ref, per_segment=True)
    assert extra.segments[-1].status == "extra"


def test_score_documents_language_mismatch():
    with pytest.raises(UserError, match="same language"):
        score_documents(doc("zh", ZH_HYPS), doc("en", EN_REFS))


def test_reference_against_itself_is_perfect():
    zh = load("2022-2024:zh:reference")
    rep = score_documents(zh, zh)
    s = by(rep.corpus)
    assert s["bleu"].score == pytest.approx(100) and s["ter"].score == pytest.approx(0)
    assert "|n:138" in s["bleu"].signature


def test_paired_test():
    refs = EN_REFS * 4
    good = refs
    bad = EN_HYPS * 4
    comps = {c.metric: c for c in paired_test(bad, good, refs, "en", n_bootstrap=200, n_ar=200)}
    bleu = comps["bleu"]
    assert bleu.sys2 == pytest.approx(100) and bleu.sys1 < 60
    assert 0 < bleu.p_bootstrap <= 0.05 and 0 < bleu.p_ar <= 0.05
    assert bleu.sys1_ci > 0 and bleu.sys2_ci == pytest.approx(0)
    assert "bs:200" in bleu.signature and "seed:" in bleu.signature
    assert comps["ter"].delta < 0
    # as many segments made better as made worse: no significant difference
    close = list(bad)
    close[0], close[5] = refs[0], refs[5]
    close[4], close[8] = "Promote trade.", "Hold forum."
    c = paired_test(bad, close, refs, "en", ("chrf",), n_bootstrap=200, n_ar=200)[0]
    assert c.delta != 0 and c.p_ar > 0.05 and c.p_bootstrap > 0.05


def test_document_clause_scores_equal_sacrebleu_sentence_scores():
    # the per-clause path reuses segment statistics; it must equal sentence_score
    rep = score_documents(doc("en", EN_HYPS), doc("en", EN_REFS), per_segment=True)
    for seg, h, r in zip(rep.segments, EN_HYPS, EN_REFS):
        assert seg.scores["ter"] == pytest.approx(TER().sentence_score(h, [r]).score)
        assert seg.scores["chrf"] == pytest.approx(CHRF(word_order=2).sentence_score(h, [r]).score)
        assert seg.scores["bleu"] == pytest.approx(
            BLEU(effective_order=True).sentence_score(h, [r]).score)
    zh = score_documents(doc("zh", ZH_HYPS), doc("zh", ZH_REFS), per_segment=True)
    for seg, h, r in zip(zh.segments, ZH_HYPS, ZH_REFS):
        assert seg.scores["ter"] == pytest.approx(
            TER(asian_support=True, normalized=True).sentence_score(h, [r]).score)
    assert "asian:yes" in zh.sentence_signatures["ter"]
    for seg, h, r in zip(zh.segments, ZH_HYPS, ZH_REFS):
        assert seg.scores["chrf"] == pytest.approx(CHRF(word_order=0).sentence_score(h, [r]).score)


def test_zh_chrf_does_not_punish_unsegmented_text():
    # one character dropped from a Chinese clause: chrF++ word n-grams see the whole
    # clause as one (missed) "word", so it fell far below the character-level score
    ref, hyp = "双方将继续加强政策交流与经贸合作。", "双方将继续加强政策交流与经合作。"
    zh = by(corpus_scores([hyp], [ref], "zh", ("chrf",)))["chrf"]
    assert zh.score == pytest.approx(CHRF(word_order=0).corpus_score([hyp], [[ref]]).score)
    assert zh.score > 75 > CHRF(word_order=2).corpus_score([hyp], [[ref]]).score


from hypothesis import given, settings, strategies as st  # noqa: E402

from celac_i18n.score.pairing import pair_units  # noqa: E402


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["I.1", "I.2", "I.3", "II.1", "II.2", "III.4"]), unique=True),
       st.lists(st.sampled_from(["I.1", "I.2", "I.3", "II.1", "II.2", "III.5"]), unique=True))
def test_pairing_keeps_every_unit_once(src_ids, tgt_ids):
    src = doc("es", [f"s {i}" for i in src_ids], ids=src_ids or None) if src_ids else \
        Document("es", [], Provenance(source="t"))
    tgt = doc("en", [f"t {i}" for i in tgt_ids], ids=tgt_ids or None) if tgt_ids else \
        Document("en", [], Provenance(source="t"))
    pairs = pair_units(src, tgt)
    assert [p.src.id for p in pairs if p.src] == src_ids
    assert sorted(p.tgt.id for p in pairs if p.tgt) == sorted(tgt_ids)
    assert all(p.src is None or p.tgt is None or p.src.id == p.tgt.id for p in pairs)
    assert len(pairs) == len(set(src_ids) | set(tgt_ids))


def test_compare_documents_pairs_on_the_reference_and_warns_about_extras():
    from celac_i18n.score.significance import compare_documents

    ref = doc("en", EN_REFS * 4, ids=[f"I.{i}" for i in range(1, 13)])
    sys1 = doc("en", EN_HYPS * 4, ids=[f"I.{i}" for i in range(1, 13)])
    # sys2: the reference minus I.12, in another order, plus a unit the reference lacks
    ids2 = [f"I.{i}" for i in range(11, 0, -1)] + ["IX.1"]
    sys2 = doc("en", (EN_REFS * 4)[:11][::-1] + ["Extra."], ids=ids2)
    comps, n, warnings = compare_documents(sys1, sys2, ref, ("bleu",), 100, 100,
                                           names=("a", "b"))
    assert n == 12
    assert any("b: 1 unit(s) missing" in w and "I.12" in w for w in warnings)
    assert any("b: 1 unit(s) with no reference" in w and "IX.1" in w for w in warnings)
    assert 80 < comps[0].sys2 < 100 and comps[0].sys1 < 60


def test_roundtrip_without_shared_ids_is_a_user_error_not_a_crash():
    from celac_i18n.score.roundtrip import roundtrip

    src = doc("es", ["Fortalecer los contactos."], ["I.1"])
    hyp = doc("en", ["Strengthen contacts."], ["II.9"])
    with pytest.raises(UserError, match="no unit of the rendering"):
        roundtrip(hyp, src, engine="apertium")
