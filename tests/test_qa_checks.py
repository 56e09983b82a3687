"""Every QA check: a passing and a failing case on small synthetic clause pairs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from celac_i18n.model import Document, Provenance, Unit
from celac_i18n.parse.sentences import split_sentences
from celac_i18n.qa import run_qa
from celac_i18n.qa.numbers import extract
from celac_i18n.qa.registry import CHECKS, get_check, parse_checks
from celac_i18n.errors import UserError


def doc(lang, units: dict[str, str]) -> Document:
    us = [Unit(uid, "clause", uid, "", text, split_sentences(text, lang), None, i + 1)
          for i, (uid, text) in enumerate(units.items())]
    return Document(lang, us, Provenance(source="test"))


def findings(check, src_lang, src, tgt_lang, tgt, **kw):
    s = doc(src_lang, src if isinstance(src, dict) else {"c1": src})
    t = doc(tgt_lang, tgt if isinstance(tgt, dict) else {"c1": tgt})
    return run_qa(s, t, [check], **kw).findings


# --- numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize("src,tgt_lang,tgt", [
    ("Se otorgarán 1.000 becas.", "en", "1,000 scholarships will be granted."),
    ("Se otorgarán 5000 becas.", "zh", "将提供五千个奖学金名额。"),
    ("Se otorgarán 5.000 becas.", "zh", "将提供5000个奖学金名额。"),
    ("Un monto de 1.000,5 dólares.", "en", "An amount of 1,000.5 dollars."),
    ("Un monto de 1.000,5 dólares.", "pt", "Um montante de 1 000,5 dólares."),
    ("Asignar 2 millones de dólares.", "zh", "拨付200万美元。"),
    ("Asignar 2 millones de dólares.", "en", "Allocate US$2 million."),
    ("El plan (2022-2024) se adoptó.", "zh", "计划（2022—2024年）已通过。"),
    ("Entre 2022 y 2024 se harán.", "zh", "2022年至2024年将举办。"),
    ("La Resolución 1540 (2004) del Consejo.", "zh", "安理会第1540（2004）号决议。"),
    ("Se celebró el 3 de diciembre de 2021.", "zh", "于2021年12月3日举行。"),
    ("Un aumento del 50 % del comercio.", "zh", "贸易增长百分之五十。"),
    ("El año dos mil veintidós.", "zh", "二〇二二年。"),
])
def test_numbers_pass(src, tgt_lang, tgt):
    assert [f.message for f in findings("numbers", "es", src, tgt_lang, tgt)
            if f.severity == "critical"] == []


@pytest.mark.parametrize("src,tgt_lang,tgt,missing", [
    ("Se otorgarán 5000 becas.", "en", "500 scholarships will be granted.", "5000"),
    ("Se otorgarán 5.000 becas.", "zh", "将提供五百个奖学金名额。", "5.000"),
    ("La Resolución 1373 del Consejo.", "en", "Security Council Resolution 1337.", "1373"),
    ("Asignar 2 millones de dólares.", "zh", "拨付20万美元。", "2 millones"),
    ("El plan (2022-2024).", "en", "The plan (2022-2025).", "2024"),
])
def test_numbers_fail(src, tgt_lang, tgt, missing):
    fs = findings("numbers", "es", src, tgt_lang, tgt)
    assert any(f.severity == "critical" and missing in f.message for f in fs)
    # the span points at the source number
    f = next(f for f in fs if f.src_spans)
    s, e = f.src_spans[0]
    assert src[s:e].strip() == f.src


@pytest.mark.parametrize("src_lang,src,tgt_lang,tgt", [
    # a scale word is checked: the bare number does not match the scaled amount
    ("es", "Un fondo de 2 billones.", "en", "A fund of 2 billion."),
    ("es", "Aportar 10 millones de dólares.", "en", "Contribute 10 dollars."),
    ("es", "Aportar 10 millones de dólares.", "en", "Contribute 10 billion dollars."),
    ("es", "Aportar 10 millones.", "zh", "提供10万。"),
    ("es", "Aportar 1.000 millones.", "en", "Contribute 1 million."),
    # 5.000 in Spanish is five thousand, never five
    ("es", "Se otorgarán 5.000 becas.", "en", "5 scholarships will be granted."),
])
def test_numbers_scale_words_and_separator_conventions_fail(src_lang, src, tgt_lang, tgt):
    fs = findings("numbers", src_lang, src, tgt_lang, tgt)
    assert any(f.severity == "critical" for f in fs), [f.message for f in fs]


@pytest.mark.parametrize("a,b", [
    (("es", "Se otorgarán 1.000 becas."), ("en", "1,000 scholarships will be granted.")),
    (("es", "Se otorgarán 5000 becas."), ("en", "5,000 scholarships will be granted.")),
    (("en", "5,000 scholarships will be granted."), ("pt", "Serão concedidas 5.000 bolsas.")),
    (("pt", "Serão concedidas 5.000 bolsas."), ("zh", "将提供5000个奖学金名额。")),
    (("es", "Asignar 2 millones de dólares."), ("pt", "Alocar US$ 2 milhões.")),
    (("en", "Allocate US$2 million."), ("zh", "拨付200万美元。")),
    (("en", "An amount of 1,000.5 dollars."), ("pt", "Um montante de 1 000,5 dólares.")),
    (("zh", "将提供五千个奖学金名额。"), ("en", "5000 scholarships.")),
])
def test_numbers_locale_conventions_pass_both_ways(a, b):
    for (sl, s), (tl, t) in ((a, b), (b, a)):
        assert [f.message for f in findings("numbers", sl, s, tl, t)
                if f.severity == "critical"] == []


def test_numbers_against_the_convention_keeps_both_readings():
    # 5.000 in an English text may be 5000 or 5.0; 5.000 vs 500 still fails
    (n,) = extract("x 5.000 y", "en")[0]
    assert n.values == {5000.0, 5.0}
    (n,) = extract("x 5.000 y", "es")[0]
    assert n.values == {5000.0}
    fs = findings("numbers", "en", "5.000 grants.", "es", "500 becas.")
    assert any(f.severity == "critical" for f in fs)


def test_numbers_extra_target_number_fails():
    fs = findings("numbers", "es", "Promover el comercio.", "en", "Promote trade by 30%.")
    assert [f.severity for f in fs] == ["critical"] and "30" in fs[0].message


def test_numbers_code_kept_or_rendered():
    assert findings("numbers", "es", "La pandemia de COVID-19.", "zh", "新冠肺炎疫情。") == []
    fs = findings("numbers", "es", "Redes 5G y más.", "en", "Networks and more.")
    assert [(f.severity, f.src) for f in fs] == [("functional", "5G")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.sampled_from(["es", "en", "pt", "zh"]))
def test_extract_never_crashes_and_spans_are_inside(text, lang):
    nums, codes = extract(text, lang)
    for n in nums:
        assert 0 <= n.span[0] <= n.span[1] <= len(text)
        assert n.values
    for _, (s, e) in codes:
        assert 0 <= s < e <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_extract_reads_every_locale_format(n):
    es = f"{n:,}".replace(",", ".")
    en = f"{n:,}"
    for text, lang in ((es, "es"), (en, "en"), (str(n), "zh")):
        (num,) = extract(f"x {text} y", lang)[0]
        assert float(n) in num.values


# --- acronyms and terms --------------------------------------------------------------

def test_acronym_mapped_through_termbase():
    src = "Los Objetivos de Desarrollo Sostenible (ODS) y la ONU."
    assert findings("acronyms", "es", src, "en",
                    "The Sustainable Development Goals (SDGs) and the UN.") == []
    fs = findings("acronyms", "es", src, "en",
                  "The Sustainable Development Goals (ODS) and the United Nations.")
    assert [(f.src, f.severity) for f in fs] == [("ODS", "functional")]
    assert "copied unchanged" in fs[0].message


def test_unknown_acronym_must_be_kept():
    assert findings("acronyms", "es", "Con la OPANAL y la XYZW.", "en",
                    "With OPANAL and XYZW.") == []
    fs = findings("acronyms", "es", "Con la XYZW.", "en", "With the agency.")
    assert [f.src for f in fs] == ["XYZW"]
    fs = findings("acronyms", "es", "Con la XYZW.", "zh", "与该机构。")
    assert [f.severity for f in fs] == ["cosmetic"]      # zh renders names: a weak signal


def test_terms_pass_and_fail():
    src = "Fortalecer la seguridad alimentaria y la cooperación Sur-Sur y triangular."
    assert findings("terms", "es", src, "en", "Strengthen food security and "
                    "South-South and triangular cooperation.") == []
    fs = findings("terms", "es", src, "en", "Strengthen food safety and "
                  "South-South and triangular cooperation.")
    assert [(f.severity, f.src) for f in fs] == [("functional", "seguridad alimentaria")]
    assert fs[0].src_spans and src[slice(*fs[0].src_spans[0])] == "seguridad alimentaria"


def test_terms_tolerate_spaced_hyphens_articles_and_zh_dashes():
    assert findings("terms", "es", "El Foro China - CELAC y las Partes.", "pt",
                    "O Fórum China-CELAC e das Partes.") == []
    assert findings("terms", "es", "El Foro China - CELAC.", "zh", "中国—拉共体论坛。") == []


# --- untranslated ---------------------------------------------------------------------

def test_untranslated_pass_and_fail():
    src = "Fortalecer la cooperación en los campos de la energía. Promover el comercio entre las Partes."
    assert findings("untranslated", "es", src, "en", "Strengthen cooperation in the field "
                    "of energy. Promote trade between the Parties.") == []
    fs = findings("untranslated", "es", src, "en", "Strengthen cooperation in the field of "
                  "energy. Promover el comercio entre las Partes y los pueblos.")
    assert [f.severity for f in fs] == ["critical"]
    s, e = fs[0].tgt_spans[0]
    assert "Promover" in "Strengthen cooperation in the field of energy. Promover el comercio "\
        "entre las Partes y los pueblos."[s:e]


def test_untranslated_identical_and_latin_run_in_zh():
    src = "Promover el comercio entre las Partes."
    assert [f.message for f in findings("untranslated", "es", src, "pt", src)] == \
        ["target is identical to the source"]
    fs = findings("untranslated", "es", "Promover el comercio y la inversión entre las Partes.",
                  "zh", "促进 el comercio y la inversión 双方。")
    assert [f.severity for f in fs] == ["critical"]
    assert findings("untranslated", "es", "Promover la inversión.", "zh", "促进投资。") == []


def test_untranslated_chinese_left_in_a_latin_target():
    src = "双方将扩大贸易规模。双方将加强政策交流。"
    tgt = "Both sides will expand trade. 双方将加强政策交流。"
    fs = findings("untranslated", "zh", src, "en", tgt)
    assert [f.severity for f in fs] == ["critical"]
    s, e = fs[0].tgt_spans[0]
    assert tgt[s:e] == "双方将加强政策交流"
    assert findings("untranslated", "zh", src, "en",
                    "Both sides will expand trade. Both sides will strengthen policy "
                    "exchanges.") == []
    # a Chinese name quoted in the target but not taken from the source is not flagged
    assert findings("untranslated", "zh", src, "pt",
                    "A parte chinesa (中方) ampliará o comércio. Reforçarão o intercâmbio.") == []


def test_untranslated_spares_kept_names():
    # one English name kept in a pt sentence is not a sentence left in English
    assert findings("untranslated", "es", "Apoyar la Brightness Action en la región.", "pt",
                    "Apoiar a Brightness Action na região.") == []


# --- omissions ------------------------------------------------------------------------

def _many(lang, n, text):
    return {f"c{i}": text for i in range(n)}


def test_omissions_length_outlier_and_missing_unit():
    es_text = "Fortalecer la cooperación en materia de comercio e inversión entre las Partes."
    en_text = "Strengthen cooperation in trade and investment between the Parties."
    src = _many("es", 12, es_text)
    tgt = dict(_many("en", 12, en_text))
    assert findings("omissions", "es", src, "en", tgt) == []
    tgt["c3"] = "Strengthen cooperation."             # most of the clause dropped
    del tgt["c7"]
    fs = findings("omissions", "es", src, "en", tgt)
    got = {(f.id, f.severity) for f in fs}
    assert ("c3", "functional") in got and ("c7", "critical") in got
    assert len(fs) == 2


def test_omissions_sentence_count_is_cosmetic():
    src = {"c1": "Fortalecer la cooperación en materia de comercio, inversión y finanzas entre las Partes."}
    tgt = {"c1": "Strengthen cooperation between the Parties. This covers trade, investment and finance."}
    fs = findings("omissions", "es", src, "en", tgt)
    assert [(f.severity, f.message) for f in fs] == [("cosmetic", "1 sentence(s) in the source, 2 in the target")]


def test_omissions_added_unit():
    fs = findings("omissions", "es", {"c1": "Uno dos tres."}, "en",
                  {"c1": "One two three.", "c2": "An extra clause."})
    assert [(f.id, f.severity) for f in fs] == [("c2", "functional")]


# --- consistency ------------------------------------------------------------------------

def test_consistency():
    src = {"c1": "Promover el comercio electrónico entre las Partes.",
           "c2": "Promover el comercio electrónico entre las Partes."}
    same = {"c1": "Promote e-commerce between the Parties.",
            "c2": "Promote e-commerce between the Parties."}
    assert findings("consistency", "es", src, "en", same) == []
    diff = dict(same, c2="Foster electronic commerce among the Parties.")
    fs = findings("consistency", "es", src, "en", diff)
    assert ("c2", "functional") in {(f.id, f.severity) for f in fs}
    merged = {"c1": "Promover el comercio electrónico entre las Partes.",
              "c2": "Fomentar el comercio electrónico entre las Partes."}
    fs = findings("consistency", "es", merged, "en", same)
    assert [(f.id, f.severity) for f in fs] == [("c2", "cosmetic")]


# --- punctuation ------------------------------------------------------------------------

@pytest.mark.parametrize("tgt_lang,tgt,expect", [
    ("en", "Promote  trade.", "double space"),
    ("en", "Promote trade (and investment.", "unbalanced ()"),
    ("en", "Promote trade , investment.", "space before ','"),
    ("zh", "促进贸易,投资。", "half-width ',' in Chinese text"),
    ("zh", "促进《贸易。", "unbalanced 《》"),
    ("es", "¿Promover el comercio.", "¿ and ? do not pair up"),
    ("en", "Promote trade", "sentence-final full stop missing"),
])
def test_punctuation_fail(tgt_lang, tgt, expect):
    fs = findings("punctuation", "es", "Promover el comercio.", tgt_lang, tgt)
    assert expect in [f.message for f in fs]
    assert all(f.severity == "cosmetic" for f in fs)


@pytest.mark.parametrize("tgt_lang,tgt", [
    ("en", "Promote trade (and investment) worth 1,000.5 dollars."),
    ("zh", "促进贸易（和投资），金额1,000.5美元。"),
    ("es", "¿Promover el comercio? ¡Sí!"),
])
def test_punctuation_pass(tgt_lang, tgt):
    assert findings("punctuation", "es", "Promover el comercio.", tgt_lang, tgt) == []


# --- registry and runner ----------------------------------------------------------------

def test_registry_every_check_documented():
    for name in CHECKS:
        c = get_check(name)
        assert c.id == name
        assert c.severity in ("critical", "functional", "cosmetic")
        assert "false positive" in (type(c).__doc__ or "").lower()


def test_parse_checks():
    assert parse_checks(None) == list(CHECKS)
    assert parse_checks("numbers,terms") == ["numbers", "terms"]
    assert "punctuation" not in parse_checks("-punctuation")
    with pytest.raises(UserError):
        parse_checks("numbers,bogus")
    with pytest.raises(UserError):
        parse_checks("-bogus")


def test_severity_filter():
    s = doc("es", {"c1": "Se otorgarán 5000 becas."})
    t = doc("en", {"c1": "500 scholarships  will be granted"})
    all_f = run_qa(s, t).findings
    crit = run_qa(s, t, min_severity="critical").findings
    assert {f.severity for f in all_f} > {"critical"}
    assert crit and {f.severity for f in crit} == {"critical"}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=120), st.text(max_size=120), st.sampled_from(["en", "zh", "pt"]))
def test_checks_never_crash_on_arbitrary_text(src, tgt, lang):
    s = doc("es", {"c1": src or "x"})
    t = doc(lang, {"c1": tgt or "y"})
    for f in run_qa(s, t).findings:
        for a, b in f.tgt_spans:
            assert 0 <= a <= b <= len(t["c1"].text)
        for a, b in f.src_spans:
            assert 0 <= a <= b <= len(s["c1"].text)
