"""QA on the plan with each clause dropped in turn: is the one critical finding at the
dropped clause, and nothing else flagged as added or merged?

    .venv/bin/python benchmarks/qa_dropped.py          # en, zh, pt kept; en renumbered

For each of the 112 clauses of a reference rendering, its line is deleted from the text
(the other clauses keep their numbers), the text is parsed and `run_qa` (which aligns
first) runs the omissions check against the Spanish official text. For English also
with the later clauses of the same list renumbered, as an editor would leave them.
And the other side of it: each English clause run together with the next clause of its
list (the list renumbered after it) must be reported as merged, with no critical finding.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _renumber_after(lines: list[str], i: int) -> list[str]:
    """Delete line i (a clause `k.` or `s.k`) and number the rest of its list again."""
    sec = re.match(r"^(\d+)\.(\d+) ", lines[i])
    top = re.match(r"^(\d+)\. ", lines[i])
    out = lines[:i]
    for ln in lines[i + 1:]:
        if re.match(r"^[IVX]+\. ", ln):          # a new chapter ends every list
            sec = top = None
        elif sec and (m := re.match(r"^(\d+)\.(\d+) (.*)", ln)) and m.group(1) == sec.group(1):
            ln = f"{m.group(1)}.{int(m.group(2)) - 1} {m.group(3)}"
        elif sec and re.match(r"^\d+\. ", ln):    # the next section
            sec = None
        elif top and (m := re.match(r"^(\d+)\. (.*)", ln)):
            ln = f"{int(m.group(1)) - 1}. {m.group(2)}"
        out.append(ln)
    return out


def _merge_next(lines: list[str], i: int) -> list[str] | None:
    """Clause line i and the next clause of its list as one clause (the next one's
    marker dropped), the rest of the list renumbered; None for the last of a list."""
    j = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
    same = r"^(\d+)\.(\d+) " if re.match(r"^\d+\.\d+ ", lines[i]) else r"^(\d+)\. "
    if j is None or not re.match(same, lines[j]) or re.match(r"^[IVX]+\. ", lines[j]):
        return None
    if re.match(r"^\d+\.\d+ ", lines[i]) and lines[i].split(".")[0] != lines[j].split(".")[0]:
        return None
    text = re.sub(same, "", lines[j])
    merged = lines[:i] + [lines[i] + " " + text] + lines[i + 1:]
    return _renumber_after(merged, j)


def run_merged(lang: str = "en") -> dict:
    from celac_i18n.corpus.manifest import corpus_dir
    from celac_i18n.corpus.refs import load
    from celac_i18n.model import Provenance
    from celac_i18n.parse.parser import parse
    from celac_i18n.qa import run_qa

    es = load("2022-2024:es")
    ref = load(f"2022-2024:{lang}")
    lines = (corpus_dir() / "2022-2024" / f"{lang}.reference.txt").read_text(
        encoding="utf-8").split("\n")
    right, wrong, n = 0, [], 0
    t0 = time.perf_counter()
    for u in (x for x in ref.units if x.kind == "clause"):
        new = _merge_next(lines, u.line - 1)
        if new is None:
            continue
        n += 1
        doc = parse("\n".join(new), lang, Provenance(source="merged"), where="merged")
        findings = run_qa(es, doc, "omissions").findings
        crit = [f.id for f in findings if f.severity == "critical"]
        merged = [f.id for f in findings if "merged" in f.message]
        if merged == [u.id] and not crit:
            right += 1
        else:
            wrong.append((u.id, crit, merged))
    return {"lang": lang, "merged_with_next_and_renumbered": n, "reported_as_merged": right,
            "wrong": wrong[:10], "seconds": round(time.perf_counter() - t0, 1)}


def run(lang: str, renumber: bool) -> dict:
    from celac_i18n.corpus.manifest import corpus_dir
    from celac_i18n.corpus.refs import load
    from celac_i18n.model import Provenance
    from celac_i18n.parse.parser import parse
    from celac_i18n.qa import run_qa

    es = load("2022-2024:es")
    ref = load(f"2022-2024:{lang}")
    lines = (corpus_dir() / "2022-2024" / f"{lang}.reference.txt").read_text(
        encoding="utf-8").split("\n")
    right, wrong = 0, []
    t0 = time.perf_counter()
    for u in (x for x in ref.units if x.kind == "clause"):
        i = u.line - 1
        new = _renumber_after(lines, i) if renumber else lines[:i] + lines[i + 1:]
        doc = parse("\n".join(new), lang, Provenance(source="dropped"), where="dropped")
        findings = run_qa(es, doc, "omissions").findings
        crit = [f.id for f in findings if f.severity == "critical"]
        other = [f.id for f in findings if "added" in f.message or "merged" in f.message]
        if crit == [u.id] and not other:
            right += 1
        else:
            wrong.append((u.id, crit, other))
    return {"lang": lang, "renumbered": renumber, "clauses": right + len(wrong),
            "one_critical_at_the_clause": right, "wrong": wrong[:10],
            "seconds": round(time.perf_counter() - t0, 1)}


def main() -> None:
    for lang, ren in (("en", False), ("zh", False), ("pt", False), ("en", True)):
        print(run(lang, ren))
    print(run_merged("en"))


if __name__ == "__main__":
    main()
