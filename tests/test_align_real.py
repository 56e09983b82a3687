"""The aligner and QA on real public parallel texts (tests/fixtures/parallel: the UN
Charter, the 2021 China–CELAC Forum declaration), as a user would run them, and the
layout reader of unnumbered texts as a property."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celac_i18n.align import align_documents
from celac_i18n.align.segments import load_paragraphs as load, split_blocks
from celac_i18n.model import Provenance
from celac_i18n.parse.parser import parse
from celac_i18n.qa import run_qa

FIX = Path(__file__).parent / "fixtures" / "parallel"


def _load(name, lang):
    return load(f"{FIX / f'{name}.{lang}.txt'}@{lang}")


def _pairs(res, a, b):
    return [(tuple(x.ids(a)), tuple(x.ids(b))) for x in res.beads]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_un_charter_aligns_unit_for_unit(lang):
    es, other = _load("un-charter", "es"), _load("un-charter", lang)
    res = align_documents([es, other])
    assert all(len(s) == len(t) == 1 and s == t for s, t in _pairs(res, "es", lang))
    assert len(res.beads) == len(es.units) == len(other.units)


def _charter_en_without_art_2_3() -> str:
    """Article 2, paragraph 3 deleted from the English Charter and paragraphs 4–7
    renumbered 3–6, as an editor would leave it."""
    lines = (FIX / "un-charter.en.txt").read_text(encoding="utf-8").split("\n")
    a2 = lines.index("Article 2")
    out, k = lines[:a2], None
    for ln in lines[a2:]:
        m = re.match(r"(\d+)\. (.*)", ln)
        if ln.startswith("Article 3"):
            k = None
        elif m and ln.startswith("3. All Members shall settle") and k is None:
            k = 3
            continue
        elif m and k is not None:
            ln = f"{k}. {m.group(2)}"
            k += 1
        out.append(ln)
    return "\n".join(out)


def test_un_charter_dropped_and_renumbered_paragraph():
    """Content decides where ids and content disagree: es art.2.3 has no English, es
    art.2.4–2.7 pair with en art.2.3–2.6 (the beads say the content overrode the ids),
    and QA reports one critical omission, at art.2.3."""
    es = _load("un-charter", "es")
    en = parse(_charter_en_without_art_2_3(), "en", Provenance(source="en-dropped"),
               where="en-dropped")
    res = align_documents([es, en])
    pairs = dict((s, t) for s, t in _pairs(res, "es", "en") if s)
    assert pairs[("art.2.3",)] == ()
    for k in range(4, 8):
        assert pairs[(f"art.2.{k}",)] == (f"art.2.{k - 1}",)
    over = [b for b in res.beads if b.content_over_ids]
    assert [b.ids("es")[0] for b in over] == [f"art.2.{k}" for k in range(4, 8)]
    report = run_qa(es, en)
    crit = [(f.id, f.check) for f in report.findings if f.severity == "critical"]
    assert crit == [("art.2.3", "omissions")]
    assert not [f for f in report.findings if "added" in f.message]


def test_unnumbered_one_unit_per_line_is_aligned_line_by_line(tmp_path):
    """The Portuguese declaration with its numbers stripped: one paragraph per line, no
    blank lines. Each line is a unit; the Spanish title has no Portuguese partner and
    the fourth paragraph no Spanish one (the Spanish copy stops at 3)."""
    text = (FIX / "ccf-declaration-2021.pt.txt").read_text(encoding="utf-8")
    p = tmp_path / "pt.txt"
    p.write_text(re.sub(r"(?m)^\d+\. ", "", text), encoding="utf-8")
    pt = load(f"{p}@pt")
    assert [u.id for u in pt.units] == ["p1", "p2", "p3", "p4"]
    assert pt.layout == "one unit per line" and [u.line for u in pt.units] == [1, 2, 3, 4]
    res = align_documents([_load("ccf-declaration-2021", "es"), pt])
    assert _pairs(res, "es", "pt") == [(("title",), ()), (("1",), ("p1",)), (("2",), ("p2",)),
                                       (("3",), ("p3",)), ((), ("p4",))]


_line = st.builds(lambda w, end: " ".join(w).capitalize() + end,
                  st.lists(st.sampled_from(["cooperación", "acuerdo", "paz", "desarrollo",
                                            "comercio", "las", "partes", "y"]),
                           min_size=3, max_size=30),
                  st.sampled_from([".", ";", ":"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, min_size=1, max_size=12), st.booleans())
def test_split_blocks_keeps_each_paragraph_and_its_line(paras, blank):
    """Finished paragraphs (capital start, final punctuation) come back one for one,
    each with the line it starts on, whether blank lines separate them or not."""
    sep = "\n\n" if blank else "\n"
    layout, blocks = split_blocks(sep.join(paras) + "\n")
    assert [t for _, t in blocks] == paras
    step = 2 if blank else 1
    assert [no for no, _ in blocks] == [1 + step * k for k in range(len(paras))]
