"""QA on the shipped renderings and on mutated copies of them.

The reference renderings must raise no critical finding; every planted mutation (a
number changed, a clause dropped, a term replaced, a sentence left in Spanish) must be
reported at its clause, and nothing else may be critical.
"""

from __future__ import annotations

import pytest

from celac_i18n.corpus.manifest import corpus_dir
from celac_i18n.corpus.refs import load
from celac_i18n.model import Provenance
from celac_i18n.parse import parse
from celac_i18n.qa import run_qa


@pytest.fixture(scope="module")
def es():
    return load("2022-2024:es")


def _text(lang):
    return (corpus_dir() / "2022-2024" / f"{lang}.reference.txt").read_text(encoding="utf-8")


def _doc(text, lang):
    return parse(text, lang, Provenance(source=f"mutated {lang}"), where=f"mutated-{lang}")


def _replace_once(text, old, new):
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@pytest.mark.parametrize("lang", ["en", "zh", "pt"])
def test_reference_renderings_have_no_critical_finding(es, lang):
    report = run_qa(es, load(f"2022-2024:{lang}:reference"))
    critical = [(f.id, f.check, f.message) for f in report.findings if f.severity == "critical"]
    assert critical == []
    assert len(report.pairs) == 138


def _critical_ids(report):
    return {f.id for f in report.findings if f.severity == "critical"}


def test_number_changed_en(es):
    text = _replace_once(_text("en"), "with 5,000 government", "with 500 government")
    report = run_qa(es, _doc(text, "en"))
    hits = [f for f in report.at("IV.4.2") if f.check == "numbers"]
    assert hits and all(f.severity == "critical" for f in hits)
    assert any("5.000" in f.message or "5000" in f.message for f in hits)
    assert _critical_ids(report) == {"IV.4.2"}


def test_number_changed_zh(es):
    text = _replace_once(_text("zh"), "5000个政府奖学金", "500个政府奖学金")
    report = run_qa(es, _doc(text, "zh"))
    assert _critical_ids(report) == {"IV.4.2"}


def test_clause_dropped(es):
    en = _text("en")
    lines = en.splitlines(keepends=True)
    drop = next(i for i, line in enumerate(lines) if line.startswith("3.2 Strengthen policy exchanges"))
    report = run_qa(es, _doc("".join(lines[:drop] + lines[drop + 1:]), "en"))
    hits = [f for f in report.at("II.3.2") if f.check == "omissions"]
    assert hits and hits[0].severity == "critical"
    assert _critical_ids(report) == {"II.3.2"}


def test_term_replaced(es):
    text = _replace_once(_text("en"), "in the area of food security;", "in the area of food safety;")
    base = run_qa(es, load("2022-2024:en:reference"))
    report = run_qa(es, _doc(text, "en"))
    new = [f for f in report.findings if f.check == "terms"
           and (f.id, f.message) not in {(g.id, g.message) for g in base.findings}]
    assert [(f.id, f.severity) for f in new] == [("II.3.2", "functional")]
    assert "food security" in new[0].message
    assert _critical_ids(report) == set()


def test_sentence_left_in_spanish(es):
    en = _text("en")
    # the second sentence of II.1.3 replaced by the Spanish one
    target = es["II.1.3"].sentences[1]
    lines = en.splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.startswith("1.3 Facilitate investment"))
    sents = load("2022-2024:en:reference")["II.1.3"].sentences
    assert sents[1] in lines[i]
    lines[i] = lines[i].replace(sents[1], target)
    report = run_qa(es, _doc("".join(lines), "en"))
    hits = [f for f in report.at("II.1.3") if f.check == "untranslated"]
    assert hits and hits[0].severity == "critical"
    assert _critical_ids(report) == {"II.1.3"}


def test_all_mutations_together_zh(es):
    zh = _text("zh")
    zh = _replace_once(zh, "5000个政府奖学金", "500个政府奖学金")               # IV.4.2
    zh = _replace_once(zh, "联合国安理会第1373号决议", "联合国安理会第1337号决议")  # I.3
    src_sentence = es["I.8"].text
    zh = _replace_once(zh, "在自愿参与的基础上，继续举办中拉高级防务论坛。", src_sentence)  # I.8
    report = run_qa(es, _doc(zh, "zh"))
    assert _critical_ids(report) == {"IV.4.2", "I.3", "I.8"}
    assert {f.check for f in report.at("I.8") if f.severity == "critical"} == {"untranslated"}
