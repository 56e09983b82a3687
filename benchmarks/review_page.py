"""The review page in Debian's chromium (Playwright): how long a workspace takes to open,
how smoothly its grid scrolls, and an action's round trip as the translator feels it.

    .venv/bin/python benchmarks/review_page.py [--beads 10000] [--runs 3]

Opening: from navigation to the page's ``data-ready`` (workspace and beads fetched,
the grid drawn), median of RUNS fresh pages; the /api/beads answer's size and time
alone beside it. Scrolling: the grid's viewport scrolled by 120 px on each animation
frame for 400 frames (about 48,000 px, 1,100 rows), frame times from
requestAnimationFrame: median, 95th percentile, frames over 50 ms; the rows in the page
at the end (the virtualised window). Round trip: ``a`` on a bead until the progress
line counts it, median of 20. Also the plan (138 beads, es/zh/en) and a real document
the project did not write (the UN Charter's opening, official es/en/zh). The large
workspace is the plan's own beads copied (``review_bench.plan_copies``: real texts,
findings and similarities).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SCROLL = """async () => {
  const vp = document.getElementById('viewport');
  const times = [];
  let last = performance.now();
  for (let i = 0; i < 400; i++) {
    await new Promise(r => requestAnimationFrame(r));
    const now = performance.now(); times.push(now - last); last = now;
    vp.scrollTop += 120;
  }
  return { times, rows: document.querySelectorAll('.row').length, top: vp.scrollTop };
}"""


def measure(ws, label: str, runs: int, pw) -> list[tuple[str, str]]:
    from browser import ARGS, CHROMIUM
    from celac_i18n.review.api import Api
    from celac_i18n.review.server import ReviewServer

    api = Api(ws, "bench")
    t = time.perf_counter()
    status, _, body = api.handle("GET", "/api/beads")
    api_s = time.perf_counter() - t
    srv = ReviewServer(api, 0, "bench.review")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    rows = []
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # cold: nothing computed yet (a server that has not warmed its cache)
        pg = browser.new_page(viewport={"width": 1440, "height": 900})
        t = time.perf_counter()
        pg.goto(srv.url)
        pg.wait_for_selector("body[data-ready='1']", timeout=60000)
        cold = time.perf_counter() - t
        pg.close()
        opens, split = [], []
        for _ in range(runs):
            pg = browser.new_page(viewport={"width": 1440, "height": 900})
            t = time.perf_counter()
            pg.goto(srv.url)
            pg.wait_for_selector("body[data-ready='1']", timeout=60000)
            opens.append(time.perf_counter() - t)
            split.append(pg.evaluate("() => window.REVIEW_TIMING"))
            pg.close()
        pg = browser.new_page(viewport={"width": 1440, "height": 900})
        pg.goto(srv.url)
        pg.wait_for_selector("body[data-ready='1']", timeout=60000)
        visible = pg.evaluate("""() => {
            const v = document.getElementById('viewport').getBoundingClientRect();
            return [...document.querySelectorAll('.row')].filter(r => {
              const b = r.getBoundingClientRect();
              return b.top >= v.top - 0.5 && b.bottom <= v.bottom + 0.5; }).length; }""")
        pg.wait_for_timeout(500)
        out = pg.evaluate(SCROLL)
        times = sorted(out["times"][1:])
        p95 = times[int(0.95 * (len(times) - 1))]
        slow = sum(1 for x in times if x > 50)
        # round trip: a on the current bead until the progress counts it
        pg.locator("#viewport").focus()
        pg.keyboard.press("Home")
        trips = []
        for k in range(min(20, len(ws.beads()) - 1)):
            t = time.perf_counter()
            pg.keyboard.press("a")
            pg.wait_for_function("(n) => document.getElementById('progress').textContent"
                                 ".startsWith(n + ' of')", arg=k + 1)
            trips.append(time.perf_counter() - t)
        # the server's share: the same decision through the API alone
        keys = [b.key for b in ws.beads()][-12:]
        api_trips = []
        for k in keys:
            t = time.perf_counter()
            api.handle("POST", f"/api/beads/{k}/decisions", {}, b'{"action": "accept"}')
            api_trips.append(time.perf_counter() - t)
        browser.close()
    finally:
        srv.shutdown()
        srv.server_close()
    n = len(ws.beads())
    rows.append((f"{label}: GET /api/beads ({n} beads, {len(body) / 1e6:.1f} MB JSON)",
                 f"{api_s:.2f} s"))
    rows.append((f"{label}: open in chromium, first time (the server computes the list)",
                 f"{cold:.2f} s"))
    fetch = statistics.median(x["fetch_ms"] for x in split)
    draw = statistics.median(x["draw_ms"] for x in split)
    rows.append((f"{label}: open in chromium, the server's list ready (as `review serve` "
                 f"prepares it at start; median of {runs}): fetch + parse / draw",
                 f"{statistics.median(opens):.2f} s ({fetch / 1000:.2f} / {draw / 1000:.2f})"))
    rows.append((f"{label}: rows fully visible at 1440×900", f"{visible}"))
    rows.append((f"{label}: scroll 400 frames × 120 px: frame time median / p95 / frames > 50 ms",
                 f"{statistics.median(times):.1f} / {p95:.1f} ms / {slow}"))
    rows.append((f"{label}: rows in the page after scrolling {out['top']:.0f} px",
                 f"{out['rows']}"))
    rows.append((f"{label}: accept with `a` until the progress counts it (median of up to 20)",
                 f"{statistics.median(trips) * 1000:.0f} ms"))
    rows.append((f"{label}: the same accept through the API alone (the server's share)",
                 f"{statistics.median(api_trips) * 1000:.0f} ms"))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--beads", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from celac_i18n.review.build import init_workspace

    rows = []
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as d, sync_playwright() as pw:
        d = Path(d)
        plan = init_workspace(d / "plan.review", ["2022-2024:es", "2022-2024:zh", "2022-2024:en"])
        rows += measure(plan, "plan", args.runs, pw)
        un = "tests/fixtures/parallel/un-charter"
        charter = init_workspace(d / "un.review", [f"{un}.es.txt@es", f"{un}.en.txt@en",
                                                   f"{un}.zh.txt@zh"])
        rows += measure(charter, "UN Charter excerpt", args.runs, pw)
        from celac_i18n.ops import Context
        from review_bench import plan_copies

        sim = init_workspace(d / "sim.review", ["2022-2024:es", "2022-2024:zh", "2022-2024:en"],
                             semantic=Context().semantic())
        rows += measure(plan_copies(sim, d / "big.review", args.beads),
                        f"{args.beads:,} beads", args.runs, pw)
    load1 = os.getloadavg()
    print(f"load average before {load0[0]:.1f} / after {load1[0]:.1f}; {os.cpu_count()} cores\n")
    print("| what | measured |\n|---|---|")
    for what, v in rows:
        print(f"| {what} | {v} |")
    json.dump(rows, sys.stderr)


if __name__ == "__main__":
    main()
