"""celac-i18n align REF REF [REF ...] and celac-i18n align-eval PRED GOLD."""

from __future__ import annotations

import sys

import click

from .options import pick_format

FORMATS = ("table", "jsonl", "json", "tsv", "tmx", "xliff")
SUFFIX_FORMATS = {"jsonl": "jsonl", "json": "json", "tsv": "tsv", "tmx": "tmx",
                  "xlf": "xliff", "xliff": "xliff", "txt": "table"}


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--level", type=click.Choice(["clause", "sentence"]), default="clause",
              show_default=True, help="Align units, or sentences inside aligned units.")
@click.option("--units", type=click.Choice(["all", "clauses", "headings", "preamble"]),
              default="all", show_default=True,
              help="Which beads to output (alignment always uses all units).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: table on a terminal, jsonl when piped).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--lang-code", "lang_code", multiple=True, metavar="LANG=CODE",
              help="Code written for LANG in TMX/XLIFF (default es, en, zh-CN, pt-BR).")
@click.option("--target", help="XLIFF: the target language when more than two are aligned.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0,
              help="Output only beads at least this confident.")
@click.option("--consistency/--no-consistency", default=None,
              help="Check es→en→zh against es→zh (default: on with three or more texts).")
@click.option("--engine", default=None,
              help="Also compare a machine translation of each text into the pivot "
                   "language with the pivot (e.g. apertium); languages the engine "
                   "cannot translate are aligned without it.")
@click.option("--embed-model", type=click.Path(file_okay=False), default=None,
              help="A local sentence-embedding model (a transformers directory, e.g. "
                   "LaBSE): its similarity is one more cue (GPU when torch sees one).")
@click.option("--review", "review_ws", type=click.Path(dir_okay=False), default=None,
              help="Review workspace: keep the pairings its reviewers accepted (clause level).")
