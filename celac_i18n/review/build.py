"""Make a workspace's content from documents: align them, run QA on every pivot→other
pair, and key each bead by its clause ids (``export.ids``) so decisions survive
renumbered beads.

At sentence level the beads are the sentences aligned inside each clause bead
(``align.sentence``), keyed by their sentence ids (``I.5#s2``); the clause beads are
kept in the meta (``records.Clauses``), and QA reads each sentence bead as one pair:
the sentences are the units of the documents it checks."""

from __future__ import annotations

from typing import Callable, Sequence

from ..export.ids import unique_keys
from .records import finding_key, sentence_unit
from .store import BeadData, FindingData, Store, now, text_hash

SCORE_METRICS = ("chrf", "bleu")   # TER is most of the scoring time and adds little per clause


def content(refs: Sequence[str], checks: str | None = None,
            progress: Callable[[str], None] | None = None,
            references: dict[str, str] | None = None, load=None, termbase=None,
            semantic=None, versions: Sequence[str] = (), level: str = "clause"):
    """(meta, findings, beads, scores, similarity, neighbours) for the documents ``refs`` name (the
    first is the pivot). ``references``: lang → a reference text that rendering is scored
    against, clause by clause (for a machine rendering under review). ``load(ref)``: how a
    reference is read (default ``align.segments.load_paragraphs``); ``termbase``: the
    aligner's and QA's (default: the shipped one); ``semantic``: the semantic layer
    (``Context.semantic()``) for the aligner's and QA's meaning cue and each bead's
    similarity (None: no meaning cue, no similarity); ``versions``: other versions of the
    plan (references), where each bead's pivot text gets its nearest clauses; ``level``:
    ``clause`` or ``sentence`` (sentence beads inside the clause beads)."""
    from ..align.clause import align_documents
    from ..align.records import bead_text
    from ..align.segments import load_paragraphs
    from ..qa import run_qa

    load = load or load_paragraphs

    docs = []
    for ref in refs:
        if progress:
            progress(f"reading {ref}")
        docs.append(load(ref))
    if level not in ("clause", "sentence"):
        from ..errors import UserError

        raise UserError(f"unknown level {level!r} (clause or sentence)")
    result = align_documents(docs, sources=list(refs), progress=progress, termbase=termbase,
                             embedder=semantic)
    langs = result.langs
    clauses = None
    if level == "sentence":
        clauses = [[key, {lang: b.ids(lang) for lang in langs}]
                   for b, key in zip(result.beads, unique_keys(result.beads, langs))]
        result, qa_docs = _sentence_level(result, docs, semantic, progress)
    else:
        qa_docs = docs
    beads, unit_bead = [], {}
    for b, key in zip(result.beads, unique_keys(result.beads, langs)):
        ids = {lang: b.ids(lang) for lang in langs}
        texts = {lang: bead_text(b, lang) for lang in langs}
        units = {lang: list(b.texts(lang)) for lang in langs}
        beads.append(BeadData(key, b.kind, round(b.confidence, 4), ids, texts, units))
        for lang in langs:
            for uid in ids[lang]:
                unit_bead.setdefault((lang, uid), beads[-1])
                # a clause's scores go to its first sentence bead
                unit_bead.setdefault((lang, sentence_unit(uid)), beads[-1])
    findings: list[FindingData] = []
    pivot = qa_docs[0]
    for doc, ref in zip(qa_docs[1:], refs[1:]):
        if progress:
            progress(f"QA {pivot.lang} → {doc.lang}")
        # QA on the workspace's own beads (not a second alignment of the two texts)
        report = run_qa(pivot, doc, checks, "cosmetic", termbase, refs[0], ref,
                        alignment=result, semantic=semantic)
        pairs = {p.id: p for p in report.pairs}
        for f in report.findings:
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
    scores, score_sigs = _scores(docs, references or {}, unit_bead, progress, load)
    sims = _similarity(beads, langs, semantic, progress)
    near = _neighbours(beads, langs[0], semantic, versions, progress, load)
    # one key per finding: the same message twice on one clause is one decision
    unique = {f.fkey: f for f in findings}
    meta = {"langs": langs, "refs": list(refs), "sources": result.sources,
            "kinds": result.kinds, "signature": result.signature, "checks": checks or "all",
            "references": dict(references or {}), "score_signatures": score_sigs,
            "encoder": semantic.name if semantic is not None else None,
            "versions": list(versions) if semantic is not None else [], "built": now(),
            "level": level}
    if clauses is not None:
        meta["clauses"] = clauses
    return meta, list(unique.values()), beads, scores, sims, near


