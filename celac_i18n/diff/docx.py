"""The diff as the negotiating text itself: the new version in Word with tracked changes.

The body is the document and nothing else: every unit of both versions as one
paragraph with its own label and text (diff/tracked.py merges the two), the title in
Word's Title style and chapters, sections and heading articles in Heading 1-3, so the
navigation pane shows the outline. Changes are Word revisions with an author and a
date: deleted words in ``w:del``, inserted ones in ``w:ins``, a removed or added unit
as a deleted or inserted paragraph (its mark tracked too), a split or merge as tracked
paragraph marks, a renumbered unit as its old label deleted and the new one inserted,
and a moved unit as ``w:moveFrom`` at its old place and ``w:moveTo`` at its new one (a
named move range pairs them; words dropped on the way are shown there as deleted
insertions, which neither Accept nor Reject keeps). Accept All gives exactly the new
version and Reject All exactly the old one (same language).

The report is not in the body: the summary is a comment on the title, each change
carries a comment (its kind, old id, similarity, changed numbers), and the document's
properties name both versions. Comments are not text, so accepting or rejecting
leaves the text exactly a version's. Across languages the body is the new version;
Reject All puts back each changed unit's old wording in its own language (see
diff/tracked.py), it does not give the old version.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape, quoteattr

from ..buildtime import build_time
from .changes import DiffResult
from .match import RENUMBERED, UNCHANGED
from .redline import DEL, INS, KEEP
from .tracked import FROM, GONE, TO, Para, change_note, tracked_paragraphs

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TAG = {INS: "ins", DEL: "del", FROM: "moveFrom", TO: "moveTo"}
_STYLE = {1: "Heading1", 2: "Heading2", 3: "Heading3"}


def default_author() -> str:
    """The user's name (login name), as Word takes it when nothing is set."""
    import getpass

    try:
        name = getpass.getuser()
    except Exception:          # no passwd entry and no LOGNAME/USER (containers)
        name = ""
    return name or "celac-i18n"


def revision_date() -> str:
    """The revisions' ``w:date``: ISO 8601 UTC (``SOURCE_DATE_EPOCH`` for reproducible builds)."""
    return build_time().strftime("%Y-%m-%dT%H:%M:%SZ")


class _Writer:
    def __init__(self, author: str, date: str) -> None:
        self.attrs = f'w:author={quoteattr(author)} w:date="{date}"'
        self.n = 100                 # revision ids; comments number from 0

    def rid(self) -> int:
        self.n += 1
        return self.n

    def runs(self, text: str, deleted: bool, number: bool = False) -> str:
        tag = "w:delText" if deleted else "w:t"
        parts = []
        for k, line in enumerate(text.split("\n")):
            if k:
                parts.append("<w:br/>")
            if line:
                parts.append(f'<{tag} xml:space="preserve">{escape(line)}</{tag}>')
        # a number the other version lacks is highlighted (and named in the comment)
        rpr = '<w:rPr><w:highlight w:val="yellow"/></w:rPr>' if number else ""
        return f"<w:r>{rpr}{''.join(parts)}</w:r>" if parts else ""

    def piece(self, pieces) -> str:
        """One revision holding a run of pieces in one state."""
        state = pieces[0].state
        if state == GONE:
            # Words a moved unit lost on the way: in neither version at the new place.
            # A deleted insertion would say so, but LibreOffice (7.4) flattens it and
            # keeps the words on Accept or Reject; they stay in the moveFrom text and
            # the move's comment names them.
            return ""
        body = "".join(self.runs(x.text, state in (DEL, FROM), x.number) for x in pieces)
        if state == KEEP or not body:
            return body
        tag = _TAG[state]
        return f'<w:{tag} w:id="{self.rid()}" {self.attrs}>{body}</w:{tag}>'

    def para(self, p: Para, before: str = "", after: str = "", comment: int | None = None) -> str:
        style = "Title" if p.kind == "title" else _STYLE.get(p.level)
        ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
        if p.mark != KEEP:
            # a moved paragraph's mark as a plain deletion/insertion: LibreOffice (7.4)
            # keeps a mark tracked as moveFrom/moveTo, leaving an empty paragraph
            tag = _TAG[{FROM: DEL, TO: INS}.get(p.mark, p.mark)]
            ppr += f'<w:rPr><w:{tag} w:id="{self.rid()}" {self.attrs}/></w:rPr>'
        body, k = [], 0
        while k < len(p.pieces):      # one revision per run of pieces in one state
            j = k
            while j < len(p.pieces) and p.pieces[j].state == p.pieces[k].state:
                j += 1
            body.append(self.piece(p.pieces[k:j]))
            k = j
        text = "".join(body)
        if comment is not None:
            text = (f'<w:commentRangeStart w:id="{comment}"/>{text}'
                    f'<w:commentRangeEnd w:id="{comment}"/>'
                    f'<w:r><w:commentReference w:id="{comment}"/></w:r>')
        return f"<w:p {W}>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{before}{text}{after}</w:p>"


