"""XLIFF 2.0 for one language pair: a <unit> per bead, one <segment> each.

Targets are existing renderings, so a segment with a target is ``state="translated"``
(never "final" or "reviewed": nobody signed it off); a bead with no target text gets
no <target> and ``state="initial"``. Unit ids are the bead's clause ids (``II.1.6``,
stable when a clause is inserted); text is clean (no Markdown asterisks). Confidence,
ids and the signature travel as notes. The review workspace (``celac_i18n.review``)
writes states that follow reviewers' decisions, and XLIFF 1.2.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..align.beads import Alignment, Bead
from ..align.records import bead_text
from ..errors import UserError
from .clean import clean_text
from .ids import nmtoken, unique_keys
from .tmx import xml_safe

NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def to_xliff(alignment: Alignment, beads: list[Bead], codes: dict[str, str],
             target: str | None = None) -> bytes:
    src = alignment.pivot
    others = alignment.langs[1:]
    if target is None:
        if len(others) != 1:
            raise UserError("XLIFF holds one language pair: choose it with --target "
                            f"({', '.join(others)})")
        target = others[0]
    if target not in others:
        raise UserError(f"--target {target}: not among the aligned languages "
                        f"({', '.join(others)})")
    ET.register_namespace("", NS)
    q = lambda tag: f"{{{NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("xliff"), {"version": "2.0", "srcLang": codes.get(src, src),
                                   "trgLang": codes.get(target, target)})
    f = ET.SubElement(root, q("file"), {"id": "f1", "original": xml_safe(str(alignment.sources.get(src, src)), "\ufffd")})
    notes = ET.SubElement(f, q("notes"))
    ET.SubElement(notes, q("note"), {"id": "signature", "category": "celac-i18n"}).text = \
        xml_safe(alignment.signature, "\ufffd")
    ET.SubElement(notes, q("note"), {"id": "provenance", "category": "celac-i18n"}).text = \
        xml_safe("; ".join(f"{lang}: {alignment.sources.get(lang, '')} "
                           f"({alignment.kinds.get(lang) or 'unknown status'}"
                           + (f", sha256 {alignment.hashes[lang]}" if alignment.hashes.get(lang)
                              else "") + ")"
                           for lang in (src, target)), "\ufffd")
    for b, key in zip(beads, unique_keys(beads, alignment.langs)):
        s_text, t_text = clean_text(bead_text(b, src)), clean_text(bead_text(b, target))
        if not s_text and not t_text:
            continue
        unit = ET.SubElement(f, q("unit"), unit_attrs(key))
        un = ET.SubElement(unit, q("notes"))
        ET.SubElement(un, q("note"), {"category": "confidence"}).text = f"{b.confidence:.4f}"
        ET.SubElement(un, q("note"), {"category": "ids"}).text = \
            f"{src}: {' '.join(b.ids(src)) or '-'} | {target}: {' '.join(b.ids(target)) or '-'}"
        seg = ET.SubElement(unit, q("segment"), {"id": "s1",
                                                 "state": "translated" if t_text else "initial"})
        ET.SubElement(seg, q("source"), {XML_SPACE: "preserve"}).text = xml_safe(s_text)
        if t_text:
            ET.SubElement(seg, q("target"), {XML_SPACE: "preserve"}).text = xml_safe(t_text)
    if f.find(q("unit")) is None:
        # XLIFF 2.0 requires at least one <unit> in a <file>
        raise UserError("no beads to export (check --units/--min-confidence)")
    ET.indent(root, space=" ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    check_xliff(data)
    return data


def unit_attrs(key: str) -> dict:
    """A <unit>'s id (an NMTOKEN: ``I.5#s2`` is written ``I.5·23·s2``) and, where that
    is not the key itself, the key as its ``name``."""
    token = nmtoken(key)
    return {"id": token} if token == key else {"id": token, "name": key}


def check_xliff(data: bytes) -> None:
    root = ET.fromstring(data)
    if root.tag != f"{{{NS}}}xliff" or root.get("version") != "2.0" or not root.get("srcLang"):
        raise ValueError("not an XLIFF 2.0 document")
    files = root.findall(f"{{{NS}}}file")
    if not files or any(f.find(f"{{{NS}}}unit") is None for f in files):
        raise ValueError("an XLIFF 2.0 <file> needs at least one <unit>")
    ids = set()
    for unit in root.iter(f"{{{NS}}}unit"):
        if unit.get("id") in ids:
            raise ValueError(f"duplicate unit id {unit.get('id')}")
        ids.add(unit.get("id"))
        for seg in unit.iter(f"{{{NS}}}segment"):
            if seg.find(f"{{{NS}}}source") is None:
                raise ValueError(f"unit {unit.get('id')}: segment without source")
