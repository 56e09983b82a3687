"""The review workspace: one SQLite file of beads, QA findings and decisions.

Beads and findings are what ``review init`` (or ``update``) computed; decisions are
what reviewers said, appended and never rewritten (an undo is itself a decision).
Every decision is one transaction (WAL, synchronous=FULL), so two tabs or two
threads writing at once both land and a stopped server loses nothing.

Each decision records its time, its reviewer and the hash of the texts it applies
to. When the texts change (``update`` after the source was corrected), a decision
whose hash no longer matches is *stale*: it is shown, never silently reapplied.
Re-pairings (merge, split, unpair, shift, insert_empty) are decisions too, applied
over the aligner's beads (``repair.py``); QA findings follow the texts shown
(``requa.py``). What a reading works out is kept between writes and advanced by the
decisions since, bead by bead (``snapshot.py``); the revision in the file decides
when, so a write by another process is seen on the next read.

The workspace's revision is its decisions' id sequence, which ``update`` also moves
on: a bead's ``rev`` is the latest of them that touched it, so a tab holding an older
one is told (``Conflict``) instead of deciding over a change it has not seen. A file
from an older schema is migrated on opening; one from a newer version is refused.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from ..errors import UserError
from .records import BeadData, Clauses, FindingData, bead_hash, text_hash
from .repair import REPAIRS, made
from .snapshot import Base, Snapshot
from .states import BEAD_ACTIONS, BeadState, edit_hash

__all__ = ["BeadData", "BeadState", "FindingData", "Snapshot", "Store", "Conflict",
           "edit_hash", "text_hash"]

# 2: beads.units (each unit's text, for splits); 3: a workspace id, the content
# revision, re-QA'd findings, the level (clause or sentence)
SCHEMA_VERSION = 3
ACTIONS = BEAD_ACTIONS + ("edit", "dismiss") + REPAIRS + ("undo",)
DECISION_COLS = ("id", "time", "reviewer", "bead", "lang", "action", "finding", "text", "reason",
                 "text_hash", "undoes", "origin", "payload")
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE beads(pos INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, kind TEXT NOT NULL,
                   confidence REAL NOT NULL, ids TEXT NOT NULL, texts TEXT NOT NULL,
                   units TEXT);
CREATE TABLE findings(fkey TEXT PRIMARY KEY, pos INTEGER NOT NULL, bead TEXT NOT NULL,
                      unit TEXT NOT NULL, src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL,
                      check_id TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
                      src TEXT, tgt TEXT, src_spans TEXT, tgt_spans TEXT,
                      text_hash TEXT NOT NULL);
CREATE TABLE decisions(id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL,
                       reviewer TEXT NOT NULL, bead TEXT NOT NULL, lang TEXT,
                       action TEXT NOT NULL, finding TEXT, text TEXT, reason TEXT,
                       text_hash TEXT NOT NULL, undoes INTEGER, origin TEXT, payload TEXT);
CREATE INDEX decisions_bead ON decisions(bead);
CREATE TABLE scores(bead TEXT NOT NULL, lang TEXT NOT NULL, unit TEXT NOT NULL,
                    metric TEXT NOT NULL, value REAL NOT NULL);
"""
# Semantic similarity of a bead's pivot and target texts, keyed by what it was computed
# from (similarity.pair_key), so it never goes stale. Added without a schema change: a
# workspace made before it has no table (no similarity) until one is written.
SIMILARITY = ("CREATE TABLE IF NOT EXISTS similarity(key TEXT PRIMARY KEY, value REAL) "
              "WITHOUT ROWID")
# A pivot text's nearest clauses in other versions (similarity.neighbour_key → JSON list).
NEIGHBOURS = ("CREATE TABLE IF NOT EXISTS neighbours(key TEXT PRIMARY KEY, value TEXT NOT NULL) "
              "WITHOUT ROWID")
# The findings of a bead pair re-QA'd after an edit or a re-pairing (requa.qa_key → JSON)
REQUA = "CREATE TABLE IF NOT EXISTS requa(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"


