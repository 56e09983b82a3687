"""CAT helpers of the review page: concordance and search over every language of a
workspace, the termbase (as a pane and as term spans in the texts), and machine
suggestions for a target. The review API routes ``/api/cat/...`` here.

    GET /api/cat/search?q=TEXT[&lang=L&mode=words|meaning&top=N]
        beads whose texts hold the query's words (concordance: every language, the
        edited targets as shown; Latin words match the words they begin, Chinese by
        character bigrams) or, mode=meaning, the closest in meaning too (the
        workspace's encoder); each hit has the bead, its language, text and the
        query's spans in it
    GET /api/cat/terms?keys=["KEY", ...]
        the termbase terms found in those beads' texts: {"beads": {KEY: {LANG:
        [[start, end, TERM], ...]}}, "terms": {TERM: {"forms": {LANG: [...]}, "note"}}}
    GET /api/cat/termbase[?q=TEXT]
        the termbase in the workspace's languages (filtered by q in any form)
    GET /api/cat/units?key=KEY
        the bead's units per language ({"units": {LANG: [text, ...]} or null in a
        workspace made before splits, "targets", "edited": [LANG]}): where the page's
        splitter puts its cursors, and how a cut becomes unit counts
    GET /api/cat/version
        {"version": V}: changes whenever the workspace file does (a decision from
        any tab, an import, review update); cheap, for the page's poll and the
        server's cache of the bead list
    GET /api/cat/suggest?key=KEY&lang=L
        machine renderings of the bead's pivot text into L, one per configured engine
        (apertium where it has the pair), each named by its engine and signature and
        labelled "machine"; an engine that cannot do the pair says why

The matching is the project's own: ``qa.textmatch.find`` for terms (as the terms
check finds them), ``semantic.search`` for words and meaning (as ``search`` ranks).
"""

from __future__ import annotations

import json
import re
import threading

from ..errors import UserError

MAX_KEYS = 500          # term spans per request: a screenful of rows, many times over
MAX_QUERY = 500


