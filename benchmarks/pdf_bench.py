"""Time PDF editions of the 2022-2024 plan and the demo batch (cold and up to date),
a single huge clause (accepted, then over the limit), and proofread the editions of
the plan and of a real declaration from their PDFs (issue 17's checks).

    .venv/bin/python benchmarks/pdf_bench.py      # results → stdout (markdown rows)
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("celac-i18n"))


def run(args, env=None) -> float:
    t = time.perf_counter()
    subprocess.run([EXE, *args], check=True, cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def huge_clause(tmp: Path) -> None:
    """One clause of 1.3 MB (Spanish) and 0.3 M Chinese characters: under the limit,
    typeset first-fit; then 10 MB, refused before any work (exit 2)."""
    import random

    random.seed(1)
    words = "cooperación desarrollo comercio inversión energía ciencia cultura".split()
    es, zh, ten = tmp / "big.es.txt", tmp / "big.zh.txt", tmp / "ten.es.txt"
    es.write_text("I. Capítulo\n\n1. " + " ".join(random.choice(words) for _ in range(130_000))
                  + ".\n", encoding="utf-8")
    zh.write_text("一、章\n\n1．" + "".join(random.choice("合作发展贸易投资能源科学文化")
                                      for _ in range(300_000)) + "。\n", encoding="utf-8")
    ten.write_text("I. Capítulo\n\n1. " + "cooperación y desarrollo " * 420_000 + ".\n",
                   encoding="utf-8")
    secs = run(["pdf", f"{es}@es", f"{zh}@zh", "-o", str(tmp / "big.pdf")])
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = subprocess.run(["pdfinfo", str(tmp / "big.pdf")], capture_output=True,
                           text=True).stdout.split("Pages:")[1].split()[0]
    print(f"| one clause, 1.3 MB es + 0.3 M zh characters ({pages} pages) | {secs:.1f} "
          f"| peak RSS {rss:.0f} MB |")
    t = time.perf_counter()
    r = subprocess.run([EXE, "pdf", f"{ten}@es", f"{zh}@zh", "-o", str(tmp / "ten.pdf")],
                       cwd=ROOT, capture_output=True, text=True)
    print(f"| one clause of 10 MB: refused, exit {r.returncode} | "
          f"{time.perf_counter() - t:.1f} | {r.stderr.strip()[:60]}… |")


def proof_table(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from celac_i18n.typeset.proof import proofread

    fix = ROOT / "tests" / "fixtures" / "pdf" / "ccf3-declaration"
    decl = {l: f"{fix}.{l}.txt@{l}" for l in ("es", "en", "zh")}
    cases = [(f"plan {'-'.join(p)}", [f"2022-2024:{l}" for l in p], None)
             for p in (("es", "en"), ("es", "zh"), ("es", "pt"), ("es", "en", "zh", "pt"))]
    cases += [("declaration es-zh", [decl["es"], decl["zh"]], None),
              ("declaration es-zh interleaved", [decl["es"], decl["zh"]], "interleaved"),
              ("declaration es-en-zh", [decl["es"], decl["en"], decl["zh"]], None)]
    print("\n| edition | pages | Chinese lines checked | continuation pages | problems |")
    print("|---|---|---|---|---|")
    for name, refs, layout in cases:
        out = tmp / "proof.pdf"
        run(["pdf", *refs, "-o", str(out)] + (["--layout", layout] if layout else []))
        p = proofread(out)
        print(f"| {name} | {p.pages} | {p.zh_lines} | {len(p.continuation_pages)} "
              f"| {len(p.problems)} |")


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    print("| what | seconds | |\n|---|---|---|")
    huge_clause(tmp)
    for pair, layout in ((("es", "en"), "side-by-side"), (("es", "zh"), "side-by-side"),
                         (("es", "pt"), "side-by-side"), (("es", "en"), "interleaved"),
                         (("es", "en", "zh", "pt"), "table")):
        refs = [f"2022-2024:{l}" for l in pair]
        best = min(run(["pdf", *refs, "--layout", layout, "-o", str(tmp / "x.pdf")])
                   for _ in range(3))
        print(f"| `pdf {' '.join(pair)} --layout {layout}` (whole command, best of 3) | {best:.2f} | |")
    jobs = tmp / "demo.toml"
    jobs.write_text((ROOT / "jobs" / "demo.toml").read_text().replace(
        'output_dir = "../out"', f'output_dir = "{tmp / "out"}"'))
    for workers in (1, 2):
        shutil.rmtree(tmp / "out", ignore_errors=True)
        cold = run(["batch", str(jobs), "--jobs", str(workers)])
        warm = run(["batch", str(jobs), "--jobs", str(workers)])
        print(f"| demo batch, {workers} worker(s), cold (4 PDFs) | {cold:.2f} | |")
        print(f"| demo batch, {workers} worker(s), up to date | {warm:.2f} | |")
    proof_table(tmp)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
