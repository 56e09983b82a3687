"""The diff's result: one Change per matched group of units, a summary, a signature.

A change is ``{"kind", "old": [ids], "new": [ids], "similarity", "ops"}``. ``ops`` is
the word redline (see redline.py) between the old text and the new text; for a split
or a merge the several units' texts are joined with a line break, in document order.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .. import __version__
from ..langs import CJK_CHARS
from ..model import Document
from .calibrate import Calibration
from .match import (ADDED, KINDS, MEASURE, MERGED, MODIFIED, MOVED, REMOVED, SPLIT,
                    UNCHANGED, Match, Thresholds, items_of, match_documents)
from .redline import DEL, INS, TOKENIZER, changed_chars, redline

NAME = "celac-i18n-diff"


@dataclass
class Change:
    kind: str
    old: list[str]
    new: list[str]
    similarity: float
    ops: list[list[str]]
    # Across languages: how sure a "modified" is (share of the pair's faithful
    # translations scoring above it), and the redline of the machine rendering used
    # for matching (never shown as the old text).
    confidence: float | None = None
    via_ops: list[list[str]] | None = None
    # Not serialised: what the summary and the HTML report need.
    old_chapters: list[str] = field(default_factory=list)
    new_chapters: list[str] = field(default_factory=list)
    chapter: str = ""

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "old": self.old, "new": self.new,
             "similarity": self.similarity if self.old and self.new else None,
             "ops": self.ops}
        if self.confidence is not None:
            d["confidence"] = self.confidence
        if self.via_ops is not None:
            d["via_ops"] = self.via_ops
        return d


@dataclass
class DiffResult:
    signature: str
    summary: dict
    changes: list[Change]
    old: Document
    new: Document

    def to_dict(self, only: set[str] | None = None) -> dict:
        return {"signature": self.signature, "summary": self.summary,
                "changes": [c.to_dict() for c in self.changes if not only or c.kind in only]}


def _joined(items) -> str:
    return "\n".join(it.text for it in items)


def _change(m: Match, shown: dict[str, str] | None = None,
            cal: Calibration | None = None) -> Change:
    """``shown``: uid -> the old text as the reader has it, when the matching ran on a
    machine rendering of it (across languages)."""
    new_text = _joined(m.new)
    if shown is None:
        ops, via_ops, conf = redline(_joined(m.old), new_text), None, None
    else:
        # The words of two languages do not line up: the old text as given is deleted
        # whole and the new one inserted whole; the word redline is the machine one.
        shown_old = "\n".join(shown[it.uid] for it in m.old)
        ops = [op for op in ([DEL, shown_old], [INS, new_text]) if op[1]]
        via_ops = redline(_joined(m.old), new_text)
        conf = (cal.of(m.old[0].head).confidence(m.similarity)
                if m.kind == MODIFIED and cal else None)
    return Change(m.kind, [it.uid for it in m.old], [it.uid for it in m.new],
                  round(m.similarity, 4), ops, conf, via_ops,
                  [it.chapter for it in m.old], [it.chapter for it in m.new])


def _order(matches: list[Match]) -> list[Match]:
    """New document order; a removed unit goes right after its old predecessor's change."""
    placed = {}
    for m in matches:
        if m.new:
            placed[id(m)] = (min(it.idx for it in m.new), 0, 0)
    old_key = {}
    for m in matches:
        for it in m.old:
            old_key[it.idx] = m
    last = (-1, 0, 0)
    for idx in sorted(old_key):
        m = old_key[idx]
        if id(m) in placed and m.new:
            last = placed[id(m)]
        elif id(m) not in placed:
            placed[id(m)] = (last[0], 1, idx)
    return sorted(matches, key=lambda m: placed[id(m)])


def move_stubs(result: "DiffResult", only: set[str] | None = None) -> dict:
    """Where each moved unit used to be, for the moved-from mark: ``{id(change): [moved
    changes whose old place follows that change]}``; key ``None`` for the very start.
    A unit's old place is right after the change holding its old predecessor."""
    old_units = [u.id for u in result.old.units]
    pos = {uid: k for k, uid in enumerate(old_units)}
    holder = {o: c for c in result.changes for o in c.old}
    stubs: dict = {}
    for c in result.changes:
        if c.kind == MOVED and (not only or MOVED in only):
            k = pos[c.old[0]]
            prev = holder.get(old_units[k - 1]) if k > 0 else None
            # a predecessor that moved too is not where this one was: walk back
            while prev is not None and prev.kind == MOVED and k > 0:
                k -= 1
                prev = holder.get(old_units[k - 1]) if k > 0 else None
            stubs.setdefault(id(prev) if prev is not None else None, []).append(c)
    return stubs