class Cat:
    """One per Api: the termbase and engines it opened, kept between requests."""

    def __init__(self, api, engines: list[str] | None = None, termbase=None):
        self.api = api
        self.engines = list(engines or getattr(api, "engines", None) or ["apertium"])
        self._termbase = termbase
        self._open: dict[str, object] = {}
        self._lock = threading.Lock()          # one engine call at a time per server

    # -- the texts -------------------------------------------------------------------------
    def _targets(self, keys: set[str] | None = None) -> list[tuple[str, dict[str, str]]]:
        """(bead key, lang → target as shown) in document order; read once per version
        of the file (the rows a page scrolls past ask for their terms many times)."""
        version = file_version(self.api)
        cached = self.__dict__.get("_texts")
        if cached is None or cached[0] != version:
            snap = self.api.store.snapshot()
            states = snap.states()
            langs = self.api.store.langs
            cached = self._texts = (version, [(b.key, {lang: states[b.key].target(b, lang)
                                                        for lang in langs})
                                               for b in snap.beads])
        return [kv for kv in cached[1] if keys is None or kv[0] in keys]

    # -- termbase --------------------------------------------------------------------------
    @property
    def termbase(self):
        if self._termbase is None:
            from ..termbase import default_termbase

            self._termbase = default_termbase()
        return self._termbase

    def _forms(self, term) -> dict[str, list[str]]:
        return {lang: list(term.forms(lang)) for lang in self.api.store.langs if term.forms(lang)}

    def termbase_view(self, q: str = "") -> dict:
        q = q.strip().lower()
        terms = []
        for t in self.termbase:
            forms = self._forms(t)
            if q and q not in t.id.lower() and not any(q in f.lower() for fs in forms.values()
                                                         for f in fs):
                continue
            terms.append({"id": t.id, "forms": forms, "note": t.note})
        return {"terms": terms, "termbase": self.termbase.path,
                "fingerprint": self.termbase.fingerprint}

    def _candidates(self, lang: str) -> list:
        """(form, term) of ``lang``, longest first: "Foro China - CELAC" is one term,
        not "China - CELAC" inside it."""
        cache = self.__dict__.setdefault("_cands", {})
        if lang not in cache:
            cache[lang] = sorted(((f, t) for t in self.termbase for f in t.forms(lang)),
                                 key=lambda x: -len(x[0]))
        return cache[lang]

    def terms(self, keys: list[str]) -> dict:
        from ..qa.textmatch import find

        if len(keys) > MAX_KEYS:
            raise UserError(f"keys: at most {MAX_KEYS} beads at a time")
        beads: dict[str, dict] = {}
        used: dict[str, dict] = {}
        for key, texts in self._targets(set(keys)):
            per: dict[str, list] = {}
            for lang, text in texts.items():
                spans: list[list] = []
                for form, t in self._candidates(lang):
                    for s, e in find(form, text, lang):
                        if not any(a < e and s < b for a, b, _ in spans):
                            spans.append([s, e, t.id])
                            used[t.id] = {"forms": self._forms(t), "note": t.note}
                if spans:
                    per[lang] = sorted(spans)
            beads[key] = per
        return {"beads": beads, "terms": used}

    # -- search and concordance ------------------------------------------------------------
    def search(self, q: str, lang: str | None = None, mode: str = "words",
               top: int = 50) -> dict:
        from ..semantic.search import Passage, WordMatcher, is_short, query_words

        q = q.strip()
        if not q:
            raise UserError("q: the query is empty")
        if len(q) > MAX_QUERY:
            raise UserError(f"q: at most {MAX_QUERY} characters")
        if not query_words(q):
            raise UserError(f"q: {q!r} has no words")
        if mode not in ("words", "meaning"):
            raise UserError("mode: words or meaning")
        langs = self.api.store.langs
        if lang and lang not in langs:
            raise UserError(f"lang: one of {', '.join(langs)}")
        texts = self._targets()
        passages = [Passage("workspace", None, la, "workspace", key, text, "workspace")
                    for key, tx in texts for la, text in tx.items()
                    if text and (not lang or la == lang)]
        matcher = WordMatcher(q)
        sims: list = [None] * len(passages)
        encoder, floor = None, None
        if mode == "meaning":
            sims, encoder = self._similarities(q, passages)
            floor = standing_out([x for x in sims if x is not None])
        words = [matcher.score(p.text) if _same_script(p.lang, matcher.script) else 0.0
                 for p in passages]
        if mode == "meaning" and not is_short(q):
            # a long query's words count by meaning only where the whole phrase is there:
            # else any clause sharing half its words would rank (as `search` leaves them)
            words = [w if w >= 1.0 else 0.0 for w in words]
        # one hit per bead (its best language first), with all its texts: a concordance
        # line shows the pair, not one side
        best: dict[str, list] = {}
        for i, p in enumerate(passages):
            score = words[i] + (sims[i] or 0.0)
            if words[i] > 0 or (sims[i] is not None and floor is not None and sims[i] >= floor):
                best.setdefault(p.id, []).append((score, i))
        by_key = dict(texts)
        ranked = sorted(best.items(), key=lambda kv: -max(s for s, _ in kv[1]))[:top]
        hits = []
        for key, found in ranked:
            found.sort(key=lambda x: -x[0])
            hits.append({"key": key, "score": round(found[0][0], 4),
                         "texts": by_key[key],
                         "matches": [{"lang": passages[i].lang,
                                      "words": round(words[i], 4),
                                      "similarity": None if sims[i] is None
                                      else round(sims[i], 4),
                                      "spans": spans_of(q, passages[i].text, passages[i].lang)}
                                     for _, i in found]})
        return {"query": q, "mode": mode, "encoder": encoder, "hits": hits, "floor": floor,
                "found": len(best), "searched": len(passages), "beads": len(texts)}

    def _similarities(self, q, passages):
        from ..semantic.search import query_similarities, script

        sem = self.api.semantic
        if sem is None:
            raise UserError("mode=meaning: this workspace was served without a sentence "
                            "encoder (review init --embed-model, or one that is installed)")
        qlang = "zh" if script(q) == "han" else None
        with self._lock:
            return query_similarities(sem, q, qlang, passages), sem.name

    def units(self, key: str) -> dict:
        b = self.api.store.bead(key)
        if b is None:
            raise UserError(f"no bead {key!r}")
        found = self._targets({key})
        targets = found[0][1] if found else {}
        return {"key": key, "units": b.units, "targets": targets,
                "edited": [la for la, t in targets.items() if t != b.texts.get(la, "")]}

    # -- machine suggestions ---------------------------------------------------------------
    def _engine(self, spec: str):
        if spec not in self._open:
            from ..translate import get_engine

            name, _, model = spec.partition(":")
            self._open[spec] = get_engine(name, **({"model": model} if model else {}))
        return self._open[spec]

    def suggest(self, key: str, lang: str) -> dict:
        store = self.api.store
        if lang not in store.langs[1:]:
            raise UserError(f"lang: one of {', '.join(store.langs[1:])}")
        found = self._targets({key})
        if not found:
            raise UserError(f"no bead {key!r}")
        src = found[0][1].get(store.pivot, "")
        if not src.strip():
            return {"key": key, "lang": lang, "source": src, "suggestions": [],
                    "note": f"the {store.pivot} side of {key} is empty: nothing to translate"}
        out = []
        for spec in self.engines:
            name = spec.partition(":")[0]
            try:
                with self._lock:
                    eng = self._engine(spec)
                    text = eng.translate([src], store.pivot, lang)[0]
                    sig = str(eng.signature(store.pivot, lang))
                out.append({"engine": name, "model": eng.model_id or None, "label": "machine",
                            "text": text, "signature": sig})
            except UserError as e:
                out.append({"engine": name, "label": "machine", "text": None, "error": str(e)})
            except Exception as e:      # an engine that cannot start is one line, not a 500
                out.append({"engine": name, "label": "machine", "text": None,
                            "error": f"{name}: {type(e).__name__}: {e}"})
        return {"key": key, "lang": lang, "source": src, "suggestions": out}

    def close(self) -> None:
        for eng in self._open.values():
            try:
                eng.close()
            except Exception:
                pass
        self._open.clear()


