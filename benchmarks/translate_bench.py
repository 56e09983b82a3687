"""Speed of machine renderings (issue 4); results go in benchmarks/translate.md.

1. Apertium, es→en, on sentences of the Spanish plan: one long-lived null-flushed
   pipeline (what the engine does) vs one `apertium` process per segment.
2. Whole plan (138 units, 112 clauses) es→en and es→pt: a cold start (pipeline start
   included, no cache), a warm engine (no cache), and served from the cache.
3. `celac-i18n translate 2022-2024:es --to en` as a user runs it: first run (empty cache)
   vs second run (everything cached), Python start-up included.
4. hf vs ct2 on the tiny MarianMT the tests build (tests/fixtures/translate/tiny_marian.py):
   greedy and beam 4 on the plan's headings and sentences, same thread count.

Run: .venv/bin/python benchmarks/translate_bench.py [--skip-neural]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "translate"))

from celac_i18n.corpus.refs import load  # noqa: E402
from celac_i18n.translate.apertium import ApertiumEngine  # noqa: E402
from celac_i18n.translate.cache import TranslationCache  # noqa: E402
from celac_i18n.translate.document import translate_document  # noqa: E402


def words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def bench_apertium_modes(doc, n: int = 30) -> None:
    sents = [s for u in doc.clauses() for s in u.sentences][:n]
    print(f"\n## 1. apertium es→en, {len(sents)} sentences ({words(sents)} words)")
    runs = (("process per segment", True, True),
            ("persistent pipeline, one segment per call", False, True),
            ("persistent pipeline, streamed batch", False, False))
    for label, per_segment, one_by_one in runs:
        with ApertiumEngine(per_segment=per_segment) as e:
            e.translate(sents[:1], "es", "en")             # start-up not counted
            t = time.perf_counter()
            if one_by_one:
                for s in sents[1:]:
                    e.translate([s], "es", "en")
            else:
                e.translate(sents[1:], "es", "en")
            dt = time.perf_counter() - t
        print(f"| {label} | {(len(sents) - 1) / dt:.1f} seg/s | "
              f"{1000 * dt / (len(sents) - 1):.1f} ms/seg | {words(sents[1:]) / dt:,.0f} words/s |")


def bench_whole_plan(doc, tmp: Path) -> None:
    print("\n## 2. whole plan (138 units) through the library")
    for tgt in ("en", "pt"):
        units = [u.text for u in doc.units]
        t = time.perf_counter()
        with ApertiumEngine() as e:
            translate_document(doc, tgt, e)
            cold = time.perf_counter() - t
            t = time.perf_counter()
            translate_document(doc, tgt, e)
            warm = time.perf_counter() - t
        with TranslationCache(tmp / f"c-{tgt}.sqlite") as cache, ApertiumEngine() as e:
            translate_document(doc, tgt, e, cache=cache)
            t = time.perf_counter()
            translate_document(doc, tgt, e, cache=cache)
            cached = time.perf_counter() - t
        w = words(units)
        print(f"| es→{tgt} | cold {cold:.3f} s ({w / cold:,.0f} words/s) | warm {warm:.3f} s "
              f"({w / warm:,.0f} words/s) | cached {cached * 1000:.1f} ms | "
              f"speed-up cold/cached {cold / cached:.0f}× |")


def bench_cli(tmp: Path, runs: int = 3) -> None:
    print("\n## 3. `celac-i18n translate 2022-2024:es --to en` (subprocess, wall time)")
    cli = [sys.executable, "-m", "celac_i18n", "translate", "2022-2024:es", "--to", "en"]
    firsts, seconds = [], []
    for i in range(runs):
        env = {**os.environ, "CELAC_I18N_CACHE": str(tmp / f"cli-{i}.sqlite")}
        for bucket in (firsts, seconds):
            t = time.perf_counter()
            subprocess.run(cli, env=env, capture_output=True, check=True, cwd=ROOT)
            bucket.append(time.perf_counter() - t)
    a, b = statistics.median(firsts), statistics.median(seconds)
    print(f"| first run (empty cache) | {a:.2f} s | second run (cached) | {b:.2f} s | "
          f"{a / b:.1f}× | median of {runs} |")


def bench_neural(doc, tmp: Path) -> None:
    import torch
    import tiny_marian
    from celac_i18n.translate.ct2 import CT2Engine
    from celac_i18n.translate.hf import HFEngine

    os.environ["CELAC_I18N_CT2_DIR"] = str(tmp / "ct2")
    t = time.perf_counter()
    model = tiny_marian.build(tmp / "tiny-marian")
    print(f"\n## 4. tiny MarianMT (d_model 32, built in {time.perf_counter() - t:.1f} s)")
    torch.set_num_threads(2)
    heads = [u.text for u in doc.units if u.kind in ("title", "chapter", "section")]
    sents = [s for u in doc.clauses() for s in u.sentences][:40]
    for name, segs in (("24 headings", heads), ("40 clause sentences", sents)):
        for beams in (1, 4):
            hf = HFEngine(model=str(model), beams=beams)
            c2 = CT2Engine(model=str(model), beams=beams, threads=2)
            hf.translate(segs[:2], "es", "en")          # load and convert not counted
            c2.translate(segs[:2], "es", "en")
            t = time.perf_counter()
            a = hf._translate(segs, "es", "en")
            t_hf = time.perf_counter() - t
            t = time.perf_counter()
            b = c2._translate(segs, "es", "en")
            t_c2 = time.perf_counter() - t
            same = sum(x == y for x, y in zip(a, b))
            print(f"| {name} | beam {beams} | hf {len(segs) / t_hf:.1f} seg/s | ct2 "
                  f"{len(segs) / t_c2:.1f} seg/s | {t_hf / t_c2:.1f}× | identical "
                  f"{same}/{len(segs)} |")


def main() -> None:
    doc = load("2022-2024:es")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_apertium_modes(doc)
        bench_whole_plan(doc, tmp)
        bench_cli(tmp)
        if "--skip-neural" not in sys.argv:
            bench_neural(doc, tmp)


if __name__ == "__main__":
    main()