class Conflict(UserError):
    """A decision made on a bead another tab or reviewer changed since it was shown
    (HTTP 409): nothing is recorded."""


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def default_reviewer() -> str:
    """git's user.name, else the OS user."""
    import subprocess

    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                              timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Store:
    """A workspace file. Every method opens its own connection, so one Store may be
    shared by the server's threads. What was read is kept in memory while the
    workspace's revision (``revision()``) does not change."""

    def __init__(self, path: str | os.PathLike, termbase=None):
        """``termbase``: the one re-QA checks terms with (default: the shipped one)."""
        self.path = Path(path)
        self.termbase = termbase
        if not self.path.is_file():
            raise UserError(f"{path}: no review workspace here (make one with "
                            "`celac-i18n review init`)")
        try:
            with self._conn() as c:
                meta = dict(c.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as e:
            raise UserError(f"{path}: not a review workspace ({e})") from None
        try:
            schema = int(meta.get("schema", 0))
        except ValueError:
            schema = 0
        if not schema or "langs" not in meta:
            raise UserError(f"{path}: not a review workspace (no schema recorded)")
        if schema > SCHEMA_VERSION:
            raise UserError(f"{path}: made by a newer celac-i18n (workspace schema {schema}; "
                            f"this version reads 1 to {SCHEMA_VERSION}): upgrade celac-i18n")
        if schema < SCHEMA_VERSION:
            meta = self._migrate(schema)
        self._cache_lock = threading.Lock()
        self._base: Base | None = None
        self._snap: Snapshot | None = None
        self._requa_known: dict[str, str] = {}     # qa key → findings JSON, as read or made
        self._load_meta(meta)

    def _load_meta(self, meta: dict) -> None:
        self.meta = {k: json.loads(v) for k, v in meta.items()}
        self.langs: list[str] = self.meta["langs"]
        self.pivot = self.langs[0]
        # "clause" or "sentence" (review init --level); workspaces before it are clause-level
        self.level: str = self.meta.get("level", "clause")
        self.clauses = Clauses(self.meta.get("clauses"))     # sentence level: its clause beads

    def _migrate(self, schema: int) -> dict:
        """Older workspaces, brought up to this schema in one transaction (decisions
        kept as they are). 1 → 2: a units column, empty until ``review update`` fills it
        (the joined texts cannot be cut back into units soundly). 2 → 3: a workspace id
        (for imports), the content revision, the re-QA table, the level."""
        import uuid

        with self._write() as c:
            if schema < 2:
                cols = [r[1] for r in c.execute("PRAGMA table_info(beads)")]
                if "units" not in cols:
                    c.execute("ALTER TABLE beads ADD COLUMN units TEXT")
            c.execute(REQUA)
            for k, v in (("workspace_id", uuid.uuid4().hex), ("level", "clause"),
                         ("content_rev", _seq(c)), ("migrated_from", schema)):
                c.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (k, json.dumps(v)))
            c.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
            return dict(c.execute("SELECT key, value FROM meta"))

    # -- connections -------------------------------------------------------------------
    @contextmanager
    def _conn(self):
        try:
            c = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as e:
            raise UserError(f"{self.path}: cannot open the workspace ({e})") from None
        try:
            c.execute("PRAGMA busy_timeout=30000")
            c.execute("PRAGMA synchronous=FULL")
            yield c
        except sqlite3.OperationalError as e:
            # a read-only file or folder, a full disk, a lock held too long
            raise UserError(f"{self.path}: {e}") from None
        finally:
            c.close()

    @contextmanager
    def _write(self):
        """One write transaction, taken before reading what it depends on."""
        with self._conn() as c:
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
            except BaseException:
                c.execute("ROLLBACK")
                raise
            c.execute("COMMIT")

    # -- creation ----------------------------------------------------------------------
    @staticmethod
    def check_new(path) -> Path:
        path = Path(path)
        if not path.parent.is_dir():
            raise UserError(f"{path.parent}: no such folder for the workspace")
        if path.exists():
            raise UserError(f"{path}: already exists (a workspace is never overwritten; "
                            "use `review update` to refresh one)")
        return path

    @classmethod
    def create(cls, path: str | os.PathLike, meta: dict, beads: list[BeadData],
               findings: list[FindingData], scores: list[tuple] = (),
               similarity: dict[str, float | None] | None = None,
               neighbours: dict[str, list] | None = None, termbase=None) -> "Store":
        """Write a new workspace at ``path``: built in a temp file beside it and renamed
        into place, so a failure leaves nothing half-made."""
        import uuid

        path = cls.check_new(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            c = sqlite3.connect(tmp, isolation_level=None)
            try:
                c.execute("PRAGMA journal_mode=WAL")
                c.executescript(SCHEMA)
                c.execute(SIMILARITY)
                c.execute(NEIGHBOURS)
                c.execute(REQUA)
                c.execute("BEGIN")
                meta = {"level": "clause", **meta, "schema": SCHEMA_VERSION,
                        "created": meta.get("created") or now(),
                        "workspace_id": uuid.uuid4().hex, "content_rev": 0}
                c.executemany("INSERT INTO meta VALUES (?, ?)",
                              [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()])
                _insert_content(c, beads, findings, scores)
                _insert_similarity(c, similarity or {})
                _insert_neighbours(c, neighbours or {})
                c.execute("COMMIT")
                # fold the WAL into the file before the rename: the -wal file would not follow
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                c.close()
            for suffix in ("-wal", "-shm"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            os.replace(tmp, path)
        except sqlite3.Error as e:
            for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                p.unlink(missing_ok=True)
            raise UserError(f"{path}: cannot write the workspace ({e})") from None
        except BaseException:
            for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                p.unlink(missing_ok=True)
            raise
        return cls(path, termbase)

    def replace_content(self, beads: list[BeadData], findings: list[FindingData],
                        meta: dict | None = None, scores: list[tuple] = (),
                        similarity: dict[str, float | None] | None = None,
                        neighbours: dict[str, list] | None = None) -> None:
        """New beads and findings (the documents changed); decisions are kept and those
        whose texts changed become stale. Similarities are added to those kept (they
        are keyed by their texts, so an old one is never misapplied). The revision
        moves on: every bead's ``rev`` changes."""
        with self._write() as c:
            c.execute("DELETE FROM beads")
            c.execute("DELETE FROM findings")
            c.execute("DELETE FROM scores")
            _insert_content(c, beads, findings, scores)
            _insert_similarity(c, similarity or {})
            _insert_neighbours(c, neighbours or {})
            rev = _bump(c)
            for k, v in {**(meta or {}), "content_rev": rev}.items():
                c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          (k, json.dumps(v, ensure_ascii=False)))
            self._load_meta(dict(c.execute("SELECT key, value FROM meta")))

    # -- reading -----------------------------------------------------------------------
    def revision(self) -> int:
        """Changes with every decision and every update, by any process."""
        with self._conn() as c:
            return _seq(c)

    def _read_base(self, c, stamp: tuple) -> Base:
        if self._base is not None and self._base.stamp == stamp:
            return self._base
        self._load_meta(dict(c.execute("SELECT key, value FROM meta")))
        beads = [BeadData(k, kind, conf, json.loads(ids), json.loads(texts),
                          json.loads(units) if units else None)
                 for k, kind, conf, ids, texts, units in c.execute(
                     "SELECT key, kind, confidence, ids, texts, units FROM beads ORDER BY pos")]
        findings = [FindingData(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] or "",
                                r[9] or "", json.loads(r[10] or "[]"), json.loads(r[11] or "[]"),
                                r[12]) for r in c.execute(
            "SELECT fkey, bead, unit, src_lang, tgt_lang, check_id, severity, message, src, tgt, "
            "src_spans, tgt_spans, text_hash FROM findings ORDER BY pos")]
        scores = c.execute("SELECT bead, lang, unit, metric, value FROM scores "
                           "ORDER BY rowid").fetchall()
        if self._base is None or self._base.stamp[0] != stamp[0]:
            self._requa_known = {}          # another workspace in this file's place
        self._base = Base(stamp, beads, findings, scores)
        self._snap = None           # decisions read again with the new content
        return self._base

    def _requa(self, base: Base):
        if base.requa is None:
            from .requa import Requa

            base.requa = Requa(base.beads, base.findings, self.langs,
                               ident=(str(self.path), self.meta.get("built")),
                               build=str(self.meta.get("built")),
                               checks=str(self.meta.get("checks") or "all"),
                               termbase=self.termbase)
        return base.requa

    @staticmethod
    def _read_decisions(c, after: int = 0) -> list[dict]:
        """The decisions with ids above ``after``, in order."""
        return [dict(zip(DECISION_COLS, r)) for r in c.execute(
            f"SELECT {', '.join(DECISION_COLS)} FROM decisions WHERE id > ? ORDER BY id",
            (after,))]

    def _snapshot(self, c) -> "Snapshot":
        """The snapshot at the file's revision: kept while it does not move; advanced by
        the decisions since (``snapshot.py``) while the content is the same; else read
        whole. The file is asked every time, so another process's writes are seen."""
        seq, content_rev, wsid = c.execute(
            "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'decisions'), "
            "(SELECT value FROM meta WHERE key = 'content_rev'), "
            "(SELECT value FROM meta WHERE key = 'workspace_id')").fetchone()
        stamp = (wsid, int(seq or 0))
        with self._cache_lock:
            old = self._snap
            if old is not None and old.stamp == stamp:
                return old
            base = self._read_base(c, (wsid, json.loads(content_rev or "0")))
            old = self._snap            # None where the content changed
            requa, cache = self._requa(base), _RequaCache(self._requa_known, c)
            snap = None
            if old is not None:
                new = self._read_decisions(c, old.decisions[-1]["id"] if old.decisions else 0)
                snap = old.advanced(base, new, stamp, requa, cache,
                                    lambda s, beads: self._lookup(c, s, beads))
            if snap is None:
                snap = Snapshot.full(base, self._read_decisions(c), self.langs, stamp, requa,
                                     cache, _similarity(c), _neighbours(c))
            self._snap = snap
            return snap

    def prepare_requa(self) -> None:
        """Prepare re-QA's checks now (``review serve`` does, while the browser starts)."""
        self.snapshot()
        base = self._base
        if base is not None:
            self._requa(base).prepare()

    def _lookup(self, c, snap: Snapshot, beads: list[BeadData]) -> None:
        """The similarities and nearest clauses of ``beads`` (as ``snap`` shows them)
        that another process may have stored since the snapshot was read whole."""
        enc = self.meta.get("encoder")
        if not enc or not beads:
            return
        from .similarity import bead_pairs, neighbour_key

        states = snap.states()
        sims = [p.key for b in beads for p in bead_pairs(
            enc, self.pivot, self.langs[1:],
            {lang: states[b.key].target(b, lang) for lang in self.langs}).values()
            if p.key not in snap.similarity]
        near = [k for k in (neighbour_key(enc, self.pivot, b.texts.get(self.pivot, ""))
                            for b in beads) if k not in snap.neighbours]
        for table, keys, into, read in (("similarity", sims, snap.similarity, None),
                                        ("neighbours", near, snap.neighbours, json.loads)):
            if keys and _has_table(c, table):
                for k in range(0, len(keys), 500):
                    part = keys[k:k + 500]
                    for key, v in c.execute(f"SELECT key, value FROM {table} WHERE key IN "
                                            f"({', '.join('?' * len(part))})", part):
                        into[key] = read(v) if read else v

    def snapshot(self) -> "Snapshot":
        with self._conn() as c:
            c.execute("BEGIN")          # one read transaction: one consistent moment
            try:
                snap = self._snapshot(c)
            finally:
                c.execute("COMMIT")
        if snap.new_requa:
            try:
                with self._write() as c:
                    _flushed(c, snap)
            except UserError:
                snap.new_requa = {}     # a read-only workspace: the findings are computed again
        return snap

    def beads(self) -> list[BeadData]:
        return self.snapshot().beads

    def bead(self, key: str) -> BeadData | None:
        return self.snapshot().bead(key)

    def findings(self) -> list[FindingData]:
        return self.snapshot().findings

    def scores(self) -> dict[str, dict[str, list[dict]]]:
        """bead → lang → [{"unit", metric: value, ...}] (a machine rendering against the
        reference ``review init --reference`` named)."""
        return self.snapshot().score_map()

    def decisions(self, bead: str | None = None) -> list[dict]:
        ds = self.snapshot().decisions
        return list(ds) if bead is None else [d for d in ds if d["bead"] == bead]

    def put_similarity(self, values: dict[str, float | None]) -> None:
        """Add similarities (similarity.pair_key → value; None: a language the encoder
        does not cover)."""
        if values:
            with self._write() as c:
                _insert_similarity(c, values)
            if self._snap is not None:           # caches, not decisions: no new revision
                self._snap.similarity.update(values)

    def put_neighbours(self, values: dict[str, list]) -> None:
        """Add nearest-clause lists (similarity.neighbour_key → list)."""
        if values:
            with self._write() as c:
                _insert_neighbours(c, values)
            if self._snap is not None:
                self._snap.neighbours.update(values)

    # -- writing -----------------------------------------------------------------------
    def decide(self, bead: str, action: str, reviewer: str, *, lang: str | None = None,
               finding: str | None = None, text: str | None = None, reason: str | None = None,
               origin: str = "page", at: int | dict | None = None,
               keep: str | None = None, offset: int | None = None,
               direction: str | None = None, rev: int | None = None) -> dict:
        """Record one decision in one transaction and return it (with its id).

        A split cuts the bead after unit ``at`` of ``lang`` (or at character ``offset``
        of ``lang``'s text, inside a unit); the other languages' units go with the
        first part (``keep="first"``), the second, or (``"auto"``, the default with an
        offset) to the unit boundary nearest the cut's place. ``at`` may also be
        {lang: units in the first part} for every language. ``unpair``: ``lang``'s side
        into a bead of its own; ``shift``: ``lang``'s first unit to the previous bead
        (``direction="up"``) or its last to the next (``"down"``); ``insert_empty``: a
        gap in ``lang``'s column before the bead (repair.py).

        ``rev``: the bead's revision the reviewer saw; when the bead changed since (or
        is gone), ``Conflict`` names who changed it and nothing is recorded."""
        if action not in ACTIONS:
            raise UserError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
        if not reviewer or not reviewer.strip():
            raise UserError("a decision needs a reviewer")
        with self._write() as c:
            snap = _flushed(c, self._snapshot(c))
            pos = snap.index()
            if bead not in pos:
                if rev is not None:
                    raise Conflict(_gone(snap, bead))
                raise UserError(f"no bead {bead!r} in this workspace")
            b = snap.beads[pos[bead]]
            states = snap.states()
            if rev is not None and rev != states[bead].rev:
                raise Conflict(_changed(bead, states[bead], rev))
            undoes = payload = None
            if action in BEAD_ACTIONS:
                if action == "comment" and not (text or "").strip():
                    raise UserError("a comment needs text")
                h = bead_hash(b, self.langs)
            elif action == "edit":
                if lang not in self.langs[1:]:
                    raise UserError(f"edit: lang must be one of {', '.join(self.langs[1:])}")
                if not (text or "").strip():
                    # an emptied target is a rejection, not a translation
                    raise UserError("edit: the new target text is empty (reject the bead instead)")
                h = edit_hash(b, self.pivot, lang)
            elif action == "dismiss":
                f = next((f for f in snap.findings if f.fkey == finding and f.bead == bead), None)
                if f is None:
                    raise UserError(f"no finding {finding!r} on bead {bead!r}")
                if not (reason or "").strip():
                    raise UserError("dismissing a finding needs a reason")
                h, lang = f.text_hash, f.tgt_lang
            elif action in REPAIRS:
                from .pairing import repair_request

                bead, h, payload = repair_request(
                    snap.beads, pos[bead], action, self.langs, lang=lang, at=at, keep=keep,
                    offset=offset, direction=direction, edited=set(states[b.key].edits),
                    clauses=self.clauses)
            else:  # undo: the latest live decision on this bead (a re-pairing on a bead it made)
                live = _live([(d["id"], d["action"], d["undoes"]) for d in snap.decisions
                              if (d["bead"] == bead and not (d["action"] in REPAIRS
                                                             and d["id"] in snap.applied
                                                             and bead not in made(d)))
                              or (d["id"] in snap.applied and bead in made(d))
                              or d["action"] == "undo"])
                if not live:
                    raise UserError(f"nothing to undo on bead {bead!r}")
                undoes = live[-1]
                h = bead_hash(b, self.langs)
            return self._insert(c, (now(), reviewer.strip(), bead, lang, action, finding, text,
                                    reason, h, undoes, origin, payload))

    def decide_many(self, items: list[dict], reviewer: str, origin: str = "api") -> dict:
        """Many bead verdicts and edits in one transaction (bulk accept, an import):
        ``items`` [{"bead", "action": accept|reject|edit, "lang", "text"}]. A verdict
        a bead already has, or an edit to the text it already shows, is skipped.
        Returns {"recorded": n, "skipped": n, "unknown": [keys]}."""
        if not reviewer or not reviewer.strip():
            raise UserError("a decision needs a reviewer")
        out = {"recorded": 0, "skipped": 0, "unknown": []}
        with self._write() as c:
            snap = _flushed(c, self._snapshot(c))
            pos, states = snap.index(), snap.states()
            rows = []
            t = now()
            for it in items:
                key, action = it.get("bead"), it.get("action")
                if action not in ("accept", "reject", "edit"):
                    raise UserError(f"{action!r}: only accept, reject and edit in bulk")
                if key not in pos:
                    out["unknown"].append(key)
                    continue
                b, st = snap.beads[pos[key]], states[key]
                lang, text = it.get("lang"), it.get("text")
                if action == "edit":
                    if lang not in self.langs[1:]:
                        raise UserError(f"edit: lang must be one of {', '.join(self.langs[1:])}")
                    if not (text or "").strip():
                        raise UserError(f"edit {key}: the new target text is empty")
                    if text == st.target(b, lang):
                        out["skipped"] += 1
                        continue
                    h = edit_hash(b, self.pivot, lang)
                else:
                    if st.verdict == action:
                        out["skipped"] += 1
                        continue
                    h = bead_hash(b, self.langs)
                rows.append((t, reviewer.strip(), key, lang, action, None, text, None, h,
                             None, it.get("origin") or origin, None))
            c.executemany(
                "INSERT INTO decisions(time, reviewer, bead, lang, action, finding, text, reason, "
                "text_hash, undoes, origin, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            out["recorded"] = len(rows)
        return out

    @staticmethod
    def _insert(c, row: tuple) -> dict:
        cur = c.execute(
            "INSERT INTO decisions(time, reviewer, bead, lang, action, finding, text, reason, "
            "text_hash, undoes, origin, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)
        return {"id": cur.lastrowid, **dict(zip(DECISION_COLS[1:], row))}

    # -- the state that decisions add up to -----------------------------------------------
    def states(self) -> dict[str, "BeadState"]:
        """Every bead's state: its live decisions, split into current and stale."""
        return self.snapshot().states()

    def counts(self) -> dict:
        return self.snapshot().counts()


def _changed(bead: str, st: BeadState, rev: int) -> str:
    last = st.last_change()
    who = (f" by {last['reviewer']} at {last['time']} ({last['action']})" if last
           and last["id"] == st.rev else " by `review update` (the documents changed)")
    return (f"bead {bead} was changed{who} since you loaded it (rev {rev}, now {st.rev}); "
            "nothing was recorded: reload the bead and decide again")


def _gone(snap: Snapshot, bead: str) -> str:
    """Why a bead a reviewer saw is not there any more."""
    for d in reversed(snap.decisions):
        if d["action"] in REPAIRS and bead in (d["payload"] or "") and d["id"] in snap.applied:
            into = ", ".join(k for k in made(d) if k in snap.index()) or "other beads"
            return (f"bead {bead} is gone: {d['reviewer']} made {into} of it ({d['action']}, "
                    f"{d['time']}); nothing was recorded: reload and decide again")
    return (f"bead {bead} is gone (re-paired or undone since you loaded it); nothing was "
            "recorded: reload and decide again")


def _flushed(c, snap: Snapshot) -> Snapshot:
    """Store the re-QA results a snapshot computed, in the transaction ``c``."""
    if snap.new_requa:
        new, snap.new_requa = snap.new_requa, {}
        c.execute(REQUA)
        c.executemany("INSERT OR REPLACE INTO requa VALUES (?, ?)", list(new.items()))
    return snap


def _live(rows) -> list[int]:
    """Ids of decisions not undone (and not undos themselves), in order."""
    undone = {u for _, a, u in rows if a == "undo"}
    return [i for i, a, _ in rows if a != "undo" and i not in undone]


def _seq(c) -> int:
    """The decisions' id sequence: the workspace revision (``replace_content`` moves it
    on too)."""
    r = c.execute("SELECT seq FROM sqlite_sequence WHERE name = 'decisions'").fetchone()
    return int(r[0]) if r else 0


def _bump(c) -> int:
    rev = _seq(c) + 1
    if c.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'decisions'",
                 (rev,)).rowcount == 0:
        c.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('decisions', ?)", (rev,))
    return rev


def _insert_content(c, beads: list[BeadData], findings: list[FindingData],
                    scores=()) -> None:
    c.executemany("INSERT INTO beads VALUES (?,?,?,?,?,?,?)",
                  [(i, b.key, b.kind, b.confidence, json.dumps(b.ids, ensure_ascii=False),
                    json.dumps(b.texts, ensure_ascii=False),
                    None if b.units is None else json.dumps(b.units, ensure_ascii=False))
                   for i, b in enumerate(beads)])
    c.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  [(f.fkey, i, f.bead, f.unit, f.src_lang, f.tgt_lang, f.check, f.severity,
                    f.message, f.src, f.tgt, json.dumps(f.src_spans), json.dumps(f.tgt_spans),
                    f.text_hash) for i, f in enumerate(findings)])
    c.executemany("INSERT INTO scores VALUES (?,?,?,?,?)", list(scores))


