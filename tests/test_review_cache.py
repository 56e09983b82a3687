"""The review workspace's caches between writes (``review/snapshot.py``, the views kept
per bead in ``api.py``): what a long-lived Api answers after any run of decisions is
what a fresh one reading the file whole answers, whoever wrote them (this Api, a second
Store on the same file, another process), and a stale revision is still refused."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from conftest import ROOT
from celac_i18n.errors import UserError
from celac_i18n.ops import Context
from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace, update_workspace
from celac_i18n.review.repair import REPAIRS
from celac_i18n.review.repair import made as made_by
from celac_i18n.review.store import Conflict, Store


@pytest.fixture(scope="module")
def semantic():
    return Context().semantic()


@pytest.fixture()
def plan(tmp_path, semantic):
    """The real plan es/zh/en, with each bead's similarity (the embedded encoder)."""
    return init_workspace(tmp_path / "plan.review",
                          ["2022-2024:es", "2022-2024:zh", "2022-2024:en"], semantic=semantic)


def fresh(path) -> Api:
    """An Api over the file as it is now: nothing cached (read whole)."""
    return Api(Store(path), "other")


def same(api: Api, path) -> None:
    """The cached Api shows what a fresh reading of the file shows: every bead's view
    (state, findings, similarity, weakness, position), the counts, the findings."""
    got, want = api.views(), fresh(path).views()
    assert [v["key"] for v in got] == [v["key"] for v in want]
    for g, w in zip(got, want):
        assert json.dumps(g, sort_keys=True) == json.dumps(w, sort_keys=True), g["key"]
    assert api.store.counts() == fresh(path).store.counts()
    # the list as the page reads it (each bead's JSON kept), and filtered and sorted
    for q in ({}, {"sort": "weak", "status": "open,edited"}):
        _, _, data = api.handle("GET", "/api/beads", q)
        _, _, again = fresh(path).handle("GET", "/api/beads", q)
        assert json.loads(data) == json.loads(again)
    assert json.loads(api.handle("GET", "/api/beads")[2])["beads"] == json.loads(json.dumps(want))
    key = lambda f: (f.bead, f.fkey, json.dumps(f.src_spans), json.dumps(f.tgt_spans))  # noqa: E731
    assert sorted(map(key, api.store.findings())) == sorted(map(key, fresh(path).store.findings()))


def post(api: Api, key: str, body: dict) -> tuple[int, dict]:
    status, _, data = api.handle("POST", f"/api/beads/{key}/decisions", {},
                                 json.dumps(body).encode())
    return status, json.loads(data)


def test_any_run_of_decisions_reads_as_a_fresh_reading(plan):
    """Verdicts, comments, edits (re-QA), dismissals, every re-pairing, undos and bulk
    accepts, from this Api and from a second Store on the same file, in a seeded random
    order (a re-pairing undone half the time after it is made): after each, the cached
    views equal a fresh reading's."""
    path = plan.path
    api = Api(Store(path), "ana")
    other = Store(path)                     # a second tab's server, or another process
    api.views()                             # everything cached before the first write
    rng = random.Random(25)
    actions = ["accept", "reject", "comment", "edit", "edit", "dismiss", "merge", "split",
               "unpair", "shift", "insert_empty", "undo", "undo", "bulk"]
    done = {}
    made = None                                     # the bead the last re-pairing made
    for step in range(40):
        beads = api.store.beads()
        b = rng.choice(beads[:40])                  # near each other: re-pairings meet
        action, what = rng.choice(actions), None
        if made and rng.random() < 0.5:             # undo it (the whole re-pairing again)
            b, action, what, made = api.store.bead(made) or b, "undo", "undo a re-pairing", None
        writer = rng.random() < 0.3
        body: dict = {"action": action}
        if action == "comment":
            body["text"] = f"note {step}"
        elif action == "edit":
            lang = rng.choice(["zh", "en"])
            # a dropped number (re-QA finds it) or a plain rewording
            text = b.texts.get(lang) or "texto"
            body.update(lang=lang, text=text.replace("2", "") if step % 2 else text + " bis")
        elif action == "dismiss":
            fs = [f for f in api.store.findings() if f.bead == b.key]
            if not fs:
                continue
            body.update(finding=fs[0].fkey, reason="fine here")
        elif action == "split":
            body.update(lang="es", at=1)
        elif action in ("unpair", "insert_empty"):
            body["lang"] = rng.choice(["zh", "en"])
        elif action == "shift":
            body.update(lang=rng.choice(["zh", "en"]), direction=rng.choice(["up", "down"]))
        try:
            if action == "bulk":
                keys = [x.key for x in rng.sample(beads, 8)]
                (other if writer else api.store).decide_many(
                    [{"bead": k, "action": "accept"} for k in keys], "bulk")
            elif writer:
                d = other.decide(b.key, action, "ben", **{k: v for k, v in body.items()
                                                           if k != "action"})
            else:
                status, out = post(api, b.key, body)
                assert status in (200, 400), (action, status)
                if status != 200:
                    continue
        except UserError:
            continue
        if action in REPAIRS:
            made = made_by(d)[0] if writer else out["bead"]["key"]
        done[what or action] = done.get(what or action, 0) + 1
        same(api, path)
    # the run made every kind of change at least once (else it proves less than it says)
    assert {"accept", "edit", "merge", "undo", "undo a re-pairing", "bulk"} <= set(done), done
    assert sum(done.get(a, 0) for a in ("split", "unpair", "shift", "insert_empty")) >= 1, done


