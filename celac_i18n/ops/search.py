"""search: the clauses closest in meaning to a query, in every text and language."""

from __future__ import annotations

import html

from ..errors import UserError
from .base import EMBED_MODEL, Operation, Option
from .results import Records

COLUMNS = ("rank", "score", "similarity", "words", "plan", "lang", "kind", "id", "ref",
           "via", "text")
TABLE = ("rank", "score", "similarity", "words", "plan", "lang", "kind", "id", "text")


def _key(doc) -> tuple:
    """What makes two references name one text (2022-2024:es, 2022-2024:es:official)."""
    return doc.lang, doc.provenance.sha256


class SearchResult(Records):
    def __init__(self, records, envelope, title, signature) -> None:
        super().__init__(records, COLUMNS, signature=signature, title=title, wrap=("text",),
                         table_columns=TABLE, envelope=envelope, key="hits")

    def write(self, fmt: str, out) -> None:
        if fmt == "html":
            out.write(render_html(self.title or "", self.envelope, self.records))
        else:
            super().write(fmt, out)


def render_html(title: str, envelope: dict, records: list[dict]) -> str:
    e = html.escape
    rows = []
    for r in records:
        cells = [r["rank"], f"{r['score']:.3f}",
                 "" if r["similarity"] is None else f"{r['similarity']:.3f}",
                 "" if r["words"] is None else f"{r['words']:.2f}"
                 + (f" (via {r['via']})" if r["via"] else ""),
                 r["plan"] or "", r["lang"], r["kind"], r["id"]]
        rows.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in cells)
                    + f'<td lang="{e(r["lang"])}">{e(r["text"])}</td></tr>')
    head = "".join(f"<th>{c}</th>" for c in
                   ("#", "score", "similarity", "words", "plan", "lang", "kind", "id", "text"))
    how = e(envelope.get("scoring", ""))
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{e(title)}</title>'
            "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}"
            "td:last-child{max-width:60em}</style></head><body>\n"
            f"<h1>{e(title)}</h1>\n<p>{how}</p>\n<p><small>{e(envelope['signature'])}"
            f"</small></p>\n<table><thead><tr>{head}</tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table></body></html>\n")


