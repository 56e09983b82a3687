"""Machine renderings: translation engines, a persistent cache, and whole-plan translation.

Engines are looked up by name in a lazy registry (``registry.ENGINES``), so importing
this package never imports torch, transformers or ctranslate2. A rendering is again a
``Document`` with the source's ids and numbering (``document.translate_document``);
``layout.document_text`` lays it out so that the parser reads back the same ids.
"""

import contextlib

from .registry import ENGINES, get_engine

__all__ = ["ENGINES", "get_engine", "session", "translate_document", "document_text"]


@contextlib.contextmanager
def session(engine_name: str, model: str | None = None, *, cache=None, **engine_options):
    """``with session("apertium", cache=TranslationCache(path)) as (engine, cache):`` an
    engine and the translation cache it goes through (None: no cache), both closed on
    leaving, whatever happens. ``ops.Context.engine`` opens one with the context's
    cache."""
    if model:
        engine_options["model"] = model
    try:
        with get_engine(engine_name, **engine_options) as engine:
            yield engine, cache
    finally:
        if cache is not None:
            cache.close()


def translate_document(*args, **kwargs):
    from .document import translate_document as _t

    return _t(*args, **kwargs)


def document_text(*args, **kwargs):
    from .layout import document_text as _d

    return _d(*args, **kwargs)
