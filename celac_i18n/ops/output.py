"""Writing a result: atomically to a file, or to a stream."""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError


def save(op, result, fmt: str, path: str | Path) -> None:
    """``result`` in ``fmt`` written to ``path`` through a temp file and a rename."""
    from ..fsutil import atomic_open, write_bytes_atomic

    if fmt in op.binary:
        write_bytes_atomic(path, result.to_bytes(fmt))
    else:
        with atomic_open(path) as fh:
            result.write(fmt, fh)


def to_stream(op, result, fmt: str, stream) -> None:
    """``result`` on a text stream (stdout); a binary format only where it is not a
    terminal."""
    if fmt in op.binary:
        if stream.isatty():
            raise UserError(f"{fmt} is a binary format: give -o FILE")
        stream.flush()
        stream.buffer.write(result.to_bytes(fmt))
        stream.buffer.flush()
    else:
        result.write(fmt, stream)
