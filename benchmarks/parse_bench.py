"""Start-up and parser speed: `celac-i18n --help`, the seed, synthetic 1,000/10,000 clauses.

Goals (issue 2): --help < 0.3 s (no heavy import at start-up); parsing linear in size,
10,000 clauses < 2 s. Issue 11: 1k / 10k / 100k clauses and 100k duplicate numbers
linear, 100k under 10 s; a 50 MiB text completes (one-unit-per-line goal list). Run: .venv/bin/python benchmarks/parse_bench.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from celac_i18n.parse import parse  # noqa: E402


def synthetic(n_clauses: int) -> str:
    """A plan with chapters of 10 sections of 10 items, numbered like the Spanish seed."""
    lines = ["PLAN SINTÉTICO (2022-2024)", "", "Preámbulo del plan.", ""]
    chapter, made = 0, 0
    while made < n_clauses:
        chapter += 1
        lines.append(f"{_roman(chapter)}. Capítulo {chapter}")
        for sec in range(1, 11):
            lines.append(f"{sec}. Sección {sec}")
            for item in range(1, 11):
                if made == n_clauses:
                    break
                lines.append(f"- {sec}.{item}. Fortalecer la cooperación en el ámbito {made} "
                             f"entre China y la CELAC. Promover el Foro en 2024.")
                made += 1
    return "\n".join(lines) + "\n"


def goal_list(size: int) -> str:
    """Goals, targets (with letters) and indicators, one per line, no final punctuation,
    until the text reaches ``size`` bytes."""
    out, total, goal = [], 0, 0
    while total < size:
        goal += 1
        rows = [f"{goal}. Strengthen cooperation in area {goal} between the regions"]
        for t in (*range(1, 6), "a", "b"):
            rows.append(f"{goal}.{t} By 2030, expand exchanges and joint programmes in "
                        f"field {t} of area {goal}, in accordance with national priorities")
            rows += [f"{goal}.{t}.{k} Number of joint programmes in field {t} reported per "
                     f"year by member States" for k in (1, 2)]
        chunk = "\n".join(rows) + "\n"
        out.append(chunk)
        total += len(chunk.encode())
    return "".join(out)


def _roman(n: int) -> str:
    from celac_i18n.parse.numerals import int_to_roman

    return int_to_roman(n)


def best_of(fn, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    exe = ROOT / ".venv" / "bin" / "celac-i18n"
    help_times = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run([str(exe), "--help"], capture_output=True, check=True)
        help_times.append(time.perf_counter() - t)
    print(f"celac-i18n --help: median {statistics.median(help_times):.3f} s "
          f"(min {min(help_times):.3f} s, 7 runs)")
    seed = (ROOT / "corpora" / "2022-2024" / "es.official.txt").read_text(encoding="utf-8")
    t = best_of(lambda: parse(seed, "es"))
    print(f"parse seed (112 clauses, 31 KB): {t * 1000:.1f} ms")
    prev = None
    for n in (1_000, 10_000, 100_000):
        text = synthetic(n)
        doc = parse(text, "es")
        assert len(doc.of_kind("clause")) == n, len(doc.of_kind("clause"))
        t = best_of(lambda: parse(text, "es"), repeat=3 if n < 100_000 else 1)
        per = t / n * 1e6
        note = f", {t / prev:.1f}x the previous size" if prev else ""
        print(f"parse synthetic {n:,} clauses ({len(text) / 1e6:.1f} MB): {t:.3f} s "
              f"({per:.0f} µs/clause{note})")
        prev = t
    for n in (10_000, 100_000):
        dup = "I. Capítulo\n" + "".join("1. La misma cláusula, repetida.\n" for _ in range(n))
        t = best_of(lambda: parse(dup, "es"), repeat=1)
        doc = parse(dup, "es")
        assert len(doc.clauses()) == n
        print(f"parse {n:,} duplicate numbers: {t:.3f} s ({t / n * 1e6:.0f} µs/clause)")
    big = goal_list(50 * 2**20)
    t = time.perf_counter()
    doc = parse(big, "en")
    t = time.perf_counter() - t
    print(f"parse a {len(big.encode()) / 2**20:.0f} MiB one-unit-per-line goal list "
          f"({len(doc.units):,} units, layout: {doc.layout}): {t:.1f} s")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
