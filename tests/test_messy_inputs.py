"""End to end on renderings as users really receive them, built here from the shipped
reference renderings: a Word file whose numbers came from Word's list numbering (one
list for the whole document) with unnumbered section headings, and a web page with no
numbering at all. Each must still align clause by clause with the Spanish plan."""

from __future__ import annotations

import json

import pytest

from celac_i18n.corpus.refs import load
from conftest import run_cli


def _clause_beads(stdout: str) -> list[dict]:
    rows = [json.loads(x) for x in stdout.splitlines()]
    return [b for b in rows if "bead" in b and b.get("kind") == "clause"]


@pytest.fixture(scope="module")
def pt():
    return load("2022-2024:pt:reference")


def test_word_numbered_docx_aligns_clause_by_clause(tmp_path, pt):
    import docx

    d = docx.Document()
    for u in pt.units:
        if u.kind in ("title", "preamble"):
            d.add_paragraph(u.text)
        elif u.kind == "chapter":
            d.add_heading(f"{u.number} {u.heading}", level=1)
        elif u.kind == "section":
            d.add_heading(u.heading, level=2)                  # its number is lost
        else:
            d.add_paragraph(u.text, style="List Number")       # 1..112 across chapters
    path = tmp_path / "plano.docx"
    d.save(str(path))
    r = run_cli("align", "2022-2024:es", f"{path}@pt", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    beads = _clause_beads(r.stdout)
    assert len(beads) == 112
    for b in beads:
        (es_id,) = b["ids"]["es"]
        assert b["text"]["pt"] == [pt[es_id].text], es_id


def test_unnumbered_web_page_aligns_by_content(tmp_path, pt):
    from html import escape

    paras = [u.heading or u.text for u in pt.units]
    html = ("<html><head><meta charset='utf-8'><script>menu()</script></head><body>"
            "<nav><a href='/'>Início</a></nav><div class='conteudo'>"
            + "".join(f"<p>{escape(p)}</p>" for p in paras) + "</div></body></html>")
    path = tmp_path / "plano.html"
    path.write_text(html, encoding="utf-8")
    r = run_cli("align", "2022-2024:es", f"{path}@pt", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    beads = _clause_beads(r.stdout)
    right = sum(1 for b in beads if len(b["ids"]["es"]) == 1
                and b["text"]["pt"] == [pt[b["ids"]["es"][0]].text])
    assert right == 112, right          # content alone pairs every clause 1-1
