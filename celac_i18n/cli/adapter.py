"""A click command made from an operation's declaration: its arguments, options, -o
and --format. Every operation-backed command thereby follows one convention (README
"Commands"): data to stdout or atomically to -o FILE, the format from --format, else
from -o's suffix, else a table on a terminal (JSONL for record streams, JSON for
single documents when piped); messages and progress on stderr."""

from __future__ import annotations

import sys

import click


def _param(opt) -> click.Option:
    kw = {"help": opt.help, "metavar": opt.metavar, "show_default": False}
    if opt.type is bool:
        decl = f"{opt.cli_flag}/{opt.off_flag}" if opt.off_flag else opt.cli_flag
        flag = {} if opt.off_flag else {"is_flag": True}
        return click.Option([decl, opt.name], default=opt.default, help=opt.help, **flag)
    if opt.type is list:
        return click.Option([opt.cli_flag, opt.name], multiple=True, **kw)
    ptype = {int: click.INT, float: click.FLOAT}.get(opt.type, click.STRING)
    if opt.choices:
        ptype = click.Choice(opt.choices)
        kw.pop("metavar")
    if opt.default not in (None, "", False):
        kw["default"], kw["show_default"] = opt.default, True
    return click.Option([opt.cli_flag, opt.name], type=ptype, **kw)


def command(op_cls, extra_params=(), before=None) -> click.Command:
    """The click command for ``op_cls``. ``before(op, values, ctx)`` may act on the
    CLI-only flags (``extra_params``; ``values`` by name) and return True when it has
    handled the output itself."""
    params = []
    for i, arg in enumerate(op_cls.arguments):
        many = arg.endswith("...")
        # a variadic argument may be empty for click: the operation says how many
        params.append(click.Argument([f"arg{i}"], nargs=-1 if many else 1,
                                     required=not many, metavar=arg))
    params += [_param(o) for o in op_cls.options]
    params.append(click.Option(["-o", "--output"], type=click.Path(dir_okay=False),
                               help="Write to FILE (atomically) instead of stdout; its suffix ("
                                    + ", ".join("." + s for s in op_cls.suffixes)
                                    + ") picks the format."))
    params.append(click.Option(["--format", "fmt"], type=click.Choice(op_cls.formats),
                               help=f"Output format (default: from -o's suffix, else "
                                    f"{op_cls.formats[0]} on a terminal, {op_cls.piped} "
                                    "when piped)."))
    params += list(extra_params)

    def callback(**kw):
        inputs = []
        for i, arg in enumerate(op_cls.arguments):
            v = kw.pop(f"arg{i}")
            inputs += list(v) if arg.endswith("...") else [v]
        output, fmt = kw.pop("output"), kw.pop("fmt")
        extra = {p.name: kw.pop(p.name) for p in extra_params}
        values = {o.name: (list(kw[o.name]) if o.type is list else kw[o.name])
                  for o in op_cls.options}
        op = op_cls(inputs, {k: v for k, v in values.items() if v is not None})
        run(op, output, fmt, extra, before)

    return click.Command(op_cls.name, params=params, callback=callback, help=op_cls.__doc__,
                         short_help=op_cls.summary)


def run(op, output, fmt, extra=None, before=None) -> None:
    """Check the output, run the operation in the CLI's context, write the result."""
    from ..corpus.guard import refuse_overwriting_inputs
    from ..ops.output import save, to_stream
    from .settings import context, progress_bar

    ctx = context()
    refuse_overwriting_inputs(output, op.declared_inputs())
    fmt = op.output_format(fmt, output, sys.stdout.isatty())
    if before is not None and before(op, extra or {}, ctx):
        return
    with progress_bar(ctx):
        result = op.run(ctx)
    if output:
        save(result, fmt, output, op.binary)
    else:
        to_stream(result, fmt, sys.stdout, op.binary)
    for line in result.notes:
        click.echo(line, err=True)
    if output:
        click.echo(f"wrote {output}", err=True)
    if result.exit_code:
        sys.exit(result.exit_code)
