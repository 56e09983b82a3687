"""Re-pairing: the merges, splits, unpairings, shifts and inserted gaps reviewers made,
applied over the aligner's beads on every read, in the order they were made.

- ``merge`` joins a bead with the one after it (keyed by their joined clause ids,
  ``I.1_I.2``); undone on the merged bead.
- ``split`` cuts a bead at a unit boundary of each language (the first part keeps the
  first ``at[lang]`` units) and, with a ``cut``, first cuts one unit of one language
  inside its text (two clauses run together): the second piece gets the id
  ``I.5~2``. ``unpair`` is a split that puts one language's side into a bead of its
  own after the rest. Undone on either part.
- ``shift`` moves one language's first unit to the previous bead (``up``) or its last
  unit to the next bead (``down``), as InterText and LF Aligner do; undone on either.
- ``insert_empty`` opens a gap in one language's column before a bead: that
  language's units of this bead and of each following one move down one bead, until a
  bead whose side is already empty takes them (or a new last bead; in a sentence-level
  workspace, a new bead at the end of the clause: ``"within": "clause"``); undone on any
  bead of the run.

Each records the hash of the texts it was made on and the keys of the beads it made;
one whose beads are gone, moved apart or read differently is *stale*: not applied,
shown. Beads keep their unit texts (``BeadData.units``); a re-paired bead's text is
its units joined.
"""

from __future__ import annotations

import json
from dataclasses import replace

from ..export.ids import bead_key, legacy_key, with_suffix
from .records import BeadData, bead_hash, text_hash

REPAIRS = ("merge", "split", "unpair", "shift", "insert_empty")
PIECE = "~"            # I.5~2: the second piece of unit I.5 after a cut inside its text


def joiner(lang: str) -> str:
    """How texts of one language are joined in a bead (as align.records.bead_text)."""
    return "" if lang.split("-")[0] == "zh" else " "


def beads_hash(a: BeadData, b: BeadData, langs: list[str]) -> str:
    return text_hash(*(a.texts.get(lang, "") for lang in langs),
                     *(b.texts.get(lang, "") for lang in langs))


def run_hash(run: list[BeadData], lang: str) -> str:
    """What an insert_empty depends on: the run's keys and its language's texts."""
    return text_hash(*(x for b in run for x in (b.key, b.texts.get(lang, ""))))


def merged(a: BeadData, b: BeadData, langs: list[str]) -> BeadData:
    ids = {lang: a.ids.get(lang, []) + b.ids.get(lang, []) for lang in langs}
    texts = {lang: joiner(lang).join(t for t in (a.texts.get(lang, ""), b.texts.get(lang, ""))
                                     if t) for lang in langs}
    key = bead_key(ids, langs)
    if key in (a.key, b.key):        # a part with no pivot text: keep the keys distinct
        key = with_suffix(key, "m")
    units = ({lang: a.units.get(lang, []) + b.units.get(lang, []) for lang in langs}
             if a.units is not None and b.units is not None else None)
    return BeadData(key, a.kind, min(a.confidence, b.confidence), ids, texts, units)


def piece_id(uid: str, taken) -> str:
    """The id of the second piece of unit ``uid`` cut inside its text."""
    base, k = uid, 2
    if PIECE in uid and uid.rsplit(PIECE, 1)[1].isdigit():
        base, n = uid.rsplit(PIECE, 1)
        k = int(n) + 1
    while f"{base}{PIECE}{k}" in taken:
        k += 1
    return f"{base}{PIECE}{k}"


def locate_cut(b: BeadData, lang: str, offset: int) -> tuple[int, int] | None:
    """(unit index, offset in that unit) of a character offset in ``lang``'s text; the
    offset in the unit is 0 where the cut falls on a unit boundary (or in spaces next
    to one). None where the offset is not inside the text."""
    units = (b.units or {}).get(lang, [])
    j, pos = joiner(lang), 0
    for k, u in enumerate(units):
        end = pos + len(u)
        if pos <= offset <= end:
            head, tail = u[:offset - pos], u[offset - pos:]
            if not head.strip():
                return k, 0
            if not tail.strip():
                return (k + 1, 0) if k + 1 < len(units) else None
            return k, offset - pos
        pos = end + len(j)
        if offset < pos:                 # inside the joiner: the boundary before unit k+1
            return k + 1, 0
    return None


