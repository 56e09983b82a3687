"""Importing an edited export back into a review workspace (issue 25: a 10,000-unit
XLIFF in < 5 s): the three-way comparison with the export's base, conflicts, the
match by source text where a tool rewrote the ids.

    .venv/bin/python benchmarks/review_import_bench.py

Prints a Markdown table for benchmarks/review.md. Times are wall-clock medians of 3,
each on a fresh copy of the workspace (the import writes its edits).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAR = ROOT / "tests" / "fixtures" / "parallel"


def edited(data: bytes, fmt: str, every: int, rename: bool = False) -> bytes:
    """The export with every ``every``-th target changed (ids rewritten: ``rename``)."""
    from celac_i18n.review.formats import MDA, XLIFF12, XLIFF20

    ns = XLIFF12 if fmt == "xliff-1.2" else XLIFF20
    ET.register_namespace("", ns)
    ET.register_namespace("mda", MDA)
    root = ET.fromstring(data)
    tag = "trans-unit" if fmt == "xliff-1.2" else "unit"
    for n, u in enumerate(root.iter(f"{{{ns}}}{tag}")):
        t = next(u.iter(f"{{{ns}}}target"), None)
        if t is not None and n % every == 0:
            t.text = (t.text or "") + " (CAT)"
        if rename:
            u.set("id", f"x{n}")
            u.attrib.pop("resname", None)
            u.attrib.pop("name", None)
            for md in u.findall(f"{{{MDA}}}metadata"):
                u.remove(md)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def timed(path: Path, data: bytes, before=None, n: int = 3):
    from celac_i18n.review.importing import import_file
    from celac_i18n.review.store import Store

    ts, rep = [], None
    for i in range(n):
        copy = path.with_name(f"{path.stem}.{i}{path.suffix}")
        shutil.copy(path, copy)
        ws = Store(copy)
        if before:
            before(ws)
        t = time.perf_counter()
        rep = import_file(ws, data, "bench", "import:bench")
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), rep


def describe(rep) -> str:
    return (f"{rep.edits} applied, {len(rep.conflicts)} conflicts, {len(rep.kept)} kept, "
            f"{len(rep.matched_by_source)} by source")


def main():
    from celac_i18n.review.build import init_workspace
    from celac_i18n.review.exchange import export_bytes
    from celac_i18n.review.store import BeadData, Store

    rows = []
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        big = [BeadData(f"c.{i}", "clause", 0.9, {"es": [f"c.{i}"], "en": [f"c.{i}"]},
                        {"es": f"Cláusula número {i} del plan de prueba, con su texto.",
                         "en": f"Clause number {i} of the test plan, with its text."})
               for i in range(10000)]
        ws = Store.create(d / "big.review", {"langs": ["es", "en"], "refs": []}, big, [])
        for fmt in ("xliff-1.2", "xliff-2.0"):
            t = time.perf_counter()
            data = export_bytes(ws, fmt)[0]
            t_exp = time.perf_counter() - t
            rows.append((f"export {fmt}, 10,000 units (with the base)",
                         f"{t_exp:.2f} s, {len(data) / 1e6:.1f} MB"))
            changed = edited(data, fmt, 10)

            def conflicting(w):           # 100 of the changed targets edited meanwhile
                w.decide_many([{"bead": f"c.{i}", "action": "edit", "lang": "en",
                                "text": f"Workspace {i}."} for i in range(0, 10000, 100)],
                              "other")

            for what, blob, before in (
                    ("1,000 targets changed", changed, None),
                    ("1,000 changed, 100 of them also in the workspace", changed, conflicting),
                    ("nothing changed", data, None),
                    ("1,000 changed, every id rewritten (matched by source)",
                     edited(data, fmt, 10, rename=True), None)):
                t, rep = timed(d / "big.review", blob, before)
                rows.append((f"import {fmt}, 10,000 units: {what}", f"{t:.2f} s ({describe(rep)})"))
        for name, refs in (("plan 2022-2024 es/en", ["2022-2024:es", "2022-2024:en"]),
                           ("UN Charter es/en (real)", [f"{PAR / 'un-charter.es.txt'}@es",
                                                        f"{PAR / 'un-charter.en.txt'}@en"])):
            p = d / f"{name[:4]}.review"
            small = init_workspace(p, refs)
            data = export_bytes(small, "xliff-1.2")[0]
            t, rep = timed(p, edited(data, "xliff-1.2", 5))
            rows.append((f"import xliff-1.2, {name}, {len(small.beads())} beads",
                         f"{t * 1000:.0f} ms ({describe(rep)})"))
    print("| what | measured |\n|---|---|")
    for a, b in rows:
        print(f"| {a} | {b} |")


if __name__ == "__main__":
    main()
