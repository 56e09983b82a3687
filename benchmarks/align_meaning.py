"""The meaning cue in alignment: numbering stripped, lines merged and dropped.

    .venv/bin/python benchmarks/align_meaning.py            # markdown table on stdout
    .venv/bin/python benchmarks/align_meaning.py --json

Each row aligns a parsed, numbered source (Spanish) with a damaged target rendering, as a
user would get it from a table or a web page: one unit per line, every number and marker
gone, about one content unit in seven merged into the next content unit (never a heading,
nor across an empty article line) and one in ten dropped,
and 30 % of the lines without final punctuation (five copies, seeds 2024–2028; the
table gives the mean and the worst F1 over them). The target is read as the
CLI reads a file without numbering (``load_paragraphs``); gold pairs come from the ids the
intact target had (the same ids as the source's). Scores: strict F1 as vecalign's
score.py, with the default encoder (USE multilingual v3) and with the cue off
(``--embed-model none``).

Texts: the 2022–2024 plan (es official; en, zh, pt reference renderings made by this
project) and two real public parallel texts the project did not write: the UN Charter,
chapters I–II (es, en, zh), and the Declaration of the Third Ministerial Meeting of the
China–CELAC Forum, paragraphs 1–4 of its Spanish PDF text layer and the full zh/en texts
(tests/fixtures/parallel/, tests/fixtures/pdf/).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEEDS = range(2024, 2029)    # five damaged copies per row
MERGE, DROP, UNPUNCT = 0.15, 0.1, 0.3
FIX = ROOT / "tests" / "fixtures"
TEXTS = [("plan 2022-2024", "2022-2024:es", {l: f"2022-2024:{l}" for l in ("en", "zh", "pt")}),
         ("un-charter", f"{FIX}/parallel/un-charter.es.txt@es",
          {l: f"{FIX}/parallel/un-charter.{l}.txt@{l}" for l in ("en", "zh")})]


def damaged(units, rng: random.Random):
    """(lines, groups, dropped): the target's units one per line, numbering gone, some
    content units merged into the next and some dropped; groups[k] = the ids on line k."""
    from celac_i18n.align.segments import unit_text

    # a merge joins two consecutive content units, as a careless copy does: never a
    # heading, never across a unit without text (an article holding items)
    items, glue = [], []
    for u in units:
        text = " ".join(unit_text(u).split())
        if not text:
            if glue:
                glue[-1] = False
            continue
        items.append((u.id, text))
        glue.append(u.kind not in ("title", "chapter", "section", "article"))
    lines, groups, dropped = [], [], []
    k = 0
    while k < len(items):
        uid, text = items[k]
        content = k > 0 and len(text) > 40 and glue[k]
        if content and rng.random() < DROP:
            dropped.append(uid)
            k += 1
            continue
        ids, joined = [uid], text
        if content and k + 1 < len(items) and glue[k + 1] and rng.random() < MERGE:
            nxt = items[k + 1][1]
            ids.append(items[k + 1][0])
            joined += ("" if not joined[-1:].isascii() and not nxt[:1].isascii() else " ") + nxt
            k += 1
        if rng.random() < UNPUNCT:
            joined = joined.rstrip("。.;；:：")
        lines.append(joined)
        groups.append(ids)
        k += 1
    return lines, groups, dropped


def run(name, src_ref, tgt_ref, lang, semantic, seed):
    from celac_i18n.align import align_documents
    from celac_i18n.align.evaluate import score
    from celac_i18n.align.segments import load_paragraphs, unit_text

    src = load_paragraphs(src_ref)
    tgt = load_paragraphs(tgt_ref)
    lines, groups, dropped = damaged(tgt.units, random.Random(seed))
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"damaged.{lang}.txt"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        doc = load_paragraphs(f"{p}@{lang}")
        res = align_documents([src, doc], consistency=False, embedder=semantic)
        dt = time.perf_counter() - t0
    line_of = {u.id: u.line - 1 for u in doc.units}        # 0-based line
    # units without text (an article that only holds items) render nothing: not scored
    empty = {u.id for u in src.units if not unit_text(u).strip()}
    test = []
    for b in res.beads:
        s = tuple(i for i in b.ids(src.lang) if i not in empty)
        t = tuple(f"L{line_of[i]}" for i in b.ids(lang))
        if s or t:
            test.append((s, t))
    src_ids = {u.id for u in src.units} - empty
    # gold: each line with the source units it renders; a dropped unit alone (a line
    # whose ids the source lacks would be 0-1: none in these texts)
    g = [((i,), ()) for i in dropped] + [
        (tuple(i for i in grp if i in src_ids), (f"L{k}",)) for k, grp in enumerate(groups)]
    g += [((i,), ()) for i in src_ids - {i for grp in groups for i in grp} - set(dropped)]
    sc = score(g, test)
    return {"text": name, "pair": f"{src.lang}-{lang}", "units": f"{len(src.units)}/{len(lines)}",
            "read as": len(doc.units), "merged": sum(len(x) > 1 for x in groups),
            "dropped": len(dropped), "f1": round(sc["f1_strict"], 3), "s": round(dt, 3)}


def main(argv):
    from celac_i18n.ops import Context

    ctx = Context()
    sem = ctx.semantic()
    rows = []
    for name, src, tgts in TEXTS:
        for lang, tgt in tgts.items():
            on = [run(name, src, tgt, lang, sem, seed) for seed in SEEDS]
            off = [run(name, src, tgt, lang, None, seed) for seed in SEEDS]
            mean = lambda rs, k: round(sum(r[k] for r in rs) / len(rs), 3)  # noqa: E731
            rows.append({**on[0], "merged": mean(on, "merged"), "dropped": mean(on, "dropped"),
                         "f1": mean(on, "f1"), "worst f1": min(r["f1"] for r in on),
                         "f1 no cue": mean(off, "f1"), "worst no cue": min(r["f1"] for r in off),
                         "s": mean(on, "s"), "s no cue": mean(off, "s")})
    if "--json" in argv:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return
    cols = ["text", "pair", "units", "merged", "dropped", "f1", "worst f1", "f1 no cue",
            "worst no cue", "s", "s no cue"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    mean = sum(r["f1"] for r in rows) / len(rows)
    print(f"\nmean F1 with the cue {mean:.3f}, without "
          f"{sum(r['f1 no cue'] for r in rows) / len(rows):.3f}; encoder {sem.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
