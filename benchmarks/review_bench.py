"""Review workspace figures: `review init` on the plan (es/zh/en), decisions per second
from one and two threads, the page's GET /api/beads, exports; then a 10,000-bead
workspace made of the plan's own beads (texts, QA findings, similarities: copies of the
plan, numbered apart) served by `celac-i18n review serve` in its own process and timed
over HTTP as the page uses it (one kept-alive connection, the page's token).

    .venv/bin/python benchmarks/review_bench.py [--beads 10000] [--runs 15]

Prints a Markdown table for benchmarks/review.md: wall-clock medians (and the slowest
of the runs), the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path


def median_time(f, n=5):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def plan_copies(plan, path: Path, n: int):
    """A workspace of ``n`` beads: the plan's beads over and over, each copy's ids and
    texts numbered apart (``C3.I.6``, "… (3)"), with the plan's findings and
    similarities carried over (so re-QA, weakness and the similarity column have real
    work to do)."""
    from celac_i18n.export.ids import bead_key
    from celac_i18n.review.similarity import pair_key
    from celac_i18n.review.store import BeadData, Store

    snap, langs, enc = plan.snapshot(), plan.langs, plan.meta.get("encoder")
    beads, finds, sims = [], [], {}
    k = 0
    while len(beads) < n:
        k += 1
        keys = {}
        for b in snap.beads[: n - len(beads)]:
            def mark(t, k=k):
                return f"{t} ({k})" if t else t

            ids = {lang: [f"C{k}.{u}" for u in us] for lang, us in b.ids.items()}
            texts = {lang: mark(t) for lang, t in b.texts.items()}
            units = ({lang: [mark(u) for u in us] for lang, us in b.units.items()}
                     if b.units else None)
            keys[b.key] = bead_key(ids, langs)
            beads.append(BeadData(keys[b.key], b.kind, b.confidence, ids, texts, units))
            for lang in langs[1:] if enc else ():
                v = snap.similarity.get(pair_key(enc, langs[0], lang, b.texts[langs[0]],
                                                 b.texts.get(lang, "")))
                if texts[langs[0]].strip() and texts.get(lang, "").strip():
                    sims[pair_key(enc, langs[0], lang, texts[langs[0]], texts[lang])] = v
        finds += [replace(f, fkey=f"{f.fkey}.{k}", bead=keys[f.bead], unit=f"C{k}.{f.unit}")
                  for f in snap.findings if f.bead in keys]
    meta = {x: v for x, v in plan.meta.items()
            if x not in ("schema", "workspace_id", "content_rev", "created")}
    return Store.create(path, meta, beads, finds, [], sims)


class Served:
    """`celac-i18n review serve WORKSPACE` in its own process, and one HTTP/1.1
    connection to it that carries the page's token."""

    def __init__(self, workspace: Path):
        # the package this script imports (a checkout of another commit on PYTHONPATH
        # gives that commit's figures)
        self.proc = subprocess.Popen([sys.executable, "-m", "celac_i18n", "review", "serve",
                                      str(workspace),
                                      "--no-browser", "--reviewer", "bench"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        url = self.proc.stdout.readline().strip()
        m = re.match(r"http://127\.0\.0\.1:(\d+)/", url)
        if not m:
            self.proc.kill()
            raise SystemExit(f"review serve did not start ({url!r})")
        self.port = int(m.group(1))
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        page = self.get("/")[1].decode()
        self.token = re.search(r'name="review-token" content="([^"]+)"', page).group(1)

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}"})
        r = self.conn.getresponse()
        return r.status, r.read()

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        data = json.dumps(body).encode()
        self.conn.request("POST", path, data, headers={
            "Host": f"127.0.0.1:{self.port}", "Content-Type": "application/json",
            "X-Review-Token": self.token, "Origin": f"http://127.0.0.1:{self.port}"})
        r = self.conn.getresponse()
        return r.status, json.loads(r.read())

    def timed(self, f) -> float:
        t = time.perf_counter()
        f()
        return time.perf_counter() - t

    def close(self):
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(10)


def ms(ts: list[float]) -> str:
    return f"{statistics.median(ts) * 1000:.0f} ms (slowest {max(ts) * 1000:.0f})"


def over_http(ws, runs: int) -> list[tuple[str, str]]:
    """The page's requests against `review serve` on ``ws``."""
    rows = []
    t = time.perf_counter()
    srv = Served(ws.path)
    try:
        status, body = srv.get("/api/beads")       # the page's first reading
        rows.append((f"serve start + first GET /api/beads ({len(body) / 1e6:.1f} MB)",
                     f"{time.perf_counter() - t:.2f} s"))
        beads = json.loads(body)["beads"]
        keys = [b["key"] for b in beads]
        # what `review serve` prepares on its own thread at start (the lists, re-QA's
        # checks) is done before the timed requests: a translator reads first
        t = srv.timed(lambda: srv.post(f"/api/beads/{keys[1]}/decisions",
                                       {"action": "edit", "lang": "en", "text": "First words."}))
        rows.append(("the first edit, while the server still prepares (re-QA checks, encoder)",
                     f"{t:.2f} s"))
        time.sleep(5)
        step = max(1, len(keys) // (runs + 1))
        picks = [keys[i] for i in range(step // 2, len(keys), step)][:runs]

        def decide(key, body):
            status, out = srv.post(f"/api/beads/{key}/decisions", body)
            assert status == 200, (key, body, out)
            return out

        for label, body in (("accept", {"action": "accept"}),
                            ("comment", {"action": "comment", "text": "checked"})):
            ts = [srv.timed(lambda k=k: decide(k, dict(body))) for k in picks]
            rows.append((f"POST /api/beads/KEY/decisions {label} (answer: decision, bead, "
                         "counts)", ms(ts)))
        view = {b["key"]: b for b in beads}
        ts, found = [], 0
        for k in picks:
            b = view[k]
            lang = "en"
            text = re.sub(r"\d", "", b["targets"][lang]) or "texto"   # numbers dropped
            out = {}
            ts.append(srv.timed(lambda: out.update(decide(k, {"action": "edit", "lang": lang,
                                                             "text": text}))))
            found += any(f["check"] == "numbers" for f in out["bead"]["findings"])
        rows.append(("POST edit, re-QA of the pair and its similarity computed (numbers "
                     f"dropped: a numbers finding on {found} of {len(picks)})", ms(ts)))
        merges, undos = [], []
        for k in picks[: max(3, runs // 3)]:
            i = keys.index(k)
            if i + 1 >= len(keys):
                continue
            out = {}
            merges.append(srv.timed(lambda: out.update(decide(keys[i + 1], {"action": "merge"}))))
            undos.append(srv.timed(lambda: decide(out["bead"]["key"], {"action": "undo"})))
        rows.append(("POST merge with the next bead", ms(merges)))
        rows.append(("POST undo of that merge (every re-pairing applied again)", ms(undos)))
        lists = []
        for k in picks[:5]:
            decide(k, {"action": "reject"})
            lists.append(srv.timed(lambda: srv.get("/api/beads")))
        rows.append(("GET /api/beads right after a write (the page's reload after a "
                     "re-pairing)", ms(lists)))
        # another process writes the same file: the server sees it on the next request
        from celac_i18n.review.store import Store

        other = Store(ws.path)
        seen = []
        for k in picks[:5]:
            other.decide(k, "comment", "other", text="from elsewhere")
            out = {}
            seen.append(srv.timed(lambda: out.update(
                json.loads(srv.get(f"/api/beads/{k}")[1]))))
            assert out["comments"][-1]["text"] == "from elsewhere"
        rows.append(("GET /api/beads/KEY after a write by another process (seen)", ms(seen)))
    finally:
        srv.close()
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--beads", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    from celac_i18n.ops import Context
    from celac_i18n.review.api import Api
    from celac_i18n.review.build import init_workspace
    from celac_i18n.review.exchange import export_bytes
    from celac_i18n.review.store import Store

    load0 = os.getloadavg()
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
        rows.append((f"GET /api/beads, 138 beads, {len(ws.decisions())} decisions (in process)",
                     f"{t*1000:.0f} ms"))
        for fmt in ("tmx", "xliff-1.2", "xliff-2.0"):
            tgt = None if fmt == "tmx" else "zh"
            t = median_time(lambda: export_bytes(ws, fmt, tgt))
            rows.append((f"export {fmt}, plan", f"{t*1000:.0f} ms"))

        t = time.perf_counter()
        plan = init_workspace(d / "sim.review", ["2022-2024:es", "2022-2024:zh", "2022-2024:en"],
                              semantic=Context().semantic())
        rows.append(("review init, plan es/zh/en with each bead's similarity (embedded "
                     "encoder)", f"{time.perf_counter() - t:.2f} s"))
        t = time.perf_counter()
        big = plan_copies(plan, d / "big.review", args.beads)
        rows.append((f"create a {args.beads:,}-bead workspace (the plan's beads copied, "
                     f"{len(big.findings())} findings)", f"{time.perf_counter() - t:.2f} s"))
        rows += [(f"{args.beads:,} beads over HTTP: {what}", v)
                 for what, v in over_http(big, args.runs)]
        # re-QA alone: the snapshot after an edit, in a Store that had the one before
        s = Store(big.path)
        s.snapshot()
        bk = [b.key for b in s.beads()]
        ts = []
        for i in range(args.runs):
            s.decide(bk[(i * 617) % len(bk)], "edit", "bench", lang="zh", text=f"第{i}条：改写。")
            ts.append(_timed(s.snapshot))
        rows.append((f"{args.beads:,} beads: re-QA after an edit (the next snapshot: the "
                     "edited pair checked again, states and counts adjusted)", ms(ts)))
        t = median_time(lambda: export_bytes(big, "xliff-1.2", "zh"), 3)
        rows.append((f"export XLIFF 1.2, {args.beads:,} beads", f"{t:.2f} s"))
        size = (d / "big.review").stat().st_size
        rows.append((f"workspace file, {args.beads:,} beads", f"{size / 1e6:.1f} MB"))
    load1 = os.getloadavg()
    print(f"load average before {load0[0]:.1f} / after {load1[0]:.1f}; {os.cpu_count()} cores\n")
    print("| what | measured |\n|---|---|")
    for what, v in rows:
        print(f"| {what} | {v} |")


def _timed(f) -> float:
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
