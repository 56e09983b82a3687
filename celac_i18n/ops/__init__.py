"""Operations: one per thing a user can ask for, over an explicit ``Context``.

The CLI, batch and the review app are front ends over these: each builds an operation
from plain values (``build``), which validates them before anything runs, then calls
``run(context)`` and writes the result in the format asked for (``output.write_result``).
Operations are looked up by name and imported only when used, so ``import celac_i18n``
and ``celac-i18n --help`` stay light.
"""

from __future__ import annotations

import importlib

from .base import Operation, Option, Result
from .context import Context

# name → "module:Class"
OPERATIONS = {
    "clauses": "celac_i18n.ops.read:Clauses",
    "translate": "celac_i18n.ops.translate:Translate",
    "align": "celac_i18n.ops.align:Align",
    "align-eval": "celac_i18n.ops.align:AlignEval",
    "score": "celac_i18n.ops.score:Score",
    "compare": "celac_i18n.ops.score:Compare",
    "qa": "celac_i18n.ops.qa:QA",
    "diff": "celac_i18n.ops.diff:Diff",
    "history": "celac_i18n.ops.diff:History",
    "pdf": "celac_i18n.ops.pdf:Pdf",
    "search": "celac_i18n.ops.search:Search",
}


def get(name: str) -> type[Operation]:
    from ..errors import UserError

    if name not in OPERATIONS:
        raise UserError(f"unknown operation '{name}' (known: {', '.join(OPERATIONS)})")
    mod, cls = OPERATIONS[name].split(":")
    return getattr(importlib.import_module(mod), cls)


def build(name: str, inputs, options: dict | None = None, *, where: str = "") -> Operation:
    """An operation, validated before anything runs.

    Args:
        name: the operation (``OPERATIONS``: clauses, translate, align, align-eval,
            score, compare, qa, diff, history, pdf, search).
        inputs: its document references (``2022-2024:es``, ``plan.pdf@pt``).
        options: its options by job-file key (``{"level": "sentence"}``).
        where: names the place the values come from in error messages.

    Returns:
        The ``Operation``; ``op.run(Context())`` gives its result, which writes itself
        in each of ``op.formats`` (``result.write(fmt, stream)``, ``to_bytes``).

    Raises:
        UserError: an unknown operation or option, a bad value, a wrong number of
            inputs.
    """
    return get(name)(inputs, options, where=where)


__all__ = ["Context", "OPERATIONS", "Operation", "Option", "Result", "build", "get"]
