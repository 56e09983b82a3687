"""The CLI's context: the one place that reads settings from flags and environment.

    --corpus DIR / CELAC_I18N_CORPUS   the corpora/ folder
    CELAC_I18N_CACHE                   the translation cache file ("off": none)
    CELAC_I18N_CT2_DIR                 where CTranslate2 conversions are kept
    CELAC_I18N_FONT_DIRS               extra font folders (os.pathsep-separated)
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

_OFF = {"", "0", "off", "none", "no"}


def cache_path_from_env() -> Path | None:
    from ..translate.cache import default_cache_path

    env = os.environ.get("CELAC_I18N_CACHE")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    return default_cache_path()


def from_environment(corpus_dir: str | None = None, reviewer: str | None = None):
    from ..ops.context import Context

    fonts = os.environ.get("CELAC_I18N_FONT_DIRS", "")
    ct2 = os.environ.get("CELAC_I18N_CT2_DIR")
    return Context(corpus=Path(corpus_dir) if corpus_dir else None,
                   cache_path=cache_path_from_env(), ct2_dir=Path(ct2) if ct2 else None,
                   font_dirs=tuple(d for d in fonts.split(os.pathsep) if d),
                   reviewer=reviewer, say=lambda m: click.echo(m, err=True))


def context():
    """The context of this command line (built by the ``celac-i18n`` group)."""
    root = click.get_current_context(silent=True)
    obj = root.find_root().obj if root else None
    return obj if obj is not None else from_environment(os.environ.get("CELAC_I18N_CORPUS"))


@contextlib.contextmanager
def progress_bar(ctx):
    """While an operation runs, its progress(what, done, total) draws a bar on stderr
    on a terminal (gone when the step ends); piped, it writes one line as each step
    starts, so a long run is never silent (a step first heard of when complete is not
    news)."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        live = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=True)
        task = live.add_task("", total=None)
        step = [None]

        def show(what, done, total):
            if what != step[0]:
                # a new step: its own clock and rate (the estimate is this step's)
                step[0] = what
                live.reset(task, description=what, completed=done, total=total)
            else:
                live.update(task, completed=done, total=total)
    else:
        live, seen = contextlib.nullcontext(), set()

        def show(what, done, total):
            if what not in seen and not (total and done >= total):
                seen.add(what)
                click.echo(f"{what}…", err=True)

    old, ctx.progress = ctx.progress, show
    try:
        with live:
            yield
    finally:
        ctx.progress = old
