"""An edited TMX, XLIFF 1.2/2.0 or JSONL read back into its workspace, three-way.

Every export records its base (formats.py): the workspace's id, its revision, the
languages, and each target as exported. For each target the file holds:

    the file has the base text                  unchanged (where the workspace changed
                                                it since: "kept", the newer text stays)
    only the file changed it                    applied: an ``edit`` by the importer
    both changed it, to the same text           unchanged
    both changed it, differently                a CONFLICT: nothing recorded; the unit,
                                                the base, the workspace's and the file's
                                                text are reported

Where a tool kept the file's base but dropped a unit's, the unit's base is the
workspace's target at the exported revision (decisions are never rewritten), and a
bead nothing touched since then is the base itself. A file with no base (a foreign TMX)
is read as before, every differing target applied, and the report says so.

A file from another workspace or of another language pair is refused (UserError).
Units are found by id (XLIFF 1.2 ``resname``, the 2.0 unit's recorded key), then, where
a tool rewrote the ids, by their source text when exactly one bead has it. A unit whose
source differs from its bead's is stale (the workspace's source changed since).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field

from ..errors import UserError
from ..export.codes import DEFAULT_CODES
from ..export.ids import from_nmtoken
from .formats import BASE, MDA, TMX_BASE, XLIFF12, XLIFF20, squash, target_hash
from .repair import REPAIRS
from .states import edit_hash
from .store import Store

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ON_CONFLICT = ("keep", "file")


@dataclass
class FileBase:
    """What the export recorded of the workspace it came from."""
    workspace_id: str | None = None
    workspace: str = ""
    revision: int | None = None
    langs: list[str] = field(default_factory=list)
    pair: list[str] | None = None
    exported: str = ""


@dataclass
class FileUnit:
    ids: list[str]                  # what may name its bead, first the unit's own id
    texts: dict[str, str]           # file language code → text (the source's first)
    base: dict[str, str]            # workspace lang → hash of the target as exported


@dataclass
class ParsedFile:
    fmt: str
    base: FileBase | None
    pairs: list[tuple[str, str]]    # XLIFF: (source code, target code) per <file>
    codes: list[str]                # every language code the file holds
    units: list[FileUnit]


@dataclass
class ImportReport:
    file: str = ""
    format: str = ""
    base: dict | None = None
    units: int = 0
    applied: list[dict] = field(default_factory=list)     # {key, lang, id}
    unchanged: int = 0
    kept: list[dict] = field(default_factory=list)        # file had the base, workspace newer
    conflicts: list[dict] = field(default_factory=list)   # {key, id, lang, base, workspace, file, by}
    stale: list[str] = field(default_factory=list)        # unit ids: source changed since
    unmatched: list[dict] = field(default_factory=list)   # {id, reason}
    matched_by_source: list[dict] = field(default_factory=list)   # {id, key}
    emptied: list[dict] = field(default_factory=list)     # a target emptied in the file
    overwritten: list[dict] = field(default_factory=list) # no base: reviewers' edits replaced
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    # the names the first import had (tests and scripts read them)
    @property
    def edits(self) -> int:
        return len(self.applied)

    @property
    def unknown(self) -> list[str]:
        return [u["id"] for u in self.unmatched]

    def to_json(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        verb = "would be applied" if self.dry_run else "applied"
        parts = [f"{len(self.applied)} {verb}", f"{self.unchanged} unchanged"]
        if self.kept:
            parts.append(f"{len(self.kept)} kept (newer in the workspace)")
        parts.append(f"{len(self.conflicts)} conflict(s)")
        parts.append(f"{len(self.stale)} stale (source changed since the export)")
        parts.append(f"{len(self.unmatched)} unmatched")
        if self.matched_by_source:
            parts.append(f"{len(self.matched_by_source)} matched by source text")
        return f"{self.file}: {', '.join(parts)}"

    def lines(self, limit: int = 50) -> list[str]:
        """The report for a terminal: the summary, then every conflict, then the rest."""
        out = [self.summary()]
        out += [f"warning: {w}" for w in self.warnings]
        for c in self.conflicts:
            out.append(f"CONFLICT {c['key']} ({c['lang']})"
                       + (f" [unit {c['id']}]" if c["id"] != c["key"] else "")
                       + (f", workspace edit by {c['by']}" if c.get("by") else ""))
            out.append(f"  exported:     {_show(c['base'])}")
            out.append(f"  workspace:    {_show(c['workspace'])}")
            out.append(f"  file:         {_show(c['file'])}"
                       + ("  (applied: --on-conflict file)" if c.get("resolved") == "file"
                          else ""))
        for title, rows in (("kept (the file has the exported text, the workspace a newer one)",
                             [f"{k['key']} ({k['lang']})" for k in self.kept]),
                            ("matched by source text (ids rewritten)",
                             [f"{m['id']} → {m['key']}" for m in self.matched_by_source]),
                            ("unmatched", [f"{u['id']}: {u['reason']}" for u in self.unmatched]),
                            ("stale (source changed since the export)", self.stale),
                            ("emptied in the file, not applied (reject the bead instead)",
                             [f"{e['key']} ({e['lang']})" for e in self.emptied]),
                            ("reviewers' edits replaced (the file has no base)",
                             [f"{o['key']} ({o['lang']}, by {o['by']})" for o in self.overwritten])):
            if rows:
                out.append(f"{title}: {len(rows)}")
                out += [f"  {r}" for r in rows[:limit]]
                if len(rows) > limit:
                    out.append(f"  … and {len(rows) - limit} more")
        return out


def _show(text) -> str:
    return "(not known)" if text is None else repr(text) if not text else text


# -- reading the file -------------------------------------------------------------------
def _text(el) -> str:
    """An element's text with inline markup (g, mrk, pc, ph...) flattened."""
    return "".join(el.itertext()) if el is not None else ""


