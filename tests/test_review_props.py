"""Property tests: any target text survives export → edit → import; any sequence of
decisions and undos adds up to what a simple model of them says."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT
from celac_i18n.review.build import init_workspace
from celac_i18n.review.exchange import XLIFF12, XLIFF20, export_bytes
from celac_i18n.review.importing import import_file

FIX = ROOT / "tests" / "fixtures" / "structure"
# what a translator may type: any text XML 1.0 can hold
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"),
                             blacklist_characters="\ufffe\uffff"), max_size=60)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    d = tmp_path_factory.mktemp("props")
    return init_workspace(d / "p.review", [f"{FIX / 'plan.es.txt'}@es", f"{FIX / 'plan.zh.txt'}@zh"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, fmt=st.sampled_from(["xliff-1.2", "xliff-2.0", "tmx"]))
def test_any_target_text_comes_back_as_an_edit(ws, text, fmt):
    before = ws.states()["I.1"].target(ws.bead("I.1"), "zh")
    root = ET.fromstring(export_bytes(ws, fmt)[0])
    if fmt == "tmx":
        [tu] = [t for t in root.iter("tu") if t.get("tuid") == "I.1"]
        seg = [v for v in tu.iter("tuv") if v.get("{http://www.w3.org/XML/1998/namespace}lang")
               == "zh-CN"][0].find("seg")
    else:
        ns = XLIFF12 if fmt == "xliff-1.2" else XLIFF20
        unit = [u for u in root.iter(f"{{{ns}}}{'trans-unit' if ns == XLIFF12 else 'unit'}")
                if u.get("id") == "I.1"][0]
        seg = next(unit.iter(f"{{{ns}}}target"))
    seg.text = text
    res = import_file(ws, ET.tostring(root, encoding="utf-8"), "prop", "prop")
    from celac_i18n.review.formats import squash as _squash

    if not text.strip() or _squash(text) == _squash(before):
        assert res.edits == 0
    else:
        assert res.edits == 1
        assert ws.states()["I.1"].target(ws.bead("I.1"), "zh") == text.strip()


ACTIONS = st.lists(st.tuples(st.sampled_from(["accept", "reject", "edit", "comment", "undo"]),
                             st.sampled_from(["I.1", "I.2"]), TEXT.filter(str.strip)),
                   max_size=12)


@settings(max_examples=20, deadline=None)
@given(ACTIONS)
def test_decisions_and_undos_add_up(tmp_path_factory, actions):
    ws = init_workspace(tmp_path_factory.mktemp("seq") / "s.review",
                        [f"{FIX / 'plan.es.txt'}@es", f"{FIX / 'plan.zh.txt'}@zh"])
    live: dict[str, list] = {"I.1": [], "I.2": []}      # the model: a stack per bead
    for action, key, text in actions:
        if action == "undo":
            if not live[key]:
                continue
            live[key].pop()
        else:
            live[key].append((action, text))
        ws.decide(key, action, "p", lang="zh" if action == "edit" else None,
                  text=text if action in ("edit", "comment") else None)
    states = ws.states()
    for key, stack in live.items():
        st_ = states[key]
        verdicts = [a for a, _ in stack if a in ("accept", "reject")]
        edits = [t for a, t in stack if a == "edit"]
        assert st_.verdict == (verdicts[-1] if verdicts else None)
        assert st_.target(ws.bead(key), "zh") == (edits[-1] if edits else ws.bead(key).texts["zh"])
        assert [c["text"] for c in st_.comments] == [t for a, t in stack if a == "comment"]
        assert st_.reviewed == bool(verdicts or edits)


@given(data=st.data(), n_es=st.integers(1, 4), n_zh=st.integers(0, 4))
def test_a_split_then_a_merge_of_its_parts_gives_the_bead_back(data, n_es, n_zh):
    """Any cut that leaves both parts something: the parts hold every unit once, in
    order, and joining them again gives the bead's ids and texts."""
    from celac_i18n.review.records import BeadData
    from celac_i18n.review.repair import joiner, merged, split_parts

    langs = ["es", "zh"]
    units = {"es": [f"Cláusula {k}." for k in range(n_es)],
             "zh": [f"第{k}条。" for k in range(n_zh)]}
    ids = {lang: [f"I.{k}" for k in range(len(u))] for lang, u in units.items()}
    b = BeadData("b", "clause", 0.5, ids,
                 {lang: joiner(lang).join(u) for lang, u in units.items()}, units)
    at = {"es": data.draw(st.integers(0, n_es)), "zh": data.draw(st.integers(0, n_zh))}
    parts = split_parts(b, at, langs)
    if at["es"] + at["zh"] == 0 or at["es"] + at["zh"] == n_es + n_zh:
        assert parts is None                  # one part would be empty
        return
    first, second = parts
    assert first.key != second.key
    assert first.ids == {lang: ids[lang][:at[lang]] for lang in langs}
    back = merged(first, second, langs)
    assert (back.ids, back.texts, back.units) == (b.ids, b.texts, b.units)
