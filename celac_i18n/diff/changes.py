"""The diff's result: one Change per matched group of units, a summary, a signature.

A change is ``{"kind", "old": [ids], "new": [ids], "similarity", "ops"}``. ``ops`` is
the word redline (see redline.py) between the old text and the new text; for a split
or a merge the several units' texts are joined with a line break, in document order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..version import __version__
from ..model import Document
from .calibrate import Calibration
from .ignore import filter_ops, normalized_document, normalizer
from .match import (ADDED, KINDS, MEASURE, MERGED, MODIFIED, MOVED, PROGRESS_EVERY,
                    REMOVED, RENUMBERED, SPLIT, UNCHANGED, Match, Thresholds, items_of,
                    match_documents, report_progress)
from .numbers import NumberDiff, compare_numbers
from .redline import DEL, INS, KEEP, TOKENIZER, changed_chars, redline
from .terms import key_terms

NAME = "celac-i18n-diff"


@dataclass(slots=True)
class Change:
    kind: str
    old: list[str]
    new: list[str]
    similarity: float
    ops: list[list[str]]
    # Across languages: how sure a "modified" is (share of the pair's faithful
    # translations scoring above it), and (machine rendering of the old text, new
    # text): their redline is ``via_ops`` (never shown as the old text).
    confidence: float | None = None
    via: tuple[str, str] | None = None
    # A one-to-one pair held by its place and number alone (its text rewritten), and
    # whether the two texts are in different languages (no word redline: ``ops`` is
    # the old text deleted whole and the new one inserted whole, shown side by side).
    rewritten: bool = False
    cross: bool = False
    # Why the change has its kind (a sentence a reader can check), the numbers that
    # differ between its two sides (numbers.NumberDiff: written forms and spans in the
    # texts ``ops`` rebuild) and, across languages through a rendering with the meaning
    # cue on, both similarities ({"via": ..., "meaning": ...}).
    reason: str = ""
    numbers: "NumberDiff | None" = None
    cues: dict | None = None
    # Not serialised: what the summary and the HTML report need.
    old_chapters: list[str] = field(default_factory=list)
    new_chapters: list[str] = field(default_factory=list)
    chapter: str = ""
    head: bool = False
    _via_ops: list[list[str]] | None = field(default=None, repr=False, compare=False)
    _norm: object = field(default=None, repr=False, compare=False)

    @property
    def via_ops(self) -> list[list[str]] | None:
        """The machine rendering's word redline against the new text (across
        languages), made when first asked for: only JSON output and the changed share
        of units whose content changed read it, and across languages every unit has
        one (half of a 10,000-clause diff when all were made up front)."""
        if self._via_ops is None and self.via is not None:
            ops = redline(*self.via, exact=False)
            self._via_ops = filter_ops(ops, self._norm) if self._norm else ops
        return self._via_ops

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "old": self.old, "new": self.new,
             "similarity": self.similarity if self.old and self.new else None,
             "ops": self.ops}
        if self.confidence is not None:
            d["confidence"] = self.confidence
        if self.rewritten:
            d["rewritten"] = True
        if self.cross and self.via is None:
            d["side_by_side"] = True
        if self.via is not None:
            d["via_ops"] = self.via_ops
        if self.reason:
            d["reason"] = self.reason
        if self.numbers is not None:
            d["numbers"] = self.numbers.to_dict()
        if self.cues:
            d["cues"] = self.cues
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

    def json_chunks(self, only: set[str] | None = None):
        """``json.dumps(self.to_dict(only), ensure_ascii=False, indent=1) + "\\n"`` in
        pieces, one change at a time: the whole document as one string (and the
        encoder's list of pieces behind it) was the peak of a large diff, ~50 bytes
        per input character."""
        import json

        enc = json.JSONEncoder(ensure_ascii=False, indent=1)
        buf: list[str] = []
        # the head's closing "\n}" is cut off: "changes" follows inside it
        for piece in enc.iterencode({"signature": self.signature, "summary": self.summary}):
            buf.append(piece)
            if len(buf) >= 4096:
                yield "".join(buf[:-2])
                del buf[:-2]
        head = "".join(buf)
        if not head.endswith("\n}"):
            raise AssertionError("json head: " + head[-20:])
        yield head[:-2]
        first = True
        for c in self.changes:
            if only and c.kind not in only:
                continue
            # a change sits two levels down; a newline in a JSON text is always the
            # encoder's own (a newline inside a string is written \\n)
            yield (',\n "changes": [\n  ' if first else ",\n  ") + \
                enc.encode(c.to_dict()).replace("\n", "\n  ")
            first = False
        yield ',\n "changes": []\n}\n' if first else "\n ]\n}\n"

    def jsonl_lines(self, only: set[str] | None = None):
        """The JSON lines form: the signature and summary, then one change a line."""
        import json

        yield json.dumps({"signature": self.signature, "summary": self.summary},
                         ensure_ascii=False) + "\n"
        for c in self.changes:
            if not only or c.kind in only:
                yield json.dumps(c.to_dict(), ensure_ascii=False) + "\n"


@dataclass
class _Texts:
    """What a change is built from: the versions' texts as given (by uid), OLD's
    machine rendering (across languages through an engine), the documents'
    languages, and what the comparison ignores."""

    old: dict[str, str]
    new: dict[str, str]
    old_lang: str
    new_lang: str
    rendered: dict[str, str] | None = None
    norm: object = None
    ignore: tuple = ()

    def joined(self, side: str, ids: list[str]) -> str:
        texts = self.old if side == "old" else self.new if side == "new" else self.rendered
        return "\n".join(texts[u] for u in ids)


def _change(m: Match, t: _Texts, cal: Calibration | None = None,
            meaning: bool = False) -> Change:
    """One change from one match. The matching may have run on normalised texts (the
    ignore set) or on a machine rendering of OLD; the change shows the texts as given.
    ``meaning``: the two texts are in different languages and were matched by meaning
    (no rendering)."""
    old_ids, new_ids = [it.uid for it in m.old], [it.uid for it in m.new]
    old_text, new_text = t.joined("old", old_ids), t.joined("new", new_ids)
    via, conf = None, None
    if meaning or t.rendered is not None:
        # The words of two languages do not line up: both texts whole, side by side;
        # through an engine the word redline is the machine one (via_ops).
        ops = [op for op in ([DEL, old_text], [INS, new_text]) if op[1]]
        if t.rendered is not None:
            via = (t.joined("rendered", old_ids), new_text)
        conf = (cal.of(m.old[0].head).confidence(m.similarity)
                if m.kind == MODIFIED and cal else None)
    else:
        ops = redline(old_text, new_text)
    head = bool((m.old or m.new)[0].head)
    return Change(m.kind, old_ids, new_ids, round(m.similarity, 4), ops, conf, via,
                  m.rewritten, meaning or t.rendered is not None,
                  old_chapters=[it.chapter for it in m.old],
                  new_chapters=[it.chapter for it in m.new], head=head, _norm=t.norm)


def _nothing_in_common(matches: list[Match]) -> list[Match]:
    """Two versions that share no unit: a pair held by its place alone (rewritten,
    match._rewritten) is then no pair (two novels' first paragraphs are not one
    rewritten clause): each side is removed and added."""
    if any(m.old and m.new and not m.rewritten for m in matches):
        return matches
    out = []
    for m in matches:
        if m.rewritten:
            out += [Match(REMOVED, m.old, [], 0.0), Match(ADDED, [], m.new, 0.0)]
        else:
            out.append(m)
    return out


def _kept(c: Change) -> str:
    """The kind of a one-to-one pair whose content is kept (same id or in place)."""
    return UNCHANGED if c.old == c.new else RENUMBERED


def judge(c: Change, t: _Texts, cal: Calibration, cue=None, engine: str = "") -> None:
    """Settle a change's kind with the cues the matcher does not have, and say why.

    - ``numbering`` ignored: a renumbered clause is unchanged;
    - across languages through a rendering, the meaning cue (noise.py): a "modified"
      pair whose meaning reaches the pair's faithful level and whose numbers agree is
      translation noise, kept;
    - the numbers (numbers.py), in every mode: a pair whose numbers differ is never
      unchanged or renumbered; it is modified, with the numbers named;
    - the ignore set on the word redline (same language): runs equal once normalised
      are shown as kept; a clause with a number difference keeps its full redline.
    """
    pair = bool(c.old and c.new)
    nums = None
    if pair:
        nums = compare_numbers(t.joined("old", c.old), t.old_lang,
                               t.joined("new", c.new), t.new_lang)
    c.numbers = nums
    if c.kind == RENUMBERED and "numbering" in t.ignore:
        c.kind = UNCHANGED
    lvl = cal.of(c.head).reword
    noise = False
    ms = cue.similarity(c.old[0], c.new[0]) if cue is not None and pair else None
    if ms is not None and len(c.old) == len(c.new) == 1:
        c.cues = {"via": c.similarity, "meaning": round(ms, 4)}
        if c.kind == MODIFIED and nums is None and cue.faithful(ms, c.head):
            noise = True
            c.kind = _kept(c) if "numbering" not in t.ignore else UNCHANGED
            c.rewritten = False
            c.confidence = None
    if nums is not None and c.kind in (UNCHANGED, RENUMBERED):
        c.kind = MODIFIED
    if t.norm and not c.cross and nums is None:
        c.ops = filter_ops(c.ops, t.norm)
        if c.kind in (UNCHANGED, RENUMBERED) and any(op != KEEP for op, _ in c.ops):
            c.ops = [[KEEP, t.joined("new", c.new)]]
    c.reason = _reason(c, cal, lvl, cue, noise, engine, t)


def _reason(c: Change, cal: Calibration, lvl: float, cue, noise: bool, engine: str,
            t: _Texts) -> str:
    sim = f"{c.similarity:.2f}"
    by = f"through {engine}" if engine else f"by meaning ({cal.measure})"
    nums = f"numbers differ: {c.numbers.describe()}" if c.numbers else ""
    ign = f" once {', '.join(t.ignore)} are ignored" if t.ignore else ""
    if c.kind in (UNCHANGED, RENUMBERED):
        if noise:
            m = c.cues["meaning"]
            lv = cue.head_level if c.head else cue.level
            what = (f"translation noise: the machine rendering scores {sim} (below "
                    f"{lvl:.2f}, this pair's level for a faithful translation {by}) but "
                    f"the meaning scores {m:.2f} (faithful from {lv:.2f}, {cue.name}) and "
                    "the numbers agree")
        elif c.cross:
            what = (f"a faithful translation: similarity {sim} {by}, at or above {lvl:.2f} "
                    "(this pair's level, measured on the two documents); numbers agree")
        else:
            what = "same text" + ign
        if c.kind == RENUMBERED:
            return (f"renumbered {', '.join(c.old)} → {', '.join(c.new)} ({what}): check "
                    "cross-references to it")
        if c.old != c.new:
            return f"{what}; its number {', '.join(c.old)} → {', '.join(c.new)} is ignored"
        return what
    if c.kind == MODIFIED:
        if c.numbers and (c.similarity >= lvl or not c.cross) and not c.rewritten:
            return nums + ("" if not c.cross else
                           f"; the wording scores {sim} {by}, a faithful translation's level")
        why = ("rewritten at its place: the texts share little (similarity "
               f"{sim})" if c.rewritten else
               f"similarity {sim} {by}, below {lvl:.2f} (this pair's level for a faithful "
               "translation)" if c.cross else f"text changed{ign} (similarity {sim})")
        if c.cues and "meaning" in c.cues:
            why += f"; meaning {c.cues['meaning']:.2f} (a faithful translation from " \
                   f"{(cue.head_level if c.head else cue.level):.2f})"
        return why + (f"; {nums}" if nums else "")
    extra = f"; {nums}" if nums else ""
    if c.kind == MOVED:
        return (f"moved: {', '.join(c.old)} → {', '.join(c.new)} is out of its old order or "
                f"chapter (similarity {sim}){extra}")
    if c.kind == SPLIT:
        return f"its content went into {len(c.new)} units (similarity {sim}){extra}"
    if c.kind == MERGED:
        return f"{len(c.old)} units joined into one (similarity {sim}){extra}"
    if c.kind == ADDED:
        return "no counterpart in the old version"
    return "no counterpart in the new version"


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


def _reporting(items: list, what: str):
    """``items`` one by one, the step's progress reported every PROGRESS_EVERY of them
    (only when there are more: a plan-sized diff shows no bar)."""
    n = len(items)
    for k, it in enumerate(items):
        if k % PROGRESS_EVERY == 0 and n > PROGRESS_EVERY:
            report_progress(what, k, n)
        yield it


def _chapter_map(changes: list[Change]) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in changes:
        if len(c.old) == 1 and len(c.new) == 1:
            votes[c.old_chapters[0]][c.new_chapters[0]] += 1
    return {o: v.most_common(1)[0][0] for o, v in votes.items()}


def _empty_counts() -> dict[str, int]:
    return {k: 0 for k in KINDS}


def summarize(changes: list[Change], old: Document, new: Document,
              cal: Calibration | None = None, termbase=()) -> dict:
    # the key terms' counters first: their peak is then not on top of the chapters'
    # rows (one per numbered line in a large diff of lines)
    terms = key_terms(old, new, termbase)
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
            if c.cross and c.via is None:
                # By meaning, with no rendering: a unit whose content is kept counts
                # as unchanged text, any other as changed whole.
                b = sum(len(t) for _, t in c.ops)
                kept = c.kind in (UNCHANGED, "renumbered") or (
                    c.kind == MOVED and c.similarity >= cal.of(False).reword)
                a = 0 if kept else b
            elif c.via is None:
                a, b = changed_chars(c.ops)
            elif c.kind in (UNCHANGED, "renumbered") or (
                    c.kind == MOVED and c.similarity >= cal.reword):
                # Across languages the words always differ: count the machine
                # rendering's changes, and only in clauses whose content changed
                # (both texts whole in the total; no redline needed for that).
                a, b = 0, len(c.via[0]) + len(c.via[1])
            else:
                a, b = changed_chars(c.via_ops)
            ch, tot = ch + a, tot + b
        return {"counts": counts, "changed_share": round(ch / tot, 4) if tot else 0.0}

    chapters = []
    old_pos = {u.id: k for k, u in enumerate(old.units)}
    # new chapter -> the old chapters that mostly went there, inverted once (a lookup
    # per chapter was quadratic when every numbered line is a chapter of its own)
    came_from: dict[str, set[str]] = defaultdict(set)
    for o, n in cmap.items():
        came_from[n].add(o)
    for key in _reporting(list(dict.fromkeys([c.chapter for c in changes])),
                          "diff: summary by chapter"):
        head_new = new.get(key)
        # The old chapters that mostly went here (a clause moved in from elsewhere
        # does not make its chapter a predecessor of this one).
        old_ids = sorted(came_from.get(key, set()) |
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
        "key_terms": terms,
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


NUMBERS_CUE = "qa-numbers-1"


def signature(th: Thresholds, cal: Calibration, old: Document, new: Document,
              via: str | None, termbase: str, ignore: tuple = (), cue=None):
    from ..signature import Signature

    return Signature({
        NAME: __version__, "measure": cal.measure or MEASURE, "thresholds": th.signature(),
        "calibration": cal.signature(), "redline": TOKENIZER,
        "lang": f"{old.lang}>{new.lang}", "via": via or "none",
        "numbers": NUMBERS_CUE, "ignore": ",".join(ignore) or "none",
        "noise": f"{cue.name}:{cue.level:.3f}/{cue.head_level:.3f}" if cue else "none",
        "termbase": termbase,
        "old": (old.provenance.sha256 or "nohash")[:12],
        "new": (new.provenance.sha256 or "nohash")[:12]})


def diff_documents(old: Document, new: Document, th: Thresholds | None = None, *,
                   via: str | None = None, rendered: Document | None = None,
                   termbase=None, semantic=None, ignore: tuple = ()) -> DiffResult:
    """Clause-level diff of two versions of a plan, with a word-level redline.

    In one language the texts are compared as they are. Across languages pass
    ``rendered``, ``old`` rendered into ``new``'s language by the engine ``via`` (same
    ids): matching runs on it, with thresholds calibrated for that pair, while every
    change shows ``old``'s own text; the machine redline is kept in ``via_ops``.

    Args:
        old, new: the two versions (``Document``s).
        th: matching ``Thresholds`` (default: calibrated on the pair).
        via: the engine that made ``rendered`` (recorded in the signature).
        rendered: ``old`` translated into ``new``'s language, for a diff across
            languages.
        termbase: a ``termbase.Termbase`` for the key terms found in only one version
            (default: the shipped one).
        semantic: a ``semantic.Semantic`` layer: two versions in different languages
            with no ``rendered`` are matched by meaning (thresholds calibrated on the
            pair's embedding similarities); each change shows both texts whole.
            With ``rendered`` it is the second cue that tells translation noise
            from a real change (noise.py).
        ignore: what the comparison ignores (ignore.IGNORES: case, punctuation,
            quotes, whitespace, numbering).

    Every paired change's numbers are compared (numbers.py), in every mode: a clause
    whose numbers differ is never unchanged; its ``numbers`` name them.

    Returns:
        A ``DiffResult``: one ``Change`` per matched group (unchanged, renumbered,
        modified, moved, split, merged, added, removed) with the old and new ids, the
        similarity and the redline operations; a summary by kind; and a signature.
    """
    from ..errors import UserError
    from ..termbase import default_termbase

    termbase = default_termbase() if termbase is None else termbase
    cross = rendered is not None
    # (a version with no units, an empty file, has nothing to match: all added/removed)
    two_langs = old.lang != new.lang and "und" not in (old.lang, new.lang) and \
        bool(old.units and new.units)
    meaning = None
    if not cross and two_langs:
        if semantic is None:
            raise UserError(f"the versions are in '{old.lang}' and '{new.lang}': compare a "
                            "machine rendering of one in the other's language (--via)")
        from .meaning import Meaning
        meaning = Meaning(semantic, old.lang, new.lang)
    th = th or Thresholds()
    if not two_langs and "positional" in (old.provenance.extra.get("ids"),
                                          new.provenance.extra.get("ids")):
        # Paragraphs numbered by position (a text with no numbering): the same "id"
        # is no evidence, so a same-place pair must share something
        from dataclasses import replace as _replace

        from .calibrate import SHARES_NOTHING
        th = _replace(th, floor_min=max(th.floor_min, SHARES_NOTHING))
    ignore = tuple(ignore or ())
    norm = normalizer(ignore)
    m_old, m_new = (rendered if cross else old), new
    if norm is not None:
        m_old, m_new = normalized_document(m_old, norm), normalized_document(new, norm)
    matches, cal = match_documents(m_old, m_new, th, cross=cross, meaning=meaning)
    matches = _order(_nothing_in_common(matches))

    def texts(doc):
        return {it.uid: it.text for part in items_of(doc) for it in part}

    def matched(side):
        # the matched items' own texts when they are the versions as given (no copy:
        # a large diff holds every text once)
        return {it.uid: it.text for m in matches for it in getattr(m, side)}
    as_given = norm is None and not cross
    t = _Texts(matched("old") if as_given else texts(old),
               matched("new") if norm is None else texts(new), old.lang, new.lang,
               matched("old") if cross and norm is None else
               texts(rendered) if cross else None, norm, ignore)
    engine = (via or rendered.provenance.extra.get("engine") or "?") if cross else ""
    changes = [_change(m, t, cal, meaning is not None)
               for m in _reporting(matches, "diff: redlines")]
    cue = None
    # the meaning cue settles the one-to-one pairs the rendering calls modified
    unsure = [c for c in changes if c.kind == MODIFIED and len(c.old) == len(c.new) == 1]
    if cross and semantic is not None and two_langs and unsure:
        from .noise import MeaningCue
        cue = MeaningCue.measure(semantic, old, new, th)
        if cue is not None:
            cue.prepare([(c.old[0], t.old[c.old[0]], c.new[0], t.new[c.new[0]])
                         for c in unsure])
    for c in _reporting(changes, "diff: checks (numbers, reasons)"):
        judge(c, t, cal, cue, engine)
    # the matcher's items (their normalised texts) are no longer needed: freed before
    # the summary, which is a large diff's last peak
    del matches, t, unsure
    summary = summarize(changes, old, new, cal, termbase)
    summary["calibration"] = cal.to_dict()
    summary["ignore"] = list(ignore)
    summary["numbers"] = [{"old": c.old, "new": c.new, "kind": c.kind,
                           "numbers": c.numbers.to_dict()} for c in changes if c.numbers]
    summary["renumbered"] = [{"old": c.old, "new": c.new, "kind": c.kind}
                             for c in changes if c.old and c.new and c.old != c.new
                             and c.kind in (RENUMBERED, MODIFIED, MOVED)]
    if cue is not None:
        summary["noise"] = cue.to_dict()
    if cross or meaning is not None:
        summary["across"] = {
            "langs": f"{old.lang}>{new.lang}", "measure": cal.measure,
            "engine": (via or rendered.provenance.extra.get("engine") or "?") if cross
            else None,
            "note": "the two versions are in different languages: each change shows the "
                    "old text as given beside the new one" + (
                        "; the word redline is on the machine rendering (via_ops)"
                        if cross else "; no word redline is possible across languages, "
                        "clauses were matched by meaning (" + cal.measure + ")")}
    if cross:
        summary["via"] = {"engine": via or rendered.provenance.extra.get("engine") or "?",
                          "note": "the old version was matched through a machine rendering "
                          "into the new version's language; the old text shown is the "
                          "version as given, the machine text is in via_ops only"}
    return DiffResult(signature(th, cal, old, new, via, getattr(termbase, "fingerprint", "none"),
                                ignore, cue), summary, changes, old, new)


__all__ = ["Change", "DiffResult", "diff_documents", "summarize", "key_terms", "ADDED",
           "REMOVED", "SPLIT", "MERGED", "MOVED", "UNCHANGED"]
