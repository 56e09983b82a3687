"""A reviewer's re-pairing request (merge, split, unpair, shift, insert_empty) checked
against the beads as shown, and turned into what the decision records: the bead it
belongs to, the hash of the texts it depends on and its payload (``repair.py`` applies
it on every read)."""

from __future__ import annotations

import json

from ..errors import UserError
from .records import BeadData, bead_hash
from .repair import (beads_hash, cut_unit, insert_run, inserted, locate_cut, merged,
                     run_hash, shifted, split_parts)


def repair_request(beads: list[BeadData], i: int, action: str, langs: list[str], *,
                   lang=None, at=None, keep=None, offset=None, direction=None,
                   edited=(), clauses=None) -> tuple[str, str, str]:
    """(decision bead, text hash, payload JSON) of a re-pairing of ``beads[i]``.
    ``edited``: the languages of the bead that carry a reviewer's edit; ``clauses``: a
    sentence-level workspace's clause beads (``records.Clauses``), which a re-pairing
    stays inside."""
    b = beads[i]
    taken = {x.key for x in beads}
    if clauses:
        _within_clause(beads, i, action, clauses, lang, direction)
    if action == "merge":
        if i + 1 >= len(beads):
            raise UserError(f"{b.key}: the last bead has no next bead to merge with")
        n = beads[i + 1]
        # the decision belongs to the bead it makes: undo there splits it again
        return (merged(b, n, langs).key, beads_hash(b, n, langs),
                json.dumps({"merge": [b.key, n.key]}))
    _need_units(b)
    if action in ("split", "unpair"):
        cut = None
        if action == "unpair":
            at_map = _unpair_at(b, lang, langs)
        elif offset is not None:
            b, at_map, cut = _cut(b, lang, offset, keep or "auto", at, langs, edited)
        else:
            at_map = split_at(b, lang, at, keep or "first", langs)
        parts = split_parts(b, at_map, langs, taken)
        if parts is None:
            raise UserError(f"{action}: {b.key}: the cut {at_map} must leave units in both "
                            "parts")
        p = {"split": [beads[i].key, *(x.key for x in parts)], "at": at_map}
        if cut:
            p["cut"] = cut
        return beads[i].key, bead_hash(beads[i], langs), json.dumps(p)
    if lang not in langs:
        raise UserError(f"{action}: lang must be one of {', '.join(langs)}")
    if action == "shift":
        if direction not in ("up", "down"):
            raise UserError("shift: direction must be up or down")
        res = shifted(beads, i, lang, direction, langs)
        if res is None:
            where = "no previous bead" if direction == "up" and i == 0 else \
                "no next bead" if direction == "down" and i + 1 >= len(beads) else \
                f"no {lang} unit to move"
            raise UserError(f"shift {direction}: {b.key}: {where}")
        j = i - 1 if direction == "up" else i + 1
        lo, hi = sorted((i, j))
        return (b.key, beads_hash(beads[lo], beads[hi], langs),
                json.dumps({"shift": [b.key, beads[j].key], "lang": lang,
                            "direction": direction, "made": [x.key for x in res[1]]}))
    if action == "insert_empty":
        end = insert_run(beads, i, lang)
        within = None
        if end is not None and clauses:
            # sentence level: the column moves down inside the clause, its last sentence
            # into a new bead at the clause's end
            stop = next((k for k in range(i + 1, len(beads))
                         if clauses.of(beads[k]) != clauses.of(b)), len(beads))
            if end > stop:
                end, within = stop, "clause"
        if end is None:
            raise UserError(f"insert_empty: {b.key} has no {lang} text to move down"
                            if not b.ids.get(lang) else
                            f"insert_empty: {b.key} holds only {lang} text (nothing stays)")
        run = beads[i:end]
        new = inserted(beads, i, end, lang, langs)
        return (b.key, run_hash(run, lang),
                json.dumps({"insert_empty": [x.key for x in run], "lang": lang,
                            "made": [x.key for x in new],
                            **({"within": within} if within else {})}))
    raise UserError(f"unknown re-pairing {action!r}")


def _within_clause(beads: list[BeadData], i: int, action: str, clauses, lang,
                   direction) -> None:
    """Refuse a merge or shift of sentence beads that would take sentences out of their
    clause bead (the clause pairing is the aligner's, and the page's groups)."""
    if action == "merge":
        others = beads[i + 1:i + 2]
    elif action == "shift" and direction in ("up", "down"):
        others = beads[i - 1:i] if direction == "up" else beads[i + 1:i + 2]
    else:
        return                  # split, unpair: both parts stay where the bead was; an
        #                         inserted gap moves its column inside the clause only
    home = clauses.of(beads[i])
    for o in others:
        there = clauses.of(o)
        if there != home or home is None:
            what = {"merge": "merge with the next bead", "shift": f"shift {direction}"}[action]
            raise UserError(f"{action}: cannot {what}: {beads[i].key} is in clause "
                            f"{home or '(several)'} and {o.key} in clause "
                            f"{there or '(several)'}; sentence beads are re-paired inside "
                            "their clause (re-pair clauses in a clause-level workspace)")


