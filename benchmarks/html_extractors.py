"""How much of the document each HTML main-text extractor keeps (issue 27).

Compares the reader (numbered-unit-aware selection over Lexbor), the hand-written
heuristic it replaced (descend into the child holding 70% of the text, lxml), and
well-kept extractors where installed (trafilatura, readability-lxml, resiliparse; the
`bench` extra), on:

- two real pages (tests/fixtures/html/): un.org's UN Charter (English) and a Spanish
  Constitution page; expected = every paragraph, list item and heading of the page's
  text container;
- the 2022-2024 plan (es official, zh and en references) rendered as HTML in shapes
  real sites use: a ministry page with menus, breadcrumb, sidebar and footer (one
  <p> per paragraph), the clauses as table rows, and that page nested 300 <div>s deep
  (past libxml2's limit of 256); expected = every unit the parser finds in the text.

A unit is kept when its text (first 60 characters, whitespace ignored) is in the
extracted text. "Furniture" is the characters of menu/footer/sidebar text that came
through. Results go to stdout as markdown rows (BENCHMARKS.md, "Reading HTML").

    .venv/bin/python benchmarks/html_extractors.py
"""

from __future__ import annotations

import html as htmllib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIX = ROOT / "tests" / "fixtures" / "html"
PLAN = ROOT / "corpora" / "2022-2024"


def fold(s: str) -> str:
    return " ".join(s.split())


# ---------------------------------------------------------------- extractors

def ours(page: str) -> str:
    from celac_i18n.ingest.html import read_html

    return read_html(page.encode("utf-8"), "bench")[0]


def old_heuristic(page: str) -> str:
    """The reader before issue 27 (celac_i18n/ingest/html.py at 9a112fe), unchanged
    but for decoding: drop furniture by tag/class, then descend into any child holding
    70% of the non-link text."""
    import lxml.html
    from lxml import etree

    drop = ("script", "style", "noscript", "template", "iframe", "form", "nav", "header",
            "footer", "aside", "button", "select", "svg", "head")
    furniture = re.compile(r"(^|[\s_-])(nav|menu|breadcrumb|footer|header|sidebar|share|"
                           r"toolbar|banner|cookie|skip|pager|pagination)([\s_-]|$)", re.I)
    block = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
             "table", "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl",
             "hr", "center", "td", "th", "font"}

    def weight(el) -> int:
        return len("".join(el.itertext())) - sum(len("".join(a.itertext()))
                                                  for a in el.iter("a"))
    try:
        root = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter(*drop)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
        if marks and furniture.search(marks) and el.tag not in ("body", "html"):
            el.drop_tree()
    body = root.find("body")
    node = root if body is None else body
    while True:
        w = weight(node)
        nxt = next((c for c in node if isinstance(c.tag, str) and w
                    and weight(c) >= 0.7 * w), None)
        if nxt is None:
            break
        node = nxt
    out: list[str] = []
    stack = [(node, False)]
    while stack:                       # iterative: the deep page would recurse too far
        el, done = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if done:
            if tag in block:
                out.append("\n")
            if el.tail:
                out.append(el.tail)
            continue
        if tag in block:
            out.append("\n")
        if el.text and tag:
            out.append(el.text)
        stack.append((el, True))
        stack.extend((c, False) for c in reversed(el))
    if out and node.tail:
        out.pop()                      # the container's own tail is outside it
    return "".join(out)


def trafilatura_(page: str, recall: bool = False) -> str:
    import trafilatura

    return trafilatura.extract(page, include_tables=True, include_comments=False,
                               favor_recall=recall, deduplicate=False) or ""


