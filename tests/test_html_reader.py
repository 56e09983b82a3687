"""The HTML reader keeps the numbered document whole (issue 27) and reads deep pages
(issue 26): real pages, the cases that lost clauses, page shapes built from a
document's units (property test), deep nesting, and what is said when text is left out."""

from __future__ import annotations

import html as htmllib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from celac_i18n.errors import UserError
from celac_i18n.ingest import read_bytes, read_path
from celac_i18n.parse import parse
from conftest import run_cli

FIX = Path(__file__).parent / "fixtures" / "html"


def read(page: str, lang: str = "es"):
    text, prov = read_bytes(page.encode("utf-8"), "page.html", ".html")
    return parse(text, lang, prov), text, prov


def fold(s: str) -> str:
    return " ".join(s.split())


# ------------------------------------------------------------------ issue 27's cases

def test_sibling_paragraphs_both_clauses():
    doc, _, prov = read("<p>1. Hola mundo texto</p><p>2. Adios</p>")
    assert [(u.id, u.text) for u in doc.units] == [("1", "Hola mundo texto"), ("2", "Adios")]
    assert "left_out" not in prov.extra["html"]


LONG = "Texto de la cláusula que se extiende mucho más que las demás. " * 80


@pytest.mark.parametrize("shape", ["rows", "paragraphs", "divs"])
def test_one_clause_far_longer_than_the_rest_loses_nothing(shape, capsys):
    texts = [f"Cláusula número {i} del plan." if i != 5 else LONG.strip() for i in range(1, 10)]
    if shape == "rows":
        body = "<table>" + "".join(f"<tr><td>{i}.</td><td>{t}</td></tr>"
                                   for i, t in enumerate(texts, 1)) + "</table>"
    elif shape == "paragraphs":
        body = "".join(f"<p>{i}. {t}</p>" for i, t in enumerate(texts, 1))
    else:
        body = "".join(f"<div><div class='x'>{i}. {t}</div></div>" for i, t in enumerate(texts, 1))
    page = (f"<html><body><nav><a href='/'>Inicio</a> <a href='/p'>Prensa</a></nav>"
            f"<div id='c'><h1>Plan de Acción</h1>{body}</div>"
            f"<footer>© 2022 Ministerio</footer></body></html>")
    doc, _, prov = read(page)
    assert [u.id for u in doc.clauses()] == [str(i) for i in range(1, 10)]
    assert [fold(u.text) for u in doc.clauses()] == texts
    assert doc.title == "Plan de Acción"
    left = prov.extra["html"]["left_out"]
    assert left["navigation"]["blocks"] == 1 and left["page footer"]["chars"] == len(
        "© 2022 Ministerio")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "page.html: left out" in err and "9 numbered blocks" in err


# ------------------------------------------------------------------ real pages

def test_un_charter_page_un_org(capsys):
    """un.org's page: the Charter whole (its <ol> paragraphs numbered as shown), the
    site's brand bar, menus, share widget and footers left out and counted."""
    from selectolax.lexbor import LexborHTMLParser

    path = FIX / "un-charter.en.html"
    text, prov = read_path(path)
    doc = parse(text, "en", prov)
    ids = [u.id for u in doc.units]
    for uid in ("I", "II", "III", "XIX", "art.1", "art.1.4", "art.2.7", "art.4.2", "art.7.2",
                "art.110.4", "art.111"):
        assert uid in ids, uid
    assert doc.title == "United Nations Charter (full text)"
    assert doc["art.2.1"].text == ("The Organization is based on the principle of the "
                                   "sovereign equality of all its Members.")
    # Every paragraph, item and heading of the page's text container is in the text.
    box = LexborHTMLParser(path.read_text(encoding="utf-8")).css_first("div.field-item")
    got = "".join(text.split())
    for node in box.css("p, li, h2, h3"):
        assert "".join(node.text().split()) in got, node.text()[:60]
    for furniture in ("Skip to main content", "Welcome to the United Nations", "Main Bodies",
                      "Terms of Use", "A-Z Site Index", "Peace and Security", "Donate"):
        assert furniture not in text
    info = prov.extra["html"]
    assert info["left_out"]["navigation"]["blocks"] >= 30
    assert info["left_out_chars"] == sum(v["chars"] for v in info["left_out"].values())
    assert info["parser"].startswith("lexbor")
    err = capsys.readouterr().err
    assert f"left out {info['left_out_chars']:,} characters" in err


