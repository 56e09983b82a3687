"""celac-i18n corpus list|show|import|fetch."""

from __future__ import annotations

import sys

import click

from .options import emit, output_options


@click.group()
def corpus():
    """The corpus of plans: what is known, what is shipped, and where texts come from."""


@corpus.command("list")
@output_options("table", "jsonl", "tsv", "json")
def list_cmd(fmt, output):
    """Every document in the manifest: plan, language, kind, shipped or not (and its file
    verified against the recorded hash), source."""
    from ..ops.results import Records
    from .settings import context

    from ..corpus.verify import HashCache, file_problem

    ctx = context()
    m = ctx.manifest
    hashes = HashCache(ctx.cache_path)

    def status(e) -> str:
        """verified, modified, missing...: the file against its record (cached check)."""
        if not e.file:
            return ""
        bad = file_problem(e, m, hashes)
        return bad.what if bad else "verified"

    records = [{"ref": e.ref, "plan": e.plan, "lang": e.lang, "kind": e.kind,
                "shipped": bool(e.file), "status": status(e), "file": e.file or "",
                "title": e.title,
                "source": e.sources[0] if e.sources else ("cited: " + e.extra["cited_in"][0]
                                                           if e.extra.get("cited_in") else ""),
                "engine": e.extra.get("engine", ""), "translator": e.extra.get("translator", "")}
               for e in sorted(m.entries, key=lambda e: (e.plan, e.lang, e.kind))]
    hashes.close()
    cols = ["ref", "plan", "lang", "kind", "shipped", "status", "file", "title", "source",
            "engine", "translator"]
    emit(Records(records, cols, title=f"corpus: {m.root}", wrap=("title", "source"),
                 table_columns=["ref", "shipped", "status", "title", "source"]),
         "corpus list", fmt, output, ("table", "jsonl", "tsv", "json"))


class _Outline:
    """corpus show's result: the outline as a tree (table) or as records."""

    def __init__(self, doc, ref) -> None:
        from ..render.outline import outline_records

        self.doc, self.ref, self.records = doc, ref, outline_records(doc)

    def write(self, fmt, out) -> None:
        from ..render.outline import print_outline
        from ..render.records import write_records

        if fmt == "table":
            print_outline(self.doc, self.ref, out)
        else:
            write_records(self.records, fmt, ["id", "kind", "number", "heading", "clauses",
                                              "span"], out=out)


