"""Results shared by several operations: a stream of flat records, a JSON document."""

from __future__ import annotations

import json
from typing import Sequence

from .base import Result


class Records(Result):
    """Flat records: a table on a terminal, JSONL piped, or JSON / TSV. ``envelope``
    (a dict) makes the JSON form a document holding the records under ``key``."""

    def __init__(self, records: list[dict], columns: Sequence[str], *, signature="",
                 title: str | None = None, wrap: Sequence[str] = (),
                 table_columns: Sequence[str] | None = None, envelope: dict | None = None,
                 key: str = "records", table_records: list[dict] | None = None) -> None:
        super().__init__()
        self.records, self.columns, self.signature = records, list(columns), signature
        self.title, self.wrap = title, tuple(wrap)
        self.table_columns = list(table_columns or columns)
        self.table_records = table_records
        self.envelope, self.key = envelope, key
        self.table_footer: list[str] = []     # lines after the table (signatures)

    def write(self, fmt: str, out) -> None:
        from ..render.records import write_records

        if fmt == "json" and self.envelope is not None:
            json.dump({**self.envelope, self.key: self.records}, out, ensure_ascii=False,
                      indent=2)
            out.write("\n")
        elif fmt == "table":
            write_records(self.table_records or self.records, "table", self.table_columns,
                          out=out, title=self.title, wrap=self.wrap)
            out.writelines(line + "\n" for line in self.table_footer)
        else:
            write_records(self.records, fmt, self.columns, out=out)


class Text(Result):
    """A result whose formats are prepared strings or bytes (fmt → str | bytes)."""

    def __init__(self, by_format: dict, signature="") -> None:
        super().__init__()
        self.by_format, self.signature = by_format, signature

    def _get(self, fmt: str):
        v = self.by_format[fmt]
        return v() if callable(v) else v

    def write(self, fmt: str, out) -> None:
        out.write(self._get(fmt))

    def to_bytes(self, fmt: str) -> bytes:
        return self._get(fmt)
