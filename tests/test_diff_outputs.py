"""The diff's outputs as people use them: -o's suffix picks the format; the DOCX carries
real tracked changes that python-docx and LibreOffice read back; the HTML is side by
side with unchanged units folded, previous/next links and move marks at both places;
the PDF has the "was" column and move marks; no output names a document by its path."""

from __future__ import annotations

import json
import re
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
    # the document's own labels, no ids or report notes (those are comments)
    assert "- 3.2. " in text and "II.3.2" not in text and "(was III)" not in text
    comments = zipfile.ZipFile(io.BytesIO(outputs["docx"])).read("word/comments.xml").decode()
    assert "renumbered: was III" in comments


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


def _moved_and_edited():
    """Real clauses of the plan in two chapters; the third moves to the end of the
    second chapter and has a word replaced and its end reworded on the way."""
    from celac_i18n.corpus.refs import load
    from celac_i18n.model import Document, Provenance, Unit

    texts = [u.text for u in load("2022-2024:es").units if u.kind == "clause"][:12]

    def doc(chapters, name):
        units = []
        for cid, items in chapters:
            units.append(Unit(cid, "chapter", f"{cid}.", f"Capítulo {cid}", f"Capítulo {cid}"))
            units += [Unit(f"{cid}.{k}", "clause", f"{k}.", "", t, parent=cid)
                      for k, t in enumerate(items, 1)]
        return Document("es", units, Provenance(name))

    a, b = texts[:6], texts[6:]
    assert "cooperación" in a[2]
    words = a[2].replace("cooperación", "colaboración", 1).split(" ")
    edited = " ".join(words[:-3] + ["con", "informes", "anuales."])
    return (doc([("I", a), ("II", b)], "old.txt"),
            doc([("I", a[:2] + a[3:]), ("II", b + [edited])], "new.txt"))


def test_docx_moved_and_edited_clause_has_word_marks_at_its_new_place(tmp_path):
    # A clause that moved and was edited: its moveTo range holds the kept words as
    # moveTo and the changed words as del/ins, not the new text unmarked.
    import io

    import docx

    from celac_i18n.diff import diff_documents
    from celac_i18n.diff.docx import render_docx

    old, new = _moved_and_edited()
    res = diff_documents(old, new)
    moved = [c for c in res.changes if c.kind == "moved"]
    assert [(c.old, c.new) for c in moved] == [(["I.3"], ["II.7"])]
    data = render_docx(res, "old", "new")
    body = docx.Document(io.BytesIO(data)).element.body
    para = next(p for p in body.iter(docx.oxml.ns.qn("w:p"))
                if p.xpath(".//w:moveToRangeStart"))

    ns = {"w": docx.oxml.ns.nsmap["w"]}

    def texts(xpath):
        return ["".join(e.xpath(".//w:t/text() | .//w:delText/text()", namespaces=ns))
                for e in para.xpath(xpath)]
    # the words it lost are not at the new place (Reject All must give the old text):
    # the move's comment names them, the moveFrom text holds them
    assert texts("./w:del") == []
    assert texts("./w:ins") == ["colaboración", "con informes anuales"]
    kept = "".join(texts("./w:moveTo"))
    assert kept.startswith("7. Respetando las leyes") and "colaboración" not in kept
    # the old place still holds the whole old text as moveFrom
    assert len(body.xpath(".//w:moveFrom")) == 1
    assert "las Naciones Unidas" in "".join(body.xpath(".//w:moveFrom//w:delText/text()"))
    if not shutil.which("soffice"):
        return
    src = tmp_path / "m.docx"
    src.write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    content = zipfile.ZipFile(tmp_path / "m.odt").read("content.xml").decode()
    deleted = "".join(re.findall(r"<text:deletion>.*?</text:deletion>", content))
    assert "cooperación" in deleted and "las Naciones Unidas" in deleted
    # the new words are tracked insertions at the new place
    ins_ids = set(re.findall(r'text:id="([^"]+)"><text:insertion>', content))
    for word in ("colaboración", "con informes anuales"):
        m = re.search(r'<text:change-start text:change-id="([^"]+)"/>' + word, content)
        assert m and m.group(1) in ins_ids, word


def test_html_side_by_side_folded_with_navigation_and_move_marks(outputs):
    html = outputs["html"].decode()
    data = json.loads(outputs["json"])
    counts = data["summary"]["counts"]
    # renumbered clauses are cards too (cross-references to them may now be wrong)
    changed = sum(n for k, n in counts.items() if k != "unchanged")
    assert counts["renumbered"] and html.count('<section class="chg k-renumbered"') == \
        counts["renumbered"]
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


def test_pdf_was_column_and_move_marks(variant_file, tmp_path):
    # the changes-only layout (the default PDF is the whole document: test_redline_pdf)
    if not shutil.which("pdftotext"):
        pytest.skip("needs pdftotext")
    p = tmp_path / "d.pdf"
    r = _run("diff", "2022-2024:es", f"{variant_file}@es", "--layout", "changes", "-o", p)
    assert r.exit_code == 0, r.output
    text = subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True,
                          text=True).stdout
    assert " was " in text.split("Changes")[0]
    flat = " ".join(text.split())
    assert "MOVED FROM" in text and "moved here from old I.8" in flat, flat[-3000:]
    assert "similarity 0\n" not in text and str(tmp_path) not in text
