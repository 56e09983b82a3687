"""Re-pairing: the merges reviewers made, applied over the aligner's beads.

A ``merge`` decision joins a bead with the one after it (the aligner split what
belongs together). It records both keys and the hash of both beads' texts; when it is
applied the two become one bead keyed by their joined clause ids (``I.1_I.2``), QA
findings and scores move to it (spans shifted into the joined text). A merge whose
beads are no longer neighbours, or whose texts changed, is stale: not applied. Undoing
the merge (on the merged bead) splits it again.

A ``split`` decision cuts a bead (the aligner joined what belongs apart) at a unit
boundary of each language: the first part keeps the first ``at[lang]`` units of each
language, the second the rest. It needs the units' texts (``BeadData.units``); it is
stale when the bead is gone or its texts changed. Undoing it (on either part) joins the
bead again. Findings and scores follow their unit into its part.
"""

from __future__ import annotations

import json
from dataclasses import replace

from ..export.ids import bead_key
from .records import BeadData, bead_hash, text_hash


def joiner(lang: str) -> str:
    """How texts of one language are joined in a bead (as align.records.bead_text)."""
    return "" if lang.split("-")[0] == "zh" else " "


def beads_hash(a: BeadData, b: BeadData, langs: list[str]) -> str:
    return text_hash(*(a.texts.get(lang, "") for lang in langs),
                     *(b.texts.get(lang, "") for lang in langs))


def merged(a: BeadData, b: BeadData, langs: list[str]) -> BeadData:
    ids = {lang: a.ids.get(lang, []) + b.ids.get(lang, []) for lang in langs}
    texts = {lang: joiner(lang).join(t for t in (a.texts.get(lang, ""), b.texts.get(lang, ""))
                                     if t) for lang in langs}
    key = bead_key(ids, langs)
    if key in (a.key, b.key):        # a part with no pivot text: keep the keys distinct
        key += "-m"
    units = ({lang: a.units.get(lang, []) + b.units.get(lang, []) for lang in langs}
             if a.units is not None and b.units is not None else None)
    return BeadData(key, a.kind, min(a.confidence, b.confidence), ids, texts, units)


def split_parts(b: BeadData, at: dict[str, int], langs: list[str],
                taken=frozenset()) -> tuple[BeadData, BeadData] | None:
    """The two beads a split of ``b`` makes (None when ``b`` has no unit texts or ``at``
    does not fit them). ``taken``: keys the parts must not reuse."""
    if b.units is None or set(at) != set(langs):
        return None
    parts = []
    for second in (False, True):
        ids, units = {}, {}
        for lang in langs:
            u, i = b.units.get(lang, []), b.ids.get(lang, [])
            if len(u) != len(i) or not isinstance(at[lang], int) or not 0 <= at[lang] <= len(u):
                return None
            cut = slice(at[lang], None) if second else slice(None, at[lang])
            ids[lang], units[lang] = i[cut], u[cut]
        texts = {lang: joiner(lang).join(units[lang]) for lang in langs}
        parts.append(BeadData(bead_key(ids, langs), b.kind, b.confidence, ids, texts, units))
    if not any(parts[0].ids.values()) or not any(parts[1].ids.values()):
        return None
    first, second = parts
    if first.key in taken or first.key == b.key:
        first = replace(first, key=first.key + "-s1")
    if second.key in taken or second.key in (b.key, first.key):
        second = replace(second, key=second.key + "-s2")
    return first, second


def payload(d: dict) -> dict:
    return json.loads(d.get("payload") or "{}")


def apply_merges(beads: list[BeadData], decisions: list[dict], langs: list[str]):
    """(effective beads, where, applied merge and split ids, stale merge and split
    decisions). ``where``: base key → (effective key, {lang: offset}), and
    (base key, lang, unit id) → the same for units a split moved."""
    undone = {d["undoes"] for d in decisions if d["action"] == "undo"}
    out = list(beads)
    where: dict = {b.key: (b.key, {lang: 0 for lang in langs}) for b in beads}
    applied, stale = set(), []
    for d in decisions:
        if d["action"] == "split" and d["id"] not in undone:
            if _split(out, where, d, langs):
                applied.add(d["id"])
            else:
                stale.append(d)
            continue
        if d["action"] != "merge" or d["id"] in undone:
            continue
        a_key, b_key = payload(d)["merge"]
        i = next((k for k, x in enumerate(out) if x.key == a_key), None)
        if i is None or i + 1 >= len(out) or out[i + 1].key != b_key \
                or beads_hash(out[i], out[i + 1], langs) != d["text_hash"]:
            stale.append(d)
            continue
        a, b = out[i], out[i + 1]
        m = replace(merged(a, b, langs), key=d["bead"])
        out[i:i + 2] = [m]
        for base, (eff, off) in where.items():
            if eff == a.key:
                where[base] = (m.key, off)
            elif eff == b.key:
                where[base] = (m.key, {lang: o + (len(a.texts.get(lang, "")) + len(joiner(lang))
                                                  if a.texts.get(lang) else 0)
                                       for lang, o in off.items()})
        applied.add(d["id"])
    return out, where, applied, stale


def _split(out: list[BeadData], where: dict, d: dict, langs: list[str]) -> bool:
    """Apply one split decision to ``out`` and ``where``; False when it is stale."""
    p = payload(d)
    i = next((k for k, x in enumerate(out) if x.key == d["bead"]), None)
    if i is None:
        return False
    b = out[i]
    if bead_hash(b, langs) != d["text_hash"]:
        return False
    parts = split_parts(b, p["at"], langs, {x.key for x in out})
    if parts is None or [x.key for x in parts] != p["split"][1:]:
        return False
    first, second = parts
    out[i:i + 1] = [first, second]
    # units of the second part: their text starts later by the first part's text
    shift = {lang: len(first.texts[lang]) + len(joiner(lang)) if first.texts[lang] else 0
             for lang in langs}
    second_ids = {lang: set(second.ids.get(lang, [])) for lang in langs}
    for k, (eff, off) in list(where.items()):
        if eff != b.key:
            continue
        if isinstance(k, tuple):            # a unit an earlier split routed
            _, lang, uid = k
            if uid in second_ids.get(lang, ()):
                where[k] = (second.key, {x: o - shift[x] for x, o in off.items()})
            else:
                where[k] = (first.key, off)
            continue
        where[k] = (first.key, off)
        for lang in langs:
            for uid in second_ids[lang]:
                where[(k, lang, uid)] = (second.key, {x: o - shift[x] for x, o in off.items()})
    return True


def locate(where: dict, base: str, lang: str, unit: str):
    """The effective key and offsets of one unit of a base bead."""
    return where.get((base, lang, unit)) or where.get(base, (base, {}))


def move_findings(findings, where):
    """Findings re-attached to the effective beads, spans shifted with their text."""
    out = []
    for f in findings:
        eff, off = locate(where, f.bead, f.src_lang, f.unit)
        if (f.bead, f.src_lang, f.unit) not in where:
            eff, off = locate(where, f.bead, f.tgt_lang, f.unit)
        s, t = off.get(f.src_lang, 0), off.get(f.tgt_lang, 0)
        out.append(replace(f, bead=eff, src_spans=[[a + s, b + s] for a, b in f.src_spans],
                           tgt_spans=[[a + t, b + t] for a, b in f.tgt_spans]))
    return out
