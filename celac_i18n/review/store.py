"""The review workspace: one SQLite file of beads, QA findings and decisions.

Beads and findings are what ``review init`` (or ``update``) computed; decisions are
what reviewers said, appended and never rewritten (an undo is itself a decision).
Every decision is one transaction (WAL, synchronous=FULL), so two tabs or two
threads writing at once both land and a stopped server loses nothing.

Each decision records its time, its reviewer and the hash of the texts it applies
to. When the texts change (``update`` after the source was corrected), a decision
whose hash no longer matches is *stale*: it is shown, never silently reapplied.
Merges and splits (re-pairing) are decisions too, applied over the aligner's beads on
every read (``repair.py``).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from .records import BeadData, FindingData, bead_hash, text_hash
from .repair import (apply_merges, beads_hash, locate, merged, move_findings, payload,
                     split_parts)

SCHEMA_VERSION = 2          # 2: beads.units (each unit's text, for splits)
BEAD_ACTIONS = ("accept", "reject", "comment")      # on the whole bead
ACTIONS = BEAD_ACTIONS + ("edit", "dismiss", "merge", "split", "undo")
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


def edit_hash(b: BeadData, pivot: str, lang: str) -> str:
    return text_hash(b.texts.get(pivot, ""), b.texts.get(lang, ""))


class Store:
    """A workspace file. Every method opens its own connection, so one Store may be
    shared by the server's threads."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not self.path.is_file():
            raise UserError(f"{path}: no review workspace here (make one with "
                            "`celac-i18n review init`)")
        try:
            with self._conn() as c:
                meta = dict(c.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as e:
            raise UserError(f"{path}: not a review workspace ({e})") from None
        if int(meta.get("schema", 0)) == 1:
            meta = self._migrate_1()
        if int(meta.get("schema", 0)) != SCHEMA_VERSION:
            raise UserError(f"{path}: workspace schema {meta.get('schema')!r}, "
                            f"this version reads {SCHEMA_VERSION}")
        self.meta = {k: json.loads(v) for k, v in meta.items()}
        self.langs: list[str] = self.meta["langs"]
        self.pivot = self.langs[0]

    def _migrate_1(self) -> dict:
        """Schema 1 → 2: a units column, empty until ``review update`` fills it (the
        joined texts cannot be cut back into units soundly)."""
        with self._write() as c:
            cols = [r[1] for r in c.execute("PRAGMA table_info(beads)")]
            if "units" not in cols:
                c.execute("ALTER TABLE beads ADD COLUMN units TEXT")
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
               neighbours: dict[str, list] | None = None) -> "Store":
        """Write a new workspace at ``path``: built in a temp file beside it and renamed
        into place, so a failure leaves nothing half-made."""
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
                c.execute("BEGIN")
                meta = {**meta, "schema": SCHEMA_VERSION, "created": meta.get("created") or now()}
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
        return cls(path)

    def replace_content(self, beads: list[BeadData], findings: list[FindingData],
                        meta: dict | None = None, scores: list[tuple] = (),
                        similarity: dict[str, float | None] | None = None,
                        neighbours: dict[str, list] | None = None) -> None:
        """New beads and findings (the documents changed); decisions are kept and those
        whose texts changed become stale. Similarities are added to those kept (they
        are keyed by their texts, so an old one is never misapplied)."""
        with self._write() as c:
            c.execute("DELETE FROM beads")
            c.execute("DELETE FROM findings")
            c.execute("DELETE FROM scores")
            _insert_content(c, beads, findings, scores)
            _insert_similarity(c, similarity or {})
            _insert_neighbours(c, neighbours or {})
            for k, v in (meta or {}).items():
                c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          (k, json.dumps(v, ensure_ascii=False)))
        self.meta.update(meta or {})

    # -- reading -----------------------------------------------------------------------
    # Beads, findings and scores are the aligner's; merges and splits are applied over
    # them (repair.py), so every reader sees the beads the reviewers see.
    def _snapshot(self, c) -> "Snapshot":
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
        decisions = [dict(zip(DECISION_COLS, r)) for r in c.execute(
            f"SELECT {', '.join(DECISION_COLS)} FROM decisions ORDER BY id")]
        eff, where, applied, stale = apply_merges(beads, decisions, self.langs)
        return Snapshot(eff, move_findings(findings, where),
                        [(locate(where, b, lang, unit)[0], lang, unit, *rest)
                         for b, lang, unit, *rest in scores],
                        decisions, applied, stale, self.langs, _similarity(c),
                        _neighbours(c))

    def snapshot(self) -> "Snapshot":
        with self._conn() as c:
            c.execute("BEGIN")          # one read transaction: one consistent moment
            try:
                return self._snapshot(c)
            finally:
                c.execute("COMMIT")

    def beads(self) -> list[BeadData]:
        return self.snapshot().beads

    def bead(self, key: str) -> BeadData | None:
        return next((b for b in self.beads() if b.key == key), None)

    def findings(self) -> list[FindingData]:
        return self.snapshot().findings

    def scores(self) -> dict[str, dict[str, list[dict]]]:
        """bead → lang → [{"unit", metric: value, ...}] (a machine rendering against the
        reference ``review init --reference`` named)."""
        return self.snapshot().score_map()

    def decisions(self, bead: str | None = None) -> list[dict]:
        ds = self.snapshot().decisions
        return ds if bead is None else [d for d in ds if d["bead"] == bead]

    def put_similarity(self, values: dict[str, float | None]) -> None:
        """Add similarities (similarity.pair_key → value; None: a language the encoder
        does not cover)."""
        if values:
            with self._write() as c:
                _insert_similarity(c, values)

    def put_neighbours(self, values: dict[str, list]) -> None:
        """Add nearest-clause lists (similarity.neighbour_key → list)."""
        if values:
            with self._write() as c:
                _insert_neighbours(c, values)

    # -- writing -----------------------------------------------------------------------
    def decide(self, bead: str, action: str, reviewer: str, *, lang: str | None = None,
               finding: str | None = None, text: str | None = None, reason: str | None = None,
               origin: str = "page", at: int | dict | None = None,
               keep: str = "first") -> dict:
        """Record one decision in one transaction and return it (with its id).
        A split cuts the bead after unit ``at`` of ``lang``; the other languages' units
        go with the first part (``keep="first"``) or the second. ``at`` may also be
        {lang: units in the first part} for every language."""
        if action not in ACTIONS:
            raise UserError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
        if not reviewer or not reviewer.strip():
            raise UserError("a decision needs a reviewer")
        with self._write() as c:
            snap = self._snapshot(c)
            pos = {x.key: i for i, x in enumerate(snap.beads)}
            if bead not in pos:
                raise UserError(f"no bead {bead!r} in this workspace")
            b = snap.beads[pos[bead]]
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
            elif action == "merge":
                if pos[bead] + 1 >= len(snap.beads):
                    raise UserError(f"{bead}: the last bead has no next bead to merge with")
                n = snap.beads[pos[bead] + 1]
                h = beads_hash(b, n, self.langs)
                payload = json.dumps({"merge": [b.key, n.key]})
                # the decision belongs to the bead it makes: undo there splits it again
                bead = merged(b, n, self.langs).key
            elif action == "split":
                at_map = _split_at(b, lang, at, keep, self.langs)
                parts = split_parts(b, at_map, self.langs, {x.key for x in snap.beads})
                if parts is None:
                    raise UserError(f"split: {bead}: the cut {at_map} must leave units in both "
                                    "parts")
                h = bead_hash(b, self.langs)
                payload = json.dumps({"split": [b.key, *(x.key for x in parts)],
                                      "at": at_map})
            else:  # undo: the latest live decision on this bead (a split on its parts)
                live = _live([(d["id"], d["action"], d["undoes"]) for d in snap.decisions
                              if d["bead"] == bead or (d["id"] in snap.applied
                                                      and bead in _split_keys(d)[1:])
                              or d["action"] == "undo"])
                if not live:
                    raise UserError(f"nothing to undo on bead {bead!r}")
                undoes = live[-1]
                h = bead_hash(b, self.langs)
            t = now()
            cur = c.execute(
                "INSERT INTO decisions(time, reviewer, bead, lang, action, finding, text, reason, "
                "text_hash, undoes, origin, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (t, reviewer.strip(), bead, lang, action, finding, text, reason, h, undoes, origin,
                 payload))
            return {"id": cur.lastrowid, "time": t, "reviewer": reviewer.strip(), "bead": bead,
                    "lang": lang, "action": action, "finding": finding, "text": text,
                    "reason": reason, "text_hash": h, "undoes": undoes, "origin": origin,
                    "payload": payload}

    # -- the state that decisions add up to -----------------------------------------------
    def states(self) -> dict[str, "BeadState"]:
        """Every bead's state: its live decisions, split into current and stale."""
        return self.snapshot().states()

    def counts(self) -> dict:
        states = self.states()
        out = {"beads": len(states), "reviewed": 0, "accepted": 0, "rejected": 0, "edited": 0,
               "unreviewed": 0, "stale": 0, "comments": 0, "findings": 0, "dismissed": 0}
        for s in states.values():
            out["reviewed" if s.reviewed else "unreviewed"] += 1
            out["accepted"] += s.verdict == "accept"
            out["rejected"] += s.verdict == "reject"
            out["edited"] += bool(s.edits)
            out["stale"] += bool(s.stale)
            out["comments"] += len(s.comments)
            out["findings"] += s.n_findings
            out["dismissed"] += len(s.dismissed)
        return out


