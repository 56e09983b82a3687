"""diff (two versions, clause by clause, with a redline) and history (several)."""

from __future__ import annotations

from ..errors import UserError
from .base import EMBED_MODEL, Operation, Option
from .results import Text

_VIA_MODEL = Option("via_model", metavar="PATH", help="Model for --via hf/ct2.")


def via_rendering(ctx, old, new, engine_name: str, model: str | None):
    """OLD rendered into NEW's language by a translation engine (a machine text)."""
    ctx.say(f"translating {len(old.units)} units of OLD ({old.lang}) into {new.lang} "
            f"with {engine_name} to match clauses across languages (cached)")
    from ..translate import translate_document

    try:
        with ctx.engine(engine_name, model) as (engine, cache):
            return translate_document(old, new.lang, engine, cache=cache)
    except UserError as e:
        # the engines' hints name translate's options; diff's are --via/--via-model
        raise UserError(str(e).replace("--engine", "--via").replace("--model", "--via-model")
                        ) from None


class Diff(Operation):
    """Compare two versions of a plan clause by clause, whatever their numbering.

    OLD and NEW are PLAN:LANG[:KIND] or file paths (path@LANG). Reports unchanged,
    renumbered, modified, moved, split, merged, added and removed clauses, with a
    word-level redline of each. Across languages clauses are matched by meaning (the
    sentence encoder, no engine) and shown side by side, or through a machine rendering
    with --via ENGINE (word redline on it); a faithfully translated clause is
    unchanged, and "modified" carries a confidence.
    """

    name = "diff"
    uses_termbase = True
    summary = "Clause-level diff between two versions of a plan, with a word redline."
    arguments = ("OLD", "NEW")
    options = (
        Option("only", metavar="KINDS",
               help="Comma-separated kinds to list (unchanged, renumbered, modified, moved, "
                    "split, merged, added, removed); the summary still counts everything. "
                    "The table leaves out unchanged clauses unless asked for."),
        Option("via", metavar="ENGINE",
               help="OLD is in another language: match clauses through a machine rendering "
                    "of OLD into NEW's language by ENGINE (apertium, hf, ct2). OLD's own "
                    "text is what the report shows."),
        _VIA_MODEL,
        Option("match", type=float, min=0, max=1,
               help="Least similarity for two clauses with different ids and places to be "
                    "one clause (default: calibrated on the two versions' own similarity "
                    "distribution; see the summary's calibration)."),
        Option("ignore", metavar="WHAT",
               help="Comma-separated differences that do not count: case, punctuation, "
                    "quotes, whitespace, numbering (or all). A clause differing only so is "
                    "unchanged, in every output; recorded in the signature. Numbers are "
                    "always compared."),
        Option("author", metavar="NAME",
               help="Author of the DOCX's tracked changes and comments (default: your "
                    "user name). Each revision is dated now (UTC)."),
        Option("layout", choices=("full", "changes"), default="full",
               help="PDF: the whole document with changes inline, a summary page and both "
                    "versions' provenance (full), or only the changes (changes)."),
        Option("max_memory", metavar="SIZE",
               help="Refuse, before any work, a diff estimated to need more memory than "
                    "SIZE (e.g. 800M, 8G; none: no limit). Default: 4G, or four fifths of "
                    "this machine's memory when it has less. The estimate, and the time "
                    "expected, are said at the start of a long diff."),
        EMBED_MODEL,
    )
    formats = ("table", "json", "jsonl", "html", "pdf", "docx")
    piped = "json"
    suffixes = {"json": "json", "jsonl": "jsonl", "html": "html", "htm": "html", "pdf": "pdf",
                "docx": "docx", "txt": "table"}
    binary = frozenset({"pdf", "docx"})

    def check(self) -> None:
        from ..diff import budget
        from ..diff.ignore import parse_ignore

        self.ignores = parse_ignore(self.ignore)
        # a bad --max-memory is refused before the versions are read (the default
        # limit is the running machine's: taken in run)
        self.memory_limit = None if self.max_memory is None else \
            budget.parse_size(self.max_memory)
        self.kinds = None
        if self.only:
            from ..diff.match import KINDS

            kinds = {k.strip() for k in self.only.split(",") if k.strip()}
            bad = sorted(kinds - set(KINDS))
            if bad:
                raise UserError(f"--only: unknown kind {', '.join(bad)} (known: {', '.join(KINDS)})")
            self.kinds = kinds

    def run(self, ctx) -> Text:
        from ..diff import Thresholds, diff_documents
        from ..diff.changes import document_name

        old, new = self.inputs
        old_doc, new_doc = load_versions(ctx, old, new)
        from ..diff import budget
        from ..diff.match import PROGRESS

        est = budget.estimate(old_doc, new_doc)
        budget.check(est, budget.default_limit() if self.max_memory is None
                     else self.memory_limit)
        for ref, doc in ((old, old_doc), (new, new_doc)):
            for w in doc.warnings[:1] if doc.units and doc.units[0].id == "p1" else ():
                ctx.say(f"note: {ref}: {w}")
        rendered = sem = None
        if old_doc.lang != new_doc.lang and old_doc.units and new_doc.units:
            if self.via:
                rendered = via_rendering(ctx, old_doc, new_doc, self.via, self.via_model)
                # the second cue on translation noise (none when off or not covering)
                sem = ctx.semantic(self.embed_model)
            else:
                sem = meaning_layer(ctx, self.embed_model, old, new, old_doc, new_doc)
        elif self.via:
            raise UserError(f"--via: {old} and {new} are both '{new_doc.lang}'; nothing to "
                            "translate")
        ctx.say(f"diffing {len(old_doc.units):,} against {len(new_doc.units):,} units" +
                (f": {est.describe()}" if est.seconds >= 10 else ""))
        token = PROGRESS.set(ctx.progress)
        try:
            result = diff_documents(old_doc, new_doc, Thresholds(match=self.match),
                                    via=self.via or None, rendered=rendered,
                                    termbase=ctx.termbase, semantic=sem, ignore=self.ignores)
        finally:
            PROGRESS.reset(token)
        names = document_name(old_doc), document_name(new_doc)
        out = DiffText({f: (lambda f=f: render_result(result, f, self.kinds, *names,
                                                      ctx.font_dirs, author=self.author,
                                                      layout=self.layout))
                        for f in self.formats}, result.signature)
        out.diff, out.kinds, out.say = result, self.kinds, ctx.say
        if "via" in result.summary:
            out.notes.append(f"note: clauses were matched through a machine rendering "
                             f"({self.via}); the old text shown is the version as given")
        elif "across" in result.summary:
            out.notes.append(f"note: clauses were matched by meaning ({sem.name}), with no "
                             "engine; each change shows both texts (no word redline across "
                             "languages)")
        return out


