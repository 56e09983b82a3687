"""Signatures in sacrebleu's style: what made a result, as an ordered info dict.

A signature prints as ``key:value|key:value`` (long form) or with short keys (short
form), like sacrebleu's ``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0``.
It *is* the long string (a ``str`` subclass), so it goes into JSON, TSV and tables as
it is, while code reads or extends its fields through ``info`` instead of cutting the
string at pipes. A nested signature (a diff inside a history) prints in brackets.
"""

from __future__ import annotations

from typing import Mapping


def _value(v) -> str:
    if isinstance(v, Signature):
        return f"[{v}]"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return ",".join(_value(x) for x in v)
    return str(v)


class Signature(str):
    """An immutable signature: ``info`` (key → value, in order) and ``abbr`` (key →
    short key for the short form)."""

    info: dict
    abbr: dict

    def __new__(cls, info: Mapping[str, object], abbr: Mapping[str, str] | None = None):
        info = {str(k): v for k, v in info.items() if v is not None}
        self = super().__new__(cls, "|".join(f"{k}:{_value(v)}" for k, v in info.items()))
        self.info, self.abbr = info, dict(abbr or {})
        return self

    def format(self, short: bool = False) -> str:
        if not short:
            return str.__str__(self)
        return "|".join(f"{self.abbr.get(k, k)}:{_value(v)}" for k, v in self.info.items())

    def extend(self, more: Mapping[str, object] | None = None, **kw) -> "Signature":
        """A new signature with these fields added (or replaced) at the end."""
        info = {k: v for k, v in self.info.items() if k not in (more or {}) and k not in kw}
        return Signature({**info, **(more or {}), **kw}, self.abbr)

    def __getnewargs__(self):          # pickling (batch workers) keeps the fields
        return (self.info, self.abbr)

    def to_dict(self) -> dict:
        return {k: (v.to_dict() if isinstance(v, Signature) else v) for k, v in self.info.items()}

    @classmethod
    def parse(cls, text: str) -> "Signature":
        """Read a flat long form back (a signature stored in a file); fields without a
        colon keep their text as the key with an empty value."""
        info: dict[str, object] = {}
        for part in str(text).split("|"):
            k, _, v = part.partition(":")
            info[k] = v
        return cls(info)
