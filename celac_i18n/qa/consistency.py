"""Inconsistency across clauses."""

from __future__ import annotations

import re
from collections import defaultdict

from .base import Check
from .terms import _usable_src_forms
from .textmatch import find


def _key(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


class ConsistencyCheck(Check):
    """The same source rendered differently, or different sources rendered the same.

    - a source sentence repeated verbatim (20+ characters) whose target sentences differ
      (functional); compared only in clauses with as many sentences on both sides;
    - different source sentences with the same target sentence (cosmetic);
    - a termbase term whose source form is rendered by different accepted target forms
      in different clauses (cosmetic: variants are accepted, but one is better).

    Likely false positives: repeated sentences whose context legitimately changes the
    rendering (agreement, register); a short form used after the full name was given
    once (the Forum / 论坛); variants chosen for grammar (singular/plural).
    """

    id = "consistency"
    severity = "cosmetic"
    title = "Consistency"
    needs_both = True

    def check_document(self, ctx):
        by_src = defaultdict(list)
        by_tgt = defaultdict(list)
        for p in ctx.pairs:
            if not p.complete or len(p.src.sentences) != len(p.tgt.sentences):
                continue
            for s, t in zip(p.src.sentences, p.tgt.sentences):
                if len(s) >= 20:
                    by_src[_key(s)].append((p.id, s, t))
                    by_tgt[_key(t)].append((p.id, s, t))
        for rows in by_src.values():
            targets = {_key(t) for _, _, t in rows}
            if len(targets) > 1:
                ids = ", ".join(uid for uid, _, _ in rows)
                for uid, s, t in rows[1:]:
                    if _key(t) != _key(rows[0][2]):
                        yield self.finding(uid, f"the same source sentence is rendered "
                                           f"differently in {ids}", "functional",
                                           src=s[:80], tgt=t[:80])
        for rows in by_tgt.values():
            sources = {_key(s) for _, s, _ in rows}
            if len(sources) > 1:
                ids = ", ".join(uid for uid, _, _ in rows)
                yield self.finding(rows[-1][0], f"different source sentences are rendered "
                                   f"the same in {ids}", "cosmetic",
                                   src=rows[-1][1][:80], tgt=rows[-1][2][:80])
        yield from self._terms(ctx)

    def _terms(self, ctx):
        for term in ctx.termbase:
            src_forms = sorted(_usable_src_forms(term, ctx.src_lang), key=len, reverse=True)
            tgt_forms = sorted(term.forms(ctx.tgt_lang), key=len, reverse=True)
            if not src_forms or len(tgt_forms) < 2:
                continue
            # exact source form → target form → unit ids; the longest form found wins
            used: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
            for p in ctx.pairs:
                if not p.complete:
                    continue
                sf = next((f for f in src_forms if find(f, p.src_text, ctx.src_lang)), None)
                tf = sf and next((f for f in tgt_forms if find(f, p.tgt_text, ctx.tgt_lang)), None)
                if tf:
                    used[sf][tf].append(p.id)
            for sf, by_tgt in used.items():
                if len(by_tgt) < 2:
                    continue
                main = max(by_tgt, key=lambda f: len(by_tgt[f]))
                for f, ids in by_tgt.items():
                    if f == main:
                        continue
                    for uid in ids:
                        yield self.finding(uid, f"'{sf}' ({term.id}) rendered '{f}' here but "
                                           f"'{main}' in {len(by_tgt[main])} other unit(s)",
                                           tgt_spans=[], src=sf, tgt=f)
