"""Fit the map from the aligner's raw bead confidence to the share of beads that are
right, on labelled variants of the 2022-2024 plan (the real public texts of
``align_anchors.py`` are kept out of the fit and measure the result).

    .venv/bin/python benchmarks/align_calibrate.py          # prints the fitted knots

Labelled sets: the beads of ``align_anchors.py`` on the real public texts (each held
out in turn to measure the map: the reliability table), and the Spanish plan (pivot) against the English, Chinese and Portuguese
reference renderings, each in five variants made with fixed seeds: as parsed (ids);
numbering stripped (the units' texts as plain paragraphs); clauses merged into the
next and dropped, ids kept (an omission without renumbering); the same as plain
paragraphs; and lines (one unit per line, no blank lines). The gold is known by
construction. A bead is right when the gold holds exactly that bead.

Fit: weighted isotonic regression (pool adjacent violators) of rightness on raw
confidence for two-sided beads, over bins of 40 beads' weight, the plan's beads counting
a tenth (they are easier than real texts); one-sided beads (1-0 / 0-1) get their own
share. The result goes into ``celac_i18n/align/calibration.py`` by hand, with this
script's output quoted there.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEEDS = (1, 2, 3)
PLAN_WEIGHT = 0.1
MERGE, DROP = 0.15, 0.10


def _variants(es, tgt, seed):
    """(name, target Document, gold beads as (es ids, tgt ids)) for one rendering."""
    from celac_i18n.align.segments import paragraph_document, unit_text
    from celac_i18n.model import CLAUSE, Document, Provenance, Unit

    rng = random.Random(seed)
    units = list(tgt.units)
    ids = {u.id for u in es.units}
    out = [("ids", tgt, [((u.id,), (u.id,)) for u in units if u.id in ids])]
    groups: list[list[int]] = []
    k = 0
    while k < len(units):
        r = rng.random()
        content = units[k].kind == CLAUSE
        if content and r < MERGE and k + 1 < len(units) and units[k + 1].kind == CLAUSE:
            groups.append([k, k + 1])
            k += 2
        elif content and r < MERGE + DROP:
            groups.append([-k - 1])          # a dropped unit (negative marker)
            k += 1
        else:
            groups.append([k])
            k += 1
    kept = [g for g in groups if g and g[0] >= 0]
    dropped = [-g[0] - 1 for g in groups if g and g[0] < 0]
    joiner = "" if tgt.lang == "zh" else " "

    def perturbed_doc():
        us = []
        for g in kept:
            first = units[g[0]]
            us.append(Unit(first.id, first.kind, first.number, first.heading,
                           joiner.join(unit_text(units[i]) for i in g), [], first.parent))
        return Document(tgt.lang, us, Provenance(source=f"perturbed-{tgt.lang}"))

    gold_kept = [(tuple(units[i].id for i in g), (units[g[0]].id,)) for g in kept]
    gold_kept += [((units[i].id,), ()) for i in dropped]
    out.append(("ids, perturbed", perturbed_doc(), gold_kept))
    plain = paragraph_document("\n\n".join(unit_text(u) for u in units), tgt.lang,
                               Provenance(source=f"plain-{tgt.lang}"))
    out.append(("plain", plain, [((u.id,), (f"p{i}",)) for i, u in enumerate(units, 1)]))
    texts = [joiner.join(unit_text(units[i]) for i in g) for g in kept]
    for name, sep in (("plain, perturbed", "\n\n"), ("lines, perturbed", "\n")):
        doc = paragraph_document(sep.join(texts), tgt.lang, Provenance(source=name))
        if len(doc.units) != len(texts):
            continue    # the layout reader joined lines: no simple gold
        gold = [(tuple(units[i].id for i in g), (f"p{j}",)) for j, g in enumerate(kept, 1)]
        gold += [((units[i].id,), ()) for i in dropped]
        out.append((name, doc, gold))
    return out


def labelled() -> list[tuple[float, bool, bool]]:
    """(raw confidence, one-sided, right) for every bead of every variant."""
    from celac_i18n.align import align_documents
    from celac_i18n.align import calibration
    from celac_i18n.corpus.refs import load

    es = load("2022-2024:es")
    out = []
    with calibration.raw():
        for lang in ("en", "zh", "pt"):
            tgt = load(f"2022-2024:{lang}")
            for seed in SEEDS:
                for name, doc, gold in _variants(es, tgt, seed):
                    if seed != SEEDS[0] and name in ("ids", "plain"):
                        continue        # the same every seed
                    res = align_documents([es, doc], consistency=False)
                    gs = set(gold)
                    for b in res.beads:
                        key = (tuple(b.ids("es")), tuple(b.ids(lang)))
                        out.append((b.confidence, b.one_sided(["es", lang]), key in gs))
    return out


def fit(xs, ys, ws, per_bin: float = 40.0) -> tuple[list[float], list[float]]:
    """Weighted isotonic regression over bins of ``per_bin`` weight (sorted by raw
    confidence): each bin's mean raw confidence and share right, then pool adjacent
    violators so the map never decreases."""
    pts = sorted(zip(xs, ys, ws))
    bins, cur, acc = [], [], 0.0
    for p in pts:
        cur.append(p)
        acc += p[2]
        if acc >= per_bin:
            bins.append(cur)
            cur, acc = [], 0.0
    if cur:
        if bins and acc < per_bin / 2:
            bins[-1] += cur
        else:
            bins.append(cur)
    blocks = []     # [sum w·x, sum w·y, sum w]
    for b in bins:
        blocks.append([sum(x * w for x, _, w in b), sum(y * w for _, y, w in b),
                       sum(w for *_, w in b)])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] > blocks[-1][1] / blocks[-1][2]:
            sx, sy, n = blocks.pop()
            blocks[-1][0] += sx
            blocks[-1][1] += sy
            blocks[-1][2] += n
    return [sx / n for sx, _, n in blocks], [sy / n for _, sy, n in blocks]


def _map(points):
    """points: (raw confidence, one-sided, right, weight)."""
    two = [(c, ok, w) for c, one, ok, w in points if not one]
    one = [(ok, w) for _, one_, ok, w in points if one_]
    kx, ky = fit([c for c, _, _ in two], [float(ok) for _, ok, _ in two],
                 [w for *_, w in two])
    wsum = sum(w for _, w in one)
    share = sum(ok * w for ok, w in one) / wsum if wsum else 0.5
    return kx, ky, share


def _apply(kx, ky, share, c, one) -> float:
    import numpy as np

    return share if one else float(np.interp(c, kx, ky))


def main() -> None:
    import align_anchors as real_texts

    plan = labelled()
    real = real_texts.evaluate()[1]
    texts = sorted({t for t, *_ in real})
    # the plan's variants are easier than the real texts (clean parses, long clauses):
    # they count a tenth as much, enough to anchor the map where real beads are few
    plan = [(c, one, ok, PLAN_WEIGHT) for c, one, ok in plan]
    everything = plan + [(c, one, ok, 1.0) for _, c, one, ok in real]
    kx, ky, share = _map(everything)
    print(f"# fitted on {len(plan)} plan beads ({sum(ok for _, _, ok, _ in plan)} right, "
          f"weight {PLAN_WEIGHT:g} each) and "
          f"{len(real)} beads of {', '.join(texts)} ({sum(ok for *_, ok in real)} right)")
    print("KNOTS_RAW = (" + ", ".join(f"{x:.3f}" for x in kx) + ")")
    print("KNOTS_RIGHT = (" + ", ".join(f"{y:.3f}" for y in ky) + ")")
    print(f"ONE_SIDED = {share:.3f}")
    # each real text held out: the map fitted on the plan and the other texts
    held = []
    for t in texts:
        fold = plan + [(c, one, ok, 1.0) for u, c, one, ok in real if u != t]
        m = _map(fold)
        held += [(_apply(*m, c, one), ok) for u, c, one, ok in real if u == t]
    print("\n# reliability on each real text held out of the fit (pooled)")
    print("| confidence | beads | mean confidence | share right (strict) |")
    print("|---|---:|---:|---:|")
    for r in real_texts.reliability_table(held):
        if r["beads"]:
            print(f"| {r['bin']} | {r['beads']} | {r['mean_confidence']:.3f} | {r['right']:.3f} |")
        else:
            print(f"| {r['bin']} | 0 | — | — |")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
