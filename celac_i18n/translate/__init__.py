"""Machine renderings: translation engines, a persistent cache, and whole-plan translation.

Engines are looked up by name in a lazy registry (``registry.ENGINES``), so importing
this package never imports torch, transformers or ctranslate2. A rendering is again a
``Document`` with the source's ids and numbering (``document.translate_document``);
``layout.document_text`` lays it out so that the parser reads back the same ids.
"""

import contextlib

from .registry import ENGINES, get_engine

__all__ = ["ENGINES", "get_engine", "session", "translate_document", "document_text", "render"]


@contextlib.contextmanager
def session(engine_name: str, model: str | None = None, *, use_cache: bool = True,
            **engine_options):
    """``with session("apertium") as (engine, cache):`` an engine and the translation
    cache (None when off), both closed on leaving, whatever happens."""
    from .cache import TranslationCache

    if model:
        engine_options["model"] = model
    cache = TranslationCache.open_default() if use_cache else None
    try:
        with get_engine(engine_name, **engine_options) as engine:
            yield engine, cache
    finally:
        if cache is not None:      # None when CELAC_I18N_CACHE=off or --no-cache
            cache.close()


def translate_document(*args, **kwargs):
    from .document import translate_document as _t

    return _t(*args, **kwargs)


def render(*args, **kwargs):
    from .document import render as _r

    return _r(*args, **kwargs)


def document_text(*args, **kwargs):
    from .layout import document_text as _d

    return _d(*args, **kwargs)
