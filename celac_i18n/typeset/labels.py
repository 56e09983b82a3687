"""What the title page and headers call each language and each kind of text.

Provenance is spelled out: only a text whose provenance kind is ``official`` is ever
called official; project renderings and machine output say what they are.
"""

from __future__ import annotations

from ..model import Document

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
    return {"kind": kind or "unknown", "short": "text of unstated status",
            "long": "Text read from a file; its status (official or not) is not recorded. "
                    "Not presented as official."}


def text_info(doc: Document, ref: str = "") -> dict:
    p = doc.provenance
    st = status(doc)
    return {"lang": doc.lang, "name": ENDONYMS.get(doc.lang, doc.lang),
            "code": doc.lang.upper(), "ref": ref or p.extra.get("ref") or p.source,
            "title": p.extra.get("title") or doc.title,
            "status": st["short"], "status_long": st["long"], "kind": st["kind"],
            "source": str(p.source), "sha256": p.sha256 or "",
            "notes": p.notes or ""}
