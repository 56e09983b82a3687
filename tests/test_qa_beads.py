"""QA follows the alignment: a dropped and renumbered clause is one omission, merged
clauses are reported as merged, the tgt column shows what the target holds there, and
`qa --alignment FILE` uses the beads it is given."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from celac_i18n.cli import cli
from conftest import run_cli
from celac_i18n.corpus.manifest import corpus_dir
from celac_i18n.corpus.refs import load
from celac_i18n.model import Provenance
from celac_i18n.parse.parser import parse
from celac_i18n.qa import run_qa

EN = corpus_dir() / "2022-2024" / "en.reference.txt"


def _chapter_iii(edit) -> str:
    """The English reference with chapter III's numbered lines passed through ``edit``
    (a function of the list of (number, text) lines, returning the new list); the
    clauses are numbered again 1, 2, ... as an editor would."""
    lines = EN.read_text(encoding="utf-8").split("\n")
    start = lines.index(next(x for x in lines if x.startswith("III. ")))
    end = lines.index(next(x for x in lines if x.startswith("IV. ")))
    body = [x for x in lines[start + 1:end] if x.strip()]
    items = [re.match(r"(\d+)\. (.*)", x).group(2) for x in body]
    items = edit(items)
    new = [f"{k}. {t}" for k, t in enumerate(items, start=1)]
    return "\n".join(lines[:start + 1] + [""] + "\n\n".join(new).split("\n") + [""]
                     + lines[end:])


def _write(tmp_path, text, name="en.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def es():
    return load("2022-2024:es")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_dropped_and_renumbered_clause_is_one_critical_omission(es, tmp_path):
    """English III.3 deleted and III.4, III.5 renumbered III.3, III.4: one critical
    finding, at III.3; no "possible addition" for the renumbered clauses; the tgt
    column of a finding on es III.4 shows the English that renders it (now 3.)."""
    text = _chapter_iii(lambda items: items[:2] + items[3:])
    en = parse(text, "en", Provenance(source="planted"), where="planted")
    assert en.get("III.5") is None and en["III.3"].text.startswith("Deepen private sector")
    report = run_qa(es, en)
    critical = [f for f in report.findings if f.severity == "critical"]
    assert [(f.id, f.check) for f in critical] == [("III.3", "omissions")]
    assert "omitted" in critical[0].message and critical[0].tgt == ""
    assert not [f for f in report.findings if f.check == "omissions" and f.id != "III.3"]
    # the bead of es III.4 holds en III.3: a finding there shows that text and id
    pair = next(p for p in report.pairs if p.src_ids == ("III.4",))
    assert pair.tgt_ids == ("III.3",) and pair.renumbered
    from celac_i18n.qa.report_html import render_html

    page = render_html(report)           # the HTML report names both numberings
    assert "III.4 → III.3" in page and page.count("[omissions] clause III.3") == 1
    # plant a number change in that clause, checked through the CLI's tsv
    bad = text.replace("Deepen private sector cooperation", "Deepen 7 private sector cooperation")
    r = run("qa", "2022-2024:es", f"{_write(tmp_path, bad)}@en", "--checks", "numbers,omissions",
            "--format", "jsonl")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    seven = [x for x in rows if "7" in x["message"]]
    assert [(x["id"], x["tgt_id"]) for x in seven] == [("III.4", "III.3")]
    bad_en = parse(bad, "en", Provenance(source="bad"), where="bad")
    (a, b), = seven[0]["tgt_spans"]
    assert seven[0]["tgt"] == bad_en["III.3"].text[a:b] == "7"     # spans into en III.3
    assert [(x["id"], x["check"]) for x in rows if x["severity"] == "critical"] == \
        [("III.3", "omissions"), ("III.4", "numbers")]


def test_merged_clauses_are_reported_as_merged(es):
    """English III.3 and III.4 run together as one clause (3.), III.5 renumbered 4."""
    text = _chapter_iii(lambda items: items[:2] + [items[2] + " " + items[3]] + items[4:])
    en = parse(text, "en", Provenance(source="merged"), where="merged")
    report = run_qa(es, en, "omissions")
    assert not [f for f in report.findings if f.severity == "critical"]
    merged = [f for f in report.findings if "merged" in f.message]
    assert len(merged) == 1
    assert merged[0].id == "III.3" and "III.3 and III.4" in merged[0].message
    assert merged[0].severity == "functional"
    assert merged[0].tgt.startswith("Hold the first China-CELAC Transport")


def test_align_summary_counts_one_sided_beads(tmp_path):
    """The dropped clause's bead is 1-0: the summary counts it; the JSONL says where
    content overrode the ids."""
    from celac_i18n.align.calibration import ONE_SIDED

    p = _write(tmp_path, _chapter_iii(lambda items: items[:2] + items[3:]))
    out = tmp_path / "a.jsonl"
    r = run("align", "2022-2024:es", f"{p}@en", "-o", out)
    assert r.exit_code == 0, r.output
    assert "1 one-sided (1-0: 1, 0-1: 0)" in r.stderr
    assert "2 where content overrode the ids" in r.stderr
    beads = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()][1:]
    iii3 = next(b for b in beads if b["ids"]["es"] == ["III.3"])
    assert iii3["ids"]["en"] == [] and iii3["confidence"] == ONE_SIDED
    assert iii3["shape"] == "1-0" and [b["shape"] for b in beads].count("1-0") == 1
    over = [b["ids"] for b in beads if b.get("content_over_ids")]
    assert over == [{"es": ["III.4"], "en": ["III.3"]}, {"es": ["III.5"], "en": ["III.4"]}]


def test_summary_and_min_confidence_agree_at_the_threshold():
    """A bead at exactly 0.5 is counted "at confidence <= 0.5" and kept by
    --min-confidence 0.5 (which keeps beads at or above its value): one comparison each,
    both inclusive, and the wording says so."""
    from celac_i18n.align.beads import Alignment, Bead, Segment
    from celac_i18n.align.records import select
    from celac_i18n.ops.align import summary

    seg = lambda i: [Segment(i, "clause", "x")]  # noqa: E731
    beads = [Bead(1, "clause", {"es": seg("1"), "en": seg("1")}, 0.5),
             Bead(2, "clause", {"es": seg("2"), "en": []}, 0.85),
             Bead(3, "clause", {"es": [], "en": seg("3")}, 0.5000001)]
    al = Alignment(["es", "en"], "clause", beads, "sig")
    line = summary(al, beads)
    assert "2 one-sided (1-0: 1, 0-1: 1)" in line and "1 at confidence <= 0.5" in line
    assert [b.n for b in select(al, min_confidence=0.5)] == [1, 2, 3]
    assert [b.n for b in select(al, min_confidence=0.50000005)] == [2, 3]


def test_qa_follows_a_given_alignment_file(tmp_path):
    p = _write(tmp_path, _chapter_iii(lambda items: items[:2] + items[3:]))
    al = tmp_path / "a.jsonl"
    assert run("align", "2022-2024:es", f"{p}@en", "2022-2024:zh", "-o", al).exit_code == 0
    here = run("qa", "2022-2024:es", f"{p}@en", "--format", "json").stdout
    given_ = run("qa", "2022-2024:es", f"{p}@en", "--alignment", al, "--format", "json").stdout
    a, b = json.loads(here), json.loads(given_)
    assert [f["id"] for f in a["findings"]] == [f["id"] for f in b["findings"]]
    assert b["alignment"] == str(al)
    # zh from the same three-language alignment
    r = run("qa", "2022-2024:es", "2022-2024:zh", "--alignment", al, "--checks", "omissions")
    assert r.exit_code == 0
    # an alignment of other texts, or without the language: one line, exit 2
    for tgt, says in (("2022-2024:en", "made from other texts"), ("2022-2024:pt", "no pt")):
        r = run_cli("qa", "2022-2024:es", tgt, "--alignment", str(al))
        assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and says in r.stderr, r.stderr


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=4))
def test_any_dropped_clause_of_chapter_iii_is_the_one_critical_finding(es, k):
    text = _chapter_iii(lambda items: items[:k] + items[k + 1:])
    en = parse(text, "en", Provenance(source="planted"), where="planted")
    report = run_qa(es, en, "omissions")
    assert [(f.id, f.severity) for f in report.findings if f.severity != "cosmetic"] == \
        [(f"III.{k + 1}", "critical")]


def test_pdf_annotate_qa_puts_the_omission_on_its_row(es):
    """`pdf --annotate qa` on the planted rendering: the red note sits on es III.3's
    row, whose English cell is empty; the row of es III.4 holds en 3. and no note."""
    from celac_i18n.align import align_documents
    from celac_i18n.typeset.edition import build_edition

    en = parse(_chapter_iii(lambda items: items[:2] + items[3:]), "en",
               Provenance(source="planted"), where="planted")
    alignment = align_documents([es, en], consistency=False)
    rows = build_edition([es, en], alignment, "side-by-side", annotate="qa")["rows"]
    iii3 = next(r for r in rows if r["ids"] == "III.3")
    assert iii3["cells"]["en"] == []
    assert [n["severity"] for n in iii3["notes"]["en"]] == ["critical"]
    assert "omitted" in iii3["notes"]["en"][0]["text"]
    iii4 = next(r for r in rows if r["ids"] == "III.4")
    assert iii4["other_ids"] == {"en": "III.3"} and not iii4["notes"]["en"]


@pytest.mark.parametrize("uid", ["II.5.3", "III.2", "VII.1"])
def test_short_dropped_chinese_clause_is_not_taken_for_a_merge(es, uid):
    """Three short Chinese clauses whose deletion the aligner once read as a merge with
    the clause before (lengths alone cannot tell them apart in Chinese): the penalty on
    merging units numbered on both sides keeps them one critical omission each."""
    zh = load("2022-2024:zh")
    lines = (corpus_dir() / "2022-2024" / "zh.reference.txt").read_text(
        encoding="utf-8").split("\n")
    i = zh[uid].line - 1
    doc = parse("\n".join(lines[:i] + lines[i + 1:]), "zh", Provenance(source="drop"),
                where="drop")
    findings = run_qa(es, doc, "omissions").findings
    assert [f.id for f in findings if f.severity == "critical"] == [uid]
    assert not [f for f in findings if "merged" in f.message]


@pytest.mark.parametrize("sec,k", [("3", 4), ("8", 2)])
def test_merge_of_clauses_naming_the_same_bodies_is_a_merge(es, sec, k):
    """English II.3.4 + II.3.5 (both name CELAC and its Member States) run together and
    the section renumbered: reported as merged, no omission. Anchors are counted as
    occurrences, so the joined clause naming CELAC twice matches the two Spanish ones."""
    lines = EN.read_text(encoding="utf-8").split("\n")
    start = lines.index(next(x for x in lines if x.startswith("II. ")))
    i = next(j for j in range(start, len(lines)) if lines[j].startswith(f"{sec}.{k} "))
    j = next(j for j in range(i + 1, len(lines)) if lines[j].strip())
    out = lines[:i] + [lines[i] + " " + lines[j].split(" ", 1)[1]]
    in_list = True
    for ln in lines[j + 1:]:
        m = re.match(rf"^{sec}\.(\d+) (.*)", ln)
        in_list = in_list and (bool(m) or not ln.strip())   # the section's list ends
        out.append(f"{sec}.{int(m.group(1)) - 1} {m.group(2)}" if m and in_list else ln)
    en = parse("\n".join(out), "en", Provenance(source="merged"), where="merged")
    findings = run_qa(es, en, "omissions").findings
    assert not [f for f in findings if f.severity == "critical"]
    merged = [f for f in findings if "merged" in f.message]
    assert [(f.id, f.severity) for f in merged] == [(f"II.{sec}.{k}", "functional")]
