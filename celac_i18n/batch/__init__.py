"""Batch jobs: a TOML job file lists outputs and their inputs; outputs whose inputs
(by content hash), options and toolkit version are unchanged are skipped; the rest
are built in parallel processes and written atomically."""

from __future__ import annotations


def run_batch(*args, **kwargs):
    from .runner import run_batch as _run

    return _run(*args, **kwargs)


__all__ = ["run_batch"]
