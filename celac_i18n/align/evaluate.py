"""Strict and lax precision / recall / F1 of an alignment, as vecalign's score.py
defines them (after Sennrich & Volk's lax measure, W11-4624).

Beads are compared as (source ids, target ids). Precision: a predicted bead is a strict
hit when the gold has exactly that bead, a lax hit when it shares a source and a target
segment with gold. Recall is the same count with gold and prediction swapped and 1-0 /
0-1 beads left out on both sides. F1 is the harmonic mean.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..errors import UserError

Pair = tuple[tuple[str, ...], tuple[str, ...]]


def _counts(gold: list[Pair], test: list[Pair]) -> tuple[int, int, int, int]:
    gold_set = {g for g in gold if g[0] or g[1]}
    partners: dict[str, set[str]] = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            partners[s].update(tgt)
    tp_s = fp_s = tp_l = fp_l = 0
    for src, tgt in {t for t in test if t[0] or t[1]}:
        if (src, tgt) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        reach = set().union(*(partners[s] for s in src)) if src else set()
        if reach & set(tgt):
            tp_l += 1
        else:
            fp_l += 1
    return tp_s, fp_s, tp_l, fp_l


def _ratio(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: list[Pair], test: list[Pair]) -> dict:
    tp_s, fp_s, tp_l, fp_l = _counts(gold, test)
    no_del = lambda beads: [b for b in beads if b[0] and b[1]]  # noqa: E731
    rtp_s, rfn_s, rtp_l, rfn_l = _counts(no_del(test), no_del(gold))
    p_s, p_l = _ratio(tp_s, fp_s), _ratio(tp_l, fp_l)
    r_s, r_l = _ratio(rtp_s, rfn_s), _ratio(rtp_l, rfn_l)
    return {"precision_strict": p_s, "recall_strict": r_s, "f1_strict": _f1(p_s, r_s),
            "precision_lax": p_l, "recall_lax": r_l, "f1_lax": _f1(p_l, r_l),
            "gold_beads": len(gold), "test_beads": len(test)}


def pairs_from_records(records: list[dict], src: str, tgt: str) -> list[Pair]:
    out = []
    for r in records:
        ids = r.get("ids", {})
        s, t = tuple(ids.get(src, [])), tuple(ids.get(tgt, []))
        if s or t:
            out.append((s, t))
    return out


def read_jsonl(path: str) -> tuple[dict, list[dict]]:
    """An alignment JSONL file → (header, bead records)."""
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{path}: no such file")
    header: dict = {}
    beads: list[dict] = []
    # bytes split on \n only: U+2028 inside a JSON string is not a line break
    for no, raw in enumerate(p.read_bytes().splitlines(), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise UserError(f"{path}:{no}: not UTF-8 (byte {raw[e.start]:#04x} at "
                            f"column {e.start + 1})") from None
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            raise UserError(f"{path}:{no}: not JSON ({e.msg})") from None
        except RecursionError:
            raise UserError(f"{path}:{no}: JSON nested too deeply to be an alignment "
                            "record") from None
        if not isinstance(r, dict):
            raise UserError(f"{path}:{no}: expected a JSON object")
        if "bead" in r:
            ids = r.get("ids")
            if not isinstance(ids, dict):
                raise UserError(f"{path}:{no}: bead without an 'ids' object")
            for lang, v in ids.items():
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    raise UserError(f"{path}:{no}: ids.{lang} must be a list of id "
                                    f"strings, got {json.dumps(v, ensure_ascii=False)[:60]}")
            if not isinstance(r.get("level", ""), str):
                raise UserError(f"{path}:{no}: 'level' must be a string")
            beads.append(r)
        elif "signature" in r and not beads:
            langs = r.get("langs")
            if langs is not None and (not isinstance(langs, list)
                                      or not all(isinstance(x, str) for x in langs)):
                raise UserError(f"{path}:{no}: header 'langs' must be a list of language codes")
            header = r
        else:
            raise UserError(f"{path}:{no}: neither a header nor a bead")
    if not beads:
        raise UserError(f"{path}: no beads")
    return header, beads


def langs_of(header: dict, beads: list[dict]) -> list[str]:
    if header.get("langs"):
        return list(header["langs"])
    seen: list[str] = []
    for b in beads:
        for lang in b["ids"]:
            if lang not in seen:
                seen.append(lang)
    return seen


def evaluate_files(pred: str, gold: str, pairs: list[tuple[str, str]] | None = None,
                   level: str | None = None) -> list[dict]:
    """One score record per language pair (default: pivot against each other language)."""
    ph, pb = read_jsonl(pred)
    gh, gb = read_jsonl(gold)
    if level:
        pb = [b for b in pb if b.get("level", level) == level]
        gb = [b for b in gb if b.get("level", level) == level]
    plangs, glangs = langs_of(ph, pb), langs_of(gh, gb)
    if pairs is None:
        common = [lang for lang in plangs if lang in glangs]
        if len(common) < 2:
            raise UserError(f"{pred} and {gold} share fewer than two languages")
        pairs = [(common[0], other) for other in common[1:]]
    out = []
    for s, t in pairs:
        for name, langs in ((pred, plangs), (gold, glangs)):
            if s not in langs or t not in langs:
                raise UserError(f"{name}: has no {s}-{t} alignment (languages: {', '.join(langs)})")
        r = score(pairs_from_records(gb, s, t), pairs_from_records(pb, s, t))
        out.append({"pair": f"{s}-{t}", **{k: (round(v, 4) if isinstance(v, float) else v)
                                          for k, v in r.items()}})
    return out
