"""QA that follows the reviewers: the findings of a bead pair whose texts or grouping
changed (an edit, a merge, a split, an unpairing, a shift, an inserted gap) are
recomputed for that pair alone.

A pair (pivot, language) of a bead is *as built* when some bead the aligner made has
the same units of both languages, the same texts and no edit: it keeps the findings
``review init`` computed. Any other pair is checked again with the workspace's
per-pair checks (numbers, acronyms, terms, untranslated, omissions, punctuation),
prepared once per process on the document as built (the omissions check's length
ratio, the termbase index). Document-level checks (consistency, meaning) are not
rerun on one pair: their findings stay with the unit they were about.

Results are kept in the workspace keyed by what they were computed from (the checks,
the build, the pair's ids and texts), like similarities, so a value is never stale and
an undo finds its findings again.
"""

from __future__ import annotations

import json
import threading

from .records import BeadData, FindingData, finding_key, text_hash

_LOCK = threading.Lock()
_PREPARED: dict[tuple, tuple] = {}      # (workspace, build, pair) → (ctx, checks)


def qa_key(build: str, checks: str, src_lang: str, lang: str, b: BeadData, tgt: str,
           edited: bool) -> str:
    return text_hash("qa", build, checks, src_lang, lang, b.kind,
                     "|".join(b.ids.get(src_lang, [])), "|".join(b.ids.get(lang, [])),
                     b.texts.get(src_lang, ""), tgt, "e" if edited else "")


def _units(b: BeadData, lang: str, text: str | None = None):
    from ..model import Unit
    from ..parse.sentences import split_sentences

    ids = b.ids.get(lang, [])
    pieces = (b.units or {}).get(lang) or ([b.texts.get(lang, "")] if ids else [])
    units = tuple(Unit(uid, b.kind, "", "", t) for uid, t in zip(ids, pieces))
    whole = b.texts.get(lang, "") if text is None else text
    if not whole.strip() and not units:
        return None, ()
    first = ids[0] if ids else ""
    merged = Unit(first, b.kind, "", "", whole, split_sentences(whole, lang) if whole else [])
    return merged, units


def bead_pair(b: BeadData, src_lang: str, lang: str, tgt_text: str | None = None, n: int = 0):
    """The QA pair of a bead for ``src_lang`` → ``lang`` (``tgt_text``: a reviewer's
    target in place of the aligner's)."""
    from ..qa.beads import BeadPair

    src, su = _units(b, src_lang)
    tgt, tu = _units(b, lang, tgt_text)
    if src is None and tgt is None:
        return None
    if tgt is not None and not tgt.id:
        tgt.id = src.id if src is not None else ""
    pid = (src or tgt).id
    return BeadPair(pid, src, tgt, n, tuple(b.ids.get(src_lang, [])),
                    tuple(b.ids.get(lang, [])), b.confidence, su, tu)


def pair_checks(names: list[str]) -> list[str]:
    """The checks that judge one pair at a time (rerun here)."""
    from ..qa.base import Check
    from ..qa.registry import get_check

    return [n for n in names if type(get_check(n)).check_pair is not Check.check_pair]


def _prepared(ident, base: list[BeadData], src_lang: str, lang: str, names: list[str],
              termbase):
    """The per-pair checks prepared on the document as built (cached per process)."""
    from ..qa.base import QAContext
    from ..qa.registry import get_check

    key = (ident, src_lang, lang, tuple(names))
    with _LOCK:
        hit = _PREPARED.get(key)
        if hit is not None:
            return hit
    pairs = [p for p in (bead_pair(b, src_lang, lang) for b in base) if p is not None]
    ctx = QAContext(src_lang, lang, pairs, termbase)
    checks = []
    for n in pair_checks(names):
        c = get_check(n)
        if c.applies(ctx):
            c.prepare(ctx)
            checks.append(c)
    ctx.pairs = []                   # what the checks estimated is kept, not the pairs
    with _LOCK:
        if len(_PREPARED) > 32:
            _PREPARED.clear()
        _PREPARED[key] = (ctx, checks)
    return ctx, checks


def check_pair(ctx, checks, b: BeadData, src_lang: str, lang: str,
               tgt_text: str) -> list[FindingData]:
    """The findings of one bead pair, spans into the bead's (shown) texts."""
    from ..qa.runner import _clip

    p = bead_pair(b, src_lang, lang, tgt_text)
    if p is None:
        return []
    out = {}
    for c in checks:
        if c.needs_both and not p.complete:
            continue
        for f in c.check_pair(p, ctx):
            f.check = c.id
            if not f.tgt and p.tgt is not None:
                f.tgt = _clip(p.tgt_text)
            fd = FindingData(finding_key(f, src_lang, lang), b.key, f.id, src_lang, lang,
                             f.check, f.severity, f.message, f.src, f.tgt,
                             [list(s) for s in f.src_spans], [list(s) for s in f.tgt_spans],
                             text_hash(p.src_text, p.tgt_text))
            out.setdefault(fd.fkey, fd)
    return list(out.values())


