"""Provenance verified, not assumed: a corpus text's bytes against the manifest's record.

Every read of a corpus entry goes through ``read_entry``: the reader hashes the bytes it
decodes anyway, so the check costs one comparison. A text whose bytes differ from the
record is ``modified``, a kind of its own: never called official or reference again,
and its outputs carry the hash of the bytes actually used. ``verify_corpus`` checks every
entry (hash, file present, kind and origin fields consistent, machine renderings and
reviewed texts not made from an older source: ``stale``); the hashes of files it does
not read are cached by size, mtime, ctime and inode (``HashCache``), never in corpora/.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UserError
from ..fsutil import is_inside, sha256_file

MODIFIED = "modified"       # the kind of a text whose bytes are not those recorded
HEX64 = re.compile(r"^[0-9a-f]{64}$")
# The origin fields each kind must carry (and an official text must not: it is no one's
# translation). "reviewed" is made by `review save`, which writes both of its fields.
NEEDS = {"machine": ("engine", "engine_version", "translated_from", "source_sha256"),
         "reference": ("translator",), "reviewed": ("based_on", "based_on_sha256")}
NOT_OFFICIAL = ("engine", "engine_version", "translated_from", "translator", "based_on")


class ProvenanceError(UserError):
    """A corpus text fails verification under --strict-provenance (or a batch job)."""


@dataclass
class Problem:
    ref: str
    what: str          # missing, modified, stale, malformed-hash, outside, duplicate, ...
    message: str
    file: str = ""

    def line(self) -> str:
        return f"{self.ref}: {self.what}: {self.message}"

    def record(self) -> dict:
        return {"ref": self.ref, "problem": self.what, "file": self.file,
                "message": self.message}


# -- the checks that need no bytes ------------------------------------------------------

def entry_path(entry, root: Path) -> Path:
    """The entry's file, which must lie inside the corpus (UserError otherwise)."""
    path = root / entry.file
    if Path(entry.file).is_absolute() or not is_inside(path, root):
        raise UserError(f"{entry.ref}: the manifest's file {entry.file!r} lies outside the "
                        f"corpus ({root}); a corpus text must be under corpora/")
    return path


def static_problems(entry, manifest) -> list[Problem]:
    """What is wrong with ``entry``'s record itself: its hash's format, a file outside
    corpora/, the same reference listed twice, origin fields its kind lacks or forbids."""
    out: list[Problem] = []
    ref = display_ref(entry)
    if entry.file:
        try:
            entry_path(entry, manifest.root)
        except UserError as e:
            out.append(Problem(ref, "outside", str(e).split(": ", 1)[1], entry.file))
        if not entry.sha256:
            out.append(Problem(ref, "no-hash", "the manifest records no sha256 for "
                               f"{entry.file}, so its bytes cannot be verified", entry.file))
        elif not HEX64.match(entry.sha256):
            out.append(Problem(ref, "malformed-hash", f"sha256 {entry.sha256!r} is not a "
                               "SHA-256 (64 lowercase hex digits)", entry.file))
    same = twins(entry, manifest)
    if len(same) > 1 and same[0] is entry:
        out.append(Problem(ref, "duplicate", f"listed {len(same)} times in the manifest; "
                           "each reference must name one text", entry.file or ""))
    if entry.kind == "official":
        bad = [k for k in NOT_OFFICIAL if entry.extra.get(k)]
        if bad or entry.extra.get("imported", {}).get("reader") == "translate":
            out.append(Problem(ref, "inconsistent", "kind official, but it records "
                               + (", ".join(bad) if bad else "a machine translation as its "
                                  "origin") + " (an official text is no one's rendering)",
                               entry.file or ""))
    for key in NEEDS.get(entry.kind, ()) if entry.file else ():
        if not entry.extra.get(key):
            out.append(Problem(ref, "inconsistent", f"kind {entry.kind}, but no '{key}' "
                               "recorded (its lineage is unknown)", entry.file))
    for key in ("source_sha256", "based_on_sha256"):
        v = entry.extra.get(key)
        if v and not (isinstance(v, str) and HEX64.match(v)):
            out.append(Problem(ref, "malformed-hash", f"{key} {v!r} is not a SHA-256",
                               entry.file or ""))
    if entry.file and Path(entry.file).name.split(".")[0] != entry.lang:
        out.append(Problem(ref, "inconsistent", f"lang {entry.lang}, but the file is "
                           f"{entry.file}", entry.file))
    return out


