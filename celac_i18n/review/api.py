"""The JSON API of a review workspace: the page uses it, and so can scripts.

``Api.handle(method, path, query, body)`` returns ``(status, content_type, bytes)``;
the HTTP server (``server.py``) adds only transport and the write guard.

    GET  /api/workspace                     languages, sources and kinds, counts
    GET  /api/beads[?state=&max_confidence=&severity=&check=&max_similarity=
                    &similarity_lang=&sort=similarity]
                                            beads with their state; each bead's
                                            "similarity" {lang: pivot→lang cosine or null};
                                            max_similarity keeps beads at or below it,
                                            sort=similarity puts the weakest first (beads
                                            without one last), by similarity_lang's pair
                                            or else each bead's weakest; "unpaired": the
                                            languages where one side is empty (first in
                                            that order, kept by any max_similarity)
                                            "neighbours": the pivot text's nearest
                                            clauses in other versions of the plan
                                            [{"ref", "plan", "lang", "id", "similarity",
                                            "text"}], null where not computed
    GET  /api/beads/KEY                     one bead
    POST /api/beads/KEY/decisions           {"action": "accept"|"reject"|"comment"|"edit"|
                                             "dismiss"|"merge"|"split", "lang", "text",
                                             "finding", "reason", "at", "keep"}
                                            (split: cut after unit "at" of "lang"; the other
                                            languages stay with the "first" or "second" part)
    POST /api/beads/KEY/undo                undo the bead's latest decision (on a merged
                                            bead, first of all the merge: it splits again;
                                            on a part of a split, the split: it joins again)
    GET  /api/export?format=tmx|xliff-1.2|xliff-2.0|jsonl[&target=LANG][&status=S,...]
                                            (status: only the beads in any of the
                                            statuses, e.g. accepted for a TM)

Every bead view also has "weak" {"score": 0..1 (higher: weaker), "reasons": [...]}
(confidence, shape n-m, open QA findings, similarity against the document median:
weak.py), "rev" (int: changes with every decision on the bead and every update) and
"statuses" (of accepted, rejected, edited, stale, open, unreviewed, reviewed).

    GET  /api/beads?sort=weak&min_weak=X&status=accepted[,edited...]
                                            weakest first; at least X; any of the statuses
    POST /api/beads/KEY/decisions           also: "rev" (a stale one: 409 {"error",
                                            "conflict": true} naming the bead and who
                                            changed it; nothing recorded);
                                            split "offset" (a character offset in "lang"'s
                                            text: cuts inside a unit; other languages by
                                            "keep": first|second|auto (default auto, the
                                            nearest unit boundary), or "at" per language);
                                            "unpair" ("lang": its side into a bead of its
                                            own); "shift" ("lang", "direction": up|down);
                                            "insert_empty" ("lang": a gap in its column
                                            before the bead; the column moves down one bead
                                            up to the next bead with that side empty).
                                            The response's "bead" is the first bead made.
    POST /api/bulk {"action": "accept"|"reject", "keys": [...]}
                                            {"recorded", "skipped", "unknown", "counts"}
    GET  /api/revision                      {"revision"} (cheap; also in /api/workspace
                                            with "workspace_id" and "level")
    POST /api/import?name=FILE[&dry_run=1&on_conflict=keep|file]   the file's bytes
                                            (an exported XLIFF/TMX/JSONL, edited): what it
                                            changed since its export becomes edits; the
                                            report (importing.ImportReport: applied,
                                            unchanged, kept, conflicts [{"key", "lang",
                                            "base", "workspace", "file", "by"}], stale,
                                            unmatched, matched_by_source, warnings) and
                                            "counts"; another workspace's or language
                                            pair's file: 400 with the reason

A sentence-level workspace (``review init --level sentence``) has "level": "sentence"
and "clauses" (how many clause beads) in /api/workspace, and "clause" (the key of the
clause bead it sits in) on every bead view.
"""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import unquote

from ..errors import UserError
from ..qa.base import SEVERITIES
from .repair import made
from .similarity import MEASURED, UNPAIRED, median, medians, neighbour_key, rank, unpaired_langs
from .similarity import values as similarity_values
from .states import parse_statuses
from .store import BeadData, BeadState, Conflict, FindingData, Store
from .weak import weak

