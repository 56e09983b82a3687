"""The diff as a Word document with real tracked changes.

The new version in its order, one paragraph per unit, each headed by its id. Word
revisions carry the differences, so Word and LibreOffice show them as changes to
accept or reject: deleted words in ``w:del``, inserted words in ``w:ins``, a removed
unit as a deleted paragraph, an added one as an inserted paragraph, and a moved unit as
``w:moveFrom`` at its old place and ``w:moveTo`` at its new one (a named move range
pairs them). Across languages the old text is the version as given (e.g. the English)
and only changed units carry revisions; unchanged ones read as the new text.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from .changes import DiffResult, move_stubs
from .redline import DEL, INS, KEEP, rebuild

AUTHOR = "celac-i18n diff"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_QUIET = ("unchanged", "renumbered")


class _Ids:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _runs(text: str, deleted: bool, bold: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    parts = []
    for k, line in enumerate(text.split("\n")):
        if k:
            parts.append("<w:br/>")
        if line:
            parts.append(f'<{tag} xml:space="preserve">{escape(line)}</{tag}>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>" if parts else ""


def _rev(kind: str, ids: _Ids, body: str) -> str:
    return f'<w:{kind} w:id="{ids()}" w:author="{AUTHOR}">{body}</w:{kind}>' if body else ""


def _para(label: str, body: str, ids: _Ids, mark: str | None = None) -> str:
    """A paragraph; ``mark`` ("ins"/"del") tracks the paragraph mark itself."""
    ppr = ""
    if mark:
        ppr = f'<w:pPr><w:rPr><w:{mark} w:id="{ids()}" w:author="{AUTHOR}"/></w:rPr></w:pPr>'
    lab = _runs(label + "  ", False, bold=True) if label else ""
    if mark == "del":
        lab = _rev("del", ids, _runs(label + "  ", True, bold=True)) if label else ""
    elif mark == "ins":
        lab = _rev("ins", ids, _runs(label + "  ", False, bold=True)) if label else ""
    return f"<w:p {W}>{ppr}{lab}{body}</w:p>"


def _ops_xml(ops, ids: _Ids) -> str:
    out = []
    for op, text in ops:
        if op == KEEP:
            out.append(_runs(text, False))
        elif op == DEL:
            out.append(_rev("del", ids, _runs(text, True)))
        elif op == INS:
            out.append(_rev("ins", ids, _runs(text, False)))
    return "".join(out)


def _move(direction: str, name: str, text: str, ids: _Ids, ops=None) -> str:
    """A moveFrom/moveTo revision inside its named range. ``ops``: a moved unit that
    was edited too; its moveTo range then holds the kept words as ``w:moveTo`` and the
    word changes as ``w:del``/``w:ins`` beside them, as Word records a move followed by
    an edit."""
    rng = ids()
    tag = "moveFrom" if direction == "from" else "moveTo"
    if ops and direction == "to":
        body = "".join(_rev(tag, ids, _runs(t, False)) if op == KEEP else _ops_xml([[op, t]], ids)
                       for op, t in ops)
    else:
        body = _rev(tag, ids, _runs(text, direction == "from"))
    return (f'<w:{tag}RangeStart w:id="{rng}" w:name="{name}" w:author="{AUTHOR}"/>'
            + body + f'<w:{tag}RangeEnd w:id="{rng}"/>')


def render_docx(result: DiffResult, old_name: str = "OLD", new_name: str = "NEW",
                only: set[str] | None = None) -> bytes:
    """The .docx bytes. ``only`` limits which kinds carry revisions; the rest of the
    units read as the new text (removed ones are then left out)."""
    import docx
    from docx.oxml import parse_xml

    s = result.summary
    cross = "across" in s or "via" in s
    d = docx.Document()
    d.core_properties.title = f"Redline: {old_name} → {new_name}"
    d.core_properties.author = AUTHOR
    d.add_heading(f"{old_name} → {new_name}", level=1)
    counts = ", ".join(f"{k} {n}" for k, n in s["counts"].items() if n)
    d.add_paragraph(f"Tracked changes from {old_name} ({s['old']['lang']}) to {new_name} "
                    f"({s['new']['lang']}): {counts}. Each paragraph starts with the "
                    "unit's id in the new version (the old id after \"was\").")
    if cross:
        d.add_paragraph("Across languages: deleted text is the old version as given, "
                        "inserted text the new one; clauses whose content is unchanged "
                        "across languages carry no revision. " + (
                            f"Matching used a machine rendering ({s['via']['engine']}); it is "
                            "never shown as the old text." if "via" in s else
                            f"Clauses were matched by meaning ({s['across']['measure']}), with "
                            "no engine: no word redline is possible across languages, each "
                            "changed clause shows both texts whole."))
    ids = _Ids()
    body = d.element.body
    sect = body[-1]          # the section properties stay last

    def add(xml: str) -> None:
        sect.addprevious(parse_xml(xml))

    stubs = move_stubs(result, only)
    # names pair each moveFrom with its moveTo, whichever comes first
    moves = {id(c): f"move{k}" for k, c in
             enumerate((c for cs in stubs.values() for c in cs), start=1)}

    def stub(c) -> None:
        name = moves[id(c)]
        label = f"{c.old[0]} (moved to {c.new[0]})"
        add(_para(label, _move("from", name, rebuild(c.ops, "old"),
                               ids), ids, "del"))

    for c in stubs.get(None, []):
        stub(c)
    for c in result.changes:
        shown = not only or c.kind in only
        label = ", ".join(c.new) or ", ".join(c.old)
        if c.old and c.new and c.old != c.new:
            label += f" (was {', '.join(c.old)})"
        if c.kind == "moved" and shown and id(c) in moves:
            # word marks where some words were kept (in one language); across
            # languages the ops are the whole English out and the whole new text in
            edited = (not cross and any(op == KEEP for op, _ in c.ops)
                      and any(op != KEEP for op, _ in c.ops))
            add(_para(label, _move("to", moves[id(c)], rebuild(c.ops, "new"), ids,
                                   c.ops if edited else None), ids, "ins"))
        elif c.kind == "added" and shown:
            add(_para(label, _ops_xml(c.ops, ids), ids, "ins"))
        elif c.kind == "removed":
            if shown:
                add(_para(label, _ops_xml(c.ops, ids), ids, "del"))
        elif c.kind in _QUIET or not shown:
            add(_para(label, _runs(rebuild(c.ops, "new"), False), ids))
        else:
            add(_para(label, _ops_xml(c.ops, ids), ids))
        for st in stubs.get(id(c), []):
            stub(st)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def count_revisions(data: bytes) -> dict[str, int]:
    """Revisions in a .docx as python-docx reads it back: ins, del, moveFrom, moveTo."""
    import docx

    body = docx.Document(io.BytesIO(data)).element.body
    # run-level revisions; a tracked paragraph mark (inside w:rPr) goes with its runs
    return {k: len(body.xpath(f".//w:{k}[not(parent::w:rPr)]"))
            for k in ("ins", "del", "moveFrom", "moveTo")}
