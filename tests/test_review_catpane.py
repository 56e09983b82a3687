"""The review page's CAT helpers (/api/cat/...: review/cat.py) through the API: the
concordance over every language, search by meaning, termbase spans as the terms check
finds them, the termbase pane, machine suggestions named by their engine, the units a
split starts from, the file version the page polls; bad input is one line (400); a
property test: any query and any text, no crash, spans inside the text."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace
from celac_i18n.review.cat import FileVersion, spans_of
from celac_i18n.review.store import Store

UN = "tests/fixtures/parallel/un-charter"


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    d = tmp_path_factory.mktemp("catpane")
    return init_workspace(d / "plan.review", ["2022-2024:es", "2022-2024:zh", "2022-2024:en"])


def get(api, path, **q):
    status, _, body = api.handle("GET", path, {k: str(v) for k, v in q.items()})
    return status, json.loads(body)


def test_concordance_finds_a_word_in_any_language_and_shows_the_whole_bead(plan):
    api = Api(plan, "ana")
    s, out = get(api, "/api/cat/search", q="becas")
    assert s == 200 and out["mode"] == "words"
    assert out["hits"][0]["key"] == "IV.4.2"
    hit = out["hits"][0]
    es = hit["texts"]["es"]
    m = next(m for m in hit["matches"] if m["lang"] == "es")
    assert [es[a:b] for a, b in m["spans"]] == ["becas"]
    assert "奖学金" in hit["texts"]["zh"] and "scholarships" in hit["texts"]["en"]
    # the Chinese word finds the same bead through the Chinese text
    s, out = get(api, "/api/cat/search", q="奖学金")
    assert out["hits"][0]["key"] == "IV.4.2"
    zh = out["hits"][0]["texts"]["zh"]
    assert [zh[a:b] for a, b in out["hits"][0]["matches"][0]["spans"]] == ["奖学金"]
    # lang narrows; a word nowhere is no hit, not an error
    s, out = get(api, "/api/cat/search", q="scholarships", lang="es")
    assert s == 200 and out["hits"] == []
    s, out = get(api, "/api/cat/search", q="zzyzxq")
    assert s == 200 and out["found"] == 0


def test_concordance_follows_edits(plan):
    api = Api(plan, "ana")
    plan.decide("I.2", "edit", "ana", lang="en", text="Explore a summit with quetzalcoatl.")
    try:
        s, out = get(api, "/api/cat/search", q="quetzalcoatl")
        assert [h["key"] for h in out["hits"]] == ["I.2"]
    finally:
        plan.decide("I.2", "undo", "ana")
    s, out = get(api, "/api/cat/search", q="quetzalcoatl")
    assert out["hits"] == []


def test_search_by_meaning_needs_the_encoder_and_finds_a_paraphrase(plan):
    api = Api(plan, "ana")
    s, out = get(api, "/api/cat/search", q="becas", mode="meaning")
    assert s == 400 and "encoder" in out["error"]
    from celac_i18n.ops import Context

    sem = Context().semantic()
    if sem is None:
        pytest.skip("no sentence encoder installed")
    api = Api(plan, "ana", sem)
    s, out = get(api, "/api/cat/search", q="grants for students to study in China",
                 mode="meaning", top=5)
    assert s == 200 and out["encoder"] == sem.name
    assert "IV.4.2" in [h["key"] for h in out["hits"]]


def test_terms_are_found_as_the_terms_check_finds_them(plan):
    from celac_i18n.qa.textmatch import find
    from celac_i18n.termbase import default_termbase

    api = Api(plan, "ana")
    s, out = get(api, "/api/cat/terms", keys=json.dumps(["I.2", "II.1.6"]))
    assert s == 200
    i2 = out["beads"]["I.2"]
    b = plan.bead("I.2")
    for lang in ("es", "zh", "en"):
        for a, e, tid in i2[lang]:
            term = next(t for t in default_termbase() if t.id == tid)
            assert any((a, e) in find(f, b.texts[lang], lang) for f in term.forms(lang))
    # the forum is one term in each language (the longest form, not its parts)
    assert {tid for *_, tid in i2["es"]} >= {"fcc"}
    assert {tid for *_, tid in i2["zh"]} >= {"fcc"}
    assert "CCF" in " ".join(out["terms"]["fcc"]["forms"]["en"])
    # spans never overlap
    for per in out["beads"].values():
        for spans in per.values():
            assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:]))


def test_termbase_pane_lists_and_filters(plan):
    api = Api(plan, "ana")
    s, out = get(api, "/api/cat/termbase")
    assert s == 200 and len(out["terms"]) == 107
    assert set(out["terms"][0]["forms"]) <= {"es", "zh", "en"}      # the workspace's languages
    s, out = get(api, "/api/cat/termbase", q="ccf")
    assert "fcc" in [t["id"] for t in out["terms"]] and len(out["terms"]) < 10


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_machine_suggestions_name_their_engine_and_say_what_they_cannot_do(plan):
    api = Api(plan, "ana")
    s, out = get(api, "/api/cat/suggest", key="IV.4.2", lang="en")
    assert s == 200
    (sug,) = out["suggestions"]
    assert sug["engine"] == "apertium" and sug["label"] == "machine"
    assert "5000" in sug["text"] and "apertium" in sug["signature"]
    assert "mode:spa-eng" in sug["signature"]
    s, out = get(api, "/api/cat/suggest", key="IV.4.2", lang="zh")
    assert s == 200 and out["suggestions"][0]["text"] is None
    assert "Chinese" in out["suggestions"][0]["error"]
    # an engine that is not there is one line, not a 500
    api2 = Api(plan, "ana")
    api2.engines = ["nonesuch"]
    s, out = get(api2, "/api/cat/suggest", key="IV.4.2", lang="en")
    assert s == 200 and "unknown engine" in out["suggestions"][0]["error"]


def test_units_for_the_splitter(plan):
    api = Api(plan, "ana")
    s, out = get(api, "/api/cat/units", key="I.1")
    assert s == 200 and out["units"]["es"] == [plan.bead("I.1").texts["es"]]
    assert out["edited"] == []


def test_the_version_moves_on_a_write_never_on_a_read(tmp_path):
    ws = init_workspace(tmp_path / "p.review", [f"{UN}.es.txt@es", f"{UN}.en.txt@en"])
    api = Api(ws, "ana")
    v0 = get(api, "/api/cat/version")[1]["version"]
    get(api, "/api/beads")
    assert get(api, "/api/cat/version")[1]["version"] == v0
    key = ws.beads()[1].key
    seen = {v0}
    for _ in range(5):                          # another connection, writes in a row
        Store(ws.path).decide(key, "comment", "ben", text="x")
        v = get(api, "/api/cat/version")[1]["version"]
        assert v not in seen
        seen.add(v)
    FileVersion(ws.path).close()


def test_on_a_real_document_the_un_charter(tmp_path):
    """The UN Charter's opening (official es/en/zh texts): the concordance, terms."""
    ws = init_workspace(tmp_path / "un.review", [f"{UN}.es.txt@es", f"{UN}.en.txt@en",
                                                 f"{UN}.zh.txt@zh"])
    api = Api(ws, "ana")
    s, out = get(api, "/api/cat/search", q="Naciones Unidas")
    assert s == 200 and out["found"] >= 3
    for h in out["hits"]:
        es = h["texts"]["es"]
        m = next(m for m in h["matches"] if m["lang"] == "es")
        assert all(es[a:b].lower() == "naciones unidas" for a, b in m["spans"])
    s, out = get(api, "/api/cat/search", q="联合国")
    assert s == 200 and out["found"] >= 3


