"""Each bead's similarity in the review workspace, with the real default encoder (USE
multilingual v3): computed at init, kept per bead per language, recomputed when a bead's
texts change (edit, merge, split, update) so it is never stale, in the JSON API (sorted
weakest first, filtered at a user's threshold) and in the page in a real browser.

A damaged rendering (two Chinese clause texts swapped, in a temp copy: the plan's I.3 and
V.4, and the real UN Charter's art. 1.3 and art. 2.6) must put those beads first. The
aligner, with the meaning cue, no longer pairs the swapped texts with their numbers: each
clause becomes a bead with no Chinese (1-0) and a bead of its Chinese text alone (0-1),
"unpaired" for es→zh, which a weakest-first order puts before every measured bead. In
the UN Charter the article numbers keep the swapped texts paired, and their measured
similarities are the lowest.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import run_cli
from celac_i18n.corpus.manifest import shipped_corpus_dir
from celac_i18n.ops import Context
from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace, update_workspace
from celac_i18n.review.store import Store

PARALLEL = Path(__file__).parent / "fixtures" / "parallel"
ZH = shipped_corpus_dir() / "2022-2024" / "zh.reference.txt"
SWAPPED = {"I.3", "V.4", "zh:I.3", "zh:V.4"}


@pytest.fixture(scope="module")
def ctx():
    return Context()        # one semantic layer for the module: vectors kept in memory


def _swap(lines: list[str], a: int, b: int, marker: str) -> None:
    pa, pb = re.match(marker, lines[a]), re.match(marker, lines[b])
    lines[a], lines[b] = pa.group(1) + pb.group(2), pb.group(1) + pa.group(2)


def _plan_swapped(d: Path) -> str:
    """The plan's Chinese text with clauses I.3 and V.4 swapped (numbers kept)."""
    lines = ZH.read_text(encoding="utf-8").split("\n")

    def at(chapter, n):
        start = lines.index(chapter)
        return next(k for k in range(start, len(lines)) if lines[k].startswith(n + "．"))

    _swap(lines, at("一、政治与安全合作", "3"), at("五、可持续发展", "4"), r"^(\d+．)(.*)$")
    p = d / "swap.zh.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    return f"{p}@zh"


def _un_swapped(d: Path) -> str:
    lines = (PARALLEL / "un-charter.zh.txt").read_text(encoding="utf-8").split("\n")
    a = next(k for k, x in enumerate(lines) if x.startswith("3. "))      # art. 1.3
    b = [k for k, x in enumerate(lines) if x.startswith("6. ")][0]       # art. 2.6
    _swap(lines, a, b, r"^(\d+\. )(.*)$")
    p = d / "un.zh.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    return f"{p}@zh"


def get(api: Api, path: str, **query) -> tuple[int, dict]:
    status, _, body = api.handle("GET", path, {k: str(v) for k, v in query.items()})
    return status, json.loads(body)


def post(api: Api, key: str, **body) -> dict:
    status, _, out = api.handle("POST", f"/api/beads/{key}/decisions", {},
                                json.dumps(body).encode())
    assert status == 200, out
    return json.loads(out)


@pytest.fixture(scope="module")
def plan_ws(ctx, tmp_path_factory):
    """es + the swapped zh + en (a faithful reference) as a workspace, with similarity."""
    d = tmp_path_factory.mktemp("sim")
    ws = init_workspace(d / "plan.review", ["2022-2024:es", _plan_swapped(d), "2022-2024:en"],
                        semantic=ctx.semantic())
    return ws, d


def test_swapped_beads_come_first_weakest_first(ctx, plan_ws):
    ws, _ = plan_ws
    api = Api(ws, "ana", ctx.semantic())
    status, out = get(api, "/api/beads", sort="similarity")
    assert status == 200
    beads = out["beads"]
    assert {b["key"] for b in beads[:4]} == SWAPPED
    assert all(b["unpaired"] == ["zh"] and b["similarity"]["zh"] is None for b in beads[:4])
    assert not any(b["unpaired"] for b in beads[4:])
    # each bead carries one value per target language
    i3 = next(b for b in beads if b["key"] == "I.3")
    assert set(i3["similarity"]) == {"zh", "en"} and i3["similarity"]["en"] > 0.6
    # then ascending by each bead's weakest pair
    vals = [min(b["similarity"].values()) for b in beads[4:]]
    assert vals == sorted(vals) and vals[0] < 0.4
    # by the en pair, the swapped beads are where their en values put them
    _, by_en = get(api, "/api/beads", sort="similarity", similarity_lang="en")
    en = [b["similarity"]["en"] for b in by_en["beads"] if b["similarity"]["en"] is not None]
    assert en == sorted(en) and len(en) == len(beads) - 2
    # the Chinese-only beads have no en pair at all (both sides empty): last
    assert {b["key"] for b in by_en["beads"][-2:]} == {"zh:I.3", "zh:V.4"}
    # the workspace records the encoder and each pair's median
    _, w = get(api, "/api/workspace")
    assert w["encoder"] == ctx.semantic().name
    assert 0.6 < w["similarity"]["zh"]["median"] < 0.8
    assert w["similarity"]["zh"]["n"] == len(beads) - 4