def align(refs, level, units, fmt, output, lang_code, target, min_confidence, consistency,
          engine, embed_model, review_ws):
    """Align REFs clause by clause (the first is the pivot).

    REF is PLAN:LANG[:KIND] or a file path[@LANG]; a file without numbering is read as
    plain paragraphs (p1, p2, ...). With -o the format follows the file's suffix
    (.jsonl, .json, .tsv, .tmx, .xlf) unless --format says otherwise.

    \b
      celac-i18n align 2022-2024:es 2022-2024:en 2022-2024:zh 2022-2024:pt
      celac-i18n align 2022-2024:es 2022-2024:zh --level sentence -o es-zh.tmx
    """
    from ..align.clause import align_documents
    from ..align.records import select, write
    from ..align.segments import load
    from ..errors import UserError
    from ..export.codes import lang_codes
    from ..fsutil import refuse_overwriting_inputs

    if len(refs) < 2:
        raise UserError("align needs at least two documents: PIVOT OTHER [OTHER ...]")
    refuse_overwriting_inputs(output, refs)
    codes = lang_codes(lang_code)
    if review_ws:
        # the workspace is read first: a bad one fails before any aligning
        from ..review.flowback import reviewed_pairs
        from ..review.store import Store

        if level != "clause":
            raise UserError("--review keeps reviewed clause pairings: use --level clause")
        reviewed = reviewed_pairs(Store(review_ws))
    docs = []
    for ref in refs:
        click.echo(f"reading {ref}", err=True)
        d = load(ref)
        for w in d.warnings:
            click.echo(f"warning: {ref}: {w}", err=True)
        docs.append(d)
    embedder = None
    if embed_model:
        from ..align.embed import Embedder

        click.echo(f"loading {embed_model}", err=True)
        embedder = Embedder(embed_model)

    def run(translator=None, engine_label=None):
        return align_documents(docs, level=level, consistency=consistency, sources=list(refs),
                               translator=translator, engine=engine_label,
                               progress=lambda msg: click.echo(msg, err=True),
                               embedder=embedder)

    if engine:
        # optional hook: the translate package is only imported when asked for; the
        # session closes the engine (apertium processes) and the cache after aligning
        from ..translate import session

        with session(engine) as (eng, cache):
            label = f"{eng.name}:{eng.version}" + (f"+{eng.model_id}" if eng.model_id else "")
            result = run(lambda texts, src, tgt: eng.translate(texts, src, tgt, cache=cache),
                         label)
    else:
        result = run()
    if review_ws:
        from ..review.flowback import keep_reviewed_pairs

        kept, skipped = keep_reviewed_pairs(result, reviewed)
        click.echo(f"{review_ws}: {kept} reviewed pairing(s) kept, {skipped} skipped "
                   "(texts changed or units no longer consecutive)", err=True)
    beads = select(result, units, min_confidence)
    if units != "all" or min_confidence:
        # the output is a selection of the alignment: say so in its signature
        result.signature += f"|select:{units}" + (
            f",min-confidence={min_confidence:g}" if min_confidence else "")
    if not fmt and output:
        fmt = SUFFIX_FORMATS.get(output.rsplit(".", 1)[-1].lower(), "jsonl")
    fmt = fmt or pick_format(None, ("table", "jsonl"))
    if fmt in ("tmx", "xliff"):
        if fmt == "tmx":
            from ..export.tmx import to_tmx

            data = to_tmx(result, beads, codes)
        else:
            from ..export.xliff import to_xliff

            data = to_xliff(result, beads, codes, target)
        if output:
            from ..fsutil import write_bytes_atomic

            write_bytes_atomic(output, data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    elif output:
        from ..fsutil import atomic_open

        with atomic_open(output) as fh:
            write(result, beads, fmt, fh)
    else:
        write(result, beads, fmt)
    click.echo(summary(result, beads), err=True)
    from ..align.consistency import describe

    for c in result.consistency[:10]:
        click.echo(f"  {describe(c)}", err=True)
    if output:
        click.echo(f"wrote {output}", err=True)


UNCERTAIN = 0.5     # a bead at or below this confidence is worth a look


def summary(result, beads) -> str:
    """One line for stderr: beads, the one-sided ones, the uncertain ones, disagreements.

    "At most 0.5" and ``<=``, said as it is compared: a bead at exactly 0.5 is counted
    (``--min-confidence`` keeps beads at or above its value, so a bead at 0.5 is both
    kept by ``--min-confidence 0.5`` and reported here as uncertain). One-sided beads
    are counted on their own, whatever their confidence."""
    langs = result.langs
    one_sided = [b for b in beads if b.one_sided(langs)]
    only_pivot = sum(1 for b in one_sided if b.segs.get(langs[0]))
    low = sum(1 for b in beads if b.confidence <= UNCERTAIN)
    over = sum(1 for b in beads if b.content_over_ids)
    return (f"{len(beads)} {result.level} beads ({len(result.beads)} in all): "
            f"{len(one_sided)} one-sided (1-0: {only_pivot}, 0-1: {len(one_sided) - only_pivot}), "
            f"{low} at confidence <= {UNCERTAIN:g}, {over} where content overrode the ids; "
            f"{len(result.consistency)} cross-language disagreements")


@click.command("align-eval")
@click.argument("pred", type=click.Path(dir_okay=False))
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--pair", "pairs", multiple=True, metavar="SRC-TGT",
              help="Language pair to score (repeatable; default: pivot against each other).")
@click.option("--level", type=click.Choice(["clause", "sentence"]), default=None,
              help="Score only beads of this level.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "tsv", "json"]),
              default=None, help="Output format (default: table on a terminal, jsonl piped).")
def align_eval(pred, gold, pairs, level, fmt):
    """Strict and lax precision/recall/F1 of PRED against GOLD (alignment JSONL files),
    as vecalign's score.py defines them."""
    from ..align.evaluate import evaluate_files
    from ..errors import UserError
    from ..render.records import write_records

    parsed = []
    for p in pairs:
        s, sep, t = p.partition("-")
        if not sep or not s or not t:
            raise UserError(f"--pair {p!r}: expected SRC-TGT, e.g. es-zh")
        parsed.append((s, t))
    rows = evaluate_files(pred, gold, parsed or None, level)
    fmt = pick_format(fmt)
    cols = ["pair", "precision_strict", "recall_strict", "f1_strict", "precision_lax",
            "recall_lax", "f1_lax", "gold_beads", "test_beads"]
    write_records(rows, fmt, cols, title="alignment scores (vecalign strict / lax)")
