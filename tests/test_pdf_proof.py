"""Editions fit to hand to a delegation, read back from the PDF (pdftotext -bbox):
Chinese line breaking (kinsoku), no space after Chinese markers, no machine paths,
no Markdown asterisks or list dashes, clause ids on continuation pages (issue 17).

Each demo PDF of jobs/demo.toml is proofread, and so is a real public declaration
(tests/fixtures/pdf/ccf3-declaration.*, see the README there). A mutation test shows
that the proof catches each flaw when the fix is taken out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from celac_i18n.cli import cli, main
from celac_i18n.corpus.refs import load
from celac_i18n.typeset import proof
from celac_i18n.typeset.proof import outline_titles, proofread

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "pdf"
DECL = {lang: f"{FIX / f'ccf3-declaration.{lang}.txt'}@{lang}" for lang in ("es", "en", "zh")}
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def render(out: Path, refs: list[str], layout: str | None = None) -> Path:
    args = ["pdf", *refs, "-o", str(out)] + (["--layout", layout] if layout else [])
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    return out


def text_of(pdf: Path, first: int | None = None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-f", str(first), "-l", str(first)] if first else [])
    return subprocess.run(cmd + [str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


DEMO = tomllib.loads((ROOT / "jobs" / "demo.toml").read_text(encoding="utf-8"))["output"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict[str, Path]:
    """The demo batch's PDFs (jobs/demo.toml), made with the same inputs and layouts."""
    tmp = tmp_path_factory.mktemp("demo")
    return {o["path"]: render(tmp / o["path"], o["inputs"], o.get("layout"))
            for o in DEMO if o["do"] == "pdf"}


@pytest.mark.parametrize("name", [o["path"] for o in DEMO if o["do"] == "pdf"])
def test_demo_pdf_passes_the_proof(demo, name):
    p = proofread(demo[name])
    assert p.problems == [], "\n".join(p.problems[:20])
    if "zh" in name:        # the Chinese checks looked at every Chinese line
        assert p.zh_lines > 300, p.zh_lines


def test_plan_numbers_as_written_and_emphasis_in_italics(demo):
    pdf = demo["2022-2024.es-en.pdf"]
    text = " ".join(text_of(pdf).split())
    assert "6.4. Explorar" in text and "- 6.4." not in text
    assert "Think Tanks y Jóvenes" in text and "*" not in text
    titles = outline_titles(pdf)
    assert any("Think Tanks y Jóvenes" in t for t in titles), titles
    assert not [t for t in titles if "*" in t]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Italic" in fonts, fonts


def test_plan_title_page_names_reference_file_and_hash_not_paths(demo):
    first = " ".join(text_of(demo["2022-2024.es-zh.pdf"], first=1).split())
    es = load("2022-2024:es")
    assert "Reference: 2022-2024:es · file es.official.txt" in first
    assert es.provenance.sha256 in first
    assert str(ROOT) not in first and "shared/" not in first
    # no title hyphenated: "Claves" whole, the Chinese title whole
    assert "Claves China-CELAC" in first
    assert "中国—拉共体重点领域合作共同行动计划" in first.replace(" ", "")


def test_running_header_once_and_on_one_line(tmp_path):
    # file inputs: no plan, the all-capitals title of the file is the header
    es = FIX / "mini.es.txt"
    pdf = render(tmp_path / "h.pdf", [f"{es}@es", f"{FIX / 'mini.zh.txt'}@zh"])
    lines = text_of(pdf, first=2).splitlines()
    header = lines[0]
    title = es.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith(title), header
    assert header.count("CHINA-CELAC") == 1 and "-\n" not in "\n".join(lines[:2])


def test_title_page_shows_the_published_source(tmp_path):
    docs = [load(DECL["es"]), load(DECL["zh"])]
    url = "https://mppre.gob.ve/2021/12/04/declaracion-tercera-reunion-ministerial-foro-china-celac/"
    docs[0].provenance.extra["sources"] = [url]
    from celac_i18n.typeset import render_pdf

    out = tmp_path / "s.pdf"
    render_pdf(docs, out, refs=[DECL["es"], DECL["zh"]])
    first = text_of(out, first=1)
    assert "Published at" in first and "mppre.gob.ve" in first
    assert "Reference: ccf3-declaration.es.txt@es" in " ".join(first.split())
    assert proofread(out).problems == []


