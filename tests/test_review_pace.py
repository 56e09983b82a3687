"""The review workspace at a translator's pace (issue 25, backend): weakest beads
first, a split inside a text, unpair/shift/insert_empty and their undos, bulk accept,
stale revisions refused with 409, the workspace revision, status filters."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace

FIX = ROOT / "tests" / "fixtures" / "structure"


@pytest.fixture()
def api(tmp_path):
    es, zh = FIX / "plan.es.txt", tmp_path / "plan.zh.txt"
    # two Chinese clauses run together into one: the aligner makes a 2-1 bead
    zh.write_text((FIX / "plan.zh.txt").read_text(encoding="utf-8").replace(
        "1．促进贸易。\n\n2．鼓励投资。", "1．促进贸易。鼓励投资。"), encoding="utf-8")
    return Api(init_workspace(tmp_path / "w.review", [f"{es}@es", f"{zh}@zh"]), "ana")


def call(api, method, path, query=None, **body):
    status, _, data = api.handle(method, path, query or {}, json.dumps(body).encode())
    return status, json.loads(data)


def test_weakest_first_split_inside_the_text_and_a_stale_rev(api):
    _, out = call(api, "GET", "/api/beads", {"sort": "weak"})
    top = out["beads"][0]
    assert top["key"] == "II.1.1_II.1.2" and top["weak"]["score"] > 0.5
    assert any("merged 2-1" in r for r in top["weak"]["reasons"])
    assert all(b["weak"]["score"] < top["weak"]["score"] for b in out["beads"][1:])
    assert call(api, "GET", "/api/beads", {"min_weak": "0.5"})[1]["beads"] == [top]
    rev0 = call(api, "GET", "/api/workspace")[1]["revision"]
    off = top["texts"]["zh"].index("鼓励")
    status, res = call(api, "POST", f"/api/beads/{top['key']}/decisions", action="split",
                       lang="zh", offset=off, rev=top["rev"])
    assert status == 200, res
    first, second = api.views("II.1.1")[0], api.views("II.1.2")[0]
    assert first["texts"] == {"es": "Promover el comercio.", "zh": "促进贸易。"}
    assert second["texts"] == {"es": "Fomentar la inversión.", "zh": "鼓励投资。"}
    # the old "merged" finding is gone with the merge (QA followed the split)
    assert not [f for v in (first, second) for f in v["findings"] if "merged" in f["message"]]
    assert call(api, "GET", "/api/workspace")[1]["revision"] > rev0
    # a second tab still holding the 2-1 bead is told, nothing recorded
    status, res = call(api, "POST", f"/api/beads/{top['key']}/decisions", action="accept",
                       rev=top["rev"])
    assert status == 409 and "ana" in res["error"] and top["key"] in res["error"]
    status, res = call(api, "POST", "/api/beads/II.1.1/decisions", action="accept",
                       rev=first["rev"] - 1)
    assert status == 409 and "II.1.1" in res["error"]
    assert api.store.states()["II.1.1"].verdict is None
    assert call(api, "POST", "/api/beads/II.1.1/undo")[0] == 200
    assert top["key"] in [b.key for b in api.store.beads()]


@pytest.mark.parametrize("req", [{"action": "unpair"},
                                 {"action": "shift", "lang": "zh", "direction": "up"},
                                 {"action": "shift", "lang": "zh", "direction": "down"},
                                 {"action": "insert_empty", "lang": "zh"}])
def test_repairings_change_the_beads_and_undo_restores_them(api, req):
    before = [(b.key, b.texts) for b in api.store.beads()]
    status, res = call(api, "POST", "/api/beads/II.2/decisions", **req)
    assert status == 200, res
    after = [(b.key, b.texts) for b in api.store.beads()]
    assert after != before
    zh = "".join(t["zh"] for _, t in after)
    assert zh == "".join(t["zh"] for _, t in before)          # nothing lost or doubled
    assert call(api, "POST", f"/api/beads/{res['bead']['key']}/undo")[0] == 200
    assert [(b.key, b.texts) for b in api.store.beads()] == before


def test_bulk_accept_and_status_filters(api):
    keys = [b.key for b in api.store.beads()][:4]
    status, res = call(api, "POST", "/api/bulk", action="accept", keys=keys + ["nope"])
    assert status == 200 and res["recorded"] == 4 and res["unknown"] == ["nope"]
    assert res["counts"]["accepted"] == 4
    assert call(api, "POST", "/api/bulk", action="accept", keys=keys)[1]["skipped"] == 4
    got = call(api, "GET", "/api/beads", {"status": "accepted"})[1]["beads"]
    assert [b["key"] for b in got] == keys
    assert len(call(api, "GET", "/api/beads", {"status": "open"})[1]["beads"]) == \
        len(api.store.beads()) - 4
    assert call(api, "GET", "/api/beads", {"status": "nonsense"})[0] == 400
    assert call(api, "POST", "/api/bulk", action="edit", keys=keys)[0] == 400


def test_typing_the_missing_text_closes_the_omission(tmp_path):
    es, zh = FIX / "plan.es.txt", tmp_path / "plan.zh.txt"
    zh.write_text((FIX / "plan.zh.txt").read_text(encoding="utf-8").replace(
        "2．鼓励投资。\n\n", ""), encoding="utf-8")
    api = Api(init_workspace(tmp_path / "o.review", [f"{es}@es", f"{zh}@zh"]), "ana")
    v = next(v for v in api.views() if any("omitted" in f["message"] for f in v["findings"]))
    assert v["weak"]["score"] >= 0.8
    status, res = call(api, "POST", f"/api/beads/{v['key']}/decisions", action="edit",
                       lang="zh", text="鼓励投资。")
    assert status == 200, res
    assert not [f for f in res["bead"]["findings"] if "omitted" in f["message"]]


def test_export_by_status_gives_only_those_beads(api, tmp_path):
    """Accepted only, for a TM: the API and the CLI leave every other bead out; a status
    no bead has is said, not an empty file; an unknown status is bad input."""
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    keys = [b["key"] for b in call(api, "GET", "/api/beads")[1]["beads"]]
    call(api, "POST", "/api/bulk", action="accept", keys=keys[:3])
    status, _, data = api.handle("GET", "/api/export", {"format": "tmx", "status": "accepted"})
    assert status == 200
    tus = ET.fromstring(data).iter("tu")
    assert sorted(tu.get("tuid") for tu in tus) == sorted(keys[:3])
    status, _, data = api.handle("GET", "/api/export", {"format": "tmx", "status": "open"})
    assert len(list(ET.fromstring(data).iter("tu"))) == len(keys) - 3
    status, _, data = api.handle("GET", "/api/export", {"status": "rejected"})
    assert status == 400 and b"no beads are rejected" in data
    assert api.handle("GET", "/api/export", {"status": "done"})[0] == 400
    out = tmp_path / "tm.tmx"
    r = subprocess.run([sys.executable, "-m", "celac_i18n", "review", "export",
                        str(api.store.path), "-o", str(out), "--status", "accepted"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert len(list(ET.fromstring(out.read_bytes()).iter("tu"))) == 3
    r = subprocess.run([sys.executable, "-m", "celac_i18n", "review", "export",
                        str(api.store.path), "-o", str(tmp_path / "x.tmx"), "--status", "done"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and "status: done?" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.tmx").exists()