def twins(entry, manifest) -> list:
    """The manifest's entries with ``entry``'s reference (itself included)."""
    ref = display_ref(entry)
    return [e for e in manifest.entries if display_ref(e) == ref]


def display_ref(entry) -> str:
    """PLAN:LANG:KIND, machine renderings by their engine (2022-2024:en:apertium)."""
    engine = entry.extra.get("engine") if entry.kind == "machine" else None
    return f"{entry.plan}:{entry.lang}:{engine}" if engine else entry.ref


def source_of(entry, manifest):
    """The entry a machine rendering was translated from, or a reviewed text is based on
    (None when the reference names no corpus entry)."""
    from .manifest import CORPUS_REF, KINDS

    raw = entry.extra.get("translated_from") or entry.extra.get("based_on")
    if not isinstance(raw, str):
        return None
    r = CORPUS_REF.match(raw)
    if not r:     # a corpus path (2022-2024/es.official.txt), as reference renderings name it
        hits = [e for e in manifest.entries if e.file == raw]
        return hits[0] if hits else None
    kind = r["kind"]
    engine = None
    if kind and kind not in KINDS:
        kind, engine = "machine", kind
    hits = [e for e in manifest.find(r["plan"], r["lang"], kind)
            if engine is None or e.extra.get("engine") == engine]
    if not kind:
        hits = [e for e in hits if e.kind in ("official", "reference")]
    hits.sort(key=lambda e: KINDS.index(e.kind) if e.kind in KINDS else 9)
    return hits[0] if hits else None


def stale_problem(entry, manifest) -> Problem | None:
    """A machine rendering (or reviewed text) made from a source whose recorded hash has
    changed since: it renders an older text."""
    key = "source_sha256" if entry.kind == "machine" else "based_on_sha256"
    made_from = entry.extra.get(key)
    src = source_of(entry, manifest) if made_from else None
    if src is None or not src.sha256 or src.sha256 == made_from:
        return None
    return Problem(display_ref(entry), "stale",
                   f"made from {display_ref(src)} sha256 {made_from[:12]}, which is now "
                   f"{src.sha256[:12]}: re-make it from the current text", entry.file or "")


# -- reading an entry ---------------------------------------------------------------------

def read_entry(entry, manifest, *, strict: bool = False,
               say: Callable[[str], None] | None = None):
    """(text, Provenance) of a shipped corpus entry, its bytes checked against the record.

    A mismatch (or a record with no usable hash) is said through ``say`` naming the
    file, and the provenance becomes kind ``modified``; with ``strict`` it is a
    ``ProvenanceError`` (exit 2). Everything that reads a corpus entry comes here.
    """
    from ..ingest import read_path

    if say is None:     # a library caller that passes nowhere still hears of it
        def say(msg: str) -> None:
            sys.stderr.write(msg + "\n")
    path = entry_path(entry, manifest.root)
    n = len(twins(entry, manifest))
    if n > 1:
        raise UserError(f"{manifest.path}: {display_ref(entry)} is listed {n} times; each "
                        "reference must name one text (remove the extra [[document]])")
    if not path.is_file():
        raise UserError(f"{path}: missing; the manifest lists it for {display_ref(entry)} "
                        "(`celac-i18n corpus verify` lists every problem)")
    text, prov = read_path(path)
    prov.plan, prov.kind, prov.notes = entry.plan, entry.kind, entry.notes
    prov.extra = {"ref": entry.ref, "title": entry.title, "sources": entry.sources,
                  **entry.extra}
    why = mismatch(entry, prov.sha256)
    if why:
        if strict:
            raise ProvenanceError(f"{path}: {why}; refused (strict provenance)")
        say(f"warning: {path}: {why}; it is treated as '{MODIFIED}', not {entry.kind}")
        mark_modified(prov, entry)
    else:
        stale = stale_problem(entry, manifest)
        if stale:
            say(f"warning: {path}: {stale.message} (stale)")
    return text, prov