# a clause is shown by meaning when its cosine with the query is above the workspace's
# typical one by this many robust deviations (MAD over the median): cosines differ by
# encoder, language and text, so no constant would do; the best ones rank first
STANDS_OUT = 1.0


def standing_out(values: list[float]) -> float | None:
    """The cosine above which a clause stands out from the others (None: too few)."""
    from ..semantic.similarity import robust_centre

    got = robust_centre(values)
    if got is None:
        return None
    med, mad, _ = got
    return med + STANDS_OUT * max(mad, 0.02)


def _same_script(lang: str, s: str) -> bool:
    from ..semantic.search import lang_script

    return lang_script(lang) == s


def spans_of(q: str, text: str, lang: str) -> list[list[int]]:
    """Where the query's words are in ``text``: the whole query where it occurs, else
    each word (a Latin word at a word start, so "beca" marks "becas")."""
    # case-insensitive on the text itself (lower() may change a text's length: İ)
    q = q.strip()
    if not q:
        return []
    whole = [[m.start(), m.end()] for m in re.finditer(re.escape(q), text, re.I)
             if m.end() > m.start()]
    if whole:
        return whole
    out = []
    for w in re.findall(r"[\u3400-\u9fff]+|\w+", q):
        if re.match(r"[\u3400-\u9fff]", w):
            pat = re.escape(w)
        elif len(w) >= 3:
            pat = r"(?<!\w)" + re.escape(w[:-1] if len(w) > 4 and w.lower().endswith("s") else w)
        else:
            continue
        out += [[m.start(), m.end()] for m in re.finditer(pat, text, re.I) if m.end() > m.start()]
    return sorted(out)


class FileVersion:
    """A key that changes whenever a workspace file is written (a decision from any
    tab, an import, review update) and never on a read: SQLite's data_version, read on
    one connection kept open for it (it moves when any other connection commits),
    with the file's inode, size and time (a file replaced by review update)."""

    def __init__(self, path):
        from pathlib import Path

        self.path = Path(path)
        self._conn = None
        self._ino = None
        self._lock = threading.Lock()

    def __call__(self) -> str:
        import sqlite3

        try:
            st = self.path.stat()
        except OSError:
            return "-"
        with self._lock:
            try:
                if self._conn is None or self._ino != st.st_ino:
                    if self._conn is not None:
                        self._conn.close()
                    self._conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro",
                                                 uri=True, check_same_thread=False)
                    self._ino = st.st_ino
                dv = self._conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                dv = "?"
        return f"{st.st_ino}.{st.st_size}.{st.st_mtime_ns}.{dv}"

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def file_version(api) -> str:
    """The version of ``api``'s workspace file (one FileVersion per Api)."""
    v = api.__dict__.get("_version")
    if v is None:
        v = api.__dict__.setdefault("_version", FileVersion(api.store.path))
    return v()


def cat_of(api) -> Cat:
    """The Cat of ``api`` (made on first use)."""
    cat = api.__dict__.get("_cat")
    if cat is None:
        cat = api.__dict__.setdefault("_cat", Cat(api))
    return cat


def handle(api, method: str, rest: list[str], query: dict):
    """``/api/cat/REST``: (status, object) for the API to send as JSON."""
    if method != "GET":
        return 405, {"error": f"{method} not allowed"}
    cat = cat_of(api)
    what = rest[0] if rest else ""
    if what == "search":
        try:
            top = int(query.get("top") or 50)
        except ValueError:
            raise UserError("top: expected a whole number") from None
        return 200, cat.search(query.get("q") or "", query.get("lang") or None,
                               query.get("mode") or "words", max(1, min(top, 500)))
    if what == "terms":
        try:
            keys = json.loads(query.get("keys") or "[]")
        except ValueError:
            raise UserError("keys: expected a JSON list of bead keys") from None
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise UserError("keys: expected a JSON list of bead keys")
        return 200, cat.terms(keys)
    if what == "termbase":
        return 200, cat.termbase_view(query.get("q") or "")
    if what == "version":
        return 200, {"version": file_version(api)}
    if what == "units":
        if not query.get("key"):
            raise UserError("units needs key=")
        return 200, cat.units(query["key"])
    if what == "suggest":
        if not query.get("key") or not query.get("lang"):
            raise UserError("suggest needs key= and lang=")
        return 200, cat.suggest(query["key"], query["lang"])
    return 404, {"error": f"no such path /api/cat/{'/'.join(rest)}"}
