"""Multilingual alignment: clauses (and sentences inside them) of N renderings around a pivot.

``align_documents(docs)`` is the library call behind ``celac-i18n align``: ids are
anchors where they agree, a banded dynamic programme (``dp.py``) decides on content
where they do not (length ratio, shared anchors, optionally machine translation).
"""

from __future__ import annotations

from .beads import Alignment, Bead, Segment

ALIGNER = "celac-align"


def align_documents(*args, **kwargs):
    from .clause import align_documents as _align

    return _align(*args, **kwargs)


__all__ = ["ALIGNER", "Alignment", "Bead", "Segment", "align_documents"]
