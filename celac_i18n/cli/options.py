"""The output convention for the commands that are not operations (corpus list and
show, review status, batch's summary): the same -o and --format as every operation
(ops/output.resolve_format), through the same writers."""

from __future__ import annotations

import sys

import click

SUFFIXES = {"jsonl": "jsonl", "json": "json", "tsv": "tsv", "txt": "table"}


def output_options(*formats: str):
    """-o FILE and --format; the first format is a terminal's, the second the piped one."""
    def decorator(f):
        f = click.option("--format", "fmt", type=click.Choice(formats), default=None,
                         help=f"Output format (default: from -o's suffix, else {formats[0]} "
                              f"on a terminal, {formats[1]} when piped).")(f)
        return click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                            help="Write to FILE (atomically) instead of stdout; its suffix "
                                 "(.json, .jsonl, .tsv, .txt) picks the format.")(f)
    return decorator


def choose_format(name: str, fmt: str | None, output: str | None, formats) -> str:
    """The format the convention gives (call it before the work, to fail early)."""
    from ..ops.output import resolve_format

    suffixes = {k: v for k, v in SUFFIXES.items() if v in formats}
    return resolve_format(name, fmt, output, sys.stdout.isatty(), formats, formats[1],
                          suffixes)


def emit(result, name: str, fmt: str | None, output: str | None, formats) -> None:
    """Write ``result`` (an ``ops.Result``) as the convention says."""
    from ..ops.output import save, to_stream

    fmt = choose_format(name, fmt, output, formats)
    if output:
        save(result, fmt, output)
        click.echo(f"wrote {output}", err=True)
    else:
        to_stream(result, fmt, sys.stdout)
