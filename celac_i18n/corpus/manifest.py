"""corpora/manifest.toml: every document the toolkit knows, with its provenance.

Edited with tomlkit so that comments and layout survive; always written atomically.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..fsutil import write_text_atomic

# PLAN:LANG[:KIND]: how a corpus text is named, on the command line and in the manifest's
# own links (translated_from, based_on)
CORPUS_REF = re.compile(r"^(?P<plan>\d{4}-\d{4}):(?P<lang>[A-Za-z-]+)(?::(?P<kind>[\w.-]+))?$")
# reviewed: a text with reviewers' edits, made only by `review save` (never official)
KINDS = ("official", "reference", "machine", "reviewed")


def shipped_corpus_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "corpora"


def corpus_dir() -> Path:
    """The shipped corpus: another one is named by the caller (the CLI's --corpus or
    CELAC_I18N_CORPUS, read into ``ops.Context``)."""
    return shipped_corpus_dir()


@dataclass
class Entry:
    plan: str
    lang: str
    kind: str
    title: str = ""
    file: str | None = None
    sha256: str = ""
    sources: list[str] = field(default_factory=list)
    notes: str = ""
    extra: dict = field(default_factory=dict)   # translator, engine, version, cited_in...

    @property
    def ref(self) -> str:
        return f"{self.plan}:{self.lang}:{self.kind}"

    def path(self, root: Path) -> Path | None:
        return root / self.file if self.file else None


def _key(plan, lang, kind, engine) -> tuple:
    """What makes a manifest entry unique: machine renderings differ by engine."""
    return (plan, lang, kind, engine if kind == "machine" else None)


_FIELDS = {"plan", "lang", "kind", "title", "file", "sha256", "sources", "notes"}


class Manifest:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else corpus_dir()
        self.path = self.root / "manifest.toml"
        if not self.path.exists():
            raise UserError(f"{self.path}: no corpus manifest (set --corpus or "
                            "CELAC_I18N_CORPUS to a corpora/ directory)")
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise UserError(f"{self.path}: invalid TOML ({e})") from None
        self.plans: dict[str, dict] = data.get("plans", {})
        docs = data.get("document", [])
        if not isinstance(self.plans, dict) or not isinstance(docs, list):
            raise UserError(f"{self.path}: 'plans' must be tables and 'document' an array "
                            "of tables ([[document]])")
        self.entries = [self._entry(k, d) for k, d in enumerate(docs, 1)]

    def _entry(self, k: int, d) -> Entry:
        """One [[document]], its fields' types checked: a hand-edited manifest gets one
        line naming the entry, never a traceback."""
        where = f"{self.path}: document #{k}"
        if not isinstance(d, dict):
            raise UserError(f"{where}: must be a table")
        for key in ("plan", "lang", "kind"):
            if not isinstance(d.get(key), str) or not d[key]:
                raise UserError(f"{where}: '{key}' must be a non-empty string")
        for key in ("title", "file", "sha256", "notes"):
            if key in d and not isinstance(d[key], str):
                raise UserError(f"{where} ({d['plan']}:{d['lang']}:{d['kind']}): '{key}' "
                                "must be a string")
        if "sources" in d and not (isinstance(d["sources"], list)
                                   and all(isinstance(u, str) for u in d["sources"])):
            raise UserError(f"{where}: 'sources' must be a list of strings")
        if d.get("file") == "" or "\0" in d.get("file", ""):
            raise UserError(f"{where}: 'file' must name a file under corpora/")
        return Entry(**{k: v for k, v in d.items() if k in _FIELDS},
                     extra={k: v for k, v in d.items() if k not in _FIELDS})

    def _reload(self) -> None:
        depth = getattr(self, "_lock_depth", 0)
        self.__init__(self.root)
        self._lock_depth = depth

    def find(self, plan: str, lang: str | None = None, kind: str | None = None) -> list[Entry]:
        return [e for e in self.entries if e.plan == plan
                and (lang is None or e.lang == lang) and (kind is None or e.kind == kind)]

    def check_plan(self, plan: str) -> None:
        if plan not in self.plans:
            raise UserError(f"unknown plan '{plan}' (known: {', '.join(sorted(self.plans))})")

    def upsert(self, entry: Entry) -> None:
        """Add or replace the entry for (plan, lang, kind) and save the manifest.

        The read-modify-write holds an exclusive lock on ``.manifest.toml.lock`` beside
        the manifest, so concurrent imports cannot lose each other's entries.
        """
        with self.locked():
            self._upsert(entry)
            self._reload()

    @contextlib.contextmanager
    def locked(self):
        """Hold the manifest's lock and re-read it, so what is checked inside stays true
        until the write (re-entrant within this object)."""
        if getattr(self, "_lock_depth", 0):
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        lock = self.root / ".manifest.toml.lock"
        try:
            fh = open(lock, "a")
        except OSError as e:
            raise UserError(f"{lock}: cannot lock the manifest ({e.strerror})") from None
        with fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            self._lock_depth = 1
            try:
                self._reload()
                yield
            finally:
                self._lock_depth = 0
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _upsert(self, entry: Entry) -> None:
        import tomlkit

        doc = tomlkit.parse(self.path.read_text(encoding="utf-8"))
        table = tomlkit.table()
        for key in ("plan", "lang", "kind", "title", "file", "sha256", "sources"):
            value = getattr(entry, key)
            if value is not None:
                table[key] = value
        for key, value in entry.extra.items():
            table[key] = value
        table["notes"] = entry.notes
        docs = doc.setdefault("document", tomlkit.aot())
        key = _key(entry.plan, entry.lang, entry.kind, entry.extra.get("engine"))
        for i, t in enumerate(docs):
            if _key(t.get("plan"), t.get("lang"), t.get("kind"), t.get("engine")) == key:
                docs[i] = table
                break
        else:
            docs.append(table)
        write_text_atomic(self.path, tomlkit.dumps(doc))
