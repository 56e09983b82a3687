"""Typeset editions of a plan as PDF with Typst: bilingual side-by-side, interleaved,
a three- or four-language table, and the diff's redline.

Document text reaches the Typst templates only as JSON data (``sys.inputs``), never as
markup, so ``#``, ``[``, ``<``, ``{``, ``$``... print as themselves. Nothing here imports
``typst`` at module level: ``import celac_i18n`` stays light.
"""

from __future__ import annotations

LAYOUTS = ("side-by-side", "interleaved", "table")
ANNOTATIONS = ("scores", "qa")


def render_pdf(*args, **kwargs):
    """See :func:`celac_i18n.typeset.edition.render_pdf`."""
    from .edition import render_pdf as _render

    return _render(*args, **kwargs)


def render_redline_pdf(*args, **kwargs):
    """See :func:`celac_i18n.typeset.redline.render_redline_pdf`."""
    from .redline import render_redline_pdf as _render

    return _render(*args, **kwargs)


__all__ = ["ANNOTATIONS", "LAYOUTS", "render_pdf", "render_redline_pdf"]
