"""celac-i18n review init|update|serve|status|export|import|save: thin over celac_i18n.review."""

from __future__ import annotations

import sys

import click

from .options import emit, output_options

reviewer_option = click.option(
    "--reviewer", default=None,
    help="Who decides (default: git's user.name, else the OS user).")
lang_code_option = click.option(
    "--lang-code", "lang_code", multiple=True, metavar="LANG=CODE",
    help="Code written for LANG in TMX/XLIFF (default es, en, zh-CN, pt-BR).")


def _embed_help() -> str:
    from ..ops.base import EMBED_MODEL

    return (EMBED_MODEL.help + " Each bead's similarity (pivot against each other text) "
            "is computed with it; update and serve use the encoder recorded here.")


def _recorded_semantic(ctx, store, serving: bool = False):
    """The semantic layer of the encoder ``store`` recorded (None: similarity off there,
    or, when serving, that encoder cannot be opened now: then changed beads show none)."""
    from ..errors import UserError

    if not store.meta.get("encoder") and "encoder" in store.meta:
        return None                         # made with --embed-model none
    try:
        sem = ctx.semantic(store.meta.get("embed_model"))
    except UserError as e:
        if not serving:
            raise
        click.echo(f"warning: {e}; similarities of changed beads are not computed", err=True)
        return None
    if sem is not None and store.meta.get("encoder") and sem.name != store.meta["encoder"]:
        if not serving:
            return sem                      # update recomputes every bead with it
        click.echo(f"warning: the workspace's similarities are by {store.meta['encoder']}, "
                   f"this install has {sem.name}; similarities of changed beads are not "
                   "computed (run `review update`)", err=True)
        return None
    return sem


def _other_versions(ctx, refs) -> list[str]:
    """The corpus's texts of the plans that none of ``refs`` belongs to (official,
    reference and reviewed texts; machine renderings left out)."""
    from ..corpus.refs import parse_ref

    plans = {parse_ref(r).plan for r in refs}
    out = []
    for e in ctx.manifest.entries:
        if e.file and e.plan not in plans and e.kind != "machine" and \
                (ctx.corpus_root / e.file).is_file():
            out.append(f"{e.plan}:{e.lang}:{e.kind}")
    return list(dict.fromkeys(out))


def _reviewer(name):
    from ..review.store import default_reviewer

    return name or default_reviewer()


@click.group()
def review():
    """A review workspace for translators: accept, reject and edit beads, dismiss QA
    findings, comment; serve it as a local web page; exchange it with CAT tools.

    \b
      celac-i18n review init plan.review 2022-2024:es 2022-2024:zh 2022-2024:en
      celac-i18n review serve plan.review
      celac-i18n review export plan.review -o es-zh.xlf --target zh
      celac-i18n review import plan.review es-zh.xlf
    """


@review.command("init")
@click.argument("workspace", type=click.Path(dir_okay=False))
@click.argument("refs", nargs=-1, required=True)
@click.option("--checks", default="all", show_default=True,
              help="QA checks to run (as for `celac-i18n qa --checks`).")
@click.option("--reference", "references", multiple=True, metavar="LANG=REF",
              help="Score LANG's rendering clause by clause against REF (chrF, BLEU), e.g. "
                   "en=2022-2024:en:reference when reviewing a machine rendering.")
@click.option("--embed-model", "embed_model", default=None, metavar="DIR|none",
              help=_embed_help())
@click.option("--version", "versions", multiple=True, metavar="REF",
              help="Another version of the plan: each bead lists its pivot text's nearest "
                   "clauses there, by meaning (default: the corpus's texts of the other "
                   "plans; repeatable).")
@click.option("--no-versions", is_flag=True, help="List no similar clauses of other versions.")
@click.option("--level", type=click.Choice(["clause", "sentence"]), default="clause",
              show_default=True,
              help="Beads of whole clauses, or of sentences aligned inside each clause bead "
                   "(ids I.5#s2; finer translation-memory units).")
def init(workspace, refs, checks, references, embed_model, versions, no_versions, level):
    """Align REFs (the first is the pivot) and run QA into a new WORKSPACE file."""
    from ..errors import UserError
    from ..corpus.guard import refuse_corpus_path
    from ..review.build import init_workspace
    from .settings import context

    if len(refs) < 2:
        raise UserError("review init needs at least two documents: PIVOT OTHER [OTHER ...]")
    refuse_corpus_path(workspace, "workspace")
    scored = {}
    for item in references:
        lang, sep, ref = item.partition("=")
        if not sep or not lang or not ref:
            raise UserError(f"--reference {item!r}: expected LANG=REF, e.g. "
                            "en=2022-2024:en:reference")
        scored[lang.strip()] = ref.strip()
    ctx = context()
    # the encoder first: a bad --embed-model fails before any reading
    semantic = ctx.semantic(embed_model)
    if no_versions or semantic is None:
        versions = ()
    elif not versions:
        versions = _other_versions(ctx, refs)
    store = init_workspace(workspace, refs, checks, progress=ctx.say, references=scored,
                           load=ctx.load_aligned, termbase=ctx.termbase, semantic=semantic,
                           embed_model=embed_model, versions=versions, level=level)
    c = store.counts()
    clauses = (f" ({len(store.meta['clauses'])} clause beads)" if level == "sentence"
               else "")
    click.echo(f"{workspace}: {c['beads']} {level} beads in {', '.join(store.langs)}{clauses}, "
               f"{c['findings']} QA findings"
               + (f"; similarity by {semantic.name}" if semantic is not None else
                  "; no similarity (--embed-model none)"), err=True)


