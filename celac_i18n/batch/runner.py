"""Run the jobs of a job file: skip what is up to date, build the rest on an executor
(a local process pool or a Dask cluster), write every output atomically, report each
failure and carry on."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UserError
from ..fsutil import atomic_open
from .executors import Executor, open_executor
from .jobs import Job, load_jobs
from .procs import WORKERS_NAME, clean_leftovers, output_lock, work_dir
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


def _option_args(options: dict) -> list[str]:
    args = []
    for key, v in options.items():
        flag = "--" + key.replace("_", "-")
        if v is True:
            args.append(flag)
        elif v is False:
            continue
        elif isinstance(v, list):
            for item in v:
                args += [flag, str(item)]
        else:
            args += [flag, str(v)]
    return args


def _run_command(job: Job) -> None:
    """Run a celac-i18n command in this process; its output goes to a private temp
    folder (``-o``) or, for commands that print, into a temp file, then is renamed.

    The command's messages name that temp file; they are passed on naming the output."""
    from ..cli import cli

    work = work_dir(job.path)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    tmp = work / job.path.name
    messages = io.StringIO()
    try:
        args = [job.do, *job.inputs, *_option_args(job.options)]
        try:
            with contextlib.redirect_stderr(messages):
                if job.do == "score":        # prints its report: capture stdout
                    with atomic_open(tmp, "w") as fh, contextlib.redirect_stdout(fh):
                        code = cli.main(args=args, prog_name="celac-i18n",
                                        standalone_mode=False)
                else:
                    code = cli.main(args=args + ["-o", str(tmp)], prog_name="celac-i18n",
                                    standalone_mode=False)
        except SystemExit as e:          # qa --fail-on and the like
            code = e.code if isinstance(e.code, int) else 1
        except UserError as e:
            raise UserError(str(e).replace(str(tmp), str(job.path))) from None
        finally:
            sys.stderr.write(messages.getvalue().replace(str(tmp), str(job.path)))
            sys.stderr.flush()
        if isinstance(code, int) and code != 0:
            raise UserError(f"celac-i18n {job.do} exited with status {code}")
        if not tmp.is_file():
            raise RuntimeError(f"celac-i18n {job.do} wrote no output")
        os.replace(tmp, job.path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_pdf(job: Job) -> None:
    from ..corpus.refs import load
    from ..typeset import render_pdf

    opts = dict(job.options)
    known = {"layout", "annotate", "score_ref", "title"}
    unknown = set(opts) - known
    if unknown:
        raise UserError(f"pdf: unknown option(s) {', '.join(sorted(unknown))} "
                        f"(known: {', '.join(sorted(known))})")
    docs = [load(r) for r in job.inputs]
    score_ref = load(opts["score_ref"]) if opts.get("score_ref") else None
    render_pdf(docs, job.path, layout=opts.get("layout"), refs=job.inputs,
               annotate=opts.get("annotate"), score_ref=score_ref, title=opts.get("title"))


def build(job_d: dict, key: str, what: dict) -> dict:
    """Build one output (runs in a worker process). Never raises: returns an outcome."""
    job = Job.from_dict(job_d)
    t0 = time.perf_counter()
    try:
        clear_stale(job)
        shutil.rmtree(work_dir(job.path), ignore_errors=True)
        job.path.parent.mkdir(parents=True, exist_ok=True)
        if job.do == "pdf":
            _run_pdf(job)
        else:
            _run_command(job)
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
              progress: Callable[[str], None] | None = None,
              cluster: str | None = None) -> list[Outcome]:
    """Run every job of ``jobs_file``; return one outcome per output, in file order.

    The jobs run on ``workers`` local processes, or on the Dask cluster whose
    scheduler is at ``cluster`` (connected and checked before anything is written).
    The output folder is locked for the whole run: a second run of the same job file
    waits, then finds what the first built up to date."""
    say = progress or (lambda m: None)
    jobs = load_jobs(jobs_file)
    root = jobs[0].root
    # a cluster is connected and checked first: a bad address writes nothing
    with open_executor(workers, cluster, root / WORKERS_NAME,
                       shared=[str(Path(jobs_file).resolve())]) as executor, \
            output_lock(root, say):
        clean_leftovers(root, [job.path for job in jobs], say)
        return _run_locked(jobs, executor, force, say)


def _run_locked(jobs: list[Job], executor: Executor, force: bool,
                say: Callable[[str], None]) -> list[Outcome]:
    outcomes: dict[int, Outcome] = {}
    todo: list[tuple[int, Job, str, dict]] = []
    for i, job in enumerate(jobs):
        try:
            key, what = job_key(job)
        except UserError as e:
            outcomes[i] = Outcome(job, FAILED, 0.0, str(e))
            say(f"failed  {job.path.name}: {e}")
            continue
        if not force and is_up_to_date(job, key):
            outcomes[i] = Outcome(job, SKIPPED)
            say(f"skip    {job.path.name} (up to date)")
        else:
            todo.append((i, job, key, what))
    n = len(todo)
    if not todo:
        return [outcomes[i] for i in range(len(jobs))]
    say(f"building {n} of {len(jobs)} output(s) {executor.describe(n)}")
    calls = [(job.to_dict(), key, what) for _, job, key, what in todo]
    for k, (t, res) in enumerate(executor.map_unordered(build, calls), 1):
        i, job = todo[t][0], todo[t][1]
        if isinstance(res, BaseException):
            first = (str(res).strip().splitlines() or [""])[0]
            res = {"status": FAILED, "seconds": 0.0,
                   "message": f"worker process failed: {type(res).__name__}: {first}"}
        elif res["status"] == BUILT and not job.path.is_file():
            # built on a worker that writes elsewhere than this machine reads
            res = {**res, "status": FAILED, "message": "built on a worker, but not "
                   f"found here at {job.path}: is the output folder on shared storage?"}
        outcomes[i] = Outcome(job, res["status"], res["seconds"], res["message"])
        tail = f"({res['seconds']:.1f} s)" if res["status"] == BUILT else f"— {res['message']}"
        say(f"[{k}/{n}] {res['status']:<6} {job.path.name} {tail}")
    return [outcomes[i] for i in range(len(jobs))]