class Search(Operation):
    """Find the clauses closest in meaning to QUERY in REFs (default: every text the
    corpus ships, official, reference and machine, in every language).

    A sentence is matched by meaning (the sentence encoder's cosine, across languages).
    A query of a word or two is also matched by its words in the texts of its own
    script, and a hit in one rendering of a clause counts for the same clause (same
    plan, same id) in the plan's other texts. score = similarity + words.

    \b
      celac-i18n search "becas"
      celac-i18n search 奖学金 --lang es
      celac-i18n search "peaceful settlement of disputes" charter.en.txt charter.zh.txt
      celac-i18n search --like 2022-2024:es#IV.4.2
    """

    name = "search"
    summary = "Find the clauses closest in meaning to a query, in every text and language."
    arguments = ("QUERY [REF]...",)
    options = (
        Option("top", type=int, default=10, min=1, max=100000, metavar="N",
               help="How many clauses to return, best first."),
        Option("lang", metavar="LANG", help="Return clauses in this language only."),
        Option("like", metavar="REF#ID",
               help="Search with the clause ID of REF as the query (2022-2024:es#IV.4.2); "
                    "every argument is then a REF."),
        Option("query", metavar="TEXT",
               help="The query, where it is not the first argument (a job file's key; "
                    "every argument is then a REF)."),
        EMBED_MODEL,
    )
    formats = ("table", "jsonl", "json", "tsv", "html")
    piped = "jsonl"
    suffixes = {"jsonl": "jsonl", "json": "json", "tsv": "tsv", "html": "html", "htm": "html",
                "txt": "table"}

    def __init__(self, inputs, options: dict | None = None, *, where: str = "") -> None:
        inputs, given = list(inputs), options or {}
        first = given.get("query", inputs[0] if inputs and not given.get("like") else None)
        if isinstance(first, str) and not first.strip():
            raise UserError(f"{where + ': ' if where else ''}search: the query is empty")
        super().__init__(inputs, options, where=where)

    @classmethod
    def arity(cls) -> tuple[int, int | None]:
        return 0, None                  # QUERY may be absent with --like (check says)

    def check(self) -> None:
        from ..langs import check_lang

        if self.lang:
            self.values["lang"] = check_lang(self.lang, "--lang")
        if self.like:
            if self.values["query"] is not None:
                raise UserError("search: give a query or --like, not both")
            ref, sep, uid = self.like.rpartition("#")
            if not sep or not ref or not uid:
                raise UserError(f"--like {self.like!r}: expected REF#ID, e.g. "
                                "2022-2024:es#IV.4.2")
            self.like_ref, self.like_id = ref, uid
            self.refs = list(self.inputs)
            return
        if self.values["query"] is not None:
            self.refs = list(self.inputs)
        elif not self.inputs:
            raise UserError("search needs a QUERY (or --like REF#ID)")
        else:
            # the CLI's first argument; held as the option, so the operation's data
            # (config, a batch key) is the same either way
            self.values["query"], self.refs = self.inputs[0], list(self.inputs[1:])
            self.inputs = list(self.refs)
        if not self.query.strip():
            raise UserError("search: the query is empty")
        from ..semantic.search import query_words

        if not query_words(self.query):
            raise UserError(f"search: the query {self.query!r} has no words")

    def declared_inputs(self) -> list[str]:
        return [*self.refs, *([self.like_ref] if self.like else [])]

    # -- the texts searched ----------------------------------------------------------------
    @staticmethod
    def _shipped(ctx, plans=None) -> list[str]:
        """The references of the texts the corpus ships (of ``plans`` only)."""
        refs = []
        for e in ctx.manifest.entries:
            if e.file and (plans is None or e.plan in plans) and \
                    (ctx.corpus_root / e.file).is_file():
                # a machine rendering is named by its engine (2022-2024:en:apertium)
                kind = (e.extra.get("engine") or e.kind) if e.kind == "machine" else e.kind
                refs.append(f"{e.plan}:{e.lang}:{kind}")
        return list(dict.fromkeys(refs))

    def _texts(self, ctx) -> list[str]:
        if self.refs:
            return self.refs
        refs = self._shipped(ctx)
        if not refs:
            raise UserError(f"{ctx.corpus_root}: the corpus ships no texts to search")
        return refs

    @staticmethod
    def _passages(loaded: dict) -> list:
        from ..semantic.search import Passage, families

        family = families({ref: (d.provenance.plan, d.lang, [u.id for u in d.clauses()])
                           for ref, d in loaded.items()})
        return [Passage(ref, doc.provenance.plan, doc.lang, doc.provenance.kind or "file",
                        u.id, u.text, family[ref])
                for ref, doc in loaded.items() for u in doc.clauses()]

    def _lenders(self, ctx, loaded: dict) -> dict:
        """The plans' other shipped texts, which lend their words to the clauses
        searched (the English rendering's "scholarships" for 2022-2024:es)."""
        have = {_key(d) for d in loaded.values()}
        plans = {d.provenance.plan for d in loaded.values() if d.provenance.plan}
        more = {}
        for ref in self._shipped(ctx, plans) if plans else []:
            doc = ctx.load(ref)
            if _key(doc) not in have:
                more[ref] = doc
        return more

    def _like(self, ctx, loaded: dict):
        """--like REF#ID: the clause's text, its language and its document."""
        doc = loaded.get(self.like_ref) or ctx.load(self.like_ref)
        unit = next((u for u in doc.units if u.id == self.like_id and u.text), None)
        if unit is None:
            ids = ", ".join(u.id for u in doc.clauses()[:4])
            raise UserError(f"--like {self.like}: {self.like_ref} has no unit "
                            f"'{self.like_id}' (its ids: {ids}, ...)")
        return unit.text, doc.lang, doc

    def run(self, ctx) -> SearchResult:
        from ..semantic.search import (WORD_WEIGHT, is_short, query_similarities, rank,
                                       script, word_scores)
        from ..signature import Signature
        from ..version import __version__

        loaded = {ref: ctx.load(ref) for ref in self._texts(ctx)}
        passages = self._passages(loaded)
        notes = [f"warning: {w}" for d in loaded.values() for w in d.warnings]
        if self.like:
            query, query_lang, like_doc = self._like(ctx, loaded)
        else:
            query, like_doc = self.query, None
            query_lang = "zh" if script(query) == "han" else None
        layer = ctx.semantic(self.embed_model)
        sims = None
        if layer is not None:
            sims = query_similarities(layer, query, query_lang, passages)
        else:
            notes.append("note: --embed-model none: clauses matched by their words only "
                         "(lexical), in the texts of the query's script and their renderings")
        use_words = (self.query is not None and is_short(query)) or sims is None
        lenders = self._lenders(ctx, loaded) if use_words and self.refs else {}
        # the --like clause itself, in whichever text holds its document
        exclude = {(r, self.like_id) for r, d in {**loaded, **lenders}.items()
                   if like_doc is not None and _key(d) == _key(like_doc)}
        words = word_scores(query, passages + self._passages(lenders), exclude) \
            if use_words else None
        hits = rank(passages, sims, words, top=self.top,
                    langs={self.lang} if self.lang else None, exclude=exclude)
        records = [{"rank": k, "score": round(h.score, 4), "similarity": h.similarity,
                    "words": h.words, "plan": h.passage.plan, "lang": h.passage.lang,
                    "kind": h.passage.kind, "id": h.passage.id, "ref": h.passage.ref,
                    "via": h.via, "text": h.passage.text} for k, h in enumerate(hits, 1)]
        sig = Signature({"celac-search": __version__,
                         "encoder": layer.name if layer is not None else "none",
                         "words": words is not None, "word_weight": WORD_WEIGHT})
        scoring = ("score = similarity + words; words: lexical match of the query's words "
                   "(a hit in one rendering counts for the same clause in the others)"
                   if words is not None and sims is not None else
                   "score = words (lexical only: the encoder is off)" if sims is None else
                   "score = similarity (cosine of sentence embeddings)")
        what = f"--like {self.like}" if self.like else repr(self.query)
        envelope = {"query": self.query, "like": self.like, "top": self.top,
                    "lang": self.lang, "texts": list(loaded), "clauses": len(passages),
                    "scoring": scoring, "signature": str(sig)}
        res = SearchResult(records, envelope, f"search {what}: {len(records)} of "
                           f"{len(passages)} clauses in {len(loaded)} texts", sig)
        res.table_footer = [scoring, str(sig)]
        res.notes += list(dict.fromkeys(notes))
        if not records:
            res.notes.append(f"search {what}: no clause matched")
        return res