def test_threshold_filter_is_the_users(ctx, plan_ws):
    ws, _ = plan_ws
    api = Api(ws, "ana")
    _, low = get(api, "/api/beads", max_similarity=0.5, similarity_lang="zh")
    keys = {b["key"] for b in low["beads"]}
    assert SWAPPED < keys and "VII" in keys       # the heading 落实 / Implementación: 0.32
    assert all(b["similarity"]["zh"] <= 0.5 for b in low["beads"] if b["key"] not in SWAPPED)
    _, lower = get(api, "/api/beads", max_similarity=-0.5)
    assert {b["key"] for b in lower["beads"]} == SWAPPED      # unpaired: kept at any level
    _, every = get(api, "/api/beads", max_similarity=1)
    _, all_ = get(api, "/api/beads")
    assert len(every["beads"]) == len(all_["beads"])
    for bad in ({"max_similarity": "low"}, {"sort": "random"}, {"similarity_lang": "fr"}):
        status, out = get(api, "/api/beads", **bad)
        assert status == 400 and "error" in out and "\n" not in out["error"]


def test_an_edit_gets_its_own_similarity_never_the_old_one(ctx, tmp_path):
    ws = init_workspace(tmp_path / "p.review", ["2022-2024:es", "2022-2024:zh"],
                        semantic=ctx.semantic())
    before = Api(ws, "ana").views("I.3")[0]["similarity"]["zh"]
    wrong = ws.bead("V.4").texts["zh"]           # another clause's rendering
    # a server without the encoder: the edited bead shows no value, not the stale one
    out = post(Api(ws, "ana"), "I.3", action="edit", lang="zh", text=wrong)
    assert out["bead"]["targets"]["zh"] == wrong and out["bead"]["similarity"]["zh"] is None
    # with the encoder, the next view computes it, and it is kept in the workspace
    after = Api(ws, "ana", ctx.semantic()).views("I.3")[0]["similarity"]["zh"]
    assert after < before - 0.3
    assert Api(Store(ws.path), "bo").views("I.3")[0]["similarity"]["zh"] == after
    # the edit's own reply carries it when the server has the encoder
    api = Api(ws, "ana", ctx.semantic())
    out = post(api, "I.3", action="edit", lang="zh", text=ws.bead("I.3").texts["zh"] + " ")
    assert out["bead"]["similarity"]["zh"] == pytest.approx(before, abs=0.02)
    # undo twice: the aligner's text again, and its value again
    for _ in range(2):
        assert api.handle("POST", "/api/beads/I.3/undo")[0] == 200
    assert api.views("I.3")[0]["similarity"]["zh"] == before


def test_merge_and_split_recompute_for_the_new_beads(ctx, tmp_path):
    ws = init_workspace(tmp_path / "p.review", ["2022-2024:es", "2022-2024:zh"],
                        semantic=ctx.semantic())
    api = Api(ws, "ana", ctx.semantic())
    sem = ctx.semantic()
    out = post(api, "II.1.1", action="merge")
    merged = out["bead"]
    assert merged["key"] != "II.1.1" and merged["similarity"]["zh"] is not None
    texts = merged["texts"]
    want = float(sem.embed([texts["es"]], "es")[0] @ sem.embed([texts["zh"]], "zh")[0])
    assert merged["similarity"]["zh"] == pytest.approx(want, abs=1e-3)
    out = post(api, merged["key"], action="split", lang="es", at=1)
    first = out["bead"]
    assert first["similarity"]["zh"] == pytest.approx(
        Api(ws, "x").views("II.1.1")[0]["similarity"]["zh"], abs=1e-4)


def test_update_keeps_values_and_encodes_nothing_new(ctx, tmp_path):
    ws = init_workspace(tmp_path / "p.review", ["2022-2024:es", "2022-2024:zh"],
                        semantic=ctx.semantic())
    before = {v["key"]: v["similarity"] for v in Api(ws, "a").views()}
    sem = ctx.semantic()
    n = sem.encoded
    update_workspace(ws, semantic=sem)
    assert sem.encoded == n
    assert {v["key"]: v["similarity"] for v in Api(Store(ws.path), "a").views()} == before