@pytest.mark.parametrize("path,q,msg", [
    ("/api/cat/search", {"q": ""}, "empty"),
    ("/api/cat/search", {"q": "!!!"}, "no words"),
    ("/api/cat/search", {"q": "x" * 600}, "at most"),
    ("/api/cat/search", {"q": "becas", "mode": "fuzzy"}, "words or meaning"),
    ("/api/cat/search", {"q": "becas", "lang": "fr"}, "lang"),
    ("/api/cat/search", {"q": "becas", "top": "many"}, "whole number"),
    ("/api/cat/terms", {"keys": "I.1"}, "JSON list"),
    ("/api/cat/terms", {"keys": json.dumps([1, 2])}, "JSON list"),
    ("/api/cat/terms", {"keys": json.dumps(["k"] * 501)}, "at most"),
    ("/api/cat/suggest", {"key": "I.1"}, "lang="),
    ("/api/cat/suggest", {"key": "I.1", "lang": "es"}, "lang"),
    ("/api/cat/suggest", {"key": "nope", "lang": "en"}, "no bead"),
    ("/api/cat/units", {"key": "nope"}, "no bead"),
])
def test_bad_input_is_one_line(plan, path, q, msg):
    s, _, body = Api(plan, "ana").handle("GET", path, q)
    out = json.loads(body)
    assert s == 400 and msg in out["error"] and "\n" not in out["error"]


def test_unknown_paths_and_methods(plan):
    api = Api(plan, "ana")
    assert api.handle("GET", "/api/cat/nothing")[0] == 404
    assert api.handle("POST", "/api/cat/search", {"q": "x"}, b"{}")[0] == 405


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=300), st.sampled_from(["es", "en", "zh", "pt"]))
def test_spans_of_never_crash_and_stay_inside_the_text(q, text, lang):
    spans = spans_of(q, text, lang)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert spans == sorted(spans)


def test_the_server_answers_the_list_from_its_cache_until_the_file_changes(tmp_path):
    import threading
    import urllib.request

    from celac_i18n.review.server import ReviewServer

    ws = init_workspace(tmp_path / "un.review", [f"{UN}.es.txt@es", f"{UN}.en.txt@en"])
    api = Api(ws, "ana")
    calls = []
    handle = api.handle
    api.handle = lambda *a, **k: (calls.append(a[1]), handle(*a, **k))[1]
    srv = ReviewServer(api, 0, "un.review")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        srv.warm()
        assert sorted(calls) == ["/api/beads", "/api/workspace"]

        def fetch(path, data=None):
            req = urllib.request.Request(srv.url + path.lstrip("/"), data=data,
                                         headers={"X-Review-Token": srv.token})
            with urllib.request.urlopen(req) as r:
                return r.headers["X-Review-Version"], json.loads(r.read())

        v1, beads = fetch("/api/beads")
        v2, _ = fetch("/api/beads")
        assert v1 == v2 and calls.count("/api/beads") == 1           # from the cache
        key = beads["beads"][1]["key"]
        v3, out = fetch(f"/api/beads/{key}/decisions", b'{"action": "accept"}')
        assert v3 != v1                                   # the page knows its own write
        v4, beads = fetch("/api/beads")
        assert v4 == v3 and calls.count("/api/beads") == 2
        assert next(b for b in beads["beads"] if b["key"] == key)["state"] == "accepted"
        Store(ws.path).decide(key, "undo", "ben")        # another program writes
        v5, beads = fetch("/api/beads")
        assert v5 != v4 and calls.count("/api/beads") == 3
        assert next(b for b in beads["beads"] if b["key"] == key)["state"] == "unreviewed"
    finally:
        srv.shutdown()
        srv.server_close()