def _sentence_level(result, docs, semantic, progress):
    """(the sentence alignment inside ``result``'s clause beads, the documents QA reads
    it with: one unit per sentence, in bead order)."""
    from dataclasses import replace

    from ..align.beads import CLAUSE_LEVEL, SENTENCE_LEVEL
    from ..align.sentence import sentence_beads
    from ..model import Document, Unit
    from ..signature import Signature

    if progress:
        progress("aligning sentences inside clause beads")
    langs = result.langs
    sbeads = sentence_beads(result.beads, langs, {o: result.params[f"{langs[0]}-{o}"]
                                                  for o in langs[1:]}, semantic)
    sig = Signature({k: (SENTENCE_LEVEL if k == "level" else v)
                     for k, v in result.signature.info.items()}, result.signature.abbr)
    qa_docs = []
    for doc in docs:
        units = [Unit(s.id, s.kind, "", "", s.text, [s.text], sentence_unit(s.id))
                 for b in sbeads for s in b.segs.get(doc.lang, [])]
        qa_docs.append(Document(doc.lang, units, doc.provenance, layout=doc.layout))
    # QA pairs the sentence beads as it pairs clause beads: its units are the sentences
    return replace(result, level=CLAUSE_LEVEL, beads=sbeads, signature=sig), qa_docs


def _neighbours(beads, pivot, semantic, versions, progress, load) -> dict:
    from .similarity import neighbours

    if semantic is None or not versions:
        return {}
    if progress:
        progress(f"nearest clauses in {len(versions)} other version(s)")
    if not beads:
        return {}
    docs = {ref: load(ref) for ref in versions}
    return neighbours(semantic, pivot, [b.texts.get(pivot, "") for b in beads], docs)


def _similarity(beads, langs, semantic, progress) -> dict:
    """Each bead's pivot→other similarity (similarity.pair_key → value)."""
    from .similarity import bead_pairs, compute

    if semantic is None:
        return {}
    if progress:
        progress(f"similarity of each bead ({semantic.name})")
    return compute(semantic, [p for b in beads
                              for p in bead_pairs(semantic.name, langs[0], langs[1:],
                                                  b.texts).values()])