def cut_unit(b: BeadData, lang: str, unit: int, offset: int) -> BeadData:
    """``b`` with ``lang``'s unit ``unit`` cut in two at ``offset`` of its text."""
    units, ids = list(b.units[lang]), list(b.ids[lang])
    u = units[unit]
    units[unit:unit + 1] = [u[:offset].rstrip(), u[offset:].lstrip()]
    ids[unit:unit + 1] = [ids[unit], piece_id(ids[unit], set(ids))]
    return replace(b, ids={**b.ids, lang: ids}, units={**b.units, lang: units},
                   texts={**b.texts, lang: joiner(lang).join(units)})


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
        first = replace(first, key=with_suffix(first.key, "s1"))
    if second.key in taken or second.key in (b.key, first.key):
        second = replace(second, key=with_suffix(second.key, "s2"))
    return first, second


def _rebuilt(old: list[BeadData], sides: list[dict[str, tuple[list, list]]],
             langs: list[str], taken: set) -> list[BeadData]:
    """Beads with new (ids, units) per language, in place of ``old`` (one per side; a
    side with no units at all is dropped); keys by their ids, kept apart from
    ``taken``."""
    out = []
    for k, side in enumerate(sides):
        if not any(side[lang][0] for lang in langs):
            continue
        tmpl = old[min(k, len(old) - 1)]
        ids = {lang: list(side[lang][0]) for lang in langs}
        units = {lang: list(side[lang][1]) for lang in langs}
        key = base = bead_key(ids, langs)
        n = 2
        while key in taken:
            key, n = with_suffix(base, f"r{n}"), n + 1
        taken.add(key)
        out.append(BeadData(key, tmpl.kind, tmpl.confidence, ids,
                            {lang: joiner(lang).join(units[lang]) for lang in langs}, units))
    return out


def _side(b: BeadData, lang: str) -> tuple[list, list]:
    return list(b.ids.get(lang, [])), list((b.units or {}).get(lang, []))


def shifted(out: list[BeadData], i: int, lang: str, direction: str,
            langs: list[str]) -> tuple[int, list[BeadData]] | None:
    """(index of the first bead replaced, the two (or one) beads a shift makes); None
    where it cannot be made (no neighbour, no unit of ``lang`` there, no unit texts)."""
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(out):
        return None
    a, b = (out[j], out[i]) if direction == "up" else (out[i], out[j])
    if a.units is None or b.units is None:
        return None
    sa, sb = _side(a, lang), _side(b, lang)
    src = sb if direction == "up" else sa
    if not src[0]:
        return None
    if direction == "up":          # b's first unit goes to the end of a
        sa = (sa[0] + sb[0][:1], sa[1] + sb[1][:1])
        sb = (sb[0][1:], sb[1][1:])
    else:                          # a's last unit goes to the start of b
        sb = (sa[0][-1:] + sb[0], sa[1][-1:] + sb[1])
        sa = (sa[0][:-1], sa[1][:-1])
    sides = [{**{x: _side(a, x) for x in langs}, lang: sa},
             {**{x: _side(b, x) for x in langs}, lang: sb}]
    first = min(i, j)
    taken = {x.key for k, x in enumerate(out) if k not in (i, j)}
    return first, _rebuilt([a, b], sides, langs, taken)


def insert_run(out: list[BeadData], i: int, lang: str) -> int | None:
    """The end (exclusive) of the run an insert_empty at bead ``i`` moves: up to and
    including the first later bead with no ``lang`` units (or the end of the list);
    None where bead ``i`` has no ``lang`` units or nothing else to keep in place."""
    b = out[i]
    if b.units is None or not b.ids.get(lang) or not any(
            b.ids.get(x) for x in b.ids if x != lang):
        return None
    for k in range(i + 1, len(out)):
        if out[k].units is None:
            return None
        if not out[k].ids.get(lang):
            return k + 1
    return len(out)


def inserted(out: list[BeadData], i: int, end: int, lang: str,
             langs: list[str]) -> list[BeadData]:
    """The beads of ``out[i:end]`` after an insert_empty at ``i``: ``lang``'s sides move
    down one bead (the last side into a new bead where the run reaches the end)."""
    run = out[i:end]
    lang_sides = [([], [])] + [_side(b, lang) for b in run]
    sides = [{**{x: _side(b, x) for x in langs}, lang: lang_sides[k]}
             for k, b in enumerate(run)]
    if lang_sides[-1][0]:            # the run reached the end: a new last bead
        sides.append({**{x: ([], []) for x in langs}, lang: lang_sides[-1]})
    taken = {x.key for k, x in enumerate(out) if not i <= k < end}
    return _rebuilt(run, sides, langs, taken)


