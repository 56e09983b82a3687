"""Re-importing exported files never loses work (issue 25): an export records its base,
an import applies only what the file changed since and reports a CONFLICT where the
workspace changed the same target too; another workspace's or language pair's file is
refused; a file whose ids a CAT tool rewrote is matched by source text. Through the
API, the CLI and translate-toolkit (what CAT tools build on), on the plan and on the UN
Charter (a real document this project did not write)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, run_cli
from celac_i18n.errors import UserError
from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace
from celac_i18n.review.exchange import XLIFF12, XLIFF20, export_bytes
from celac_i18n.review.formats import MDA
from celac_i18n.review.importing import import_file
from celac_i18n.review.store import Store

PAR = ROOT / "tests" / "fixtures" / "parallel"
TMX_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CAT_I6 = "Promote dialogue on cyberspace rules (edited in the CAT tool)."
OLD_I8 = "Hold the Defence Forum (a change in the older TMX)."


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("imp")
    plan = init_workspace(d / "plan.review", ["2022-2024:es", "2022-2024:en"])
    other = init_workspace(d / "other.review", ["2022-2024:es", "2022-2024:en"])
    return plan.path, other.path


@pytest.fixture()
def ws(made, tmp_path):
    """A fresh copy of the plan's es/en workspace (the same workspace id)."""
    shutil.copy(made[0], tmp_path / "plan.review")
    return Store(tmp_path / "plan.review")


def q12(t):
    return f"{{{XLIFF12}}}{t}"


def set_xliff12(data: bytes, changes: dict[str, str]) -> bytes:
    ET.register_namespace("", XLIFF12)
    root = ET.fromstring(data)
    for u in root.iter(q12("trans-unit")):
        if u.get("id") in changes:
            u.find(q12("target")).text = changes[u.get("id")]
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def set_tmx(data: bytes, changes: dict[str, str], code: str = "en") -> bytes:
    root = ET.fromstring(data)
    for tu in root.iter("tu"):
        if tu.get("tuid") in changes:
            for tuv in tu.findall("tuv"):
                if tuv.get(TMX_LANG) == code:
                    tuv.find("seg").text = changes[tu.get("tuid")]
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def en(ws, key):
    return ws.states()[key].target(ws.bead(key), "en")


def post_import(api, name, data, **q):
    status, _, body = api.handle("POST", "/api/import", {"name": name, **q}, data)
    return status, json.loads(body)


# -- the issue's scenario ------------------------------------------------------------------
def test_an_older_export_never_overwrites_newer_work_api(ws):
    api = Api(ws, "ana")
    status, _, tmx = api.handle("GET", "/api/export", {"format": "tmx"})
    assert status == 200
    old_i6, old_i8 = en(ws, "I.6"), en(ws, "I.8")
    # a CAT tool edits I.6 in an XLIFF exported now
    xlf = api.handle("GET", "/api/export", {"format": "xliff-1.2"})[2]
    status, rep = post_import(api, "cat.xlf", set_xliff12(xlf, {"I.6": CAT_I6}))
    assert status == 200, rep
    assert [(a["key"], a["lang"]) for a in rep["applied"]] == [("I.6", "en")]
    assert rep["conflicts"] == [] and rep["base"]["workspace_id"] == ws.meta["workspace_id"]
    assert en(ws, "I.6") == CAT_I6
    # the older TMX, which never changed I.6, with one other change (I.8)
    n = len(ws.decisions())
    status, rep = post_import(api, "old.tmx", set_tmx(tmx, {"I.8": OLD_I8}), reviewer="bo")
    assert status == 200, rep
    assert [a["key"] for a in rep["applied"]] == ["I.8"]
    assert [k["key"] for k in rep["kept"]] == ["I.6"] and rep["conflicts"] == []
    assert en(ws, "I.6") == CAT_I6 and en(ws, "I.8") == OLD_I8
    assert len(ws.decisions()) == n + 1
    assert ws.states()["I.8"].edits["en"]["reviewer"] == "bo"
    assert ws.states()["I.8"].edits["en"]["origin"] == "import:old.tmx"
    assert rep["counts"]["edited"] == 2
    # both changed I.6 since the TMX's export: a conflict, nothing recorded
    status, rep = post_import(api, "old2.tmx", set_tmx(tmx, {"I.6": "The TMX's own I.6."}))
    assert status == 200 and rep["applied"] == []
    [c] = rep["conflicts"]
    assert (c["key"], c["lang"], c["base"], c["workspace"], c["file"], c["by"]) == \
        ("I.6", "en", old_i6, CAT_I6, "The TMX's own I.6.", "ana")
    assert en(ws, "I.6") == CAT_I6 and len(ws.decisions()) == n + 1
    # taking the file's side is explicit
    status, rep = post_import(api, "old2.tmx", set_tmx(tmx, {"I.6": "The TMX's own I.6."}),
                              on_conflict="file")
    assert rep["conflicts"][0]["resolved"] == "file" and en(ws, "I.6") == "The TMX's own I.6."
    assert old_i8 != OLD_I8