def _chapter_map(changes: list[Change]) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in changes:
        if len(c.old) == 1 and len(c.new) == 1:
            votes[c.old_chapters[0]][c.new_chapters[0]] += 1
    return {o: v.most_common(1)[0][0] for o, v in votes.items()}


def _empty_counts() -> dict[str, int]:
    return {k: 0 for k in KINDS}


def summarize(changes: list[Change], old: Document, new: Document,
              cal: Calibration | None = None) -> dict:
    cmap = _chapter_map(changes)
    groups: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        if c.new_chapters:
            c.chapter = c.new_chapters[0]
        else:
            mapped = cmap.get(c.old_chapters[0])
            c.chapter = mapped if mapped else f"old:{c.old_chapters[0]}"
        groups[c.chapter].append(c)

    def stats(cs: list[Change]) -> dict:
        counts = _empty_counts()
        ch = tot = 0
        for c in cs:
            counts[c.kind] += 1
            if c.via_ops is None:
                a, b = changed_chars(c.ops)
            else:
                # Across languages the words always differ: count the machine
                # rendering's changes, and only in clauses whose content changed.
                a, b = changed_chars(c.via_ops)
                if c.kind in (UNCHANGED, "renumbered") or (
                        c.kind == MOVED and c.similarity >= cal.reword):
                    a = 0
            ch, tot = ch + a, tot + b
        return {"counts": counts, "changed_share": round(ch / tot, 4) if tot else 0.0}

    chapters = []
    old_pos = {u.id: k for k, u in enumerate(old.units)}
    for key in dict.fromkeys([c.chapter for c in changes]):
        head_new = new.get(key)
        # The old chapters that mostly went here (a clause moved in from elsewhere
        # does not make its chapter a predecessor of this one).
        old_ids = sorted({o for o, n in cmap.items() if n == key} |
                         ({key[4:]} if key.startswith("old:") else set()),
                         key=lambda x: (old_pos.get(x, -1), x))
        src = old.get(key[4:]) if key.startswith("old:") else head_new
        chapters.append({"chapter": key, "old_chapters": old_ids,
                         "heading": (src.heading or src.text) if src else "",
                         **stats(groups[key])})
    return {
        "old": _doc_info(old), "new": _doc_info(new),
        **stats(changes),
        "chapters": chapters,
        "key_terms": key_terms(old, new),
    }


def document_name(doc: Document) -> str:
    """A document's corpus reference, else its file name: never a path."""
    from pathlib import PurePath

    p = doc.provenance
    ref = (p.extra or {}).get("ref")
    if ref:
        return str(ref)
    name = PurePath(str(p.source)).name if p.source else ""
    return name or str(p.source)


def _doc_info(doc: Document) -> dict:
    p = doc.provenance
    info = {"source": document_name(doc), "lang": doc.lang, "kind": p.kind, "plan": p.plan,
            "units": len(doc.units), "clauses": len(doc.clauses())}
    if p.kind == "machine" or p.extra.get("engine"):
        info["machine_rendering"] = {"engine": p.extra.get("engine"),
                                     "from": p.extra.get("translated_from")}
    return info


_WORD = re.compile(r"[^\W\d_][\w'-]{3,}")
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


def _text(doc: Document) -> str:
    return "\n".join(u.text for u in doc.units)


def _content_counts(text: str, lang: str) -> Counter:
    if lang in ("zh", "ja"):
        # No word boundaries: character bigrams inside CJK runs stand in for words.
        return Counter(run[i:i + 2] for run in _CJK_RUN.findall(text)
                       for i in range(len(run) - 1))
    return Counter(w.lower() for w in _WORD.findall(text))


def key_terms(old: Document, new: Document, top: int = 15) -> dict:
    """Termbase terms and frequent content words that occur in only one version."""
    from ..errors import UserError
    from ..termbase import load_termbase

    to, tn = _text(old), _text(new)
    terms = {"only_old": [], "only_new": []}
    try:
        base = load_termbase()
    except UserError:
        base = ()
    count_old = _term_counts(base, to, old.lang)
    count_new = _term_counts(base, tn, new.lang)
    for t in base:
        fo, fn = t.forms(old.lang), t.forms(new.lang)
        if not fo or not fn:
            continue
        a, b = count_old.get(t.id, 0), count_new.get(t.id, 0)
        if a and not b:
            terms["only_old"].append({"id": t.id, "term": fo[0], "count": a})
        elif b and not a:
            terms["only_new"].append({"id": t.id, "term": fn[0], "count": b})
    if old.lang != new.lang:
        # Words of two languages never match; only the termbase's terms compare.
        return {"terms": terms, "words": {"only_old": [], "only_new": []}}
    co, cn = _content_counts(to, old.lang), _content_counts(tn, new.lang)
    words = {
        "only_old": [[w, n] for w, n in sorted(co.items(), key=lambda x: (-x[1], x[0]))
                     if w not in cn][:top],
        "only_new": [[w, n] for w, n in sorted(cn.items(), key=lambda x: (-x[1], x[0]))
                     if w not in co][:top],
    }
    return {"terms": terms, "words": words}