@review.command("update")
@click.argument("workspace", type=click.Path(dir_okay=False))
def update(workspace):
    """Re-read the workspace's documents; decisions on changed texts become stale."""
    from ..review.build import update_workspace
    from ..review.store import Store
    from .settings import context

    ctx = context()
    store = Store(workspace)
    store = update_workspace(store, progress=ctx.say, load=ctx.load_aligned,
                             termbase=ctx.termbase, semantic=_recorded_semantic(ctx, store))
    c = store.counts()
    click.echo(f"{workspace}: {c['beads']} {store.meta.get('level', 'clause')} beads, "
               f"{c['stale']} with stale decisions", err=True)


@review.command("serve")
@click.argument("workspace", type=click.Path(dir_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the URL without opening a browser.")
@reviewer_option
def serve(workspace, port, no_browser, reviewer):
    """Serve WORKSPACE as a web page on 127.0.0.1 until Ctrl-C."""
    from ..review.api import Api
    from ..review.server import serve as run
    from ..review.store import Store
    from .settings import context

    store = Store(workspace)
    who = _reviewer(reviewer)
    semantic = _recorded_semantic(context(), store, serving=True)

    def ready(srv):
        click.echo(f"reviewing {workspace} as {who} at {srv.url}", err=True)
        click.echo(srv.url)
        sys.stdout.flush()

    try:
        run(Api(store, who, semantic), port, title=workspace, open_browser=not no_browser,
            ready=ready)
    except OSError as e:
        from ..errors import UserError

        raise UserError(f"cannot listen on 127.0.0.1:{port} ({e.strerror or e})") from None
    except KeyboardInterrupt:
        click.echo("stopped; every decision is saved", err=True)


@review.command("status")
@click.argument("workspace", type=click.Path(dir_okay=False))
@output_options("table", "json")
def status(workspace, fmt, output):
    """Count beads by state (reviewed, accepted, rejected, edited, stale)."""
    import json

    from ..corpus.guard import refuse_overwriting_inputs
    from ..ops.results import Text
    from ..review.store import Store

    refuse_overwriting_inputs(output, [workspace])
    store = Store(workspace)
    c = {"level": store.level, **store.counts()}
    emit(Text({"json": json.dumps(c) + "\n",
               "table": f"{c['reviewed']} of {c['beads']} {c['level']} beads reviewed: "
                        f"{c['accepted']} accepted, "
                        f"{c['rejected']} rejected, {c['edited']} edited; {c['unreviewed']} "
                        f"unreviewed; {c['stale']} with stale decisions; {c['dismissed']} of "
                        f"{c['findings']} QA findings dismissed; {c['comments']} comments\n"}),
         "review status", fmt, output, ("table", "json"))


@review.command("export")
@click.argument("workspace", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write (atomically); the suffix picks the format: .tmx, "
                   ".xlf (XLIFF 1.2), .xliff (XLIFF 2.0), .jsonl.")
@click.option("--format", "fmt", type=click.Choice(["tmx", "xliff-1.2", "xliff-2.0", "jsonl"]),
              default=None, help="Format (default: by the output's suffix).")
@click.option("--target", help="XLIFF: the target language when the workspace has several.")
@click.option("--status", "status", default=None,
              help="Only beads in any of these statuses, comma-separated (accepted, "
                   "rejected, edited, stale, open, unreviewed, reviewed): "
                   "--status accepted for a translation memory.")
@lang_code_option
def export(workspace, output, fmt, target, status, lang_code):
    """Write the reviewed workspace for CAT tools: clause ids as unit ids, states from
    the decisions, QA findings and comments as notes."""
    from ..export.codes import lang_codes
    from ..corpus.guard import refuse_corpus_path, refuse_overwriting_inputs
    from ..fsutil import write_bytes_atomic
    from ..review.exchange import export_bytes, format_for
    from ..review.store import Store

    refuse_overwriting_inputs(output, (workspace,))
    refuse_corpus_path(output)
    from ..review.states import parse_statuses

    fmt = format_for(output, fmt)
    statuses = parse_statuses(status)
    data, _, _ = export_bytes(Store(workspace), fmt, target, lang_codes(lang_code), statuses)
    write_bytes_atomic(output, data)
    click.echo(f"wrote {output} ({fmt})", err=True)


@review.command("import")
@click.argument("workspace", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@reviewer_option
@lang_code_option
@click.option("--dry-run", is_flag=True, help="Report what the import would do; record nothing.")
@click.option("--on-conflict", "on_conflict", type=click.Choice(["keep", "file"]),
              default="keep", show_default=True,
              help="Where the file and the workspace both changed a target since the export: "
                   "keep the workspace's (and report it) or take the file's.")
@click.option("--ignore-base", is_flag=True,
              help="Read the file as a foreign one (its export base ignored): every target "
                   "that differs is applied, even over newer work.")
@output_options("table", "json")
def import_(workspace, file, reviewer, lang_code, dry_run, on_conflict, ignore_base, fmt,
            output):
    """Read an edited XLIFF (1.2 or 2.0), TMX or JSONL export back: what the file changed
    since its export becomes edits; where the workspace changed the same target since,
    nothing is recorded and the CONFLICT is reported (exit 1). A file from another
    workspace or of another language pair is refused (exit 2)."""
    import json
    from pathlib import Path

    from ..corpus.guard import refuse_overwriting_inputs
    from ..export.codes import lang_codes
    from ..ops.results import Text
    from ..review.importing import import_file
    from ..review.store import Store

    refuse_overwriting_inputs(output, (workspace, file))
    store = Store(workspace)
    res = import_file(store, Path(file).read_bytes(), _reviewer(reviewer),
                      f"import:{Path(file).name}", lang_codes(lang_code), name=Path(file).name,
                      dry_run=dry_run, on_conflict=on_conflict, ignore_base=ignore_base)
    emit(Text({"json": json.dumps(res.to_json(), ensure_ascii=False) + "\n",
               "table": "\n".join(res.lines()) + "\n"}), "review import", fmt, output,
         ("table", "json"))
    sys.stdout.flush()
    click.echo(f"{file}: {len(res.applied)} edit(s) {'would be ' if dry_run else ''}recorded, "
               f"{len(res.conflicts)} conflict(s)"
               + (f" left for you to resolve (the workspace's text kept: edit the bead, or "
                  "--on-conflict file)" if res.conflicts and on_conflict == "keep" else ""),
               err=True)
    if res.conflicts and on_conflict == "keep":
        sys.exit(1)


@review.command("save")
@click.argument("workspace", type=click.Path(dir_okay=False))
@click.option("--lang", required=True, help="The language whose edited targets to save.")
@click.option("--force", is_flag=True, help="Replace an earlier reviewed text of this plan and language.")
def save(workspace, lang, force):
    """Save LANG's text with the reviewers' edits as a corpus text of kind `reviewed`
    (PLAN:LANG:reviewed), through the corpus import; never over the text it is based on."""
    from pathlib import Path

    from ..corpus.importer import store_text
    from ..corpus.refs import parse_ref, resolve_entry
    from ..corpus.verify import read_entry
    from ..errors import UserError
    from ..review.flowback import reviewed_text
    from ..review.store import Store, now
    from .settings import context

    store = Store(workspace)
    if lang not in store.langs[1:]:
        raise UserError(f"--lang {lang}: the workspace's targets are {', '.join(store.langs[1:])}")
    raw = store.meta["refs"][store.langs.index(lang)]
    ref = parse_ref(raw)
    if not ref.plan:
        raise UserError(f"{raw}: not a corpus document; `review save` stores reviewed texts of "
                        "corpus documents (PLAN:LANG) only")
    ctx = context()
    entry, manifest = resolve_entry(ref, ctx.manifest)
    if entry.kind == "reviewed":
        raise UserError(f"{raw}: is itself a reviewed text; review its source instead")
    # read as every reader does: verified, so a modified source is said (strict: refused)
    text, prov = read_entry(entry, manifest, strict=ctx.strict_provenance, say=ctx.say)
    body, applied, skipped = reviewed_text(store, lang, text)
    if not applied:
        raise UserError(f"{workspace}: no edits of {lang} to save"
                        + (f" ({len(skipped)} could not be placed)" if skipped else ""))
    reviewers = sorted({d["reviewer"] for d in store.decisions() if d["action"] == "edit"
                        and d["lang"] == lang})
    # lineage: the decisions whose edits the text carries (ids in the workspace)
    snap = store.snapshot()
    states = snap.states()
    decisions = sorted(states[b.key].edits[lang]["id"] for b in snap.beads
                       if lang in states[b.key].edits and b.key not in skipped)
    prov.source = f"{workspace} (review of {entry.ref})"
    new = store_text(body, prov, plan=entry.plan, lang=lang, kind="reviewed", force=force,
                     title=entry.title,
                     notes=f"Reviewed edition of {prov.extra['ref']}, not an official text: "
                           f"{applied} "
                           f"clause(s) edited by {', '.join(reviewers)}.",
                     extra={"based_on": prov.extra["ref"], "based_on_sha256": prov.sha256,
                            "workspace": Path(workspace).name, "texts": store.meta["refs"],
                            "decisions": decisions, "reviewers": reviewers,
                            "edits": applied, "saved": now()},
                     manifest=manifest)
    click.echo(f"saved {new.ref} ({new.file}): {applied} edit(s) applied"
               + (f", {len(skipped)} not placed: {', '.join(skipped[:10])}" if skipped else ""),
               err=True)
