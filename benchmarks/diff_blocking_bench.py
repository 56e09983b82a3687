"""Blocking cost when every clause is lightly edited (issue 7's review, issue 16).

Each clause is 20-50 random words from the Spanish plan's vocabulary; the new version
replaces its last 5 words, so no text is identical and every clause goes through
candidate blocking, similarities and the assignment. Timed: ``match_documents``
(calibration included), each size in its own process. "right" counts the clauses paired
with their own edited copy. Synthetic, project-made text, never presented as a plan.
Run: PYTHONPATH=. .venv/bin/python benchmarks/diff_blocking_bench.py [N ...]
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def run(n: int) -> dict:
    from celac_i18n.diff.match import match_documents
    from celac_i18n.model import Document, Provenance, Unit
    from diff_bench import vocabulary

    rnd = random.Random(3)
    vocab = vocabulary()
    olds, news = [], []
    for _ in range(n):
        words = rnd.choices(vocab, k=rnd.randint(20, 50))
        olds.append(" ".join(words))
        news.append(" ".join(words[:-5] + rnd.choices(vocab, k=5)))

    def doc(texts, side):
        return Document("es", [Unit(f"{k}", "clause", f"{k}.", "", t)
                               for k, t in enumerate(texts, 1)], Provenance(f"<{side}>"))
    old, new = doc(olds, "old"), doc(news, "new")
    t = time.perf_counter()
    matches, _ = match_documents(old, new)
    secs = time.perf_counter() - t
    right = sum(1 for m in matches if len(m.old) == len(m.new) == 1
                and m.old[0].uid == m.new[0].uid)
    return {"clauses": n, "match_s": round(secs, 2), "right_pairs": right,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(run(int(sys.argv[2]))))
        return
    for n in [int(a) for a in sys.argv[1:]] or [2000, 8000, 16000]:
        p = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True,
                           text=True, check=True)
        print(p.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
