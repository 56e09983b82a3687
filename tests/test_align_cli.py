"""The align and align-eval commands as a user runs them, and the committed alignment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from celac_i18n.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PLAN = ["2022-2024:es", "2022-2024:en", "2022-2024:zh", "2022-2024:pt"]
COMMITTED = ROOT / "alignments" / "2022-2024.es-en-zh-pt.clause.jsonl"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _jsonl(text):
    lines = [json.loads(x) for x in text.splitlines() if x.strip()]
    return lines[0], lines[1:]


@pytest.fixture(scope="module")
def plan_jsonl():
    r = run("align", *PLAN, "--format", "jsonl")
    assert r.exit_code == 0, r.output
    return r.stdout


def test_four_language_jsonl_has_112_complete_confident_clause_beads(plan_jsonl):
    header, beads = _jsonl(plan_jsonl)
    assert header["signature"].startswith("celac-align:0.") and header["langs"] == ["es", "en", "zh", "pt"]
    assert header["kinds"]["es"] == "official" and header["kinds"]["zh"] == "reference"
    clauses = [b for b in beads if b["kind"] == "clause"]
    assert len(clauses) == 112
    for b in clauses:
        assert set(b) >= {"bead", "level", "confidence", "ids", "text"}
        assert b["level"] == "clause" and b["confidence"] >= 0.9
        assert all(len(b["ids"][lang]) == 1 and len(b["text"][lang]) == 1
                   for lang in ("es", "en", "zh", "pt"))


def test_units_clauses_filters_the_output():
    r = run("align", *PLAN, "--format", "jsonl", "--units", "clauses", "--no-consistency")
    header, beads = _jsonl(r.stdout)
    assert len(beads) == 112 and {b["kind"] for b in beads} == {"clause"}
    assert "consistency:no" in header["signature"]
    assert header["signature"].endswith("|select:clauses")


def test_sentence_level_output():
    r = run("align", "2022-2024:es", "2022-2024:zh", "--level", "sentence", "--format", "jsonl")
    header, beads = _jsonl(r.stdout)
    assert "level:sentence" in header["signature"]
    vii2 = [b for b in beads if b["ids"]["es"] and b["ids"]["es"][0].startswith("VII.2#")]
    assert [b["ids"]["zh"] for b in vii2] == [["VII.2#s1", "VII.2#s2"]]
    assert all(b["level"] == "sentence" and "parent" in b for b in beads)


def test_committed_alignment_is_reproduced(plan_jsonl):
    header, beads = _jsonl(plan_jsonl)
    c_header, c_beads = _jsonl(COMMITTED.read_text(encoding="utf-8"))
    assert header["signature"] == c_header["signature"]
    assert len(beads) == len(c_beads)
    for b, c in zip(beads, c_beads):
        assert b["ids"] == c["ids"] and b["text"] == c["text"]
        assert b["confidence"] == pytest.approx(c["confidence"], abs=1e-3)


def test_tsv_and_table_carry_the_signature():
    r = run("align", "2022-2024:es", "2022-2024:pt", "--format", "tsv", "--units", "headings")
    lines = r.stdout.splitlines()
    assert lines[0].startswith("# signature: celac-align:")
    assert lines[1].split("\t")[:4] == ["bead", "level", "confidence", "kind"]
    assert len(lines) == 2 + 1 + 7 + 16      # title, chapters, sections
    r = run("align", "2022-2024:es", "2022-2024:pt", "--format", "table", "--units", "preamble")
    assert "celac-align:" in r.stdout and "preamble.2" in r.stdout


def test_unnumbered_text_file_is_aligned_as_paragraphs(tmp_path):
    from celac_i18n.corpus.refs import load
    from celac_i18n.align.segments import unit_text

    en = load("2022-2024:en")
    f = tmp_path / "en-plain.txt"
    f.write_text("\n\n".join(unit_text(u) for u in en.units), encoding="utf-8")
    r = run("align", "2022-2024:es", f"{f}@en", "--format", "jsonl")
    assert r.exit_code == 0
    assert "aligned as plain paragraphs" in r.stderr
    _, beads = _jsonl(r.stdout)
    assert len(beads) == len(en.units)
    assert [b["ids"]["en"] for b in beads[:2]] == [["p1"], ["p2"]]
    assert all(len(b["ids"]["es"]) == 1 for b in beads)


def test_output_file_is_written(tmp_path):
    out = tmp_path / "a.tmx"
    r = run("align", "2022-2024:es", "2022-2024:zh", "--format", "tmx", "-o", str(out))
    assert r.exit_code == 0 and out.read_bytes().startswith(b"<?xml")
    assert not list(tmp_path.glob(".a.tmx.*"))   # no temp file left behind


@pytest.mark.parametrize("args, message", [
    (["align", "2022-2024:es"], "at least two"),
    (["align", "2022-2024:es", "2022-2024:es"], "once"),
    (["align", "2022-2024:es", "2022-2024:xx"], "unknown language"),
    (["align", "2022-2024:es", "no-such-file.txt@en"], "no such file"),
    (["align", "2022-2024:es", "2022-2024:zh", "--lang-code", "zh"], "LANG=CODE"),
    (["align", "2022-2024:es", "2022-2024:zh", "2022-2024:en", "--format", "xliff"], "--target"),
])
def test_bad_input_exits_2_with_one_line(args, message, capsys):
    from celac_i18n.cli import main

    with pytest.raises(SystemExit) as e:
        main(args)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_align_eval_scores_strict_and_lax(tmp_path):
    header = {"signature": "x", "langs": ["es", "zh"]}

    def write(name, beads):
        p = tmp_path / name
        p.write_text("\n".join(json.dumps(x) for x in [header] + [
            {"bead": k, "level": "clause", "confidence": 1.0, "ids": {"es": s, "zh": t},
             "text": {}} for k, (s, t) in enumerate(beads, 1)]) + "\n", encoding="utf-8")
        return str(p)

    gold = write("gold.jsonl", [(["1"], ["1"]), (["2"], ["2"]), (["3"], ["3"]), (["4"], [])])
    # one exact bead, one merge overlapping gold (lax only), one deletion that gold has
    pred = write("pred.jsonl", [(["1"], ["1"]), (["2", "3"], ["2", "3"]), (["4"], [])])
    r = run("align-eval", pred, gold, "--format", "jsonl")
    assert r.exit_code == 0
    (row,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert row["pair"] == "es-zh"
    # precision: 2 of 3 predicted beads are gold beads (the deletion counts);
    # recall leaves 1-0 beads out: 1 of gold's 3 1-1 beads is predicted exactly
    assert row["precision_strict"] == pytest.approx(2 / 3, abs=1e-3)
    assert row["recall_strict"] == pytest.approx(1 / 3, abs=1e-3)
    assert row["precision_lax"] == 1.0 and row["recall_lax"] == 1.0
    r = run("align-eval", gold, gold, "--format", "jsonl")
    assert json.loads(r.stdout)["f1_strict"] == 1.0


def test_align_eval_rejects_bad_files(tmp_path, capsys):
    from celac_i18n.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["align-eval", str(bad), str(COMMITTED)])
    assert e.value.code == 2 and "not JSON" in capsys.readouterr().err


HEAD = b'{"signature": "x", "langs": ["es", "zh"]}\n'


@pytest.mark.parametrize("body, message", [
    (b'{"bead": 1, "ids": {"es": null, "zh": ["1"]}}\n', "2: ids.es must be a list"),
    (b'{"bead": 1, "ids": {"es": [["1"]], "zh": ["1"]}}\n', "2: ids.es must be a list"),
    (b'{"bead": 1, "ids": {"es": "1", "zh": ["1"]}}\n', "2: ids.es must be a list"),
    (b'{"bead": 1, "ids": {"es": ["1"], "zh": ["\xe9t\xe9"]}}\n', "2: not UTF-8"),
    (b'{"bead": 1, "level": 3, "ids": {"es": ["1"], "zh": ["1"]}}\n', "2: 'level'"),
])
def test_align_eval_malformed_beads_are_one_line_errors(tmp_path, capsys, body, message):
    from celac_i18n.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(HEAD + body)
    with pytest.raises(SystemExit) as e:
        main(["align-eval", str(bad), str(COMMITTED)])
    err = capsys.readouterr().err
    assert e.value.code == 2 and f"bad.jsonl:{message}" in err and "Traceback" not in err


def test_align_eval_bad_header_langs(tmp_path, capsys):
    from celac_i18n.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"signature": "x", "langs": [["es"], "zh"]}\n'
                    b'{"bead": 1, "ids": {"es": ["1"], "zh": ["1"]}}\n')
    with pytest.raises(SystemExit) as e:
        main(["align-eval", str(bad), str(COMMITTED)])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "bad.jsonl:1: header 'langs'" in err


def test_committed_tmx_is_reproduced(tmp_path):
    out = tmp_path / "plan.tmx"
    r = run("align", *PLAN, "-o", str(out))          # format from the suffix
    assert r.exit_code == 0
    assert out.read_bytes() == (ROOT / "alignments" / COMMITTED.name.replace(".jsonl", ".tmx")).read_bytes()
