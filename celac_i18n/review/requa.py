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
                f.tgt = p.tgt_text[:79] + ("…" if len(p.tgt_text) > 79 else "")
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


def findings(snap_beads: list[BeadData], base: list[BeadData], base_findings,
             targets, langs: list[str], cache: dict, *, ident, build: str, checks: str,
             termbase=None, homes=None) -> tuple[list[FindingData], dict[str, str]]:
    """(the findings of every bead as reviewers see it, new cache entries).

    ``targets(bead, lang)``: the text shown (an edit in place of the aligner's);
    ``cache``: qa key → findings JSON already computed; ``base_findings``: what
    ``review init`` found, on the aligner's beads; ``homes``: ``repair.unit_homes`` of
    ``snap_beads`` where the caller has it (else computed here when needed)."""
    from ..qa.registry import parse_checks
    from ..termbase import default_termbase

    pivot = langs[0]
    as_built: dict[tuple, BeadData] = {}
    for b in base:
        for lang in langs[1:]:
            as_built[_sig(b, pivot, lang, b.texts.get(lang, ""))] = b
    by_bead: dict[tuple[str, str], list] = {}
    for f in base_findings:
        by_bead.setdefault((f.bead, f.tgt_lang), []).append(f)
    names = parse_checks(checks if checks != "all" else None)
    rerun = set(pair_checks(names))
    out: list[FindingData] = []
    new: dict[str, str] = {}
    changed: list[tuple[BeadData, str, str, bool]] = []
    for b in snap_beads:
        for lang in langs[1:]:
            tgt, edited = targets(b, lang)
            src = as_built.get(_sig(b, pivot, lang, tgt)) if not edited else None
            if src is not None:
                out.extend(f if f.bead == b.key else _moved(f, b.key)
                           for f in by_bead.get((src.key, lang), []))
            else:
                changed.append((b, lang, tgt, edited))
    if changed:
        if homes is None:
            from .repair import unit_homes

            homes = unit_homes(snap_beads, langs)
        for b, lang, tgt, edited in changed:
            k = qa_key(build, checks, pivot, lang, b, tgt, edited)
            if k in cache:
                out.extend(from_json(cache[k], b.key, pivot, lang))
                continue
            ctx, cs = _prepared(ident, base, pivot, lang, names,
                                default_termbase() if termbase is None else termbase)
            fs = check_pair(ctx, cs, b, pivot, lang, tgt)
            new[k] = cache[k] = to_json(fs)
            out.extend(fs)
        # document-level findings (consistency, meaning) stay with the unit they were
        # about, without spans (its text may read differently in its new bead)
        changed_pairs = {(b.key, lang) for b, lang, _, _ in changed}
        for f in base_findings:
            if f.check in rerun:
                continue
            home = homes.get((f.src_lang, f.unit)) or homes.get((f.tgt_lang, f.unit))
            if home and (home, f.tgt_lang) in changed_pairs:
                out.append(_moved(f, home, spans=False))
    return out, new


def _sig(b: BeadData, pivot: str, lang: str, tgt: str) -> tuple:
    return (tuple(b.ids.get(pivot, [])), lang, tuple(b.ids.get(lang, [])),
            b.texts.get(pivot, ""), tgt)


def _moved(f: FindingData, key: str, spans: bool = True) -> FindingData:
    from dataclasses import replace

    return replace(f, bead=key) if spans else replace(f, bead=key, src_spans=[], tgt_spans=[])
