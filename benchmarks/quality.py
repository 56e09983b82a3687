"""Time `score` (corpus + per clause, BLEU/chrF++/TER) and `qa` (all checks) over the whole
2022-2024 plan in three languages, in process, after imports and document loading.

Hypotheses: the apertium renderings (2022-2024:en:apertium, :pt:apertium) where the
translate stage can make them, else a synthetic one; zh has no engine here, so its
hypothesis is synthetic (the zh reference with every 7th character dropped and ASCII
punctuation), clearly labelled. QA runs es official → each reference rendering and
es → each machine rendering.

Run: .venv/bin/python benchmarks/quality.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from dataclasses import replace

from celac_i18n.corpus.refs import load
from celac_i18n.model import Document
from celac_i18n.qa import run_qa
from celac_i18n.score.metrics import score_documents


def synthetic(doc: Document) -> Document:
    def degrade(s):
        s = "".join(c for i, c in enumerate(s) if i % 7 != 3)
        return s.replace("—", "-").replace("“", '"').replace("”", '"')
    units = [replace(u, text=degrade(u.text), sentences=[degrade(x) for x in u.sentences])
             for u in doc.units]
    return Document(doc.lang, units, doc.provenance)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    es = load("2022-2024:es")
    refs = {lang: load(f"2022-2024:{lang}:reference") for lang in ("en", "zh", "pt")}
    hyps, labels = {}, {}
    for lang in ("en", "pt"):
        try:
            hyps[lang] = load(f"2022-2024:{lang}:apertium")
            labels[lang] = f"2022-2024:{lang}:apertium"
        except Exception as e:          # no engine on this machine
            print(f"# {lang}: no apertium rendering ({e}); synthetic hypothesis")
            hyps[lang], labels[lang] = synthetic(refs[lang]), f"synthetic {lang}"
    hyps["zh"], labels["zh"] = synthetic(refs["zh"]), "synthetic zh (ref, every 7th char dropped, ASCII punct.)"
    load_s = time.perf_counter() - t0
    # warm-up: imports of sacrebleu and regex compilation happen once per process
    t1 = time.perf_counter()
    score_documents(hyps["en"], refs["en"], per_segment=False)
    run_qa(es, refs["en"])
    warm_s = time.perf_counter() - t1

    rows = []
    totals, cpus = [], []
    for _ in range(args.repeat):
        total = 0.0
        per = {}
        cpu = time.process_time()
        for lang in ("en", "zh", "pt"):
            a = time.perf_counter()
            rep = score_documents(hyps[lang], refs[lang], per_segment=True)
            b = time.perf_counter()
            qa_ref = run_qa(es, refs[lang])
            c = time.perf_counter()
            qa_hyp = run_qa(es, hyps[lang])
            d = time.perf_counter()
            per[lang] = (b - a, c - b, d - c, rep, qa_ref, qa_hyp)
            total += d - a
        totals.append(total)
        cpus.append(time.process_time() - cpu)
        rows.append(per)
    med = statistics.median(totals)
    no_ter = []
    for _ in range(args.repeat):
        a = time.perf_counter()
        for lang in ("en", "zh", "pt"):
            score_documents(hyps[lang], refs[lang], ("bleu", "chrf"), per_segment=True)
            run_qa(es, refs[lang])
            run_qa(es, hyps[lang])
        no_ter.append(time.perf_counter() - a)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load es + 3 references + hypotheses: {load_s:.2f} s; first score+qa (imports): {warm_s:.2f} s")
    print(f"score (corpus + {len(refs['en'].units)} units, 3 metrics) + qa (es→ref, es→hyp), 3 languages: "
          f"median {med:.2f} s over {args.repeat} runs (min {min(totals):.2f}, max {max(totals):.2f}); "
          f"CPU time of this process median {statistics.median(cpus):.2f} s (less sensitive to "
          "other jobs on the cores)")
    print(f"the same without TER (BLEU + chrF++ only): median {statistics.median(no_ter):.2f} s")
    try:
        print(f"load average during the run: {os.getloadavg()[0]:.2f}")
    except OSError:
        pass
    print()
    print("| lang | hypothesis | score s | qa ref s | qa hyp s | BLEU | chrF++ | TER | "
          "qa ref crit/func/cosm | qa hyp crit/func/cosm |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for lang in ("en", "zh", "pt"):
        vals = [r[lang] for r in rows]
        s_t = statistics.median(v[0] for v in vals)
        q_r = statistics.median(v[1] for v in vals)
        q_h = statistics.median(v[2] for v in vals)
        _, _, _, rep, qr, qh = vals[-1]
        sc = {s.metric: s.score for s in rep.corpus}
        cr, ch = qr.counts()["by_severity"], qh.counts()["by_severity"]
        print(f"| {lang} | {labels[lang]} | {s_t:.3f} | {q_r:.3f} | {q_h:.3f} | {sc['bleu']:.2f} | "
              f"{sc['chrf']:.2f} | {sc['ter']:.2f} | {cr['critical']}/{cr['functional']}/{cr['cosmetic']} | "
              f"{ch['critical']}/{ch['functional']}/{ch['cosmetic']} |")
    print()
    for lang in ("en", "zh", "pt"):
        rep = rows[-1][lang][3]
        for s in rep.corpus:
            print(f"{lang} {s.metric}: {s.signature}")


if __name__ == "__main__":
    main()
