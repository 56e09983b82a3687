"""What sacrebleu issue #298 does to our Chinese scores, and what our normalisation does.

#298: tokenize='zh' classifies U+2001-U+2A6D (— … “ ” ‘ ’, arrows, maths) as Chinese
characters because two ranges are written with 5-hex-digit \\u escapes. We score the
zh reference rendering against hypotheses an engine plausibly produces:
  same       the reference itself
  ascii      typographic punctuation written the ASCII way (— → -, “ ” → ", … → ...)
  degraded   every 7th clause character dropped (a weak system)
  degraded+ascii  both
with (a) stock sacrebleu, (b) a tokenizer with the ranges fixed, (c) our zh-punct
normalisation (BLEU only) on stock sacrebleu and (d) on the fixed tokenizer.

Run: .venv/bin/python benchmarks/quality_zh298.py
"""

from __future__ import annotations

import re

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.tokenizers import tokenizer_zh

from celac_i18n.corpus.refs import load
from celac_i18n.score.metrics import normalise

STOCK = list(tokenizer_zh._UCODE_RANGES)
FIXED = [r for r in STOCK if len(r[0]) == 1] + [("\U00020000", "\U0002A6D6"),
                                               ("\U0002F800", "\U0002FA1D")]


def use(ranges):
    tokenizer_zh._UCODE_RANGES = ranges
    tokenizer_zh.TokenizerZh._is_chinese_char.cache_clear()


def ascii_punct(s):
    return (s.replace("—", "-").replace("“", '"').replace("”", '"')
            .replace("‘", "'").replace("’", "'").replace("…", "..."))


def degrade(s):
    return "".join(c for i, c in enumerate(s) if i % 7 != 3)


def scores(hyps, refs, norm):
    out = []
    for name, m in (("bleu", BLEU(tokenize="zh")), ("chrf", CHRF(word_order=2)),
                    ("ter", TER(asian_support=True, normalized=True))):
        h = [normalise(x, "zh", norm, name) for x in hyps]
        r = [normalise(x, "zh", norm, name) for x in refs]
        out.append(round(m.corpus_score(h, [r]).score, 2))
    return out


def main():
    ref_doc = load("2022-2024:zh:reference")
    refs = [u.text for u in ref_doc.units if u.text]
    text = "".join(refs)
    hits = {c: text.count(c) for c in sorted(set(text)) if "\u2001" <= c <= "\u2a6d"}
    print("#298 characters in zh.reference:", hits)
    digits_adjacent = len(re.findall(r"[0-9A-Za-z][\u2001-\u2a6d]|[\u2001-\u2a6d][0-9A-Za-z]", text))
    print("of which next to a digit or Latin letter:", digits_adjacent)
    systems = {"same": refs, "ascii": [ascii_punct(r) for r in refs],
               "degraded": [degrade(r) for r in refs],
               "degraded+ascii": [ascii_punct(degrade(r)) for r in refs]}
    print(f"{'hyp':16} {'setting':22} BLEU   chrF++ TER")
    for name, hyps in systems.items():
        for label, ranges, norm in (("stock", STOCK, False), ("fixed #298", FIXED, False),
                                    ("stock+zh-punct", STOCK, True),
                                    ("fixed+zh-punct", FIXED, True)):
            use(ranges)
            tokenizer_zh.TokenizerZh.__call__.cache_clear()
            b, c, t = scores(hyps, refs, norm)
            print(f"{name:16} {label:22} {b:6.2f} {c:6.2f} {t:6.2f}")
    use(STOCK)


if __name__ == "__main__":
    main()