def _int(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _langs(v) -> list[str]:
    if isinstance(v, list):
        return [str(x) for x in v]
    return [x for x in str(v or "").split(",") if x]


def _make_base(d: dict) -> FileBase | None:
    if not d.get("workspace_id"):
        return None
    pair = _langs(d.get("pair")) or None
    return FileBase(str(d["workspace_id"]), str(d.get("workspace") or ""),
                    _int(d.get("revision")), _langs(d.get("langs")), pair,
                    str(d.get("exported") or ""))


def parse(data: bytes) -> ParsedFile:
    if data.lstrip()[:1] == b"{":
        return _parse_jsonl(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise UserError(f"not XML: {e}") from None
    if root.tag == "tmx":
        return _parse_tmx(root)
    if root.tag == f"{{{XLIFF12}}}xliff":
        return _parse_xliff12(root)
    if root.tag == f"{{{XLIFF20}}}xliff":
        return _parse_xliff20(root)
    raise UserError("not a TMX or XLIFF 1.2/2.0 file (nor a review JSONL export)")


def _parse_tmx(root) -> ParsedFile:
    header = root.find("header")
    props = {}
    if header is not None:
        props = {(p.get("type") or "")[len(TMX_BASE):].replace("-", "_"): p.text or ""
                 for p in header.findall("prop") if (p.get("type") or "").startswith(TMX_BASE)}
    units, codes = [], {}
    src = header.get("srclang", "") if header is not None else ""
    if src and src.lower() != "*all*":
        codes[src] = True
    for tu in root.iterfind("body/tu"):
        texts = {}
        for tuv in tu.findall("tuv"):
            code = tuv.get(XML_LANG) or tuv.get("lang", "")
            codes[code] = True
            texts[code] = _text(tuv.find("seg"))
        base = {(p.get("type") or "")[len(TMX_BASE) + 5:]: p.text or ""
                for p in tu.findall("prop") if (p.get("type") or "").startswith(TMX_BASE + "base-")}
        units.append(FileUnit([tu.get("tuid") or ""], texts, base))
    return ParsedFile("tmx", _make_base(props), [], list(codes), units)


def _parse_xliff12(root) -> ParsedFile:
    q = lambda t: f"{{{XLIFF12}}}{t}"  # noqa: E731
    base, pairs, units = None, [], []
    for f in root.iter(q("file")):
        src, tgt = f.get("source-language", ""), f.get("target-language", "")
        pairs.append((src, tgt))
        for note in f.iterfind(f"{q('header')}/{q('note')}"):
            if note.get("from") == BASE and base is None:
                try:
                    base = _make_base(json.loads(note.text or ""))
                except (ValueError, AttributeError):
                    base = None
        for tu in f.iter(q("trans-unit")):
            texts = {src: _text(tu.find(q("source")))}
            t = tu.find(q("target"))
            if t is not None:
                texts[tgt] = _text(t)
            ub = {}
            for g in tu.iter(q("prop-group")):
                if g.get("name") == BASE:
                    for p in g.iter(q("prop")):
                        if p.get("prop-type") == "target":
                            ub["target"] = p.text or ""
            units.append(FileUnit([tu.get("id") or "", tu.get("resname") or ""], texts, ub))
    return ParsedFile("xliff-1.2", base, pairs, sorted({c for p in pairs for c in p}), units)


def _meta(el) -> dict[str, str]:
    """The unit's or file's <mda:meta> values in our metaGroup."""
    out = {}
    for g in el.iterfind(f"{{{MDA}}}metadata/{{{MDA}}}metaGroup"):
        if g.get("category") == BASE:
            out.update({m.get("type"): m.text or "" for m in g.iter(f"{{{MDA}}}meta")})
    return out


def _parse_xliff20(root) -> ParsedFile:
    q = lambda t: f"{{{XLIFF20}}}{t}"  # noqa: E731
    src, tgt = root.get("srcLang", ""), root.get("trgLang", "")
    base, units = None, []
    for f in root.iter(q("file")):
        base = base or _make_base(_meta(f))
        for unit in f.iter(q("unit")):
            segs = unit.findall(q("segment"))
            texts = {src: "".join(_text(s.find(q("source"))) for s in segs)}
            if any(s.find(q("target")) is not None for s in segs):
                texts[tgt] = "".join(_text(s.find(q("target"))) for s in segs)
            m = _meta(unit)
            uid = unit.get("id") or ""
            ids = [uid, m.get("key", ""), unit.get("name") or "", from_nmtoken(uid)]
            units.append(FileUnit(ids, texts, {"target": m["target"]} if "target" in m else {}))
    return ParsedFile("xliff-2.0", base, [(src, tgt)], [src, tgt], units)


def _parse_jsonl(data: bytes) -> ParsedFile:
    base, langs, units = None, [], []
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise UserError(f"line {n}: not JSON") from None
        if not isinstance(row, dict):
            raise UserError(f"line {n}: not a JSON object")
        if "langs" in row and "id" not in row:
            langs = _langs(row.get("langs"))
            base = _make_base(row.get("base") or {})
            continue
        texts = row.get("text")
        if not isinstance(texts, dict) or not isinstance(row.get("id"), str):
            raise UserError(f"line {n}: a unit needs \"id\" and \"text\" {{lang: text}}")
        b = row.get("base") if isinstance(row.get("base"), dict) else {}
        units.append(FileUnit([row["id"]], {str(k): str(v or "") for k, v in texts.items()},
                              {str(k): str(v) for k, v in b.items()}))
    if not langs:
        raise UserError("not a review JSONL export (its first line names the languages)")
    return ParsedFile("jsonl", base, [], langs, units)


# -- the workspace's side ---------------------------------------------------------------
def _lang_of(code: str, langs: list[str], codes: dict[str, str]) -> str | None:
    code = (code or "").lower()
    for lang in langs:
        if code in (codes.get(lang, lang).lower(), lang):
            return lang
    primary = code.split("-")[0].split("_")[0]
    return next((lang for lang in langs if lang == primary), None)


def _check_langs(store: Store, pf: ParsedFile, codes: dict[str, str], name: str, report):
    """code → workspace lang for the file's languages; refuses another language pair."""
    langs, pivot = store.langs, store.pivot
    pairs_here = ", ".join(f"{pivot}→{t}" for t in langs[1:])
    mapping = {c: _lang_of(c, langs, codes) for c in pf.codes}
    for s, t in pf.pairs:
        ms, mt = mapping.get(s), mapping.get(t)
        if ms != pivot or mt not in langs[1:]:
            why = ("the reverse pair" if (ms in langs[1:] and mt == pivot) else
                   "another language pair")
            raise UserError(f"{name}: the file is {s or '?'}→{t or '?'} ({why}); this "
                            f"workspace's pairs are {pairs_here}")
    known = {m for m in mapping.values() if m}
    if pivot not in known or not known & set(langs[1:]):
        raise UserError(f"{name}: the file holds {', '.join(pf.codes) or 'no language'}; this "
                        f"workspace is {', '.join(langs)} (another language pair)")
    other = [c for c, m in mapping.items() if m is None and c]
    if other:
        report.warnings.append(f"languages not in the workspace, left out: {', '.join(other)}")
    return mapping


def _check_base(store: Store, pf: ParsedFile, mapping: dict, name: str, rev_now: int,
                report) -> FileBase | None:
    b = pf.base
    if b is None:
        report.warnings.append(
            "the file carries no export base (not exported by this workspace, or its tool "
            "dropped the metadata): every target that differs from the workspace's was "
            "applied, as an import did before bases were recorded")
        return None
    mine = store.meta.get("workspace_id")
    if b.workspace_id != mine:
        raise UserError(f"{name}: exported from another workspace ({b.workspace or '?'}, id "
                        f"{b.workspace_id[:8]}), not from {store.path.name} (id "
                        f"{str(mine)[:8]}): import it there (or --ignore-base to read it as a "
                        "foreign file)")
    if b.langs and b.langs != store.langs:
        raise UserError(f"{name}: exported for {', '.join(b.langs)}, the workspace is "
                        f"{', '.join(store.langs)} (another language pair)")
    if b.pair and len(pf.pairs) == 1:
        s, t = pf.pairs[0]
        if [mapping.get(s), mapping.get(t)] != b.pair:
            raise UserError(f"{name}: exported as {'→'.join(b.pair)}, the file now says "
                            f"{s}→{t} (another language pair)")
    report.base = asdict(b)
    if b.revision is not None and b.revision > rev_now:
        report.warnings.append(
            f"the file was exported at revision {b.revision}, later than the workspace's "
            f"{rev_now} (was the workspace restored from a backup?): compared by the texts "
            "the file recorded only")
    return b


def _revision(snap) -> int:
    """The revision a snapshot shows (as ``Store.revision`` at its reading)."""
    return max([snap.content_rev] + [d["id"] for d in snap.decisions[-1:]])


def _target_at(b, lang: str, st, rev: int, content_rev: int, pivot: str) -> str | None:
    """The bead's ``lang`` target at revision ``rev`` from its decisions (None: not
    known, the texts were re-read or the bead re-paired since)."""
    if content_rev > rev or any(d["action"] in REPAIRS and d["id"] > rev for d in st.history):
        return None
    hist = [d for d in st.history if d["id"] <= rev]
    undone = {d["undoes"] for d in hist if d["action"] == "undo"}
    h = edit_hash(b, pivot, lang)
    edits = [d for d in hist if d["action"] == "edit" and d["lang"] == lang
             and d["id"] not in undone and d["text_hash"] == h]
    return edits[-1]["text"] if edits else b.texts.get(lang, "")


def _base_text(b, lang: str, st, h: str) -> str | None:
    """The text whose hash the file recorded: the bead's own or one of its edits."""
    for t in [b.texts.get(lang, "")] + [d["text"] for d in reversed(st.history)
                                          if d["action"] == "edit" and d["lang"] == lang]:
        if target_hash(t) == h:
            return t
    return None


# -- the import -------------------------------------------------------------------------
def import_file(store: Store, data: bytes, reviewer: str, origin: str,
                codes: dict[str, str] | None = None, *, name: str | None = None,
                dry_run: bool = False, on_conflict: str = "keep",
                ignore_base: bool = False) -> ImportReport:
    """Apply what the file changed since its export (see the module's docstring) as
    edits by ``reviewer`` with ``origin``, in one transaction. ``dry_run``: report
    only. ``on_conflict="file"``: the file's text is applied where both changed (still
    listed as conflicts). ``ignore_base``: read the file as a foreign one."""
    if on_conflict not in ON_CONFLICT:
        raise UserError(f"on_conflict: one of {', '.join(ON_CONFLICT)}")
    codes = codes or dict(DEFAULT_CODES)
    name = name or origin.partition(":")[2] or "the file"
    try:
        pf = parse(data)
    except UserError as e:
        raise UserError(f"{name}: {e}") from None
    if ignore_base:
        pf.base = None
    for _ in range(5):
        report = ImportReport(file=name, format=pf.fmt,
                              units=len(pf.units), dry_run=dry_run)
        snap = store.snapshot()
        rev = _revision(snap)
        items = _plan(store, snap, pf, codes, name, rev, report, on_conflict)
        if dry_run or not items:
            return report
        if store.revision() != rev:
            continue        # a decision came in meanwhile: compare with it
        res = store.decide_many(items, reviewer, origin)
        if res["recorded"] != len(items):       # decided the same meanwhile: said, not lost
            report.warnings.append(f"{len(items) - res['recorded']} target(s) were already "
                                   "so when written (another tab decided meanwhile)")
        return report
    raise UserError("the workspace kept changing while the file was compared; import again")


def _plan(store, snap, pf: ParsedFile, codes, name, rev, report, on_conflict) -> list[dict]:
    mapping = _check_langs(store, pf, codes, name, report)
    base = _check_base(store, pf, mapping, name, rev, report)
    pivot, targets = store.pivot, store.langs[1:]
    states, index = snap.states(), snap.index()
    by_source: dict[str, list[str]] = {}
    for b in snap.beads:
        by_source.setdefault(squash(b.texts.get(pivot, "")), []).append(b.key)
    taken: dict[str, str] = {}
    items = []
    trust_rev = base is not None and base.revision is not None and base.revision <= rev
    for u in pf.units:
        texts = {mapping.get(c): t for c, t in u.texts.items() if mapping.get(c)}
        uid = u.ids[0] or next((i for i in u.ids if i), "") or "?"
        src = texts.get(pivot)
        key = next((i for i in u.ids if i and i in index), None)
        by_src = False
        if key is None or (src is not None and squash(src) != squash(
                snap.beads[index[key]].texts.get(pivot, ""))):
            cand = by_source.get(squash(src), []) if src is not None and squash(src) else []
            if len(cand) == 1 and cand[0] != key:
                key, by_src = cand[0], True
            elif key is not None:
                report.stale.append(uid)
                continue
            else:
                report.unmatched.append({"id": uid, "reason": (
                    f"no such id; its source text is in {len(cand)} beads" if len(cand) > 1
                    else "no such id, and no bead has its source text")})
                continue
        if key in taken:
            report.unmatched.append({"id": uid, "reason": f"its bead {key} was matched by "
                                                          f"unit {taken[key]} already"})
            continue
        taken[key] = uid
        if by_src:
            report.matched_by_source.append({"id": uid, "key": key})
        b, st = snap.beads[index[key]], states[key]
        for lang in targets:
            if lang not in texts:
                continue
            f_text, w_text = texts[lang].strip(), st.target(b, lang)
            fs, ws = squash(f_text), squash(w_text)
            row = {"key": key, "lang": lang, "id": uid}
            if not fs:
                if ws:
                    report.emptied.append(row)      # an emptied target is not an edit
                else:
                    report.unchanged += 1
                continue
            if fs == ws:
                report.unchanged += 1
                continue
            edit = {"bead": key, "action": "edit", "lang": lang, "text": f_text}
            if base is None:
                if lang in st.edits:
                    report.overwritten.append({**row, "by": st.edits[lang]["reviewer"],
                                               "workspace": w_text})
                items.append(edit)
                report.applied.append(row)
                continue
            h = u.base.get("target" if pf.fmt.startswith("xliff") else lang)
            if h is not None:
                base_text = _base_text(b, lang, st, h)
                f_changed, w_changed = target_hash(f_text) != h, target_hash(w_text) != h
            elif trust_rev and st.rev <= base.revision:
                base_text, f_changed, w_changed = w_text, True, False     # untouched since
            else:
                base_text = _target_at(b, lang, st, base.revision or 0, snap.content_rev, pivot) \
                    if trust_rev else None
                bs = None if base_text is None else squash(base_text)
                f_changed, w_changed = fs != bs, bs is None or ws != bs
            if not f_changed:
                report.unchanged += 1
                if w_changed:
                    report.kept.append(row)
                continue
            if not w_changed:
                items.append(edit)
                report.applied.append(row)
                continue
            last = st.edits.get(lang)
            conflict = {"key": key, "id": uid, "lang": lang, "base": base_text,
                        "workspace": w_text, "file": f_text,
                        "by": last["reviewer"] if last else (
                            "review update" if snap.content_rev > (base.revision or 0) else None),
                        "time": last["time"] if last else None}
            if on_conflict == "file":
                conflict["resolved"] = "file"
                items.append(edit)
            report.conflicts.append(conflict)
    return items