def mismatch(entry, actual: str) -> str:
    """Why ``actual`` does not verify ``entry`` ('' when it does)."""
    if not entry.sha256:
        return f"the manifest records no sha256 for {display_ref(entry)}"
    if not HEX64.match(entry.sha256):
        return f"the manifest's sha256 for {display_ref(entry)} is malformed ({entry.sha256!r})"
    if actual != entry.sha256:
        return (f"its sha256 {actual[:12]}… is not the {entry.sha256[:12]}… the manifest "
                f"records for {display_ref(entry)}")
    return ""


def mark_modified(prov, entry) -> None:
    """Relabel ``prov`` as a modified text: what was recorded is kept aside, never shown
    as its status; the hash stays that of the bytes read."""
    prov.kind = MODIFIED
    prov.extra["recorded"] = {"ref": entry.ref, "kind": entry.kind, "sha256": entry.sha256}
    prov.extra["ref"] = f"{entry.plan}:{entry.lang} (modified)"
    prov.notes = (f"MODIFIED: the bytes used have sha256 {prov.sha256}; the manifest "
                  f"records {entry.sha256 or 'no hash'} for {entry.ref}.")


# -- the cache of file hashes -------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS file_hash (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, sha256 TEXT NOT NULL
) WITHOUT ROWID;
"""


class HashCache:
    """sha256 of files keyed by path and (size, mtime, ctime, inode), in the SQLite file
    of the translation cache. ctime cannot be set back by a user (``touch -r`` sets
    mtime only), so an edit that keeps size and mtime is still seen. A cache that cannot
    be opened is no cache: every file is hashed."""

    def __init__(self, path: Path | None) -> None:
        self._db = None
        if path is None:
            return
        try:
            from ..cachedb import connect

            self._db = connect(Path(path), _SCHEMA)
        except (OSError, sqlite3.Error):
            self._db = None

    @staticmethod
    def _stamp(st: os.stat_result) -> tuple:
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino

    def sha256(self, path: Path) -> str:
        """The file's sha256 (OSError when it cannot be read)."""
        path = Path(path).resolve()
        st = path.stat()
        if self._db is not None:
            try:
                row = self._db.execute("SELECT size, mtime_ns, ctime_ns, ino, sha256 FROM "
                                       "file_hash WHERE path=?", (str(path),)).fetchone()
            except sqlite3.Error:
                row = None
            if row and tuple(row[:4]) == self._stamp(st):
                return row[4]
        digest = sha256_file(path)
        if self._db is not None and self._stamp(path.stat()) == self._stamp(st):
            try:
                self._db.execute("INSERT OR REPLACE INTO file_hash VALUES (?, ?, ?, ?, ?, ?)",
                                 (str(path), *self._stamp(st), digest))
            except sqlite3.Error:
                pass
        return digest

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


# -- the whole corpus ---------------------------------------------------------------------

def file_problem(entry, manifest, hashes: HashCache | None) -> Problem | None:
    """Missing, unreadable or modified: the entry's file against its record."""
    ref = display_ref(entry)
    try:
        path = entry_path(entry, manifest.root)
    except UserError:
        return None                      # reported by static_problems
    if not path.is_file():
        return Problem(ref, "missing", f"{path} is not there", entry.file)
    try:
        actual = (hashes or HashCache(None)).sha256(path)
    except OSError as e:
        return Problem(ref, "unreadable", f"{path}: {e.strerror or e}", entry.file)
    if entry.sha256 and HEX64.match(entry.sha256) and actual != entry.sha256:
        return Problem(ref, MODIFIED, mismatch(entry, actual) + f" ({path})", entry.file)
    return None


def verify_corpus(manifest, hashes: HashCache | None = None) -> list[Problem]:
    """Every problem of every entry of ``manifest``, in manifest order (none: it holds)."""
    out: list[Problem] = []
    for entry in manifest.entries:
        out += static_problems(entry, manifest)
        if entry.file:
            p = file_problem(entry, manifest, hashes)
            if p:
                out.append(p)
            stale = stale_problem(entry, manifest)
            if stale:
                out.append(stale)
    return out
