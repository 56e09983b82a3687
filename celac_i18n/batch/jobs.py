"""The job file: which outputs to make, from which inputs, with which options.

    output_dir = "../out"          # optional; relative to the job file

    [[output]]
    path = "2022-2024.es-en.pdf"   # relative to output_dir
    do = "pdf"                     # any operation: pdf, align, score, qa, diff, ...
    inputs = ["2022-2024:es", "2022-2024:en"]
    layout = "side-by-side"        # any other key is an option of that operation
    # format = "json"              # optional: else from the path's suffix
    # provenance = "lenient"       # optional (also top-level): build from a corpus text
    #                              # whose bytes are not as recorded, labelled 'modified'

Every entry becomes an operation (celac_i18n.ops) when the file is read: an unknown
key, a bad value or a wrong number of inputs is a UserError naming the entry and the
key, before anything runs. Input paths (not PLAN:LANG references) and the options
that name files or documents (termbase, alignment, review, score_ref, src) are
relative to the job file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..corpus.guard import refuse_corpus_path, refuse_overwriting_inputs

_RESERVED = {"path", "do", "inputs", "format", "provenance"}
# strict: a job whose corpus inputs fail verification is not built; lenient: it is,
# with a warning, and its output labels them 'modified'
PROVENANCE = ("strict", "lenient")
# the output is 'path'; writing into the corpus is not a job's to ask
_FORBIDDEN = {"output", "o", "save", "corpus"}


@dataclass
class Job:
    path: Path
    do: str
    inputs: list[str]
    options: dict = field(default_factory=dict)
    base: Path = Path(".")
    root: Path = Path(".")      # the job file's output_dir, which holds every output
    fmt: str = ""               # the output format (from 'format' or the path's suffix)
    provenance: str = "strict"  # what a corpus input not as recorded does (PROVENANCE)

    def operation(self):
        """The job as a validated operation."""
        from ..ops import build

        return build(self.do, self.inputs, self.options, where=self.name)

    @property
    def name(self) -> str:
        return str(self.path)

    def to_dict(self) -> dict:
        return {"path": str(self.path), "do": self.do, "inputs": self.inputs,
                "options": self.options, "base": str(self.base), "root": str(self.root),
                "fmt": self.fmt, "provenance": self.provenance}

    @classmethod
    def from_dict(cls, d: dict) -> "Job":
        return cls(Path(d["path"]), d["do"], list(d["inputs"]), dict(d["options"]),
                   Path(d["base"]), Path(d["root"]), d["fmt"], d.get("provenance", "strict"))


def _input(ref: str, base: Path) -> str:
    from ..corpus.refs import parse_ref

    r = parse_ref(ref)
    if r.plan:
        return ref
    p = Path(r.path)
    p = p if p.is_absolute() else (base / p)
    return f"{p}@{r.lang}" if r.lang else str(p)


def load_jobs(path: str | Path) -> list[Job]:
    from ..ops import OPERATIONS, get

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: job file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        why = e.strerror if isinstance(e, OSError) else f"not UTF-8 ({e.reason})"
        raise UserError(f"{path}: cannot read the job file ({why})") from None
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{path}: not valid TOML: {e}") from None
    base = path.resolve().parent
    unknown = set(data) - {"output_dir", "output", "provenance"}
    if unknown:
        raise UserError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))} "
                        "(known: output_dir, provenance, [[output]])")
    default_provenance = _provenance(data.get("provenance", "strict"), f"{path}")
    out_dir_raw = data.get("output_dir", ".")
    if not isinstance(out_dir_raw, str) or not out_dir_raw.strip() or "\0" in out_dir_raw:
        raise UserError(f"{path}: output_dir must be a folder name (a string)")
    out_dir = (base / out_dir_raw).resolve()
    try:
        refuse_corpus_path(out_dir, "output_dir")
    except UserError as e:
        raise UserError(f"{path}: output_dir {out_dir_raw!r}: {e}") from None
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
        for key in ("path", "do"):
            if not isinstance(e[key], str) or not e[key]:
                raise UserError(f"{where}: '{key}' must be a non-empty string")
        do = e["do"]
        if do not in OPERATIONS:
            raise UserError(f"{where}: unknown do = '{do}' (known: {', '.join(OPERATIONS)})")
        op_cls = get(do)
        inputs = e["inputs"]
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not all(isinstance(i, str) and i and "\0" not in i
                                                   for i in inputs):
            raise UserError(f"{where}: inputs must be a list of document references")
        out = _output_path(e["path"], out_dir, where)
        if out in seen:
            raise UserError(f"{where}: output {out} is listed twice")
        seen.add(out)
        options = {key: v for key, v in e.items() if key not in _RESERVED}
        for key in options:
            if key in _FORBIDDEN:
                raise UserError(f"{where}: '{key}' is not an option a job may set"
                                + (" (the output is 'path')" if key in ("output", "o") else
                                   " (a job writes only its output)"))
        for o in op_cls.options:         # documents and files are relative to the job file
            v = options.get(o.name)
            if o.input and isinstance(v, str) and v and "\0" not in v:
                options[o.name] = _input(v, base) if o.input == "ref" else \
                    str(Path(v) if Path(v).is_absolute() else base / v)
        job = Job(out, do, [_input(i, base) for i in inputs], options, base, out_dir,
                  provenance=_provenance(e.get("provenance", default_provenance), where))
        op = op_cls(job.inputs, options, where=where)     # every key and value checked
        # Nothing the run reads may be written over: the job file, inputs, termbase.
        try:
            refuse_overwriting_inputs(out, [str(path), *op.declared_inputs()], "path")
        except UserError as err:
            raise UserError(f"{where}: path {e['path']!r}: {err}") from None
        fmt = e.get("format")
        if fmt is not None and not isinstance(fmt, str):
            raise UserError(f"{where}: 'format' must be a string")
        try:
            job.fmt = op.output_format(fmt, str(out), tty=False)
        except UserError as err:
            raise UserError(f"{where}: path {e['path']!r}: {err}") from None
        jobs.append(job)
    return jobs


def _provenance(value, where: str) -> str:
    if value not in PROVENANCE:
        raise UserError(f"{where}: provenance = {value!r}: must be \"strict\" (a corpus "
                        "input not as recorded fails the job) or \"lenient\" (built, "
                        "labelled 'modified')")
    return value


def _output_path(raw: str, out_dir: Path, where: str) -> Path:
    """The output, which must lie inside output_dir (no absolute path, no '..', no
    hidden names: those are the runner's lock, state and temp files)."""
    rel = Path(raw)
    if "\0" in raw or rel.is_absolute() or any(p in ("..", "") or p.startswith(".")
                                                for p in rel.parts) or not rel.parts:
        raise UserError(f"{where}: path {raw!r} must be a file name inside output_dir "
                        f"({out_dir}): no absolute path, no '..', no hidden name")
    out = (out_dir / rel).resolve()
    if not out.is_relative_to(out_dir) or out == out_dir:
        raise UserError(f"{where}: path {raw!r} leads outside output_dir ({out_dir})")
    if out.is_dir():
        raise UserError(f"{where}: path {raw!r} is a folder")
    return out
