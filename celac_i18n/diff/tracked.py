"""Both versions of a diff as one sequence of tracked paragraphs: what the DOCX and the
whole-document PDF redline lay out.

Every unit of either version is one paragraph: its label as the document writes it
("2.", "- 3.5.", "一、", "Article 5") and its text. A paragraph is made of pieces, each
kept, deleted, inserted, moved away (at the old place of a moved unit) or moved here
(at its new place), and its paragraph mark carries a state too. The sequence
interleaves the two versions so that:

- *accept* (every piece and mark except deleted and moved-away ones; a dropped mark
  joins its paragraph to the next, as in Word) reads exactly the new version, and
- *reject* (every piece and mark except inserted and moved-here ones) reads exactly
  the old version,

paragraph for paragraph (:func:`accept`, :func:`reject`, :func:`version_paragraphs`).
Units that keep their relative order are anchors (the longest such run); removed units
and the old places of moved ones go between anchors by their old position, added units
and new places by their new one. A renumbered unit's label is a deleted old label and
an inserted new one. A split or merge is one group whose paragraph marks are tracked
where only one version has them.

Across languages there is no word redline: a changed unit's old text (its own
language) is deleted whole and the new one inserted; an unchanged or renumbered unit
reads as the new text. Accept then gives the new version exactly; reject gives the
new version with each changed unit's old wording put back (not the old version).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .changes import Change, DiffResult
from .match import (ADDED, MERGED, MODIFIED, MOVED, REMOVED, RENUMBERED, SPLIT,
                    UNCHANGED, _lis_members)
from .redline import DEL, INS, KEEP, rebuild, redline

FROM, TO = "<", ">"     # moved away (old place), moved here (new place)
# Words deleted from a moved unit, shown at its new place: in neither version there.
GONE = "x"
_ACCEPTED = (KEEP, INS, TO)
_REJECTED = (KEEP, DEL, FROM)
_QUIET = (UNCHANGED, RENUMBERED)
_CJK_END = ("、", "．", "）", "。", "：")


@dataclass
class Piece:
    state: str
    text: str
    label: bool = False
    number: bool = False       # a number the other version lacks (Change.numbers)


@dataclass
class Para:
    pieces: list[Piece]
    mark: str                  # the paragraph mark's state
    kind: str                  # the unit's kind (title, chapter, clause, ...)
    level: int                 # heading level (1-3), 0 for body text
    change: Change
    role: str = ""             # "from"/"to": the old/new place of a moved unit
    first: bool = False        # first paragraph of its change at this place
    uid: str = ""              # the unit's id (new, else old)
    notes: list[str] = field(default_factory=list)


def unit_text(u) -> str:
    return u.heading if u.kind in ("part", "chapter", "section") and u.heading else u.text


def label_of(u, lang: str) -> str:
    """The unit's number as written, with the space the language puts after it."""
    n = u.number.strip()
    if not n:
        return ""
    return n if lang == "zh" or n.endswith(_CJK_END) else n + " "


def version_paragraphs(doc) -> list[str]:
    """The version's text as the tracked paragraphs read it: one per unit."""
    return [label_of(u, doc.lang) + unit_text(u) for u in doc.units]


def heading_levels(doc) -> dict[str, int]:
    """Word heading level per heading unit id: parts, chapters, sections and articles
    that head sub-units, levels in the order the document uses them (at most 3)."""
    parents = {u.parent for u in doc.units}
    heads = {}
    for u in doc.units:
        if u.kind in ("part", "chapter", "section"):
            heads[u.id] = u.kind
        elif u.kind == "article" and (not u.text or u.id in parents and len(u.text) <= 120
                                      and not u.text.rstrip().endswith((".", ";", "。"))):
            heads[u.id] = "article"
    order = [k for k in ("part", "chapter", "section", "article") if k in heads.values()]
    return {uid: min(order.index(k) + 1, 3) for uid, k in heads.items()}


