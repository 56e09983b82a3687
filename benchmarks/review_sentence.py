"""Clause- against sentence-level review workspaces (`review init --level sentence`):
beads, init time and a translation-memory leverage proxy (the share of units with at
most one sentence on every side), on the plan and on real texts the project did not
write (the UN Charter's opening, a GDPR excerpt).

    .venv/bin/python benchmarks/review_sentence.py [--encoder]

Without --encoder the meaning cue is off (the alignment, QA and the workspace only);
with it the default encoder computes the similarities as `review init` does. Prints a
Markdown table for BENCHMARKS.md; times are the median of 3 inits.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAR = ROOT / "tests" / "fixtures" / "parallel"
CASES = {
    "plan es/en": ["2022-2024:es", "2022-2024:en"],
    "plan es/zh": ["2022-2024:es", "2022-2024:zh"],
    "plan es/zh/en": ["2022-2024:es", "2022-2024:zh", "2022-2024:en"],
    "UN Charter es/en/zh": [f"{PAR / f'un-charter.{lang}.txt'}@{lang}" for lang in ("es", "en", "zh")],
    "GDPR es/en": [f"{PAR / f'gdpr.{lang}.txt'}@{lang}" for lang in ("es", "en")],
}


def sentences(b, lang: str, level: str) -> int:
    from celac_i18n.parse.sentences import split_sentences

    if level == "sentence":
        return len(b.ids.get(lang, []))
    return sum(len(split_sentences(u, lang) or [u]) for u in (b.units or {}).get(lang, [])
               if u.strip())


def main() -> None:
    from celac_i18n.ops import Context
    from celac_i18n.review.build import init_workspace

    ctx = Context()
    sem = ctx.semantic(None) if "--encoder" in sys.argv else None
    print("| texts | level | beads | init (s) | ≤ 1 sentence a side | most sentences a side "
          "| QA findings |\n|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for name, refs in CASES.items():
            for level in ("clause", "sentence"):
                times = []
                for k in range(3):
                    path = Path(d) / f"{len(times)}-{level}-{abs(hash(name))}.review"
                    t = time.perf_counter()
                    store = init_workspace(path, refs, load=ctx.load_aligned,
                                           termbase=ctx.termbase, semantic=sem, level=level)
                    times.append(time.perf_counter() - t)
                beads = store.beads()
                small = sum(1 for b in beads
                            if all(sentences(b, lang, level) <= 1 for lang in store.langs))
                most = max(sentences(b, lang, level) for b in beads for lang in store.langs)
                print(f"| {name} | {level} | {len(beads)} | {statistics.median(times):.2f} | "
                      f"{small} ({100 * small / len(beads):.0f}%) | {most} | "
                      f"{store.counts()['findings']} |", flush=True)


if __name__ == "__main__":
    main()
