"""Engine names → "module:Class", imported only when an engine is asked for."""

from __future__ import annotations

import importlib

from ..errors import UserError

ENGINES = {
    "apertium": "celac_i18n.translate.apertium:ApertiumEngine",
    "hf": "celac_i18n.translate.hf:HFEngine",
    "ct2": "celac_i18n.translate.ct2:CT2Engine",
}
DEFAULT_ENGINE = "apertium"


def engine_class(name: str):
    if name not in ENGINES:
        raise UserError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")
    mod, attr = ENGINES[name].split(":")
    return getattr(importlib.import_module(mod), attr)


def get_engine(name: str = DEFAULT_ENGINE, **options):
    """An engine instance; ``options`` go to its constructor (model=..., beams=...)."""
    return engine_class(name)(**options)