def _runs(paras: list[Para], keep: tuple) -> list[str]:
    out, pending = [], ""
    for p in paras:
        pending += "".join(x.text for x in p.pieces if x.state in keep)
        if p.mark in keep:
            out.append(pending)
            pending = ""
    if pending:
        out.append(pending)
    return out


def accept(paras: list[Para]) -> list[str]:
    return _runs(paras, _ACCEPTED)


def reject(paras: list[Para]) -> list[str]:
    return _runs(paras, _REJECTED)


class _Builder:
    def __init__(self, result: DiffResult) -> None:
        self.old, self.new = result.old, result.new
        self.new_levels = heading_levels(self.new)
        self.old_levels = heading_levels(self.old)

    def _para(self, u, doc, change, pieces, mark, role="") -> Para:
        lv = (self.new_levels if doc is self.new else self.old_levels).get(u.id, 0)
        return Para(pieces, mark, u.kind, lv, change, role, uid=u.id)

    def whole(self, u, doc, state: str, change: Change, role: str = "") -> Para:
        """One unit of one version, all in one state (removed, added, moved away)."""
        pieces = [Piece(state, label_of(u, doc.lang), True)] if u.number.strip() else []
        pieces.append(Piece(state, unit_text(u)))
        return self._para(u, doc, change, pieces, state, role)

    def ops(self, c: Change, olds, news) -> list[list[str]]:
        a = "\n".join(unit_text(u) for u in olds)
        b = "\n".join(unit_text(u) for u in news)
        if c.cross:
            if c.kind in _QUIET:
                return [[KEEP, b]] if b else []
            return [op for op in ([DEL, a], [INS, b]) if op[1]]
        if rebuild(c.ops, "old") == a and rebuild(c.ops, "new") == b:
            return c.ops
        return redline(a, b)

    def group(self, c: Change, olds, news, moved_here: bool = False) -> list[Para]:
        """A change's units at one place, split into paragraphs where either version
        has a paragraph break (by offsets: a unit's own line break is not one)."""
        ops = self.ops(c, olds, news)
        spans = _number_spans(c, ops)
        ob = _breaks(unit_text(u) for u in olds)
        nb = _breaks(unit_text(u) for u in news)
        same_label = c.cross and [u.id for u in olds] == [u.id for u in news]
        if moved_here:
            # the old place holds the old text: here only the new text, as moved in
            ops = [[{KEEP: TO, INS: INS, DEL: GONE}[op], t] for op, t in ops]
            olds, ob = [], set()
        paras: list[Para] = []
        cur: list[Piece] = []
        ko = kn = 0                    # paragraphs of each version begun so far
        starts = (bool(olds), bool(news))
        oo = no = 0                    # offsets in the old and the new joined text

        def begin(start_old: bool, start_new: bool) -> None:
            nonlocal ko, kn
            u_old = olds[ko] if start_old and ko < len(olds) else None
            u_new = news[kn] if start_new and kn < len(news) else None
            lo = label_of(u_old, self.old.lang) if u_old else ""
            ln = label_of(u_new, self.new.lang) if u_new else ""
            if moved_here:
                if ln:
                    cur.append(Piece(TO, ln, True))
            elif u_old and u_new and (lo == ln or same_label):
                if ln:
                    cur.append(Piece(KEEP, ln, True))
            else:
                if lo:
                    cur.append(Piece(DEL, lo, True))
                if ln:
                    cur.append(Piece(INS, ln, True))
            ko += bool(u_old)
            kn += bool(u_new)

        def end(mark: str) -> None:
            u = news[kn - 1] if kn else olds[max(ko - 1, 0)]
            doc = self.new if kn else self.old
            paras.append(self._para(u, doc, c, list(cur), mark, "to" if moved_here else ""))
            cur.clear()

        begin(*starts)
        for op, text in ops:
            on_old = op in (KEEP, DEL)
            on_new = op in (KEEP, INS, TO)
            start = 0
            for i, ch in enumerate(text):
                bo = on_old and oo + i in ob
                bn = on_new and no + i in nb
                if not (bo or bn):
                    continue
                if i > start:
                    cur.extend(_cut(op, text, start, i, oo, no, spans))
                start = i + 1
                if bo and bn:
                    end(TO if moved_here else KEEP)
                    begin(True, True)
                elif bo:                # a break only the old version has
                    if op == KEEP:      # the new text has a line break here
                        cur.append(Piece(INS, "\n"))
                    end(DEL)
                    begin(True, False)
                else:                   # only the new version has it
                    if op == KEEP:
                        cur.append(Piece(DEL, "\n"))
                    end(TO if moved_here else INS)
                    begin(False, True)
            if start < len(text):
                cur.extend(_cut(op, text, start, len(text), oo, no, spans))
            oo += len(text) if on_old else 0
            no += len(text) if on_new else 0
        end(TO if moved_here else KEEP)
        return paras


