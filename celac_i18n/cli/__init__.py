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

from .. import __version__
from ..errors import UserError

# name → (module:attr, one-line help shown by --help without importing the module)
COMMANDS = {
    "clauses": ("celac_i18n.cli.clauses_cmd:clauses",
                "List a plan's units (clauses, sections, chapters) with their ids."),
    "corpus": ("celac_i18n.cli.corpus_cmd:corpus",
               "The corpus of plans: list, show, import and fetch documents."),
    "translate": ("celac_i18n.cli.translate_cmd:translate",
                  "Machine-translate a plan, keeping its structure and ids."),
    "align": ("celac_i18n.cli.align_cmd:align",
              "Align a plan with its renderings, clause by clause or sentence by sentence."),
    "align-eval": ("celac_i18n.cli.align_cmd:align_eval",
                   "Precision/recall/F1 of a predicted alignment against a gold one."),
    "score": ("celac_i18n.cli.score_cmd:score",
              "BLEU, chrF++ and TER of a rendering against a reference."),
    "compare": ("celac_i18n.cli.score_cmd:compare",
                "Paired significance test between two renderings."),
    "qa": ("celac_i18n.cli.qa_cmd:qa",
           "Translator's QA checks: numbers, terms, untranslated text, omissions..."),
    "diff": ("celac_i18n.cli.diff_cmd:diff",
             "Clause-level diff between two versions of a plan, with a word redline."),
    "history": ("celac_i18n.cli.history_cmd:history",
                "Follow each clause through several versions: changes, moves, when it appeared."),
    "pdf": ("celac_i18n.cli.pdf_cmd:pdf",
            "Typeset a bilingual (or 3-4 language) edition of a plan as PDF."),
    "review": ("celac_i18n.cli.review_cmd:review",
               "A review workspace for translators: decisions, a local web page, XLIFF/TMX."),
    "batch": ("celac_i18n.cli.batch_cmd:batch",
              "Run a job file of outputs (pdf, align, score, qa, diff, translate) in parallel."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        target = COMMANDS[name][0]
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
def cli(corpus_dir):
    """celac-i18n: read, align, score, diff and typeset China-CELAC plans.

    Documents are named PLAN:LANG[:KIND] (2022-2024:es, 2022-2024:zh:reference) or by
    path, optionally path@LANG (plan.pdf@pt).
    """
    if corpus_dir:
        os.environ["CELAC_I18N_CORPUS"] = corpus_dir


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
