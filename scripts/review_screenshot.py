"""Make docs/review-page.png: the review page on the 2022-2024 plan in es/zh/en.

A throwaway workspace in a temp folder gets a few decisions (an accepted bead, an
edited target, a dismissed QA finding, a comment); Debian's chromium, driven by
Playwright, shows the page at 1440×900 with the edited bead as the current one. Run from the repository root:

    .venv/bin/python scripts/review_screenshot.py [docs/review-page.png]
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace
from celac_i18n.review.server import ReviewServer

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(out: str = "docs/review-page.png") -> None:
    with tempfile.TemporaryDirectory() as d:
        ws = init_workspace(Path(d) / "plan-2022-2024.review",
                            ["2022-2024:es", "2022-2024:zh", "2022-2024:en"])
        keys = [b.key for b in ws.beads()]
        for k in keys[:keys.index("II.6.1")]:
            ws.decide(k, "accept", "translator")
        ws.decide("II.6.1", "edit", "translator", lang="en",
                  text=ws.bead("II.6.1").texts["en"].replace("Strengthen", "Step up", 1))
        dismissed = [f for f in ws.findings() if f.bead == "II.6.2"][:1]
        for f in dismissed:
            ws.decide(f.bead, "dismiss", "translator", finding=f.fkey,
                      reason="variant accepted by the desk")
        srv = ReviewServer(Api(ws, "translator"), 0, "plan-2022-2024.review")
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                pg = browser.new_page(viewport={"width": 1440, "height": 900})
                pg.goto(srv.url)
                expect(pg.locator("body")).to_have_attribute("data-ready", "1")
                # weakest first, then II.6.1 (the edited bead) as the current one
                pg.select_option("#f-sort", "weak")
                pg.locator("#viewport").focus()
                pg.keyboard.press("n")
                pg.select_option("#f-sort", "position")
                pg.fill("#f-text", "II.6.1")
                pg.locator('.row[data-key="II.6.1"]').click()
                pg.fill("#f-text", "")
                pg.locator('.row[data-key="II.6.1"] .term').first.wait_for()
                pg.screenshot(path=out)
                browser.close()
        finally:
            srv.shutdown()
            srv.server_close()
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
