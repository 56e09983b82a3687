"""Dask distributed vs Ray as the engine behind ``celac-i18n batch --cluster``.

    python benchmarks/cluster_engines.py dask      # needs `pip install distributed`
    python benchmarks/cluster_engines.py ray       # needs `pip install ray`
    python benchmarks/cluster_engines.py pool      # the local spawn pool, for reference

Each run, on loopback with two single-threaded worker processes and no dashboard:

- import: seconds to ``import distributed`` / ``import ray`` in a fresh interpreter,
  beyond a bare interpreter (best of 3);
- start: seconds from nothing to a cluster whose two workers have each answered a task;
- per task: 50 trivial tasks submitted at once and gathered (wall / 50), and the mean
  round trip of 20 tasks submitted one after the other;
- memory: resident set (RSS) of one idle worker, and of every process the engine
  started (scheduler, nanny, raylet, GCS...) together, read from /proc.

Prints one JSON object. The figures are in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _descendants(pid: int) -> list[int]:
    kids = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
            kids.append(int(p.name))
    return kids + [d for k in kids for d in _descendants(k)]


def import_cost(module: str) -> float:
    def best(code: str) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - t0)
        return min(times)

    return best(f"import {module}") - best("pass")


def _tiny(x: int) -> int:
    return x + 1


def _whoami(_: int = 0) -> int:
    time.sleep(0.2)   # long enough that two calls land on two workers
    return os.getpid()


def bench_dask() -> dict:
    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    pids = set(client.gather(client.map(_whoami, range(2), pure=False)))
    start = time.perf_counter() - t0
    t0 = time.perf_counter()
    client.gather(client.map(_tiny, range(50), pure=False))
    batch = (time.perf_counter() - t0) / 50
    rt = []
    for i in range(20):
        t0 = time.perf_counter()
        client.submit(_tiny, i, pure=False).result()
        rt.append(time.perf_counter() - t0)
    workers = list(client.run(os.getpid).values())
    engine_pids = _descendants(os.getpid())
    out = {"engine": "dask distributed", "version": __import__("distributed").__version__,
           "start_s": start, "batch50_per_task_ms": batch * 1e3,
           "roundtrip_ms": statistics.mean(rt) * 1e3,
           "worker_rss_mb": statistics.mean(_rss_mb(p) for p in workers),
           "engine_rss_mb": sum(_rss_mb(p) for p in engine_pids) + _rss_mb(os.getpid()),
           "processes": len(engine_pids), "distinct_workers_at_start": len(pids)}
    client.close()
    cluster.close()
    return out


def bench_ray() -> dict:
    import ray

    t0 = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
             log_to_driver=False)
    whoami = ray.remote(num_cpus=1)(_whoami)
    tiny = ray.remote(num_cpus=1)(_tiny)
    pids = set(ray.get([whoami.remote(i) for i in range(2)]))
    start = time.perf_counter() - t0
    t0 = time.perf_counter()
    ray.get([tiny.remote(i) for i in range(50)])
    batch = (time.perf_counter() - t0) / 50
    rt = []
    for i in range(20):
        t0 = time.perf_counter()
        ray.get(tiny.remote(i))
        rt.append(time.perf_counter() - t0)
    engine_pids = _descendants(os.getpid())
    out = {"engine": "ray", "version": ray.__version__, "start_s": start,
           "batch50_per_task_ms": batch * 1e3, "roundtrip_ms": statistics.mean(rt) * 1e3,
           "worker_rss_mb": statistics.mean(_rss_mb(p) for p in pids),
           "engine_rss_mb": sum(_rss_mb(p) for p in engine_pids) + _rss_mb(os.getpid()),
           "processes": len(engine_pids), "distinct_workers_at_start": len(pids)}
    ray.shutdown()
    return out


def bench_pool() -> dict:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    t0 = time.perf_counter()
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    pids = set(pool.map(_whoami, range(2)))
    start = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(pool.map(_tiny, range(50)))
    batch = (time.perf_counter() - t0) / 50
    rt = []
    for i in range(20):
        t0 = time.perf_counter()
        pool.submit(_tiny, i).result()
        rt.append(time.perf_counter() - t0)
    out = {"engine": "local spawn pool", "start_s": start,
           "batch50_per_task_ms": batch * 1e3, "roundtrip_ms": statistics.mean(rt) * 1e3,
           "worker_rss_mb": statistics.mean(_rss_mb(p) for p in pids),
           "distinct_workers_at_start": len(pids)}
    pool.shutdown()
    return out


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "dask"
    res = {"dask": bench_dask, "ray": bench_ray, "pool": bench_pool}[which]()
    mod = {"dask": "distributed", "ray": "ray"}.get(which)
    if mod:
        res["import_s"] = import_cost(mod)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v
                      for k, v in res.items()}))
