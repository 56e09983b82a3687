"""The demo job file (jobs/demo.toml: four PDF editions of the plan) on the local pool
with 1 and 2 workers and on a two-worker Dask cluster on loopback.

    .venv/bin/python benchmarks/batch_cluster_bench.py [--reps 3]

Each run is the real command, ``celac-i18n batch demo.toml --force`` (so every output
is rebuilt), timed from start to exit: interpreter start, job keys, connecting to the
cluster and typesetting included. The cluster is started as README says (``dask
scheduler``, ``dask worker --nworkers 2 --nthreads 1``) before the runs; its start-up
time is reported apart, and so is the client's connect-and-check time. Prints a
markdown table; the figures are in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(folder: Path, *args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "celac_i18n", "batch", "demo.toml", "--force",
                    "--format", "json", *args], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def start_cluster(folder: Path) -> tuple[str, list[subprocess.Popen], float]:
    sched_file = folder / "scheduler.json"
    t0 = time.perf_counter()
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--no-dashboard", "--scheduler-file",
                               str(sched_file)], cwd=folder, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)]
    while not (sched_file.is_file() and sched_file.read_text().strip()):
        time.sleep(0.05)
    address = json.loads(sched_file.read_text())["address"]
    procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nworkers", "2",
                                   "--nthreads", "1", "--host", "127.0.0.1",
                                   "--no-dashboard", "--local-directory", str(folder)],
                                  cwd=folder, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True))
    from distributed import Client

    with Client(address, timeout=60, set_as_default=False) as c:
        c.wait_for_workers(2, timeout=120)
    return address, procs, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    reps = ap.parse_args().reps
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        text = (ROOT / "jobs" / "demo.toml").read_text(encoding="utf-8")
        (d / "demo.toml").write_text(text.replace('"../out"', '"out"'), encoding="utf-8")
        os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
        address, procs, started = start_cluster(d)
        try:
            variants = [("local pool, -j 1", ["-j", "1"]), ("local pool, -j 2", ["-j", "2"]),
                        ("Dask cluster, 2 workers", ["--cluster", address])]
            run(d, "-j", "2")          # warm the page cache and the font cache
            from celac_i18n.batch.executors import DaskCluster

            connect = []
            for _ in range(3):
                t0 = time.perf_counter()
                DaskCluster(address, [str(d / "demo.toml")]).close()
                connect.append(time.perf_counter() - t0)
            times = {name: [] for name, _ in variants}
            for _ in range(reps):      # interleaved, so load changes hit all alike
                for name, args in variants:
                    times[name].append(run(d, *args))
        finally:
            for p in reversed(procs):
                os.killpg(p.pid, signal.SIGTERM)
                p.wait()
        shutil.rmtree(d / "out", ignore_errors=True)
    print(f"cluster start (scheduler + 2 workers ready): {started:.1f} s")
    print(f"connect and check (DaskCluster(...)), median of 3: "
          f"{statistics.median(connect) * 1e3:.0f} ms\n")
    print(f"| executor | wall, median of {reps} (s) | min–max (s) |")
    print("|---|---|---|")
    for name, ts in times.items():
        print(f"| {name} | {statistics.median(ts):.1f} | {min(ts):.1f}–{max(ts):.1f} |")


if __name__ == "__main__":
    main()
