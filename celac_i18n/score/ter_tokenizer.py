"""sacrebleu's Tercom tokenizer, the same output in fewer passes.

sacrebleu 2.6 tokenizes TER segments with 13 regular-expression substitutions, 10 more
with Asian support, and passes every reference through twice; on Chinese that costs as
much as our whole shift search. Most of the substitutions pad single characters with
spaces or replace fixed strings, which ``str.translate`` and ``str.replace`` do in one
pass; only the four that look at a neighbouring character stay regular expressions.
Two facts make the Asian part one table:

- Its character classes only add spaces around characters, and the result is split on
  whitespace at the end, so a character padded twice (the classes overlap) gives the
  same tokens as one padded once.
- Its Hiragana/Katakana substitutions are anchored at the start of the string, which
  always holds the space the Western normalisation puts there: they never match.

tests/test_score_ter.py compares the output with sacrebleu's on generated text for
every combination of options.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer as _SacreTercom


def _chars(*ranges: tuple[int, int]) -> list[str]:
    return [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)]


def _pad(chars) -> dict[int, str]:
    return {ord(c): f" {c} " for c in chars}


# ([{-~[-` -&(-+:-@/]): ASCII punctuation and the space, each padded
_WESTERN = _pad(_chars((0x7B, 0x7E), (0x5B, 0x60), (0x20, 0x26), (0x28, 0x2B), (0x3A, 0x40))
                + ["/"])
_ASIAN_PUNCT = _chars((0x3001, 0x3002), (0x3008, 0x3011), (0x3014, 0x301F), (0xFF61, 0xFF65),
                      (0x30FB, 0x30FB))
_FULL_WIDTH_PUNCT = list("\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09")
_ASIAN = _pad(_chars((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x31C0, 0x31EF), (0x2E80, 0x2EFF),
                     (0x3300, 0x33FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0x3200, 0x3F22))
              + _ASIAN_PUNCT + _FULL_WIDTH_PUNCT)
_NO_PUNCT = {ord(c): None for c in '.,?:;!"()'}
_NO_ASIAN_PUNCT = {ord(c): None for c in _ASIAN_PUNCT + _FULL_WIDTH_PUNCT}

_POSSESSIVE_END = re.compile(r"'s$")
_BEFORE_MARK = re.compile(r"([^0-9])([\.,])")
_AFTER_MARK = re.compile(r"([\.,])([^0-9])")
_DIGIT_DASH = re.compile(r"([0-9])(-)")


class TercomTokenizer(_SacreTercom):
    """Drop-in for sacrebleu's (same options, signature and output). The options are
    kept in our own attributes: sacrebleu's are private."""

    def __init__(self, normalized: bool = False, no_punct: bool = False,
                 asian_support: bool = False, case_sensitive: bool = False):
        super().__init__(normalized=normalized, no_punct=no_punct,
                         asian_support=asian_support, case_sensitive=case_sensitive)
        self.normalized, self.no_punct = normalized, no_punct
        self.asian_support, self.case_sensitive = asian_support, case_sensitive

    @lru_cache(maxsize=2 ** 16)
    def __call__(self, sent: str) -> str:
        if not sent:
            return ""
        if not self.case_sensitive:
            sent = sent.lower()
        if self.normalized:
            sent = sent.replace("\n-", "").replace("\n", " ").replace("&quot;", '"') \
                .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            sent = f" {sent} ".translate(_WESTERN).replace("'s ", " 's ")
            sent = _POSSESSIVE_END.sub(" 's", sent)
            sent = _BEFORE_MARK.sub(r"\1 \2 ", sent)
            sent = _AFTER_MARK.sub(r" \1 \2", sent)
            sent = _DIGIT_DASH.sub(r"\1 \2 ", sent)
            if self.asian_support:
                sent = sent.translate(_ASIAN)
        if self.no_punct:
            sent = sent.translate(_NO_PUNCT)
            if self.asian_support:
                sent = sent.translate(_NO_ASIAN_PUNCT)
        return " ".join(sent.split())
