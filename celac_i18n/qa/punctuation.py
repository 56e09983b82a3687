"""Punctuation and spacing in the target."""

from __future__ import annotations

import re

from .base import Check

_CJK = r"\u4e00-\u9fff"
_HALF_IN_ZH = re.compile(rf"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])")
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
_SPACE_BEFORE = re.compile(r"(?<=\w) +[,.;:!?](?!\d)")
_PAIRS = (("(", ")"), ("[", "]"), ("（", "）"), ("《", "》"), ("“", "”"), ("«", "»"),
          ("【", "】"))


def _balance(text: str, o: str, c: str) -> int:
    depth = 0
    for ch in text:
        if ch == o:
            depth += 1
        elif ch == c:
            depth -= 1
            if depth < 0:
                return -1
    return depth


class PunctuationCheck(Check):
    """Punctuation and spacing: double spaces, a space before punctuation, unbalanced
    brackets and quotes, half-width punctuation next to Chinese characters, ¿ and ¡
    without their closing ? and ! in Spanish, a sentence-final mark the source has and
    the target lacks.

    Likely false positives: brackets opened in one clause and closed in the next (the
    source is checked too: only imbalances the source does not share are reported);
    half-width punctuation inside Latin-script names or numbers in Chinese text;
    list items that legitimately end without a full stop.
    """

    id = "punctuation"
    severity = "cosmetic"
    title = "Punctuation and spacing"

    def check_pair(self, pair, ctx):
        s, t = pair.src_text, pair.tgt_text
        if ctx.tgt_lang != "zh":
            for m in _DOUBLE_SPACE.finditer(t):
                yield self.finding(pair.id, "double space", tgt_spans=[m.span()], tgt=repr(m.group(0)))
            for m in _SPACE_BEFORE.finditer(t):
                yield self.finding(pair.id, f"space before '{m.group(0).strip()}'",
                                   tgt_spans=[m.span()], tgt=m.group(0))
        else:
            for m in _HALF_IN_ZH.finditer(t):
                yield self.finding(pair.id, f"half-width '{m.group(0)}' in Chinese text",
                                   tgt_spans=[m.span()], tgt=m.group(0))
        for o, c in _PAIRS:
            bt = _balance(t, o, c)
            if bt and _balance(s, o, c) == 0 or (bt and not any(ch in s for ch in o + c)):
                yield self.finding(pair.id, f"unbalanced {o}{c}", tgt=o + c,
                                   tgt_spans=[(i, i + 1) for i, ch in enumerate(t) if ch in o + c])
        if t.count('"') % 2 and not s.count('"') % 2:
            yield self.finding(pair.id, 'odd number of " quotes', tgt='"')
        if ctx.tgt_lang == "es":
            for o, c in (("¿", "?"), ("¡", "!")):
                if t.count(o) != t.count(c):
                    yield self.finding(pair.id, f"{o} and {c} do not pair up", tgt=o + c)
        if pair.kind in ("clause", "article", "preamble") and s.rstrip()[-1:] in ".。" \
                and t.rstrip()[-1:] not in ".。!?！？…":
            yield self.finding(pair.id, "sentence-final full stop missing",
                               tgt_spans=[(max(len(t) - 1, 0), len(t))], tgt=t[-20:])