def test_the_scenario_through_the_cli(ws, tmp_path):
    wsp = str(ws.path)
    tmx, xlf = tmp_path / "plan.tmx", tmp_path / "plan.xlf"
    for out in (tmx, xlf):
        r = run_cli("review", "export", wsp, "-o", str(out))
        assert r.returncode == 0, r.stderr
    cat = tmp_path / "cat.xlf"
    cat.write_bytes(set_xliff12(xlf.read_bytes(), {"I.6": CAT_I6}))
    r = run_cli("review", "import", wsp, str(cat), "--reviewer", "cat")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)                       # piped: the report as JSON
    assert [a["key"] for a in rep["applied"]] == ["I.6"] and "1 edit(s) recorded" in r.stderr
    # meanwhile I.9 is edited in the workspace; the older TMX changes I.8 and I.9
    Store(wsp).decide("I.9", "edit", "ana", lang="en", text="Workspace I.9.")
    older = tmp_path / "older.tmx"
    older.write_bytes(set_tmx(tmx.read_bytes(), {"I.8": OLD_I8, "I.9": "File I.9."}))
    dry = run_cli("review", "import", wsp, str(older), "--dry-run", "--format", "json")
    assert dry.returncode == 1 and json.loads(dry.stdout)["dry_run"] is True
    assert en(Store(wsp), "I.8") != OLD_I8                # a dry run records nothing
    r = run_cli("review", "import", wsp, str(older), "--format", "table")
    # conflicts reported, the rest applied: exit 1 (something is left for the translator)
    assert r.returncode == 1, r.stderr
    assert "CONFLICT I.9 (en), workspace edit by ana" in r.stdout
    assert "workspace:    Workspace I.9." in r.stdout and "file:         File I.9." in r.stdout
    assert "1 applied" in r.stdout and "I.6 (en)" in r.stdout      # I.6 kept, listed
    assert "1 conflict(s) left for you to resolve" in r.stderr
    s = Store(wsp)
    assert (en(s, "I.6"), en(s, "I.8"), en(s, "I.9")) == (CAT_I6, OLD_I8, "Workspace I.9.")
    # importing the same file again: nothing new, the conflict still said
    r = run_cli("review", "import", wsp, str(older), "--format", "json")
    rep = json.loads(r.stdout)
    assert rep["applied"] == [] and len(rep["conflicts"]) == 1 and r.returncode == 1


# -- refused files -------------------------------------------------------------------------
def test_a_file_from_another_workspace_is_refused(ws, made, tmp_path):
    other = Store(made[1])
    data = set_xliff12(export_bytes(other, "xliff-1.2")[0], {"I.6": "x"})
    with pytest.raises(UserError, match="another workspace.*other.review"):
        import_file(ws, data, "ana", "import:o.xlf")
    status, rep = post_import(Api(ws, "ana"), "o.xlf", data)
    assert status == 400 and "another workspace" in rep["error"]
    f = tmp_path / "o.xlf"
    f.write_bytes(data)
    r = run_cli("review", "import", str(ws.path), str(f))
    assert r.returncode == 2 and "another workspace" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not ws.decisions()
    # read as a foreign file on purpose: applied, and the report says what that means
    rep = import_file(ws, data, "ana", "import:o.xlf", ignore_base=True)
    assert rep.edits == 1 and "no export base" in rep.warnings[0]