@dataclass
class BeadState:
    verdict: str | None = None                      # accept | reject (the latest)
    verdict_by: dict | None = None
    edits: dict[str, dict] = field(default_factory=dict)      # lang → latest edit decision
    dismissed: dict[str, dict] = field(default_factory=dict)  # finding key → decision
    comments: list[dict] = field(default_factory=list)
    stale: list[dict] = field(default_factory=list)           # live but texts changed
    history: list[dict] = field(default_factory=list)         # every decision, undo included
    n_findings: int = 0

    @property
    def reviewed(self) -> bool:
        return self.verdict is not None or bool(self.edits)

    def target(self, bead: BeadData, lang: str) -> str:
        e = self.edits.get(lang)
        return e["text"] if e else bead.texts.get(lang, "")

    def last_change(self) -> dict | None:
        return self.history[-1] if self.history else None


@dataclass
class Snapshot:
    """The workspace as reviewers see it at one moment (merges applied)."""
    beads: list[BeadData]
    findings: list[FindingData]
    score_rows: list[tuple]
    decisions: list[dict]
    applied: set            # merge decisions in force
    stale_merges: list      # merge decisions whose beads changed or moved apart
    langs: list[str]
    similarity: dict[str, float | None] = field(default_factory=dict)   # pair key → value
    neighbours: dict[str, list] = field(default_factory=dict)   # pivot text key → list

    def states(self) -> dict[str, "BeadState"]:
        return compute_states(self.beads, self.findings, self.decisions, self.langs,
                              self.applied, self.stale_merges)

    def score_map(self) -> dict[str, dict[str, list[dict]]]:
        out: dict[str, dict[str, dict[str, dict]]] = {}
        for bead, lang, unit, metric, value in self.score_rows:
            row = out.setdefault(bead, {}).setdefault(lang, {}).setdefault(unit, {"unit": unit})
            row[metric] = value
        return {b: {lang: list(units.values()) for lang, units in by.items()}
                for b, by in out.items()}


