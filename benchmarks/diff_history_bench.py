"""Speed of `diff` across languages and of `history`, at 1,000 … 10,000 clauses
(issue 16). Run: PYTHONPATH=. .venv/bin/python benchmarks/diff_history_bench.py [N ...]

Across languages: the synthetic Spanish versions of diff_bench.py; the old one is
rendered into English by Apertium (standing in for an English version), and that
English is rendered back into Spanish for matching (the --via step). Both renderings
go through a SQLite translation cache filled on the first pass: the diff is timed with
the MT cached, as a negotiator re-running it would have it. History: three Spanish
versions (old, new, new with 50 more rewordings), two diffs chained.
Each size runs in its own process (peak RSS is that size's). Synthetic texts are random
draws from the plan's vocabulary: project-made test data, never presented as a plan.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/celac-bench-cache.sqlite"))


def _render(doc, lang, engine, cache):
    from celac_i18n.translate import translate_document
    return translate_document(doc, lang, engine, cache=cache)


def run(n: int) -> dict:
    import random
    from dataclasses import replace

    from celac_i18n.diff import diff_documents
    from celac_i18n.diff.history import history
    from celac_i18n.model import Document
    from celac_i18n.translate.cache import TranslationCache
    from celac_i18n.translate.registry import get_engine
    from diff_bench import synthetic_pair

    (old, _), (new, _) = synthetic_pair(n)
    cache = TranslationCache(CACHE)
    with get_engine("apertium") as engine:
        t = time.perf_counter()
        old_en = _render(old, "en", engine, cache)
        rendered = _render(old_en, "es", engine, cache)
        mt_secs = time.perf_counter() - t
        t = time.perf_counter()
        rendered = _render(old_en, "es", engine, cache)      # cached, as on a re-run
        mt_cached = time.perf_counter() - t
    t = time.perf_counter()
    res = diff_documents(old_en, new, via="apertium", rendered=rendered)
    cross = time.perf_counter() - t
    rnd = random.Random(5)
    units = list(new.units)
    for k in rnd.sample(range(len(units)), 50):
        if units[k].kind == "clause":
            units[k] = replace(units[k], text=units[k].text + " con informes anuales.")
    v3 = Document("es", units, new.provenance)
    t = time.perf_counter()
    diffs = [diff_documents(old, new), diff_documents(new, v3)]
    h = history([old, new, v3], diffs, ["v1", "v2", "v3"])
    hist = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cal = res.summary["calibration"]
    return {"clauses": len(old.clauses()), "mt_first_s": round(mt_secs, 1),
            "mt_cached_s": round(mt_cached, 2), "cross_diff_s": round(cross, 2),
            "cross_counts": {k: v for k, v in res.summary["counts"].items() if v},
            "baseline_median": cal["baseline"]["median"], "reword": cal["reword"],
            "history_3_versions_s": round(hist, 2), "lineages": len(h.tracks),
            "peak_rss_mb": round(rss / 1024, 1)}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(run(int(sys.argv[2]))))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 2500, 5000, 10000]
    for n in sizes:
        p = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True,
                           text=True, check=True)
        print(p.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
