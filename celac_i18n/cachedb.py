"""One SQLite file shared by the caches (translations, embeddings): opened the same way
by each, safe under several processes at once.

WAL mode and a busy timeout let several processes read and write at once; each write is
one short transaction, and ``INSERT OR IGNORE`` / ``OR REPLACE`` makes two writers of the
same row agree.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """An open connection to ``path`` (created with its folder), ``schema`` applied.

    Raises OSError or sqlite3.DatabaseError when the file cannot be used; the caller
    says what that means for it (the translation cache refuses, the embedding cache
    goes on without)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 60000")
        # WAL: readers never block the writer. Switching the journal mode while another
        # process opens the same new file can fail with "database is locked" without
        # waiting for the busy timeout (seen in the two-writer test), so retry it.
        for attempt in range(200):
            try:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
                db.executescript(schema)
                return db
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e):
                    raise
                time.sleep(min(0.01 * (attempt + 1), 0.25))
        raise sqlite3.OperationalError(f"{path}: cache database stays locked")
    except BaseException:
        db.close()
        raise
