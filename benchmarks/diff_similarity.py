"""Which similarity should the differ match clauses with? (issue 7)

For every clause of the 2022-2024 plan (Spanish official, Chinese reference), a
reworded copy is made the way the tests do it (the last 15 % replaced by a new phrase)
and a harder one (the last 35 % replaced, and the two halves swapped, as when a
sentence moves inside a clause). Each measure scores the true pair and every
impostor (the reworded copy against the other 111 clauses). Reported: the true
pair's mean and lowest score, the best impostor's mean and highest score, top-1
accuracy (the true clause is the best candidate), the share of clauses a single
threshold separates (best threshold), and the time for the 112 × 112 comparisons.

Run: .venv/bin/python benchmarks/diff_similarity.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from celac_i18n.diff.match import Vectorizer, cosine, normalize  # noqa: E402

TAIL = {"es": " con el apoyo de las instituciones competentes en los próximos años.",
        "zh": "，并在今后几年由主管机构定期评估进展。"}


def reword(text: str, lang: str, share: float, swap: bool) -> str:
    units = list(text) if lang == "zh" else text.split(" ")
    keep = units[: int(len(units) * (1 - share))]
    joiner = "" if lang == "zh" else " "
    if swap and len(keep) > 6:
        half = len(keep) // 2
        keep = keep[half:] + keep[:half]
    return joiner.join(keep) + TAIL[lang]


def measures(texts: list[str]):
    from rapidfuzz import fuzz

    vec = Vectorizer([normalize(t).lower() for t in texts])
    cache: dict = {}

    def vector(t):
        if t not in cache:
            cache[t] = vec.vector(normalize(t).lower())
        return cache[t]

    def tfidf(a, b):   # vectors built once per text, inside the timing
        return cosine(vector(a), vector(b))

    return {
        "tfidf-char (ours)": tfidf,
        "rapidfuzz ratio": lambda a, b: fuzz.ratio(a.lower(), b.lower()) / 100,
        "rapidfuzz token_sort_ratio": lambda a, b: fuzz.token_sort_ratio(a, b) / 100,
        "rapidfuzz token_set_ratio": lambda a, b: fuzz.token_set_ratio(a, b) / 100,
        "rapidfuzz partial_ratio": lambda a, b: fuzz.partial_ratio(a, b) / 100,
    }


def evaluate(ref: str, share: float, swap: bool) -> list[str]:
    from celac_i18n.corpus.refs import load

    doc = load(ref)
    old = [u.text for u in doc.clauses()]
    new = [reword(t, doc.lang, share, swap) for t in old]
    rows = []
    for name, f in measures(old + new).items():
        t0 = time.perf_counter()
        scores = [[f(a, b) for a in old] for b in new]
        secs = time.perf_counter() - t0
        true = [scores[i][i] for i in range(len(new))]
        imp = [max(s for j, s in enumerate(row) if j != i) for i, row in enumerate(scores)]
        top1 = sum(t > m for t, m in zip(true, imp)) / len(true)
        best_sep = max(sum(t >= th > m for t, m in zip(true, imp)) / len(true)
                       for th in [k / 100 for k in range(5, 100)])
        rows.append(f"| {ref} | {share:.0%}{' + swap' if swap else ''} | {name} | "
                    f"{sum(true) / len(true):.2f} / {min(true):.2f} | "
                    f"{sum(imp) / len(imp):.2f} / {max(imp):.2f} | {top1:.3f} | "
                    f"{best_sep:.3f} | {secs * 1000:.0f} ms |")
    return rows


def main() -> None:
    print("| text | rewording | measure | true mean / min | best impostor mean / max "
          "| top-1 | separable | 112×112 |")
    print("|---|---|---|---|---|---|---|---|")
    for ref in ("2022-2024:es", "2022-2024:zh:reference"):
        for share, swap in ((0.15, False), (0.35, True)):
            for row in evaluate(ref, share, swap):
                print(row)


if __name__ == "__main__":
    main()