def _insert_similarity(c, values: dict[str, float | None]) -> None:
    if values:
        c.execute(SIMILARITY)
        c.executemany("INSERT OR REPLACE INTO similarity VALUES (?, ?)", list(values.items()))


def _insert_neighbours(c, values: dict[str, list]) -> None:
    if values:
        c.execute(NEIGHBOURS)
        c.executemany("INSERT OR REPLACE INTO neighbours VALUES (?, ?)",
                      [(k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()])


def _has_table(c, name: str) -> bool:
    return c.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                     (name,)).fetchone() is not None


def _similarity(c) -> dict[str, float | None]:
    """The workspace's similarities ({} in one made before they existed)."""
    if not _has_table(c, "similarity"):
        return {}
    return dict(c.execute("SELECT key, value FROM similarity"))


def _neighbours(c) -> dict[str, list]:
    if not _has_table(c, "neighbours"):
        return {}
    return {k: json.loads(v) for k, v in c.execute("SELECT key, value FROM neighbours")}


class _RequaCache:
    """qa key → findings JSON: what this process knows, else the workspace's requa
    table (one key at a time: only the pairs that changed are asked for)."""

    def __init__(self, known: dict[str, str], c):
        self.known, self.c = known, c
        self.table = _has_table(c, "requa")

    def get(self, key: str) -> str | None:
        v = self.known.get(key)
        if v is None and self.table:
            r = self.c.execute("SELECT value FROM requa WHERE key = ?", (key,)).fetchone()
            if r is not None:
                v = self.known[key] = r[0]
        return v

    def __setitem__(self, key: str, value: str) -> None:
        self.known[key] = value
