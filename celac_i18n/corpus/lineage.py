"""Where a corpus text came from, step by step: the chain ``corpus show REF`` prints.

Each step is one manifest entry: what it is (kind, engine and version, reviewers), the
hash recorded and whether the file still has it, how it entered the corpus (imported
from where and when), and the entry it was made from, with the hash it was made from
(a machine rendering's ``source_sha256``, a reviewed text's ``based_on_sha256``), which
is followed until a text made from nothing else (an official one, an import).
"""

from __future__ import annotations

from .verify import HashCache, display_ref, file_problem, source_of, stale_problem


def chain(entry, manifest, hashes: HashCache | None = None) -> list[dict]:
    """The steps from ``entry`` back to its first source, newest first."""
    steps, seen = [], set()
    while entry is not None and id(entry) not in seen:
        seen.add(id(entry))
        steps.append(step(entry, manifest, hashes))
        entry = source_of(entry, manifest)
    return steps


def step(entry, manifest, hashes: HashCache | None = None) -> dict:
    x = entry.extra
    status = "not shipped"
    if entry.file:
        bad = file_problem(entry, manifest, hashes)
        stale = stale_problem(entry, manifest)
        status = bad.what if bad else ("stale" if stale else "verified")
    out = {"ref": display_ref(entry), "kind": entry.kind, "file": entry.file or "",
           "sha256": entry.sha256, "status": status}
    if entry.kind == "machine":
        out["made_by"] = " ".join(str(v) for v in (x.get("engine"), x.get("engine_version"))
                                  if v)
        if x.get("signature"):
            out["signature"] = x["signature"]
    if entry.kind == "reference" and x.get("translator"):
        out["made_by"] = x["translator"]
    if entry.kind == "reviewed":
        out["made_by"] = ", ".join(x.get("reviewers") or []) or "reviewers"
        for key in ("workspace", "edits", "decisions", "saved"):
            if x.get(key) is not None:
                out[key] = x[key]
    src = x.get("translated_from") or x.get("based_on")
    if src:
        out["from"] = src
        made_from = x.get("source_sha256") or x.get("based_on_sha256")
        if made_from:
            out["from_sha256"] = made_from
    imported = x.get("imported")
    if isinstance(imported, dict):
        out["imported"] = {k: imported[k] for k in ("from", "date", "time", "reader",
                                                    "encoding", "sha256") if imported.get(k)}
    if entry.sources:
        out["sources"] = list(entry.sources)
    return out


def describe(steps: list[dict]) -> list[str]:
    """The chain as lines, one block per step."""
    lines = []
    for k, s in enumerate(steps):
        lead = "" if k == 0 else "  " * (k - 1) + "└ made from "
        what = s["kind"] + (f" by {s['made_by']}" if s.get("made_by") else "")
        lines.append(f"{lead}{s['ref']}  {what}  [{s['status']}]")
        pad = "  " * k + "    "
        if s["file"]:
            lines.append(f"{pad}file {s['file']}  sha256 {s['sha256'][:12] or 'none'}")
        if s.get("from"):
            lines.append(f"{pad}from {s['from']}"
                         + (f" at sha256 {s['from_sha256'][:12]}" if s.get("from_sha256")
                            else " (no source hash recorded)"))
        if s.get("imported"):
            i = s["imported"]
            when = " ".join(v for v in (i.get("date"), i.get("time")) if v)
            lines.append(f"{pad}imported from {i.get('from', '?')}"
                         + (f" on {when}" if when else "")
                         + (f" ({i['reader']})" if i.get("reader") else ""))
        for key in ("workspace", "edits", "decisions", "saved"):
            if s.get(key) is not None:
                v = s[key]
                lines.append(f"{pad}{key} {len(v) if isinstance(v, list) else v}"
                             + (" decision(s)" if isinstance(v, list) else ""))
        if s.get("sources"):
            lines.append(f"{pad}sources {' '.join(s['sources'])}")
    return lines


def source_record(raw: str, manifest, *, strict: bool = False, say=None) -> dict:
    """What a rendering records of the corpus text it was made from: its reference and
    the sha256 of its bytes now (read and verified: a modified source is said, and under
    strict refused)."""
    from ..errors import UserError
    from .refs import parse_ref, resolve_entry
    from .verify import read_entry

    r = parse_ref(raw)
    if not r.plan:
        raise UserError(f"{raw}: not a corpus text; --from names one as PLAN:LANG[:KIND]")
    entry, manifest = resolve_entry(r, manifest)
    if not entry.file:
        raise UserError(f"{raw}: {entry.ref} is known but not shipped; a rendering can "
                        "only record a text the corpus has")
    _, prov = read_entry(entry, manifest, strict=strict, say=say)
    return {"translated_from": display_ref(entry), "source_sha256": prov.sha256}
