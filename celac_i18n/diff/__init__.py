"""Version diff of a plan: clause matching (renumbering, moves, splits, merges) and a
word-level redline. ``diff_documents(old, new)`` is the library call behind
``celac-i18n diff``."""

from .changes import Change, DiffResult, diff_documents
from .match import KINDS, Thresholds

__all__ = ["Change", "DiffResult", "KINDS", "Thresholds", "diff_documents"]
