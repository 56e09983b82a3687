"""celac-i18n translate REF --to LANG: a machine rendering with the source's ids."""

from __future__ import annotations

import sys
import time

import click

from .options import pick_format


@click.command()
@click.argument("ref")
@click.option("--to", "tgt", required=True, metavar="LANG",
              help="Target language (en, es, pt, zh).")
@click.option("--engine", type=click.Choice(["apertium", "hf", "ct2"]), default=None,
              help="Translation engine (default: apertium; hf when --model is given).")
@click.option("--model", metavar="PATH_OR_NAME",
              help="hf/ct2: a model directory or a name in the local Hugging Face cache.")
@click.option("--beams", type=int, default=None, help="hf/ct2: beam size (default 4).")
@click.option("--zero-pad", is_flag=True,
              help="ct2: convert a Marian model whose <pad> embedding is not zero by zeroing it "
                   "(changes the model; without this flag such a model is refused).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the rendering here.")
@click.option("--save", is_flag=True,
              help="Store it in corpora/PLAN/LANG.ENGINE.txt, recorded as kind \"machine\".")
@click.option("--no-cache", is_flag=True, help="Do not read or write the translation cache.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl", "json", "tsv"]), default=None,
              help="Output: the plan as text (default) or one record per unit; every "
                   "record also carries provenance \"machine\" and the engine's signature.")
def translate(ref, tgt, engine, model, beams, zero_pad, output, save, no_cache, fmt):
    """Machine-translate REF (PLAN:LANG[:KIND] or a file path[@LANG]) into LANG.

    Every unit is translated (title, preamble, headings, clauses); numbering is kept
    from the source, so the rendering has the same ids. The output is machine text,
    never an official one: its provenance says so.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..errors import UserError
    from ..fsutil import refuse_overwriting_inputs, write_text_atomic
    from ..render.records import write_records
    from ..translate.document import render, save as save_rendering
    from ..translate.layout import document_text

    if output and save:
        raise UserError("use either -o FILE or --save, not both")
    refuse_overwriting_inputs(output, [ref])
    options = {}
    if beams is not None:
        if engine not in ("hf", "ct2") and not (engine is None and model):
            raise UserError("--beams applies to --engine hf or ct2")
        options["beams"] = beams
    if zero_pad:
        if engine != "ct2":
            raise UserError("--zero-pad applies to --engine ct2")
        options["zero_pad"] = True
    console = Console(stderr=True)
    progress = Progress(TextColumn("translating"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True,
                        disable=not console.is_terminal)
    task = progress.add_task("translate", total=None)
    start = time.perf_counter()
    with progress:
        doc = render(ref, tgt, engine, model=model, use_cache=not no_cache,
                     progress=lambda n: progress.advance(task, n),
                     on_total=lambda n: progress.update(task, total=n), **options)
    took = time.perf_counter() - start
    stats = doc.provenance.extra
    fmt = fmt or "text"
    if save:
        entry = save_rendering(doc)
        click.echo(f"saved {entry.file} ({entry.ref}, engine {stats['engine']} "
                   f"{stats['engine_version']})", err=True)
    elif fmt == "text":
        text = document_text(doc)
        if output:
            write_text_atomic(output, text)
        else:
            sys.stdout.write(text)
    else:
        # "kind" is the unit's kind (clause, chapter...); "provenance" says what the text
        # is (always "machine" here), so no record can pass for an official text.
        mark = {"provenance": doc.provenance.kind, "signature": stats["signature"]}
        records = [{**u.record(doc.lang), **mark} for u in doc.units]
        columns = ["id", "kind", "number", "heading", "text", "sentences", "lang",
                   "provenance", "signature"]
        if output:
            from ..fsutil import atomic_open

            with atomic_open(output) as fh:
                write_records(records, pick_format(fmt), columns, out=fh)
        else:
            write_records(records, pick_format(fmt), columns)
    for w in doc.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"machine rendering ({stats['engine']}), not an official text: "
               f"{len(doc.clauses())} clauses, {len(doc.units)} units in {took:.2f} s "
               f"({stats.get('segments_cached', 0)} of {stats.get('segments', 0)} segments "
               f"from the cache)", err=True)
    click.echo(f"signature: {stats['signature']}", err=True)