def test_another_language_pair_is_refused(ws):
    xlf = export_bytes(ws, "xliff-1.2")[0]
    for attr, code, why in (("target-language", "pt-BR", "another language pair"),
                            ("source-language", "zh-CN", "another language pair")):
        root = ET.fromstring(xlf)
        root.find(q12("file")).set(attr, code)
        with pytest.raises(UserError, match=why):
            import_file(ws, ET.tostring(root), "ana", "import:x.xlf")
    # the reverse pair, and a foreign TMX (no base) with no language in common
    root = ET.fromstring(xlf)
    f = root.find(q12("file"))
    f.set("source-language", "en"), f.set("target-language", "es")
    with pytest.raises(UserError, match="reverse pair"):
        import_file(ws, ET.tostring(root), "ana", "import:x.xlf")
    tmx = (b'<?xml version="1.0"?><tmx version="1.4"><header srclang="es" creationtool="x" '
           b'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>'
           b'<body><tu><tuv xml:lang="es"><seg>Hola.</seg></tuv><tuv xml:lang="pt"><seg>Ola.</seg>'
           b'</tuv></tu></body></tmx>')
    with pytest.raises(UserError, match="another language pair"):
        import_file(ws, tmx, "ana", "import:pt.tmx")
    assert not ws.decisions()


# -- ids a CAT tool rewrote ----------------------------------------------------------------
def test_rewritten_ids_are_matched_by_source_text(ws):
    ET.register_namespace("", XLIFF12)
    root = ET.fromstring(export_bytes(ws, "xliff-1.2")[0])
    units = list(root.iter(q12("trans-unit")))
    for n, u in enumerate(units, start=1):
        if u.get("id") == "I.6":
            u.find(q12("target")).text = CAT_I6
        u.set("id", f"tu{n}")
        del u.attrib["resname"]
    body = root.find(f"{q12('file')}/{q12('body')}")
    extra = ET.SubElement(body, q12("trans-unit"), {"id": "tu-new"})
    ET.SubElement(extra, q12("source")).text = "Un párrafo que el plan no tiene."
    ET.SubElement(extra, q12("target")).text = "A paragraph the plan lacks."
    rep = import_file(ws, ET.tostring(root), "ana", "import:renum.xlf")
    assert len(rep.matched_by_source) == len(units)
    assert {"id": f"tu{[u.find(q12('source')).text for u in units].index(ws.bead('I.6').texts['es']) + 1}",
            "key": "I.6"} in rep.matched_by_source
    assert [(a["key"], a["id"]) for a in rep.applied] == [("I.6", rep.applied[0]["id"])]
    assert rep.unmatched == [{"id": "tu-new",
                              "reason": "no such id, and no bead has its source text"}]
    assert en(ws, "I.6") == CAT_I6
    # XLIFF 2.0 whose tool rewrote the ids and dropped our metadata: the same, by source
    root = ET.fromstring(export_bytes(ws, "xliff-2.0")[0])
    for n, u in enumerate(root.iter(f"{{{XLIFF20}}}unit")):
        u.set("id", f"u{n}")
        for md in u.findall(f"{{{MDA}}}metadata"):
            u.remove(md)
    rep = import_file(ws, ET.tostring(root), "ana", "import:renum.xliff")
    assert len(rep.matched_by_source) == rep.units and rep.edits == 0 and not rep.conflicts


def test_a_source_in_two_beads_is_not_guessed(ws):
    ET.register_namespace("", XLIFF12)
    root = ET.fromstring(export_bytes(ws, "xliff-1.2")[0])
    [u] = [u for u in root.iter(q12("trans-unit")) if u.get("id") == "I.6"]
    u.set("id", "renamed"), u.set("resname", "renamed")
    u.find(q12("target")).text = CAT_I6
    # two units of the file claim I.6's bead by its source: the first wins, the second is told
    dup = ET.fromstring(ET.tostring(u))
    dup.set("id", "renamed-2")
    root.find(f"{q12('file')}/{q12('body')}").append(dup)
    rep = import_file(ws, ET.tostring(root), "ana", "import:dup.xlf", dry_run=True)
    assert rep.matched_by_source == [{"id": "renamed", "key": "I.6"}]
    assert rep.unmatched == [{"id": "renamed-2", "reason": "its bead I.6 was matched by unit "
                                                           "renamed already"}]
    assert rep.dry_run and not ws.decisions()


