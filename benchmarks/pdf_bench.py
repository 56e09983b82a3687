"""Time PDF editions of the 2022-2024 plan and the demo batch (cold and up to date).

    .venv/bin/python benchmarks/pdf_bench.py      # results → stdout (markdown rows)
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("celac-i18n"))


def run(args, env=None) -> float:
    t = time.perf_counter()
    subprocess.run([EXE, *args], check=True, cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    print("| what | seconds |\n|---|---|")
    for pair, layout in ((("es", "en"), "side-by-side"), (("es", "zh"), "side-by-side"),
                         (("es", "pt"), "side-by-side"), (("es", "en"), "interleaved"),
                         (("es", "en", "zh", "pt"), "table")):
        refs = [f"2022-2024:{l}" for l in pair]
        best = min(run(["pdf", *refs, "--layout", layout, "-o", str(tmp / "x.pdf")])
                   for _ in range(3))
        print(f"| `pdf {' '.join(pair)} --layout {layout}` (whole command, best of 3) | {best:.2f} |")
    jobs = tmp / "demo.toml"
    jobs.write_text((ROOT / "jobs" / "demo.toml").read_text().replace(
        'output_dir = "../out"', f'output_dir = "{tmp / "out"}"'))
    for workers in (1, 2):
        shutil.rmtree(tmp / "out", ignore_errors=True)
        cold = run(["batch", str(jobs), "--jobs", str(workers)])
        warm = run(["batch", str(jobs), "--jobs", str(workers)])
        print(f"| demo batch, {workers} worker(s), cold (4 PDFs) | {cold:.2f} |")
        print(f"| demo batch, {workers} worker(s), up to date | {warm:.2f} |")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS of one child process: {rss:.0f} MB")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
