"""The review page in a real browser: Debian's Chromium (scripts/setup.sh installs it)
driven by Playwright for Python. Never `playwright install`: the browser is the
system's /usr/bin/chromium.

A reviewer accepts a bead with the keyboard, edits a target (with text that looks like
HTML), dismisses a QA finding with a reason, comments, reloads and finds it all
persisted, then downloads the XLIFF 1.2 export and checks its states and texts. On a
failure the page is saved as a screenshot (path in the failure message).
"""

from __future__ import annotations

import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from browser import ARGS, CHROMIUM, served_page

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (scripts/setup.sh installs it)")
playwright_api = pytest.importorskip("playwright.sync_api")

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
HOSTILE = '促进<img src=x onerror="document.body.dataset.pwned=1">贸易'


@pytest.fixture()
def served(tmp_path_factory):
    from celac_i18n.review.api import Api
    from celac_i18n.review.build import init_workspace
    from celac_i18n.review.server import ReviewServer

    d = tmp_path_factory.mktemp("review")
    ws = init_workspace(d / "plan.review", ["2022-2024:es", "2022-2024:zh", "2022-2024:en"])
    srv = ReviewServer(Api(ws, "ana"), 0, "plan.review")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield ws, srv, d
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def page(served):
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.js_errors = errors
        try:
            yield pg
        finally:
            browser.close()


def bead(pg, key):
    return pg.locator(f'section.bead[data-key="{key}"]')


def test_review_in_chromium_persists_and_exports(served, page, tmp_path):
    ws, srv, d = served
    expect = playwright_api.expect
    try:
        _review(ws, srv, page, expect, tmp_path)
    except Exception as e:
        shot = d / "review-failure.png"
        page.screenshot(path=str(shot), full_page=False)
        raise AssertionError(f"browser test failed ({e}); screenshot at {shot}") from e


def _review(ws, srv, pg, expect, tmp_path):
    total = len(ws.beads())
    pg.goto(srv.url)
    expect(pg.locator("body")).to_have_attribute("data-ready", "1")
    expect(pg.locator("#progress")).to_have_text(f"0 of {total} reviewed")
    # Chinese is set in the CJK font
    zh = bead(pg, "I.1").locator('.text[data-lang="zh"]')
    assert "Noto Sans CJK SC" in zh.evaluate("e => getComputedStyle(e).fontFamily")

    # keyboard: j j → the second bead; a accepts it
    pg.keyboard.press("j")
    pg.keyboard.press("j")
    second = ws.beads()[1].key
    pg.keyboard.press("a")
    expect(pg.locator("#progress")).to_have_text(f"1 of {total} reviewed")
    expect(bead(pg, second).locator(".badge.state-accepted")).to_have_text("accepted")
    # k goes back to the first, r rejects it, u undoes that
    pg.keyboard.press("k")
    pg.keyboard.press("r")
    expect(bead(pg, "title").locator(".badge.state-rejected")).to_be_visible()
    pg.keyboard.press("u")
    expect(bead(pg, "title").locator(".badge.state-unreviewed")).to_be_visible()
    expect(pg.locator("#progress")).to_have_text(f"1 of {total} reviewed")

    # edit a target: click the bead, e, type, Ctrl+Enter; the diff shows the change
    bead(pg, "I.2").locator(".bead-head").click()
    pg.keyboard.press("e")
    area = bead(pg, "I.2").locator('textarea[data-lang="zh"]')
    expect(area).to_be_focused()
    area.fill(HOSTILE)
    area.press("Control+Enter")
    zh_text = bead(pg, "I.2").locator('.text[data-lang="zh"]')
    expect(zh_text).to_have_text(HOSTILE)
    assert bead(pg, "I.2").locator("img").count() == 0          # text, not HTML
    expect(bead(pg, "I.2").locator(".diff ins").first).to_be_visible()
    expect(pg.locator("#progress")).to_have_text(f"2 of {total} reviewed")

    # an emptied target is refused: the message shows and the editor keeps the text
    bead(pg, "I.4").locator(".bead-head").click()
    pg.keyboard.press("e")
    area4 = bead(pg, "I.4").locator('textarea[data-lang="zh"]')
    area4.fill("   ")
    area4.press("Control+Enter")
    expect(pg.locator("#error")).to_contain_text("empty")
    expect(area4).to_have_value("   ")
    area4.press("Escape")
    expect(area4).to_have_count(0)

    # dismiss a QA finding with a reason
    f = ws.findings()[0]
    li = bead(pg, f.bead).locator(f'li[data-finding="{f.fkey}"]')
    li.locator("button.dismiss").click()
    li.locator("input.reason").fill("a standing variant, agreed with the editor")
    li.locator("input.reason").press("Enter")
    expect(li).to_have_class("dismissed")

    # a comment
    bead(pg, "I.3").locator("button.comment").click()
    bead(pg, "I.3").locator("input.reason").fill("ask the desk about 治国理政")
    bead(pg, "I.3").locator("input.reason").press("Enter")
    expect(bead(pg, "I.3").locator(".comment-note")).to_contain_text("ask the desk about 治国理政")

    # filters: unreviewed hides the two reviewed beads; a severity shows only its beads
    pg.select_option("#f-state", "unreviewed")
    expect(pg.locator("#shown")).to_have_text(f"{total - 2} shown")
    assert bead(pg, "I.2").count() == 0
    pg.select_option("#f-state", "")
    pg.check("#f-low")
    low = sum(1 for b in ws.beads() if b.confidence < 0.5)
    expect(pg.locator("#shown")).to_have_text(f"{low} shown")
    pg.uncheck("#f-low")

    # reload: everything is still there
    pg.reload()
    expect(pg.locator("body")).to_have_attribute("data-ready", "1")
    expect(pg.locator("#progress")).to_have_text(f"2 of {total} reviewed")
    expect(bead(pg, second).locator(".badge.state-accepted")).to_be_visible()
    expect(bead(pg, "I.2").locator('.text[data-lang="zh"]')).to_have_text(HOSTILE)
    expect(bead(pg, f.bead).locator(f'li[data-finding="{f.fkey}"]')).to_contain_text(
        "a standing variant, agreed with the editor")
    expect(bead(pg, "I.3").locator(".comment-note")).to_contain_text("治国理政")
    assert pg.locator("body").get_attribute("data-pwned") is None
    assert not pg.js_errors, pg.js_errors

    # export XLIFF 1.2 es→zh from the page's link
    with pg.expect_download() as dl:
        pg.get_by_text("es→zh XLIFF 1.2").click()
    path = tmp_path / "es-zh.xlf"
    dl.value.save_as(path)
    root = ET.fromstring(path.read_bytes())
    q = lambda t: f"{{{XLIFF12}}}{t}"  # noqa: E731
    units = {u.get("id"): u for u in root.iter(q("trans-unit"))}
    assert units[second].find(q("target")).get("state") == "final"
    assert units[second].get("approved") == "yes"
    assert units["I.2"].find(q("target")).get("state") == "signed-off"
    assert units["I.2"].find(q("target")).text == HOSTILE
    assert units["I.1"].find(q("target")).get("state") == "translated"
    notes = [n.text for n in units[f.bead].findall(q("note"))]
    if f.tgt_lang == "zh":
        assert any("dismissed by ana" in n for n in notes), notes


