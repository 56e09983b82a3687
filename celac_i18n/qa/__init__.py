"""Translator's QA checks (Xbench / Verifika / pofilter style) over clause pairs.

``run_qa(src_doc, tgt_doc, checks=None)`` pairs units by id and runs the checks named
in :mod:`celac_i18n.qa.registry`; each finding carries its check, severity and clause.
"""

from .base import SEVERITIES, Check, Finding, QAContext
from .runner import QAReport, run_qa

__all__ = ["SEVERITIES", "Check", "Finding", "QAContext", "QAReport", "run_qa"]