def readability_(page: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(page).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def resiliparse_(page: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(page), main_content=True,
                              preserve_formatting=True)


EXTRACTORS = [("this reader", ours), ("previous heuristic", old_heuristic),
              ("trafilatura", trafilatura_),
              ("trafilatura (favor_recall)", lambda p: trafilatura_(p, True)),
              ("readability-lxml", readability_), ("resiliparse (main_content)", resiliparse_)]


def available():
    for name, fn in EXTRACTORS:
        try:
            fn("<html><body><p>1. x</p></body></html>")
        except ImportError:
            yield name, None
        else:
            yield name, fn


# ---------------------------------------------------------------- pages

def real_pages():
    """(name, html, expected texts, furniture texts) for the saved pages."""
    from selectolax.lexbor import LexborHTMLParser

    for name, container in (("un.org UN Charter (en)", "div.field-item"),
                            ("Spanish Constitution page (es)", "div.estatutos")):
        path = FIX / ("un-charter.en.html" if "un.org" in name else "constitucion-es.es.html")
        page = path.read_text(encoding="utf-8")
        tree = LexborHTMLParser(page)
        box = tree.css_first(container)
        expected = [fold(n.text()) for n in box.css("p, li, h2, h3, h4") if fold(n.text())
                    and not (n.tag == "li" and n.css_first("p") is not None)]
        inside = fold(box.text())
        outside = [fold(n.text(deep=False)) for n in tree.body.traverse()
                   if n.tag in ("a", "span", "h2", "h4", "li", "p")]
        furniture = sorted({t for t in outside if len(t) >= 8 and t not in inside})
        yield name, page, expected, furniture


SITE_TOP = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title}</title><script>var _hmt = _hmt || [];</script></head><body>
<div class="top"><div class="logo"><a href="/">{site}</a></div>
<ul class="menu">{menu}</ul></div>
<div class="breadcrumb"><a href="/">{home}</a> &gt; <a href="/a/">{news}</a></div>
<div class="main"><div class="left">"""
SITE_BOTTOM = """</div><div class="right"><h3>{related}</h3><ul>{links}</ul></div></div>
<div class="footer"><p>{copy}</p><p><a href="/contact">{contact}</a></p></div>
</body></html>"""
WORDS = {"es": ("Ministerio de Relaciones Exteriores", "Inicio", "Noticias",
                "Artículos relacionados", "Todos los derechos reservados", "Contacto"),
         "en": ("Ministry of Foreign Affairs", "Home", "News", "Related articles",
                "All rights reserved", "Contact us"),
         "zh": ("中华人民共和国外交部", "首页", "外交动态", "相关新闻", "版权所有", "联系我们")}


def paragraphs(text: str) -> list[str]:
    """One <p> per line of the corpus text (its lines are paragraphs, a few of them
    wrapped in two: such a unit starts in one <p> and goes on in the next)."""
    return [fold(p) for p in text.splitlines() if fold(p)]


def site_page(lang: str, paras: list[str], title: str) -> str:
    site, home, news, related, copy, contact = WORDS[lang]
    menu = "".join(f'<li><a href="/m{i}">{home} {i}</a></li>' for i in range(1, 9))
    links = "".join(f'<li><a href="/n{i}">{news} {i}: {title[:30]}</a></li>'
                    for i in range(1, 6))
    body = f"<h1>{htmllib.escape(paras[0])}</h1><div class=\"info\">2021-12-03</div>" + \
        "".join(f"<p>{htmllib.escape(p)}</p>" for p in paras[1:])
    return (SITE_TOP.format(lang=lang, title=title, site=site, menu=menu, home=home,
                            news=news) + body
            + SITE_BOTTOM.format(related=related, links=links, copy=f"© 2021 {site}. {copy}.",
                                 contact=contact))


def table_page(lang: str, paras: list[str], title: str) -> str:
    from celac_i18n.parse.numbering import match_marker

    rows = []
    for p in paras[1:]:
        m = match_marker(p)
        if m is not None and m.rest and len(p) > len(m.rest):
            num = p[: len(p) - len(m.rest)].strip()
            rows.append(f"<tr><td>{htmllib.escape(num)}</td><td>{htmllib.escape(m.rest)}</td></tr>")
        else:
            rows.append(f'<tr><td colspan="2">{htmllib.escape(p)}</td></tr>')
    page = site_page(lang, paras[:1], title)
    return page.replace('<div class="info">2021-12-03</div>',
                        '<div class="info">2021-12-03</div><table>' + "".join(rows) + "</table>")


def plan_pages():
    from celac_i18n.parse import parse

    for lang, file in (("es", "es.official.txt"), ("zh", "zh.reference.txt"),
                       ("en", "en.reference.txt")):
        text = (PLAN / file).read_text(encoding="utf-8")
        paras = paragraphs(text)
        doc = parse(text, lang)
        expected = [fold(u.text) for u in doc.units if u.text]
        furniture = [WORDS[lang][3], WORDS[lang][4], f"{WORDS[lang][2]} 1"]
        title = paras[0][:40]
        page = site_page(lang, paras, title)
        yield f"plan {lang}: ministry page", page, expected, furniture
        if lang != "en":
            yield f"plan {lang}: clauses in table rows", table_page(lang, paras, title), \
                expected, furniture
        if lang == "es":
            # Issue 27's case: a page whose one clause is far longer than the rest (here
            # the plan's chapter I, its clause 5 written 30 times over).
            end = next(i for i, p in enumerate(paras) if p.startswith("II."))
            long = paras[:end]
            at = next(i for i, p in enumerate(long) if p.startswith("5."))
            long[at] = long[at] + (" " + long[at].split(" ", 1)[1]) * 29
            want = [fold(u.text) for u in parse("\n\n".join(long), lang).units if u.text]
            yield f"plan {lang} ch. I, clause 5 30× longer: <p>s", \
                site_page(lang, long, title), want, furniture
            yield f"plan {lang} ch. I, clause 5 30× longer: table rows", \
                table_page(lang, long, title), want, furniture
            deep = page.replace('<div class="left">', '<div class="left">' + "<div>" * 300)
            deep = deep.replace('</div><div class="right">',
                                "</div>" * 300 + '</div><div class="right">')
            yield f"plan {lang}: page 300 <div>s deep", deep, expected, furniture


def kept(expected: list[str], out: str) -> int:
    # Whitespace removed on both sides: extractors differ in where they put it (a <br>,
    # the space between an <ol> number and its text), not in the words they keep.
    got = "".join(out.split())
    return sum(1 for e in expected if "".join(e.split())[:60] in got)


def leaked(furniture: list[str], out: str) -> int:
    got = fold(out)
    return sum(len(f) for f in furniture if f in got)


def main() -> None:
    extractors = list(available())
    missing = [n for n, f in extractors if f is None]
    if missing:
        print(f"# not installed (pip install -e '.[bench]'): {', '.join(missing)}",
              file=sys.stderr)
    names = [n for n, f in extractors if f is not None]
    print("| page | expected units | " + " | ".join(names) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in names) + " |")
    times: dict[str, float] = {n: 0.0 for n in names}
    for page_name, page, expected, furniture in [*real_pages(), *plan_pages()]:
        cells = []
        for name, fn in extractors:
            if fn is None:
                continue
            t = time.perf_counter()
            try:
                out = fn(page)
            except Exception as e:  # noqa: BLE001 - an extractor failing is a result
                out = ""
                print(f"# {name} on {page_name}: {type(e).__name__}: {e}", file=sys.stderr)
            times[name] += time.perf_counter() - t
            k = kept(expected, out)
            mark = "" if k == len(expected) else " ✗"
            cells.append(f"{k}{mark} (+{leaked(furniture, out)})")
        print(f"| {page_name} | {len(expected)} | " + " | ".join(cells) + " |")
    print("| total time (s) | | " + " | ".join(f"{times[n]:.2f}" for n in names) + " |")


if __name__ == "__main__":
    main()
