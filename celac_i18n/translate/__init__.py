"""Machine renderings: translation engines, a persistent cache, and whole-plan translation.

Engines are looked up by name in a lazy registry (``registry.ENGINES``), so importing
this package never imports torch, transformers or ctranslate2. A rendering is again a
``Document`` with the source's ids and numbering (``document.translate_document``);
``layout.document_text`` lays it out so that the parser reads back the same ids.
``translate_document`` and ``document_text`` are imported on first use
(``celac_i18n.lazy``).
"""

from ..lazy import exports
from .registry import ENGINES, get_engine, session

_EXPORTS = {
    "translate_document": "celac_i18n.translate.document:translate_document",
    "document_text": "celac_i18n.translate.layout:document_text",
}
__getattr__, __dir__ = exports(globals(), _EXPORTS)
__all__ = ["ENGINES", "document_text", "get_engine", "session", "translate_document"]
