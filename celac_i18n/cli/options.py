"""Options shared by several commands."""

from __future__ import annotations

import sys

import click


def format_option(*choices: str, default: str | None = None):
    """--format; defaults to a table on a terminal and to the first machine format otherwise."""
    def decorator(f):
        return click.option(
            "--format", "fmt", type=click.Choice(choices), default=default,
            help=f"Output format (default: {choices[0]} on a terminal, "
                 f"{choices[1] if len(choices) > 1 else choices[0]} when piped).")(f)
    return decorator


def pick_format(fmt: str | None, choices=("table", "jsonl")) -> str:
    if fmt:
        return fmt
    return choices[0] if sys.stdout.isatty() else choices[1]
