"""The embedding cache: one table in the translation cache's SQLite file.

Key: (encoder name, sha256 of the text); the encoder's name carries its version, so an
upgrade never serves old vectors. A cache is a convenience, never a reason to fail: a
file that cannot be opened or read means working without it (said once), and an entry
that does not decode to a finite vector of the right size is recomputed and replaced.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np

from ..cachedb import connect
from ..fsutil import sha256_text

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embedding (
    encoder TEXT NOT NULL, text_sha256 TEXT NOT NULL, dim INTEGER NOT NULL,
    vec BLOB NOT NULL, PRIMARY KEY (encoder, text_sha256)
) WITHOUT ROWID;
"""
_CHUNK = 500        # SQLite's limit on bound parameters


class EmbeddingCache:
    def __init__(self, path: str | os.PathLike, warn=None) -> None:
        self.path = Path(path)
        self.warn = warn
        self.hits = self.misses = self.damaged = 0
        self._db = None
        try:
            self._db = connect(self.path, _SCHEMA)
        except (OSError, sqlite3.DatabaseError) as e:
            self._give_up(e)

    def _give_up(self, e: Exception) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        if self.warn:
            why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            self.warn(f"warning: {self.path}: embedding cache unusable ({why}); "
                      "encoding without it")

    @property
    def usable(self) -> bool:
        return self._db is not None

    def get_many(self, encoder: str, texts: list[str], dim: int | None) -> dict[str, np.ndarray]:
        if self._db is None or not texts:
            return {}
        keys = {sha256_text(t): t for t in texts}
        out: dict[str, np.ndarray] = {}
        items = list(keys)
        try:
            for i in range(0, len(items), _CHUNK):
                chunk = items[i:i + _CHUNK]
                rows = self._db.execute(
                    "SELECT text_sha256, dim, vec FROM embedding WHERE encoder=? AND "
                    f"text_sha256 IN ({','.join('?' * len(chunk))})", (encoder, *chunk))
                for h, d, blob in rows:
                    v = _decode(d, blob, dim)
                    if v is None:
                        self.damaged += 1       # recomputed by the caller, then replaced
                    else:
                        out[keys[h]] = v
        except sqlite3.DatabaseError as e:
            self._give_up(e)
            return {}
        self.hits += len(out)
        self.misses += len(keys) - len(out)
        return out

    def put_many(self, encoder: str, pairs: list[tuple[str, np.ndarray]]) -> None:
        if self._db is None or not pairs:
            return
        rows = [(encoder, sha256_text(t), int(v.shape[0]), v.astype("<f4").tobytes())
                for t, v in pairs]
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO embedding (encoder, text_sha256, "
                                     "dim, vec) VALUES (?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError as e:
            self._give_up(e)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _decode(dim, blob, want: int | None) -> np.ndarray | None:
    """The stored vector, or None when the entry is damaged."""
    if not isinstance(dim, int) or not isinstance(blob, bytes) or dim <= 0:
        return None
    if len(blob) != 4 * dim or (want is not None and dim != want):
        return None
    v = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    n = float(np.linalg.norm(v)) if np.all(np.isfinite(v)) else -1.0
    # rows are unit length, or zero for an empty text (which is never stored)
    return v if abs(n - 1.0) < 1e-3 else None
