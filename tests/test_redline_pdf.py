"""The PDF redline of the whole document (diff --layout full, the default): a title page
with both versions' provenance, a summary page listing every change, then every unit
with its label and its id, changes inline, page numbers. Read back with pdftotext on
the planted plan edits and on the UN Charter with planted edits; --layout changes
keeps the changes-only redline."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from test_diff import build_variant, render, structure
from test_diff_docx import charter_pair

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")


def _text(pdf: bytes, tmp_path, name="r") -> list[str]:
    p = tmp_path / f"{name}.pdf"
    p.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")


def _flat(s: str) -> str:
    return " ".join(s.split())


def _render(res, **kw):
    from celac_i18n.typeset.redline import render_redline_pdf
    return render_redline_pdf(res, None, "old.txt", "new.txt", **kw)


@pytest.fixture(scope="module")
def es_plan():
    from celac_i18n.corpus.refs import load
    from celac_i18n.diff import diff_documents

    old = load("2022-2024:es")
    new, _ = build_variant(old)
    res = diff_documents(old, new)
    return old, new, res, _render(res)


def test_whole_document_every_unit_with_changes_inline(es_plan, tmp_path):
    old, new, res, pdf = es_plan
    pages = _text(pdf, tmp_path)
    pages = [p for p in pages if p.strip()]
    n = len(pages)
    assert n >= 5
    for k, page in enumerate(pages, 1):
        assert f"Page {k} of {n}" in page
    title, summary, body = pages[0], pages[1], _flat(" ".join(pages[2:]))
    # provenance of both versions, as the edition's title page gives it
    assert old.provenance.sha256 in _flat(title) and "Official text" in title
    assert "OLD" in title and "NEW" in title and "not recorded" in _flat(title)
    assert "Summary of changes" in summary and "Every change" in summary
    # every unit of the new version, with its id and its own label
    for u in new.units:
        assert u.id in body, u.id
    for label in ("- 3.2.", "III. Cooperación en Materia Digital", "I. Cooperación Política"):
        assert label in body
    # inserted, deleted, moved words are there (at both places for the move)
    c = next(c for c in res.changes if c.old == ["II.3.2"])
    ins = "".join(t for op, t in c.ops if op == "+").strip()
    dele = "".join(t for op, t in c.ops if op == "-").strip()
    assert _flat(ins)[:40] in body and _flat(dele)[:30] in body
    removed = _flat(old["II.6.3"].text)[:60]
    assert removed in body and "REMOVED" in body
    moved = _flat(old["I.8"].text)[:50]
    assert body.count(moved) == 2 and "MOVED AWAY" in body and "moved here from old I.8" in body


def test_summary_lists_every_change_with_its_page(es_plan, tmp_path):
    old, new, res, pdf = es_plan
    summary = _flat(" ".join(_text(pdf, tmp_path)[1:3]))
    m = re.search(r"Every change \((\d+)\)", summary)
    listed = int(m.group(1))
    real = [c for c in res.changes if c.kind not in ("unchanged", "renumbered")]
    assert listed >= len(real) + 1          # + the old place of the moved clause
    assert "split: old I.3" in summary and "removed (old II.6.3)" in summary


def test_real_document_charter(tmp_path):
    from celac_i18n.diff import diff_documents

    old, new = charter_pair()
    res = diff_documents(old, new)
    pages = [p for p in _text(_render(res), tmp_path, "charter") if p.strip()]
    body = _flat(" ".join(pages[2:]))
    for u in new.units:
        assert u.id in body, u.id
    assert "Article 2" in body and "CHAPTER II" in body
    assert "equal sovereignty" in body and "sovereign equality" in body
    assert "1943" in body and "1942" in body and "be published" in body
    assert "All Members shall settle their international disputes" in body   # removed item
    assert "un-charter.en.txt" in _flat(pages[0])


def test_cli_layouts_and_bad_layout(tmp_path):
    from celac_i18n.cli import cli
    from celac_i18n.corpus.refs import load

    new, _ = build_variant(load("2022-2024:es"))
    v = tmp_path / "v.txt"
    v.write_text(render(structure(new), "es")[0], encoding="utf-8")
    out = tmp_path / "c.pdf"
    r = CliRunner().invoke(cli, ["diff", "2022-2024:es", f"{v}@es", "--layout", "changes",
                                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = _flat(" ".join(_text(out.read_bytes(), tmp_path, "c")))
    assert "unchanged: " in text and "MOVED FROM" in text and "Every change" not in text
    bad = tmp_path / "b.pdf"
    r = CliRunner().invoke(cli, ["diff", "2022-2024:es", f"{v}@es", "--layout", "wide",
                                 "-o", str(bad)])
    assert r.exit_code == 2 and "Traceback" not in r.output and not bad.exists()