JSON = "application/json; charset=utf-8"


# words, runs of spaces, single CJK characters, single other characters
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\u3400-\u9fff\uf900-\ufaff]+|\s+|.", re.S)


def edit_diff(original: str, edited: str) -> list[list]:
    """The change an edit makes, word by word (character by character in Chinese), as
    [op, text] pieces (op: -1 deleted, 0 kept, 1 added)."""
    from diff_match_patch import diff_match_patch

    # diff-match-patch diffs characters: give every distinct token one private character
    table: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for t in _TOKEN.findall(text):
            if t not in table:
                table[t] = chr(0xF0000 + len(tokens))
                tokens.append(t)
            out.append(table[t])
        return "".join(out)

    dmp = diff_match_patch()
    a, b = encode(original), encode(edited)
    if len(tokens) > 0xFFFD:             # more distinct words than the code points: by character
        ops = dmp.diff_main(original, edited, False)
        dmp.diff_cleanupSemantic(ops)
        return [[op, text] for op, text in ops]
    ops = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(ops)
    return [[op, "".join(tokens[ord(c) - 0xF0000] for c in text)] for op, text in ops]


def _decision(d: dict) -> dict:
    out = {k: d[k] for k in ("id", "time", "reviewer", "action", "lang", "finding", "text",
                             "reason", "undoes", "origin") if d.get(k) is not None}
    if d.get("payload"):
        # a merge: {"merge": [KEY, NEXT]}; a split: {"split": [KEY, FIRST, SECOND], "at"}
        out.update(json.loads(d["payload"]))
    return out


def bead_view(b: BeadData, pos: int, st: BeadState, findings: list[FindingData],
              langs: list[str], scores: dict | None = None,
              similarity: dict | None = None, neighbours: list | None = None) -> dict:
    edits = {}
    for lang, d in st.edits.items():
        edits[lang] = {**_decision(d), "diff": edit_diff(b.texts.get(lang, ""), d["text"])}
    fs = []
    for f in findings:
        dis = st.dismissed.get(f.fkey)
        fs.append({"key": f.fkey, "unit": f.unit, "check": f.check, "severity": f.severity,
                   "message": f.message, "src": f.src, "tgt": f.tgt, "src_lang": f.src_lang,
                   "lang": f.tgt_lang, "src_spans": f.src_spans, "tgt_spans": f.tgt_spans,
                   "dismissed": _decision(dis) if dis else None})
    targets = {lang: st.target(b, lang) for lang in langs}
    if st.verdict:
        state = "accepted" if st.verdict == "accept" else "rejected"
    else:
        state = "edited" if st.edits else "unreviewed"
    return {"key": b.key, "pos": pos, "kind": b.kind, "confidence": b.confidence,
            "ids": b.ids, "texts": b.texts,
            "targets": targets,
            "state": state, "reviewed": st.reviewed,
            "verdict": _decision(st.verdict_by) if st.verdict_by else None,
            "edits": edits, "findings": fs, "scores": scores or {},
            "similarity": {lang: (similarity or {}).get(lang) for lang in langs[1:]},
            # pairs with one side empty: no similarity, first in a weakest-first order
            "unpaired": unpaired_langs(langs[0], langs[1:], targets),
            # the pivot text's nearest clauses in other versions (None: not computed)
            "neighbours": neighbours,
            "open_findings": sum(1 for f in fs if not f["dismissed"]),
            "comments": [_decision(d) for d in st.comments],
            "stale": [_decision(d) for d in st.stale],
            "history": [_decision(d) for d in st.history],
            "rev": st.rev, "statuses": sorted(st.statuses())}


