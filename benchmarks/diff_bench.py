"""Speed and memory of `celac-i18n diff` (issue 7).

1. The 2022-2024 plan (112 clauses) against a test-built variant with planted edits,
   in Spanish and Chinese (goal < 0.5 s).
2. Two synthetic versions of 1,000 … 10,000 clauses with a few hundred planted
   changes, including a chapter inserted near the start so that almost every id is
   renumbered (goal < 10 s and < 1 GB at 10,000; near-linear). Each size runs in its
   own process so that the peak RSS is that size's. Precision and recall against the
   planted answers are reported too.

Synthetic texts are random draws from the Spanish plan's vocabulary: project-made
test data, never presented as any plan. Run: .venv/bin/python benchmarks/diff_bench.py
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
sys.path.insert(0, str(ROOT / "tests"))

from celac_i18n.model import Document, Provenance, Unit  # noqa: E402
from celac_i18n.parse.numerals import int_to_roman  # noqa: E402


def vocabulary() -> list[str]:
    import re
    text = (ROOT / "corpora/2022-2024/es.official.txt").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"[^\W\d_]{3,}", text)))


def sentence(rnd: random.Random, vocab: list[str]) -> str:
    words = rnd.choices(vocab, k=rnd.randint(12, 30))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def synthetic_pair(n: int, seed: int = 7):
    """(old, new, expected changes) with about n clauses a side."""
    rnd = random.Random(seed)
    vocab = vocabulary()
    # chapters of 10 sections of 10 clauses; a clause is one or two sentences
    n_ch = max(1, n // 100)
    old = [[f"Capítulo {c}", [[f"Sección {c}.{s}",
                                [[("o", c, s, k), sentence(rnd, vocab) + " " + sentence(rnd, vocab)]
                                 for k in range(10)]] for s in range(10)]] for c in range(n_ch)]
    import copy
    new = copy.deepcopy(old)
    clauses = [(c, s, k) for c in range(n_ch) for s in range(10) for k in range(10)]
    picks = rnd.sample(clauses, min(len(clauses) // 2, 310))
    edits = {"modified": picks[:100], "moved": picks[100:150], "split": picks[150:180],
             "merged": picks[180:210], "removed": picks[210:260]}
    # merged: pair each pick with its following clause in the same section
    edits["merged"] = [p for p in edits["merged"] if p[2] < 9
                       and (p[0], p[1], p[2] + 1) not in picks]
    expected_kind = {}
    for c, s, k in edits["modified"]:
        cl = new[c][1][s][1][k]
        words = cl[1].split(" ")
        cl[1] = " ".join(words[: int(len(words) * 0.8)]) + " con el apoyo de las instituciones."
        cl[0] = ("modified",) + cl[0][1:]
    for c, s, k in edits["split"]:
        cl = new[c][1][s][1][k]
        a, b = cl[1].split(". ", 1)
        cl[0] = ("split",) + cl[0][1:]
        cl[1] = [a + ".", b]
    for c, s, k in edits["merged"]:
        sec = new[c][1][s][1]
        sec[k][0] = ("merged",) + sec[k][0][1:] + (k + 1,)
        sec[k][1] = sec[k][1] + " " + sec[k + 1][1]
        sec[k + 1][0] = ("gone",) + sec[k + 1][0][1:]
    for c, s, k in edits["removed"]:
        new[c][1][s][1][k][0] = ("removed",) + new[c][1][s][1][k][0][1:]
    movers = []
    for c, s, k in edits["moved"]:
        cl = new[c][1][s][1][k]
        if cl[0][0] == "o":
            movers.append([("moved",) + cl[0][1:], cl[1]])
            cl[0] = ("gone",) + cl[0][1:]
    for m in movers:       # to the end of a random section of another chapter
        c2 = rnd.randrange(n_ch)
        new[c2][1][rnd.randrange(10)][1].append(m)
    for _ in range(50):
        sec = new[rnd.randrange(n_ch)][1][rnd.randrange(10)][1]
        sec.insert(rnd.randint(0, len(sec)), [("added",), sentence(rnd, vocab)])
    new.insert(min(2, n_ch), ["Capítulo nuevo", [["Sección nueva", [
        [("added",), sentence(rnd, vocab)] for _ in range(10)]]]])
    return build(old, "old"), build(new, "new")


def build(chapters, side):
    """A Document; each clause's tag says which old clause it came from and how."""
    units = [Unit("title", "title", "", "Plan sintético", "Plan sintético")]
    tags = {}
    for ci, (heading, sections) in enumerate(chapters, start=1):
        cid = int_to_roman(ci)
        units.append(Unit(cid, "chapter", f"{cid}.", heading, heading))
        for si, (sh, clauses) in enumerate(sections, start=1):
            sid = f"{cid}.{si}"
            units.append(Unit(sid, "section", f"{si}.", sh, sh, parent=cid))
            k = 0
            for tag, text in clauses:
                if side == "new" and tag[0] in ("gone", "removed"):
                    if tag[0] == "removed":
                        tags[f"removed:{tag[1:]}"] = tag     # not in NEW: remember it
                    continue
                for piece in (text if isinstance(text, list) else [text]):
                    k += 1
                    uid = f"{sid}.{k}"
                    units.append(Unit(uid, "clause", f"{k}.", "", piece, parent=sid))
                    tags[uid] = tag
    return Document("es", units, Provenance(f"<synthetic {side}>")), tags


