"""Engine names → "module:Class", imported only when an engine is asked for, and
``session``: an engine with the translation cache, both closed on leaving."""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def session(engine_name: str, model: str | None = None, *, cache=None, **engine_options):
    """``with session("apertium", cache=TranslationCache(path)) as (engine, cache):`` an
    engine and the translation cache it goes through, both closed on leaving, whatever
    happens (``ops.Context.engine`` opens one with the context's cache).

    Args:
        engine_name: ``"apertium"``, ``"hf"`` or ``"ct2"`` (``ENGINES``).
        model: a local model directory for the neural engines.
        cache: a ``cache.TranslationCache``, or None to translate without one.
        engine_options: passed to the engine's constructor.

    Yields:
        ``(engine, cache)``, for ``translate_document``.
    """
    if model:
        engine_options["model"] = model
    try:
        with get_engine(engine_name, **engine_options) as engine:
            yield engine, cache
    finally:
        if cache is not None:
            cache.close()
