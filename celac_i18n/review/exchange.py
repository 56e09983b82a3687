"""A workspace in and out of CAT tools: TMX 1.4b, XLIFF 1.2 and 2.0, and JSONL.

Ids are the beads' clause ids (``II.1.6``), not positions, so they survive an
inserted clause. Segment text is clean (no Markdown asterisks) and is the reviewed
target where a reviewer edited it. States follow the decisions:

    no target            initial         (XLIFF 1.2: new)
    rejected             initial         (needs-translation)
    not reviewed         translated      (translated)
    edited               reviewed        (signed-off)
    accepted             final           (final, approved="yes")

QA findings and comments go in as notes. Every export records its base (the
workspace's id, its revision, the languages and each target as exported: formats.py),
so that ``importing.import_file`` applies only what the file changed since.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..errors import UserError
from ..export.clean import clean_text
from ..export.codes import DEFAULT_CODES
from ..export.tmx import XML_LANG, check_tmx, xml_safe
from ..export.xliff import check_xliff, unit_attrs
from .formats import BASE, MDA, TMX_BASE, XLIFF12, XLIFF20, XML_SPACE, target_hash
from .store import BeadData, BeadState, Store, now

FORMATS = ("tmx", "xliff-1.2", "xliff-2.0", "jsonl")
SUFFIXES = {"tmx": "tmx", "xlf": "xliff-1.2", "xliff": "xliff-2.0", "jsonl": "jsonl"}
STATE_12 = {"translated": "translated", "reviewed": "signed-off", "final": "final"}
PRIORITY = {"critical": "1", "functional": "3", "cosmetic": "7"}


def format_for(output: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    if suffix not in SUFFIXES:
        raise UserError(f"{output}: cannot tell the format from the suffix; use --format "
                        f"({', '.join(FORMATS)}) or .tmx, .xlf (XLIFF 1.2), .xliff (2.0), .jsonl")
    return SUFFIXES[suffix]


def segment_state(st: BeadState, b: BeadData, lang: str) -> str:
    if not st.target(b, lang):
        return "initial"
    edit = st.edits.get(lang)
    verdict = st.verdict_by
    if verdict and not (edit and edit["id"] > verdict["id"]):
        return "final" if st.verdict == "accept" else "initial"
    return "reviewed" if edit else "translated"


@dataclass
class _Unit:
    bead: BeadData
    state: BeadState
    findings: list = field(default_factory=list)


def _units(store: Store, statuses: set[str] | None = None):
    """(base, units): the export's base (formats.py) and the beads to export, each with
    its state and findings; ``statuses``: only the beads in any of them
    (``states.STATUSES``; None: all)."""
    snap = store.snapshot()             # one reading: beads, findings and states agree
    # the revision this reading shows: every decision in it, and the last update
    rev = max([snap.content_rev] + [d["id"] for d in snap.decisions[-1:]])
    base = {"workspace_id": store.meta.get("workspace_id"), "workspace": store.path.name,
            "revision": rev, "langs": list(store.langs), "exported": now()}
    states = snap.states()
    findings: dict[str, list] = {}
    for f in snap.findings:
        findings.setdefault(f.bead, []).append(f)
    units = [_Unit(b, states[b.key], findings.get(b.key, [])) for b in snap.beads
             if not statuses or statuses & states[b.key].statuses()]
    if statuses and not units:
        raise UserError(f"no beads are {' or '.join(sorted(statuses))}: nothing to export")
    return base, units


def _finish(root, check=None) -> bytes:
    ET.indent(root, space=" ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    if check:
        check(data)       # parsed back: never hand out a file the checker refuses
    return data


def _seg(text: str) -> str:
    return xml_safe(clean_text(text))


def _meta_text(text: str) -> str:
    return xml_safe(text, "\ufffd")


def _tmx_date(iso: str | None) -> str:
    # 2026-11-30T12:00:00Z → 20261130T120000Z
    return (iso or "").replace("-", "").replace(":", "")


def _notes(u: _Unit, lang: str) -> list[tuple[str, str, str]]:
    """(category, priority, text) for the QA findings on ``lang`` and the comments."""
    out = []
    for f in u.findings:
        if f.tgt_lang != lang:
            continue
        dis = u.state.dismissed.get(f.fkey)
        text = f"{f.severity} {f.check} [{f.unit}]: {f.message}"
        if dis:
            text += f" (dismissed by {dis['reviewer']}: {dis['reason']})"
        out.append((f"qa:{f.check}", PRIORITY.get(f.severity, "5"), text))
    for c in u.state.comments:
        out.append(("comment", "5", f"{c['reviewer']} ({c['time']}): {c['text']}"))
    return out


def _pick_target(store: Store, target: str | None) -> str:
    others = store.langs[1:]
    if target is None:
        if len(others) != 1:
            raise UserError("XLIFF holds one language pair: choose it with --target "
                            f"({', '.join(others)})")
        return others[0]
    if target not in others:
        raise UserError(f"--target {target}: not among the workspace's languages "
                        f"({', '.join(others)})")
    return target

def _base_note(base: dict, pair=None) -> str:
    """The base as one line of JSON (an XLIFF 1.2 header note)."""
    return json.dumps({k: v for k, v in {**base, "pair": pair}.items() if v is not None},
                      ensure_ascii=False)


def to_tmx(store: Store, codes: dict[str, str], statuses: set[str] | None = None) -> bytes:
    from ..version import __version__

    langs, created = store.langs, _tmx_date(store.meta.get("created"))
    base, units = _units(store, statuses)
    root = ET.Element("tmx", {"version": "1.4"})
    header = ET.SubElement(root, "header", {
        "creationtool": "celac-i18n review", "creationtoolversion": __version__,
        "segtype": "sentence" if store.level == "sentence" else "paragraph",
        "o-tmf": "celac-i18n", "adminlang": "en",
        "srclang": codes.get(store.pivot, store.pivot), "datatype": "plaintext",
        "creationdate": created})
    ET.SubElement(header, "prop", {"type": "x-signature"}).text = _meta_text(
        str(store.meta.get("signature", "")))
    kinds = store.meta.get("kinds", {})
    for lang in langs:
        ET.SubElement(header, "prop", {"type": f"x-kind-{lang}"}).text = str(
            kinds.get(lang) or "unknown")
    for k in ("workspace_id", "workspace", "revision", "langs", "exported"):
        v = base[k]
        ET.SubElement(header, "prop", {"type": f"{TMX_BASE}{k.replace('_', '-')}"}).text = \
            _meta_text(",".join(v) if isinstance(v, list) else str(v))
    body = ET.SubElement(root, "body")
    for u in units:
        b, st = u.bead, u.state
        if not any(st.target(b, lang) for lang in langs):
            continue
        last = st.last_change()
        attrs = {"tuid": b.key, "creationdate": created, "creationid": "celac-i18n"}
        if last:
            attrs.update(changedate=_tmx_date(last["time"]), changeid=last["reviewer"])
        tu = ET.SubElement(body, "tu", attrs)
        status = ("accepted" if st.verdict == "accept" else "rejected" if st.verdict == "reject"
                  else "edited" if st.edits else "unreviewed")
        ET.SubElement(tu, "prop", {"type": "x-status"}).text = status
        ET.SubElement(tu, "prop", {"type": "x-confidence"}).text = f"{b.confidence:.4f}"
        for lang in langs[1:]:
            ET.SubElement(tu, "prop", {"type": f"{TMX_BASE}base-{lang}"}).text = \
                target_hash(st.target(b, lang))
        for lang in langs[1:]:
            for _, _, text in _notes(u, lang):
                ET.SubElement(tu, "note").text = _meta_text(text)
        for lang in langs:
            text = st.target(b, lang)
            if not text:
                continue
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: codes.get(lang, lang)})
            if lang in st.edits:
                tuv.set("changedate", _tmx_date(st.edits[lang]["time"]))
                tuv.set("changeid", st.edits[lang]["reviewer"])
            ET.SubElement(tuv, "seg").text = _seg(text)
    return _finish(root, check_tmx)


def to_xliff12(store: Store, codes: dict[str, str], target: str | None = None,
               statuses: set[str] | None = None) -> bytes:
    src, tgt = store.pivot, _pick_target(store, target)
    base, units = _units(store, statuses)
    ET.register_namespace("", XLIFF12)
    q = lambda tag: f"{{{XLIFF12}}}{tag}"  # noqa: E731
    root = ET.Element(q("xliff"), {"version": "1.2"})
    f = ET.SubElement(root, q("file"), {
        "original": _meta_text(str(store.meta.get("sources", {}).get(src, src))),
        "source-language": codes.get(src, src), "target-language": codes.get(tgt, tgt),
        "datatype": "plaintext", "tool-id": "celac-i18n"})
    header = ET.SubElement(f, q("header"))
    ET.SubElement(header, q("note"), {"from": "celac-i18n"}).text = _meta_text(
        _provenance(store, (src, tgt)))
    # a note: what CAT tools keep of a header they do not understand
    ET.SubElement(header, q("note"), {"from": BASE, "priority": "10"}).text = _meta_text(
        _base_note(base, [src, tgt]))
    body = ET.SubElement(f, q("body"))
    clauses, groups = store.clauses, {}
    for u in units:
        b, st = u.bead, u.state
        s_text, t_text = b.texts.get(src, ""), st.target(b, tgt)
        if not s_text and not t_text:
            continue
        state = segment_state(st, b, tgt)
        parent = body
        if clauses:           # sentence level: a clause's sentence units in its <group>
            c = clauses.of(b) or b.key
            if c not in groups:
                groups[c] = ET.SubElement(body, q("group"), {"id": c, "resname": c})
            parent = groups[c]
        tu = ET.SubElement(parent, q("trans-unit"), {"id": b.key, "resname": b.key,
                                                     XML_SPACE: "preserve"})
        if state == "final":
            tu.set("approved", "yes")
        ET.SubElement(tu, q("source")).text = _seg(s_text)
        if t_text:
            ET.SubElement(tu, q("target"), {
                "state": STATE_12.get(state, "needs-translation")}).text = _seg(t_text)
        group = ET.SubElement(tu, q("prop-group"), {"name": BASE})
        ET.SubElement(group, q("prop"), {"prop-type": "target"}).text = target_hash(t_text)
        for cat, prio, text in _notes(u, tgt):
            ET.SubElement(tu, q("note"), {"from": cat, "priority": prio}).text = _meta_text(text)
    return _finish(root)


def _mda(parent, q, items) -> None:
    """<mda:metadata><mda:metaGroup category=BASE><mda:meta type=K>V</...> (first child)."""
    md = ET.Element(f"{{{MDA}}}metadata")
    group = ET.SubElement(md, f"{{{MDA}}}metaGroup", {"category": BASE})
    for k, v in items:
        ET.SubElement(group, f"{{{MDA}}}meta", {"type": k}).text = _meta_text(str(v))
    parent.insert(0, md)


def to_xliff20(store: Store, codes: dict[str, str], target: str | None = None,
               statuses: set[str] | None = None) -> bytes:
    src, tgt = store.pivot, _pick_target(store, target)
    base, units = _units(store, statuses)
    ET.register_namespace("", XLIFF20)
    ET.register_namespace("mda", MDA)
    q = lambda tag: f"{{{XLIFF20}}}{tag}"  # noqa: E731
    root = ET.Element(q("xliff"), {"version": "2.0", "srcLang": codes.get(src, src),
                                   "trgLang": codes.get(tgt, tgt)})
    f = ET.SubElement(root, q("file"), {"id": "f1", "original": _meta_text(
        str(store.meta.get("sources", {}).get(src, src)))})
    notes = ET.SubElement(f, q("notes"))
    ET.SubElement(notes, q("note"), {"category": "celac-i18n"}).text = _meta_text(
        _provenance(store, (src, tgt)))
    # module elements come before <notes> in a <file> and a <unit>
    _mda(f, q, [(k, ",".join(v) if isinstance(v, list) else v)
                for k, v in {**base, "pair": [src, tgt]}.items()])
    for u in units:
        b, st = u.bead, u.state
        s_text, t_text = b.texts.get(src, ""), st.target(b, tgt)
        if not s_text and not t_text:
            continue
        unit = ET.SubElement(f, q("unit"), unit_attrs(b.key))   # an NMTOKEN id, the key as name
        un = _notes(u, tgt)
        if un:
            notes = ET.SubElement(unit, q("notes"))
            for cat, prio, text in un:
                ET.SubElement(notes, q("note"), {"category": cat, "priority": prio,
                                                 "appliesTo": "target"}).text = _meta_text(text)
        _mda(unit, q, [("key", b.key), ("target", target_hash(t_text))])
        seg = ET.SubElement(unit, q("segment"), {"state": segment_state(st, b, tgt)})
        ET.SubElement(seg, q("source"), {XML_SPACE: "preserve"}).text = _seg(s_text)
        if t_text:
            ET.SubElement(seg, q("target"), {XML_SPACE: "preserve"}).text = _seg(t_text)
    if f.find(q("unit")) is None:
        raise UserError("no beads to export")
    return _finish(root, check_xliff)


def to_jsonl(store: Store, statuses: set[str] | None = None) -> bytes:
    scores = store.scores()
    base, units = _units(store, statuses)
    lines = [json.dumps({"langs": store.langs, "sources": store.meta.get("sources", {}),
                         "kinds": store.meta.get("kinds", {}),
                         "signature": store.meta.get("signature"), "base": base,
                         "level": store.level}, ensure_ascii=False)]
    clauses = store.clauses
    for u in units:
        b, st = u.bead, u.state
        lines.append(json.dumps({
            "id": b.key, **({"clause": clauses.of(b)} if clauses else {}),
            "kind": b.kind, "confidence": b.confidence, "ids": b.ids,
            "text": {lang: st.target(b, lang) for lang in store.langs},
            "original": {lang: b.texts.get(lang, "") for lang in st.edits} or None,
            "state": {lang: segment_state(st, b, lang) for lang in store.langs[1:]},
            "verdict": st.verdict,
            "dismissed": sorted(st.dismissed), "stale": len(st.stale),
            "scores": scores.get(b.key) or None,
            "comments": [c["text"] for c in st.comments],
            "base": {lang: target_hash(st.target(b, lang)) for lang in store.langs[1:]}},
            ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _provenance(store: Store, langs) -> str:
    kinds, sources = store.meta.get("kinds", {}), store.meta.get("sources", {})
    return "; ".join(f"{lang}: {sources.get(lang, '')} ({kinds.get(lang) or 'unknown status'}"
                     f"{'' if kinds.get(lang) == 'official' else ', not an official text'})"
                     for lang in langs) + "; edited targets are reviewers' text, not official"


def export_bytes(store: Store, fmt: str, target: str | None = None,
                 codes: dict[str, str] | None = None,
                 statuses: set[str] | None = None) -> tuple[bytes, str, str]:
    """(data, content type, suffix) of the workspace in ``fmt``; ``statuses``: only the
    beads in any of them (e.g. {"accepted"} for a TM)."""
    codes = codes or dict(DEFAULT_CODES)
    if fmt == "tmx":
        return to_tmx(store, codes, statuses), "application/x-tmx+xml", "tmx"
    if fmt == "xliff-1.2":
        return to_xliff12(store, codes, target, statuses), "application/xliff+xml", "xlf"
    if fmt == "xliff-2.0":
        return to_xliff20(store, codes, target, statuses), "application/xliff+xml", "xliff"
    if fmt == "jsonl":
        return to_jsonl(store, statuses), "application/jsonl; charset=utf-8", "jsonl"
    raise UserError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
