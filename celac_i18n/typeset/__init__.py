"""Typeset editions of a plan as PDF with Typst: bilingual side-by-side, interleaved,
a three- or four-language table, and the diff's redline.

Document text reaches the Typst templates only as JSON data (``sys.inputs``), never as
markup, so ``#``, ``[``, ``<``, ``{``, ``$``... print as themselves. Nothing here imports
``typst`` at module level, and the names below are imported on first use
(``celac_i18n.lazy``): ``import celac_i18n`` stays light.
"""

from __future__ import annotations

from ..lazy import exports

_EXPORTS = {
    "render_pdf": "celac_i18n.typeset.edition:render_pdf",
    "render_redline_pdf": "celac_i18n.typeset.redline:render_redline_pdf",
    "LAYOUTS": "celac_i18n.typeset.edition:LAYOUTS",
    "ANNOTATIONS": "celac_i18n.typeset.edition:ANNOTATIONS",
}
__getattr__, __dir__ = exports(globals(), _EXPORTS)
__all__ = ["ANNOTATIONS", "LAYOUTS", "render_pdf", "render_redline_pdf"]