def compute_states(beads, findings, decisions, langs, applied=frozenset(),
                   stale_merges=()) -> dict[str, BeadState]:
    by_key = {b.key: b for b in beads}
    fhash = {f.fkey: f.text_hash for f in findings}
    states = {b.key: BeadState() for b in beads}
    for f in findings:
        if f.bead in states:
            states[f.bead].n_findings += 1
    undone = {d["undoes"] for d in decisions if d["action"] == "undo"}
    for d in decisions:
        if d["action"] == "split" and d["id"] in applied:
            for k in _split_keys(d)[1:]:          # shown on both parts, undone from either
                if k in states:
                    states[k].history.append(d)
            continue
        st = states.get(d["bead"])
        if st is None:
            continue        # its bead is gone after an update: kept in the file, not shown
        st.history.append(d)
        if d["action"] in ("undo", "merge", "split") or d["id"] in undone:
            continue            # a merge in force is the bead itself (repair.py)
        b = by_key[d["bead"]]
        if d["action"] in BEAD_ACTIONS:
            current = bead_hash(b, langs)
        elif d["action"] == "edit":
            current = edit_hash(b, langs[0], d["lang"])
        else:
            current = fhash.get(d["finding"])
        if d["text_hash"] != current:
            st.stale.append(d)
            continue
        if d["action"] in ("accept", "reject"):
            st.verdict, st.verdict_by = d["action"], d
        elif d["action"] == "edit":
            st.edits[d["lang"]] = d
        elif d["action"] == "dismiss":
            st.dismissed[d["finding"]] = d
        else:
            st.comments.append(d)
    for d in stale_merges:     # on the first of the beads it joined (the bead it split)
        first = states.get(payload(d)["merge"][0] if d["action"] == "merge" else d["bead"])
        if first is not None:
            first.stale.append(d)
    return states


def _split_keys(d: dict) -> list[str]:
    """[split bead, first part, second part] of a split decision, else []."""
    return payload(d).get("split", []) if d["action"] == "split" else []


def _split_at(b: BeadData, lang: str | None, at, keep: str, langs: list[str]) -> dict:
    """{lang: units in the first part} from what the reviewer asked."""
    if b.units is None:
        raise UserError(f"{b.key}: this workspace was made before splits existed; run "
                        "`celac-i18n review update` on it first")
    if isinstance(at, dict):
        if set(at) != set(langs) or not all(isinstance(v, int) for v in at.values()):
            raise UserError(f"split: at must give a unit count for each of {', '.join(langs)}")
        return dict(at)
    if lang not in langs:
        raise UserError(f"split: lang must be one of {', '.join(langs)}")
    n = len(b.ids.get(lang, []))
    if not isinstance(at, int) or not 1 <= at < n:
        raise UserError(f"split: {b.key} has {n} {lang} unit(s); at must be 1 to {n - 1}"
                        if n > 1 else f"split: {b.key} has fewer than 2 {lang} units")
    if keep not in ("first", "second"):
        raise UserError("split: keep must be first or second")
    return {x: at if x == lang else (len(b.ids.get(x, [])) if keep == "first" else 0)
            for x in langs}


def _live(rows) -> list[int]:
    """Ids of decisions not undone (and not undos themselves), in order."""
    undone = {u for _, a, u in rows if a == "undo"}
    return [i for i, a, _ in rows if a != "undo" and i not in undone]


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
