"""`celac-i18n qa` through the CLI: formats, filters, the HTML report."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from celac_i18n.cli import cli, main
from celac_i18n.corpus.manifest import corpus_dir


@pytest.fixture()
def bad_zh(tmp_path):
    text = (corpus_dir() / "2022-2024" / "zh.reference.txt").read_text(encoding="utf-8")
    text = text.replace("5000个政府奖学金", "500个政府奖学金<b>")
    p = tmp_path / "bad.zh.txt"
    p.write_text(text, encoding="utf-8")
    return f"{p}@zh"


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_qa_json_reference_has_no_critical():
    r = run(["qa", "2022-2024:es", "2022-2024:en:reference", "--format", "json"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["counts"]["by_severity"]["critical"] == 0
    assert data["signature"].startswith("celac-i18n-qa:")
    assert "0 critical" in r.stderr


def test_qa_severity_filter_and_fail_on(bad_zh):
    r = run(["qa", "2022-2024:es", bad_zh, "--severity", "critical", "--format", "jsonl"])
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert rows and {x["severity"] for x in rows} == {"critical"}
    assert {x["id"] for x in rows} == {"IV.4.2"}
    r = run(["qa", "2022-2024:es", bad_zh, "--checks", "numbers", "--fail-on", "critical",
             "--format", "tsv"])
    assert r.exit_code == 1 and r.stdout.startswith("bead\tid\ttgt_id\tcheck\tseverity")
    r = run(["qa", "2022-2024:es", "2022-2024:zh", "--checks", "numbers", "--fail-on", "critical",
             "--format", "tsv"])
    assert r.exit_code == 0


def test_qa_html_report(bad_zh, tmp_path):
    out = tmp_path / "qa.html"
    r = run(["qa", "2022-2024:es", bad_zh, "-o", str(out)])
    assert r.exit_code == 0 and r.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script>" in page
    assert "http" not in page.split("<body>")[0]              # nothing fetched from outside
    assert "&lt;b&gt;" in page and "<b>" not in page           # target text is escaped
    assert '<mark class="critical" data-sev="critical" data-chk="numbers"' in page
    assert "id='u-IV.4.2'" in page
    assert "data-sev='cosmetic'" in page                        # filters


def test_qa_bad_check_is_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["qa", "2022-2024:es", "2022-2024:en", "--checks", "spelling"])
    assert e.value.code == 2 and "unknown QA check" in capsys.readouterr().err
