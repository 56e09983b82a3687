"""What an operation is: declared inputs, typed options, ``run(context)``, a result.

An operation is built from plain values (a job file's table, the CLI's parsed flags,
the review app's JSON) and validates them when built, before anything runs: an
unknown option or a bad value is a ``UserError`` naming it. ``declared_inputs()`` lists
every document and file the result depends on (the batch key hashes them; the front
ends refuse to write over them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

from ..errors import UserError


@dataclass(frozen=True)
class Option:
    """One option: its job-file key is ``name``; the CLI flag is ``--name-with-dashes``
    unless ``flag`` says otherwise."""

    name: str
    type: type = str                    # str, int, float, bool or list (of str)
    default: Any = None
    help: str = ""
    choices: tuple | None = None
    min: float | None = None
    max: float | None = None
    metavar: str | None = None
    flag: str | None = None             # CLI spelling, e.g. "--no-zh-norm"
    off_flag: str | None = None         # bool with an explicit "no" (--no-consistency)
    input: str | None = None            # "ref" or "file": a declared input

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def coerce(self, value, where: str):
        """``value`` checked and converted to this option's type, or a UserError."""
        if value is None:
            return self.default
        want = self.type
        bad = f"{where}option '{self.name}'"
        if want is bool:
            if not isinstance(value, bool):
                raise UserError(f"{bad} must be true or false, not {value!r}")
        elif want is list:
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise UserError(f"{bad} must be a list of strings")
            value = list(value)
        elif want in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    want is int and isinstance(value, float) and not value.is_integer()):
                raise UserError(f"{bad} must be {'an integer' if want is int else 'a number'}, "
                                f"not {value!r}")
            value = want(value)
            if (self.min is not None and value < self.min) or (
                    self.max is not None and value > self.max):
                raise UserError(f"{bad} must be between {self.min:g} and {self.max:g}, "
                                f"not {value:g}")
        elif not isinstance(value, str) or "\0" in value:
            raise UserError(f"{bad} must be a string, not {value!r}")
        if self.choices and value not in self.choices:
            raise UserError(f"{bad}: {value!r} is not one of {', '.join(map(str, self.choices))}")
        return value


# The sentence encoder, an option of every operation that judges meaning across
# languages (align, diff, qa, score, search); the context opens it (Context.semantic).
EMBED_MODEL = Option(
    "embed_model", metavar="DIR|none",
    help="Sentence encoder for the meaning cue: the embedded multilingual encoder by "
         "default (USE multilingual v3, offline), 'none' to turn the cue off, or a local "
         "transformers model directory (LaBSE, multilingual-e5; GPU when torch sees one).")


class Result:
    """What an operation returns: data in one or more output formats, a signature,
    notes for stderr and an exit status (``qa --fail-on``)."""

    signature: Any = ""
    notes: list[str]
    exit_code: int = 0

    def __init__(self) -> None:
        self.notes = []

    def write(self, fmt: str, out) -> None:
        """Write the text format ``fmt`` to the text stream ``out``."""
        raise NotImplementedError

    def to_bytes(self, fmt: str) -> bytes:
        """The binary format ``fmt`` (pdf, docx, tmx, xliff)."""
        raise NotImplementedError


class Operation:
    """One thing a user can ask for. Subclasses declare ``name``, ``arguments`` (their
    metavars; a trailing ``...`` takes more), ``options``, ``formats`` (the first is
    the terminal's default), ``piped`` (the default when stdout is not a terminal) and
    ``suffixes`` (-o's suffix → format), and implement ``run(ctx)``."""

    name: ClassVar[str]
    summary: ClassVar[str] = ""
    arguments: ClassVar[tuple[str, ...]] = ("REF",)
    max_inputs: ClassVar[int | None] = None     # with "..." arguments; None: no limit
    options: ClassVar[tuple[Option, ...]] = ()
    formats: ClassVar[tuple[str, ...]] = ("table", "json")
    piped: ClassVar[str] = "json"
    suffixes: ClassVar[dict[str, str]] = {}
    binary: ClassVar[frozenset[str]] = frozenset()
    uses_termbase: ClassVar[bool] = False       # reads the context's termbase

    def __init__(self, inputs: Sequence[str], options: dict | None = None, *,
                 where: str = "") -> None:
        prefix = f"{where}: " if where else ""
        inputs = list(inputs)
        lo, hi = self.arity()
        if not lo <= len(inputs) <= (hi if hi is not None else len(inputs)):
            words = {1: "one", 2: "two", 3: "three", 4: "four"}
            want = words[lo] if lo == hi else f"at least {words[lo]}"
            most = f", at most {words[hi]}" if hi and lo != hi else ""
            raise UserError(f"{prefix}{self.name} needs {want} document"
                            f"{'s' if lo > 1 else ''} ({' '.join(self.arguments)}{most}), "
                            f"got {len(inputs)}")
        for i in inputs:
            if not isinstance(i, str) or not i or "\0" in i:
                raise UserError(f"{prefix}{self.name}: inputs must be document references")
        self.inputs = inputs
        given = dict(options or {})
        known = {o.name: o for o in self.options}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise UserError(f"{prefix}{self.name} has no option {', '.join(map(repr, unknown))} "
                            f"(its options: {', '.join(sorted(known)) or 'none'})")
        self.values = {name: o.coerce(given.get(name), prefix) for name, o in known.items()}
        self.check()

    @classmethod
    def arity(cls) -> tuple[int, int | None]:
        fixed = [a for a in cls.arguments if not a.endswith("...")]
        if len(fixed) == len(cls.arguments):
            return len(fixed), len(fixed)
        return len(cls.arguments), cls.max_inputs

    def __getattr__(self, name: str):
        values = self.__dict__.get("values")
        if values is not None and name in values:
            return values[name]
        raise AttributeError(name)

    def check(self) -> None:
        """Checks across options (before anything runs); raise UserError."""

    def declared_inputs(self) -> list[str]:
        """Every document reference and file the result depends on."""
        extra = []
        for o in self.options:
            v = self.values.get(o.name)
            if o.input and v:
                extra += v if isinstance(v, list) else [v]
        return [*self.inputs, *extra]

    def config(self) -> dict:
        """The operation as data: name, inputs, options that differ from their default
        (what a batch key and a job's state record)."""
        from ..version import __version__

        return {"do": self.name, "inputs": list(self.inputs), "toolkit": __version__,
                "options": {o.name: self.values[o.name] for o in self.options
                            if self.values[o.name] != o.default}}

    def run(self, ctx) -> Result:
        raise NotImplementedError

    # -- output ------------------------------------------------------------------------
    def output_format(self, fmt: str | None, output: str | None, tty: bool) -> str:
        """--format, else -o's suffix, else a table on a terminal and ``piped`` when not."""
        from .output import resolve_format

        return resolve_format(self.name, fmt, output, tty, self.formats, self.piped,
                              self.suffixes)