def _scores(docs, references: dict[str, str], unit_bead, progress, load):
    """Per-clause scores of each rendering that has a reference: rows for the scores
    table, and the metrics' signatures by language."""
    from ..errors import UserError
    from ..score.metrics import label, score_documents

    by_lang = {d.lang: d for d in docs}
    rows, sigs = [], {}
    for lang, ref in references.items():
        if lang not in by_lang or lang == docs[0].lang:
            raise UserError(f"--reference {lang}={ref}: {lang} is not a target language of "
                            "the workspace")
        if progress:
            progress(f"scoring {lang} against {ref}")
        report = score_documents(by_lang[lang], load(ref), SCORE_METRICS, per_segment=True,
                                 hyp_name=lang, ref_name=ref)
        sigs[lang] = {label(m, lang): s for m, s in report.sentence_signatures.items()}
        for seg in report.segments:
            b = unit_bead.get((lang, seg.id))
            if b is None or seg.status != "ok":
                continue
            rows.extend((b.key, lang, seg.id, label(m, lang), round(v, 2))
                        for m, v in seg.scores.items())
    return rows, sigs


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
                   progress=None, references: dict[str, str] | None = None,
                   load=None, termbase=None, semantic=None,
                   embed_model: str | None = None, versions: Sequence[str] = (),
                   level: str = "clause") -> Store:
    """A new workspace at ``path``: ``refs`` aligned (the first is the pivot), QA run,
    ``references`` (lang → reference) scored clause by clause, each bead's similarity
    computed with ``semantic`` (opened from ``embed_model``, recorded so that ``update``
    and ``serve`` open the same encoder); ``versions``: other versions of the plan, for
    each bead's nearest clauses there; ``level``: clause or sentence beads (recorded:
    ``update`` keeps it)."""
    Store.check_new(path)          # before the aligning, not after
    references = {lang: _absolute(r) for lang, r in (references or {}).items()}
    meta, findings, beads, scores, sims, near = content(
        [_absolute(r) for r in refs], checks, progress, references, load, termbase, semantic,
        [_absolute(r) for r in versions], level)
    meta["embed_model"] = embed_model if semantic is not None else "none"
    return Store.create(path, meta, beads, findings, scores, sims, near)


def update_workspace(store: Store, progress=None, load=None, termbase=None,
                     semantic=None) -> Store:
    """Re-read the workspace's documents; decisions stay, stale where texts changed.
    ``semantic``: as for ``init_workspace`` (the encoder the workspace recorded)."""
    from .similarity import values

    meta, findings, beads, scores, sims, near = content(
        store.meta["refs"], store.meta.get("checks"), progress, store.meta.get("references"),
        load, termbase, semantic, store.meta.get("versions") or (),
        store.level)
    if meta["langs"] != store.langs:
        from ..errors import UserError

        raise UserError(f"the documents now read as {', '.join(meta['langs'])}, the workspace "
                        f"holds {', '.join(store.langs)}")
    beads, findings, scores = _kept_keys(store.beads(), beads, findings, scores)
    store.replace_content(beads, findings, {k: meta[k] for k in (
        "sources", "kinds", "signature", "score_signatures", "encoder", "versions", "built",
        "level", *(("clauses",) if "clauses" in meta else ()))}, scores, sims, near)
    # the beads as reviewers see them (merges, splits and edits applied) get theirs too
    snap = store.snapshot()
    values(store, snap, snap.states(), meta["encoder"], semantic)
    if semantic is not None and meta["versions"]:
        from .similarity import neighbour_key

        new = [b for b in snap.beads if neighbour_key(semantic.name, store.pivot,
                                                      b.texts.get(store.pivot, ""))
               not in snap.neighbours]
        store.put_neighbours(_neighbours(new, store.pivot, semantic, meta["versions"], progress,
                                         load or _default_load()))
    return store


def _kept_keys(old: list[BeadData], beads: list[BeadData], findings: list[FindingData],
               scores: list[tuple]):
    """(beads, findings, scores) with the key a workspace made before keys kept ids as
    written gave a bead whose ids are unchanged (``export.ids.legacy_key``): the
    decisions recorded on it keep their bead."""
    from dataclasses import replace

    from ..export.ids import legacy_key

    def sig(b):
        return tuple(sorted((lang, tuple(ids)) for lang, ids in b.ids.items()))

    was = {sig(b): b.key for b in old}
    taken = {b.key for b in beads}
    rename = {}
    for b in beads:
        k = was.get(sig(b))
        if k and k != b.key and k not in taken and legacy_key(b.key) == k:
            rename[b.key] = k
            taken.add(k)
    if not rename:
        return beads, findings, scores
    return ([replace(b, key=rename.get(b.key, b.key)) for b in beads],
            [replace(f, bead=rename.get(f.bead, f.bead)) for f in findings],
            [(rename.get(r[0], r[0]), *r[1:]) for r in scores])


def _default_load():
    from ..align.segments import load_paragraphs

    return load_paragraphs
