"""Atomic writes: an output file is either complete or absent, never half-written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def hash_file_into(h, path: str | os.PathLike):
    """Feed a file into the hashlib object ``h`` block by block; return ``h``."""
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h


def sha256_file(path: str | os.PathLike) -> str:
    return hash_file_into(hashlib.sha256(), path).hexdigest()


def user_cache_dir() -> Path:
    """$XDG_CACHE_HOME/celac-i18n (default ~/.cache/celac-i18n)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "celac-i18n"


_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$")


def check_name(value: str, what: str) -> str:
    """``value`` when it is safe as one part of a file name (an engine, a plan id):
    letters, digits, ``-`` and ``_``; never a separator, a dot or ``..``."""
    from .errors import UserError

    if not isinstance(value, str) or not _NAME.match(value):
        raise UserError(f"{what} {value!r}: use letters, digits, '-' and '_' only "
                        "(it becomes part of a file name)")
    return value


def is_inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """``path`` is ``root`` or lies under it, once links and ``..`` are resolved."""
    return Path(path).resolve().is_relative_to(Path(root).resolve())


# (the output guards, which need the corpus, live in corpus/guard.py)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"):
    """Open a temp file beside ``path``; rename it over ``path`` only on success.

    A device or pipe (``-o /dev/stdout``, ``/dev/null``) is written to as it is: a
    rename would replace the device node itself with a file."""
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with open(path, mode, **kwargs) as fh:
            yield fh
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        from .errors import UserError

        raise UserError(f"{path}: cannot write ({e.strerror})") from None
    try:
        # mkstemp makes the file 0600; an output is an ordinary file (0666 less umask).
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)
