"""Re-pairing: the merges reviewers made, applied over the aligner's beads.

A ``merge`` decision joins a bead with the one after it (the aligner split what
belongs together). It records both keys and the hash of both beads' texts; when it is
applied the two become one bead keyed by their joined clause ids (``I.1_I.2``), QA
findings and scores move to it (spans shifted into the joined text). A merge whose
beads are no longer neighbours, or whose texts changed, is stale: not applied. Undoing
the merge (on the merged bead) splits it again.
"""

from __future__ import annotations

import json
from dataclasses import replace

from ..export.ids import bead_key
from .records import BeadData, text_hash


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
    return BeadData(key, a.kind, min(a.confidence, b.confidence), ids, texts)


def payload(d: dict) -> dict:
    return json.loads(d.get("payload") or "{}")


def apply_merges(beads: list[BeadData], decisions: list[dict], langs: list[str]):
    """(effective beads, base key → (effective key, {lang: offset}), applied merge ids,
    stale merge decisions)."""
    undone = {d["undoes"] for d in decisions if d["action"] == "undo"}
    out = list(beads)
    where = {b.key: (b.key, {lang: 0 for lang in langs}) for b in beads}
    applied, stale = set(), []
    for d in decisions:
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


def move_findings(findings, where):
    """Findings re-attached to the effective beads, spans shifted with their text."""
    out = []
    for f in findings:
        eff, off = where.get(f.bead, (f.bead, {}))
        s, t = off.get(f.src_lang, 0), off.get(f.tgt_lang, 0)
        out.append(replace(f, bead=eff, src_spans=[[a + s, b + s] for a, b in f.src_spans],
                           tgt_spans=[[a + t, b + t] for a, b in f.tgt_spans]))
    return out
