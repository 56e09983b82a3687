"""The diff's redline as PDF: the summary table first, then each change with its
insertions and deletions styled. Takes a :class:`celac_i18n.diff.DiffResult`."""

from __future__ import annotations

from ..version import __version__
from .labels import status

NAME = "celac-typeset-redline"


def _side(info: dict, doc, ref: str) -> dict:
    st = status(doc)
    return {"ref": ref, "source": str(info.get("source", "")), "lang": info.get("lang", ""),
            "status": st["long"], "kind": st["kind"], "clauses": info.get("clauses", 0),
            "title": doc.provenance.extra.get("title") or doc.title}


def build_redline(result, old_ref: str = "OLD", new_ref: str = "NEW",
                  only: set[str] | None = None) -> dict:
    from ..diff.changes import move_stubs
    from ..diff.redline import rebuild
    from ..diff.match import KINDS

    s = result.summary
    stubs = move_stubs(result, only)
    chapters = []
    heads = {ch["chapter"]: ch for ch in s["chapters"]}
    current = None

    def moved_from(c) -> dict:
        # the moved unit's old place: where it was, and where it went
        return {"kind": "_movedfrom", "old": ", ".join(c.old), "new": ", ".join(c.new),
                "similarity": None, "confidence": None, "mark": "",
                "ops": [["-", rebuild(c.ops, "old")]]}
    for c in stubs.get(None, []):
        current = current or {"chapter": c.chapter, "heading": "", "items": []}
        if not chapters:
            chapters.append(current)
        current["items"].append(moved_from(c))
    for c in result.changes:
        if current is None or c.chapter != current["chapter"]:
            ch = heads.get(c.chapter, {})
            current = {"chapter": c.chapter, "heading": ch.get("heading", ""),
                       "items": []}
            chapters.append(current)
        if c.kind == "unchanged" or (only and c.kind not in only):
            # Runs of untouched units collapse into one line: the reader wants changes.
            items = current["items"]
            if items and items[-1]["kind"] == "_collapsed":
                items[-1]["ids"].extend(c.new or c.old)
            else:
                items.append({"kind": "_collapsed", "ids": list(c.new or c.old)})
        else:
            current["items"].append({
                "kind": c.kind, "old": ", ".join(c.old), "new": ", ".join(c.new),
                # added and removed units have no counterpart, hence no similarity
                "similarity": round(c.similarity, 3) if c.old and c.new else None,
                "confidence": c.confidence,
                "mark": f"moved here from old {', '.join(c.old)}" if c.kind == "moved" else "",
                "ops": [[op, text] for op, text in c.ops]})
        for st in stubs.get(id(c), []):
            current["items"].append(moved_from(st))
    rows = [{"label": "all", "was": "", "counts": [s["counts"][k] for k in KINDS],
             "share": s["changed_share"]}]
    for ch in s["chapters"]:
        label = ch["chapter"] + (f" {ch['heading']}" if ch["heading"] else "")
        rows.append({"label": label, "was": ", ".join(ch["old_chapters"]),
                     "counts": [ch["counts"][k] for k in KINDS],
                     "share": ch["changed_share"]})
    kt = s.get("key_terms", {"terms": {}, "words": {}})
    terms = {side: [f"{t['term']} ({t['count']})" for t in kt["terms"].get(side, [])]
                   + [f"{w} ({n})" for w, n in kt["words"].get(side, [])]
             for side in ("only_old", "only_new")}
    notes = []
    if "via" in s:
        cal = s["calibration"]
        notes.append(f"Matched through a machine rendering ({s['via']['engine']}): "
                     f"{s['via']['note']}. Modified across languages: similarity below "
                     f"{cal['reword']:.2f} (faithful translations: median "
                     f"{cal['baseline']['median']:.2f}); confidence = share of faithful "
                     "translations scoring higher.")
    elif "across" in s:
        notes.append(f"Across languages: {s['across']['note']}. Modified: similarity below "
                     f"{s['calibration']['reword']:.2f}.")
    lang = result.new.lang
    return {"meta": {"title": f"Redline: {old_ref} → {new_ref}", "lang": lang,
                     "toolkit": f"celac-i18n {__version__}", "signature": result.signature,
                     "edition": f"{NAME}:{__version__}", "kinds": list(KINDS),
                     "only": sorted(only) if only else [],
                     "keywords": ["China-CELAC", "redline", "diff", lang]},
            "old": _side(s["old"], result.old, old_ref),
            "new": _side(s["new"], result.new, new_ref),
            "summary": rows, "terms": terms, "notes": notes, "chapters": chapters}


def render_redline_pdf(result, path, old_ref: str = "OLD", new_ref: str = "NEW",
                       only: set[str] | None = None, font_dirs=()) -> bytes:
    """Typeset a diff as a redline PDF: each change with its deleted and inserted words.

    Args:
        result: a ``DiffResult`` from ``diff_documents``.
        path: the PDF's path (written atomically), or ``None``.
        old_ref, new_ref: the two versions' names, printed in the heading.
        only: change kinds to show (default: all).
        font_dirs: folders searched for fonts before Debian's.

    Returns:
        The PDF's bytes.
    """
    from ..fsutil import write_bytes_atomic
    from .compile import compile_pdf

    pdf = compile_pdf("redline.typ", build_redline(result, old_ref, new_ref, only),
                      tuple(font_dirs))
    if path is not None:
        write_bytes_atomic(path, pdf)
    return pdf