def _long_clause(tmp_path: Path) -> list[str]:
    """The mini plan with clause I.2 made three pages long in es and zh."""
    es = (FIX / "mini.es.txt").read_text(encoding="utf-8").replace(
        "décimo aniversario.", "décimo aniversario. " + "Fortalecer la cooperación "
        "entre las Partes en ciencia, comercio y cultura, de conformidad con sus leyes. " * 90)
    zh = (FIX / "mini.zh.txt").read_text(encoding="utf-8").replace(
        "峰会的可能性。", "峰会的可能性。" + "加强双方在科学、贸易和文化领域的合作，"
        "中国—拉美合作论坛（“中拉论坛”）继续举办。" * 90)
    (tmp_path / "l.es.txt").write_text(es, encoding="utf-8")
    (tmp_path / "l.zh.txt").write_text(zh, encoding="utf-8")
    return [f"{tmp_path / 'l.es.txt'}@es", f"{tmp_path / 'l.zh.txt'}@zh"]


@pytest.mark.parametrize("layout", ["side-by-side", "interleaved", "table"])
def test_pages_that_continue_a_clause_name_its_id(tmp_path, layout):
    refs = _long_clause(tmp_path)
    if layout == "table":
        refs.append(refs[0].replace("@es", "@pt"))
    p = proofread(render(tmp_path / "c.pdf", refs, layout))
    assert len(p.continuation_pages) >= 2, p
    assert p.problems == [], p.problems
    assert "I.2 (cont.)" in text_of(tmp_path / "c.pdf", first=p.continuation_pages[0])


def test_proof_catches_each_flaw_when_the_fixes_are_taken_out(tmp_path, monkeypatch):
    """The template and data as they were before issue 17: every check must fire."""
    from celac_i18n.typeset import compile as tc, edition, labels

    tpl = tmp_path / "templates"
    shutil.copytree(tc.template_dir(), tpl)
    src = (tpl / "edition.typ").read_text(encoding="utf-8")
    for old, new in [("..continued(row),", ""),                       # no continuation ids
                     ("set-runs(c.runs)", 'c.runs.map(r => r.at(0)).join("")'),  # raw text
                     ("let spaced = lang != \"zh\"", "let spaced = true")]:       # "1． 加强"
        assert old in src
        src = src.replace(old, new)
    (tpl / "edition.typ").write_text(src, encoding="utf-8")
    monkeypatch.setattr(tc, "template_dir", lambda: tpl)
    monkeypatch.setattr(edition, "number_as_written", lambda n: n.strip())   # "- 6.4."
    monkeypatch.setattr(labels, "file_name", lambda p: p)                    # full paths
    monkeypatch.setattr(edition, "runs", lambda text, lang: [[text, ""]])
    plan = proofread(render(tmp_path / "p.pdf", ["2022-2024:es", "2022-2024:zh"]))
    long = proofread(render(tmp_path / "l.pdf", _long_clause(tmp_path), "interleaved"))
    found = set(plan.by_check()) | set(long.by_check())
    assert found >= {"kinsoku-start", "kinsoku-end", "marker-space", "path", "list-dash",
                     "asterisks", "continuation"}, (plan.by_check(), long.by_check())


