"""The QA check base class (a template method) and the Finding it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

SEVERITIES = ("critical", "functional", "cosmetic")   # most serious first


def severity_rank(s: str) -> int:
    return SEVERITIES.index(s)


@dataclass
class Finding:
    check: str
    severity: str
    id: str                     # unit id (clause I.6, section II.1, title...)
    message: str
    side: str = "tgt"           # which text the spans point into: src | tgt | both
    src_spans: list[tuple[int, int]] = field(default_factory=list)
    tgt_spans: list[tuple[int, int]] = field(default_factory=list)
    src: str = ""               # the offending source / target fragment, for tables
    tgt: str = ""
    bead: int | None = None     # the alignment bead the pair came from
    tgt_id: str = ""            # the target's own ids, where they are not the source's
    detail: dict = field(default_factory=dict)  # a check's figures (meaning: similarity...)

    def record(self) -> dict:
        r = {"id": self.id, "check": self.check, "severity": self.severity,
             "message": self.message, "src": self.src, "tgt": self.tgt,
             "src_spans": [list(s) for s in self.src_spans],
             "tgt_spans": [list(s) for s in self.tgt_spans]}
        if self.bead is not None:
            r["bead"] = self.bead
        if self.tgt_id:
            r["tgt_id"] = self.tgt_id
        r.update(self.detail)
        return r


@dataclass
class QAContext:
    src_lang: str
    tgt_lang: str
    pairs: list               # list[celac_i18n.score.pairing.Pair]
    termbase: tuple = ()
    stats: dict = field(default_factory=dict)   # checks share estimates here
    semantic: object = None   # the semantic layer (semantic.Semantic); None: cue off
    notes: list = field(default_factory=list)   # what a check says of itself (skipped...)


class Check:
    """A QA check. Subclasses set ``id``, ``severity`` (the default for their findings),
    a docstring naming likely false positives, and override ``check_pair`` (one clause
    pair at a time) and/or ``check_document`` (patterns across clauses).

    ``run`` is the template method: it skips pairs the check does not apply to and
    stamps every finding with the check's id.
    """

    id: str = ""
    severity: str = "functional"
    title: str = ""
    needs_both: bool = True     # skip pairs where one side is missing

    def applies(self, ctx: QAContext) -> bool:
        return True

    def prepare(self, ctx: QAContext) -> None:
        """Estimate whatever the check needs from the whole document first."""

    def check_pair(self, pair, ctx: QAContext) -> Iterable[Finding]:
        return ()

    def check_document(self, ctx: QAContext) -> Iterable[Finding]:
        return ()

    def finding(self, pair_id: str, message: str, severity: str | None = None, **kw) -> Finding:
        return Finding(self.id, severity or self.severity, pair_id, message, **kw)

    def run(self, ctx: QAContext) -> Iterator[Finding]:
        if not self.applies(ctx):
            return
        self.prepare(ctx)
        for pair in ctx.pairs:
            if self.needs_both and not pair.complete:
                continue
            for f in self.check_pair(pair, ctx):
                f.check = self.id
                f.bead = getattr(pair, "bead", None)
                yield f
        for f in self.check_document(ctx):
            f.check = self.id
            yield f