def _term_counts(base, text: str, lang: str) -> Counter:
    """Non-overlapping occurrences of each term (any of its forms) in ``text``.

    Forms match as the QA checks match them (``qa.textmatch.term_regex``: case, spaced
    or unspaced dashes, line-wrap whitespace, bracket width), so "China-CELAC" in one
    version and "China - CELAC" in the other is not a difference. The regex only runs
    in short windows around the hits of the form's longest word (``str.find``): over
    a whole 2,500-clause text each form's regex took ~25 ms, 25 s for the termbase.
    """
    from ..qa.textmatch import strip_article, term_regex

    mode = "zh" if lang in ("zh", "ja") else lang   # no word boundaries in CJK
    low = text.lower()
    aligned = len(low) == len(text)                 # lower() kept every offset
    out: Counter = Counter()
    for t in base:
        spans = set()
        for form in t.forms(lang):
            words = re.findall(r"\w+", strip_article(form, mode).lower())
            key = max(words, key=len) if words else ""
            if not form or (key and key not in low):
                continue
            rx = term_regex(form, mode)
            # room for the form's spelling noise (spaces around dashes, wraps) each side
            at = strip_article(form, mode).lower().find(key)
            room = 2 * len(form) + 16
            wins = (_windows(low, key, 2 * max(at, 0) + 16, room) if key and aligned
                    else [(0, len(text))])
            for a, b in wins:
                # a match that ends at b was cut there: its look-ahead saw no text
                spans.update(m.span() for m in rx.finditer(text, a, b)
                             if m.end() > m.start() and (m.end() < b or b == len(text)))
        # one sweep: an occurrence starting inside one already counted is the same one
        n, end = 0, -1
        for a, b in sorted(spans, key=lambda sp: (sp[0], -sp[1])):
            if a >= end:
                n += 1
                end = b
            else:
                end = max(end, b)
        if n:
            out[t.id] = n
    return out


def _windows(low: str, key: str, before: int, after: int) -> list[tuple[int, int]]:
    """Merged spans from ``before`` characters ahead of each hit of ``key`` to
    ``after`` characters past it."""
    out: list[tuple[int, int]] = []
    at = low.find(key)
    while at >= 0:
        a, b = max(0, at - before), min(len(low), at + after)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
        at = low.find(key, at + 1)
    return out


def signature(th: Thresholds, cal: Calibration, old: Document, new: Document,
              via: str | None) -> str:
    return "|".join([
        f"{NAME}:{__version__}", f"measure:{MEASURE}", th.signature(), cal.signature(),
        f"redline:{TOKENIZER}", f"lang:{old.lang}>{new.lang}", f"via:{via or 'none'}",
        f"old:{(old.provenance.sha256 or 'nohash')[:12]}",
        f"new:{(new.provenance.sha256 or 'nohash')[:12]}"])


def diff_documents(old: Document, new: Document, th: Thresholds | None = None, *,
                   via: str | None = None, rendered: Document | None = None) -> DiffResult:
    """Clause-level diff of two versions of a plan.

    In one language the texts are compared as they are. Across languages pass
    ``rendered``, ``old`` rendered into ``new``'s language by the engine ``via`` (same
    ids): matching runs on it, with thresholds calibrated for that pair, while every
    change shows ``old``'s own text; the machine redline is kept in ``via_ops``.
    """
    from ..errors import UserError

    cross = rendered is not None
    if not cross and old.lang != new.lang and "und" not in (old.lang, new.lang):
        raise UserError(f"the versions are in '{old.lang}' and '{new.lang}': compare a "
                        "machine rendering of one in the other's language (--via)")
    th = th or Thresholds()
    matches, cal = match_documents(rendered if cross else old, new, th, cross=cross)
    matches = _order(matches)
    shown = None
    if cross:
        shown = {it.uid: it.text for part in items_of(old) for it in part}
    changes = [_change(m, shown, cal) for m in matches]
    summary = summarize(changes, old, new, cal)
    summary["calibration"] = cal.to_dict()
    if cross:
        summary["via"] = {"engine": via or rendered.provenance.extra.get("engine") or "?",
                          "note": "the old version was matched through a machine rendering "
                          "into the new version's language; the old text shown is the "
                          "version as given, the machine text is in via_ops only"}
    return DiffResult(signature(th, cal, old, new, via), summary, changes, old, new)


__all__ = ["Change", "DiffResult", "diff_documents", "summarize", "key_terms", "ADDED",
           "REMOVED", "SPLIT", "MERGED", "MOVED", "UNCHANGED"]
