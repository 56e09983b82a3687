"""celac-i18n batch JOBS.toml: build the outputs a job file lists, in parallel."""

from __future__ import annotations

import click

from .options import choose_format, emit, output_options

FORMATS = ("table", "jsonl", "tsv", "json")


@click.command("batch")
@click.argument("jobs_file", metavar="JOBS.toml", type=click.Path(dir_okay=False))
@click.option("-j", "--jobs", "workers", type=click.IntRange(1, 64), default=1,
              show_default=True, help="Parallel worker processes on this machine.")
@click.option("--cluster", metavar="tcp://HOST:PORT",
              help="Run the jobs on the workers of this Dask scheduler (needs the "
                   "'cluster' extra; inputs and outputs on storage shared at the same path).")
@click.option("--force", is_flag=True, help="Rebuild every output, even those up to date.")
@output_options(*FORMATS)
def batch(jobs_file, workers, cluster, force, fmt, output):
    """Build every output of JOBS.toml (each an operation: pdf, align, qa, diff, ...).

    Outputs whose inputs (by content hash), options and toolkit version are unchanged
    are skipped; each output is written atomically; a failed job is reported and the
    others go on. Jobs run on -j local processes, or on the workers of a Dask
    scheduler with --cluster. Progress goes to stderr, the summary to stdout; the exit
    status is 1 if any job failed.
    """
    import os
    import sys
    import time
    from pathlib import Path

    from ..batch.runner import FAILED, run_batch
    from ..corpus.guard import refuse_overwriting_inputs
    from ..errors import UserError
    from ..ops.results import Records
    from .settings import context

    if cluster and workers != 1:
        raise UserError("--jobs sets local worker processes; with --cluster the cluster's "
                        "workers run the jobs (drop --jobs)")
    refuse_overwriting_inputs(output, [jobs_file])
    fmt = choose_format("batch", fmt, output, FORMATS)     # before any job runs
    t0 = time.perf_counter()
    outcomes = run_batch(jobs_file, workers=workers, force=force, cluster=cluster,
                         progress=lambda m: click.echo(f"batch: {m}", err=True),
                         context=context())
    root = Path(os.getcwd())
    records = [o.record(root) for o in outcomes]
    failed = sum(o.status == FAILED for o in outcomes)
    built = sum(o.status == "built" for o in outcomes)
    title = (f"{jobs_file}: {built} built, {len(outcomes) - built - failed} up to date, "
             f"{failed} failed in {time.perf_counter() - t0:.1f} s")
    emit(Records(records, ["output", "do", "status", "seconds", "message"], title=title,
                 wrap=("message",)), "batch", fmt, output, FORMATS)
    click.echo(f"batch: {title}", err=True)
    if failed:
        sys.exit(1)
