"""The workspace as reviewers see it at one revision, and how the next revision's view
is derived from it: only the beads the new decisions touched are worked out again.

A snapshot is made whole (``Snapshot.full``) from the workspace's content and every
decision, or *advanced* (``Snapshot.advanced``) from the previous one with the
decisions recorded since, by this process or any other (the revision in the file is
the truth: ``store.Store`` reads it on every request and reads the new decisions by
id). Advancing gives what a whole reading would: a new re-pairing is applied over the
previous beads (re-pairings apply in the order they were made, so the newest applies
last); after an undone one every re-pairing is applied again over the aligner's beads
(cheap: it is the per-bead work that costs). Then the touched beads (the ones the
decisions name, and those a re-pairing made, changed, removed or shows a stale one on)
get their state, their findings (re-QA), their similarity pairs and their nearest
clauses again; the counts are adjusted by what those beads contributed before and after.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .records import BeadData, FindingData
from .repair import REPAIRS, _apply, apply_repairs, made, unit_homes
from .states import BeadState, compute_states


@dataclass
class Base:
    """One content of the workspace (what ``review init`` or ``update`` wrote)."""
    stamp: tuple                       # (workspace id, content revision)
    beads: list[BeadData]
    findings: list[FindingData]
    scores: list[tuple]
    requa: object = None               # requa.Requa, made on first use


@dataclass(eq=False)
class Snapshot:
    """The workspace as reviewers see it at one moment (re-pairings applied, findings
    re-QA'd where texts or grouping changed)."""
    beads: list[BeadData]
    by_bead: dict[str, list[FindingData]]      # bead key → its findings
    score_rows: list[tuple]
    decisions: list[dict]
    applied: set            # re-pairing decisions in force
    stale_repairs: list     # re-pairing decisions whose beads changed or moved apart
    langs: list[str]
    similarity: dict[str, float | None] = field(default_factory=dict)   # pair key → value
    neighbours: dict[str, list] = field(default_factory=dict)   # pivot text key → list
    content_rev: int = 0
    new_requa: dict = field(default_factory=dict)     # re-QA results not yet stored
    stamp: tuple = ()                                 # (workspace id, revision)
    _states: dict | None = None
    _index: dict | None = None
    _counts: dict | None = None
    _findings: list | None = None
    _homes: dict | None = None
    # what the API derives per bead (similarity pairs, views): name → {bead key: value},
    # kept across advances for the beads not touched (what is derived from the whole
    # snapshot goes in ``memo``)
    derived: dict = field(default_factory=dict)
    touched: set | None = None       # the beads worked out again (None: all of them)
    memo: dict = field(default_factory=dict)    # what is derived from the whole snapshot

    # -- reading ---------------------------------------------------------------------
    @property
    def findings(self) -> list[FindingData]:
        if self._findings is None:
            self._findings = [f for b in self.beads for f in self.by_bead.get(b.key, ())]
        return self._findings

    def states(self) -> dict[str, BeadState]:
        if self._states is None:
            self._states = compute_states(self.beads, self.findings, self.decisions,
                                          self.langs, self.applied, self.stale_repairs,
                                          self.content_rev)
        return self._states

    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {b.key: i for i, b in enumerate(self.beads)}
        return self._index

    def bead(self, key: str) -> BeadData | None:
        i = self.index().get(key)
        return None if i is None else self.beads[i]

    def homes(self) -> dict[tuple[str, str], str]:
        """(lang, unit id) → the bead that holds it."""
        if self._homes is None:
            self._homes = unit_homes(self.beads, self.langs)
        return self._homes

    def counts(self) -> dict:
        if self._counts is None:
            out = dict.fromkeys(COUNTS, 0)
            for s in self.states().values():
                _add(out, s, 1)
            self._counts = out
        return dict(self._counts)

    def score_map(self) -> dict[str, dict[str, list[dict]]]:
        out: dict[str, dict[str, dict[str, dict]]] = {}
        for bead, lang, unit, metric, value in self.score_rows:
            row = out.setdefault(bead, {}).setdefault(lang, {}).setdefault(
                unit, {"unit": unit})
            row[metric] = value
        return {b: {lang: list(units.values()) for lang, units in by.items()}
                for b, by in out.items()}

    def targets(self, edits: dict):
        """``target(bead, lang)`` → (the text shown, edited?) with ``edits`` (bead,
        lang) → the edit in force."""
        def target(b, lang):
            e = edits.get((b.key, lang))
            return (e["text"], True) if e else (b.texts.get(lang, ""), False)
        return target

    # -- making ----------------------------------------------------------------------
    @classmethod
    def full(cls, base: Base, decisions: list[dict], langs: list[str], stamp: tuple,
             requa, cache, similarity: dict, neighbours: dict) -> "Snapshot":
        """Every bead worked out from ``base`` and ``decisions``. ``requa``: the
        base's ``requa.Requa``; ``cache``: qa key → findings JSON (a mapping)."""
        from .states import live_edits

        eff, applied, stale = apply_repairs(base.beads, decisions, langs)
        snap = cls(eff, {}, [], decisions, applied, stale, langs, similarity, neighbours,
                   base.stamp[1], stamp=stamp)
        snap.score_rows = snap._scores(base.scores)
        target = snap.targets(live_edits(eff, decisions, langs))
        for b in eff:
            fs = requa.bead(b, target, cache, snap.new_requa, snap.homes)
            if fs:
                snap.by_bead[b.key] = fs
        return snap

    def advanced(self, base: Base, new: list[dict], stamp: tuple, requa, cache,
                 lookup) -> "Snapshot | None":
        """The snapshot after ``new`` decisions (ids above this one's). ``lookup(snap,
        beads)``: the similarities and nearest clauses of the beads worked out again
        that are not known here."""
        decisions = self.decisions + new
        repairs = {d["id"] for d in decisions if d["action"] in REPAIRS}
        touched = set()
        by_id = None
        for d in new:
            touched.add(d["bead"])
            if d["action"] == "undo":
                if by_id is None:
                    by_id = {x["id"]: x for x in decisions}
                u = by_id.get(d["undoes"])
                if u is not None:
                    touched.add(u["bead"])
        beads, applied, stale = self.beads, self.applied, self.stale_repairs
        repaired = any(d["action"] in REPAIRS for d in new)
        if any(d["action"] == "undo" and d["undoes"] in repairs for d in new):
            # an undone re-pairing: every later one applies over other beads
            beads, applied, stale = apply_repairs(base.beads, decisions, self.langs)
            repaired = True
        elif repaired:
            beads, applied, stale = list(beads), set(applied), list(stale)
            for d in new:             # in order, over the beads the earlier ones left
                if d["action"] in REPAIRS:
                    if _apply(beads, {x.key: k for k, x in enumerate(beads)}, d, self.langs):
                        applied.add(d["id"])
                    else:
                        stale.append(d)
        if repaired:
            # the beads made, changed or gone; those a re-pairing now stale (or no
            # longer stale) is shown on; those an applied one was made on
            before = {b.key: b for b in self.beads}
            touched.update(b.key for b in beads if before.get(b.key) is not b)
            touched.update(set(before) - {b.key for b in beads})
            was = {d["id"] for d in self.stale_repairs}
            now = {d["id"] for d in stale}
            touched.update(_stale_home(d) for d in [*self.stale_repairs, *stale]
                           if (d["id"] in was) != (d["id"] in now))
            for d in new:
                if d["id"] in applied:
                    touched.update(made(d))
        snap = Snapshot(beads, dict(self.by_bead), self.score_rows, decisions, applied, stale,
                        self.langs, self.similarity, self.neighbours, self.content_rev,
                        stamp=stamp)
        if repaired:
            snap.score_rows = snap._scores(base.scores)
        else:
            snap._index, snap._homes = self._index, self._homes
        index = snap.index()
        dirty = [beads[index[k]] for k in sorted(touched & index.keys(), key=index.get)]
        for k in touched - index.keys():
            snap.by_bead.pop(k, None)
        # the touched beads' states: their decisions, every undo, the re-pairings that
        # made them (compute_states over those alone gives what it gives over all)
        keys = {b.key for b in dirty}
        ds = [d for d in decisions if d["bead"] in keys or d["action"] == "undo"
              or (d["id"] in applied and keys.intersection(made(d)))]
        part = compute_states(dirty, [], ds, self.langs, applied, stale, self.content_rev)
        edits = {(k, lang): e for k, st in part.items() for lang, e in st.edits.items()}
        target = snap.targets(edits)
        for b in dirty:
            fs = requa.bead(b, target, cache, snap.new_requa, snap.homes)
            if fs:
                snap.by_bead[b.key] = fs
            else:
                snap.by_bead.pop(b.key, None)
        # again with the findings they now have (counts of findings, dismissals' hashes:
        # a dismissal is checked against its finding wherever it is now)
        fs = [f for b in dirty for f in snap.by_bead.get(b.key, ())]
        have = {f.fkey for f in fs}
        if any(d["action"] == "dismiss" and d["finding"] not in have for d in ds):
            fs = snap.findings
        part = compute_states(dirty, fs, ds, self.langs, applied, stale, self.content_rev)
        old = self.states()
        states = dict(old)
        for k in touched:
            states.pop(k, None)
        states.update(part)
        snap._states = states
        if self._counts is not None:
            counts = dict(self._counts)
            for k in touched:
                if k in old:
                    _add(counts, old[k], -1)
                if k in part:
                    _add(counts, part[k], 1)
            counts["beads"] = len(states)
            snap._counts = counts
        for name, got in list(self.derived.items()):    # (the server's threads add)
            got = snap.derived[name] = dict(got)
            for k in touched:
                got.pop(k, None)
        snap.touched = touched
        lookup(snap, dirty)
        return snap

    def _scores(self, scores: list[tuple]) -> list[tuple]:
        """Scores follow their unit into the bead that holds it now."""
        if not scores:
            return []
        homes = self.homes()
        return [(homes.get((lang, unit), b), lang, unit, *rest)
                for b, lang, unit, *rest in scores]


COUNTS = ("beads", "reviewed", "accepted", "rejected", "edited", "unreviewed", "stale",
          "comments", "findings", "dismissed")


def _add(out: dict, s: BeadState, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) what one bead's state counts."""
    out["beads"] += sign
    out["reviewed" if s.reviewed else "unreviewed"] += sign
    out["accepted"] += sign * (s.verdict == "accept")
    out["rejected"] += sign * (s.verdict == "reject")
    out["edited"] += sign * bool(s.edits)
    out["stale"] += sign * bool(s.stale)
    out["comments"] += sign * len(s.comments)
    out["findings"] += sign * s.n_findings
    out["dismissed"] += sign * len(s.dismissed)


def _stale_home(d: dict) -> str:
    """The bead a stale re-pairing is shown on (``states.compute_states``)."""
    return json.loads(d["payload"])["merge"][0] if d["action"] == "merge" else d["bead"]