class DiffText(Text):
    """A diff's outputs; JSON and JSON lines are written a change at a time (the whole
    document as one string was a large diff's memory peak)."""

    say = None

    def write(self, fmt: str, out) -> None:
        n = sum(1 for c in self.diff.changes if not self.kinds or c.kind in self.kinds)
        if n >= WRITE_NOTICE and self.say is not None:
            # after the diff's bar: writing is its last step (about 50 µs a change)
            self.say(f"writing {n:,} changes as {fmt} (about "
                     f"{max(1, round(n * 5e-5))} s)…")
        if fmt in ("json", "jsonl"):
            d, kinds = self.diff, self.kinds
            out.writelines(d.json_chunks(kinds) if fmt == "json" else d.jsonl_lines(kinds))
        else:
            super().write(fmt, out)


WRITE_NOTICE = 20_000       # changes: writing them takes a second or more
READ_NOTICE = 1 << 20       # bytes of both files: reading them takes a second or more


def load_versions(ctx, old: str, new: str):
    """Both versions, the reading's progress reported when the files are large (at 2
    MB a side the parse takes seconds, before the diff's own estimate can be made)."""
    from pathlib import Path

    from ..corpus.refs import parse_ref

    def size(ref):
        try:
            p = parse_ref(ref).path
            return p.stat().st_size if p is not None and Path(p).is_file() else 0
        except (UserError, OSError):
            return 0            # loading says what is wrong with it

    sizes = (size(old), size(new))
    total = sum(sizes)
    report = ctx.progress if total >= READ_NOTICE else None
    if report is not None:
        report("diff: reading both versions", 0, total)
    old_doc = load_version(ctx, old)
    if report is not None:
        report("diff: reading both versions", min(sizes[0], total - 1), total)
    return old_doc, load_version(ctx, new)


def load_version(ctx, ref: str):
    """A version to diff: a plan as parsed; a text with no numbering (a letter, a
    novel) as plain paragraphs p1, p2, ... (its warning says so); an empty file as a
    version with no units (everything in the other one is added or removed)."""
    try:
        return ctx.load_aligned(ref)
    except UserError as e:
        if not str(e).endswith("the file is empty"):
            raise
        from ..corpus.refs import parse_ref
        from ..model import Document, Provenance

        r = parse_ref(ref)
        ctx.say(f"note: {ref}: the file is empty; every unit of the other version is "
                "added or removed")
        return Document(lang=r.lang or "und", units=[],
                        provenance=Provenance(source=str(r.path or ref), reader="txt"),
                        warnings=["the file is empty"])


