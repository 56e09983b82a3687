"""Make a workspace's content from documents: align them, run QA on every pivot→other
pair, and key each bead by its clause ids (``export.ids``) so decisions survive
renumbered beads."""

from __future__ import annotations

from typing import Callable, Sequence

from ..export.ids import unique_keys
from .store import BeadData, FindingData, Store, now, text_hash

def content(refs: Sequence[str], checks: str | None = None,
            progress: Callable[[str], None] | None = None):
    """(meta, beads, findings) for the documents ``refs`` name (the first is the pivot)."""
    from ..align.clause import align_documents
    from ..align.records import bead_text
    from ..align.segments import load
    from ..qa import run_qa

    docs = []
    for ref in refs:
        if progress:
            progress(f"reading {ref}")
        docs.append(load(ref))
    result = align_documents(docs, sources=list(refs), progress=progress)
    langs = result.langs
    beads, unit_bead = [], {}
    for b, key in zip(result.beads, unique_keys(result.beads, langs)):
        ids = {lang: b.ids(lang) for lang in langs}
        texts = {lang: bead_text(b, lang) for lang in langs}
        beads.append(BeadData(key, b.kind, round(b.confidence, 4), ids, texts))
        for lang in langs:
            for uid in ids[lang]:
                unit_bead.setdefault((lang, uid), beads[-1])
    findings: list[FindingData] = []
    pivot = docs[0]
    for doc, ref in zip(docs[1:], refs[1:]):
        if progress:
            progress(f"QA {pivot.lang} → {doc.lang}")
        report = run_qa(pivot, doc, checks, "cosmetic", None, refs[0], ref)
        pairs = {p.id: p for p in report.pairs}
        for n, f in enumerate(report.findings):
            b = unit_bead.get((pivot.lang, f.id)) or unit_bead.get((doc.lang, f.id))
            if b is None:
                continue
            p = pairs.get(f.id)
            s_text, t_text = (p.src_text, p.tgt_text) if p else ("", "")
            findings.append(FindingData(
                finding_key(f, pivot.lang, doc.lang), b.key, f.id, pivot.lang, doc.lang,
                f.check, f.severity, f.message, f.src, f.tgt,
                _shift(f.src_spans, s_text, b.texts[pivot.lang]),
                _shift(f.tgt_spans, t_text, b.texts[doc.lang]),
                text_hash(s_text, t_text)))
    # one key per finding: the same message twice on one clause is one decision
    unique = {f.fkey: f for f in findings}
    meta = {"langs": langs, "refs": list(refs), "sources": result.sources,
            "kinds": result.kinds, "signature": result.signature, "checks": checks or "all",
            "built": now()}
    return meta, list(unique.values()), beads


def finding_key(f, src_lang: str, tgt_lang: str) -> str:
    """Stable across runs: the check, the clause, the pair, and what it found."""
    return f"{f.check}:{f.id}:{src_lang}-{tgt_lang}:" + text_hash(f.message, f.src, f.tgt)[:10]


def _shift(spans, unit_text: str, bead_text: str) -> list[list[int]]:
    """Spans QA gave into a clause's text, moved into the bead's text (which may join
    several clauses, or show a heading); dropped when the clause is not found in it."""
    if not spans or not unit_text:
        return []
    at = bead_text.find(unit_text)
    if at < 0:
        return []
    return [[at + s, at + e] for s, e in spans]


def _absolute(ref: str) -> str:
    """A file reference made absolute, so ``update`` works from any directory."""
    from ..corpus.refs import parse_ref

    r = parse_ref(ref)
    if r.path is None:
        return ref
    return str(r.path.resolve()) + (f"@{r.lang}" if r.lang else "")


def init_workspace(path, refs: Sequence[str], checks: str | None = None,
                   progress=None) -> Store:
    meta, findings, beads = content([_absolute(r) for r in refs], checks, progress)
    return Store.create(path, meta, beads, findings)


def update_workspace(store: Store, progress=None) -> Store:
    """Re-read the workspace's documents; decisions stay, stale where texts changed."""
    meta, findings, beads = content(store.meta["refs"], store.meta.get("checks"), progress)
    if meta["langs"] != store.langs:
        from ..errors import UserError

        raise UserError(f"the documents now read as {', '.join(meta['langs'])}, the workspace "
                        f"holds {', '.join(store.langs)}")
    store.replace_content(beads, findings, {k: meta[k] for k in ("sources", "kinds", "signature",
                                                                 "built")})
    return store
