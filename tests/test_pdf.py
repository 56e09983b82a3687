"""PDF editions: text of both languages in order, CJK font embedded, pages not blank,
markup characters printed as themselves, provenance and metadata present."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from celac_i18n.cli import cli, main
from celac_i18n.corpus.refs import load

FIX = Path(__file__).parent / "fixtures" / "pdf"
ES, ZH = f"{FIX / 'mini.es.txt'}@es", f"{FIX / 'mini.zh.txt'}@zh"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def pdftext(path, raw=True, first=None, last=None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first:
        cmd += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(cmd + [str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def squash(text: str) -> str:
    """No whitespace and no hyphens: line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\-‐\u00ad]+", "", text)


def assert_in_order(extracted: str, texts: list[str], what: str) -> None:
    hay, pos = squash(extracted), 0
    for t in texts:
        k = hay.find(squash(t), pos)
        assert k >= 0, f"{what}: clause not found in order: {t[:60]!r}"
        pos = k + 1


def unit_texts(doc) -> list[str]:
    """The units' texts as printed: Markdown emphasis marks are not printed."""
    from celac_i18n.typeset.runs import plain

    return [plain(u.heading if u.kind in ("chapter", "section") else u.text)
            for u in doc.units if u.kind != "title"]


def not_blank(pdf: Path, page: int, tmp_path: Path) -> float:
    from PIL import Image, ImageStat

    prefix = tmp_path / f"p{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page),
                    str(pdf), str(prefix)], check=True)
    png = next(tmp_path.glob(f"p{page}*.png"))
    return ImageStat.Stat(Image.open(png).convert("L")).var[0]


