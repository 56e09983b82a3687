"""Peak memory and time of the whole `celac-i18n diff` command on large texts (issue 27).

Two kinds of pair, each text made of random numbered lines ("1. Xkq ab tyyaw ...",
random lower-case words, about 72 characters a line; project-made, never presented
as any document):

- *unrelated*: two texts drawn with different seeds (nothing in common but the
  numbering, so every same-numbered line is a candidate pair and nothing is identical);
- *1%-edited*: a text against itself with 1 line in 100 reworded at its end, 1 in 300
  removed and 1 in 500 moved to the end (every later line renumbers).

Each run is its own process (`--format json -o FILE`), so its peak RSS is that size's;
``--cap SECONDS`` stops a run past the cap (the row then says so and gives the peak
reached). Inputs are generated in a temporary folder. Run:

    .venv/bin/python benchmarks/diff_memory.py [--sizes 1,2,4,20] [--cap 600]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def lines_text(size: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out, n = [], 0
    while n < size:
        words = ["".join(rnd.choice(LETTERS) for _ in range(rnd.randint(2, 9)))
                 for _ in range(rnd.randint(5, 15))]
        t = " ".join(words).capitalize() + "."
        out.append(t)
        n += len(t) + 6
    return out


def numbered(texts: list[str]) -> str:
    return "".join(f"{k}. {t}\n" for k, t in enumerate(texts, 1))


def edited(texts: list[str]) -> list[str]:
    out, moved = [], []
    for k, t in enumerate(texts):
        if k % 300 == 150:
            continue
        if k % 500 == 250:
            moved.append(t)
            continue
        if k % 100 == 50:
            w = t.rstrip(".").split(" ")
            t = " ".join(w[: max(1, len(w) * 3 // 4)]) + " con otras palabras nuevas."
        out.append(t)
    return out + moved


def run(a: Path, b: Path, out: Path, cap: float) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, how it ended) of one diff command."""
    cmd = [sys.executable, "-m", "celac_i18n", "diff", f"{a}@es", f"{b}@es",
           "--format", "json", "-o", str(out), "--max-memory", "64G"]
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env={**os.environ, "CELAC_I18N_CACHE": "off"})
    ended = None
    while ended is None:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            ended = (status, usage)
        elif time.perf_counter() - t > cap:
            p.send_signal(signal.SIGKILL)
            _, status, usage = os.wait4(p.pid, 0)
            return time.perf_counter() - t, usage.ru_maxrss / 1024, f"stopped at the {cap:.0f} s cap"
        else:
            time.sleep(0.2)
    status, usage = ended
    how = "ok" if os.waitstatus_to_exitcode(status) == 0 else \
        f"exit {os.waitstatus_to_exitcode(status)}: {p.stderr.read().decode()[-200:]}"
    return time.perf_counter() - t, usage.ru_maxrss / 1024, how


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,2,4,20", help="MB per text, comma-separated")
    ap.add_argument("--cap", type=float, default=600.0, help="seconds per run at most")
    ap.add_argument("--kinds", default="unrelated,edited")
    args = ap.parse_args()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {mem:.0f} GiB; input = both files' bytes")
    print("| pair | MB a side | lines a side | wall | peak RSS | RSS / input | load before | how |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        for mb in [float(x) for x in args.sizes.split(",")]:
            base = lines_text(int(mb * 1_000_000), seed=int(mb * 10))
            a = d / "a.txt"
            a.write_text(numbered(base), encoding="utf-8")
            for kind in args.kinds.split(","):
                other = lines_text(int(mb * 1_000_000), seed=1000 + int(mb * 10)) \
                    if kind == "unrelated" else edited(base)
                b = d / "b.txt"
                b.write_text(numbered(other), encoding="utf-8")
                size = a.stat().st_size + b.stat().st_size
                load = os.getloadavg()[0]
                wall, rss, how = run(a, b, d / "out.json", args.cap)
                print(f"| {kind} | {mb:g} | {len(base):,} | {wall:.1f} s | {rss:.0f} MB | "
                      f"{rss * 2**20 / size:.0f}× | {load:.1f} | {how} |", flush=True)


if __name__ == "__main__":
    main()