REAL = Path(__file__).parent / "fixtures" / "structure" / "real" / "plan-2015-2019.en.txt"


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_review_page_on_a_real_document(tmp_path):
    """The China–LAC Cooperation Plan 2015–2019 (real excerpt, English as published by
    the Chinese embassy in Dominica) against its apertium Spanish rendering."""
    from conftest import run_cli
    from celac_i18n.review.api import Api
    from celac_i18n.review.build import init_workspace
    from celac_i18n.review.server import ReviewServer

    es = tmp_path / "plan15.es.txt"
    r = run_cli("translate", f"{REAL}@en", "--to", "es", "-o", str(es))
    assert r.returncode == 0, r.stderr
    ws = init_workspace(tmp_path / "real.review", [f"{REAL}@en", f"{es}@es"])
    ids = (REAL.parent / "plan-2015-2019.ids").read_text().split()
    assert [b.key for b in ws.beads()] == ids
    srv = ReviewServer(Api(ws, "ana"), 0, "real.review")
    expect = playwright_api.expect
    with served_page(playwright_api, srv, tmp_path / "review-real-failure.png") as pg:
        pg.goto(srv.url)
        expect(pg.locator("body")).to_have_attribute("data-ready", "1")
        expect(pg.locator("#progress")).to_have_text(f"0 of {len(ids)} reviewed")
        assert pg.locator("section.bead").count() == len(ids)
        expect(bead(pg, "I.3").locator('.text[data-lang="en"]')).to_contain_text(
            "1,000 political leaders")
        bead(pg, "I.3").locator(".bead-head").click()
        pg.keyboard.press("a")
        pg.keyboard.press("j")
        pg.keyboard.press("r")
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids)} reviewed")
        expect(bead(pg, "I.4").locator(".badge.state-rejected")).to_be_visible()
        # re-pair: merge I.1 with I.2, undo splits it; then merge I.2 with I.3
        bead(pg, "I.1").locator(".bead-head").click()
        pg.keyboard.press("m")
        expect(bead(pg, "I.1_I.2")).to_be_visible()
        expect(bead(pg, "I.1_I.2").locator(".merged")).to_contain_text("I.1 + I.2")
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids) - 1} reviewed")
        assert bead(pg, "I.1").count() == 0
        expect(bead(pg, "I.1_I.2")).to_have_class("bead state-unreviewed current")
        pg.keyboard.press("u")
        expect(bead(pg, "I.1")).to_be_visible()
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids)} reviewed")
        pg.keyboard.press("j")
        pg.keyboard.press("m")
        expect(bead(pg, "I.2_I.3")).to_be_visible()
        # split it again at the seam (s; both sides cut after I.2 by default; Enter);
        # a reload shows it kept
        pg.keyboard.press("s")
        form = bead(pg, "I.2_I.3").locator(".split-form")
        expect(form.locator('select[data-lang="en"]')).to_be_focused()
        expect(form.locator('select[data-lang="es"]')).to_have_value("1")  # after I.2
        pg.keyboard.press("Enter")
        expect(bead(pg, "I.3")).to_be_visible()
        assert bead(pg, "I.2_I.3").count() == 0
        pg.reload()
        expect(pg.locator("body")).to_have_attribute("data-ready", "1")
        expect(bead(pg, "I.3").locator(".split")).to_contain_text(
            "split from I.2_I.3 into I.2 + I.3 by ana")
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids)} reviewed")
        assert bead(pg, "I.2_I.3").count() == 0
        assert bead(pg, "I.4").locator("button.split").count() == 0
    st = ws.states()
    assert st["I.4"].verdict == "reject" and "I.2_I.3" not in st
    # I.3 was merged into I.2 after it was accepted, then split off again with its text
    # unchanged: its acceptance is in force again
    assert st["I.3"].verdict == "accept" and [d["action"] for d in st["I.3"].history][-1] == "split"
