"""The review page in a real browser, used as a translator would: Debian's Chromium
(scripts/setup.sh installs it) driven by Playwright for Python. Never `playwright
install`: the browser is the system's /usr/bin/chromium.

The main workspace is the plan's official Spanish against a damaged English rendering
made from the project's reference: clauses 4 and 5 of chapter I run together and
clause 7 dropped, the rest renumbered (what a pasted or OCR'd translation looks
like). The translator finds the weakest bead first, types the missing clause with a
machine suggestion beside it, splits the run-together pair inside its text, bulk-
accepts the rest, exports the accepted beads, edits the export as a CAT tool would,
imports it back with the page's button, re-imports an older export and reads the
conflict report; a second tab's stale write is refused and told. On a failure the
page is saved as a screenshot (path in the failure message).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from browser import ARGS, CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (scripts/setup.sh installs it)")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parents[1]
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
HOSTILE = '促进<img src=x onerror="document.body.dataset.pwned=1">贸易'
# the English reference's chapter I, clause 7 (the one the damaged rendering drops)
CLAUSE_7 = ("Expand bilateral and multilateral cooperation against corruption, trafficking, "
            "smuggling, money laundering, tax evasion and illicit financial flows in accordance "
            "with the respective national laws and the United Nations Convention against "
            "Corruption.")
SEAM = "Cooperate to facilitate the implementation"     # where clause 5 starts in the join


def damaged_english(d: Path) -> Path:
    """The en reference with chapter I's clauses 4+5 run together and 7 dropped,
    renumbered 1..7."""
    paras = (ROOT / "corpora/2022-2024/en.reference.txt").read_text(encoding="utf-8").split("\n\n")
    out, in_one = [], False
    for p in paras:
        if p.startswith("I. "):
            in_one = True
        elif p.startswith("II. "):
            in_one = False
        m = re.match(r"(\d+)\. (.*)", p, re.S)
        if in_one and m:
            n, body = int(m.group(1)), m.group(2)
            if n == 5:
                out[-1] += " " + body
                continue
            if n == 7:
                continue
            out.append(f"{n if n < 5 else n - 1 if n < 7 else n - 2}. {body}")
        else:
            out.append(p)
    path = d / "plan-damaged.en.txt"
    path.write_text("\n\n".join(out), encoding="utf-8")
    return path


@pytest.fixture()
def served(tmp_path):
    from celac_i18n.review.api import Api
    from celac_i18n.review.build import init_workspace
    from celac_i18n.review.server import ReviewServer

    en = damaged_english(tmp_path)
    ws = init_workspace(tmp_path / "plan.review", ["2022-2024:es", f"{en}@en"])
    srv = ReviewServer(Api(ws, "ana"), 0, "plan.review")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield ws, srv, tmp_path
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def browser():
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def new_page(browser, errors=None):
    pg = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    errors = [] if errors is None else errors
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    return pg


def row(pg, key):
    return pg.locator(f'.row[data-key="{key}"]')


def side(pg):
    return pg.locator("#tab-bead")


def open_page(pg, srv):
    pg.goto(srv.url)
    expect(pg.locator("body")).to_have_attribute("data-ready", "1")


def shot_on_failure(pg, path):
    class Guard:
        def __enter__(self):
            return self

        def __exit__(self, et, e, tb):
            if et is not None and et is not pytest.skip.Exception:
                pg.screenshot(path=str(path))
                raise AssertionError(f"browser test failed ({e}); screenshot at {path}") from e
    return Guard()


@contextlib.contextmanager
def on_page(browser, ws, shot: Path):
    """A 1440×900 page on ``ws`` served for the block, opened; a failure inside leaves
    a screenshot at ``shot``."""
    from celac_i18n.review.api import Api
    from celac_i18n.review.server import ReviewServer

    srv = ReviewServer(Api(ws, "ana"), 0, ws.path.name)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    pg = new_page(browser)
    try:
        with shot_on_failure(pg, shot):
            open_page(pg, srv)
            yield pg
    finally:
        srv.shutdown()
        srv.server_close()


def fully_visible_rows(pg) -> int:
    return pg.evaluate("""() => {
        const v = document.getElementById('viewport').getBoundingClientRect();
        return [...document.querySelectorAll('.row')].filter(r => {
          const b = r.getBoundingClientRect();
          return b.top >= v.top - 0.5 && b.bottom <= v.bottom + 0.5; }).length; }""")


def test_translator_fixes_the_weakest_beads_then_bulk_accepts_and_exports(served, browser,
                                                                          tmp_path):
    ws, srv, d = served
    pg = new_page(browser)
    with shot_on_failure(pg, d / "review-translator-failure.png"):
        open_page(pg, srv)
        total = len(ws.beads())
        expect(pg.locator("#progress")).to_have_text(f"0 of {total} reviewed")
        # dense: 15-25 rows on a 1440x900 screen, under the header, not overlapping
        assert 15 <= fully_visible_rows(pg) <= 25
        boxes = pg.evaluate("""() => [...document.querySelectorAll('.row')].slice(0, 20).map(r => {
            const b = r.getBoundingClientRect(); return [b.top, b.bottom]; })""")
        head = pg.locator("#grid-head").bounding_box()
        assert boxes[0][0] >= head["y"] + head["height"] - 0.5
        assert all(a[1] <= b[0] + 0.5 for a, b in zip(boxes, boxes[1:]))
        # no text cell spills out of its row
        assert pg.evaluate("""() => [...document.querySelectorAll('.row .cell-text')].every(c =>
            c.getBoundingClientRect().bottom
              <= c.closest('.row').getBoundingClientRect().bottom + 0.5)""")
        assert pg.locator("button:visible").count() < 40   # not six buttons per bead
        pg.screenshot(path=str(tmp_path / "grid-1440x900.png"))
        # the file is named by its file name with a real status, not its full path
        expect(pg.locator('#grid-head [data-lang="en"]')).to_have_text(
            "en · plan-damaged.en.txt (file)")
        assert "unknown status" not in pg.locator("body").inner_text()

        # weakest first: the clause the English dropped is on top, and says why
        pg.select_option("#f-sort", "weak")
        expect(pg.locator(".row").first).to_have_attribute("data-key", "I.7")
        pg.keyboard.press("n")                          # next weak bead
        expect(row(pg, "I.7")).to_have_class(re.compile(r"\bcurrent\b"))
        expect(side(pg).locator(".reasons")).to_contain_text(
            re.compile(r"empty|omitted|unpaired|missing", re.I))
        # type the missing English: the editor offers apertium's rendering, labelled machine
        pg.keyboard.press("e")
        area = side(pg).locator('textarea[data-lang="en"]')
        expect(area).to_be_focused()
        if shutil.which("apertium"):
            mt = side(pg).locator('.suggestion[data-engine="apertium"]')
            expect(mt.locator(".label")).to_have_text("machine")
            expect(mt.locator(".mt")).to_contain_text("corruption")
            area.press("Control+m")                     # take it, then post-edit
            assert "corruption" in area.input_value()
        area.fill(CLAUSE_7)
        area.press("Control+Enter")                     # save and go on
        expect(row(pg, "I.7")).to_have_class(re.compile(r"state-edited"))
        expect(row(pg, "I.7").locator('.cell-text[data-lang="en"]')).to_have_text(CLAUSE_7)
        expect(row(pg, "I.7")).not_to_have_class(re.compile(r"\bcurrent\b"))

        # the run-together pair: split inside the English text at the cursor
        pg.select_option("#f-sort", "position")
        row(pg, "I.4_I.5").click()
        pg.keyboard.press("s")
        cut = side(pg).locator('.splitter textarea[data-lang="en"]')
        en_text = ws.bead("I.4_I.5").texts["en"]
        at = en_text.index(SEAM)
        cut.click()
        cut.evaluate(f"(a) => a.setSelectionRange({at + 3}, {at + 3})")
        for _ in range(3):
            cut.press("ArrowLeft")                  # the cursor moves; typing does not
        cut.press("x")
        assert cut.input_value() == en_text
        expect(side(pg).locator(".splitter .preview").last).to_contain_text("| " + SEAM[:20])
        es = side(pg).locator('.splitter textarea[data-lang="es"]')
        es_at = len(ws.bead("I.4_I.5").texts["es"].split("Cooperar")[0])
        es.evaluate(f"(a) => a.setSelectionRange({es_at}, {es_at})")
        es.press("Enter")
        expect(row(pg, "I.5")).to_be_visible()
        expect(row(pg, "I.5").locator('.cell-text[data-lang="en"]')).to_contain_text(SEAM)
        expect(row(pg, "I.4").locator('.cell-text[data-lang="en"]')).not_to_contain_text(SEAM)
        assert row(pg, "I.4_I.5").count() == 0

        # bulk: accept everything below the weakness threshold, with a confirmation
        # (a threshold the translator reads off the list: the few weakest open beads stay)
        from celac_i18n.review.api import Api

        open_scores = sorted((v["weak"]["score"] for v in Api(ws, "ana").views()
                              if not v["reviewed"]), reverse=True)
        cut_at = open_scores[min(3, len(open_scores) - 1)] if open_scores else 0.5
        pg.fill("#f-weak", f"{max(cut_at, 0.01):.2f}")
        pg.locator("#bulk-strong").click()
        expect(pg.locator("#dialog")).to_be_visible()
        expect(pg.locator("#dlg-title")).to_contain_text("Accept")
        pg.locator("#dlg-ok").click()
        expect(pg.locator("#progress")).not_to_have_text(re.compile(r"^1 of "), timeout=30000)
        states = ws.states()
        weak_left = [b.key for b in ws.beads()
                     if not states.get(b.key) or not states[b.key].reviewed]
        assert weak_left, "the weak beads stay for the translator"
        accepted = [k for k, s in states.items() if s.verdict == "accept"]
        assert len(accepted) >= total - 15
        # the weak ones left: shown alone, the status filter counts them
        pg.check("#f-weak-only")
        pg.select_option("#f-state", "unreviewed")
        expect(pg.locator("#shown")).to_have_text(f"{len(weak_left)} shown")
        # accepting one under "unreviewed" takes its row out (the grid is not worked out
        # again whole after a decision: the bead is replaced or taken out in place)
        if len(weak_left) > 1:
            one = pg.locator('#rows .row[aria-rowindex="1"]').get_attribute("data-key")
            row(pg, one).click()
            pg.keyboard.press("a")
            expect(pg.locator("#shown")).to_have_text(f"{len(weak_left) - 1} shown")
            expect(row(pg, one)).to_have_count(0)
            accepted.append(one)
        pg.uncheck("#f-weak-only")
        pg.select_option("#f-state", "accepted")
        expect(pg.locator("#shown")).to_have_text(f"{len(accepted)} shown")
        pg.select_option("#f-state", "")

        # export the accepted beads only (for a TM), XLIFF 1.2
        pg.locator("#export-menu summary").click()
        pg.select_option("#x-status", "accepted")
        with pg.expect_download() as dl:
            pg.locator("#x-link").click()
        path = tmp_path / "accepted.xlf"
        dl.value.save_as(path)
        q = lambda t: f"{{{XLIFF12}}}{t}"  # noqa: E731
        units = list(ET.fromstring(path.read_bytes()).iter(q("trans-unit")))
        assert len(units) == len(accepted)
        assert all(u.get("approved") == "yes" for u in units)
        assert dl.value.suggested_filename.startswith("plan.")

        # reload: the current bead is kept (and everything decided)
        pg.locator("#viewport").evaluate("v => { v.scrollTop = 0; v.dispatchEvent(new Event('scroll')); }")
        row(pg, "I.9").click()
        pg.reload()
        expect(pg.locator("body")).to_have_attribute("data-ready", "1")
        expect(pg.locator(".row.current")).to_have_attribute("data-key", "I.9")
        assert pg.url.endswith("#bead=I.9")
        expect(row(pg, "I.7").locator('.cell-text[data-lang="en"]')).to_have_text(CLAUSE_7)
        assert not pg.js_errors, pg.js_errors


def test_cat_round_trip_through_the_import_button_reports_conflicts(served, browser, tmp_path):
    ws, srv, d = served
    pg = new_page(browser)
    with shot_on_failure(pg, d / "review-import-failure.png"):
        open_page(pg, srv)
        pg.locator("#export-menu summary").click()
        with pg.expect_download() as dl:
            pg.locator("#x-link").click()
        old = tmp_path / "old.xlf"
        dl.value.save_as(old)
        # a CAT tool edits I.6's target in the exported file
        new_i6 = "Promote dialogue and cooperation on cyberspace norms and rules (CAT edit)."
        cat = tmp_path / "cat.xlf"
        cat.write_bytes(_set_target(old.read_bytes(), "I.6", new_i6))
        pg.set_input_files("#import-file", str(cat))
        expect(pg.locator("#dialog")).to_be_visible()
        expect(pg.locator("#dlg-title")).to_contain_text("Imported cat.xlf")
        expect(pg.locator(".import-summary")).to_contain_text("1")
        pg.locator("#dlg-ok").click()
        expect(row(pg, "I.6").locator('.cell-text[data-lang="en"]')).to_have_text(new_i6)
        # meanwhile the workspace changes I.8; the older export changes I.6 and I.8
        row(pg, "I.8").click()
        pg.keyboard.press("e")
        side(pg).locator('textarea[data-lang="en"]').fill("Hold the Defence Forum (workspace).")
        side(pg).locator('textarea[data-lang="en"]').press("Control+Enter")
        expect(row(pg, "I.8").locator('.cell-text[data-lang="en"]')).to_have_text(
            "Hold the Defence Forum (workspace).")
        older = tmp_path / "older.xlf"
        older_i8 = ws.bead("I.8").texts["en"]
        older.write_bytes(_set_target(_set_target(old.read_bytes(), "I.8", "Hold the Defence "
                                                  "Forum (file)."), "I.9", "I.9 (file)."))
        pg.set_input_files("#import-file", str(older))
        expect(pg.locator("#dialog")).to_be_visible()
        # the report: I.9 applied, I.6 kept (newer here), I.8 a conflict with its three texts
        # (every other target unchanged: all beads but I.9, I.8 and the one with no English)
        expect(pg.locator(".import-summary")).to_contain_text(
            f"1 applied · {len(ws.beads()) - 3} unchanged")
        expect(pg.locator(".import-summary")).to_contain_text("1 kept (newer here) · 1 conflict")
        expect(pg.locator(".import-base")).to_contain_text("exported at revision")
        conflict = pg.locator('.conflict[data-key="I.8"]')
        expect(conflict.locator(".ws-text")).to_have_text("Hold the Defence Forum (workspace).")
        expect(conflict.locator(".file-text")).to_have_text("Hold the Defence Forum (file).")
        expect(conflict.locator(".base-text")).to_have_text(older_i8)
        expect(conflict).to_contain_text("by ana")
        pg.locator(".import-list.kept summary").click()
        expect(pg.locator(".import-list.kept")).to_contain_text("I.6 (en)")
        pg.locator("#dlg-ok").click()
        # nothing overwritten: I.6 keeps the CAT edit (the older file never changed it),
        # I.8 the workspace's; I.9, changed by the file only, is applied
        expect(row(pg, "I.6").locator('.cell-text[data-lang="en"]')).to_have_text(new_i6)
        expect(row(pg, "I.8").locator('.cell-text[data-lang="en"]')).to_have_text(
            "Hold the Defence Forum (workspace).")
        expect(row(pg, "I.9").locator('.cell-text[data-lang="en"]')).to_have_text("I.9 (file).")
        # the same file again: the conflict is still there; the translator takes the file's text
        pg.set_input_files("#import-file", str(older))
        take = pg.locator('.conflict[data-key="I.8"] button.take-file')
        take.click()
        expect(take).to_have_text("the file's text taken")
        pg.locator("#dlg-ok").click()
        expect(row(pg, "I.8").locator('.cell-text[data-lang="en"]')).to_have_text(
            "Hold the Defence Forum (file).")
        # a file of another workspace is refused, with the reason
        from celac_i18n.review.build import init_workspace
        from celac_i18n.review.exchange import export_bytes

        other = init_workspace(tmp_path / "other.review", ["2022-2024:es", "2022-2024:en"])
        foreign = tmp_path / "other.xlf"
        foreign.write_bytes(_set_target(export_bytes(other, "xliff-1.2")[0], "I.2", "x"))
        pg.set_input_files("#import-file", str(foreign))
        expect(pg.locator("#dlg-title")).to_have_text("Import refused: other.xlf")
        expect(pg.locator(".import-error")).to_contain_text("another workspace")
        pg.locator("#dlg-ok").click()
        assert not pg.js_errors, pg.js_errors


def _set_target(data: bytes, uid: str, text: str) -> bytes:
    ET.register_namespace("", XLIFF12)
    root = ET.fromstring(data)
    for u in root.iter(f"{{{XLIFF12}}}trans-unit"):
        if u.get("id") == uid:
            u.find(f"{{{XLIFF12}}}target").text = text
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_two_tabs_the_later_write_is_told_and_nothing_is_lost(served, browser):
    ws, srv, d = served
    errors = []
    a, b = new_page(browser, errors), new_page(browser, errors)
    with shot_on_failure(b, d / "review-tabs-failure.png"):
        open_page(a, srv)
        open_page(b, srv)
        for pg in (a, b):
            row(pg, "I.2").click()
            pg.keyboard.press("e")
        a_area = side(a).locator('textarea[data-lang="en"]')
        a_area.fill("Tab A's text.")
        a_area.press("Control+Enter")
        expect(row(a, "I.2").locator('.cell-text[data-lang="en"]')).to_have_text("Tab A's text.")
        b_area = side(b).locator('textarea[data-lang="en"]')
        b_area.fill("Tab B's text.")
        b_area.press("Control+Enter")
        expect(b.locator("#error")).to_be_visible()
        expect(b.locator("#error")).to_contain_text("I.2")
        # B sees A's text now, and keeps its own typing in the editor
        expect(row(b, "I.2").locator('.cell-text[data-lang="en"]')).to_have_text("Tab A's text.")
        expect(side(b).locator('textarea[data-lang="en"]')).to_have_value("Tab B's text.")
        assert ws.states()["I.2"].edits["en"]["text"] == "Tab A's text."
        assert not errors, errors


def test_cat_panes_terms_columns_and_a_comment_icon(tmp_path, browser):
    from celac_i18n.review.build import init_workspace

    ws = init_workspace(tmp_path / "p3.review", ["2022-2024:es", "2022-2024:zh", "2022-2024:en"])
    ws.decide("I.3", "comment", "ana", text="ask the desk about 治国理政")
    with on_page(browser, ws, tmp_path / "review-cat-failure.png") as pg:
        # termbase terms are marked in every language of the row
        expect(row(pg, "I.2").locator('.cell-text[data-lang="es"] .term').first).to_be_visible()
        expect(row(pg, "I.2").locator('.cell-text[data-lang="zh"] .term').first).to_be_visible()
        # Chinese is set in the CJK font; every language's status is named
        zh = row(pg, "I.1").locator('.cell-text[data-lang="zh"]')
        assert "Noto Sans CJK SC" in zh.evaluate("e => getComputedStyle(e).fontFamily")
        expect(pg.locator('#grid-head [data-lang="zh"]')).to_have_text(
            "zh · 2022-2024:zh (reference)")
        row(pg, "I.2").click()
        expect(side(pg).locator('.bead-terms li[data-term="fcc"]')).to_contain_text("CCF")
        # the comment marker is the shipped icon, loaded (no emoji font on Debian)
        icon = row(pg, "I.3").locator(".has-comment img.icon")
        expect(icon).to_be_visible()
        assert icon.evaluate("i => i.complete && i.naturalWidth > 0")
        # concordance over every language: a Chinese word finds its bead, with the pair
        pg.locator('.tabs button[data-tab="search"]').click()
        pg.fill("#conc-q", "奖学金")
        pg.press("#conc-q", "Enter")
        hit = pg.locator(".conc-hit").first
        expect(hit).to_contain_text("奖学金")
        expect(hit.locator("mark.hit").first).to_have_text("奖学金")
        key = hit.get_attribute("data-key")
        hit.click()
        expect(pg.locator(".row.current")).to_have_attribute("data-key", key)
        # the termbase pane, filtered
        pg.locator('.tabs button[data-tab="terms"]').click()
        pg.fill("#tb-q", "CCF")
        expect(pg.locator('#tb-out li[data-term="fcc"]')).to_be_visible()
        pg.locator("#viewport").focus()
        pg.keyboard.press("Home")                   # back to the top of the list
        # the roomy view: taller rows with more of each text, and back
        pg.keyboard.press("v")
        expect(pg.locator("body")).to_have_class("view-roomy")
        assert fully_visible_rows(pg) < 8
        pg.keyboard.press("v")
        expect(pg.locator("body")).to_have_class("view-grid")
        expect(pg.locator(".row.current")).to_have_attribute("data-key", "title")
        # one pair only, then a hidden column
        pg.select_option("#f-pair", "en")
        expect(pg.locator('#grid-head [data-lang="zh"]')).to_have_count(0)
        expect(pg.locator('#grid-head [data-lang="en"]')).to_have_count(1)
        pg.select_option("#f-pair", "")
        pg.locator("#columns-menu summary").click()
        pg.locator('#columns input[data-lang="en"]').uncheck()
        expect(pg.locator('#grid-head [data-lang="en"]')).to_have_count(0)
        expect(pg.locator('#grid-head [data-lang="zh"]')).to_have_count(1)
        # another program writes to the workspace (a second tab, review import): the
        # page shows it within its poll, keeps the current bead, and says so
        from celac_i18n.review.store import Store

        cur = pg.locator(".row.current").get_attribute("data-key")
        Store(ws.path).decide("I.6", "accept", "ben")
        expect(row(pg, "I.6")).to_have_class(re.compile(r"state-accepted"), timeout=15000)
        expect(pg.locator("#notice")).to_contain_text("changed on disk")
        expect(pg.locator(".row.current")).to_have_attribute("data-key", cur)
        # text that looks like HTML stays text
        row(pg, "I.4").click()
        pg.keyboard.press("e")
        area = side(pg).locator('textarea[data-lang="zh"]')
        area.fill(HOSTILE)
        area.press("Control+Enter")
        expect(row(pg, "I.4").locator('.cell-text[data-lang="zh"]')).to_have_text(HOSTILE)
        assert pg.locator("img:not(.icon)").count() == 0
        assert pg.locator("body").get_attribute("data-pwned") is None
        # an emptied target is refused; the editor keeps what was typed
        row(pg, "I.5").click()
        pg.keyboard.press("e")
        area5 = side(pg).locator('textarea[data-lang="zh"]')
        area5.fill("   ")
        area5.press("Control+Enter")
        expect(pg.locator("#error")).to_contain_text("empty")
        expect(side(pg).locator('textarea[data-lang="zh"]')).to_have_value("   ")
        # dismiss a finding with a reason, from the side panel
        f = ws.findings()[0]
        pg.fill("#f-text", f.bead)                  # the filter finds it by its key
        row(pg, f.bead).click()
        pg.fill("#f-text", "")
        li = side(pg).locator(f'li[data-finding="{f.fkey}"]')
        li.locator("button.dismiss").click()
        li.locator("input.reason").fill("a standing variant, agreed with the editor")
        li.locator("input.reason").press("Enter")
        expect(side(pg).locator(f'li[data-finding="{f.fkey}"]')).to_have_class("dismissed")
        assert not pg.js_errors, pg.js_errors


def test_a_10000_bead_workspace_is_a_window_of_rows(tmp_path, browser):
    from celac_i18n.review.store import BeadData, Store

    big = [BeadData(f"c.{i}", "clause", 0.9, {"es": [f"c.{i}"], "en": [f"c.{i}"]},
                    {"es": f"Cláusula número {i} del plan de prueba.", "en": f"Clause number {i}."})
           for i in range(10000)]
    ws = Store.create(tmp_path / "big.review", {"langs": ["es", "en"], "refs": []}, big, [])
    with on_page(browser, ws, tmp_path / "review-big-failure.png") as pg:
        expect(pg.locator("#shown")).to_have_text("10000 shown")
        assert pg.locator(".row").count() < 80            # a window, not 10,000 rows
        pg.keyboard.press("End")
        expect(row(pg, "c.9999")).to_have_class(re.compile(r"\bcurrent\b"))
        assert pg.locator(".row").count() < 80
        pg.keyboard.press("a")
        expect(pg.locator("#progress")).to_have_text("1 of 10000 reviewed")
        pg.fill("#f-text", "número 4242 ")
        expect(pg.locator("#shown")).to_have_text("1 shown")
        expect(row(pg, "c.4242").locator("mark.hit")).to_have_text("número 4242 ")
        assert not pg.js_errors, pg.js_errors


REAL = Path(__file__).parent / "fixtures" / "structure" / "real" / "plan-2015-2019.en.txt"


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_review_page_on_a_real_document(tmp_path, browser):
    """The China–LAC Cooperation Plan 2015–2019 (real excerpt, English as published by
    the Chinese embassy in Dominica) against its apertium Spanish rendering."""
    from conftest import run_cli
    from celac_i18n.review.build import init_workspace

    es = tmp_path / "plan15.es.txt"
    r = run_cli("translate", f"{REAL}@en", "--to", "es", "-o", str(es))
    assert r.returncode == 0, r.stderr
    ws = init_workspace(tmp_path / "real.review", [f"{REAL}@en", f"{es}@es"])
    ids = (REAL.parent / "plan-2015-2019.ids").read_text().split()
    assert [b.key for b in ws.beads()] == ids
    with on_page(browser, ws, tmp_path / "review-real-failure.png") as pg:
        expect(pg.locator("#progress")).to_have_text(f"0 of {len(ids)} reviewed")
        assert pg.locator(".row").count() == len(ids)
        expect(pg.locator('#grid-head [data-lang="en"]')).to_have_text(
            "en · plan-2015-2019.en.txt (file)")
        expect(row(pg, "I.3").locator('.cell-text[data-lang="en"]')).to_contain_text(
            "1,000 political leaders")
        # a accepts and moves on; r rejects
        row(pg, "I.3").click()
        pg.keyboard.press("a")
        expect(row(pg, "I.4")).to_have_class(re.compile(r"\bcurrent\b"))
        pg.keyboard.press("r")
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids)} reviewed")
        expect(row(pg, "I.4")).to_have_class(re.compile(r"state-rejected"))
        # re-pair: merge I.1 with I.2, undo splits it; then merge I.2 with I.3
        row(pg, "I.1").click()
        pg.keyboard.press("m")
        expect(row(pg, "I.1_I.2")).to_be_visible()
        expect(side(pg).locator(".notes .merged")).to_contain_text("I.1 + I.2")
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids) - 1} reviewed")
        assert row(pg, "I.1").count() == 0
        pg.keyboard.press("u")
        expect(row(pg, "I.1")).to_be_visible()
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids)} reviewed")
        pg.keyboard.press("j")
        pg.keyboard.press("m")
        expect(row(pg, "I.2_I.3")).to_be_visible()
        # split it again at the seam: the cursors start between the units
        pg.keyboard.press("s")
        cut = side(pg).locator('.splitter textarea[data-lang="es"]')
        expect(cut).to_be_visible()
        pg.keyboard.press("Enter")
        expect(row(pg, "I.3")).to_be_visible()
        assert row(pg, "I.2_I.3").count() == 0
        pg.reload()
        expect(pg.locator("body")).to_have_attribute("data-ready", "1")
        row(pg, "I.3").click()
        expect(side(pg).locator(".notes .split")).to_contain_text(
            "split from I.2_I.3 into I.2 + I.3 by ana")
        expect(pg.locator("#progress")).to_have_text(f"2 of {len(ids)} reviewed")
        assert not pg.js_errors, pg.js_errors
    st = ws.states()
    assert st["I.4"].verdict == "reject" and "I.2_I.3" not in st
    assert st["I.3"].verdict == "accept" and [d["action"] for d in st["I.3"].history][-1] == "split"