def _need_units(b: BeadData) -> None:
    if b.units is None:
        raise UserError(f"{b.key}: this workspace was made before splits existed; run "
                        "`celac-i18n review update` on it first")


def split_at(b: BeadData, lang: str | None, at, keep: str, langs: list[str]) -> dict:
    """{lang: units in the first part} from what the reviewer asked."""
    if isinstance(at, dict):
        return _at_each(at, langs)
    if lang not in langs:
        raise UserError(f"split: lang must be one of {', '.join(langs)}")
    n = len(b.ids.get(lang, []))
    if not isinstance(at, int) or not 1 <= at < n:
        raise UserError(f"split: {b.key} has {n} {lang} unit(s); at must be 1 to {n - 1}"
                        if n > 1 else f"split: {b.key} has fewer than 2 {lang} units")
    return _at_kept(b, lang, at, keep, langs)


def _at_each(at: dict, langs: list[str]) -> dict:
    """A split's unit count per language, as the reviewer gave it (each one needed)."""
    if set(at) != set(langs) or not all(isinstance(v, int) for v in at.values()):
        raise UserError(f"split: at must give a unit count for each of {', '.join(langs)}")
    return dict(at)


def _at_kept(b: BeadData, lang: str, at: int, keep: str, langs: list[str]) -> dict:
    """A cut after unit ``at`` of ``lang``: the other languages whole in the first part
    (``keep="first"``), in the second, or cut at the unit boundary nearest the cut's
    place (``"auto"``)."""
    if keep not in ("first", "second", "auto"):
        raise UserError("split: keep must be first, second or auto")
    if keep == "auto":
        r = _position(b, lang, at)
        return {x: at if x == lang else _nearest(b, x, r) for x in langs}
    return {x: at if x == lang else (len(b.ids.get(x, [])) if keep == "first" else 0)
            for x in langs}


def _position(b: BeadData, lang: str, at: int) -> float:
    """Where the boundary after ``at`` units falls in ``lang``'s text, from 0 to 1."""
    units = b.units.get(lang, [])
    total = sum(len(u) for u in units) or 1
    return sum(len(u) for u in units[:at]) / total


def _nearest(b: BeadData, lang: str, r: float) -> int:
    """The unit boundary of ``lang`` nearest the relative position ``r``."""
    units = b.units.get(lang, [])
    if not units:
        return 0
    total = sum(len(u) for u in units) or 1
    pos, best = 0, (abs(r), 0)
    for k, u in enumerate(units, start=1):
        pos += len(u)
        best = min(best, (abs(pos / total - r), k))
    return best[1]


def _cut(b: BeadData, lang, offset, keep: str, at, langs, edited):
    """A split at a character ``offset`` of ``lang``'s text: (the bead with the unit
    cut, the at map, the cut recorded; None where the offset is a unit boundary)."""
    if lang not in langs:
        raise UserError(f"split: lang must be one of {', '.join(langs)}")
    if not isinstance(offset, int) or isinstance(offset, bool):
        raise UserError("split: offset must be a character offset (an integer)")
    if lang in edited:
        raise UserError(f"split: {b.key}: {lang} carries an edit; the offset is in the "
                        "aligner's text: undo the edit first, or split the edited text "
                        "by hand")
    text = b.texts.get(lang, "")
    if not 0 < offset < len(text):
        raise UserError(f"split: offset {offset} is not inside {b.key}'s {lang} text "
                        f"(1 to {max(len(text) - 1, 0)})")
    where = locate_cut(b, lang, offset)
    if where is None:
        raise UserError(f"split: offset {offset} leaves nothing of {b.key}'s {lang} text "
                        "after it")
    unit, off = where
    cut = None
    if off:
        b = cut_unit(b, lang, unit, off)
        cut = {"lang": lang, "unit": unit, "offset": off}
        unit += 1
    if unit == 0:
        raise UserError(f"split: offset {offset} leaves nothing of {b.key}'s {lang} text "
                        "before it")
    if isinstance(at, dict):
        return b, _at_each({**at, lang: unit}, langs), cut
    return b, _at_kept(b, lang, unit, keep, langs), cut


def _unpair_at(b: BeadData, lang, langs) -> dict:
    """An unpairing: ``lang``'s side (default: the only other language) goes into a bead
    of its own after the rest."""
    if lang is None and len(langs) == 2:
        lang = langs[1]
    if lang not in langs:
        raise UserError(f"unpair: lang must be one of {', '.join(langs)}")
    if not b.ids.get(lang) or not any(b.ids.get(x) for x in langs if x != lang):
        raise UserError(f"unpair: {b.key} has no pair to undo for {lang} (one side is "
                        "already empty)")
    return {x: 0 if x == lang else len(b.ids.get(x, [])) for x in langs}