def test_a_write_from_another_process_is_seen_and_a_stale_rev_refused(plan):
    path = plan.path
    api = Api(Store(path), "ana")
    key = api.views()[5]["key"]
    rev = api.views(key)[0]["rev"]
    code = ("import sys; from celac_i18n.review.store import Store; "
            "Store(sys.argv[1]).decide(sys.argv[2], 'edit', 'ben', lang='en', text='Other words.')")
    subprocess.run([sys.executable, "-c", code, str(path), key], check=True, cwd=ROOT)
    v = api.views(key)[0]
    assert v["targets"]["en"] == "Other words." and v["state"] == "edited"
    assert v["rev"] > rev
    status, out = post(api, key, {"action": "accept", "rev": rev})      # the page's old rev
    assert status == 409 and out["conflict"] and "ben" in out["error"]
    assert api.views(key)[0]["verdict"] is None                          # nothing recorded
    status, out = post(api, key, {"action": "accept", "rev": v["rev"]})
    assert status == 200 and out["bead"]["state"] == "accepted"
    assert out["counts"] == fresh(path).store.counts()
    same(api, path)


def test_an_undone_repairing_and_an_update_from_another_store_are_seen(plan):
    """An undo of a merge made by another Store splits the bead again here; an update
    (new content) read by another Store is read here too, decisions kept or stale."""
    path = plan.path
    api = Api(Store(path), "ana")
    other = Store(path)
    keys = [v["key"] for v in api.views()]
    merged = other.decide(keys[10], "merge", "ben")["bead"]
    shown = [v["key"] for v in api.views()]
    assert merged in shown and keys[10] not in shown
    other.decide(merged, "undo", "ben")
    assert [v["key"] for v in api.views()] == keys
    same(api, path)
    api.store.decide(keys[3], "accept", "ana")
    update_workspace(other)                          # the same documents: content_rev moves
    v = api.views(keys[3])[0]
    assert v["state"] == "accepted" and v["rev"] == other.revision()
    same(api, path)


def test_a_workspace_replaced_at_the_same_revision_is_read_again(tmp_path, plan):
    """Another workspace moved into the file's place (same revision numbers, another
    workspace id): its beads are shown, not the cached ones."""
    path = plan.path
    api = Api(Store(path), "ana")
    assert api.views()[0]["texts"]["es"]
    es = ROOT / "tests" / "fixtures" / "structure" / "plan.es.txt"
    zh = ROOT / "tests" / "fixtures" / "structure" / "plan.zh.txt"
    small = init_workspace(tmp_path / "small.review", [f"{es}@es", f"{zh}@zh"])
    assert small.revision() == api.store.revision() == 0
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)
    small.path.rename(path)
    assert [v["key"] for v in api.views()] == [b.key for b in Store(path).beads()]
