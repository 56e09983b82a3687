"""Our exact TER (celac_i18n.score.ter) against sacrebleu's, same segments, one run (issue 18).

Sets:
1. The plan's machine renderings: en:apertium and pt:apertium against the reference
   renderings (138 units each), and zh (no engine: the zh reference with every 7th
   character dropped, TER with asian support).
2. A real public text that is not the plan: the UDHR, apertium's English of the official
   Spanish against the official English (37 paragraphs; tests/fixtures/score/udhr.tsv).
3. 10,000 sentence pairs made by this script: sentences of the en reference rendering
   and of the UDHR's English, each hypothesis a seeded MT-like damage of its reference
   (words dropped, replaced, one or two blocks moved). Project-made test data.

For each set: sacrebleu 2.6's TER statistics (its own ``TER`` metric) and ours
(``score.ter.segment_statistics``), timed on the same segments; the statistics must be
equal segment by segment (the script stops otherwise). Also ``ExactTER.corpus_score``
(what `score` and `compare` run: sacrebleu's metric, our statistics). Times are CPU
seconds of this single-threaded process (see ``timed``).

Run: .venv/bin/python benchmarks/ter_bench.py [--sizes 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from celac_i18n.corpus.refs import load  # noqa: E402
from celac_i18n.model import Document  # noqa: E402
from celac_i18n.score import ter  # noqa: E402
from celac_i18n.score.pairing import TEXT_KINDS, pair_units  # noqa: E402


def plan_set(lang: str):
    ref = load(f"2022-2024:{lang}:reference")
    if lang == "zh":
        def degrade(s):
            return "".join(c for i, c in enumerate(s) if i % 7 != 3)
        hyp = Document("zh", [replace(u, text=degrade(u.text)) for u in ref.units], ref.provenance)
    else:
        hyp = load(f"2022-2024:{lang}:apertium")
    pairs = [p for p in pair_units(ref, hyp, TEXT_KINDS) if p.src is not None]
    return [p.tgt_text for p in pairs], [p.src_text for p in pairs]


def udhr_set():
    with open(ROOT / "tests/fixtures/score/udhr.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r["en_apertium"] for r in rows], [r["en"] for r in rows]


def synthetic_set(n: int, seed: int = 18):
    """n (hypothesis, reference) sentence pairs, hypotheses damaged as MT output is."""
    sents = [s for u in load("2022-2024:en:reference").units for s in u.sentences if s.strip()]
    sents += [s for r in udhr_set()[1] for s in r.split(". ") if s.strip()]
    vocab = sorted({w for s in sents for w in s.split()})
    rnd = random.Random(seed)
    hyps, refs = [], []
    for _ in range(n):
        ref = rnd.choice(sents)
        words = ref.split()
        out = []
        for w in words:
            x = rnd.random()
            if x < 0.08:
                continue                               # dropped
            out.append(rnd.choice(vocab) if x < 0.2 else w)  # replaced
        for _ in range(rnd.randint(0, 2)):             # a block moved
            if len(out) > 3:
                s = rnd.randrange(len(out))
                k = rnd.randint(1, min(5, len(out) - s))
                block, rest = out[s:s + k], out[:s] + out[s + k:]
                t = rnd.randrange(len(rest) + 1)
                out = rest[:t] + block + rest[t:]
        hyps.append(" ".join(out))
        refs.append(ref)
    return hyps, refs


def timed(fn, repeat: int):
    """Median CPU seconds of this (single-threaded) process: on a quiet machine the wall
    time, and much less disturbed than the wall time by other jobs on shared cores."""
    times, out = [], None
    for _ in range(repeat):
        a = time.process_time()
        out = fn()
        times.append(time.process_time() - a)
    return statistics.median(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10000])
    ap.add_argument("--repeat", type=int, default=3, help="runs of ours (sacrebleu runs once)")
    args = ap.parse_args()
    from sacrebleu import __version__ as sb_version
    from sacrebleu.metrics import TER

    from celac_i18n.score import sacrebleu_compat as sb
    from celac_i18n.score.sacrebleu_compat import ExactTER

    sets = [("plan en:apertium vs en:reference", *plan_set("en"), False),
            ("plan pt:apertium vs pt:reference", *plan_set("pt"), False),
            ("plan zh (ref, every 7th char dropped), asian", *plan_set("zh"), True),
            ("UDHR en: apertium(es) vs official en", *udhr_set(), False)]
    sets += [(f"{n:,} synthetic sentence pairs", *synthetic_set(n), False) for n in args.sizes]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, sacrebleu {sb_version}")
    print()
    print("CPU seconds (median of --repeat runs for ours, one run of sacrebleu's)")
    print()
    print("| set | segments | ref words | TER | sacrebleu s | ours s | ExactTER.corpus_score s "
          "| speed-up | equal |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, hyps, refs, zh in sets:
        t_sb, theirs = timed(lambda: sb.segment_statistics(TER(asian_support=zh, normalized=zh),
                                                           hyps, refs), 1)
        t_ours, mine = timed(lambda: ter.segment_statistics(hyps, refs, normalized=zh,
                                                            asian_support=zh), args.repeat)
        t_metric, _ = timed(lambda: ExactTER(asian_support=zh, normalized=zh)
                            .corpus_score(hyps, [refs]), args.repeat)
        equal = all(tuple(x) == tuple(y) for x, y in zip(theirs, mine)) and len(theirs) == len(mine)
        if not equal:
            sys.exit(f"{name}: statistics differ from sacrebleu's")
        length = sum(s[1] for s in mine)
        print(f"| {name} | {len(hyps):,} | {int(length):,} | {ter.score(mine):.2f} | {t_sb:.3f} | "
              f"{t_ours:.3f} | {t_metric:.3f} | {t_sb / t_ours:.1f}× | yes |", flush=True)
    try:
        print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    except OSError:
        pass


if __name__ == "__main__":
    main()
