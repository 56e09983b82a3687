"""Time ``score_documents`` (corpus + per clause) per metric over the 2022-2024 plan, and
print a digest of every figure it gives, so that two versions of the code can be
compared for speed and for identical results.

Hypotheses: 2022-2024:en:apertium and :pt:apertium against the references; zh has no
engine here, so its hypothesis is the zh reference with every 7th character dropped
(as in benchmarks/quality.py). CPU time of this process (single-threaded), median of
--repeat runs, after one warm-up run.

Run: .venv/bin/python benchmarks/score_bench.py [--repeat 7]
Before/after: PYTHONPATH=<other checkout> python benchmarks/score_bench.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from celac_i18n.corpus.refs import load  # noqa: E402
from celac_i18n.model import Document  # noqa: E402
from celac_i18n.score.metrics import METRICS, score_documents  # noqa: E402


def degraded(doc: Document) -> Document:
    def cut(s):
        return "".join(c for i, c in enumerate(s) if i % 7 != 3)
    return Document(doc.lang, [replace(u, text=cut(u.text), sentences=[cut(x) for x in u.sentences])
                               for u in doc.units], doc.provenance)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    import celac_i18n
    import sacrebleu

    sets = {lang: (load(f"2022-2024:{lang}:apertium"), load(f"2022-2024:{lang}:reference"))
            for lang in ("en", "pt")}
    zh = load("2022-2024:zh:reference")
    sets["zh"] = (degraded(zh), zh)
    print(f"code: {Path(celac_i18n.__file__).parent}; machine: {platform.machine()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; Python "
          f"{platform.python_version()}, sacrebleu {sacrebleu.__version__}")
    digest = hashlib.sha256()
    print("| lang | units | " + " | ".join(f"{m} s" for m in METRICS) + " | all s |")
    print("|---|---|" + "---|" * (len(METRICS) + 1))
    for lang, (hyp, ref) in sets.items():
        score_documents(hyp, ref, per_segment=True)        # warm-up (imports, caches)
        cells = []
        for name in METRICS:
            times = []
            for _ in range(args.repeat):
                t = time.process_time()
                rep = score_documents(hyp, ref, metrics=(name,), per_segment=True)
                times.append(time.process_time() - t)
            cells.append(statistics.median(times))
            figures = {"corpus": [(s.metric, s.score, s.signature, s.detail) for s in rep.corpus],
                       "segments": [(s.id, s.scores, s.status) for s in rep.segments],
                       "sigs": rep.sentence_signatures}
            digest.update(json.dumps(figures, sort_keys=True).encode())
        print(f"| {lang} | {len(rep.segments)} | " + " | ".join(f"{c:.3f}" for c in cells)
              + f" | {sum(cells):.3f} |")
    print(f"\ndigest of every figure (corpus, per clause, signatures): {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