@pytest.fixture(scope="module")
def es_zh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "es-zh.pdf"
    r = CliRunner().invoke(cli, ["pdf", ES, ZH, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


def test_side_by_side_has_every_unit_of_both_languages_in_order(es_zh):
    text = pdftext(es_zh)
    assert_in_order(text, unit_texts(load(ES)), "es")
    assert_in_order(text, unit_texts(load(ZH)), "zh")


def test_markup_characters_print_as_themselves(es_zh):
    text = " ".join(pdftext(es_zh, raw=False).split())
    for s in ("#set page(width: 1cm)", "[corchetes]", "<etiqueta>", "{llaves}", "$x$",
              "@ref", "[方括号]", "<标签>", "{花括号}", "\\ inversa"):
        assert s in text, s
    # Markdown emphasis is the one markup a document's text means: set in italics,
    # without its marks
    assert "$x$ negrita cursiva @ref" in text and "*" not in text and "_" not in text
    fonts = subprocess.run(["pdffonts", str(es_zh)], capture_output=True, text=True).stdout
    assert "Italic" in fonts, fonts


def test_cjk_font_embedded_and_pages_not_blank(es_zh, tmp_path):
    fonts = subprocess.run(["pdffonts", str(es_zh)], capture_output=True, text=True,
                           check=True).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSerifCJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    assert any("Libertinus" in line for line in fonts.splitlines())
    assert not_blank(es_zh, 2, tmp_path) > 50


def test_title_page_provenance_and_metadata(es_zh):
    first = pdftext(es_zh, raw=False, first=1)
    # a file of unrecorded status is never presented as official
    assert "Official text" not in first
    assert "status (official or not) is not recorded" in first
    info = subprocess.run(["pdfinfo", str(es_zh)], capture_output=True, text=True).stdout
    assert re.search(r"Keywords:.*\bes\b.*\bzh\b", info), info
    assert "ES/ZH" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    body = pdftext(es_zh, raw=False, first=2, last=pages)
    assert f"Page 2 of {pages}" in body
    # bookmarks by chapter: the outline is in the file
    assert b"/Outlines" in es_zh.read_bytes()


def test_plan_edition_marks_official_and_reference_texts(tmp_path):
    out = tmp_path / "plan.pdf"
    docs = [load("2022-2024:es"), load("2022-2024:en")]
    # chapter I only: small, fast, still the shipped provenance
    keep = lambda d: type(d)(d.lang, [u for u in d.units if u.id in ("title", "I")
                                      or u.id.startswith("I.")], d.provenance)
    from celac_i18n.typeset import render_pdf

    render_pdf([keep(d) for d in docs], out, layout="interleaved",
               refs=["2022-2024:es", "2022-2024:en"])
    first = pdftext(out, raw=False, first=1)
    assert "Official text as adopted by the parties" in first
    assert squash("Reference rendering prepared by celac-i18n project. Not an official "
                  "text.") in squash(first)
    text = pdftext(out)
    assert_in_order(text, unit_texts(keep(docs[0])), "es")
    assert_in_order(text, unit_texts(keep(docs[1])), "en")


def test_table_layout_is_landscape_with_all_languages(tmp_path):
    out = tmp_path / "t.pdf"
    r = CliRunner().invoke(cli, ["pdf", ES, ZH, f"{FIX / 'mini.es.txt'}@pt",
                                 "--layout", "table", "-o", str(out)])
    assert r.exit_code == 0, r.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert w > h
    assert_in_order(pdftext(out), unit_texts(load(ZH)), "zh")


def test_annotate_qa_and_scores(tmp_path):
    out = tmp_path / "a.pdf"
    bad = tmp_path / "bad.zh.txt"      # a wrong year in I.2: the numbers check flags it
    bad.write_text((FIX / "mini.zh.txt").read_text(encoding="utf-8").replace(
        "于2024年", "于2025年"), encoding="utf-8")
    r = CliRunner().invoke(cli, ["pdf", ES, f"{bad}@zh", "--annotate", "qa", "-o", str(out)])
    assert r.exit_code == 0, r.output
    from celac_i18n.qa import run_qa

    findings = run_qa(load(ES), load(f"{bad}@zh")).findings
    assert findings
    text = " ".join(pdftext(out, raw=False).split())
    assert f"QA {findings[0].severity}" in text
    # scores need a reference in the target language; scoring zh against itself is 100
    r = CliRunner().invoke(cli, ["pdf", ES, ZH, "--annotate", "scores", "--score-ref", ZH,
                                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "chrF 100.0" in pdftext(out, raw=False)


@pytest.mark.parametrize("args, message", [
    ([ES], "at least two documents"),
    ([ES, ZH, ES.replace("@es", "@pt"), "--layout", "side-by-side"], "exactly two"),
    ([ES, ZH, "--annotate", "colour"], "unknown annotation"),
    ([ES, ZH, "--annotate", "scores"], "needs --score-ref"),
])
def test_user_errors_exit_2_without_output(tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(SystemExit) as e:
        main(["pdf", *args, "-o", str(out)])
    assert e.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_redline_pdf_summary_first_then_changes(tmp_path):
    from celac_i18n.diff import diff_documents
    from celac_i18n.typeset import render_redline_pdf

    new_text = (FIX / "mini.es.txt").read_text(encoding="utf-8").replace(
        "décimo aniversario", "décimo aniversario y de la Cumbre #2 [especial]")
    new = tmp_path / "new.txt"
    new.write_text(new_text, encoding="utf-8")
    result = diff_documents(load(ES), load(f"{new}@es"))
    out = tmp_path / "red.pdf"
    render_redline_pdf(result, out, "old", "new", layout="changes")
    text = pdftext(out, raw=False)
    assert text.index("Summary") < text.index("Changes")
    assert squash("y de la Cumbre #2 [especial]") in squash(text)
    assert "modified" in text.lower()


def test_source_date_epoch_makes_pdfs_reproducible(tmp_path, monkeypatch):
    # 2001-09-09 01:46:40 UTC: the printed "generated" date follows SOURCE_DATE_EPOCH,
    # not today's date, so two builds are byte-identical
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for out in outs:
        r = CliRunner().invoke(cli, ["pdf", ES, ZH, "-o", str(out)])
        assert r.exit_code == 0, r.output
    first = pdftext(outs[0], raw=False, first=1)
    assert squash("on 2001-09-09.") in squash(first), first
    assert outs[0].read_bytes() == outs[1].read_bytes()