def test_spanish_constitution_page():
    text, prov = read_path(FIX / "constitucion-es.es.html")
    doc = parse(text, "es", prov)
    arts = [u.id for u in doc.of_kind("article")]
    assert arts == [f"art.{n}" for n in (*range(1, 17), 20)]
    # <ol type="a"> items get the letters a browser shows, so they are units.
    assert [u.id for u in doc.units if u.parent == "art.20.1"] == [
        "art.20.1.a", "art.20.1.b", "art.20.1.c", "art.20.1.d"]
    assert doc["art.20.1.c"].text == "A la libertad de cátedra."
    assert doc["art.5.p1"].text == "La capital del Estado es la Villa de Madrid."
    assert "Últimas noticias" not in text and "Goleadores" not in text
    assert prov.extra["html"]["left_out_blocks"] >= 5


# ------------------------------------------------------------------ deep pages (issue 26)

@pytest.mark.parametrize("depth", [300, 1000, 20000])
def test_deep_page_is_read(depth):
    page = ("<html><body>" + "<div>" * depth + "<p>1. Hola mundo.</p><p>2. Adiós.</p>"
            + "</div>" * depth + "</body></html>")
    t = time.perf_counter()
    doc, _, prov = read(page)
    assert time.perf_counter() - t < 10
    assert [(u.id, u.text) for u in doc.units] == [("1", "Hola mundo."), ("2", "Adiós.")]
    assert ("unwrapped_deep_tags" in prov.extra["html"]) == (depth > 5000)


def test_deep_unclosed_inline_tags_keep_their_text():
    page = "<html><body><p>1. " + "<b>" * 3000 + "texto" + "</b>" * 3000 + ".</p></body></html>"
    doc, _, _ = read(page)
    assert doc["1"].text == "texto."


# ------------------------------------------------------------------ lists, tables, links

def test_ordered_lists_written_as_browsers_number_them():
    page = """<h2>Artículo 1</h2><ol start="3"><li>Tercero.</li><li value="7">Séptimo.</li>
    <li>Octavo.</li></ol><h2>Artículo 2</h2><ol type="a"><li>Uno.</li><li>Dos.</li></ol>
    <h2>Artículo 3</h2><ol><li>1. Ya numerado.</li></ol><ul><li>Viñeta.</li></ul>"""
    doc, text, _ = read(page)
    assert "3. Tercero." in text and "7. Séptimo." in text and "8. Octavo." in text
    assert "a) Uno." in text and "b) Dos." in text
    assert "1. Ya numerado." in text and "1. 1." not in text
    assert "Viñeta." in text
    assert doc["art.2.a"].text == "Uno."


def test_table_row_cells_are_one_line_and_back_to_top_links_dropped():
    page = """<table><tr><td>I.</td><td>Cooperación Política</td></tr>
    <tr><td>1.</td><td>Fortalecer <a href="/ley">la ley</a>.</td></tr>
    <tr><td colspan=2><a href="#top">Volver arriba</a></td></tr>
    <tr><td>2.</td><td>Explorar.</td></tr></table>"""
    doc, text, prov = read(page)
    assert [(u.id, u.text) for u in doc.clauses()] == [("I.1", "Fortalecer la ley."),
                                                         ("I.2", "Explorar.")]
    assert "Volver arriba" not in text
    assert prov.extra["html"]["left_out"] == {"in-page links": {"blocks": 1, "chars": 13}}


def test_numbered_table_of_contents_in_navigation_does_not_duplicate_units():
    toc = "".join(f"<li><a href='#a{i}'>Artículo {i}</a></li>" for i in (1, 2))
    page = (f"<aside><ul>{toc}</ul></aside><main><h1>Ley</h1>"
            "<p>Artículo 1. Primero.</p><p>Artículo 2. Segundo.</p></main>")
    doc, text, _ = read(page)
    assert [u.id for u in doc.of_kind("article")] == ["art.1", "art.2"]
    assert text.count("Artículo 1") == 1


def test_article_header_and_aspnet_form_are_content():
    """An <article>'s own <header> holds its heading; a page wrapped whole in a <form>
    (ASP.NET) is read, not dropped."""
    page = """<form id="aspnetForm"><div class="menu"><a href="/">Inicio</a></div>
    <article><header><h2>Capítulo I</h2></header><p>1. Primero.</p>
    <p>2. Segundo.</p></article></form>"""
    doc, text, _ = read(page)
    assert "Capítulo I" in text and [u.id for u in doc.clauses()] == ["I.1", "I.2"]
    assert "Inicio" not in text


