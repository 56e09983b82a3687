"""Lazy re-exports (PEP 562) for the package and its stages.

A package lists its public names as ``name → "module:attr"``; the first lookup imports
the module that defines the name and returns the object itself (its real signature and
docstring, unlike a wrapper), so ``import celac_i18n`` imports no stage and no heavy
library. The strings follow the project's registry convention, which
tests/test_import_graph.py reads as imports.
"""

from __future__ import annotations

import importlib


def exports(namespace: dict, table: dict[str, str]):
    """``__getattr__`` and ``__dir__`` for the module whose globals are ``namespace``.

    ``table``: exported name → ``"module:attr"``. A name is imported on first use and
    then kept in ``namespace``, so later lookups are plain attribute reads. Returns the
    two functions, to be assigned to the module's ``__getattr__`` and ``__dir__``.
    """
    module = namespace["__name__"]

    def __getattr__(name: str):
        target = table.get(name)
        if target is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        path, _, attr = target.partition(":")
        value = namespace[name] = getattr(importlib.import_module(path), attr)
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