def _number_spans(c: Change, ops) -> tuple[list, list]:
    """The changed numbers' spans in the old and new joined texts, where ``ops`` are
    the change's own (the spans index the texts they rebuild)."""
    nums = getattr(c, "numbers", None)
    if nums is None or not (rebuild(ops, "old") == rebuild(c.ops, "old")
                            and rebuild(ops, "new") == rebuild(c.ops, "new")):
        return [], []
    return list(nums.old_spans), list(nums.new_spans)


def _cut(op: str, text: str, a: int, b: int, oo: int, no: int, spans) -> list[Piece]:
    """``text[a:b]`` of one op as pieces, a changed number its own piece."""
    old_spans, new_spans = spans
    side = []
    if op in (KEEP, DEL):
        side += [(s - oo, e - oo) for s, e in old_spans]
    if op in (KEEP, INS, TO):
        side += [(s - no, e - no) for s, e in new_spans]
    cuts = sorted({x for s, e in side for x in (s, e) if a < x < b} | {a, b})
    out = []
    for x, y in zip(cuts, cuts[1:]):
        hit = any(s <= x and y <= e for s, e in side)
        if out and out[-1].number == hit:
            out[-1].text += text[x:y]
        else:
            out.append(Piece(op, text[x:y], number=hit))
    return out


def _breaks(texts) -> set[int]:
    """Offsets of the joining line breaks in "\\n".join(texts)."""
    out, pos = set(), 0
    texts = list(texts)
    for t in texts[:-1]:
        pos += len(t)
        out.add(pos)
        pos += 1
    return out


def _contiguous(pos: list[int]) -> bool:
    return pos == list(range(pos[0], pos[0] + len(pos)))


def tracked_paragraphs(result: DiffResult) -> list[Para]:
    """The whole document, both versions merged (see the module docstring)."""
    b = _Builder(result)
    old, new = result.old, result.new
    po = {u.id: k for k, u in enumerate(old.units)}
    pn = {u.id: k for k, u in enumerate(new.units)}
    anchors, moves, old_only, new_only = [], [], [], []
    for c in result.changes:
        olds = [old[i] for i in c.old]
        news = [new[i] for i in c.new]
        if olds and news and _contiguous([po[i] for i in c.old]) and \
                _contiguous([pn[i] for i in c.new]):
            (moves if c.kind == MOVED else anchors).append((c, olds, news))
        else:      # removed, added, or a group the two orders cannot hold together
            old_only += [(po[u.id], c, u) for u in olds]
            new_only += [(pn[u.id], c, u) for u in news]
    anchors.sort(key=lambda g: pn[g[2][0].id])
    keep = _lis_members([po[g[1][0].id] for g in anchors])
    for k, g in enumerate(anchors):
        if k not in keep:
            moves.append(g)
    anchors = [g for k, g in enumerate(anchors) if k in keep]
    # (position, order, paragraphs) for each version's own items
    olds_at = [(p, 0, [b.whole(u, old, DEL, c)])
               for p, c, u in old_only]
    news_at = [(p, 0, [b.whole(u, new, INS, c)]) for p, c, u in new_only]
    for c, olds, news in moves:
        here_from = [b.whole(u, old, FROM, c, "from") for u in olds]
        olds_at.append((po[olds[0].id], 0, here_from))
        news_at.append((pn[news[0].id], 1, b.group(c, olds, news, moved_here=True)))
    olds_at.sort(key=lambda x: x[:2])
    news_at.sort(key=lambda x: x[:2])
    out: list[Para] = []
    i = j = 0
    for c, olds, news in anchors + [(None, None, None)]:
        o_lim = po[olds[0].id] if c else len(old.units)
        n_lim = pn[news[0].id] if c else len(new.units)
        while i < len(olds_at) and olds_at[i][0] < o_lim:
            out += _first(olds_at[i][2])
            i += 1
        while j < len(news_at) and news_at[j][0] < n_lim:
            out += _first(news_at[j][2])
            j += 1
        if c is not None:
            out += _first(b.group(c, olds, news))
    return _last_mark_kept(out)


