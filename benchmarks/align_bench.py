"""Time and size the aligner: the 2022-2024 plan in four languages, and synthetic
documents of 1,000 / 10,000 / 50,000 clauses a side.

    .venv/bin/python benchmarks/align_bench.py            # all, prints a markdown table
    .venv/bin/python benchmarks/align_bench.py plan
    .venv/bin/python benchmarks/align_bench.py synthetic 10000

Every measurement runs in a fresh process, so peak memory (ru_maxrss) is that run's
own and the plan timing includes loading the termbase (a cold start, as the CLI has).

Synthetic documents: the pivot has N clauses of random lower-case words (log-normal
lengths, median ~200 characters), a third of them with a number; the other side has
the same clauses at 0.9 times the length ±10 %, the same numbers, 1 % of consecutive
pairs merged and 0.5 % of clauses dropped, and no numbering (positional ids), so the
content DP decides everything. The known construction is the gold: strict F1 is
reported too.
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


def _words(rng: random.Random, n_chars: int) -> str:
    out, size = [], 0
    while size < n_chars:
        w = "".join(rng.choice("abcdefghijklmnoprstuv") for _ in range(rng.randint(2, 9)))
        out.append(w)
        size += len(w) + 1
    return " ".join(out)


def synthetic(n: int, seed: int = 1):
    from celac_i18n.model import Document, Provenance, Unit

    rng = random.Random(seed)
    src, tgt, gold = [], [], []
    k = 0
    while k < n:
        length = int(min(2000, max(20, rng.lognormvariate(5.3, 0.6))))
        num = f" {rng.randint(100, 99999)} " if rng.random() < 0.33 else " "
        src.append(Unit(f"c{k + 1}", "clause", "", "", _words(rng, length) + num.rstrip() + "."))
        r = rng.random()
        if r < 0.005:                                   # dropped on the other side
            gold.append(((f"c{k + 1}",), ()))
            k += 1
            continue
        if r < 0.015 and k + 1 < n:                    # two clauses merged
            length2 = int(min(2000, max(20, rng.lognormvariate(5.3, 0.6))))
            src.append(Unit(f"c{k + 2}", "clause", "", "", _words(rng, length2) + "."))
            t = _words(rng, int(0.9 * (length + length2) * rng.uniform(0.9, 1.1))) + num + "."
            tgt.append(t)
            gold.append(((f"c{k + 1}", f"c{k + 2}"), (f"p{len(tgt)}",)))
            k += 2
            continue
        tgt.append(_words(rng, int(0.9 * length * rng.uniform(0.9, 1.1))) + num.rstrip() + ".")
        gold.append(((f"c{k + 1}",), (f"p{len(tgt)}",)))
        k += 1
    a = Document("es", src, Provenance(source="synthetic-es", kind="synthetic"))
    b = Document("en", [Unit(f"p{j + 1}", "paragraph", "", "", t) for j, t in enumerate(tgt)],
                 Provenance(source="synthetic-en", kind="synthetic", extra={"ids": "positional"}))
    return a, b, gold


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_plan(level: str = "clause") -> dict:
    from celac_i18n.align import align_documents
    from celac_i18n.corpus.refs import load

    t0 = time.perf_counter()
    docs = [load(f"2022-2024:{lang}") for lang in ("es", "en", "zh", "pt")]
    t1 = time.perf_counter()
    res = align_documents(docs, level=level)
    t2 = time.perf_counter()
    res2 = align_documents(docs, level=level)
    t3 = time.perf_counter()
    align_documents(docs, level=level, consistency=False)
    t4 = time.perf_counter()
    assert [b.ids("es") for b in res.beads] == [b.ids("es") for b in res2.beads]
    return {"case": f"plan es+en+zh+pt, {level}", "units": len(docs[0].units),
            "load_s": t1 - t0, "align_cold_s": t2 - t1, "align_warm_s": t3 - t2,
            "align_warm_no_consistency_s": t4 - t3, "beads": len(res.beads),
            "peak_mb": _peak_mb()}


def run_synthetic(n: int) -> dict:
    from celac_i18n.align import align_documents
    from celac_i18n.align.evaluate import score

    a, b, gold = synthetic(n)
    base = _peak_mb()
    t0 = time.perf_counter()
    res = align_documents([a, b], consistency=False)
    t1 = time.perf_counter()
    test = [(tuple(x.ids("es")), tuple(x.ids("en"))) for x in res.beads]
    s = score(gold, test)
    return {"case": f"synthetic {n} a side", "units": n, "target_units": len(b.units),
            "align_s": t1 - t0, "beads": len(res.beads), "f1_strict": s["f1_strict"],
            "f1_lax": s["f1_lax"], "peak_mb": _peak_mb(), "peak_before_mb": base}


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args, "--json"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    as_json = "--json" in argv
    argv = [a for a in argv if a != "--json"]
    if argv[:1] == ["plan"]:
        r = run_plan(argv[1] if len(argv) > 1 else "clause")
    elif argv[:1] == ["synthetic"]:
        r = run_synthetic(int(argv[1]))
    else:
        rows = [_child(["plan"]), _child(["plan", "sentence"])]
        rows += [_child(["synthetic", str(n)]) for n in (1000, 10000, 50000)]
        for r in rows:
            print(json.dumps(r))
        return
    print(json.dumps(r) if as_json else r)


if __name__ == "__main__":
    main(sys.argv[1:])