def test_an_old_workspace_loads_with_no_similarity(ctx, tmp_path):
    ws = init_workspace(tmp_path / "old.review", ["2022-2024:es", "2022-2024:zh"])
    with sqlite3.connect(ws.path) as c:           # as a workspace made before similarity
        c.execute("DROP TABLE similarity")
        c.execute("DROP TABLE neighbours")
        c.execute("DELETE FROM meta WHERE key IN ('encoder', 'embed_model')")
    api = Api(Store(ws.path), "ana")
    status, out = get(api, "/api/beads", sort="similarity")
    assert status == 200 and out["beads"]
    assert all(v is None for b in out["beads"] for v in b["similarity"].values())
    assert all(b["neighbours"] is None for b in out["beads"])
    assert [b["pos"] for b in out["beads"]] == sorted(b["pos"] for b in out["beads"])
    _, w = get(api, "/api/workspace")
    assert w["encoder"] is None and w["similarity"] == {}
    assert post(api, "II.1.1", action="accept")["bead"]["state"] == "accepted"


def test_real_un_charter_swap_comes_first(ctx, tmp_path):
    es = f"{PARALLEL / 'un-charter.es.txt'}@es"
    ws = init_workspace(tmp_path / "un.review", [es, _un_swapped(tmp_path)],
                        semantic=ctx.semantic())
    _, out = get(Api(ws, "ana"), "/api/beads", sort="similarity")
    # here the article numbers keep the swapped texts paired: measured, and the lowest
    beads = out["beads"]
    assert {b["key"] for b in beads[:2]} == {"art.1.3", "art.2.6"}
    assert not any(b["unpaired"] for b in beads)
    vals = sorted(b["similarity"]["zh"] for b in beads if b["similarity"]["zh"] is not None)
    assert max(b["similarity"]["zh"] for b in beads[:2]) < 0.25 < vals[len(vals) // 2] - 0.4


PLAN_2015 = Path(__file__).parent / "fixtures" / "structure" / "real" / "plan-2015-2019.en.txt"


def test_nearest_clauses_in_another_version(ctx, tmp_path):
    """The real 2015-2019 plan (chapter I, clauses 1-5): 2022-2024's I.9 (judicial
    cooperation) has its predecessor 2015 I.5 first, though the numbers differ; I.1 has
    I.1. A merged bead's pivot text is new: no list until ``review update``."""
    v2015 = f"{PLAN_2015}@en"
    ws = init_workspace(tmp_path / "n.review", ["2022-2024:es", "2022-2024:zh"],
                        semantic=ctx.semantic(), load=ctx.load_aligned, versions=[v2015])
    api = Api(ws, "ana", ctx.semantic())
    views = {v["key"]: v for v in api.views()}
    for key, want in (("I.9", "I.5"), ("I.1", "I.1")):
        near = views[key]["neighbours"]
        assert len(near) == 3 and near[0]["id"] == want and near[0]["lang"] == "en"
        assert near[0]["ref"].endswith("plan-2015-2019.en.txt@en")
        assert [n["similarity"] for n in near] == sorted((n["similarity"] for n in near),
                                                         reverse=True)
    assert 0.5 < views["I.9"]["neighbours"][0]["similarity"] < 0.7
    assert json.loads(api.handle("GET", "/api/workspace")[2])["versions"] == [
        str(PLAN_2015.resolve()) + "@en"]
    merged = post(api, "I.8", action="merge")["bead"]
    assert merged["neighbours"] is None
    update_workspace(ws, load=ctx.load_aligned, semantic=ctx.semantic())
    assert Api(ws, "a").views(merged["key"])[0]["neighbours"][0]["ref"].endswith("@en")


def test_cli_init_records_the_encoder_or_none(tmp_path):
    env = {"CELAC_I18N_CACHE": str(tmp_path / "cache.sqlite")}
    r = run_cli("review", "init", str(tmp_path / "a.review"), "2022-2024:es", "2022-2024:zh",
                "--checks", "numbers", env=env)
    assert r.returncode == 0, r.stderr
    assert "similarity by use-m3" in r.stderr
    ws = Store(tmp_path / "a.review")
    assert ws.meta["encoder"].startswith("use-m3") and ws.meta["embed_model"] is None
    assert any(v["similarity"]["zh"] for v in Api(ws, "a").views())
    r = run_cli("review", "init", str(tmp_path / "b.review"), "2022-2024:es", "2022-2024:zh",
                "--checks", "numbers", "--embed-model", "none", env=env)
    assert r.returncode == 0, r.stderr
    ws = Store(tmp_path / "b.review")
    assert ws.meta["encoder"] is None and ws.meta["embed_model"] == "none"
    assert all(v["similarity"]["zh"] is None for v in Api(ws, "a").views())
    r = run_cli("review", "update", str(tmp_path / "b.review"), env=env)
    assert r.returncode == 0, r.stderr
    assert Store(tmp_path / "b.review").meta["encoder"] is None      # stays off
    r = run_cli("review", "init", str(tmp_path / "c.review"), "2022-2024:es", "2022-2024:zh",
                "--embed-model", str(tmp_path / "no-such-model"), env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c.review").exists()


# -- the page, in a real browser ----------------------------------------------------------
from browser import CHROMIUM, served_page  # noqa: E402


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/setup.sh)")
def test_page_sorts_weakest_first_and_filters_at_a_threshold(ctx, plan_ws):
    pw_api = pytest.importorskip("playwright.sync_api")
    from celac_i18n.review.server import ReviewServer

    ws, d = plan_ws
    srv = ReviewServer(Api(ws, "ana", ctx.semantic()), 0, "plan.review")
    expect = pw_api.expect
    with served_page(pw_api, srv, d / "similarity-failure.png") as pg:
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(srv.url)
        expect(pg.locator("body")).to_have_attribute("data-ready", "1")
        beads = pg.locator(".row")                      # the grid's rows (a window of them)
        expect(beads.first).to_have_attribute("data-key", "title")   # document order
        side = pg.locator("#tab-bead")
        row = lambda k: pg.locator(f'.row[data-key="{k}"]')  # noqa: E731
        # the current bead shows its similarity per language pair
        row("I.1").click()
        expect(side.locator('.sim[data-lang="zh"]')).to_contain_text("es→zh sim 0.")
        expect(side.locator('.sim[data-lang="en"]')).to_contain_text("es→en sim 0.")
        row("I.3").click()
        expect(side.locator('.sim[data-lang="zh"]')).to_have_text("es→zh unpaired")
        pg.select_option("#f-sort", "similarity")
        expect(beads.nth(1)).to_be_visible()
        _, want = get(Api(ws, "x"), "/api/beads", sort="similarity")
        shown = [beads.nth(k).get_attribute("data-key") for k in range(beads.count())]
        assert set(shown[:4]) == SWAPPED
        assert shown == [b["key"] for b in want["beads"]][:len(shown)]
        row("zh:I.3").click()
        expect(side.locator(".sim.unpaired")).to_have_text("es→zh unpaired")
        # the threshold is the user's: 0.5 on the zh pair shows what the API gives
        pg.select_option("#f-sim-lang", "zh")
        pg.fill("#f-sim-max", "0.5")
        _, want = get(Api(ws, "x"), "/api/beads", sort="similarity",
                      max_similarity=0.5, similarity_lang="zh")
        keys = [b["key"] for b in want["beads"]]
        expect(pg.locator("#shown")).to_have_text(f"{len(keys)} shown")
        assert [beads.nth(k).get_attribute("data-key")
                for k in range(beads.count())] == keys[:beads.count()]
        row("VII").click()
        vii = side.locator('.sim[data-lang="zh"]')
        expect(vii).to_have_class(re.compile(r"\blow\b"))
        pg.fill("#f-sim-max", "0.9")
        expect(pg.locator("#shown")).not_to_have_text(f"{len(keys)} shown")
        expect(vii).to_have_class(re.compile(r"\blow\b"))
        pg.fill("#f-sim-max", "0.2")
        expect(row("VII")).to_have_count(0)          # filtered out: 0.32 > 0.2
        # an edit in the page brings the bead its new similarity: the unpaired
        # I.3 given its right text (the 0-1 bead zh:V.4 holds it)
        pg.fill("#f-sim-max", "")
        right = row("zh:V.4").locator('.cell-text[data-lang="zh"]').text_content()
        row("I.3").click()
        pg.keyboard.press("e")
        side.locator('textarea[data-lang="zh"]').fill(right)
        side.locator('textarea[data-lang="zh"]').press("Control+Enter")
        expect(row("I.3").locator('.cell-text[data-lang="zh"]')).to_have_text(right)
        row("I.3").click()
        v = float(side.locator('.sim[data-lang="zh"]').get_attribute("data-value"))
        assert v > 0.6
        assert errors == []
        Api(ws, "ana").handle("POST", "/api/beads/I.3/undo")
