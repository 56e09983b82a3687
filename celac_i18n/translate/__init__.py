"""Machine renderings: translation engines, a persistent cache, and whole-plan translation.

Engines are looked up by name in a lazy registry (``registry.ENGINES``), so importing
this package never imports torch, transformers or ctranslate2. A rendering is again a
``Document`` with the source's ids and numbering (``document.translate_document``);
``layout.document_text`` lays it out so that the parser reads back the same ids.
"""

from .registry import ENGINES, get_engine

__all__ = ["ENGINES", "get_engine", "translate_document", "document_text", "render"]


def translate_document(*args, **kwargs):
    from .document import translate_document as _t

    return _t(*args, **kwargs)


def render(*args, **kwargs):
    from .document import render as _r

    return _r(*args, **kwargs)


def document_text(*args, **kwargs):
    from .layout import document_text as _d

    return _d(*args, **kwargs)
