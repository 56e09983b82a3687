"""HTML pages → the main text: scripts, styles, navigation and page furniture dropped.

The main container is found by descending from <body> into the child that holds most
of the non-link text, the way readability tools do; block elements become line breaks.
"""

from __future__ import annotations

import re

from ..errors import UserError

_DROP = ("script", "style", "noscript", "template", "iframe", "form", "nav", "header",
         "footer", "aside", "button", "select", "svg", "head")
_FURNITURE = re.compile(r"(^|[\s_-])(nav|menu|breadcrumb|footer|header|sidebar|share|"
                        r"toolbar|banner|cookie|skip|pager|pagination)([\s_-]|$)", re.I)
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "table", "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl",
          "hr", "center", "td", "th", "font"}


def _text_weight(el) -> int:
    """Characters of text in ``el`` that are not link text."""
    total = len("".join(el.itertext()))
    links = sum(len("".join(a.itertext())) for a in el.iter("a"))
    return total - links


def _main_container(body):
    node = body
    while True:
        weight = _text_weight(node)
        best = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if weight and _text_weight(child) >= 0.7 * weight:
                best = child
                break
        if best is None:
            return node
        node = best


def _to_lines(el) -> str:
    out: list[str] = []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag.lower() in _BLOCK
        if block:
            out.append("\n")
        if node.text and tag:
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if block:
            out.append("\n")

    walk(el)
    text = "".join(out)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    lines = [ln.strip() for ln in text.split("\n")]
    # Keep paragraph separation: one blank line between blocks.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def read_html(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    """``encoding``: a charset declared outside the page (HTTP); it beats <meta>."""
    import lxml.html
    from lxml import etree

    from .text import decode

    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.I)
    try:
        if m and not encoding:
            encoding = m.group(1).decode("ascii").lower()
            parser = lxml.html.HTMLParser(encoding=encoding)
            root = lxml.html.document_fromstring(data, parser=parser)
        else:
            # No usable declaration in the page: decode the way text files are
            # (BOM, UTF-8, UTF-16, GB18030, cp1252...) rather than lxml's Latin-1 guess.
            text, encoding = decode(data, where, encoding)
            text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses it in a str
            root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError, LookupError) as e:
        raise UserError(f"{where}: not a readable HTML page ({e})") from None
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
        if marks and _FURNITURE.search(marks) and el.tag not in ("body", "html"):
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    main = _main_container(body)
    text = _to_lines(main)
    # A page title in <h1> outside the main container still belongs to the document.
    h1 = body.find(".//h1")
    if h1 is not None and h1 not in set(main.iter()):
        heading = " ".join("".join(h1.itertext()).split())
        if heading and heading not in text[:500]:
            text = heading + "\n\n" + text
    return text, encoding