def payload(d: dict) -> dict:
    return json.loads(d.get("payload") or "{}")


def made(d: dict) -> list[str]:
    """The keys of the beads a re-pairing decision made."""
    p = payload(d)
    if d["action"] == "merge":
        return [d["bead"]]
    if d["action"] in ("split", "unpair"):
        return p.get("split", [])[1:]
    return p.get("made", [])


def apply_repairs(beads: list[BeadData], decisions: list[dict], langs: list[str]):
    """(effective beads, applied re-pairing decision ids, stale ones), the decisions
    applied in order over ``beads``."""
    undone = {d["undoes"] for d in decisions if d["action"] == "undo"}
    out = list(beads)
    applied, stale = set(), []
    index: dict[str, int] | None = None
    for d in decisions:
        if d["action"] not in REPAIRS or d["id"] in undone:
            continue
        if index is None:
            index = {x.key: k for k, x in enumerate(out)}
        ok = _apply(out, index, d, langs)
        if ok:
            applied.add(d["id"])
            index = None              # positions moved
        else:
            stale.append(d)
    return out, applied, stale


def _apply(out: list[BeadData], index: dict, d: dict, langs: list[str]) -> bool:
    p, action = payload(d), d["action"]
    if action == "merge":
        a_key, b_key = p["merge"]
        i = index.get(a_key)
        if i is None or i + 1 >= len(out) or out[i + 1].key != b_key \
                or beads_hash(out[i], out[i + 1], langs) != d["text_hash"]:
            return False
        out[i:i + 2] = [replace(merged(out[i], out[i + 1], langs), key=d["bead"])]
        return True
    if action in ("split", "unpair"):
        i = index.get(d["bead"])
        if i is None or bead_hash(out[i], langs) != d["text_hash"]:
            return False
        b = out[i]
        cut = p.get("cut")
        if cut:
            if b.units is None or not 0 <= cut["unit"] < len(b.units.get(cut["lang"], [])):
                return False
            b = cut_unit(b, cut["lang"], cut["unit"], cut["offset"])
        parts = split_parts(b, p["at"], langs, {x.key for x in out})
        parts = parts and _as_recorded(list(parts), p["split"][1:])
        if not parts:
            return False
        out[i:i + 1] = parts
        return True
    i = index.get(d["bead"])
    if i is None:
        return False
    if action == "shift":
        j = i - 1 if p["direction"] == "up" else i + 1
        if not 0 <= j < len(out) or out[j].key != p["shift"][1]:
            return False
        a, b = sorted((i, j))
        if beads_hash(out[a], out[b], langs) != d["text_hash"]:
            return False
        res = shifted(out, i, p["lang"], p["direction"], langs)
        made_ = res and _as_recorded(res[1], p["made"])
        if not made_:
            return False
        out[res[0]:res[0] + 2] = made_
        return True
    if action == "insert_empty":
        end = insert_run(out, i, p["lang"])
        if end is not None and p.get("within") == "clause":     # stopped at its clause's end
            end = min(end, i + len(p["insert_empty"]))
        if end is None or [x.key for x in out[i:end]] != p["insert_empty"] \
                or run_hash(out[i:end], p["lang"]) != d["text_hash"]:
            return False
        new = _as_recorded(inserted(out, i, end, p["lang"], langs), p["made"])
        if not new:
            return False
        out[i:end] = new
        return True
    return False


def _as_recorded(beads: list[BeadData], keys: list[str]) -> list[BeadData] | None:
    """``beads`` under the keys their decision recorded; None where they differ. A
    workspace made before keys kept ids as written recorded their ``legacy_key``."""
    got = [x.key for x in beads]
    if got == keys:
        return beads
    if len(got) == len(keys) and all(legacy_key(g) == k for g, k in zip(got, keys)):
        return [replace(x, key=k) for x, k in zip(beads, keys)]
    return None


def unit_homes(beads: list[BeadData], langs: list[str]) -> dict[tuple[str, str], str]:
    """(lang, unit id) → the key of the bead that holds it."""
    out = {}
    for b in beads:
        for lang in langs:
            for uid in b.ids.get(lang, []):
                out.setdefault((lang, uid), b.key)
    return out
