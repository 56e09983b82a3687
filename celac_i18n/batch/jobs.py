"""The job file: which outputs to make, from which inputs, with which options.

    output_dir = "../out"          # optional; relative to the job file

    [[output]]
    path = "2022-2024.es-en.pdf"   # relative to output_dir
    do = "pdf"                     # pdf, align, score, qa, diff, translate
    inputs = ["2022-2024:es", "2022-2024:en"]
    layout = "side-by-side"        # any other key is an option of that command

Input paths (not PLAN:LANG references) and path-valued options (termbase, score_ref
when a path) are relative to the job file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError

# command → (least inputs, most inputs)
ARITY = {"pdf": (2, 4), "align": (2, 4), "score": (2, 2), "qa": (2, 2), "diff": (2, 2),
         "translate": (1, 1)}
_RESERVED = {"path", "do", "inputs"}


@dataclass
class Job:
    path: Path
    do: str
    inputs: list[str]
    options: dict = field(default_factory=dict)
    base: Path = Path(".")

    @property
    def name(self) -> str:
        return str(self.path)

    def to_dict(self) -> dict:
        return {"path": str(self.path), "do": self.do, "inputs": self.inputs,
                "options": self.options, "base": str(self.base)}

    @classmethod
    def from_dict(cls, d: dict) -> "Job":
        return cls(Path(d["path"]), d["do"], list(d["inputs"]), dict(d["options"]),
                   Path(d["base"]))


def _input(ref: str, base: Path) -> str:
    from ..corpus.refs import parse_ref

    r = parse_ref(ref)
    if r.plan:
        return ref
    p = Path(r.path)
    p = p if p.is_absolute() else (base / p)
    return f"{p}@{r.lang}" if r.lang else str(p)


def load_jobs(path: str | Path) -> list[Job]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: job file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{path}: not valid TOML: {e}") from None
    base = path.resolve().parent
    unknown = set(data) - {"output_dir", "output"}
    if unknown:
        raise UserError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))} "
                        "(known: output_dir, [[output]])")
    out_dir = base / data.get("output_dir", ".")
    entries = data.get("output", [])
    if not isinstance(entries, list) or not entries:
        raise UserError(f"{path}: no [[output]] entries")
    jobs, seen = [], set()
    for k, e in enumerate(entries, 1):
        where = f"{path}: output #{k}"
        if not isinstance(e, dict):
            raise UserError(f"{where}: must be a table")
        for key in ("path", "do", "inputs"):
            if key not in e:
                raise UserError(f"{where}: missing '{key}'")
        do = e["do"]
        if do not in ARITY:
            raise UserError(f"{where}: unknown do = '{do}' (known: {', '.join(ARITY)})")
        inputs = e["inputs"]
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
            raise UserError(f"{where}: inputs must be a list of document references")
        lo, hi = ARITY[do]
        if not lo <= len(inputs) <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}"
            raise UserError(f"{where}: {do} takes {want} input(s), got {len(inputs)}")
        out = (out_dir / e["path"]).resolve()
        if out in seen:
            raise UserError(f"{where}: output {out} is listed twice")
        seen.add(out)
        options = {key: v for key, v in e.items() if key not in _RESERVED}
        for key, v in options.items():
            if not isinstance(v, (str, int, float, bool, list)):
                raise UserError(f"{where}: option '{key}' must be a string, number, "
                                "boolean or list")
        if isinstance(options.get("termbase"), str):
            tb = Path(options["termbase"])
            options["termbase"] = str(tb if tb.is_absolute() else base / tb)
        if isinstance(options.get("score_ref"), str):
            options["score_ref"] = _input(options["score_ref"], base)
        jobs.append(Job(out, do, [_input(i, base) for i in inputs], options, base))
    return jobs
