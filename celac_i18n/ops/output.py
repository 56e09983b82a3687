"""Writing a result: atomically to a file, or to a stream."""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError


def resolve_format(name: str, fmt: str | None, output: str | None, tty: bool,
                   formats, piped: str, suffixes: dict) -> str:
    """The one rule of every command: --format, else -o's suffix, else ``formats[0]``
    (a table) on a terminal and ``piped`` when not. PDF and DOCX need -o."""
    from pathlib import PurePath

    if fmt and fmt not in formats:
        raise UserError(f"{name} writes {', '.join(formats)}, not {fmt}")
    suffix = PurePath(output).suffix.lower().lstrip(".") if output else ""
    by_suffix = suffixes.get(suffix) if output else None
    if fmt and by_suffix and fmt != by_suffix and by_suffix not in ("table", "text"):
        raise UserError(f"--format {fmt} does not fit -o {PurePath(output).name} "
                        f"(a {by_suffix} file name); drop one of them")
    fmt = fmt or by_suffix
    if fmt in ("pdf", "docx") and not output:
        raise UserError(f"--format {fmt} needs -o FILE.{fmt}")
    if fmt:
        return fmt
    if output:
        raise UserError(f"-o {PurePath(output).name}: cannot tell the format from the "
                        f"suffix (known: {', '.join('.' + s for s in suffixes)}); "
                        "add --format")
    return formats[0] if tty else piped


def save(result, fmt: str, path: str | Path, binary=frozenset()) -> None:
    """``result`` in ``fmt`` written to ``path`` through a temp file and a rename
    (``binary``: the formats written as bytes, an operation's ``binary``)."""
    from ..fsutil import atomic_open, write_bytes_atomic

    if fmt in binary:
        write_bytes_atomic(path, result.to_bytes(fmt))
    else:
        with atomic_open(path) as fh:
            result.write(fmt, fh)


def to_stream(result, fmt: str, stream, binary=frozenset()) -> None:
    """``result`` on a text stream (stdout); a binary format only where it is not a
    terminal."""
    if fmt in binary:
        if stream.isatty():
            raise UserError(f"{fmt} is a binary format: give -o FILE")
        stream.flush()
        stream.buffer.write(result.to_bytes(fmt))
        stream.buffer.flush()
    else:
        result.write(fmt, stream)