def test_typst_breaks_chinese_only_where_kinsoku_allows(tmp_path, monkeypatch):
    """Every Chinese paragraph of the plan and the declaration set at 11 widths: Typst's
    UAX #14 rules keep 、。，）」 off line starts and （「《 off line ends by themselves;
    a dash between Chinese words needs our unbreakable runs."""
    from celac_i18n.typeset import compile as tc
    from celac_i18n.typeset.runs import runs

    texts = [u.text for ref in ("2022-2024:zh", DECL["zh"]) for u in load(ref).units
             if u.text]
    tpl = tmp_path / "t"
    shutil.copytree(tc.template_dir(), tpl)
    (tpl / "widths.typ").write_text(
        '#import "common.typ": *\n'
        '#set page(width: 120mm, height: auto, margin: 5mm)\n'
        '#set text(font: cjk-font, lang: "zh", size: 9.6pt)\n#set par(justify: true)\n'
        '#let data = json(bytes(sys.inputs.data))\n'
        '#for w in range(30, 101, step: 7) { for p in data { block(width: w * 1mm)[#set-runs(p)] } }\n',
        encoding="utf-8")
    monkeypatch.setattr(tc, "template_dir", lambda: tpl)

    def line_ends(paras) -> tuple[int, dict[str, int]]:
        pdf = tmp_path / "w.pdf"
        pdf.write_bytes(tc.compile_pdf("widths.typ", paras))
        bad: dict[str, int] = {}
        lines = [ln for page in proof.read_pages(pdf) for ln in proof.lines_of(page.words)]
        for ln in lines:
            t = "".join(w.text for w in ln.words)
            for what, ch, banned in (("start", t[0], proof.NO_START), ("end", t[-1], proof.NO_END)):
                if ch in banned:
                    bad[f"{what} {ch}"] = bad.get(f"{what} {ch}", 0) + 1
        return len(lines), bad

    n, bad = line_ends([runs(t, "zh") for t in texts])
    assert n > 4000 and bad == {}, bad
    # without the unbreakable runs, Typst alone puts dashes at line starts and ends
    n, bad = line_ends([[[t, ""]] for t in texts])
    assert bad and set(bad) <= {"start —", "end —"}, bad


def test_real_declaration_passes_the_proof_in_every_layout(tmp_path):
    from test_pdf import assert_in_order, unit_texts

    for layout, refs in (("side-by-side", [DECL["es"], DECL["zh"]]),
                         ("interleaved", [DECL["es"], DECL["zh"]]),
                         ("table", [DECL["es"], DECL["en"], DECL["zh"]])):
        pdf = render(tmp_path / f"{layout}.pdf", refs, layout)
        p = proofread(pdf)
        assert p.problems == [], (layout, p.problems)
        assert p.zh_lines >= 10, (layout, p.zh_lines)
        body = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert_in_order(body, unit_texts(load(DECL["zh"])), f"zh {layout}")
        assert "中國—拉共體論壇" in body.replace("\n", "")


def test_oversized_edition_is_refused_in_one_line_before_any_work(tmp_path, capsys):
    # 10 MB in a single clause (issue 13, case 6): refused before alignment and Typst
    big = tmp_path / "big.es.txt"
    big.write_text("I. Capítulo\n\n1. " + "cooperación y desarrollo " * 420_000 + ".\n",
                   encoding="utf-8")
    out = tmp_path / "big.pdf"
    with pytest.raises(SystemExit) as e:
        main(["pdf", f"{big}@es", f"{FIX / 'mini.zh.txt'}@zh", "-o", str(out)])
    assert e.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "at most 2,000,000" in err[0], err
    assert not out.exists()


def test_long_paragraphs_are_set_first_fit(tmp_path, monkeypatch):
    # a paragraph over LONG_PARAGRAPH characters is broken first-fit (cheap); the page
    # still passes the proof
    from celac_i18n.typeset import edition

    monkeypatch.setattr(edition, "LONG_PARAGRAPH", 2000)
    refs = _long_clause(tmp_path)
    docs = [load(r) for r in refs]
    from celac_i18n.align import align_documents

    data = edition.build_edition(docs, align_documents(docs, consistency=False))
    longs = [c for r in data["rows"] for cs in r["cells"].values() for c in cs if c["long"]]
    assert len(longs) == 2          # clause I.2 in es and in zh
    p = proofread(render(tmp_path / "f.pdf", refs))
    assert p.problems == [] and p.continuation_pages, p
