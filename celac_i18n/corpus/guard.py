"""Where a command may write: never over one of its inputs, never under corpora/.

Only ``corpus import`` (and the commands that import through it) writes corpora/;
every other output is checked here before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UserError
from ..fsutil import is_inside
from .manifest import corpus_dir, shipped_corpus_dir
from .refs import parse_ref


def refuse_overwriting_inputs(output: str | os.PathLike | None, inputs, what: str = "-o") -> None:
    """UserError when ``output`` (a command's -o) is one of its inputs or lies under corpora/.

    ``inputs``: Documents (their provenance.source), document references (a path,
    ``path@LANG``; corpus references name no path and are covered by the corpus check)
    or plain paths (a termbase, a job file).
    """
    if not output:
        return
    out = Path(output).resolve()
    for item in inputs:
        if item is None:
            continue
        if isinstance(item, str):
            path = parse_ref(item).path
        elif isinstance(item, os.PathLike):
            path = Path(item)
        else:
            path = Path(item.provenance.source) if item.provenance.source else None
        if path is not None and path.exists() and path.resolve() == out:
            raise UserError(f"{output}: is an input of this command; choose another {what}")
    refuse_corpus_path(output, what)


def refuse_corpus_path(path: str | os.PathLike, what: str = "output") -> None:
    """UserError when ``path`` lies under corpora/ (the one in use or the shipped one)."""
    for root in {corpus_dir(), shipped_corpus_dir()}:
        if is_inside(path, root):
            raise UserError(f"{path}: is inside the corpus ({root}), which only "
                            f"`corpus import` writes; choose another {what}")
