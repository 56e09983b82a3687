"""Review workspace figures: `review init` on the plan (es/zh/en), decisions per second
from one and two threads, the page's GET /api/beads, a 10,000-bead workspace, exports.

    .venv/bin/python benchmarks/review_bench.py

Prints a Markdown table for benchmarks/review.md. Times are wall-clock medians.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path


def median_time(f, n=5):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main():
    from celac_i18n.review.api import Api
    from celac_i18n.review.build import init_workspace
    from celac_i18n.review.exchange import export_bytes
    from celac_i18n.review.store import BeadData, Store

    rows = []
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        k = iter(range(100))
        t = median_time(lambda: init_workspace(d / f"p{next(k)}.review",
                                               ["2022-2024:es", "2022-2024:zh", "2022-2024:en"]),
                        3)
        rows.append(("review init, plan es/zh/en (align + QA ×2, 138 beads)", f"{t:.2f} s"))
        ws = Store(d / "p0.review")
        keys = [b.key for b in ws.beads()]

        n = 200
        t = time.perf_counter()
        for i in range(n):
            ws.decide(keys[i % len(keys)], "comment", "bench", text=f"c{i}")
        one = n / (time.perf_counter() - t)
        rows.append(("decisions, one thread (one transaction each, synchronous=FULL)",
                     f"{one:.0f} /s"))

        def work():
            for i in range(n):
                ws.decide(keys[i % len(keys)], "comment", "bench2", text=f"c{i}")

        t = time.perf_counter()
        th = [threading.Thread(target=work) for _ in range(2)]
        for x in th:
            x.start()
        for x in th:
            x.join()
        two = 2 * n / (time.perf_counter() - t)
        rows.append(("decisions, two threads at once (none lost)", f"{two:.0f} /s"))

        api = Api(ws, "bench")
        t = median_time(lambda: api.handle("GET", "/api/beads"))
        rows.append((f"GET /api/beads, 138 beads, {len(ws.decisions())} decisions", f"{t*1000:.0f} ms"))
        for fmt in ("tmx", "xliff-1.2", "xliff-2.0"):
            tgt = None if fmt == "tmx" else "zh"
            t = median_time(lambda: export_bytes(ws, fmt, tgt))
            rows.append((f"export {fmt}, plan", f"{t*1000:.0f} ms"))

        big = [BeadData(f"c.{i}", "clause", 0.9, {"es": [f"c.{i}"], "zh": [f"c.{i}"]},
                        {"es": f"Cláusula número {i} del plan de prueba.", "zh": f"测试计划第{i}条。"})
               for i in range(10000)]
        t = time.perf_counter()
        bw = Store.create(d / "big.review", {"langs": ["es", "zh"], "refs": []}, big, [])
        rows.append(("create a 10,000-bead workspace", f"{time.perf_counter() - t:.2f} s"))
        t = time.perf_counter()
        for i in range(0, 10000, 100):
            bw.decide(f"c.{i}", "accept", "bench")
        rows.append(("one decision on a 10,000-bead workspace (reads the whole snapshot)",
                     f"{(time.perf_counter() - t) / 100 * 1000:.0f} ms"))
        api = Api(bw, "bench")
        t = median_time(lambda: api.handle("GET", "/api/beads"), 3)
        rows.append(("GET /api/beads, 10,000 beads, 100 decisions", f"{t:.2f} s"))
        t = median_time(lambda: export_bytes(bw, "xliff-1.2", "zh"), 3)
        rows.append(("export XLIFF 1.2, 10,000 beads", f"{t:.2f} s"))
        size = (d / "big.review").stat().st_size
        rows.append(("workspace file, 10,000 beads", f"{size / 1e6:.1f} MB"))
    print("| what | measured |\n|---|---|")
    for what, v in rows:
        print(f"| {what} | {v} |")


if __name__ == "__main__":
    main()