def test_page_without_numbering_keeps_every_paragraph():
    page = ("<nav><a href='/'>Inicio</a></nav><p>Primer párrafo del texto.</p>"
            "<p>Segundo párrafo, mucho más largo. " * 20 + "</p><footer>Pie</footer>")
    body, prov = read_bytes(page.encode(), "p.html", ".html")
    assert "Primer párrafo del texto." in body and body.count("Segundo párrafo") == 20
    assert "Inicio" not in body and "Pie" not in body
    assert "no numbering" in prov.extra["html"]["note"]


def test_pages_without_document_text_are_refused_with_the_reason():
    with pytest.raises(UserError, match=r"only page furniture \(6 characters in 1 block "
                                        r"\(navigation 6 in 1\)\)"):
        read_bytes(b"<html><body><nav><a href='/'>Inicio</a></nav></body></html>",
                   "p.html", ".html")
    with pytest.raises(UserError, match="no text outside scripts and styles"):
        read_bytes(b"<html><body><div id='app'></div><script>render('1. x')</script>"
                   b"</body></html>", "p.html", ".html")


# ------------------------------------------------------------------ property test

WORDS = ["cooperación", "desarrollo", "comercio", "inversión", "energía", "ciencia",
         "cultura", "agricultura", "salud", "educación", "juventud", "turismo"]
unit_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(
    lambda ws: (" ".join(ws)).capitalize() + ".")


ROMAN = ["I", "II", "III"]
HEADINGS = ["Cooperación política", "Comercio e inversión", "Cultura y turismo"]


def _lengthen(chapters: list[list[str]], long_at: int | None) -> list[list[str]]:
    """The unit at ``long_at`` (counted over all chapters) written 60 times over."""
    chapters = [list(c) for c in chapters]
    if long_at is not None:
        flat = [(c, i) for c, ch in enumerate(chapters) for i in range(len(ch))]
        c, i = flat[long_at % len(flat)]
        chapters[c][i] = " ".join([chapters[c][i][:-1]] * 60) + "."
    return chapters


def _units(shape: str, texts: list[str]) -> str:
    esc = [htmllib.escape(t) for t in texts]
    if shape == "paragraphs":
        return "".join(f"<p>{i}. {t}</p>" for i, t in enumerate(esc, 1))
    if shape == "list":
        return "<ol>" + "".join(f"<li>{t}</li>" for t in esc) + "</ol>"
    if shape == "table":
        return "<table>" + "".join(f"<tr><td>{i}.</td><td>{t}</td></tr>"
                                   for i, t in enumerate(esc, 1)) + "</table>"
    # nested divs, each unit at its own depth
    return "".join("<div>" * (1 + i % 4) + f"{i}. {t}" + "</div>" * (1 + i % 4)
                   for i, t in enumerate(esc, 1))


def _page(chapters: list[list[str]], shape: str, nest: int) -> str:
    body = "".join(f"<h2>{ROMAN[c]}. {HEADINGS[c]}</h2>" + _units(shape, texts)
                   for c, texts in enumerate(chapters))
    body = "<div class='content'>" * nest + body + "</div>" * nest
    menu = "".join(f"<li><a href='/s{i}'>Sección {i}</a></li>" for i in range(1, 6))
    return (f"<html><head><title>t</title><script>var x='1. menu';</script></head><body>"
            f"<header class='top'><a href='/'>Ministerio</a><ul class='menu'>{menu}</ul>"
            f"</header><nav><a href='#'>Inicio</a> | <a href='/x'>Noticias</a></nav>"
            f"<div class='breadcrumb'><a href='/'>Inicio</a> &gt; Plan</div>"
            f"<div id='main'><h1>Plan de acción conjunto</h1>{body}</div>"
            f"<aside><h3>Relacionados</h3><ul>{menu}</ul></aside>"
            f"<footer><p>© Ministerio. Todos los derechos reservados.</p></footer>"
            f"</body></html>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chapters=st.lists(st.lists(unit_text, min_size=1, max_size=6), min_size=1, max_size=3),
       shape=st.sampled_from(["paragraphs", "list", "table", "divs"]),
       long_at=st.none() | st.integers(0, 17), nest=st.integers(0, 300))
