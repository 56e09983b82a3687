"""Multilingual alignment: clauses (and sentences inside them) of N renderings around a pivot.

``align_documents(docs)`` is the library call behind ``celac-i18n align``: ids are
anchors where they agree, a banded dynamic programme (``dp.py``) decides on content
where they do not (length ratio, shared anchors, optionally machine translation).
``align_documents`` and ``ALIGNER`` are imported on first use (``celac_i18n.lazy``).
"""

from __future__ import annotations

from ..lazy import exports
from .beads import Alignment, Bead, Segment

_EXPORTS = {
    "align_documents": "celac_i18n.align.clause:align_documents",
    "ALIGNER": "celac_i18n.align.clause:ALIGNER",
    "read_alignment": "celac_i18n.align.records:read_alignment",
}
__getattr__, __dir__ = exports(globals(), _EXPORTS)
__all__ = ["ALIGNER", "Alignment", "Bead", "Segment", "align_documents", "read_alignment"]