def meaning_layer(ctx, spec, old, new, old_doc, new_doc):
    """The semantic layer for a diff across languages with no engine, or the refusal
    (add --via) when the cue is off or does not cover a language."""
    sem = ctx.semantic(spec)
    if sem is None or not (sem.encoder.covers(old_doc.lang) and
                           sem.encoder.covers(new_doc.lang)):
        why = "the meaning cue is off (--embed-model none)" if sem is None else \
            f"the sentence encoder {sem.name} does not cover both languages"
        raise UserError(f"{old} is '{old_doc.lang}' and {new} is '{new_doc.lang}' and {why}: "
                        "add --via ENGINE to compare through a machine rendering of OLD")
    return sem


class History(Operation):
    """Follow each clause through several versions of a plan, oldest first.

    VERSIONS are PLAN:LANG[:KIND] or file paths (path@LANG), e.g. 2015-2019:en
    2019-2021:es 2022-2024:es. Shows, at each step, what changed, where a clause
    moved, and when it appeared or was dropped.
    """

    name = "history"
    uses_termbase = True
    summary = "Follow each clause through several versions: changes, moves, when it appeared."
    arguments = ("OLDEST", "VERSION...")
    options = (
        Option("clause", metavar="ID",
               help="Follow only the lineage through this id (in the newest version if it "
                    "has it, else in any), with its text in each version."),
        Option("all", type=bool, default=False,
               help="List every lineage in the table, not only those that changed."),
        Option("via", metavar="ENGINE",
               help="Engine for steps between versions in different languages: each older "
                    "version is matched through a machine rendering into the next one's "
                    "language (cached). Default: matched by meaning (the sentence "
                    "encoder, no engine). The texts shown are the versions as given."),
        _VIA_MODEL,
        EMBED_MODEL,
    )
    formats = ("table", "json", "html")
    piped = "json"
    suffixes = {"json": "json", "html": "html", "htm": "html", "txt": "table"}

    def run(self, ctx) -> Text:
        import json

        from ..diff import Thresholds, diff_documents
        from ..diff.changes import document_name
        from ..diff.history import history as build

        docs = [ctx.load(v) for v in self.inputs]
        diffs = []
        for (ra, rb), a, b in zip(zip(self.inputs, self.inputs[1:]), docs, docs[1:]):
            rendered = sem = None
            if a.lang != b.lang and self.via:
                rendered = via_rendering(ctx, a, b, self.via, self.via_model)
            elif a.lang != b.lang:
                sem = meaning_layer(ctx, self.embed_model, ra, rb, a, b)
            diffs.append(diff_documents(a, b, Thresholds(), via=self.via if rendered else None,
                                        rendered=rendered, termbase=ctx.termbase,
                                        semantic=sem))
        h = build(docs, diffs, [document_name(d) for d in docs])
        tracks = h.tracks
        if self.clause:
            tracks = h.select(self.clause)
            if not tracks:
                raise UserError(f"--clause {self.clause}: no such id in any of the versions")

        def html():
            from ..diff.history_html import render_history_html
            return render_history_html(h, tracks, self.clause)

        return Text({"json": lambda: json.dumps(h.to_dict(tracks, with_text=bool(self.clause)),
                                                ensure_ascii=False, indent=1) + "\n",
                     "html": html,
                     "table": lambda: _history_table(h, tracks, self.all or bool(self.clause))},
                    h.signature)


def render_result(result, fmt: str, kinds, old_name: str, new_name: str,
                  font_dirs=(), author: str | None = None,
                  layout: str | None = None) -> str | bytes:
    if fmt == "pdf":
        from ..typeset.redline import render_redline_pdf
        return render_redline_pdf(result, None, old_name, new_name, kinds, font_dirs,
                                  layout=layout or "full")
    if fmt == "docx":
        from ..diff.docx import render_docx
        return render_docx(result, old_name, new_name, kinds, author=author)
    if fmt == "json":
        return "".join(result.json_chunks(kinds))
    if fmt == "jsonl":
        return "".join(result.jsonl_lines(kinds))
    if fmt == "html":
        from ..diff.html import render_html
        return render_html(result, kinds, old_name, new_name)
    return _table(result, kinds, old_name, new_name)