def test_every_unit_comes_back_whatever_the_page_shape(chapters, shape, long_at, nest):
    """Chapters (an <h2> each) of numbered units as paragraphs, an <ol>, table rows or
    nested <div>s, maybe one unit 60 times longer than the rest, the whole maybe 300
    <div>s deep, inside a page with a header, menus, breadcrumb, sidebar and footer:
    every heading and unit comes back with its text, and no furniture does."""
    chapters = _lengthen(chapters, long_at)
    doc, text, prov = read(_page(chapters, shape, nest))
    want = [(f"{ROMAN[c]}.{i}", t) for c, texts in enumerate(chapters)
            for i, t in enumerate(texts, 1)]
    assert [(u.id, fold(u.text)) for u in doc.clauses()] == want
    assert [(u.id, u.heading) for u in doc.of_kind("chapter")] == [
        (ROMAN[c], HEADINGS[c]) for c in range(len(chapters))]
    assert doc.title == "Plan de acción conjunto"
    for furniture in ("Ministerio", "Sección 1", "Relacionados", "derechos reservados",
                      "Noticias", "1. menu"):
        assert furniture not in text
    assert prov.extra["html"]["left_out_chars"] > 0


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv1.pol-ná中\n&;#")), max_size=300))
def test_arbitrary_markup_never_crashes(s):
    try:
        text, _ = read_bytes(("<html>" + s).encode("utf-8"), "x.html", ".html")
    except UserError:
        return
    assert text.strip()


# ------------------------------------------------------------------ the command line

def test_cli_says_what_was_left_out(tmp_path):
    page = tmp_path / "plan.html"
    page.write_text("<html><body><nav><a href='/'>Inicio</a><a href='/b'>Buscar</a></nav>"
                    "<h1>Plan</h1><p>I. Cooperación Política</p><p>1. Fortalecer.</p>"
                    "<p>2. Explorar.</p><footer>© 2022</footer></body></html>",
                    encoding="utf-8")
    r = run_cli("clauses", f"{page}@es", "--format", "tsv")
    assert r.returncode == 0, r.stderr
    assert "I.1\t" in r.stdout and "I.2\t" in r.stdout
    lines = [ln for ln in r.stderr.splitlines() if "left out" in ln]
    assert len(lines) == 1 and "characters in 2 blocks" in lines[0]


def test_corpus_import_of_a_page_records_what_was_left_out(corpus_copy, tmp_path):
    import tomllib

    src = tmp_path / "plan-2019.html"
    src.write_text("<html><body><div class='menu'><a href='/'>Home</a> <a href='/n'>News</a>"
                   "</div><h1>CHINA AND CELAC JOINT PLAN OF ACTION (2019-2021)</h1>"
                   "<p>I. Political and Security Cooperation</p>"
                   "<p>1. Strengthen high-level contacts.</p><p>2. Hold the Forum.</p>"
                   "<footer>Copyright 2019</footer></body></html>", encoding="utf-8")
    r = run_cli("corpus", "import", str(src), "--plan", "2019-2021", "--lang", "en",
                "--kind", "official", env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 0, r.stderr
    assert "left out 23 characters in 2 blocks" in r.stderr
    m = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    entry = next(d for d in m["document"] if (d["plan"], d["lang"]) == ("2019-2021", "en"))
    assert entry["imported"]["left_out"] == {"navigation": {"blocks": 1, "chars": 9},
                                             "page footer": {"blocks": 1, "chars": 14}}
    stored = (corpus_copy / "2019-2021" / "en.official.txt").read_text(encoding="utf-8")
    assert "Home" not in stored and "2. Hold the Forum." in stored


def test_units_that_are_all_links_are_still_the_document():
    page = ("<nav><a href='/'>Inicio</a></nav>"
            + "".join(f"<p><a href='/c{i}'>{i}. Cláusula {i}.</a></p>" for i in (1, 2, 3)))
    doc, text, _ = read(page)
    assert [u.id for u in doc.clauses()] == ["1", "2", "3"] and "Inicio" not in text


def test_long_sloppy_table_keeps_its_rows():
    """Old pages leave <tr>/<td> unclosed; 6,000 of them are rows, not one deep nest."""
    page = "<table>" + "".join(f"<tr><td>{i}.<td>Cláusula {i}." for i in range(1, 6001))
    doc, _, prov = read(page + "</table>")
    assert len(doc.clauses()) == 6000 and doc["5999"].text == "Cláusula 5999."
    assert "unwrapped_deep_tags" not in prov.extra["html"]


def test_section_header_is_content_and_logo_h1_is_not_the_title():
    page = """<header role="banner"><h1 class="logo"><a href="/">Ministerio</a></h1></header>
    <h1>Convenio de cooperación</h1><section><header><h2>Preámbulo</h2></header>
    <p>Las Partes acuerdan lo siguiente.</p></section>
    <section><header><h2>Capítulo I</h2></header><p>1. Primero.</p><p>2. Segundo.</p>
    </section>"""
    doc, text, _ = read(page)
    assert doc.title == "Convenio de cooperación" and "Ministerio" not in text
    assert "Preámbulo" in text and [u.id for u in doc.clauses()] == ["I.1", "I.2"]