# -- the base kept by tools, or partly lost ------------------------------------------------
def test_translate_toolkit_keeps_the_base(ws, tmp_path):
    pytest.importorskip("translate.storage.factory")
    from translate.storage import factory
    from translate.storage.xliff2 import Xliff2File

    ws.decide("I.8", "edit", "ana", lang="en", text="Workspace I.8.")
    for fmt, suffix in (("xliff-1.2", "xlf"), ("xliff-2.0", "xliff"), ("tmx", "tmx")):
        path = tmp_path / f"plan.{suffix}"
        path.write_bytes(export_bytes(ws, fmt)[0])
        store = Xliff2File(path.read_bytes()) if fmt == "xliff-2.0" else factory.getobject(str(path))
        by_id = {u.getid().split("\x04")[-1]: u for u in store.units if u.source}
        by_id["I.8"].target = f"Tool I.8 ({fmt})."
        by_id["I.2"].target = f"Tool I.2 ({fmt})."
        ws.decide("I.8", "edit", "ana", lang="en", text=f"Workspace I.8 after {fmt}.")
        out = tmp_path / f"edited.{suffix}"
        out.write_bytes(bytes(store))
        rep = import_file(ws, out.read_bytes(), "tool", f"import:{out.name}")
        assert rep.base is not None, fmt                 # the tool kept it
        assert [a["key"] for a in rep.applied] == ["I.2"], (fmt, rep)
        assert [(c["key"], c["base"]) for c in rep.conflicts] == [
            ("I.8", "Workspace I.8." if fmt == "xliff-1.2" else
             f"Workspace I.8 after {'xliff-1.2' if fmt == 'xliff-2.0' else 'xliff-2.0'}.")], fmt
        assert en(ws, "I.8") == f"Workspace I.8 after {fmt}."


def test_units_without_their_base_fall_back_on_the_revision(ws):
    ET.register_namespace("", XLIFF12)
    xlf = export_bytes(ws, "xliff-1.2")[0]
    ws.decide("I.6", "edit", "ana", lang="en", text=CAT_I6)
    ws.decide("I.9", "edit", "ana", lang="en", text="Workspace I.9.")
    root = ET.fromstring(set_xliff12(xlf, {"I.8": OLD_I8, "I.9": "File I.9."}))
    for u in root.iter(q12("trans-unit")):          # a tool that drops prop-groups
        for g in u.findall(q12("prop-group")):
            u.remove(g)
    rep = import_file(ws, ET.tostring(root), "bo", "import:noprops.xlf")
    assert [a["key"] for a in rep.applied] == ["I.8"]
    assert [k["key"] for k in rep.kept] == ["I.6"]
    [c] = rep.conflicts
    assert c["key"] == "I.9" and c["base"] == ws.bead("I.9").texts["en"]
    assert en(ws, "I.6") == CAT_I6


def test_a_foreign_file_is_applied_and_the_report_says_so(ws):
    root = ET.fromstring(export_bytes(ws, "tmx")[0])
    for p in root.iter("prop"):
        p.set("type", "x-other")                       # a TM tool's own export: no base
    ws.decide("I.6", "edit", "ana", lang="en", text=CAT_I6)
    data = set_tmx(ET.tostring(root), {"I.8": OLD_I8})
    rep = import_file(ws, data, "bo", "import:tm.tmx")
    assert rep.base is None and "no export base" in rep.warnings[0]
    assert sorted(a["key"] for a in rep.applied) == ["I.6", "I.8"]
    assert rep.overwritten == [{"key": "I.6", "lang": "en", "id": "I.6", "by": "ana",
                                "workspace": CAT_I6}]


