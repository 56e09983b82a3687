"""Every reader on a document the test builds: txt encodings, md, html, pdf, docx."""

from __future__ import annotations

import pytest

from celac_i18n.errors import UserError
from celac_i18n.ingest import read_path
from celac_i18n.parse import parse

ES = ("PLAN DE ACCIÓN CONJUNTO CHINA-CELAC (2022-2024)\n\nLas Partes acuerdan lo siguiente:\n\n"
      "I. Cooperación Política\n\n1. Fortalecer los contactos de alto nivel.\n\n"
      "2. Explorar la celebración de una Cumbre en 2024.\n")
ZH = ("中国—拉共体重点领域合作共同行动计划（2022—2024年）\n\n一、政治与安全合作\n\n"
      "1．加强双方领导人交往。\n\n2．探讨2024年举办峰会。\n")


@pytest.mark.parametrize("encoding,reported", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"), ("latin-1", "cp1252"), ("cp1252", "cp1252"),
])
def test_txt_encodings_spanish(tmp_path, encoding, reported):
    p = tmp_path / "plan.txt"
    p.write_bytes(ES.encode(encoding))
    text, prov = read_path(p)
    assert text.replace("\ufeff", "") == ES
    assert prov.encoding == reported and prov.reader == "txt" and len(prov.sha256) == 64


@pytest.mark.parametrize("encoding,reported", [("gb18030", "gb18030"), ("utf-16-be", "utf-16-be")])
def test_txt_encodings_chinese(tmp_path, encoding, reported):
    p = tmp_path / "plan.txt"
    p.write_bytes(ZH.encode(encoding))
    text, prov = read_path(p)
    assert text == ZH and prov.encoding == reported


def test_gb2312_is_reported_when_the_text_fits_it(tmp_path):
    zh = ZH.replace("—", "－")     # the em dash is outside GB2312
    p = tmp_path / "plan.txt"
    p.write_bytes(zh.encode("gb2312"))
    text, prov = read_path(p)
    assert text == zh and prov.encoding == "gb2312"
    assert [u.id for u in parse(text, "zh").clauses()] == ["I.1", "I.2"]


def test_markdown(tmp_path):
    p = tmp_path / "plan.md"
    p.write_text("# Plan de Acción\n\n## I. Cooperación *Política*\n\n**1.** Fortalecer los "
                 "[contactos](http://x). \n\n2. Explorar.\n", encoding="utf-8")
    text, prov = read_path(p)
    doc = parse(text, "es")
    assert prov.reader == "md"
    assert doc["I"].heading == "Cooperación Política"
    assert doc["I.1"].text == "Fortalecer los contactos."


