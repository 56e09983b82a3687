"""qa: the translator's checks over the beads of a source and its rendering."""

from __future__ import annotations

from .base import EMBED_MODEL, Operation, Option
from .results import Records

COLUMNS = ("bead", "id", "tgt_id", "check", "severity", "message", "src", "tgt")
SEVERITY = ("critical", "functional", "cosmetic")


class QAReportResult(Records):
    def __init__(self, report, records, envelope, title) -> None:
        super().__init__(records, COLUMNS, signature=report.signature, title=title,
                         wrap=("message", "src", "tgt"), envelope=envelope, key="findings")
        self.report = report

    def write(self, fmt: str, out) -> None:
        if fmt == "html":
            from ..qa.report_html import render_html

            out.write(render_html(self.report))
        else:
            super().write(fmt, out)


class QA(Operation):
    """Check the rendering TGT against its source SRC, clause by clause.

    Units are paired as the aligner pairs them (by content, with ids as one cue), so a
    dropped clause is one omission even when the rendering renumbers the rest; or as
    the beads of --alignment FILE say. Every finding has a severity: critical,
    functional or cosmetic, and names its bead and the target's own ids (tgt_id) where
    they differ from the source's.
    """

    name = "qa"
    uses_termbase = True
    summary = "Translator's QA checks: numbers, terms, untranslated text, omissions..."
    arguments = ("SRC", "TGT")
    options = (
        Option("checks", default="all",
               help="Comma-separated checks to run (numbers, acronyms, terms, untranslated, "
                    "omissions, consistency, punctuation, meaning), or -name to leave one out."),
        Option("severity", default="cosmetic", choices=SEVERITY,
               help="Report findings of this severity and more serious ones."),
        Option("termbase", metavar="FILE", input="file",
               help="Termbase TSV (default: the corpus's termbase.tsv)."),
        Option("alignment", metavar="FILE", input="file",
               help="Follow this alignment (JSONL from `celac-i18n align`) instead of "
                    "aligning SRC and TGT here."),
        Option("fail_on", default="never", choices=(*SEVERITY, "never"),
               help="Exit with status 1 when a finding of this severity (or worse) is reported."),
        Option("review", metavar="WORKSPACE", input="file",
               help="Review workspace: leave out findings its reviewers marked as not an issue."),
        EMBED_MODEL,
    )
    formats = ("table", "jsonl", "json", "tsv", "html")
    piped = "jsonl"
    suffixes = {"jsonl": "jsonl", "json": "json", "tsv": "tsv", "html": "html", "htm": "html",
                "txt": "table"}

    def check(self) -> None:
        from ..qa.registry import parse_checks

        parse_checks(self.checks)

    def run(self, ctx) -> QAReportResult:
        from ..qa import run_qa
        from ..qa.base import SEVERITIES
        from ..termbase import load_termbase

        src, tgt = self.inputs
        src_doc, tgt_doc = ctx.load_aligned(src), ctx.load_aligned(tgt)
        alignment = None
        if self.alignment:
            from ..align.records import read_alignment

            alignment = read_alignment(self.alignment)
        notes = []
        if src_doc.lang == tgt_doc.lang:
            notes.append(f"note: {src} and {tgt} are both {src_doc.lang}")
        tb = load_termbase(self.termbase) if self.termbase else ctx.termbase
        report = run_qa(src_doc, tgt_doc, self.checks, self.severity, tb, src, tgt,
                        alignment=alignment, alignment_name=self.alignment or "alignment",
                        progress=ctx.say, semantic=ctx.semantic(self.embed_model))
        notes += report.warnings
        if self.review:
            from ..review.flowback import drop_ignored
            from ..review.store import Store

            dropped, stale = drop_ignored(report, Store(self.review))
            notes.append(f"{self.review}: {dropped} finding(s) left out as not an issue, "
                         f"{stale} kept (dismissed on a text that has changed since)")
        envelope = {"src": src, "tgt": tgt, "alignment": self.alignment,
                    "signature": report.signature, "counts": report.counts()}
        res = QAReportResult(report, [f.record() for f in report.findings], envelope,
                             f"QA {src} → {tgt}")
        sev = report.counts()["by_severity"]
        res.notes = notes + [f"{sum(sev.values())} finding(s): " +
                             ", ".join(f"{sev[s]} {s}" for s in SEVERITIES) +
                             f"  [{report.signature}]"]
        if self.fail_on != "never" and any(
                SEVERITIES.index(f.severity) <= SEVERITIES.index(self.fail_on)
                for f in report.findings):
            res.exit_code = 1
        return res