def test_jsonl_round_trip_and_an_old_workspace_gets_an_id(ws, tmp_path):
    lines = export_bytes(ws, "jsonl")[0].decode().splitlines()
    head = json.loads(lines[0])
    assert head["base"]["workspace_id"] == ws.meta["workspace_id"] and head["base"]["langs"] == ["es", "en"]
    rows = [json.loads(x) for x in lines[1:]]
    for r in rows:
        if r["id"] == "I.6":
            r["text"]["en"] = CAT_I6
    data = "\n".join([lines[0]] + [json.dumps(r, ensure_ascii=False) for r in rows]).encode()
    rep = import_file(ws, data, "ana", "import:p.jsonl")
    assert [a["key"] for a in rep.applied] == ["I.6"] and rep.unchanged == len(rows) - 1
    # a workspace from before ids: migrated on opening, its exports then carry one
    old = tmp_path / "old.review"
    shutil.copy(ws.path, old)
    with sqlite3.connect(old) as c:
        c.execute("DELETE FROM meta WHERE key IN ('workspace_id', 'content_rev', 'level')")
        c.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    s = Store(old)
    assert s.meta["workspace_id"] and s.meta["workspace_id"] != ws.meta["workspace_id"]
    assert json.loads(export_bytes(s, "jsonl")[0].splitlines()[0])["base"]["workspace_id"] == \
        s.meta["workspace_id"]


# -- more languages, sentence units -----------------------------------------------------
def test_three_languages_each_target_by_its_own_base(tmp_path):
    ws = init_workspace(tmp_path / "p3.review", ["2022-2024:es", "2022-2024:zh", "2022-2024:en"])
    tmx = export_bytes(ws, "tmx")[0]
    xlf_zh = export_bytes(ws, "xliff-1.2", target="zh")[0]
    ws.decide("I.6", "edit", "ana", lang="zh", text="工作区的译文。")
    # the TMX changes I.6 in both targets: zh conflicts, en is applied
    data = set_tmx(set_tmx(tmx, {"I.6": "文件的译文。"}, "zh-CN"), {"I.6": "The file's I.6."})
    rep = import_file(ws, data, "bo", "import:p3.tmx")
    assert [(a["key"], a["lang"]) for a in rep.applied] == [("I.6", "en")]
    assert [(c["key"], c["lang"], c["workspace"]) for c in rep.conflicts] == [
        ("I.6", "zh", "工作区的译文。")]
    # the es→zh XLIFF of before, with its pair named: applied where only it changed
    rep = import_file(ws, set_xliff12(xlf_zh, {"I.8": "文件的 I.8。"}), "bo", "import:zh.xlf")
    assert [a["key"] for a in rep.applied] == ["I.8"] and [k["key"] for k in rep.kept] == ["I.6"]
    # its target language changed to the workspace's other one: refused, not misread
    root = ET.fromstring(xlf_zh)
    root.find(q12("file")).set("target-language", "en")
    with pytest.raises(UserError, match="exported as es→zh.*another language pair"):
        import_file(ws, ET.tostring(root), "bo", "import:zh.xlf")


def test_sentence_units_come_back_by_their_keys(tmp_path):
    ws = init_workspace(tmp_path / "s.review", ["2022-2024:es", "2022-2024:en"], level="sentence")
    key = next(b.key for b in ws.beads() if "#s2" in b.key)
    root = ET.fromstring(export_bytes(ws, "xliff-2.0")[0])
    ET.register_namespace("", XLIFF20)
    [u] = [u for u in root.iter(f"{{{XLIFF20}}}unit") if u.get("name") == key]
    assert u.get("id") != key                        # an NMTOKEN id, the key as its name
    u.find(f".//{{{XLIFF20}}}target").text = "The second sentence, edited."
    rep = import_file(ws, ET.tostring(root), "ana", "import:s.xliff")
    assert [a["key"] for a in rep.applied] == [key] and not rep.unmatched
    assert en(ws, key) == "The second sentence, edited."


