"""Run the QA checks over the beads of an alignment of two documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..version import __version__
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
           tgt_name: str = "", alignment=None, alignment_name: str = "alignment",
           progress=None, semantic=None) -> QAReport:
    """Run the translator's QA checks over the pairs of an alignment of ``src_doc``
    and ``tgt_doc``.

    Without ``alignment`` the two documents are aligned first (``align_documents``); an
    alignment of more languages (the pivot's, an edition's) is projected onto the two.
    Two texts in one language (which the aligner does not take) are paired by id.

    Args:
        src_doc: the source text; tgt_doc: its rendering.
        checks: check names (``numbers``, ``acronyms``, ``terms``, ``untranslated``,
            ``omissions``, ``consistency``, ``punctuation``, ``meaning``) as a list, or a string:
            ``"numbers,terms"``, ``"-punctuation"`` (all but), ``None``/``"all"``.
        min_severity: keep findings at least this serious: ``"critical"``,
            ``"functional"`` or ``"cosmetic"`` (all).
        termbase: the ``termbase.Termbase`` to check terms with (default: the shipped
            ``corpora/termbase.tsv``).
        src_name, tgt_name: names used in the report.
        alignment: an ``Alignment`` to pair the units by; alignment_name: its name.
        progress: called with a line of text at each step.
        semantic: the semantic layer (``semantic.Semantic``, ``Context.semantic()``):
            the ``meaning`` check needs it (skipped, and said so in the report's
            warnings, without it), and an alignment made here uses it as a cue.

    Returns:
        A ``QAReport``: the findings (check, severity, unit id, bead, message), the
        pairs checked, counts by severity and check, and a signature.

    Raises:
        UserError: an unknown check name.
    """
    from ..signature import Signature
    from ..termbase import default_termbase
    from .beads import bead_pairs, id_pairs

    tb = default_termbase() if termbase is None else termbase
    names = parse_checks(checks) if not isinstance(checks, list) else checks
    unit, aligned_with = "bead", None
    if alignment is None and src_doc.lang == tgt_doc.lang:
        pairs = id_pairs(src_doc, tgt_doc)
        unit = "id"
    else:
        if alignment is None:
            from ..align import align_documents

            if progress:
                progress(f"aligning {src_doc.lang}–{tgt_doc.lang}")
            alignment = align_documents([src_doc, tgt_doc], consistency=False, termbase=tb,
                                        embedder=semantic)
            alignment_name = "aligned here"
        pairs = bead_pairs(alignment, src_doc, tgt_doc, alignment_name)
        aligned_with = _digest(alignment.signature)
    ctx = QAContext(src_doc.lang, tgt_doc.lang, pairs, tb, semantic=semantic)
    findings: list[Finding] = []
    for n in names:
        findings.extend(get_check(n).run(ctx))
    limit = severity_rank(min_severity)
    findings = [f for f in findings if severity_rank(f.severity) <= limit]
    _locate(findings, pairs)
    findings.sort(key=lambda f: (f.bead if f.bead is not None else 1 << 30,
                                 severity_rank(f.severity), f.check))
    sig = Signature({"celac-i18n-qa": __version__, "pair": f"{src_doc.lang}-{tgt_doc.lang}",
                     "unit": unit, "alignment": aligned_with, "checks": names,
                     "termbase": getattr(tb, "fingerprint", "none"), "min": min_severity,
                     "encoder": semantic.name if semantic is not None else "none"})
    return QAReport(src_name, tgt_name, src_doc.lang, tgt_doc.lang, names, findings, pairs, sig,
                    list(ctx.notes))


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _locate(findings: list[Finding], pairs) -> None:
    """Every finding names its bead, shows what the target holds there (not what a
    target unit with the same id holds) and the target's ids when they differ."""
    by_bead = {p.bead: p for p in pairs}
    by_id: dict[str, object] = {}
    for p in pairs:
        by_id.setdefault(p.id, p)
    for f in findings:
        p = by_bead.get(f.bead) if f.bead is not None else by_id.get(f.id)
        if p is None:
            continue
        f.bead = p.bead
        if not f.tgt and p.tgt is not None:
            f.tgt = _clip(p.tgt_text)
        if p.tgt_ids and p.tgt_ids != p.src_ids:
            f.tgt_id = "+".join(p.tgt_ids)


def _clip(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
