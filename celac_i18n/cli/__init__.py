"""The ``celac-i18n`` command: thin click wrappers over library calls.

Sub-commands are registered by name → "module:attr" and imported only when run, so
``celac-i18n --help`` stays fast whatever a command needs (torch, weasyprint, ...).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys

import click

from ..version import __version__
from ..errors import UserError

# name → (module:attr, one-line help shown by --help without importing the module)
COMMANDS = {
    "clauses": ("ops:clauses",
                "List a plan's units (clauses, sections, chapters) with their ids."),
    "corpus": ("celac_i18n.cli.corpus_cmd:corpus",
               "The corpus of plans: list, show, import and fetch documents."),
    "translate": ("ops:translate",
                  "Machine-translate a plan, keeping its structure and ids."),
    "align": ("ops:align",
              "Align a plan with its renderings, clause by clause or sentence by sentence."),
    "align-eval": ("ops:align-eval",
                   "Precision/recall/F1 of a predicted alignment against a gold one."),
    "score": ("ops:score",
              "BLEU, chrF++ and TER of a rendering against a reference."),
    "compare": ("ops:compare",
                "Paired significance test between two renderings."),
    "qa": ("ops:qa",
           "Translator's QA checks: numbers, terms, untranslated text, omissions..."),
    "diff": ("ops:diff",
             "Clause-level diff between two versions of a plan, with a word redline."),
    "history": ("ops:history",
                "Follow each clause through several versions: changes, moves, when it appeared."),
    "pdf": ("ops:pdf",
            "Typeset a bilingual (or 3-4 language) edition of a plan as PDF."),
    "search": ("ops:search",
               "Find the clauses closest in meaning to a query, in every text and language."),
    "review": ("celac_i18n.cli.review_cmd:review",
               "A review workspace for translators: decisions, a local web page, XLIFF/TMX."),
    "batch": ("celac_i18n.cli.batch_cmd:batch",
              "Run a job file of outputs (any operation: pdf, align, qa, diff...) in parallel."),
}

# CLI-only flags of an operation (they act outside an output folder, so no job may set
# them): "module:function" returning (click params, before(op, values, ctx) hook)
CLI_EXTRAS = {"translate": "celac_i18n.cli.translate_cmd:save_option"}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        target = COMMANDS[name][0]
        if target.startswith("ops:"):
            # an operation: the command is made from its declaration
            from ..ops import get
            from .adapter import command

            extra = CLI_EXTRAS.get(name)
            if extra:
                mod, attr = extra.split(":")
                params, before = getattr(importlib.import_module(mod), attr)()
                return command(get(target[4:]), params, before)
            return command(get(target[4:]))
        mod, attr = target.split(":")
        return getattr(importlib.import_module(mod), attr)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="celac-i18n")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), envvar="CELAC_I18N_CORPUS",
              help="corpora/ directory to use (default: the one shipped with the toolkit).")
@click.option("--strict-provenance", is_flag=True, envvar="CELAC_I18N_STRICT_PROVENANCE",
              help="A corpus text whose bytes are not those the manifest records is an "
                   "error (exit 2), not a warning and a 'modified' label.")
@click.pass_context
def cli(click_ctx, corpus_dir, strict_provenance):
    """celac-i18n: read, align, score, diff and typeset China-CELAC plans.

    Documents are named PLAN:LANG[:KIND] (2022-2024:es, 2022-2024:zh:reference) or by
    path, optionally path@LANG (plan.pdf@pt).
    """
    from .settings import from_environment

    # the one context of this command line: every command reads its settings here
    click_ctx.obj = from_environment(corpus_dir)
    click_ctx.obj.strict_provenance = strict_provenance


def _unwritable(e: OSError) -> None:
    """Output on a full disk or /dev/full: one line, exit 2. The final flush at exit
    would fail again on stdout, so it is pointed at /dev/null first."""
    click.echo(f"celac-i18n: error: cannot write the output ({e.strerror or e})", err=True)
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(2)


def main(argv=None) -> None:
    # A file name with undecodable bytes (held as lone surrogates) is printed as
    # escapes rather than failing the whole output.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    try:
        cli.main(args=argv, prog_name="celac-i18n", standalone_mode=False)
        sys.stdout.flush()
    except UserError as e:
        click.echo(f"celac-i18n: error: {e}", err=True)
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("celac-i18n: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except BrokenPipeError:
        # `celac-i18n clauses ... | head`: stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as e:
        # the machine, not the toolkit: a full disk, a name too long, no permission
        if e.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT) and not e.filename:
            _unwritable(e)
        where = f"{e.filename}: " if e.filename else ""
        click.echo(f"celac-i18n: error: {where}{e.strerror or e}", err=True)
        sys.exit(2)
