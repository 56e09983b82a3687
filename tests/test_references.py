"""The project's reference renderings (en, zh, pt): same structure, same numbers."""

from __future__ import annotations

import re
import tomllib

import pytest

from celac_i18n.corpus.refs import load
from celac_i18n.parse.numerals import ZH_NUMERAL_CHARS, zh_to_int
from conftest import CORPUS

LANGS = ["en", "zh", "pt"]

_SCALE = {"millones": 10**6, "millón": 10**6, "million": 10**6, "milhões": 10**6,
          "milhão": 10**6, "万": 10**4, "亿": 10**8}
_NUM = re.compile(r"(\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?)\s*(millones|millón|millions?|milhões|"
                  r"milhão|万|亿)?")
_ZH_NUM = re.compile(rf"[{ZH_NUMERAL_CHARS}]{{2,}}")


def numbers(text: str) -> set[int]:
    """Numeric values in a text: thousands separators dropped, scale words applied.

    COVID-19 is a name, not a number (the Chinese rendering says 新冠).
    """
    text = re.sub(r"COVID-19", " ", text)
    out: set[int] = set()
    for m in _NUM.finditer(text):
        raw = re.sub(r"[.,\s](?=\d{3}\b)", "", m.group(1))
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            continue
        scale = _SCALE.get((m.group(2) or "").rstrip("s"), _SCALE.get(m.group(2) or "", 1))
        out.add(int(value * scale))
    for m in _ZH_NUM.finditer(text):
        v = zh_to_int(m.group())
        if v and v > 10:
            out.add(v)
    return out


@pytest.fixture(scope="module")
def renderings():
    return {lang: load(f"2022-2024:{lang}:reference") for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_same_structure_as_spanish(es_doc, renderings, lang):
    doc = renderings[lang]
    for kind, n in (("clause", 112), ("section", 16), ("chapter", 7), ("preamble", 2),
                    ("title", 1)):
        assert [u.id for u in doc.of_kind(kind)] == [u.id for u in es_doc.of_kind(kind)]
        assert len(doc.of_kind(kind)) == n
    assert doc.warnings == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_spanish_number_is_in_the_rendering(es_doc, renderings, lang):
    doc = renderings[lang]
    missing = {}
    for u in es_doc.clauses():
        lost = numbers(u.text) - numbers(doc[u.id].text)
        if lost:
            missing[u.id] = sorted(lost)
    assert missing == {}


def test_number_normalisation():
    assert numbers("5000 becas y 3000 plazas") == {5000, 3000}
    assert numbers("5,000 scholarships") == {5000} == numbers("5.000 bolsas")
    assert numbers("2 millones de dólares") == {2_000_000} == numbers("200万美元")
    assert numbers("US$2 million") == {2_000_000} == numbers("US$ 2 milhões")
    assert numbers("Resolución 1540 (2004)") == {1540, 2004}
    assert numbers("二〇二二年") == {2022}


def test_layouts_follow_each_language(renderings):
    zh = renderings["zh"]
    assert zh.title.startswith("中国—拉共体") and zh.title.endswith("（2022—2024年）")
    assert zh["I"].number == "一、" and zh["II.1"].number == "（一）"
    assert zh["II.2.3"].number == "3．"               # items restart in each section
    en, pt = renderings["en"], renderings["pt"]
    assert en["II.2.1"].number == "2.1" and pt["II.2.1"].number == "2.1."
    assert pt.title == "Plano de Ação Conjunto China-CELAC para a Cooperação em Áreas-Chave (2022-2024)"
    assert "Belt and Road Initiative" in en["III.1"].text
    assert "“一带一路”倡议" in zh["III.1"].text
    assert "联合国安理会第1373号决议" in zh["I.3"].text
    assert "Small Island Developing States" in en["II.2.2"].text


def test_manifest_labels_renderings_as_unofficial():
    m = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    refs = [d for d in m["document"] if d["kind"] == "reference"]
    assert {d["lang"] for d in refs} == set(LANGS)
    for d in refs:
        assert d["translator"] == "celac-i18n project"
        assert "UNOFFICIAL" in d["notes"] and "NOT the official" in d["notes"]


def test_termbase_terms_exist_in_spanish(es_text):
    from celac_i18n.termbase import load_termbase

    flat = " ".join(es_text.split()).lower()
    terms = load_termbase()
    assert len(terms) >= 40
    assert len({t.id for t in terms}) == len(terms)
    for t in terms:
        assert all(t.terms[lang] for lang in ("es", "en", "zh", "pt")), t.id
        assert t.terms["es"].lower() in flat, t.id
    by_id = {t.id: t for t in terms}
    assert "拉美和加勒比国家共同体" in by_id["celac"].forms("zh")