def to_json(fs: list[FindingData]) -> str:
    return json.dumps([[f.fkey, f.unit, f.check, f.severity, f.message, f.src, f.tgt,
                        f.src_spans, f.tgt_spans, f.text_hash] for f in fs],
                      ensure_ascii=False)


def from_json(value: str, bead: str, src_lang: str, lang: str) -> list[FindingData]:
    return [FindingData(k, bead, u, src_lang, lang, c, s, m, a, t, ss, ts, h)
            for k, u, c, s, m, a, t, ss, ts, h in json.loads(value)]


class Requa:
    """The findings of beads as reviewers see them, one bead at a time, over one
    content (the aligner's beads and ``review init``'s findings): a pair as built keeps
    its findings, any other is checked again (``cache``: qa key → findings JSON, a
    mapping that may look further, e.g. in the workspace; what is computed here is
    added to it and to ``new``, for the caller to store)."""

    def __init__(self, base: list[BeadData], base_findings, langs: list[str], *, ident,
                 build: str, checks: str, termbase=None):
        from ..qa.registry import parse_checks

        self.base, self.langs, self.pivot = base, langs, langs[0]
        self.ident, self.build, self.checks, self.termbase = ident, build, checks, termbase
        self.as_built: dict[tuple, BeadData] = {}
        for b in base:
            for lang in langs[1:]:
                self.as_built[_sig(b, self.pivot, lang, b.texts.get(lang, ""))] = b
        self.by_bead: dict[tuple[str, str], list] = {}
        for f in base_findings:
            self.by_bead.setdefault((f.bead, f.tgt_lang), []).append(f)
        self.names = parse_checks(checks if checks != "all" else None)
        rerun = set(pair_checks(self.names))
        # document-level findings (consistency, meaning), by the unit they are about
        self.doc_level: dict[str, list[tuple[int, FindingData]]] = {}
        for i, f in enumerate(base_findings):
            if f.check not in rerun:
                self.doc_level.setdefault(f.unit, []).append((i, f))

    def prepare(self) -> None:
        """Prepare the per-pair checks of every pair now (a second or two on a large
        document), so that the first edit does not wait for it."""
        from ..termbase import default_termbase

        tb = default_termbase() if self.termbase is None else self.termbase
        for lang in self.langs[1:]:
            _prepared(self.ident, self.base, self.pivot, lang, self.names, tb)

    def bead(self, b: BeadData, targets, cache, new: dict, homes) -> list[FindingData]:
        """The findings of bead ``b``. ``targets(bead, lang)``: (the text shown, edited?);
        ``homes()``: ``repair.unit_homes`` of the beads ``b`` is among (called only
        where a pair changed)."""
        out: list[FindingData] = []
        for lang in self.langs[1:]:
            tgt, edited = targets(b, lang)
            src = self.as_built.get(_sig(b, self.pivot, lang, tgt)) if not edited else None
            if src is not None:
                out.extend(f if f.bead == b.key else _moved(f, b.key)
                           for f in self.by_bead.get((src.key, lang), []))
                continue
            k = qa_key(self.build, self.checks, self.pivot, lang, b, tgt, edited)
            hit = cache.get(k)
            if hit is not None:
                out.extend(from_json(hit, b.key, self.pivot, lang))
            else:
                from ..termbase import default_termbase

                ctx, cs = _prepared(self.ident, self.base, self.pivot, lang, self.names,
                                    default_termbase() if self.termbase is None
                                    else self.termbase)
                fs = check_pair(ctx, cs, b, self.pivot, lang, tgt)
                new[k] = cache[k] = to_json(fs)
                out.extend(fs)
            out.extend(self._doc_level(b, lang, homes))
        return out

    def _doc_level(self, b: BeadData, lang: str, homes) -> list[FindingData]:
        """The document-level findings of a changed pair: they stay with the unit they
        were about, without spans (its text may read differently in its new bead)."""
        got = {}
        for side in (self.pivot, lang):
            for uid in b.ids.get(side, []):
                for i, f in self.doc_level.get(uid, ()):
                    got[i] = f
        if not got:
            return []
        h = homes()
        return [_moved(f, b.key, spans=False) for i, f in sorted(got.items())
                if f.tgt_lang == lang
                and (h.get((f.src_lang, f.unit)) or h.get((f.tgt_lang, f.unit))) == b.key]


def _sig(b: BeadData, pivot: str, lang: str, tgt: str) -> tuple:
    return (tuple(b.ids.get(pivot, [])), lang, tuple(b.ids.get(lang, [])),
            b.texts.get(pivot, ""), tgt)


def _moved(f: FindingData, key: str, spans: bool = True) -> FindingData:
    from dataclasses import replace

    return replace(f, bead=key) if spans else replace(f, bead=key, src_spans=[], tgt_spans=[])