def _matches(v: dict, q: dict) -> bool:
    state = q.get("state")
    if state == "unreviewed" and v["reviewed"]:
        return False
    if state == "reviewed" and not v["reviewed"]:
        return False
    if state == "stale" and not v["stale"]:
        return False
    if state in ("accepted", "rejected", "edited") and v["state"] != state:
        return False
    if q.get("max_confidence") not in (None, ""):
        try:
            if v["confidence"] > float(q["max_confidence"]):
                return False
        except ValueError:
            raise UserError("max_confidence: expected a number") from None
    open_f = [f for f in v["findings"] if not f["dismissed"]]
    if q.get("severity"):
        if q["severity"] not in SEVERITIES:
            raise UserError(f"severity: one of {', '.join(SEVERITIES)}")
        if not any(f["severity"] == q["severity"] for f in open_f):
            return False
    if q.get("check") and not any(f["check"] == q["check"] for f in open_f):
        return False
    statuses = parse_statuses(q.get("status"))
    if statuses and not statuses & set(v["statuses"]):
        return False
    if q.get("min_weak") not in (None, "") and v["weak"]["score"] < _number(q, "min_weak"):
        return False
    if q.get("max_similarity") not in (None, ""):
        group, s = rank(v["similarity"], v["unpaired"], q.get("similarity_lang"))
        if group != UNPAIRED and (group != MEASURED or s > _number(q, "max_similarity")):
            return False
    return True


FILTERS = ("state", "max_confidence", "severity", "check", "status", "min_weak",
           "max_similarity")


def _number(q: dict, k: str) -> float:
    try:
        return float(q[k])
    except ValueError:
        raise UserError(f"{k}: expected a number") from None


def select(views: list[dict], q: dict, langs: list[str]) -> list[dict]:
    """The beads a query asks for, in document order or (sort=similarity) weakest first:
    unpaired beads, then by similarity, then beads with no value; ties in document
    order."""
    lang = q.get("similarity_lang") or None
    if lang and lang not in langs[1:]:
        raise UserError(f"similarity_lang: one of {', '.join(langs[1:])}")
    out = [v for v in views if _matches(v, q)] if any(
        q.get(k) not in (None, "") for k in FILTERS) else list(views)
    sort = q.get("sort") or "position"
    if sort == "weak":
        out.sort(key=lambda v: (-v["weak"]["score"], v["pos"]))
    elif sort == "similarity":
        out.sort(key=lambda v: (*rank(v["similarity"], v["unpaired"], lang), v["pos"]))
    elif sort != "position":
        raise UserError("sort: position, weak or similarity")
    return out


class _Kept:
    """A bead's view as kept with the snapshot: what it was made from (similarity,
    nearest clauses), the view, its JSON, its weakness by the medians it had."""
    __slots__ = ("sim", "near", "view", "json", "weak")

    def __init__(self, sim, near, view):
        self.sim, self.near, self.view, self.json, self.weak = sim, near, view, None, None


