"""A persistent translation cache in SQLite, shared by every job and process.

Key: (engine, model, version, src, tgt, sha256(text)); the engine version and model
revision are part of the key, so an upgraded engine never serves stale output. The file
is opened by ``cachedb.connect`` (WAL, busy timeout); the embedding cache
(``semantic.cache``) keeps its table in the same file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from ..cachedb import connect
from ..errors import UserError
from ..fsutil import sha256_text as text_key, user_cache_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translation (
    engine TEXT NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,
    src TEXT NOT NULL, tgt TEXT NOT NULL, text_sha256 TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (engine, model, version, src, tgt, text_sha256)
) WITHOUT ROWID;
"""


def default_cache_path() -> Path:
    """Where the translation cache lives unless the caller names another file."""
    return user_cache_dir() / "translations.sqlite"


class TranslationCache:
    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.hits = self.misses = 0
        self._db = None
        try:
            self._db = connect(self.path, _SCHEMA)
        except (OSError, sqlite3.DatabaseError) as e:
            raise self._unusable(e) from None

    def _unusable(self, e: Exception) -> UserError:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return UserError(f"{self.path}: cannot use it as the translation cache ({why}); "
                         "set CELAC_I18N_CACHE to another file, or CELAC_I18N_CACHE=off "
                         "(or --no-cache) to translate without it")

    @contextlib.contextmanager
    def _guard(self):
        """A file with a valid header can still have corrupt pages, found only when a
        query reads them: the same one-line error as a cache that cannot be opened."""
        try:
            yield
        except sqlite3.ProgrammingError:
            raise                       # our misuse (a closed cache), not the file
        except sqlite3.DatabaseError as e:
            raise self._unusable(e) from None

    def get_many(self, key: tuple[str, str, str, str, str], texts: list[str]) -> dict[str, str]:
        """Cached translations of ``texts`` under ``key`` = (engine, model, version, src, tgt)."""
        with self._guard():
            return self._get_many(key, texts)

    def _get_many(self, key, texts: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        hashes = {text_key(t): t for t in texts}
        items = list(hashes)
        for i in range(0, len(items), 500):     # SQLite's limit on bound parameters
            chunk = items[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT text_sha256, source, target FROM translation WHERE engine=? AND "
                "model=? AND version=? AND src=? AND tgt=? AND text_sha256 IN "
                f"({marks})", (*key, *chunk)).fetchall()
            for h, source, target in rows:
                if source == hashes[h]:          # a hash collision would be caught here
                    out[source] = target
        self.hits += len(out)
        self.misses += len(hashes) - len(out)
        return out

    def put_many(self, key: tuple[str, str, str, str, str], pairs: list[tuple[str, str]]) -> None:
        if not pairs:
            return
        rows = [(*key, text_key(s), s, t) for s, t in pairs]
        with self._guard(), self._db:            # one short transaction
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR IGNORE INTO translation (engine, model, version, src, tgt, "
                "text_sha256, source, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def count(self) -> int:
        with self._guard():
            return self._db.execute("SELECT count(*) FROM translation").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
