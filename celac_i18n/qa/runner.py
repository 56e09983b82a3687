"""Run the QA checks over two documents paired by id."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import __version__
from .base import SEVERITIES, Finding, QAContext, severity_rank
from .registry import get_check, parse_checks


@dataclass
class QAReport:
    src_name: str
    tgt_name: str
    src_lang: str
    tgt_lang: str
    checks: list[str]
    findings: list[Finding]
    pairs: list
    signature: str
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        by_sev = {s: 0 for s in SEVERITIES}
        by_check: dict[str, dict[str, int]] = {c: {s: 0 for s in SEVERITIES} for c in self.checks}
        for f in self.findings:
            by_sev[f.severity] += 1
            by_check.setdefault(f.check, {s: 0 for s in SEVERITIES})[f.severity] += 1
        return {"by_severity": by_sev, "by_check": by_check}

    def at(self, uid: str) -> list[Finding]:
        return [f for f in self.findings if f.id == uid]


def run_qa(src_doc, tgt_doc, checks: str | list[str] | None = None,
           min_severity: str = "cosmetic", termbase=None, src_name: str = "",
           tgt_name: str = "") -> QAReport:
    from ..score.pairing import TEXT_KINDS, pair_units
    from ..termbase import load_termbase

    names = parse_checks(checks) if not isinstance(checks, list) else checks
    pairs = pair_units(src_doc, tgt_doc, TEXT_KINDS)
    tb = load_termbase() if termbase is None else termbase
    ctx = QAContext(src_doc.lang, tgt_doc.lang, pairs, tb)
    order = {p.id: i for i, p in enumerate(pairs)}
    findings: list[Finding] = []
    for n in names:
        findings.extend(get_check(n).run(ctx))
    limit = severity_rank(min_severity)
    findings = [f for f in findings if severity_rank(f.severity) <= limit]
    findings.sort(key=lambda f: (order.get(f.id, len(order)), severity_rank(f.severity), f.check))
    sig = (f"celac-i18n-qa:{__version__}|pair:{src_doc.lang}-{tgt_doc.lang}|unit:id"
           f"|checks:{','.join(names)}|termbase:{len(tb)}|min:{min_severity}")
    return QAReport(src_name, tgt_name, src_doc.lang, tgt_doc.lang, names, findings, pairs, sig)
