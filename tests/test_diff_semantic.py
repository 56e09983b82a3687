"""diff across languages with no engine: clauses matched by meaning (the embedded
sentence encoder), thresholds calibrated on the pair's own embedding similarities.

Faithful pairs: the 2022-2024 plan's project-made Chinese and English references
against the Spanish official text, and the UN Charter excerpt (a real public parallel
text, tests/fixtures/parallel/). Planted changes: the edited copy of the Spanish text
that test_diff_cross.py builds (rewordings, a deletion, an addition, a move, a split,
a merge), diffed against the Chinese and English references. Successors: the real
2015-2019 plan excerpt (English) against the 2022-2024 Spanish text.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_diff_cross import build_spanish_variant

PARALLEL = "tests/fixtures/parallel"


@pytest.fixture(scope="module")
def sem():
    from celac_i18n.ops import Context

    return Context().semantic()


def _load(ref):
    from celac_i18n.corpus.refs import load

    return load(ref)


def _diff(old, new, sem):
    from celac_i18n.diff import diff_documents

    return diff_documents(old, new, semantic=sem)


def _unflagged(res) -> float:
    return sum(c.kind == "unchanged" for c in res.changes) / len(res.changes)


@pytest.mark.parametrize("old", ["2022-2024:zh", "2022-2024:en"])
def test_faithful_translation_is_unchanged_by_meaning(old, sem):
    res = _diff(_load(old), _load("2022-2024:es"), sem)
    assert _unflagged(res) >= 0.95, res.summary["counts"]
    # every unit with its own id: nothing added, removed or moved
    assert all(c.old == c.new for c in res.changes)
    cal = res.summary["calibration"]
    assert cal["measure"] == sem.name and cal["baseline"]["n"] > 100
    assert cal["impostor"]["median"] <= cal["reword"] < cal["baseline"]["median"]
    assert f"measure:{sem.name}" in res.signature and "via:none" in res.signature
    assert res.summary["across"]["engine"] is None
    c = next(c for c in res.changes if c.old == ["I.1"])
    assert c.cross and c.via is None and c.to_dict()["side_by_side"] is True
    from celac_i18n.diff.redline import rebuild
    assert rebuild(c.ops, "old") == _load(old)["I.1"].text       # both texts, whole
    assert rebuild(c.ops, "new") == _load("2022-2024:es")["I.1"].text


def test_un_charter_faithful_pair(sem):
    zh = _load(f"{PARALLEL}/un-charter.zh.txt@zh")
    es = _load(f"{PARALLEL}/un-charter.es.txt@es")
    res = _diff(zh, es, sem)
    assert len(res.changes) >= 20
    assert _unflagged(res) >= 0.95, [(c.kind, c.old, c.new) for c in res.changes]


@pytest.fixture(scope="module")
def variant():
    return build_spanish_variant(_load("2022-2024:es"))


@pytest.mark.parametrize("old", ["2022-2024:zh", "2022-2024:en"])
def test_planted_changes_found_across_languages_without_engine(old, sem, variant):
    new, planted, untouched = variant
    res = _diff(_load(old), new, sem)
    got = {(c.kind, tuple(c.old), tuple(c.new)) for c in res.changes}
    assert planted <= got, sorted(planted - got)
    assert {k for k, _, _ in planted} == {"modified", "removed", "added", "moved", "split",
                                          "merged"}
    by_old = {tuple(c.old): c for c in res.changes}
    flagged = [o for o, n in untouched.items()
               if by_old.get(o) is None or tuple(by_old[o].new) != n
               or by_old[o].kind != ("unchanged" if o == n else "renumbered")]
    assert len(flagged) <= 0.05 * len(untouched), flagged
    # I.5 was rewritten wholesale and renumbered I.6 by the split before it: one change
    c = next(c for c in res.changes if c.old == ["I.5"])
    assert (c.kind, c.new, c.rewritten) == ("modified", ["I.6"], True)
    assert c.to_dict()["rewritten"] is True
    assert c.similarity < res.summary["calibration"]["reword"]


def test_real_2015_plan_successors_by_meaning(sem):
    """The real 2015-2019 plan's I.5 (judicial cooperation) lives on as 2022-2024 I.9;
    its namesake I.5 is about something else."""
    old = _load("tests/fixtures/structure/real/plan-2015-2019.en.txt@en")
    res = _diff(old, _load("2022-2024:es"), sem)
    succ = {tuple(c.old): tuple(c.new) for c in res.changes}
    assert succ[("I.1",)] == ("I.1",)
    assert succ[("I.5",)] == ("I.9",)


def test_rewritten_in_place_is_one_change_in_one_language():
    """Same language: a clause replaced wholesale at its number is one modified
    change marked rewritten, not a removal and an addition."""
    from celac_i18n.diff import diff_documents
    from celac_i18n.parse import parse

    old = parse("1. Promover el comercio de bienes agrícolas.\n"
                "2. Fortalecer la cooperación en ciencia y tecnología.\n"
                "3. Intercambiar experiencias en gestión de desastres.\n", "es", where="a")
    new = parse("1. Promover el comercio de bienes agrícolas.\n"
                "2. Zzz qqq xxx.\n"
                "3. Intercambiar experiencias en gestión de desastres.\n", "es", where="b")
    res = diff_documents(old, new)
    (c,) = [c for c in res.changes if c.kind != "unchanged"]
    assert (c.kind, c.old, c.new, c.rewritten) == ("modified", ["2"], ["2"], True)
    assert res.summary["counts"]["added"] == res.summary["counts"]["removed"] == 0


def _run(*args):
    from celac_i18n.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_zh_es_no_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("CELAC_I18N_CACHE", str(tmp_path / "cache.sqlite"))
    r = _run("diff", "2022-2024:zh", "2022-2024:es", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    s = data["summary"]
    assert s["counts"]["unchanged"] >= 0.95 * len(data["changes"])
    assert s["across"]["langs"] == "zh>es" and "by meaning" in s["across"]["note"]
    assert "measure:use-m3" in data["signature"]
    assert "matched by meaning" in r.stderr
    html = tmp_path / "d.html"
    r = _run("diff", "2022-2024:zh", "2022-2024:es", "-o", str(html))
    assert r.exit_code == 0, r.output
    page = html.read_text()
    assert "by meaning" in page and "side by side" in page
    r = _run("diff", "2022-2024:zh", "2022-2024:es")
    assert r.exit_code == 0 and "matched by meaning" in r.stdout


# -- property: every unit of both versions in exactly one change ------------------------

_POOL: dict = {}


def _pool():
    if not _POOL:
        zh, es = _load("2022-2024:zh"), _load("2022-2024:es")
        ids = [u.id for u in es.clauses() if u.id in {v.id for v in zh.clauses()}][:40]
        _POOL.update(zh=[zh[i].text for i in ids], es=[es[i].text for i in ids])
    return _POOL


def _doc(texts, lang, where):
    from celac_i18n.parse import parse

    return parse("".join(f"{k}. {t}\n" for k, t in enumerate(texts, 1)), lang, where=where)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(old=st.lists(st.integers(0, 39), min_size=1, max_size=12),
       new=st.lists(st.integers(0, 39), min_size=1, max_size=12))
def test_cross_language_diff_places_every_unit_once(old, new, sem):
    pool = _pool()
    a = _doc([pool["zh"][k] for k in old], "zh", "old")
    b = _doc([pool["es"][k] for k in new], "es", "new")
    res = _diff(a, b, sem)
    olds = [i for c in res.changes for i in c.old]
    news = [i for c in res.changes for i in c.new]
    assert sorted(olds) == sorted(u.id for u in a.units)
    assert sorted(news) == sorted(u.id for u in b.units)
    for c in res.changes:
        assert c.old or c.new
        assert (len(c.old) > 1) <= (c.kind == "merged")
        assert (len(c.new) > 1) <= (c.kind == "split")
