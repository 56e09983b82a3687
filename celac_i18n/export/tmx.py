"""TMX 1.4b: one <tu> per bead, one <tuv xml:lang> per language that has text.

``tuid`` is the bead's clause ids (``II.1.6``), stable when a clause is inserted;
segments are clean text (no Markdown asterisks). The header carries what CAT tools
expect (creationtool, creationtoolversion, segtype, o-tmf, adminlang, srclang,
datatype) and, as props and a note, the alignment's signature and the provenance of
every language (official / reference / machine), so a project-made rendering is
never taken for an official text. No creation date: the committed memory must be
reproducible byte for byte. The written bytes are parsed back before they are
returned.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..align.beads import SENTENCE_LEVEL, Alignment, Bead
from ..align.records import bead_text
from .clean import clean_text
from .ids import unique_keys

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# characters XML 1.0 forbids (C0 controls other than tab/newline/CR, lone surrogates, FFFE/FFFF)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str, replace: str = "") -> str:
    """``text`` without what XML 1.0 cannot hold; a file name's undecodable bytes
    (lone surrogates) or control characters become ``replace``."""
    return _BAD_XML.sub(replace, text)


def _prop(parent, type_: str, text: str) -> None:
    ET.SubElement(parent, "prop", {"type": type_}).text = xml_safe(text, "\ufffd")


def to_tmx(alignment: Alignment, beads: list[Bead], codes: dict[str, str]) -> bytes:
    from ..version import __version__

    langs = alignment.langs
    root = ET.Element("tmx", {"version": "1.4"})
    header = ET.SubElement(root, "header", {
        "creationtool": "celac-i18n", "creationtoolversion": __version__,
        "segtype": "sentence" if alignment.level == SENTENCE_LEVEL else "paragraph",
        "o-tmf": "celac-i18n", "adminlang": "en", "srclang": codes.get(langs[0], langs[0]),
        "datatype": "plaintext"})
    _prop(header, "x-signature", alignment.signature)
    for lang in langs:
        _prop(header, f"x-source-{lang}", str(alignment.sources.get(lang, "")))
        _prop(header, f"x-kind-{lang}", str(alignment.kinds.get(lang) or "unknown"))
        if alignment.hashes.get(lang):     # of the bytes actually read, modified or not
            _prop(header, f"x-sha256-{lang}", alignment.hashes[lang])
    not_official = [lang for lang in langs if alignment.kinds.get(lang) != "official"]
    if not_official:
        ET.SubElement(header, "note").text = "Not official texts: " + ", ".join(
            f"{lang} ({alignment.kinds.get(lang) or 'status unknown'} rendering)"
            for lang in not_official) + "."
    body = ET.SubElement(root, "body")
    # An empty <body> is valid TMX 1.4b (tu*), a <tu> without a <tuv> is not (tuv+).
    for b, key in zip(beads, unique_keys(beads, langs)):
        if not any(bead_text(b, lang) for lang in langs):
            continue
        tu = ET.SubElement(body, "tu", {"tuid": key})
        _prop(tu, "x-confidence", f"{b.confidence:.4f}")
        _prop(tu, "x-kind", b.kind)
        for lang in langs:
            if b.ids(lang):
                _prop(tu, f"x-ids-{lang}", " ".join(b.ids(lang)))
        for lang in langs:
            text = bead_text(b, lang)
            if not text:
                continue  # a 1-0 bead: the language has no segment here
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: codes.get(lang, lang)})
            ET.SubElement(tuv, "seg").text = xml_safe(clean_text(text))
    ET.indent(root, space=" ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    check_tmx(data)
    return data


def check_tmx(data: bytes) -> None:
    """Parse ``data`` back and check the TMX structure (raises ValueError)."""
    root = ET.fromstring(data)
    if root.tag != "tmx" or root.get("version") != "1.4":
        raise ValueError("not a TMX 1.4 document")
    header = root.find("header")
    need = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
            "srclang", "datatype")
    if header is None or any(not header.get(a) for a in need):
        raise ValueError("TMX header lacks a required attribute")
    for tu in root.iterfind("body/tu"):
        tuvs = tu.findall("tuv")
        if not tuvs or any(t.get(XML_LANG) is None or t.find("seg") is None for t in tuvs):
            raise ValueError(f"tu {tu.get('tuid')}: malformed tuv")
