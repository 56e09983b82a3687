"""Machine-readable output of flat records: json, jsonl, tsv (and a rich table)."""

from __future__ import annotations

import json
import sys
from typing import Iterable, Sequence


def _cell(value) -> str:
    if isinstance(value, (list, tuple)):
        value = " | ".join(str(v) for v in value)
    if value is None:
        return ""
    # TSV: one record per line, so tabs and newlines inside a field are escaped.
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def write_records(records: Sequence[dict], fmt: str, columns: Sequence[str],
                  out=None, title: str | None = None, wrap: Iterable[str] = ()) -> None:
    out = out or sys.stdout
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump(list(records), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "tsv":
        out.write("\t".join(columns) + "\n")
        for r in records:
            out.write("\t".join(_cell(r.get(c)) for c in columns) + "\n")
    elif fmt == "table":
        table_out(records, columns, out, title, wrap)
    else:  # pragma: no cover - click restricts the choices
        raise ValueError(fmt)


def table_out(records, columns, out, title=None, wrap=()):
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=out, soft_wrap=False,
                      width=None if out.isatty() else 120, highlight=False)
    table = Table(title=escape(title) if title else title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold", no_wrap=c not in wrap,
                         ratio=1 if c in wrap else None)
    for r in records:
        table.add_row(*(_plain(r.get(c)) for c in columns))
    console.print(table)


def _plain(value) -> str:
    from rich.markup import escape

    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    return escape("" if value is None else str(value))