def test_html_main_text_only(tmp_path):
    html = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>t</title>
    <style>p{color:red}</style><script>var x = "I. Menu";</script></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/a">关于我们</a></div>
    <header>网站标题</header>
    <h1>中国—拉共体重点领域合作共同行动计划（2022－2024年）</h1>
    <div id="content"><p>一、政治与安全合作</p><p>1．加强双方领导人交往。</p>
    <p>2．探讨2024年举办峰会。</p></div>
    <footer>版权所有 2022</footer></body></html>"""
    p = tmp_path / "page.html"
    p.write_bytes(html.encode("gb2312", errors="replace"))
    text, prov = read_path(p)
    assert prov.reader == "html" and prov.encoding == "gb2312"
    assert "var x" not in text and "首页" not in text and "版权所有" not in text
    doc = parse(text, "zh")
    assert doc.title.startswith("中国")
    assert [u.id for u in doc.clauses()] == ["I.1", "I.2"]


def _pdf(tmp_path, pages: list[str]):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for n, body in enumerate(pages, start=1):
        pdf.add_page()
        pdf.multi_cell(0, 6, "Plan de Acción China-CELAC", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 6, f"Página {n} de {len(pages)}")
    p = tmp_path / "plan.pdf"
    pdf.output(str(p))
    return p


def test_pdf_text_layer_running_headers_and_page_breaks(tmp_path):
    p = _pdf(tmp_path, [
        "PLAN DE ACCIÓN (2022-2024)\n\nI. Cooperación Política\n1. Fortalecer los contactos "
        "y mejorar los mecanismos de asistencia legal para el",
        "ciberdelito. Destacamos la Iniciativa.\n2. Explorar la Cumbre.",
        "3. Continuar el Foro.\nII. Implementación\n1. No exclusivas."])
    text, prov = read_path(p)
    assert prov.reader == "pdf"
    assert "Plan de Acción China-CELAC" not in text      # running header dropped
    doc = parse(text, "es")
    assert [u.id for u in doc.clauses()] == ["I.1", "I.2", "I.3", "II.1"]
    assert doc["I.1"].text.endswith("asistencia legal para el ciberdelito. Destacamos la "
                                    "Iniciativa.")


def test_pdf_without_text_layer_is_a_clear_error(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")   # a "scan": graphics, no text
    p = tmp_path / "scan.pdf"
    pdf.output(str(p))
    with pytest.raises(UserError, match="no text layer"):
        read_path(p)


def test_docx_with_paragraphs_tables_and_word_numbering(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("PLAN DE ACCIÓN CONJUNTO (2022-2024)")
    d.add_paragraph("I. Cooperación Política")
    d.add_paragraph("Fortalecer los contactos.", style="List Number")
    d.add_paragraph("Explorar la Cumbre.", style="List Number")
    d.add_paragraph("II. Finanzas")
    table = d.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "1. Profundizar la cooperación financiera."
    p = tmp_path / "plan.docx"
    d.save(str(p))
    text, prov = read_path(p)
    assert prov.reader == "docx"
    doc = parse(text, "es")
    assert [u.id for u in doc.clauses()] == ["I.1", "I.2", "II.1"]
    assert doc["I.2"].text == "Explorar la Cumbre."


def test_reader_chosen_by_content_when_the_suffix_lies(tmp_path):
    src = _pdf(tmp_path, ["I. Uno\n1. Primero.\n2. Segundo."])
    odd = tmp_path / "download.bin"
    odd.write_bytes(src.read_bytes())
    _, prov = read_path(odd)
    assert prov.reader == "pdf"


@pytest.mark.parametrize("content,message", [
    (b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01\x02\xff\xfe\x00binary\x00", "binary"),
    (b"PK\x03\x04garbage", "docx"),
])
def test_bad_files(tmp_path, content, message):
    p = tmp_path / ("x.docx" if content.startswith(b"PK") else "x.txt")
    p.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_path(p)


def test_the_whole_plan_through_a_hard_wrapped_pdf(tmp_path, es_text):
    """The seed typeset as a PDF (wrapped lines, running header, page numbers, its own
    page breaks) reads back to the same 112 clauses, word for word."""
    from fpdf import FPDF

    latin = es_text.translate(str.maketrans({"“": '"', "”": '"', "–": "-"}))

    class Paged(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, "Plan de Accion Conjunto China-CELAC (2022-2024)",
                      new_x="LMARGIN", new_y="NEXT")
            self.ln(3)
            self.set_font("Helvetica", size=10)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"- {self.page_no()} -", align="C")

    pdf = Paged()
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for para in latin.split("\n"):
        if para.strip():
            pdf.multi_cell(0, 5, para, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    text, prov = read_path(path)
    assert text.count("\f") >= 5                        # several pages
    doc, want = parse(text, "es"), parse(latin, "es")
    assert doc.title == want.title
    assert [u.id for u in doc.clauses()] == [u.id for u in want.clauses()]
    for u in want.of_kind("clause", "section", "chapter"):
        assert doc[u.id].text == u.text, u.id


def test_html_without_meta_charset_is_decoded_like_text(tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes("<html><body><p>I. Cooperación Política</p>"
                     "<p>1. Fortalecer la cooperación.</p></body></html>".encode("utf-8"))
    text, prov = read_path(page)
    assert "Cooperación Política" in text and "CooperaciÃ³n" not in text
    assert prov.encoding == "utf-8"
    # Latin-1 bytes without a declaration are still read as the letters they are.
    page.write_bytes("<html><body><p>I. Cooperación</p></body></html>".encode("latin-1"))
    text, prov = read_path(page)
    assert "Cooperación" in text and prov.encoding == "cp1252"


def test_declared_http_charset_is_used_for_html_and_text():
    from celac_i18n.ingest import read_bytes

    page = "<html><body><p>I. Cooperación Política</p></body></html>".encode("cp1252")
    text, prov = read_bytes(page, "http://x/p.htm", ".html", encoding="windows-1252")
    assert "Cooperación Política" in text and prov.encoding == "windows-1252"
    zh = ZH.encode("gb18030")
    text, prov = read_bytes(zh, "http://x/p.txt", ".txt", encoding="gb18030")
    assert text == ZH and prov.encoding == "gb18030"


def test_utf16le_without_bom_of_plain_ascii_is_not_read_as_utf8(tmp_path):
    en = ("JOINT ACTION PLAN\n\nI. Political Cooperation\n\n1. Strengthen high-level "
          "contacts.\n\n2. Explore a Summit in 2024.\n")
    f = tmp_path / "en.txt"
    f.write_bytes(en.encode("utf-16-le"))
    text, prov = read_path(f)
    assert text == en and "\x00" not in text and prov.encoding == "utf-16-le"
    assert [u.id for u in parse(text, "en").clauses()] == ["I.1", "I.2"]


def test_bare_numbers_warned_and_refused_when_nothing_has_text(tmp_path):
    """Issue 27 item 3: 1,000 lines of "1." were read as 1,000 empty clauses."""
    from conftest import run_cli

    doc = parse("1. Hola mundo.\n2.\n3. Adiós.\n4.\n", "es")
    assert [u.id for u in doc.clauses()] == ["1", "3"]
    assert doc.warnings == ["2 of 4 numbered units have no text (2., 4.): a number alone "
                            "on its line"]
    bare = "".join(f"{i}.\n" for i in range(1, 1001))
    with pytest.raises(UserError, match="1000 numbered units and none has text"):
        parse(bare, "es")
    f = tmp_path / "bare.txt"
    f.write_text(bare, encoding="utf-8")
    r = run_cli("clauses", f"{f}@es")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "none has text" in r.stderr
    assert "Traceback" not in r.stderr
    # Headings and parents of sub-units are not bare.
    doc = parse("I. Cooperación\n\n1. Uno.\n\n2. Dos.\n\nII. Comercio\n\n1. Tres.\n", "es")
    assert doc.warnings == []
    doc = parse("Artículo 1\n\n1. Uno.\n\n2. Dos.\n\nArtículo 2\n\nTres.\n", "es")
    assert doc.warnings == []
