"""Speed and memory of the meaning cue (issue 23's targets), on this machine.

    .venv/bin/python benchmarks/semantic_bench.py

- encoding throughput of the default encoder on the plan's clauses (cold process);
- the CLI's four-language alignment of the plan: cold (empty cache file), rerun (cache
  warm), and with ``--embed-model none`` (today's cues only);
- a 10,000-clause alignment (the plan's Spanish and Chinese clauses repeated, each copy
  marked so that every text is distinct, numbered 1..10,000), cold, peak RSS;
- reruns of diff, qa and align on the same texts encode nothing (the layer's count).
Each CLI figure is the best of three runs (wall clock, a fresh process each).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLI = [sys.executable, "-m", "celac_i18n"]
FOUR = ["2022-2024:es", "2022-2024:en", "2022-2024:zh", "2022-2024:pt"]


def timed(args, env, runs=3):
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(CLI + args, env=env, capture_output=True, text=True, cwd=ROOT)
        dt = time.perf_counter() - t0
        if r.returncode:
            raise SystemExit(r.stderr)
        best = dt if best is None else min(best, dt)
    return best


def throughput():
    from celac_i18n.corpus.refs import load
    from celac_i18n.semantic import Semantic, load_encoder

    texts = [u.text for u in load("2022-2024:es").units if u.text.strip()]
    t0 = time.perf_counter()
    enc = load_encoder(None)
    load_s = time.perf_counter() - t0
    s = Semantic(enc)
    t0 = time.perf_counter()
    s.embed(texts[:4])                       # weights are read on first use
    first = time.perf_counter() - t0
    s2 = Semantic(enc)
    t0 = time.perf_counter()
    s2.embed(texts)
    dt = time.perf_counter() - t0
    return load_s, first, len(texts), len(texts) / dt


def big_alignment(tmp: Path, env):
    from celac_i18n.corpus.refs import load

    es = [u.text for u in load("2022-2024:es").units if u.kind == "clause"]
    zh = [u.text for u in load("2022-2024:zh").units if u.kind == "clause"]
    n = 10_000
    for lang, xs in (("es", es), ("zh", zh)):
        # every text distinct (a reference to its copy), so that all 20,000 are encoded
        lines = [f"{k + 1}. {xs[k % len(xs)]} ({k // len(xs) + 1})" for k in range(n)]
        (tmp / f"big.{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], capture_output=True); "
            "print(time.perf_counter() - t, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *CLI, "align", f"{tmp}/big.es.txt@es",
                          f"{tmp}/big.zh.txt@zh", "-o", str(tmp / "big.jsonl")],
                         env=env, capture_output=True, text=True, cwd=ROOT).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def reruns_encode_nothing(tmp: Path):
    from celac_i18n.ops import Context, build

    ctx = Context(cache_path=tmp / "rerun.sqlite")
    jobs = [("align", ["2022-2024:es", "2022-2024:zh"], {}),
            ("qa", ["2022-2024:es", "2022-2024:zh"], {}),
            ("diff", ["2022-2024:zh", "2022-2024:es"], {})]
    counts = {}
    for name, inputs, opts in jobs:
        try:
            build(name, inputs, opts).run(ctx)
        except Exception as e:          # an operation that cannot take these inputs yet
            counts[name] = f"n/a ({str(e).splitlines()[0][:60]})"
    ctx2 = Context(cache_path=tmp / "rerun.sqlite")
    for name, inputs, opts in jobs:
        if name in counts:
            continue
        before = ctx2.semantic().encoded
        build(name, inputs, opts).run(ctx2)
        counts[name] = ctx2.semantic().encoded - before
    return counts


def main():
    load_s, first, n, rate = throughput()
    print(f"encoder: load {load_s:.2f} s, first batch (reads weights) {first:.2f} s, "
          f"{n} plan units at {rate:.0f} units/s")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        env = {**os.environ, "CELAC_I18N_CACHE": str(tmp / "cache.sqlite")}
        cold = []
        for k in range(3):
            env_k = {**env, "CELAC_I18N_CACHE": str(tmp / f"cold{k}.sqlite")}
            cold.append(timed(["align", *FOUR, "-o", str(tmp / "a.jsonl")], env_k, runs=1))
        timed(["align", *FOUR, "-o", str(tmp / "a.jsonl")], env, runs=1)
        warm = timed(["align", *FOUR, "-o", str(tmp / "a.jsonl")], env)
        none = timed(["align", *FOUR, "--embed-model", "none", "-o", str(tmp / "a.jsonl")], env)
        print(f"align es,en,zh,pt (CLI): cold {min(cold):.2f} s, rerun {warm:.2f} s, "
              f"--embed-model none {none:.2f} s (rerun / none = {warm / none:.2f})")
        s, rss, rc = big_alignment(tmp, env)
        print(f"align 10,000 es + 10,000 zh clauses, cold: {s:.1f} s, peak RSS {rss:.0f} MB, "
              f"exit {rc}")
        print(f"texts encoded by a rerun on the same texts: {reruns_encode_nothing(tmp)}")


if __name__ == "__main__":
    main()
