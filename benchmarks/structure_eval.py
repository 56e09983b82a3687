"""How many unit ids the parser gets right, fixture by fixture, beside the plan's.

For every tests/fixtures/structure/ document (small style fixtures, the three longer
documents in long/, the real excerpts in real/) and the four shipped renderings of the
2022-2024 plan: the expected ids against the parsed ones, matched in document order
(difflib), as a share of the expected ids. Run: .venv/bin/python benchmarks/structure_eval.py
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from celac_i18n.corpus.refs import load  # noqa: E402
from celac_i18n.parse import parse  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "structure"


def score(expected: list[str], got: list[str]) -> int:
    sm = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks())


def main() -> None:
    rows = []
    for p in sorted(FIXTURES.rglob("*.txt")):
        name, lang = p.name.split(".")[:2]
        own = p.with_name(f"{name}.{lang}.ids")
        expected = (own if own.exists() else p.with_name(f"{name}.ids")).read_text().split()
        doc = parse(p.read_text(encoding="utf-8"), lang)
        rows.append((str(p.relative_to(FIXTURES)), score(expected, [u.id for u in doc.units]),
                     len(expected), doc.layout))
    for r in rows:
        print(f"{r[0]:40s} {r[1]:4d}/{r[2]:4d} {100 * r[1] / r[2]:5.1f}%  {r[3]}")
    ok, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"fixtures: {ok}/{total} ids ({100 * ok / total:.1f}%), "
          f"mean per document {100 * sum(r[1] / r[2] for r in rows) / len(rows):.1f}%")
    for lang in ("es", "en", "zh", "pt"):
        doc = load(f"2022-2024:{lang}")
        c = doc.counts()
        print(f"plan 2022-2024:{lang}: {len(doc.clauses())} clauses, {c.get('section', 0)} "
              f"sections, {c.get('chapter', 0)} chapters, layout: {doc.layout}")


if __name__ == "__main__":
    main()