class Api:
    def __init__(self, store: Store, reviewer: str, semantic=None):
        """``semantic``: the semantic layer of the encoder the workspace recorded; with
        it, a bead whose texts changed (an edit, a merge, a split) gets its similarity
        computed when next shown; without it, such a bead shows none."""
        self.store = store
        self.reviewer = reviewer
        self.semantic = semantic
        self._lock = threading.Lock()      # one encoding at a time (the server's threads)

    @property
    def encoder(self) -> str | None:
        return self.store.meta.get("encoder")

    # -- views -------------------------------------------------------------------------
    def _similarity(self, snap, states, keys=None) -> dict:
        with self._lock:
            return similarity_values(self.store, snap, states, self.encoder, self.semantic,
                                     keys)

    def _views(self, only: str | None = None) -> list[tuple[dict, "_Kept"]]:
        """(view, what is kept of it) of every bead (or of bead ``only``), in document
        order. A bead's view is kept with the snapshot (``Snapshot.derived``) while the
        bead is not touched and its similarity and nearest clauses read the same; its
        position and weakness are added on every call (a re-pairing moves the positions
        after it, a new similarity the document's median)."""
        s = self.store
        snap = s.snapshot()
        states = snap.states()
        if only is not None:
            i = snap.index().get(only)
            todo = [] if i is None else [(i, snap.beads[i])]
        else:
            todo = list(enumerate(snap.beads))
        sim_of = self._similarity(snap, states, None if only is None else [only])
        enc = self.encoder
        med = medians(snap, states, enc)
        scores = snap.memo.get("scores")
        if scores is None:
            scores = snap.memo["scores"] = snap.score_map()
        cache = snap.derived.setdefault("views", {})
        nkeys = snap.derived.setdefault(("neighbour keys", enc), {})
        clauses = s.clauses     # a sentence-level workspace's clause beads (else empty)
        out = []
        for i, b in todo:
            sim = sim_of.get(b.key)
            near = None
            if enc:
                nk = nkeys.get(b.key)
                if nk is None:
                    nk = nkeys[b.key] = neighbour_key(enc, s.pivot, b.texts.get(s.pivot, ""))
                near = snap.neighbours.get(nk)
            hit = cache.get(b.key)
            if hit is None or hit.sim != sim or hit.near is not near:
                hit = cache[b.key] = _Kept(sim, near, bead_view(
                    b, i, states[b.key], snap.by_bead.get(b.key, []), s.langs,
                    scores.get(b.key), sim, near))
                if clauses:     # the clause bead a sentence bead sits in
                    hit.view["clause"] = clauses.of(b)
            v = {**hit.view, "pos": i}
            # the weakness cue against the document's median similarity per pair
            if hit.weak is None or hit.weak[0] != med:
                w = weak(v, s.langs, med)
                hit.weak = (med, w, json.dumps(w, ensure_ascii=False))
            v["weak"] = hit.weak[1]
            out.append((v, hit))
        return out

    def views(self, only: str | None = None) -> list[dict]:
        """The views of every bead (or of bead ``only``), in document order."""
        return [v for v, _ in self._views(only)]

    def beads_json(self, query: dict) -> bytes:
        """GET /api/beads: each bead's JSON kept with its view (only the position and
        the weakness written on every call)."""
        kept = self._views()
        by_key = {v["key"]: hit for v, hit in kept}
        parts = []
        for v in select([v for v, _ in kept], query, self.store.langs):
            hit = by_key[v["key"]]
            if hit.json is None:
                hit.json = json.dumps({k: x for k, x in hit.view.items() if k != "pos"},
                                      ensure_ascii=False)[1:]
            parts.append(f'{{"pos": {v["pos"]}, "weak": {hit.weak[2]}, {hit.json}')
        return ('{"beads": [' + ", ".join(parts) + "]}").encode("utf-8")

    def similarity_summary(self) -> dict:
        """lang → the median similarity of the workspace's beads for pivot→lang, and how
        many beads have one."""
        snap = self.store.snapshot()
        sims = self._similarity(snap, snap.states())
        out = {}
        for lang in self.store.langs[1:]:
            vs = [v[lang] for v in sims.values() if v.get(lang) is not None]
            out[lang] = {"median": median(vs), "n": len(vs)}
        return out

    def workspace(self) -> dict:
        s = self.store
        checks = sorted({f.check for f in s.findings()})
        return {"langs": s.langs, "pivot": s.pivot, "sources": s.meta.get("sources", {}),
                "kinds": s.meta.get("kinds", {}), "signature": s.meta.get("signature"),
                "created": s.meta.get("created"), "built": s.meta.get("built"),
                "references": s.meta.get("references", {}),
                "score_signatures": s.meta.get("score_signatures", {}),
                "reviewer": self.reviewer, "counts": s.counts(), "checks": checks,
                "severities": list(SEVERITIES), "encoder": self.encoder,
                "similarity": self.similarity_summary() if self.encoder else {},
                "versions": s.meta.get("versions", []), "revision": s.revision(),
                "workspace_id": s.meta.get("workspace_id"), "level": s.level,
                "clauses": len(s.meta.get("clauses") or ())}

    # -- dispatch ----------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict | None = None,
               body: bytes | None = None) -> tuple[int, str, bytes]:
        query = query or {}
        try:
            return self._route(method, path, query, body)
        except Conflict as e:
            return self._json(409, {"error": str(e), "conflict": True})
        except UserError as e:
            return self._json(400, {"error": str(e)})

    def _route(self, method, path, query, body):
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if parts[:1] != ["api"]:
            return self._json(404, {"error": f"no such path {path}"})
        rest = parts[1:]
        if rest[:1] == ["cat"]:              # search, termbase, suggestions: review/cat.py
            from .cat import handle as cat

            return self._json(*cat(self, method, rest[1:], query))
        if method == "GET" and rest == ["workspace"]:
            return self._json(200, self.workspace())
        if method == "GET" and rest == ["revision"]:
            return self._json(200, {"revision": self.store.revision()})
        if method == "POST" and rest == ["bulk"]:
            req = self._body(body)
            action, keys = req.get("action"), req.get("keys")
            if action not in ("accept", "reject") or not isinstance(keys, list) \
                    or not all(isinstance(k, str) for k in keys):
                raise UserError('bulk: {"action": "accept"|"reject", "keys": [bead keys]}')
            res = self.store.decide_many([{"bead": k, "action": action} for k in keys],
                                         _opt_str(req, "reviewer") or self.reviewer, "api")
            return self._json(200, {**res, "counts": self.store.counts()})
        if method == "GET" and rest == ["beads"]:
            return 200, JSON, self.beads_json(query)
        if method == "POST" and rest == ["import"]:
            from .importing import import_file

            name = re.sub(r"[^\w. ()-]", "_", query.get("name") or "upload")[:120]
            if not body:
                raise UserError("import: the request has no file")
            res = import_file(self.store, body, _opt_str(query, "reviewer") or self.reviewer,
                              f"import:{name}", name=name,
                              dry_run=query.get("dry_run") in ("1", "true"),
                              on_conflict=query.get("on_conflict") or "keep")
            return self._json(200, {**res.to_json(), "counts": self.store.counts()})
        if method == "GET" and rest == ["export"]:
            from .exchange import export_bytes

            fmt = query.get("format") or "xliff-1.2"
            data, ctype, suffix = export_bytes(self.store, fmt, query.get("target"),
                                               statuses=parse_statuses(query.get("status")))
            return 200, ctype, data
        if len(rest) >= 2 and rest[0] == "beads":
            key = rest[1]
            if self.store.bead(key) is None and not (method == "POST" and rest[2:] == ["decisions"]
                                                     and "rev" in self._body(body)):
                return self._json(404, {"error": f"no bead {key!r}"})
            if method == "GET" and len(rest) == 2:
                return self._json(200, self.views(key)[0])
            if method == "POST" and rest[2:] in (["decisions"], ["undo"]):
                req = self._body(body) if rest[2] == "decisions" else {"action": "undo"}
                d = self.store.decide(
                    key, _opt_str(req, "action") or "", _opt_str(req, "reviewer") or self.reviewer,
                    lang=_opt_str(req, "lang"), finding=_opt_str(req, "finding"),
                    text=_opt_str(req, "text"), reason=_opt_str(req, "reason"),
                    origin=_opt_str(req, "origin") or "api", at=_at(req),
                    keep=_opt_str(req, "keep"), offset=_int(req, "offset"),
                    direction=_opt_str(req, "direction"), rev=_int(req, "rev"))
                # a re-pairing makes new beads (the view is the first of them); undoing
                # one removes them: then "bead" is null and the page reloads the list
                view = self.views((made(d) or [d["bead"]])[0])
                return self._json(200, {"decision": _decision(d), "bead": view[0] if view else None,
                                        "counts": self.store.counts()})
        if method not in ("GET", "POST"):
            return self._json(405, {"error": f"{method} not allowed"})
        return self._json(404, {"error": f"no such path {path}"})

    @staticmethod
    def _body(body: bytes | None) -> dict:
        try:
            req = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise UserError("the request body is not JSON") from None
        if not isinstance(req, dict):
            raise UserError("the request body must be a JSON object")
        return req

    @staticmethod
    def _json(status: int, obj) -> tuple[int, str, bytes]:
        return status, JSON, json.dumps(obj, ensure_ascii=False).encode("utf-8")


def _at(req: dict):
    v = req.get("at")
    if v is None or (isinstance(v, int) and not isinstance(v, bool)):
        return v
    if isinstance(v, dict) and all(isinstance(x, int) and not isinstance(x, bool)
                                   for x in v.values()):
        return v
    raise UserError("at: expected a unit count (or one per language)")


def _int(req: dict, k: str) -> int | None:
    v = req.get(k)
    if v is None:
        return None
    if not isinstance(v, int) or isinstance(v, bool):
        raise UserError(f"{k}: expected an integer")
    return v


def _opt_str(req: dict, k: str) -> str | None:
    v = req.get(k)
    if v is None:
        return None
    if not isinstance(v, str):
        raise UserError(f"{k}: expected a string")
    return v