def accuracy(res, old_tags, new_tags) -> dict:
    """Planted changes found with the right kind (splits/merges/moves/edits/adds/removes)."""
    def key(tag):
        return tag[1:4]
    old_by_key = {key(t): uid for uid, t in old_tags.items()}
    expected = set()
    split_parts: dict = {}
    for uid, t in new_tags.items():
        if t[0] == "added":
            expected.add(("added", (), (uid,)))
        elif t[0] in ("modified", "moved"):
            expected.add((t[0], (old_by_key[key(t)],), (uid,)))
        elif t[0] == "split":
            split_parts.setdefault(key(t), []).append(uid)
        elif t[0] == "merged":
            c, s, k = key(t)
            expected.add(("merged", (old_by_key[(c, s, k)], old_by_key[(c, s, k + 1)]), (uid,)))
        elif t[0] == "removed":
            expected.add(("removed", (old_by_key[key(t)],), ()))
    for k, uids in split_parts.items():
        expected.add(("split", (old_by_key[k],), tuple(uids)))
    # Clause-level changes only (the planted edits are to clauses; headings aside).
    got = {(c.kind, tuple(c.old), tuple(c.new)) for c in res.changes
           if c.kind not in ("unchanged", "renumbered")
           and all(i in old_tags for i in c.old) and all(i in new_tags for i in c.new)}
    tp = len(expected & got)
    by_kind = {k: f"{len({e for e in expected & got if e[0] == k})}/"
                  f"{len({e for e in expected if e[0] == k})}"
               for k in sorted({e[0] for e in expected})}
    return {"planted": len(expected), "reported": len(got), "precision": tp / max(1, len(got)),
            "recall": tp / max(1, len(expected)), "by_kind": by_kind}


def run_size(n: int) -> dict:
    from celac_i18n.diff import diff_documents

    (old, ot), (new, nt) = synthetic_pair(n)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    runs = []
    for _ in range(3):           # a shared 2-core machine: report the median of 3
        t = time.perf_counter()
        res = diff_documents(old, new)
        runs.append(time.perf_counter() - t)
    secs = sorted(runs)[1]
    t = time.perf_counter()
    payload = json.dumps(res.to_dict(), ensure_ascii=False)
    secs_json = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kinds = {k: v for k, v in res.summary["counts"].items() if v}
    return {"clauses_old": len(old.clauses()), "clauses_new": len(new.clauses()),
            "seconds": round(secs, 3), "min_seconds": round(min(runs), 3),
            "json_seconds": round(secs_json, 3),
            "json_mb": round(len(payload.encode()) / 1e6, 1),
            "peak_rss_mb": round(rss / 1024, 1), "rss_before_diff_mb": round(rss0 / 1024, 1),
            "counts": kinds, **accuracy(res, ot, nt)}


def run_worst(n: int) -> dict:
    """Worst case for blocking: every clause rewritten (no identical text to pair)."""
    from celac_i18n.diff import diff_documents

    rnd = random.Random(11)
    vocab = vocabulary()

    def doc(side):
        return build([[f"Capítulo {c}", [[f"Sección {c}.{s}", [
            [("o", c, s, k), sentence(rnd, vocab) + " " + sentence(rnd, vocab)]
            for k in range(10)]] for s in range(10)]] for c in range(n // 100)], side)[0]

    old, new = doc("old"), doc("new")
    t = time.perf_counter()
    res = diff_documents(old, new)
    secs = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"worst_case_clauses": n, "seconds": round(secs, 2),
            "peak_rss_mb": round(rss / 1024, 1),
            "counts": {k: v for k, v in res.summary["counts"].items() if v}}


def run_plan() -> list[dict]:
    from celac_i18n.corpus.refs import load
    from celac_i18n.diff import diff_documents
    from test_diff import build_variant

    out = []
    for ref in ("2022-2024:es", "2022-2024:zh:reference"):
        old = load(ref)
        new, expected = build_variant(old)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            res = diff_documents(old, new)
            times.append(time.perf_counter() - t)
        got = {(c.kind, tuple(c.old), tuple(c.new)) for c in res.changes if c.kind != "unchanged"}
        out.append({"ref": ref, "units": len(old.units), "median_s": round(sorted(times)[2], 3),
                    "first_s": round(times[0], 3),
                    "precision": len(got & expected) / len(got),
                    "recall": len(got & expected) / len(expected)})
    return out


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--size":
        print(json.dumps(run_size(int(sys.argv[2]))))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--worst":
        print(json.dumps(run_worst(int(sys.argv[2]))))
        return
    print("## 112 clauses (2022-2024 plan vs a test-built variant)")
    for r in run_plan():
        print(json.dumps(r, ensure_ascii=False))
    print("## synthetic")
    for n in (1000, 2500, 5000, 10000):
        p = subprocess.run([sys.executable, __file__, "--size", str(n)], capture_output=True,
                           text=True, check=True)
        print(p.stdout.strip())
    print("## worst case: every clause rewritten")
    for n in (1000, 2000):
        p = subprocess.run([sys.executable, __file__, "--worst", str(n)], capture_output=True,
                           text=True, check=True)
        print(p.stdout.strip())


if __name__ == "__main__":
    main()
