"""What the title page and headers call each language and each kind of text.

Provenance is spelled out: only a text whose provenance kind is ``official`` is ever
called official; project renderings and machine output say what they are.
"""

from __future__ import annotations

import re
from pathlib import PurePath, PureWindowsPath

from ..model import Document
from .runs import runs

# Each language named in itself: a reader finds their own column at a glance.
ENDONYMS = {"es": "Español", "en": "English", "zh": "中文", "pt": "Português"}


def status(doc: Document) -> dict:
    """Short and long descriptions of what a text is, from its provenance."""
    p = doc.provenance
    kind = p.kind or ("machine" if p.extra.get("engine") else None)
    if kind == "official":
        return {"kind": "official", "short": "official text",
                "long": "Official text as adopted by the parties."}
    if kind == "machine":
        engine = p.extra.get("engine") or "unknown engine"
        version = p.extra.get("engine_version") or ""
        model = p.extra.get("model") or ""
        what = " ".join(x for x in (engine, version) if x) + (f", model {model}" if model else "")
        src = p.extra.get("translated_from") or p.extra.get("source") or ""
        return {"kind": "machine", "short": f"machine translation ({engine})",
                "long": f"Machine translation by {what}"
                        + (f" from {src}" if src else "") + ". Not an official text."}
    if kind == "reference":
        who = p.extra.get("translator") or "the celac-i18n project"
        return {"kind": "reference", "short": "project reference rendering",
                "long": f"Reference rendering prepared by {who}. Not an official text."}
    if kind == "modified":
        # bytes that are not those recorded: what it was recorded as is said, never its
        # status (corpus/verify.py relabels it on reading)
        was = p.extra.get("recorded", {})
        return {"kind": "modified", "short": "MODIFIED text, not as recorded",
                "long": f"Modified text: not the bytes recorded as "
                        f"{was.get('ref') or 'this corpus entry'}. Not an official text."}
    if kind == "reviewed":
        return {"kind": "reviewed", "short": "reviewed rendering",
                "long": "Rendering with reviewers' edits (celac-i18n review), based on "
                        + (p.notes or "another text of the corpus") + ". Not an official text."}
    return {"kind": kind or "unknown", "short": "text of unstated status",
            "long": "Text read from a file; its status (official or not) is not recorded. "
                    "Not presented as official."}


# A path in a provenance note or a reference: the reader of an edition gets the file's
# name, never the folders of the machine that built it (or the project's own layout).
_PATH = re.compile(r"(?:~?/|[A-Za-z]:\\|\.{1,2}/|[\w.-]+/)\S*")
_FILE = re.compile(r"[^/\\]+\.\w{1,5}$")
_URL = re.compile(r"^https?://", re.I)


def file_name(path: str) -> str:
    """'/tmp/x/plan.es.txt@es' → 'plan.es.txt@es'; URLs and corpus refs unchanged."""
    if _URL.match(path) or ("/" not in path and "\\" not in path):
        return path
    return PureWindowsPath(path).name if "\\" in path else PurePath(path).name


def without_paths(text: str) -> str:
    """A note with every file path reduced to the file's name (URLs kept); words like
    "and/or" or "1/2" are not paths."""
    def name(m: re.Match) -> str:
        lead = len(m[0]) - len(m[0].lstrip("(<[\"'“«"))
        word = m[0][lead:].rstrip(".,;:)>]\"'”»")
        if _URL.match(word) or not _PATH.fullmatch(word):
            return m[0]
        relative = re.match(r"[\w.-]+/", word) and not word.startswith(("./", "../"))
        if relative and "shared/" not in word and not _FILE.search(word):
            return m[0]
        return m[0][:lead] + file_name(word) + m[0][lead + len(word):]

    return re.sub(r"\S+", name, text)


def text_info(doc: Document, ref: str = "") -> dict:
    p = doc.provenance
    st = status(doc)
    title = p.extra.get("title") or doc.title
    return {"lang": doc.lang, "name": ENDONYMS.get(doc.lang, doc.lang),
            "code": doc.lang.upper(),
            # a modified text is named as such, whatever reference asked for it
            "ref": file_name(p.extra["ref"] if st["kind"] == "modified" else
                             ref or p.extra.get("ref") or str(p.source)),
            "title": title, "title_runs": runs(title, doc.lang),
            "status": st["short"], "status_long": without_paths(st["long"]),
            "kind": st["kind"],
            "file": file_name(str(p.source)),
            # a modified text was not published where its record's text was
            "urls": [] if st["kind"] == "modified" else
                    [u for u in p.extra.get("sources") or [] if _URL.match(u)],
            "sha256": p.sha256 or "", "notes": without_paths(p.notes or "")}
