"""Termbase terms and acronyms (corpora/termbase.tsv)."""

from __future__ import annotations

from .base import Check
from .textmatch import acronyms, find, is_acronym

# A one-word source form this short is too generic to demand a term ("Plan").
_MIN_SINGLE_WORD = 5


def _usable_src_forms(term, lang) -> list[str]:
    out = []
    for f in term.forms(lang):
        if is_acronym(f):
            continue            # acronyms are the AcronymsCheck's business
        if " " not in f and len(f) < _MIN_SINGLE_WORD:
            continue
        out.append(f)
    return out


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 10 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _inside(span, spans) -> bool:
    return any(a <= span[0] and span[1] <= b and (a, b) != span for a, b in spans)


class TermsCheck(Check):
    """A termbase term in the source is rendered with the termbase's term (preferred
    form or an accepted variant) in the target.

    Likely false positives: a term the target paraphrases or refers back to with a
    pronoun or a short form ("the Forum", 论坛); terms inside a longer name that the
    target renders as a whole (handled when the longer name is itself a term);
    legitimate variants the termbase does not list yet; inflected forms (plural,
    case) the literal match misses.
    """

    id = "terms"
    severity = "functional"
    title = "Termbase terms"

    def prepare(self, ctx):
        # longest source forms first, so a name satisfied as a whole covers its parts
        self.terms = [(t, _usable_src_forms(t, ctx.src_lang), t.forms(ctx.tgt_lang))
                      for t in ctx.termbase]
        self.terms = [x for x in self.terms if x[1] and x[2]]
        self.terms.sort(key=lambda x: -max(len(f) for f in x[1]))

    def check_pair(self, pair, ctx):
        covered: list[tuple[int, int]] = []
        for term, src_forms, tgt_forms in self.terms:
            spans = [s for f in src_forms for s in find(f, pair.src_text, ctx.src_lang)]
            spans = [s for s in spans if not _inside(s, covered)]
            if not spans:
                continue
            tgt_spans = [s for f in tgt_forms for s in find(f, pair.tgt_text, ctx.tgt_lang)]
            if tgt_spans:
                covered.extend(spans)
                continue
            covered.extend(spans)   # report a missing name once, not its parts again
            shown = pair.src_text[spans[0][0]:spans[0][1]]
            yield self.finding(
                pair.id, f"term '{shown}' ({term.id}): expected "
                         + " | ".join(f"'{f}'" for f in tgt_forms[:4]),
                src_spans=spans, src=shown, tgt=tgt_forms[0])


class AcronymsCheck(Check):
    """Acronyms carry over, mapped through the termbase where the languages differ
    (ALC ↔ LAC, ODS ↔ SDGs, TIC ↔ ICTs, FCC ↔ CCF, OEA ↔ AEO): a source acronym must
    appear in the target as the termbase's acronym or name for that language; the
    source-language acronym copied unchanged where the termbase has another (ALC in an
    English text) is an error. Acronyms the termbase does not know must be kept.

    Likely false positives: an acronym the target spells out or, in Chinese, renders by
    a name the termbase lacks (reported as cosmetic for zh); all-caps words that are
    not acronyms (headings in capitals); an acronym a target adds for clarity.
    """

    id = "acronyms"
    severity = "functional"
    title = "Acronyms and names"

    def prepare(self, ctx):
        # source acronym → (term, acceptable target forms)
        self.map: dict[str, list] = {}
        self.tgt_known: dict[str, list] = {}
        for t in ctx.termbase:
            for f in t.forms(ctx.src_lang):
                for a, _ in acronyms(f):
                    self.map.setdefault(a, []).append(t)
            # any language's acronym of a term the source names is not an addition
            # (zh 加勒比开发银行（CDB） for es BDC)
            for lang in {*t.terms, *t.variants}:
                for f in t.forms(lang):
                    for a, _ in acronyms(f):
                        self.tgt_known.setdefault(a, []).append(t)

    def check_pair(self, pair, ctx):
        if _mostly_upper(pair.src_text):
            return              # a title in capitals: every word looks like an acronym
        tgt_acr = {a for a, _ in acronyms(pair.tgt_text)}
        seen = set()
        for a, span in acronyms(pair.src_text):
            if a in seen:
                continue
            seen.add(a)
            terms = self.map.get(a)
            if not terms:
                if a in tgt_acr or a in pair.tgt_text:
                    continue
                sev = "cosmetic" if ctx.tgt_lang == "zh" else "functional"
                yield self.finding(pair.id, f"acronym {a} is not in the target", sev,
                                   src_spans=[span], src=a)
                continue
            forms = [f for t in terms for f in t.forms(ctx.tgt_lang)]
            tgt_acrs = {x for t in terms for x, _ in acronyms(" ".join(t.forms(ctx.tgt_lang)))}
            # copying is wrong only where the target language has an acronym of its own
            # (ODS → SDGs); a zh name followed by the Latin acronym (OPANAL) is normal
            copied = a in tgt_acr and tgt_acrs and a not in tgt_acrs
            if not copied and (a in tgt_acr or any(find(f, pair.tgt_text, ctx.tgt_lang)
                                                   for f in forms if f != a)):
                continue
            if copied:
                yield self.finding(pair.id, f"acronym {a} copied unchanged; in {ctx.tgt_lang} "
                                   f"it is " + " | ".join(f"'{f}'" for f in forms[:3]),
                                   tgt_spans=find(a, pair.tgt_text, ctx.tgt_lang), src=a,
                                   tgt=forms[0] if forms else "")
            else:
                yield self.finding(pair.id, f"acronym {a}: expected "
                                   + " | ".join(f"'{f}'" for f in forms[:3]),
                                   src_spans=[span], src=a, tgt=forms[0] if forms else "")
        src_acr = {a for a, _ in acronyms(pair.src_text)}
        for a, span in acronyms(pair.tgt_text):
            if a in src_acr or a in pair.src_text:
                continue
            terms = self.tgt_known.get(a, [])
            if any(find(f, pair.src_text, ctx.src_lang) for t in terms for f in t.forms(ctx.src_lang)):
                continue
            yield self.finding(pair.id, f"acronym {a} in the target has no counterpart in the "
                               "source", "cosmetic", tgt_spans=[span], tgt=a)