# -- a real document the project did not write ---------------------------------------------
def test_on_the_un_charter(tmp_path):
    ws = init_workspace(tmp_path / "un.review", [f"{PAR / 'un-charter.es.txt'}@es",
                                                 f"{PAR / 'un-charter.en.txt'}@en"])
    keys = [b.key for b in ws.beads()]
    assert "art.1.1" in keys and "art.2.3" in keys
    xliff = export_bytes(ws, "xliff-2.0")[0]
    root = ET.fromstring(xliff)
    assert root.find(f".//{{{MDA}}}meta[@type='workspace_id']").text == ws.meta["workspace_id"]
    ws.decide("art.1.1", "edit", "ana", lang="en", text="To maintain international peace (ws).")
    ET.register_namespace("", XLIFF20)
    for u in root.iter(f"{{{XLIFF20}}}unit"):
        if u.get("id") in ("art.1.1", "art.2.3"):
            u.find(f".//{{{XLIFF20}}}target").text = f"{u.get('id')} edited in the CAT tool."
    rep = import_file(ws, ET.tostring(root), "cat", "import:un.xliff")
    assert [a["key"] for a in rep.applied] == ["art.2.3"]
    [c] = rep.conflicts
    assert c["key"] == "art.1.1" and c["workspace"] == "To maintain international peace (ws)."
    assert c["base"] == ws.bead("art.1.1").texts["en"] and c["by"] == "ana"


# -- the HTTP server: the body cap, the token ----------------------------------------------
def test_the_server_caps_an_import_and_needs_the_token(ws, monkeypatch):
    import http.client
    import threading

    from celac_i18n.review import server

    monkeypatch.setattr(server, "MAX_IMPORT", 1000)
    srv = server.ReviewServer(Api(ws, "ana"), 0, "plan.review")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        def post(data, token=srv.token):
            c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
            c.request("POST", "/api/import?name=x.xlf", body=data,
                      headers={"X-Review-Token": token, "Host": f"127.0.0.1:{srv.port}"})
            r = c.getresponse()
            return r.status, json.loads(r.read())
        assert post(b"<x/>" * 300)[0] == 413
        assert post(b"<x/>", token="wrong")[0] == 403
        status, body = post(b"<x/>")
        assert status == 400 and "not a TMX or XLIFF" in body["error"]
    finally:
        srv.shutdown()
        srv.server_close()


# -- properties ----------------------------------------------------------------------------
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"),
                             blacklist_characters="\ufffe\uffff"), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["I.1", "I.2", "I.6", "nope", ""]), TEXT,
                                st.booleans()), max_size=6),
       fmt=st.sampled_from(["xliff-1.2", "tmx"]))
def test_any_edited_file_is_reported_never_crashes(ws, edits, fmt):
    data = export_bytes(ws, fmt)[0]
    ET.register_namespace("", XLIFF12)
    root = ET.fromstring(data)
    units = list(root.iter(q12("trans-unit") if fmt == "xliff-1.2" else "tu"))
    idattr = "id" if fmt == "xliff-1.2" else "tuid"
    for key, text, rename in edits:
        for u in units:
            if u.get(idattr) == key or (key == "" and u is units[0]):
                segs = [t for t in u.iter() if t.tag in (q12("target"), "seg")]
                segs[-1].text = text
                if rename:
                    u.set(idattr, text or "x")
    rep = import_file(ws, ET.tostring(root), "prop", "import:p", dry_run=True)
    keys = {b.key for b in ws.beads()}
    touched = rep.applied + rep.kept + rep.conflicts + rep.emptied
    assert all(t["key"] in keys for t in touched)
    assert rep.edits + len(rep.conflicts) <= rep.units
    assert not ws.decisions()                            # a dry run


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200) | TEXT.map(lambda t: f"<tmx version='1.4'>{t}</tmx>".encode()))
def test_arbitrary_bytes_are_refused_in_one_line(ws, data):
    try:
        import_file(ws, data, "prop", "import:junk")
    except UserError as e:
        assert "\n" not in str(e)


@given(TEXT | st.from_regex(r"[*_ a-z]{0,30}", fullmatch=True))
def test_the_exported_text_hashes_as_the_workspace_text(text):
    """The base is the hash of the workspace's target; the file holds it cleaned for CAT
    tools (emphasis off, XML-unsafe characters off): both must compare equal, or an
    untouched unit would read as changed."""
    from celac_i18n.review.exchange import _seg
    from celac_i18n.review.formats import squash, target_hash

    assert target_hash(_seg(text)) == target_hash(text)
    assert squash(squash(text)) == squash(text)