def summary_text(result: DiffResult, old_name: str, new_name: str) -> str:
    s = result.summary
    counts = ", ".join(f"{k} {n}" for k, n in s["counts"].items() if n)
    lines = [f"Redline {old_name} ({s['old']['lang']}) → {new_name} ({s['new']['lang']}): "
             f"{counts}; {s['changed_share']:.1%} of the text changed."]
    for side, name in (("old", old_name), ("new", new_name)):
        d = result.old if side == "old" else result.new
        p = d.provenance
        lines.append(f"{side.upper()}: {name} — {p.kind or 'status not recorded'}"
                     + (f", SHA-256 {p.sha256}" if p.sha256 else ""))
    if result.old.lang == result.new.lang:
        lines.append("Accept All gives the new version's text, Reject All the old one's.")
    else:
        lines.append("Across languages: the text is the new version; a changed clause shows "
                     "its old wording (old language) deleted. Accept All gives the new "
                     "version; Reject All restores the old wording of changed clauses only.")
    lines.append(f"Signature: {result.signature}")
    return "\n".join(lines)


def render_docx(result: DiffResult, old_name: str = "OLD", new_name: str = "NEW",
                only: set[str] | None = None, author: str | None = None,
                date: str | None = None) -> bytes:
    """The .docx bytes: the whole document with every change tracked.

    ``only`` is accepted for the listing formats' sake and ignored: the document holds
    every change, or accepting it would not give the new version. ``author`` (default:
    the user's name) and ``date`` (default: now, UTC) go on every revision.
    """
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    author = author or default_author()
    date = date or revision_date()
    paras = tracked_paragraphs(result)
    d = docx.Document()
    cp = d.core_properties
    cp.title = f"{result.new.title or new_name}"
    cp.subject = f"Redline: {old_name} → {new_name}"
    cp.author = cp.last_modified_by = author
    cp.keywords = "redline, tracked changes, celac-i18n"
    summary = summary_text(result, old_name, new_name)
    cp.comments = summary.split("\n")[0][:255]
    body = d.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sect = body[-1]
    # further edits in Word are tracked too: the file stays a negotiating text
    settings = d.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        settings.insert(0, parse_xml(f"<w:trackRevisions {W}/>"))
    comments = d.comments
    initials = "".join(w[0] for w in author.split()[:3]).upper() or "C"

    def comment(text: str) -> int:
        cm = comments.add_comment(text, author=author, initials=initials)
        cm._comment_elm.set(qn("w:date"), date)
        return cm.comment_id

    w = _Writer(author, date)
    move_names: dict[int, tuple[str, int, int]] = {}
    for k, p in enumerate(paras):
        before = after = ""
        if p.role in ("from", "to") and p.first:
            key = id(p.change)
            if key not in move_names:
                move_names[key] = (f"move{len(move_names) + 1}", w.rid(), w.rid())
            name, rf, rt = move_names[key]
            rng = rf if p.role == "from" else rt
            tag = "moveFromRange" if p.role == "from" else "moveToRange"
            before = f'<w:{tag}Start w:id="{rng}" w:name="{name}" {w.attrs}/>'
        if p.role in ("from", "to") and (k + 1 == len(paras) or paras[k + 1].first
                                         or paras[k + 1].role != p.role):
            name, rf, rt = move_names[id(p.change)]
            tag = "moveFromRange" if p.role == "from" else "moveToRange"
            after = f'<w:{tag}End w:id="{rf if p.role == "from" else rt}"/>'
        cid = None
        if k == 0:
            cid = comment(summary)
        elif p.first and p.change.kind != UNCHANGED and not (
                p.change.cross and p.change.kind == RENUMBERED and p.mark == KEEP
                and all(x.state == KEEP for x in p.pieces)):
            cid = comment(change_note(p.change, p.role))
        sect.addprevious(parse_xml(w.para(p, before, after, cid)))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def body_paragraphs(data: bytes, mode: str) -> list[str]:
    """The body's paragraphs after Accept All (``mode="accept"``) or Reject All
    (``"reject"``), applied to the XML as Word does: revisions of the other kind are
    dropped, with their paragraph marks (a dropped mark joins two paragraphs)."""
    import docx
    from docx.oxml.ns import qn

    drop = {"accept": ("del", "moveFrom"), "reject": ("ins", "moveTo")}[mode]
    body = docx.Document(io.BytesIO(data)).element.body
    out, pending = [], ""

    def text(el, dropped: bool) -> str:
        parts = []
        for ch in el:
            tag = ch.tag.split("}")[1]
            if tag in ("del", "ins", "moveFrom", "moveTo"):
                parts.append(text(ch, dropped or tag in drop))
            elif tag == "r" and not dropped:
                for x in ch:
                    t = x.tag.split("}")[1]
                    if t in ("t", "delText"):
                        parts.append(x.text or "")
                    elif t in ("br", "cr"):
                        parts.append("\n")
                    elif t == "tab":
                        parts.append("\t")
        return "".join(parts)

    for p in body.iter(qn("w:p")):
        pending += text(p, False)
        mark = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        gone = mark is not None and any(mark.find(qn(f"w:{t}")) is not None for t in drop)
        if not gone:
            out.append(pending)
            pending = ""
    if pending:
        out.append(pending)
    return out


def count_revisions(data: bytes) -> dict[str, int]:
    """Revisions in a .docx as python-docx reads it back: ins, del, moveFrom, moveTo
    (run-level; a tracked paragraph mark, inside w:rPr, goes with its runs)."""
    import docx

    body = docx.Document(io.BytesIO(data)).element.body
    return {k: len(body.xpath(f".//w:{k}[not(parent::w:rPr)]"))
            for k in ("ins", "del", "moveFrom", "moveTo")}


__all__ = ["render_docx", "body_paragraphs", "count_revisions", "default_author"]
