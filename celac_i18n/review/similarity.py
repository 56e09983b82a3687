"""Each bead's meaning cue: the semantic similarity (cosine of sentence embeddings) of
the pivot's text with each other language's text, so a translator can start from the
weakest beads.

Values are kept in the workspace keyed by what they were computed from (the encoder,
the two languages and the two texts), never by bead: a bead whose texts changed (an
edit, a merge, a split, an update) simply has no value under its new key until one is
computed, so a value shown is never stale.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from .records import text_hash


class Pair(NamedTuple):
    key: str
    src_lang: str
    lang: str
    src: str
    tgt: str


def pair_key(encoder: str, src_lang: str, lang: str, src: str, tgt: str) -> str:
    return text_hash(encoder, src_lang, lang, src, tgt)


def bead_pairs(encoder: str, pivot: str, langs: Iterable[str], texts: dict[str, str]
               ) -> dict[str, Pair]:
    """lang → the pair whose similarity the bead shows for pivot→lang (none where a side
    is empty: a one-sided bead has no similarity)."""
    src = texts.get(pivot, "")
    out = {}
    for lang in langs:
        tgt = texts.get(lang, "")
        if src.strip() and tgt.strip():
            out[lang] = Pair(pair_key(encoder, pivot, lang, src, tgt), pivot, lang, src, tgt)
    return out


def compute(semantic, pairs: Iterable[Pair]) -> dict[str, float | None]:
    """key → the cosine of each pair's texts (None where the encoder does not cover a
    language), encoded in one batch per language."""
    import numpy as np

    by_lang: dict[tuple[str, str], list[Pair]] = {}
    for p in {p.key: p for p in pairs}.values():
        by_lang.setdefault((p.src_lang, p.lang), []).append(p)
    out: dict[str, float | None] = {}
    for (src_lang, lang), ps in by_lang.items():
        a = semantic.embed([p.src for p in ps], src_lang)
        b = semantic.embed([p.tgt for p in ps], lang)
        if a is None or b is None:
            out.update((p.key, None) for p in ps)
            continue
        sims = np.einsum("ij,ij->i", a, b)
        out.update((p.key, round(float(s), 4)) for p, s in zip(ps, sims))
    return out


def weakest(values: dict[str, float | None], lang: str | None = None) -> float | None:
    """The value a bead is sorted and filtered by: ``lang``'s, else its weakest pair's."""
    if lang:
        return values.get(lang)
    known = [v for v in values.values() if v is not None]
    return min(known) if known else None


UNPAIRED, MEASURED, UNKNOWN = 0, 1, 2


def rank(values: dict[str, float | None], unpaired: list[str], lang: str | None = None
         ) -> tuple[int, float]:
    """Where a bead goes in a weakest-first order: first the beads where one side of the
    pair has text and the other none (a clause left without a rendering: nothing
    matches it, the weakest there is), then by similarity, then beads with no value
    (no encoder, or texts changed while none was open)."""
    if (lang in unpaired) if lang else bool(unpaired):
        return UNPAIRED, 0.0
    v = weakest(values, lang)
    return (UNKNOWN, 0.0) if v is None else (MEASURED, v)


def unpaired_langs(pivot: str, langs, texts: dict[str, str]) -> list[str]:
    """The languages whose pair with the pivot has one side empty and the other not."""
    has = bool(texts.get(pivot, "").strip())
    return [lang for lang in langs if bool(texts.get(lang, "").strip()) != has]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    n = len(s)
    return round(s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2, 4)


def shown_pairs(snap, states, encoder: str, keys=None) -> dict[str, dict[str, Pair]]:
    """bead → lang → the pair of texts the page shows (a reviewer's edit in place of the
    aligner's text), for every bead of a snapshot (``snapshot.Snapshot``) or those of
    ``keys``. Kept with the snapshot, so a later one works out only the beads its
    decisions touched."""
    pivot, others = snap.langs[0], snap.langs[1:]
    known = snap.derived.setdefault(("pairs", encoder), {})
    beads = snap.beads if keys is None else [b for b in map(snap.bead, keys) if b is not None]
    for b in beads:
        if b.key not in known:
            known[b.key] = bead_pairs(encoder, pivot, others,
                                      {lang: states[b.key].target(b, lang) for lang in snap.langs})
    # a copy: the server's other threads may add to what is kept
    return dict(known) if keys is None else {b.key: known[b.key] for b in beads}


def values(store, snap, states, encoder: str | None, semantic=None, keys=None
           ) -> dict[str, dict[str, float | None]]:
    """bead → lang → similarity of what the page shows (None: not known), for every bead
    or those of ``keys``. With the ``semantic`` layer, values not in the workspace yet
    are computed and stored first."""
    if not encoder:
        return {}
    pairs = shown_pairs(snap, states, encoder, keys)
    known = snap.similarity
    missing = [p for ps in pairs.values() for p in ps.values() if p.key not in known]
    if missing and semantic is not None:
        new = compute(semantic, missing)
        store.put_similarity(new)
        known.update(new)
    return {key: {lang: known.get(p.key) for lang, p in ps.items()} for key, ps in pairs.items()}


def medians(snap, states, encoder: str | None) -> dict[str, float | None]:
    """lang → the median similarity of the snapshot's beads (kept with the snapshot
    until a value is added). Each bead's values are kept across snapshots while they
    are all known (``Snapshot.derived``): a later one looks up only the beads touched."""
    if not encoder:
        return {}
    hit = snap.memo.get(("medians", encoder))
    if hit is not None and hit[0] == len(snap.similarity):
        return hit[1]
    known = snap.similarity
    kept = snap.derived.setdefault(("values", encoder), {})
    by_lang: dict[str, list[float]] = {lang: [] for lang in snap.langs[1:]}
    for key, ps in shown_pairs(snap, states, encoder).items():
        vs = kept.get(key)
        if vs is None:
            vs = {lang: known.get(p.key) for lang, p in ps.items()}
            if None not in vs.values():
                kept[key] = vs
        for lang, v in vs.items():
            if v is not None:
                by_lang[lang].append(v)
    out = {lang: median(vs) for lang, vs in by_lang.items()}
    snap.memo[("medians", encoder)] = (len(known), out)
    return out


NEIGHBOURS = 3          # similar clauses listed per bead
EXCERPT = 240           # characters of a neighbour's text kept


def neighbour_key(encoder: str, pivot: str, text: str) -> str:
    return text_hash("neighbours", encoder, pivot, text)


def neighbours(semantic, pivot: str, texts: list[str], versions: dict[str, object],
               top: int = NEIGHBOURS) -> dict[str, list[dict]]:
    """neighbour_key → the ``top`` clauses closest in meaning to each pivot text among
    the clauses of ``versions`` (ref → Document: other versions of the plan, in any
    language), best first: {"ref", "plan", "lang", "id", "similarity", "text"}."""
    import numpy as np

    texts = [t for t in dict.fromkeys(texts) if t.strip()]
    if not texts:
        return {}
    q = semantic.embed(texts, pivot)
    if q is None:
        return {}
    rows, embs = [], []
    for ref, doc in versions.items():
        units = [u for u in doc.clauses() if u.text.strip()]
        e = semantic.embed([u.text for u in units], doc.lang) if units else None
        if e is None:
            continue
        rows += [(ref, doc, u) for u in units]
        embs.append(e)
    if not rows:
        return {}
    sims = q @ np.vstack(embs).T
    out = {}
    for t, row in zip(texts, sims):
        best = np.argsort(-row, kind="stable")[:top]
        out[neighbour_key(semantic.name, pivot, t)] = [
            {"ref": rows[j][0], "plan": rows[j][1].provenance.plan, "lang": rows[j][1].lang,
             "id": rows[j][2].id, "similarity": round(float(row[j]), 4),
             "text": rows[j][2].text[:EXCERPT]} for j in best]
    return out
