"""Bad input: one line on stderr saying what and where, exit code 2, nothing written."""

from __future__ import annotations

import pytest

from conftest import run_cli


def _assert_user_error(r, *needles):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    assert r.stdout == ""


def test_missing_file(tmp_path):
    _assert_user_error(run_cli("clauses", str(tmp_path / "nope.txt")), "nope.txt", "no such file")


def test_unknown_plan():
    _assert_user_error(run_cli("clauses", "1999-2001:es"), "unknown plan '1999-2001'")


def test_unknown_language():
    _assert_user_error(run_cli("clauses", "2022-2024:fr"), "unknown language 'fr'")


def test_known_but_not_shipped():
    _assert_user_error(run_cli("clauses", "2015-2019:en"), "not shipped",
                       "http://dm.chineseembassy.org/eng/zjhz/t1658829.htm")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("")
    _assert_user_error(run_cli("clauses", f"{p}@es"), "empty.txt", "empty")


def test_binary_file(tmp_path):
    p = tmp_path / "blob.txt"
    p.write_bytes(bytes(range(256)) * 8)
    _assert_user_error(run_cli("clauses", str(p)), "blob.txt", "binary")


def test_pdf_without_text(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")
    p = tmp_path / "scan.pdf"
    pdf.output(str(p))
    _assert_user_error(run_cli("clauses", f"{p}@es"), "scan.pdf", "no text layer")


def test_no_numbering(tmp_path):
    p = tmp_path / "prose.txt"
    p.write_text("Un texto sin numeración.\n\nOtro párrafo más.\n", encoding="utf-8")
    _assert_user_error(run_cli("clauses", f"{p}@es"), "prose.txt", "no numbering found")


def test_bad_language_suffix(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text("I. Uno\n1. x.\n", encoding="utf-8")
    _assert_user_error(run_cli("clauses", f"{p}@xx"), "unknown language 'xx'")


def test_import_would_overwrite(corpus_copy, tmp_path):
    src = tmp_path / "es.txt"
    src.write_text("PLAN\n\nI. Uno\n1. Primero.\n", encoding="utf-8")
    before = (corpus_copy / "manifest.toml").read_bytes()
    shipped = (corpus_copy / "2022-2024" / "es.official.txt").read_bytes()
    r = run_cli("corpus", "import", str(src), "--plan", "2022-2024", "--lang", "es",
                "--kind", "official", env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    _assert_user_error(r, "already in the corpus", "--force")
    assert (corpus_copy / "manifest.toml").read_bytes() == before
    assert (corpus_copy / "2022-2024" / "es.official.txt").read_bytes() == shipped
    assert src.read_text(encoding="utf-8").startswith("PLAN")   # user's file untouched


@pytest.mark.parametrize("args", [["clauses"], ["corpus", "show"]])
def test_usage_errors_exit_2(args):
    r = run_cli(*args)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_help_lists_commands_quickly():
    r = run_cli("--help")
    assert r.returncode == 0 and "clauses" in r.stdout and "corpus" in r.stdout


def test_help_imports_nothing_heavy():
    import subprocess
    import sys

    code = ("import sys; from celac_i18n.cli import cli\n"
            "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('torch','transformers','lxml','pypdf','docx','rich','lingua',"
            "'sacrebleu','weasyprint','typst','ctranslate2','rapidfuzz') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_plan_lang_without_kind_never_means_a_machine_rendering(corpus_copy, tmp_path):
    src = tmp_path / "es.txt"
    src.write_text("PLAN\n\nI. Uno\n\n1. Primero.\n", encoding="utf-8")
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    r = run_cli("corpus", "import", str(src), "--plan", "2015-2019", "--lang", "es",
                "--kind", "machine", "--engine", "apertium", env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli("clauses", "2015-2019:es", "--format", "jsonl", env=env)
    _assert_user_error(r, "2015-2019:es", "official or reference", "2015-2019:es:apertium")
    for ref in ("2015-2019:es:apertium", "2015-2019:es:machine"):
        ok = run_cli("clauses", ref, "--format", "jsonl", env=env)
        assert ok.returncode == 0, ok.stderr
        assert '"id": "I.1"' in ok.stdout