def _last_mark_kept(paras: list[Para]) -> list[Para]:
    """A document's last paragraph mark cannot be deleted or inserted (Word and
    LibreOffice keep it, leaving an empty paragraph): the tracked marks after the last
    kept one shift back one paragraph. Those paragraphs are whole units whose text is
    dropped with their mark, so accepting and rejecting read the same."""
    k = len(paras) - 1
    while k >= 0 and paras[k].mark != KEEP:
        k -= 1
    if k == len(paras) - 1 or k < 0:
        return paras
    marks = [p.mark for p in paras[k:]]
    for p, m in zip(paras[k:], marks[1:] + [KEEP]):
        p.mark = m
    return paras


def _first(paras: list[Para]) -> list[Para]:
    if paras:
        paras[0].first = True
    return paras


def change_note(c: Change, role: str = "") -> str:
    """What a change's comment says (its kind, ids, similarity, numbers)."""
    old, new = ", ".join(c.old), ", ".join(c.new)
    if role == "from":
        note = f"moved: old {old} is now {new}"
    elif c.kind == MOVED:
        note = f"moved here from old {old}" + (f" (now {new})" if old != new else "")
        note += edited_note(c)
    elif c.kind == RENUMBERED:
        note = f"renumbered: was {old}"
    elif c.kind == ADDED:
        note = "added"
    elif c.kind == REMOVED:
        note = f"removed (old {old})"
    elif c.kind in (SPLIT, MERGED):
        note = f"{c.kind}: old {old} → new {new}"
    elif c.kind == MODIFIED:
        note = "modified" + (f" (was {old})" if old != new else "")
    else:
        note = c.kind
    if c.old and c.new and c.kind != UNCHANGED:
        note += f"; similarity {c.similarity:.2f}"
    if c.confidence is not None:
        note += f"; confidence {c.confidence:.0%}"
    reason = getattr(c, "reason", "")
    nums = numbers_note(c)
    if nums and nums.split(": ", 1)[1] not in reason:
        note += nums
    return note + (f". {reason}" if reason and role != "from" else "")


def edited_note(c: Change) -> str:
    """A moved unit's word changes, in words (the deleted ones are not at its new
    place in the document)."""
    if c.cross:
        return ""
    gone = [t.strip() for op, t in c.ops if op == DEL and t.strip()]
    new = [t.strip() for op, t in c.ops if op == INS and t.strip()]
    if not gone and not new:
        return ""
    out = "; edited on the way"
    if gone:
        out += ": deleted " + ", ".join(f"«{t}»" for t in gone[:6]) + (" …" if len(gone) > 6 else "")
    if new:
        out += ("; inserted " if gone else ": inserted ") + ", ".join(f"«{t}»" for t in new[:6]) \
            + (" …" if len(new) > 6 else "")
    return out


def numbers_note(c: Change) -> str:
    """The numbers that differ between the two texts (highlighted in the text)."""
    nums = getattr(c, "numbers", None)
    return f"; numbers changed: {nums.describe()}" if nums else ""


__all__ = ["Para", "Piece", "tracked_paragraphs", "accept", "reject", "version_paragraphs",
           "heading_levels", "label_of", "unit_text", "change_note", "FROM", "TO",
           "GONE"]