def _table(result, kinds, old_ref, new_ref) -> str:
    import io

    from ..diff.redline import wdiff
    from ..render.records import write_records

    s = result.summary
    buf = io.StringIO()
    rows = []
    for ch in s["chapters"]:
        rows.append({"chapter": ch["chapter"], "was": " ".join(ch["old_chapters"]),
                     "heading": ch["heading"],
                     "changes": ", ".join(f"{k} {n}" for k, n in ch["counts"].items() if n),
                     "changed": f"{ch['changed_share']:.1%}"})
    total = ", ".join(f"{k} {n}" for k, n in s["counts"].items() if n)
    write_records(rows, "table", ["chapter", "was", "heading", "changes", "changed"], out=buf,
                  title=f"{old_ref} → {new_ref}: {total}; {s['changed_share']:.1%} of the "
                        "text changed", wrap=("heading", "changes"))
    from ..diff.match import KINDS, UNCHANGED

    show = kinds or set(KINDS) - {UNCHANGED}
    from ..diff.numbers import marked
    from ..diff.redline import rebuild

    records = []
    for c in result.changes:
        if c.kind not in show:
            continue
        same = all(op == "=" for op, _ in c.ops)
        why = f"({c.reason}) " if c.reason and c.kind != "unchanged" else ""
        if c.cross:
            # two languages: both texts side by side (their words do not line up),
            # changed numbers between ⟦ ⟧; never a redline of one language by another
            sides = [(side, rebuild(c.ops, side), getattr(c.numbers, f"{side}_spans", ()))
                     for side in ("old", "new")]
            text = " ¶ ".join(f"{side}: {marked(t, spans)}" for side, t, spans in sides if t)
            redline_text = why + "(side by side) " + text.replace("\n", " ¶ ")
        else:
            redline_text = why + ("(same text)" if same and c.kind != "unchanged"
                                  else wdiff(c.ops).replace("\n", " ¶ "))
        records.append({"kind": c.kind + (" (rewritten)" if c.rewritten else "") +
                        (" (numbers)" if c.numbers else ""),
                        "old → new": f"{', '.join(c.old) or '—'} → {', '.join(c.new) or '—'}",
                        "sim": f"{c.similarity:.2f}" if c.old and c.new else "",
                        "redline": redline_text})
    write_records(records, "table", ["kind", "old → new", "sim", "redline"], out=buf,
                  title=f"{len(records)} changes", wrap=("redline",))
    if s.get("numbers"):
        # the worst failure a comparison can have is a hidden number: listed apart
        buf.write("numbers changed: " + "; ".join(
            f"{', '.join(n['new'] or n['old'])}: "
            f"{', '.join(n['numbers']['old']) or '—'} → {', '.join(n['numbers']['new']) or '—'}"
            for n in s["numbers"]) + "\n")
    renum = s.get("renumbered")
    if renum:
        buf.write("renumbered (check cross-references): " + ", ".join(
            f"{'+'.join(r['old'])} → {'+'.join(r['new'])}" for r in renum) + "\n")
    kt = s["key_terms"]
    for side in ("only_old", "only_new"):
        terms = "; ".join(f"{t['term']} ({t['count']})" for t in kt["terms"][side]) or "none"
        words = ", ".join(f"{w} ({n})" for w, n in kt["words"][side]) or "none"
        buf.write(f"{side.replace('_', ' in ')}: terms: {terms}; words: {words}\n")
    if "via" in s:
        buf.write(f"NOTE: {s['via']['note']} (engine {s['via']['engine']}).\n")
    elif "across" in s:
        buf.write(f"NOTE: {s['across']['note']}.\n")
    buf.write(f"signature: {result.signature}\n")
    return buf.getvalue()


def _cell(step) -> str:
    if step is None:
        return ""
    ids = ", ".join(step.ids)
    if step.kind in (None, "unchanged"):
        return ids
    sim = f" {step.similarity:.2f}" if step.similarity is not None and step.kind == "modified" else ""
    return f"{ids} ({step.kind}{sim})"


def _history_table(h, tracks, show_all: bool) -> str:
    import io

    from ..render.records import write_records

    n = len(h.names)
    rows = []
    for t in tracks:
        if not show_all and not t.changed() and t.first == 0 and t.last == n - 1:
            continue
        at = {s.version: s for s in t.steps}
        row = {name: _cell(at.get(v)) for v, name in enumerate(h.names)}
        if t.last < n - 1:
            row[h.names[t.last + 1]] = "(dropped)"
        rows.append(row)
    buf = io.StringIO()
    steps = "; ".join(f"{h.names[k]} → {h.names[k + 1]}: " +
                      ", ".join(f"{kind} {c}" for kind, c in d.summary["counts"].items()
                                if c and kind != "unchanged")
                      for k, d in enumerate(h.diffs))
    write_records(rows, "table", list(h.names), out=buf,
                  title=f"{len(rows)} lineages{'' if show_all else ' that changed'} · {steps}")
    if len(tracks) <= 3:
        for t in tracks:
            for s in t.steps:
                buf.write(f"{h.names[s.version]} {', '.join(s.ids)}: {h.text(s)}\n")
    return buf.getvalue()
