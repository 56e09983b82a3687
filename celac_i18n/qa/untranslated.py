"""Text left in the source language."""

from __future__ import annotations

import re

from .base import Check

# Function words that tell es / pt / en apart (shared ones like "de", "que" left out).
STOPWORDS = {
    "es": set("el los las del y en con una al lo sus se para por este esta estos entre sobre "
              "también como más".split()),
    "pt": set("o os as do da dos das e em no na nos nas com um uma ao à pelo pela seus "
              "suas entre sobre também como mais".split()) - {"entre", "sobre", "como"},
    "en": set("the of and to in for with on by that is are this these between its their "
              "as also more".split()),
}
STOPWORDS["es"] -= {"entre", "sobre", "como"}
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_RUN = re.compile(r"[A-Za-zÀ-ÿ]+(?:[\s,'-]+[A-Za-zÀ-ÿ]+){3,}")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def lang_votes(text: str) -> dict[str, int]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {lang: sum(w in sw for w in words) for lang, sw in STOPWORDS.items()}


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


class UntranslatedCheck(Check):
    """Target text that is still in the source language: a segment identical to the
    source, a sentence whose function words are the source language's, (in Chinese) a
    run of four or more Latin-script words, or (from Chinese into another language) a
    run of two or more Chinese characters that is also in the source.

    Likely false positives: names and titles kept in the original on purpose (Brightness
    Action, think tanks), quotations, short headings identical across languages
    (CELAC, COVID-19); es↔pt share many function words, so a short pt sentence with
    few function words may read as es (only sentences with 3+ votes are judged).
    """

    id = "untranslated"
    severity = "critical"
    title = "Untranslated text"

    def applies(self, ctx):
        return ctx.src_lang != ctx.tgt_lang

    def check_pair(self, pair, ctx):
        s, t = pair.src_text, pair.tgt_text
        if _norm(s) and _norm(s) == _norm(t) and len(_WORD.findall(s)) >= 3:
            yield self.finding(pair.id, "target is identical to the source",
                               tgt_spans=[(0, len(t))], tgt=t[:80])
            return
        sentences = pair.tgt.sentences or [t]
        pos = 0
        for sent in sentences:
            start = t.find(sent, pos)
            start = max(start, 0)
            pos = start + len(sent)
            span = (start, start + len(sent))
            if ctx.tgt_lang == "zh":
                for m in _LATIN_RUN.finditer(sent):
                    words = m.group(0)
                    if words in s or _norm(words) in _norm(s) and len(words.split()) >= 4:
                        yield self.finding(pair.id, f"Latin-script run left in the source "
                                           f"language: '{words[:60]}'",
                                           tgt_spans=[(start + m.start(), start + m.end())],
                                           tgt=words[:80])
                continue
            if ctx.src_lang == "zh":
                for m in _CJK_RUN.finditer(sent):
                    if m.group(0) in s:
                        yield self.finding(pair.id, f"Chinese left in the source language: "
                                           f"'{m.group(0)[:60]}'",
                                           tgt_spans=[(start + m.start(), start + m.end())],
                                           tgt=m.group(0)[:80])
                continue
            votes = lang_votes(sent)
            src_v, tgt_v = votes.get(ctx.src_lang, 0), votes.get(ctx.tgt_lang, 0)
            if src_v >= 3 and src_v > 2 * tgt_v:
                yield self.finding(pair.id, f"sentence reads as {ctx.src_lang}, not "
                                   f"{ctx.tgt_lang} ({src_v} vs {tgt_v} function words)",
                                   tgt_spans=[span], tgt=sent[:80])
