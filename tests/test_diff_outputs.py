"""The diff's outputs as people use them: -o's suffix picks the format; the DOCX carries
real tracked changes that python-docx and LibreOffice read back; the HTML is side by
side with unchanged units folded, previous/next links and move marks at both places;
the PDF has the "was" column and move marks; no output names a document by its path."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner

from test_diff import build_variant, render, structure


@pytest.fixture(scope="module")
def variant_file(tmp_path_factory):
    from celac_i18n.corpus.refs import load
    new, _ = build_variant(load("2022-2024:es"))
    p = tmp_path_factory.mktemp("diffout") / "variant.txt"
    p.write_text(render(structure(new), "es")[0], encoding="utf-8")
    return p


def _run(*args):
    from celac_i18n.cli import cli
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def outputs(variant_file, tmp_path_factory):
    d = tmp_path_factory.mktemp("outs")
    got = {}
    for suffix in ("json", "jsonl", "html", "pdf", "docx"):
        out = d / f"d.{suffix}"
        r = _run("diff", "2022-2024:es", f"{variant_file}@es", "-o", out)
        assert r.exit_code == 0, r.output
        got[suffix] = out.read_bytes()
    return got


def test_suffix_picks_the_format(outputs):
    assert json.loads(outputs["json"])["signature"].startswith("celac-i18n-diff:")
    lines = outputs["jsonl"].decode().splitlines()
    assert "summary" in json.loads(lines[0]) and all("kind" in json.loads(x) for x in lines[1:])
    assert outputs["html"].startswith(b"<!DOCTYPE html>")
    assert outputs["pdf"].startswith(b"%PDF-")
    assert zipfile.is_zipfile(__import__("io").BytesIO(outputs["docx"]))


def test_format_and_suffix_disagree_is_a_clear_error(variant_file, tmp_path):
    from conftest import run_cli

    p = run_cli("diff", "2022-2024:es", f"{variant_file}@es", "--format", "json", "-o",
                str(tmp_path / "d.pdf"))
    assert p.returncode == 2 and "Traceback" not in p.stderr and "d.pdf" in p.stderr
    assert not (tmp_path / "d.pdf").exists()
    p = run_cli("diff", "2022-2024:es", f"{variant_file}@es", "-o", str(tmp_path / "d.xyz"))
    assert p.returncode == 2 and "suffix" in p.stderr


def test_no_absolute_paths(outputs, variant_file):
    folder = str(variant_file.parent)
    for suffix in ("json", "jsonl", "html"):
        text = outputs[suffix].decode()
        assert folder not in text and "/work/" not in text, suffix
    assert "variant.txt" in outputs["html"].decode()
    data = json.loads(outputs["json"])
    assert data["summary"]["old"]["source"] == "2022-2024:es:official"
    assert data["summary"]["new"]["source"] == "variant.txt"
    # added and removed units have no similarity, not "0"
    assert all(c["similarity"] is None for c in data["changes"] if not (c["old"] and c["new"]))


def test_words_only_in_new_from_one_occurrence(outputs):
    words = dict(json.loads(outputs["json"])["summary"]["key_terms"]["words"]["only_new"])
    assert words.get("privacidad") == 1          # once, in the added clause


def test_docx_tracked_changes_read_back_by_python_docx(outputs):
    from celac_i18n.diff.docx import count_revisions

    data = json.loads(outputs["json"])
    counts = data["summary"]["counts"]
    rev = count_revisions(outputs["docx"])
    assert rev["moveFrom"] == rev["moveTo"] == counts["moved"] == 1
    # every removed unit is deleted, every added one inserted; modified ones have both
    assert rev["del"] >= counts["removed"] + counts["modified"]
    assert rev["ins"] >= counts["added"] + counts["modified"]
    import io

    import docx
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(outputs["docx"])).paragraphs)
    assert "II.3.2" in text and "IV  (was III)" not in text and "IV (was III)" in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (scripts/setup.sh)")
def test_docx_tracked_changes_read_back_by_libreoffice(outputs, tmp_path):
    src = tmp_path / "d.docx"
    src.write_bytes(outputs["docx"])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    content = zipfile.ZipFile(tmp_path / "d.odt").read("content.xml").decode()
    regions = content.count("<text:changed-region")
    inserted, deleted = content.count("<text:insertion"), content.count("<text:deletion")
    counts = json.loads(outputs["json"])["summary"]["counts"]
    changed_paragraphs = sum(counts[k] for k in ("modified", "split", "merged", "added",
                                                 "removed")) + 2 * counts["moved"]
    assert regions >= changed_paragraphs and inserted and deleted
    # the moved clause is deleted at its old place and inserted at its new one
    assert content.count("Foro de Defensa Superior") == 2


def test_html_side_by_side_folded_with_navigation_and_move_marks(outputs):
    html = outputs["html"].decode()
    data = json.loads(outputs["json"])
    counts = data["summary"]["counts"]
    changed = sum(n for k, n in counts.items() if k not in ("unchanged", "renumbered"))
    assert html.count('<section class="chg k-') == changed + counts["moved"]
    assert '<div class="old">' in html and '<div class="new">' in html
    assert html.count('<details class="same">') >= 5          # unchanged runs folded
    assert "next ▶" in html and "◀ previous" in html and "keydown" in html
    mv = next(c for c in data["changes"] if c["kind"] == "moved")
    old, new = mv["old"][0], mv["new"][0]
    assert f'id="from-{old}"' in html and f'href="#from-{old}"' in html   # both places
    assert f'id="c-{new}"' in html and f'href="#c-{new}"' in html
    # the moved-from row sits right after the unit that preceded it in the old version
    at = html.index(f'id="from-{old}"')
    assert html.rfind("I.7", 0, at) > html.rfind("<h2", 0, at)


def test_pdf_was_column_and_move_marks(outputs, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("needs pdftotext")
    p = tmp_path / "d.pdf"
    p.write_bytes(outputs["pdf"])
    text = subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True,
                          text=True).stdout
    assert " was " in text.split("Changes")[0]
    flat = " ".join(text.split())
    assert "MOVED FROM" in text and "moved here from old I.8" in flat, flat[-3000:]
    assert "similarity 0\n" not in text and str(tmp_path) not in text
