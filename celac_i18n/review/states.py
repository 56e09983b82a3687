"""What the decisions on a workspace add up to: each bead's state (verdict, edits,
dismissals, comments, stale decisions, history, revision) and its status."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import BeadData, bead_hash, text_hash
from .repair import REPAIRS, made, payload

BEAD_ACTIONS = ("accept", "reject", "comment")      # on the whole bead
STATUSES = ("accepted", "rejected", "edited", "stale", "open", "unreviewed", "reviewed")


def edit_hash(b: BeadData, pivot: str, lang: str) -> str:
    return text_hash(b.texts.get(pivot, ""), b.texts.get(lang, ""))


@dataclass
class BeadState:
    verdict: str | None = None                      # accept | reject (the latest)
    verdict_by: dict | None = None
    edits: dict[str, dict] = field(default_factory=dict)      # lang → latest edit decision
    dismissed: dict[str, dict] = field(default_factory=dict)  # finding key → decision
    comments: list[dict] = field(default_factory=list)
    stale: list[dict] = field(default_factory=list)           # live but texts changed
    history: list[dict] = field(default_factory=list)         # every decision, undo included
    n_findings: int = 0
    rev: int = 0           # changes with every decision on the bead (and every update)

    @property
    def reviewed(self) -> bool:
        return self.verdict is not None or bool(self.edits)

    def target(self, bead: BeadData, lang: str) -> str:
        e = self.edits.get(lang)
        return e["text"] if e else bead.texts.get(lang, "")

    def last_change(self) -> dict | None:
        return self.history[-1] if self.history else None

    def statuses(self) -> set[str]:
        """Which of ``STATUSES`` the bead is in (open: neither accepted nor rejected)."""
        out = {"reviewed" if self.reviewed else "unreviewed"}
        if self.verdict == "accept":
            out.add("accepted")
        elif self.verdict == "reject":
            out.add("rejected")
        else:
            out.add("open")
        if self.edits:
            out.add("edited")
        if self.stale:
            out.add("stale")
        return out


def parse_statuses(spec: str | None) -> set[str] | None:
    """``accepted,edited`` → that set (None: no filter); an unknown one is bad input."""
    from ..errors import UserError

    if not spec:
        return None
    got = {s.strip() for s in spec.split(",") if s.strip()}
    bad = got - set(STATUSES)
    if bad:
        raise UserError(f"status: {', '.join(sorted(bad))}? (one or more of "
                        f"{', '.join(STATUSES)}, comma-separated)")
    return got


def compute_states(beads, findings, decisions, langs, applied=frozenset(),
                   stale_repairs=(), content_rev: int = 0) -> dict[str, BeadState]:
    by_key = {b.key: b for b in beads}
    fhash = {f.fkey: f.text_hash for f in findings}
    states = {b.key: BeadState(rev=content_rev) for b in beads}
    for f in findings:
        if f.bead in states:
            states[f.bead].n_findings += 1
    undone = {d["undoes"] for d in decisions if d["action"] == "undo"}

    def note(st, d):
        st.history.append(d)
        st.rev = max(st.rev, d["id"])

    for d in decisions:
        if d["action"] in REPAIRS and d["id"] in applied:
            # shown on every bead it made, undone from any of them
            for k in dict.fromkeys(made(d)):
                if k in states:
                    note(states[k], d)
            continue
        st = states.get(d["bead"])
        if st is None:
            continue        # its bead is gone after an update: kept in the file, not shown
        note(st, d)
        if d["action"] == "undo" or d["action"] in REPAIRS or d["id"] in undone:
            continue
        b = by_key[d["bead"]]
        if d["action"] in BEAD_ACTIONS:
            current = bead_hash(b, langs)
        elif d["action"] == "edit":
            current = edit_hash(b, langs[0], d["lang"])
        else:
            current = fhash.get(d["finding"])
        if d["text_hash"] != current:
            st.stale.append(d)
            continue
        if d["action"] in ("accept", "reject"):
            st.verdict, st.verdict_by = d["action"], d
        elif d["action"] == "edit":
            st.edits[d["lang"]] = d
        elif d["action"] == "dismiss":
            st.dismissed[d["finding"]] = d
        else:
            st.comments.append(d)
    for d in stale_repairs:     # on the first of the beads it joined (the bead it split)
        first = states.get(payload(d)["merge"][0] if d["action"] == "merge" else d["bead"])
        if first is not None and d not in first.stale:
            first.stale.append(d)
    return states


def live_edits(beads, decisions, langs) -> dict[tuple[str, str], dict]:
    """(bead, lang) → the edit in force (what ``compute_states`` would find), without
    building every bead's state: the texts that re-QA reads."""
    by_key = {b.key: b for b in beads}
    undone = {d["undoes"] for d in decisions if d["action"] == "undo"}
    out = {}
    for d in decisions:
        if d["action"] != "edit" or d["id"] in undone:
            continue
        b = by_key.get(d["bead"])
        if b is not None and d["text_hash"] == edit_hash(b, langs[0], d["lang"]):
            out[(d["bead"], d["lang"])] = d
    return out
