"""Run the jobs of a job file: skip what is up to date, build the rest on an executor
(a local process pool or a Dask cluster), write every output atomically, report each
failure and carry on."""

from __future__ import annotations

import contextlib
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UserError
from .executors import Executor, first_line, open_executor
from .jobs import Job, load_jobs
from .procs import WORKERS_NAME, clean_leftovers, output_lock
from .state import clear_stale, is_up_to_date, job_key, write_state

BUILT, SKIPPED, FAILED = "built", "up to date", "failed"


@dataclass
class Outcome:
    job: Job
    status: str
    seconds: float = 0.0
    message: str = ""

    def record(self, root: Path | None = None) -> dict:
        path = self.job.path
        with contextlib.suppress(ValueError):
            path = path.relative_to(root) if root else path
        return {"output": str(path), "do": self.job.do, "status": self.status,
                "seconds": round(self.seconds, 2), "message": self.message}


def _run_operation(job: Job, settings: dict) -> None:
    """Run the job's operation in this process (a worker) and write its output
    atomically; its messages go to stderr, naming the output."""
    from ..ops.context import Context
    from ..ops.output import save

    def say(msg: str) -> None:
        sys.stderr.write(f"{job.path.name}: {msg}\n")

    ctx = Context.from_settings(settings, say=say)
    op = job.operation()
    result = op.run(ctx)
    save(result, job.fmt, job.path, op.binary)
    for line in result.notes:
        say(line)
    say(f"wrote {job.path}")
    sys.stderr.flush()
    if result.exit_code:
        raise UserError(f"{job.do} exited with status {result.exit_code} "
                        "(see its output)")


def _payload(job: Job, ctx) -> dict:
    """What a worker gets: the job and the context's settings, as plain data."""
    return {**job.to_dict(), "context": ctx.settings()}


def build(job_d: dict, key: str, what: dict) -> dict:
    """Build one output (runs in a worker process). Never raises: returns an outcome."""
    job = Job.from_dict(job_d)
    t0 = time.perf_counter()
    try:
        clear_stale(job)
        job.path.parent.mkdir(parents=True, exist_ok=True)
        _run_operation(job, job_d.get("context", {}))
        seconds = time.perf_counter() - t0
        write_state(job, key, what, seconds)
        return {"status": BUILT, "seconds": seconds, "message": ""}
    except UserError as e:
        msg = str(e)
    except Exception as e:  # a bug or an engine failure: keep the last frame for the report
        tb = traceback.extract_tb(e.__traceback__)
        where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
        msg = f"{type(e).__name__}: {e}{where}"
    return {"status": FAILED, "seconds": time.perf_counter() - t0, "message": msg}


def run_batch(jobs_file: str | Path, workers: int = 1, force: bool = False,
              progress: Callable[[str], None] | None = None, context=None,
              cluster: str | None = None) -> list[Outcome]:
    """Run every job of ``jobs_file``; return one outcome per output, in file order.
    ``context`` (``ops.Context``, default: the shipped corpus, no translation cache):
    the settings every job runs with, rebuilt in each worker.

    The jobs run on ``workers`` local processes, or on the Dask cluster whose
    scheduler is at ``cluster`` (connected and checked before anything is written).
    The output folder is locked for the whole run: a second run of the same job file
    waits, then finds what the first built up to date."""
    say = progress or (lambda m: None)
    from ..ops.context import Context

    ctx = context or Context()
    jobs = load_jobs(jobs_file)
    root = jobs[0].root
    # a cluster is connected and checked first: a bad address writes nothing
    with open_executor(workers, cluster, root / WORKERS_NAME,
                       shared=[str(Path(jobs_file).resolve())]) as executor, \
            output_lock(root, say):
        clean_leftovers(root, [job.path for job in jobs], say)
        return _run_locked(jobs, executor, force, say, ctx)


def _run_locked(jobs: list[Job], executor: Executor, force: bool,
                say: Callable[[str], None], ctx) -> list[Outcome]:
    from ..corpus.verify import HashCache

    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, Job, str, dict]] = []
    hashes = HashCache(ctx.cache_path)      # one for the run's keys, not one per job
    try:
        for i, job in enumerate(jobs):
            try:
                key, what = job_key(job, ctx, hashes)
            except UserError as e:
                outcomes[i] = Outcome(job, FAILED, 0.0, str(e))
                say(f"failed  {job.path.name}: {e}")
                continue
            if not force and is_up_to_date(job, key):
                outcomes[i] = Outcome(job, SKIPPED)
                say(f"skip    {job.path.name} (up to date)")
            else:
                todo.append((i, job, key, what))
    finally:
        hashes.close()
    n = len(todo)
    if not todo:
        return [outcomes[i] for i in range(len(jobs))]
    say(f"building {n} of {len(jobs)} output(s) {executor.describe(n)}")
    calls = [(_payload(job, ctx), key, what) for _, job, key, what in todo]
    for k, (t, res) in enumerate(executor.map_unordered(build, calls), 1):
        i, job = todo[t][0], todo[t][1]
        if isinstance(res, BaseException):
            res = {"status": FAILED, "seconds": 0.0,
                   "message": f"worker process failed: {type(res).__name__}: "
                              f"{first_line(res)}"}
        elif res["status"] == BUILT and not job.path.is_file():
            # built on a worker that writes elsewhere than this machine reads
            res = {**res, "status": FAILED, "message": "built on a worker, but not "
                   f"found here at {job.path}: is the output folder on shared storage?"}
        outcomes[i] = Outcome(job, res["status"], res["seconds"], res["message"])
        tail = f"({res['seconds']:.1f} s)" if res["status"] == BUILT else f"— {res['message']}"
        say(f"[{k}/{n}] {res['status']:<6} {job.path.name} {tail}")
    return [outcomes[i] for i in range(len(jobs))]
