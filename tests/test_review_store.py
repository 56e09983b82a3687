"""The review workspace: store, decisions, staleness, the JSON API, the server's guards
and the CLI (init, status, export, import, update)."""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from celac_i18n.errors import UserError
from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace, update_workspace
from celac_i18n.review.exchange import XLIFF12, XLIFF20, export_bytes
from celac_i18n.review.importing import import_file
from celac_i18n.review.store import Store

FIX = ROOT / "tests" / "fixtures" / "structure"


@pytest.fixture()
def docs(tmp_path) -> tuple[Path, Path]:
    """Copies of the small es/zh test plan (tests may change them)."""
    es, zh = tmp_path / "plan.es.txt", tmp_path / "plan.zh.txt"
    es.write_text((FIX / "plan.es.txt").read_text(encoding="utf-8"), encoding="utf-8")
    zh.write_text((FIX / "plan.zh.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return es, zh


@pytest.fixture()
def ws(tmp_path, docs) -> Store:
    es, zh = docs
    return init_workspace(tmp_path / "plan.review", [f"{es}@es", f"{zh}@zh"])


def test_init_keys_beads_by_clause_id(ws):
    keys = [b.key for b in ws.beads()]
    assert keys[:3] == ["title", "preamble.1", "I"]
    assert "II.1.1" in keys and "II.2.1" in keys
    b = ws.bead("II.1.1")
    assert b.texts["es"].startswith("Promover el comercio")
    assert b.texts["zh"] == "促进贸易。"
    assert ws.counts()["reviewed"] == 0 and ws.counts()["beads"] == len(keys)
    # the file is a WAL-mode SQLite database
    with sqlite3.connect(ws.path) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_init_refuses_an_existing_file_and_leaves_it(tmp_path, docs):
    es, zh = docs
    target = tmp_path / "taken.review"
    target.write_text("mine")
    with pytest.raises(UserError, match="already exists"):
        init_workspace(target, [f"{es}@es", f"{zh}@zh"])
    assert target.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["plan.es.txt", "plan.zh.txt", "taken.review"])


def test_decisions_add_up_and_undo_goes_back(ws):
    ws.decide("II.1.1", "accept", "ana")
    ws.decide("II.1.2", "edit", "ana", lang="zh", text="鼓励相互投资。")
    ws.decide("II.1.2", "comment", "bo", text="check with the termbase")
    st = ws.states()
    assert st["II.1.1"].verdict == "accept"
    assert st["II.1.2"].target(ws.bead("II.1.2"), "zh") == "鼓励相互投资。"
    assert [c["text"] for c in st["II.1.2"].comments] == ["check with the termbase"]
    c = ws.counts()
    assert (c["reviewed"], c["accepted"], c["edited"], c["comments"]) == (2, 1, 1, 1)
    # undo takes back the latest live decision: the comment, then the edit
    ws.decide("II.1.2", "undo", "bo")
    ws.decide("II.1.2", "undo", "bo")
    st = ws.states()["II.1.2"]
    assert not st.comments and not st.edits and not st.reviewed
    assert [d["action"] for d in st.history] == ["edit", "comment", "undo", "undo"]
    with pytest.raises(UserError, match="nothing to undo"):
        ws.decide("II.1.2", "undo", "bo")
    d = ws.decisions("II.1.1")[0]
    assert d["reviewer"] == "ana" and d["time"].endswith("Z") and len(d["text_hash"]) == 16


@pytest.mark.parametrize("kw,msg", [
    (dict(action="smile"), "unknown action"),
    (dict(action="edit", lang="xx", text="t"), "lang must be"),
    (dict(action="comment", text="  "), "needs text"),
    (dict(action="edit", lang="zh", text=" "), "empty"),
    (dict(action="dismiss", finding="nope", reason="r"), "no finding"),
])
def test_bad_decisions_are_refused_and_nothing_is_written(ws, kw, msg):
    with pytest.raises(UserError, match=msg):
        ws.decide("II.1.1", reviewer="ana", **kw)
    assert ws.decisions() == []


def test_two_threads_writing_at_once_lose_nothing(ws):
    keys = [b.key for b in ws.beads()]
    errors = []

    def work(name):
        try:
            for i in range(40):
                ws.decide(keys[i % len(keys)], "comment", name, text=f"{name} {i}")
        except Exception as e:   # noqa: BLE001 - surfaced below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("tab-a", "tab-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    ds = ws.decisions()
    assert len(ds) == 80 and len({d["id"] for d in ds}) == 80
    assert sorted(d["text"] for d in ds if d["reviewer"] == "tab-a") == sorted(
        f"tab-a {i}" for i in range(40))


def test_a_changed_source_makes_decisions_stale_not_reapplied(ws, docs):
    es, _ = docs
    ws.decide("II.1.1", "edit", "ana", lang="zh", text="大力促进贸易。")
    ws.decide("II.1.1", "accept", "ana")
    ws.decide("II.1.2", "accept", "ana")
    es.write_text(es.read_text(encoding="utf-8").replace(
        "Promover el comercio.", "Promover el comercio sostenible."), encoding="utf-8")
    update_workspace(ws)
    st = ws.states()
    assert {d["action"] for d in st["II.1.1"].stale} == {"edit", "accept"}
    assert not st["II.1.1"].reviewed and st["II.1.1"].target(ws.bead("II.1.1"), "zh") == "促进贸易。"
    assert st["II.1.2"].verdict == "accept" and not st["II.1.2"].stale
    assert ws.counts()["stale"] == 1
    # the export shows the original target as not reviewed
    root = ET.fromstring(export_bytes(ws, "xliff-1.2")[0])
    tu = root.find(f".//{{{XLIFF12}}}trans-unit[@id='II.1.1']")
    assert tu.find(f"{{{XLIFF12}}}target").text == "促进贸易。"
    assert tu.find(f"{{{XLIFF12}}}target").get("state") == "translated"
    # and the API reports it
    view = Api(ws, "ana").views("II.1.1")[0]
    assert view["state"] == "unreviewed" and len(view["stale"]) == 2


def test_api_filters_decides_and_reports_errors(ws):
    api = Api(ws, "ana")
    status, ctype, data = api.handle("GET", "/api/workspace")
    w = json.loads(data)
    assert status == 200 and ctype.startswith("application/json")
    assert w["langs"] == ["es", "zh"] and w["counts"]["reviewed"] == 0
    body = json.dumps({"action": "edit", "lang": "zh", "text": "促进<b>贸易</b>。"}).encode()
    status, _, data = api.handle("POST", "/api/beads/II.1.1/decisions", {}, body)
    out = json.loads(data)
    assert status == 200 and out["bead"]["state"] == "edited"
    assert out["bead"]["targets"]["zh"] == "促进<b>贸易</b>。"       # kept as text
    diff = out["bead"]["edits"]["zh"]["diff"]
    assert "".join(t for op, t in diff if op <= 0) == "促进贸易。"
    assert "".join(t for op, t in diff if op >= 0) == "促进<b>贸易</b>。"
    assert diff[0] == [0, "促进"]
    assert out["counts"]["reviewed"] == 1
    unrev = json.loads(api.handle("GET", "/api/beads", {"state": "unreviewed"})[2])["beads"]
    assert "II.1.1" not in [b["key"] for b in unrev] and len(unrev) == len(ws.beads()) - 1
    low = json.loads(api.handle("GET", "/api/beads", {"max_confidence": "0"})[2])["beads"]
    assert all(b["confidence"] <= 0 for b in low)
    assert api.handle("POST", "/api/beads/II.1.1/decisions", {}, b"not json")[0] == 400
    assert api.handle("POST", "/api/beads/II.1.1/decisions", {},
                      b'{"action": "reject", "reviewer": ""}')[0] == 200  # falls back to ana
    assert api.handle("GET", "/api/beads/XX.9")[0] == 404
    assert api.handle("POST", "/api/beads/II.1.1/undo")[0] == 200
    assert json.loads(api.handle("GET", "/api/beads/II.1.1")[2])["state"] == "edited"


def test_dismissing_a_finding_on_the_real_plan(tmp_path):
    ws = init_workspace(tmp_path / "p.review", ["2022-2024:es", "2022-2024:zh"])
    fs = ws.findings()
    assert fs, "the plan's es→zh QA has findings"
    f = fs[0]
    with pytest.raises(UserError, match="needs a reason"):
        ws.decide(f.bead, "dismiss", "ana", finding=f.fkey, reason="")
    ws.decide(f.bead, "dismiss", "ana", finding=f.fkey, reason="termbase variant is fine here")
    view = Api(ws, "ana").views(f.bead)[0]
    [fv] = [x for x in view["findings"] if x["key"] == f.fkey]
    assert fv["dismissed"]["reason"] == "termbase variant is fine here"
    # spans point into the bead's text
    for x in view["findings"]:
        for s, e in x["src_spans"]:
            assert 0 <= s < e <= len(view["texts"]["es"])
    # the export carries it as a note, and clean text without Markdown asterisks
    data = export_bytes(ws, "xliff-2.0")[0].decode()
    assert "dismissed by ana: termbase variant is fine here" in data
    assert "Think Tanks" in data and "*Think Tanks*" not in data


def _states20(data: bytes) -> dict[str, tuple[str, str]]:
    root = ET.fromstring(data)
    q = lambda t: f"{{{XLIFF20}}}{t}"  # noqa: E731
    return {u.get("id"): (u.find(f"{q('segment')}").get("state"),
                          u.find(f"{q('segment')}/{q('target')}").text)
            for u in root.iter(q("unit"))}


def test_export_states_follow_decisions_and_import_records_edits(ws, tmp_path):
    ws.decide("II.1.1", "accept", "ana")
    ws.decide("II.1.2", "edit", "ana", lang="zh", text="鼓励相互投资。")
    ws.decide("II.2.1", "reject", "ana")
    states = _states20(export_bytes(ws, "xliff-2.0")[0])
    assert states["II.1.1"] == ("final", "促进贸易。")
    assert states["II.1.2"] == ("reviewed", "鼓励相互投资。")
    assert states["II.2.1"][0] == "initial"
    assert states["I.1"][0] == "translated"
    # TMX: tuid is the clause id, with dates and the reviewer
    tmx = ET.fromstring(export_bytes(ws, "tmx")[0])
    tu = tmx.find("body/tu[@tuid='II.1.2']")
    assert tu.get("changeid") == "ana" and tu.get("creationdate").endswith("Z")
    assert tu.find("prop[@type='x-status']").text == "edited"
    # an edited XLIFF 1.2 comes back as an edit decision
    data = export_bytes(ws, "xliff-1.2")[0].decode()
    data = data.replace("扩大立法机构交流。", "扩大各国议会交流。")
    res = import_file(ws, data.encode(), "bo", "import:test.xlf")
    assert (res.edits, res.stale, res.unknown) == (1, [], [])
    st = ws.states()["I.2"]
    assert st.edits["zh"]["text"] == "扩大各国议会交流。" and st.edits["zh"]["reviewer"] == "bo"
    # importing the same file again changes nothing
    assert import_file(ws, data.encode(), "bo", "again").edits == 0


def test_import_skips_units_whose_source_changed(ws):
    data = export_bytes(ws, "xliff-1.2")[0].decode()
    data = data.replace("Promover el comercio.", "Promover otra cosa.").replace(
        "促进贸易。", "促进别的。")
    res = import_file(ws, data.encode(), "bo", "x")
    assert res.stale == ["II.1.1"] and res.edits == 0
    with pytest.raises(UserError, match="not a TMX or XLIFF"):
        import_file(ws, b"<html/>", "bo", "x")
    with pytest.raises(UserError, match="not XML"):
        import_file(ws, b"<<", "bo", "x")


# -- the HTTP server --------------------------------------------------------------------
@pytest.fixture()
def server(ws):
    from celac_i18n.review.server import ReviewServer

    srv = ReviewServer(Api(ws, "ana"), 0, "plan.review")
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _post(srv, path, obj, headers):
    req = urllib.request.Request(srv.url.rstrip("/") + path, json.dumps(obj).encode(),
                                 {"Content-Type": "application/json", **headers}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_server_refuses_writes_without_token_or_from_another_origin(server, ws):
    assert server.server_address[0] == "127.0.0.1"
    accept = {"action": "accept"}
    assert _post(server, "/api/beads/I.1/decisions", accept, {})[0] == 403
    assert _post(server, "/api/beads/I.1/decisions", accept,
                 {"X-Review-Token": server.token, "Origin": "http://evil.example"})[0] == 403
    assert _post(server, "/api/beads/I.1/decisions", accept,
                 {"X-Review-Token": server.token, "Host": "evil.example"})[0] == 403
    assert ws.decisions() == []
    status, out = _post(server, "/api/beads/I.1/decisions", accept,
                        {"X-Review-Token": server.token, "Origin": server.url.rstrip("/")})
    assert status == 200 and out["bead"]["state"] == "accepted"
    with urllib.request.urlopen(server.url, timeout=10) as r:
        page = r.read().decode()
        assert "Content-Security-Policy" in r.headers
    assert server.token in page and "{{TOKEN}}" not in page
    with urllib.request.urlopen(server.url + "api/export?format=xliff-1.2", timeout=10) as r:
        assert r.headers["Content-Disposition"] == 'attachment; filename="plan.xlf"'
        assert ET.fromstring(r.read()).get("version") == "1.2"


def test_export_file_name_cannot_inject_headers(ws):
    from celac_i18n.review.server import ReviewServer

    srv = ReviewServer(Api(ws, "ana"), 0, 'x"\r\nSet-Cookie: a=b.review')
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(srv.url + "api/export?format=tmx", timeout=10) as r:
            assert "Set-Cookie" not in r.headers
            assert r.headers["Content-Disposition"] == \
                'attachment; filename="x___Set-Cookie__a_b.tmx"'
        with urllib.request.urlopen(srv.url, timeout=10) as r:
            assert "<title>Review · x&quot;" in r.read().decode()
    finally:
        srv.shutdown()
        srv.server_close()


# -- the CLI ----------------------------------------------------------------------------
def test_cli_init_status_export_import(tmp_path, docs):
    es, zh = docs
    wsp = tmp_path / "cli.review"
    r = run_cli("review", "init", str(wsp), f"{es}@es", f"{zh}@zh")
    assert r.returncode == 0, r.stderr
    r = run_cli("review", "status", str(wsp), "--format", "json")
    c = json.loads(r.stdout)
    assert c["reviewed"] == 0 and c["beads"] > 10
    r = run_cli("review", "export", str(wsp), "-o", str(tmp_path / "out.xlf"))
    assert r.returncode == 0, r.stderr
    root = ET.fromstring((tmp_path / "out.xlf").read_bytes())
    assert root.get("version") == "1.2"
    edited = (tmp_path / "out.xlf").read_text(encoding="utf-8").replace("促进贸易。", "推动贸易。")
    (tmp_path / "edited.xlf").write_text(edited, encoding="utf-8")
    r = run_cli("review", "import", str(wsp), str(tmp_path / "edited.xlf"), "--reviewer", "cat")
    assert r.returncode == 0 and "1 edit(s) recorded" in r.stderr, r.stderr
    r = run_cli("review", "status", str(wsp), "--format", "table")
    assert r.stdout.startswith("1 of ") and "1 edited" in r.stdout
    for suffix, tag in (("tmx", "tmx"), ("xliff", f"{{{XLIFF20}}}xliff")):
        r = run_cli("review", "export", str(wsp), "-o", str(tmp_path / f"out.{suffix}"))
        assert r.returncode == 0, r.stderr
        assert ET.fromstring((tmp_path / f"out.{suffix}").read_bytes()).tag == tag


@pytest.mark.parametrize("args,msg", [
    (["status", "{tmp}/none.review"], "no review workspace"),
    (["status", "{fix}/plan.es.txt"], "not a review workspace"),
    (["export", "{ws}", "-o", "{tmp}/out.doc"], "cannot tell the format"),
    (["init", "{ws}", "{es}@es", "{zh}@zh"], "already exists"),
    (["init", "{tmp}/x.review", "{es}@es"], "at least two"),
])
def test_cli_bad_input_one_line_exit_2(tmp_path, docs, ws, args, msg):
    es, zh = docs
    fill = dict(tmp=tmp_path, fix=FIX, ws=ws.path, es=es, zh=zh)
    r = run_cli("review", *[a.format(**fill) for a in args])
    assert r.returncode == 2, r.stderr
    assert msg in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out.doc").exists() and not (tmp_path / "x.review").exists()


def test_cli_serve_prints_the_url_serves_and_stops_on_ctrl_c(ws):
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([sys.executable, "-m", "celac_i18n", "review", "serve", str(ws.path),
                          "--no-browser", "--reviewer", "ana"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = p.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url + "api/workspace", timeout=10) as r:
            assert json.loads(r.read())["reviewer"] == "ana"
        with urllib.request.urlopen(url, timeout=10) as r:
            page = r.read().decode()
        token = page.split('name="review-token" content="')[1].split('"')[0]
        srv = type("S", (), {"url": url})
        status, _ = _post(srv, "/api/beads/I.1/decisions", {"action": "accept"},
                          {"X-Review-Token": token})
        assert status == 200
    finally:
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=20)
    assert p.returncode in (0, 130), err
    assert "Traceback" not in err
    assert ws.states()["I.1"].verdict == "accept"


def test_unwritable_places_are_bad_input_not_tracebacks(tmp_path, docs, ws):
    import os
    import stat

    es, zh = docs
    r = run_cli("review", "init", str(tmp_path / "nope" / "x.review"), f"{es}@es", f"{zh}@zh")
    assert r.returncode == 2 and "no such folder" in r.stderr and "Traceback" not in r.stderr
    api = Api(ws, "ana")
    assert api.handle("POST", "/api/beads/I.1/decisions", {},
                      b'{"action": "accept", "lang": ["x"]}')[0] == 400
    if os.geteuid() == 0:
        return      # root writes through read-only modes
    ws.path.chmod(stat.S_IRUSR)
    r = run_cli("review", "import", str(ws.path), str(es))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_machine_rendering_is_scored_clause_by_clause_against_its_reference(tmp_path):
    from celac_i18n.corpus.refs import load
    from celac_i18n.score.metrics import score_documents

    ws = init_workspace(tmp_path / "mt.review", ["2022-2024:es", "2022-2024:en:apertium"],
                        references={"en": "2022-2024:en:reference"})
    view = Api(ws, "ana").views("I.1")[0]
    [row] = view["scores"]["en"]
    want = {s.id: s.scores for s in score_documents(
        load("2022-2024:en:apertium"), load("2022-2024:en:reference"), ("chrf", "bleu"),
        per_segment=True).segments}["I.1"]
    assert row["unit"] == "I.1"
    assert row["chrF2++"] == pytest.approx(want["chrf"], abs=0.01)
    assert row["BLEU"] == pytest.approx(want["bleu"], abs=0.01)
    w = json.loads(Api(ws, "ana").handle("GET", "/api/workspace")[2])
    assert w["references"] == {"en": "2022-2024:en:reference"}
    assert "chrF2++" in w["score_signatures"]["en"]
    assert ws.meta["kinds"]["en"] == "machine"
    with pytest.raises(UserError, match="not a target language"):
        init_workspace(tmp_path / "bad.review", ["2022-2024:es", "2022-2024:en:apertium"],
                       references={"zh": "2022-2024:zh:reference"})


def test_merge_with_the_next_bead_and_undo_splits_it_again(ws, docs):
    n = len(ws.beads())
    d = ws.decide("II.1.1", "merge", "ana")
    assert d["bead"] == "II.1.1_II.1.2"
    keys = [b.key for b in ws.beads()]
    assert len(keys) == n - 1 and "II.1.1_II.1.2" in keys and "II.1.1" not in keys
    m = ws.bead("II.1.1_II.1.2")
    assert m.ids == {"es": ["II.1.1", "II.1.2"], "zh": ["II.1.1", "II.1.2"]}
    assert m.texts["zh"] == "促进贸易。鼓励投资。"                  # Chinese joins without a space
    assert m.texts["es"].startswith("Promover el comercio. ")
    ws.decide(m.key, "accept", "ana")
    root = ET.fromstring(export_bytes(ws, "xliff-1.2")[0])
    tu = root.find(f".//{{{XLIFF12}}}trans-unit[@id='II.1.1_II.1.2']")
    assert tu.find(f"{{{XLIFF12}}}target").get("state") == "final"
    with pytest.raises(UserError, match="last bead"):
        ws.decide(ws.beads()[-1].key, "merge", "ana")
    # undo: first the accept, then the merge itself
    ws.decide(m.key, "undo", "ana")
    ws.decide(m.key, "undo", "ana")
    after = [b.key for b in ws.beads()]
    assert len(after) == n and "II.1.1_II.1.2" not in after and "II.1.2" in after
    assert ws.bead("II.1.1").texts["zh"] == "促进贸易。"


def test_a_merge_over_changed_texts_is_stale(ws, docs):
    _, zh = docs
    ws.decide("II.1.1", "merge", "ana")
    zh.write_text(zh.read_text(encoding="utf-8").replace("鼓励投资。", "积极鼓励投资。"),
                  encoding="utf-8")
    update_workspace(ws)
    assert "II.1.1_II.1.2" not in [b.key for b in ws.beads()]
    st = ws.states()["II.1.1"]
    assert [d["action"] for d in st.stale] == ["merge"]


def test_findings_are_rechecked_on_a_merge(tmp_path):
    """A merged bead's findings are QA'd again on its joined text: the same term
    finding, its span shifted into the joined text; no "merged" finding for a 2-2 bead
    (two clauses rendered as two)."""
    ws = init_workspace(tmp_path / "m.review", ["2022-2024:es", "2022-2024:zh"])
    f = next(f for f in ws.findings() if f.src_spans)
    keys = [b.key for b in ws.beads()]
    before = keys[keys.index(f.bead) - 1]
    prev, orig = ws.bead(before), ws.bead(f.bead).texts["es"]
    m = ws.bead(ws.decide(before, "merge", "ana")["bead"])
    found = [x for x in ws.findings() if x.bead == m.key]
    [moved] = [x for x in found if (x.check, x.message) == (f.check, f.message)]
    shift = len(prev.texts["es"]) + 1
    assert moved.src_spans == [[a + shift, b + shift] for a, b in f.src_spans]
    (s, e), (s0, e0) = moved.src_spans[0], f.src_spans[0]
    assert m.texts["es"][s:e] == orig[s0:e0] != ""
    assert not any("merged" in x.message for x in found)
    ws.decide(m.key, "undo", "ana")
    assert f in ws.findings()                 # as built again: the finding as built


@pytest.fixture()
def ws21(tmp_path, docs) -> Store:
    """A workspace whose Chinese joins clauses II.1.1 and II.1.2 into one: the aligner
    makes a 2-1 bead of them."""
    es, zh = docs
    zh.write_text(zh.read_text(encoding="utf-8").replace("1．促进贸易。\n\n2．鼓励投资。",
                                                         "1．促进贸易。鼓励投资。"),
                  encoding="utf-8")
    return init_workspace(tmp_path / "p21.review", [f"{es}@es", f"{zh}@zh"])


def test_split_a_two_one_bead_and_undo_joins_it_again(ws21):
    ws = ws21
    b = ws.bead("II.1.1_II.1.2")
    assert b.ids == {"es": ["II.1.1", "II.1.2"], "zh": ["II.1.1"]}
    n = len(ws.beads())
    ws.decide(b.key, "comment", "ana", text="two clauses, one rendering")
    with pytest.raises(UserError, match="at must be 1 to 1"):
        ws.decide(b.key, "split", "ana", lang="es", at=2)
    with pytest.raises(UserError, match="fewer than 2 zh units"):
        ws.decide(b.key, "split", "ana", lang="zh", at=1)
    assert len(ws.decisions()) == 1                       # refused: nothing written
    d = ws.decide(b.key, "split", "ana", lang="es", at=1, keep="second")
    assert json.loads(d["payload"])["split"] == [b.key, "II.1.1", "II.1.2"]
    assert d["text_hash"] and d["reviewer"] == "ana" and d["time"].endswith("Z")
    keys = [x.key for x in ws.beads()]
    assert len(keys) == n + 1 and b.key not in keys
    assert keys.index("II.1.2") == keys.index("II.1.1") + 1
    first, second = ws.bead("II.1.1"), ws.bead("II.1.2")
    assert (first.texts, first.ids["zh"]) == ({"es": "Promover el comercio.", "zh": ""}, [])
    assert second.texts == {"es": "Fomentar la inversión.", "zh": "促进贸易。鼓励投资。"}
    states = ws.states()
    assert [x["action"] for x in states["II.1.2"].history] == ["split"]
    ws.decide("II.1.2", "accept", "ana")
    # undo from either part: first the accept, then the split; the bead and its comment
    # come back
    ws.decide("II.1.2", "undo", "ana")
    assert ws.states()["II.1.2"].verdict is None
    ws.decide("II.1.1", "undo", "ana")
    assert len(ws.beads()) == n and ws.bead(b.key).texts == b.texts
    assert [c["text"] for c in ws.states()[b.key].comments] == ["two clauses, one rendering"]


def test_a_split_over_changed_texts_is_stale(ws21, docs):
    ws, (es, _) = ws21, docs
    ws.decide("II.1.1_II.1.2", "split", "ana", lang="es", at=1)
    assert "II.1.2" in [b.key for b in ws.beads()]
    es.write_text(es.read_text(encoding="utf-8").replace("Fomentar la inversión.",
                                                         "Fomentar la inversión mutua."),
                  encoding="utf-8")
    update_workspace(ws)
    keys = [b.key for b in ws.beads()]
    assert "II.1.1_II.1.2" in keys and "II.1.2" not in keys     # not reapplied
    assert [d["action"] for d in ws.states()["II.1.1_II.1.2"].stale] == ["split"]


def test_split_a_merge_at_its_seam_and_export_keeps_clause_ids(ws):
    m = ws.decide("II.1.1", "merge", "ana")["bead"]
    api = Api(ws, "bo")
    # at as one count per language: both sides cut after their first clause
    body = json.dumps({"action": "split", "at": {"es": 1, "zh": 1}}).encode()
    status, _, data = api.handle("POST", f"/api/beads/{m}/decisions", {}, body)
    out = json.loads(data)
    assert status == 200, out
    assert out["bead"]["key"] == "II.1.1" and out["decision"]["split"] == [m, "II.1.1", "II.1.2"]
    assert ws.bead("II.1.2").texts == {"es": "Fomentar la inversión.", "zh": "鼓励投资。"}
    bad = json.dumps({"action": "split", "lang": "es", "at": "1"}).encode()
    assert api.handle("POST", "/api/beads/II.1.1/decisions", {}, bad)[0] == 400
    ws.decide("II.1.2", "accept", "bo")
    states = _states20(export_bytes(ws, "xliff-2.0")[0])
    assert states["II.1.2"] == ("final", "鼓励投资。") and m not in states
    tmx = ET.fromstring(export_bytes(ws, "tmx")[0])
    assert tmx.find("body/tu[@tuid='II.1.1']") is not None
    assert api.handle("POST", "/api/beads/II.1.2/undo")[0] == 200     # the accept
    status, _, data = api.handle("POST", "/api/beads/II.1.2/undo")    # the split
    assert status == 200 and json.loads(data)["bead"] is None
    assert m in [b.key for b in ws.beads()]


def test_findings_follow_their_clause_into_a_split(tmp_path):
    ws = init_workspace(tmp_path / "f.review", ["2022-2024:es", "2022-2024:zh"])
    f = next(f for f in ws.findings() if f.src_spans)
    keys = [b.key for b in ws.beads()]
    before = keys[keys.index(f.bead) - 1]
    orig = ws.bead(f.bead).texts["es"]
    at = {lang: len(ids) for lang, ids in ws.bead(before).ids.items()}
    m = ws.decide(before, "merge", "ana")["bead"]
    ws.decide(m, "split", "ana", at=at)
    [back] = [x for x in ws.findings() if x.fkey == f.fkey]
    assert back.bead == f.bead and back.src_spans == f.src_spans
    (s, e) = back.src_spans[0]
    assert ws.bead(back.bead).texts["es"][s:e] == orig[s:e] != ""


def test_a_workspace_from_before_splits_is_migrated(ws21):
    ws = ws21
    with sqlite3.connect(ws.path) as c:                   # as schema 1 wrote it
        c.execute("ALTER TABLE beads DROP COLUMN units")
        c.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    old = Store(ws.path)
    assert old.bead("II.1.1_II.1.2").units is None
    with pytest.raises(UserError, match="review update"):
        old.decide("II.1.1_II.1.2", "split", "ana", lang="es", at=1)
    update_workspace(old)
    old.decide("II.1.1_II.1.2", "split", "ana", lang="es", at=1)
    assert "II.1.2" in [b.key for b in Store(ws.path).beads()]


def test_a_cut_that_leaves_a_part_empty_is_refused(ws21):
    with pytest.raises(UserError, match="both parts"):
        ws21.decide("II.1.1_II.1.2", "split", "ana", at={"es": 2, "zh": 1})
    assert ws21.decisions() == []