class _Lineage:
    """corpus show --lineage's result: the chain of texts REF was made from."""

    def __init__(self, steps) -> None:
        self.steps = steps

    def write(self, fmt, out) -> None:
        import json

        from ..corpus.lineage import describe

        if fmt == "json":
            json.dump({"lineage": self.steps}, out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt == "jsonl":
            out.writelines(json.dumps(s, ensure_ascii=False) + "\n" for s in self.steps)
        else:
            out.writelines(line + "\n" for line in describe(self.steps))


class _Shown(_Outline):
    """The outline with the lineage above it (the table only)."""

    def __init__(self, doc, ref, steps) -> None:
        super().__init__(doc, ref)
        self.steps = steps

    def write(self, fmt, out) -> None:
        if fmt == "table" and self.steps:
            _Lineage(self.steps).write("table", out)
            out.write("\n")
        super().write(fmt, out)


def lineage_of(ctx, ref: str, doc=None) -> list[dict]:
    """The chain of REF: its manifest entry's (or, for a rendering made on demand, the
    rendering's then its source's); a file outside the corpus has none."""
    from ..corpus.lineage import chain
    from ..corpus.refs import KIND_PREFERENCE, parse_ref, resolve_entry
    from ..corpus.verify import HashCache, source_of

    r = parse_ref(ref)
    if not r.plan:
        return []
    hashes = HashCache(ctx.cache_path)
    try:
        if r.kind and r.kind not in KIND_PREFERENCE and not [
                e for e in ctx.manifest.find(r.plan, r.lang, "machine")
                if e.file and e.extra.get("engine") == r.kind]:
            # made on demand: not in the manifest; its provenance says what made it
            from types import SimpleNamespace

            doc = doc if doc is not None else ctx.load(ref)
            x = doc.provenance.extra
            src = source_of(SimpleNamespace(extra=x), ctx.manifest)
            head = {"ref": ref, "kind": "machine", "file": "", "sha256": doc.provenance.sha256,
                    "status": "made on demand",
                    "made_by": f"{x.get('engine', '')} {x.get('engine_version', '')}".strip(),
                    "from": x.get("translated_from", "")}
            if x.get("source_sha256"):
                head["from_sha256"] = x["source_sha256"]
            return [head] + (chain(src, ctx.manifest, hashes) if src else [])
        entry, _ = resolve_entry(r, ctx.manifest)
        return chain(entry, ctx.manifest, hashes)
    finally:
        hashes.close()


@corpus.command()
@click.argument("ref")
@click.option("--lineage", "lineage_only", is_flag=True,
              help="Only the chain REF was made from (engine and version, source hash, "
                   "reviewers, where and when it was imported), each step verified.")
@output_options("table", "jsonl", "json", "tsv")
def show(ref, lineage_only, fmt, output):
    """The outline of REF (title, preamble, chapters and sections with their ids), under
    the chain of texts it was made from."""
    from ..corpus.guard import refuse_overwriting_inputs
    from .settings import context

    refuse_overwriting_inputs(output, [ref])
    ctx = context()
    if lineage_only:
        from ..corpus.refs import parse_ref

        if not parse_ref(ref).plan:
            from ..errors import UserError

            raise UserError(f"{ref}: a file, not a corpus text; only corpus texts "
                            "(PLAN:LANG[:KIND]) have a recorded lineage")
        emit(_Lineage(lineage_of(ctx, ref)), "corpus show", fmt, output,
             ("table", "jsonl", "json"))
        return
    doc = ctx.load(ref)
    emit(_Shown(doc, ref, lineage_of(ctx, ref, doc)), "corpus show", fmt, output,
         ("table", "jsonl", "json", "tsv"))
    for w in doc.warnings:
        click.echo(f"warning: {w}", err=True)


class _Verified:
    """corpus verify's result: one line per problem (table) or a JSON report."""

    def __init__(self, root, entries, problems) -> None:
        self.root, self.entries, self.problems = root, entries, problems

    def write(self, fmt, out) -> None:
        import json

        if fmt == "json":
            json.dump({"corpus": str(self.root), "entries": len(self.entries),
                       "shipped": sum(1 for e in self.entries if e.file),
                       "ok": not self.problems,
                       "problems": [p.record() for p in self.problems]},
                      out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt == "jsonl":
            out.writelines(json.dumps(p.record(), ensure_ascii=False) + "\n"
                           for p in self.problems)
        else:
            out.writelines(p.line() + "\n" for p in self.problems)


@corpus.command()
@click.option("--rehash", is_flag=True,
              help="Hash every file again (default: a file whose size, mtime, ctime and "
                   "inode are those of its last check reuses that hash).")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON (--format json).")
@output_options("table", "json", "jsonl")
def verify(rehash, as_json, fmt, output):
    """Check every corpus entry: its file is there, its bytes have the recorded sha256,
    its kind and origin fields agree, and a machine rendering (or reviewed text) was made
    from its source's current text (else it is stale). Exit 0 when all hold, 1 with one
    line per problem."""
    from ..corpus.guard import refuse_corpus_path
    from ..corpus.verify import HashCache, verify_corpus
    from .settings import context

    if output:
        refuse_corpus_path(output, "-o")
    ctx = context()
    m = ctx.manifest
    hashes = HashCache(None if rehash else ctx.cache_path)
    try:
        problems = verify_corpus(m, hashes)
    finally:
        hashes.close()
    # one line per problem, on a terminal or piped (--json or -o x.json for the report)
    fmt = "json" if as_json else fmt or ("table" if not output or output.endswith(".txt")
                                         else None)
    emit(_Verified(m.root, m.entries, problems), "corpus verify", fmt, output,
         ("table", "json", "jsonl"))
    shipped = sum(1 for e in m.entries if e.file)
    click.echo(f"corpus {m.root}: {shipped} shipped text(s) of {len(m.entries)} entries; "
               + (f"{len(problems)} problem(s)" if problems else "all verified"), err=True)
    if problems:
        sys.stdout.flush()
        sys.exit(1)


@corpus.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--plan", required=True, help="Plan id, e.g. 2019-2021.")
@click.option("--lang", required=True, help="es, en, zh or pt.")
@click.option("--kind", required=True, type=click.Choice(["official", "reference", "machine"]))
@click.option("--source", help="URL or citation the text came from.")
@click.option("--title", help="Title in the document's language (default: parsed).")
@click.option("--note", "notes", default="", help="Provenance note.")
@click.option("--engine", help="For machine renderings: the engine that made it.")
@click.option("--engine-version", help="For machine renderings: the engine's version.")
@click.option("--translator", help="For reference renderings: who translated it.")
@click.option("--from", "made_from", metavar="REF",
              help="For machine and reference renderings: the corpus text (PLAN:LANG[:KIND]) "
                   "it was translated from; its current sha256 is recorded, so `corpus "
                   "verify` can tell when the rendering becomes stale.")
@click.option("--force", is_flag=True, help="Replace a document already in the corpus.")
def import_cmd(file, plan, lang, kind, source, title, notes, engine, engine_version,
               translator, made_from, force):
    """Import FILE (txt, md, html, pdf, docx) into corpora/ and record its provenance
    (where it came from and when; for a rendering, what it was made from)."""
    from ..corpus.importer import import_file
    from ..corpus.lineage import source_record
    from ..corpus.refs import SINGLE_BYTE
    from ..errors import UserError
    from .settings import context

    ctx = context()
    if made_from and kind == "official":
        raise UserError("--from: an official text is no one's rendering; --from is for "
                        "--kind machine or reference")
    extra = {k: v for k, v in (("engine", engine), ("engine_version", engine_version),
                               ("translator", translator)) if v}
    if made_from:
        extra.update(source_record(made_from, ctx.manifest, strict=ctx.strict_provenance,
                                   say=ctx.say))
    entry = import_file(file, plan=plan, lang=lang, kind=kind, source=source, title=title,
                        notes=notes, force=force, extra=extra, manifest=ctx.manifest)
    if kind == "machine" and not entry.extra.get("source_sha256"):
        click.echo(f"warning: {entry.file}: no --from, so the text it was translated from "
                   "and that text's hash are not recorded (`corpus verify` reports it)",
                   err=True)
    enc = entry.extra.get("imported", {}).get("encoding")
    click.echo(f"imported {file} as {entry.ref} → corpora/{entry.file} "
               f"(sha256 {entry.sha256[:12]}"
               + (f"; read as {enc}, not UTF-8: check the accents" if enc in SINGLE_BYTE
                  else "") + ")", err=True)


@corpus.command()
@click.argument("plan")
@click.option("--lang", help="Only this language.")
@click.option("--timeout", type=click.FloatRange(0, 3600, min_open=True), default=20.0,
              show_default=True,
              help="Seconds a whole download may take (connection, redirects, body).")
@click.option("--max-bytes", type=click.IntRange(1), default=20 * 1024 * 1024,
              show_default=True,
              help="Refuse downloads larger than this.")
@click.option("--force", is_flag=True, help="Re-fetch documents already shipped.")
def fetch(plan, lang, timeout, max_bytes, force):
    """Download PLAN's known sources (manifest URLs), extract the text and import it."""
    from ..corpus.fetch import fetch as do_fetch
    from ..errors import UserError
    from .settings import context

    results = do_fetch(plan, lang, timeout=timeout, max_bytes=max_bytes, force=force,
                       manifest=context().manifest)
    for r in results:
        if r.entry:
            click.echo(f"fetched {r.url} → corpora/{r.entry.file}", err=True)
        else:
            click.echo(f"failed {r.error}", err=True)
    if not any(r.entry for r in results):
        raise UserError(f"plan {plan}: no source could be fetched")
