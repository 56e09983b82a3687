"""The diff's redline as PDF. Takes a :class:`celac_i18n.diff.DiffResult`.

Two layouts:

- ``full`` (default), for sign-off: a title page with both versions' provenance (what
  each text is, its reference, where it is published, the SHA-256 of the file
  compared), a summary page (counts per chapter, every change listed with a link to
  its place), then the whole document, every unit with its own label, changes inline:
  insertions underlined, deletions struck, a moved unit struck at its old place and
  double-underlined at its new one (each naming the other), changed numbers
  highlighted, tracked paragraph breaks of a split or merge as ¶. The paragraphs come
  from diff/tracked.py, as the DOCX's do.
- ``changes``: the summary, then each change alone (unchanged runs collapsed).
"""

from __future__ import annotations

from ..version import __version__
from .labels import status

NAME = "celac-typeset-redline"
LAYOUTS = ("full", "changes")


def _side(info: dict, doc, ref: str) -> dict:
    st = status(doc)
    return {"ref": ref, "source": str(info.get("source", "")), "lang": info.get("lang", ""),
            "status": st["long"], "kind": st["kind"], "clauses": info.get("clauses", 0),
            "title": doc.provenance.extra.get("title") or doc.title}


def build_redline(result, old_ref: str = "OLD", new_ref: str = "NEW",
                  only: set[str] | None = None) -> dict:
    from ..diff.changes import move_stubs
    from ..diff.redline import rebuild

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
    return {**_front(result, old_ref, new_ref, only), "chapters": chapters}


def _front(result, old_ref: str, new_ref: str, only: set[str] | None = None) -> dict:
    """What both layouts open with: meta, the two versions, the summary rows, the key
    terms and the notes on how the versions were matched."""
    from ..diff.match import KINDS

    s = result.summary
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
            "summary": rows, "terms": terms, "notes": notes}


def build_full(result, old_ref: str = "OLD", new_ref: str = "NEW") -> dict:
    """The JSON data of the whole-document redline (templates/redline-full.typ)."""
    from ..diff.match import UNCHANGED
    from ..diff.tracked import change_note, tracked_paragraphs
    from ..buildtime import build_time
    from .labels import text_info
    from .runs import plain

    base = _front(result, old_ref, new_ref)
    paras, changes = [], []
    for k, p in enumerate(tracked_paragraphs(result)):
        c = p.change
        changed = c.kind != UNCHANGED and not (
            p.mark == "=" and all(x.state == "=" for x in p.pieces))
        item = {"level": p.level, "kind": p.kind, "role": p.role, "mark": p.mark,
                # a unit only the old version has at this place is named as old
                "uid": f"old {p.uid}" if p.role == "from" or not c.new else p.uid,
                "change": c.kind if changed else "",
                "pieces": [[x.state, x.text, x.number] for x in p.pieces],
                "note": change_note(c, p.role) if p.first and changed else "",
                "was": ", ".join(c.old) if p.first and changed and c.old
                and p.uid not in c.old and p.role != "from" else "",
                "anchor": f"p{k}" if p.first and changed else ""}
        if item["level"]:
            item["bookmark"] = plain("".join(x.text for x in p.pieces
                                             if x.state in ("=", "+", ">")))[:120]
        paras.append(item)
        if item["anchor"]:
            where = ("old place" if p.role == "from" else "new place" if p.role == "to"
                     else "")
            changes.append({"anchor": item["anchor"], "kind": c.kind, "where": where,
                            "old": ", ".join(c.old) or "—", "new": ", ".join(c.new) or "—",
                            "note": item["note"]})
    texts = []
    for side, doc, ref in (("old", result.old, old_ref), ("new", result.new, new_ref)):
        info = text_info(doc, ref)
        info["side"] = side.upper()
        texts.append(info)
    cross = result.old.lang != result.new.lang
    meta = dict(base["meta"], generated=build_time().date().isoformat(), cross=cross,
                langs=[result.old.lang, result.new.lang])
    return {"meta": meta, "texts": texts, "summary": base["summary"],
            "terms": base["terms"], "notes": base["notes"], "changes": changes,
            "paras": paras}


def check_size(result) -> None:
    from ..errors import UserError
    from .edition import MAX_CHARS

    chars = sum(len(u.text) + len(u.heading or "") for d in (result.old, result.new)
                for u in d.units)
    if chars > MAX_CHARS:
        raise UserError(f"the versions hold {chars:,} characters; a whole-document redline "
                        f"takes at most {MAX_CHARS:,} (use --layout changes)")


def render_redline_pdf(result, path, old_ref: str = "OLD", new_ref: str = "NEW",
                       only: set[str] | None = None, font_dirs=(),
                       layout: str = "full") -> bytes:
    """Typeset a diff as a redline PDF.

    Args:
        result: a ``DiffResult`` from ``diff_documents``.
        path: the PDF's path (written atomically), or ``None``.
        old_ref, new_ref: the two versions' names, printed in the heading.
        only: change kinds to show in the ``changes`` layout (default: all); the full
            document always shows every change.
        font_dirs: folders searched for fonts before Debian's.
        layout: ``"full"`` (the whole document, changes inline) or ``"changes"``.

    Returns:
        The PDF's bytes.
    """
    from ..errors import UserError
    from ..fsutil import write_bytes_atomic
    from .compile import compile_pdf

    if layout not in LAYOUTS:
        raise UserError(f"unknown redline layout '{layout}' (known: {', '.join(LAYOUTS)})")
    if layout == "full":
        check_size(result)
        pdf = compile_pdf("redline-full.typ", build_full(result, old_ref, new_ref),
                          tuple(font_dirs))
    else:
        pdf = compile_pdf("redline.typ", build_redline(result, old_ref, new_ref, only),
                          tuple(font_dirs))
    if path is not None:
        write_bytes_atomic(path, pdf)
    return pdf
