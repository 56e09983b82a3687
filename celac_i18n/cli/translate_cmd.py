"""translate's CLI-only flag: --save stores the rendering in corpora/ (the one command
besides `corpus import` that writes there, so no batch job may ask for it)."""

from __future__ import annotations

import click


def save_option():
    params = [click.Option(["--save"], is_flag=True,
                           help="Store it in corpora/PLAN/LANG.ENGINE.txt, recorded as kind "
                                "\"machine\".")]

    def before(op, values, ctx) -> bool:
        if not values.get("save"):
            return False
        from ..errors import UserError
        from ..translate.document import save

        if click.get_current_context().params.get("output"):
            raise UserError("use either -o FILE or --save, not both")
        result = op.run(ctx)
        entry = save(result.doc, manifest=ctx.manifest)
        stats = result.doc.provenance.extra
        for line in result.notes:
            click.echo(line, err=True)
        click.echo(f"saved {entry.file} ({entry.ref}, engine {stats['engine']} "
                   f"{stats['engine_version']})", err=True)
        return True

    return params, before
