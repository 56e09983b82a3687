"""TMX 1.4b and XLIFF 2.0 written from an alignment, read back by other tools."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT
from celac_i18n.align import align_documents
from celac_i18n.align.records import select
from celac_i18n.corpus.refs import load
from celac_i18n.export.codes import lang_codes
from celac_i18n.export.tmx import XML_LANG, to_tmx
from celac_i18n.export.xliff import NS, to_xliff


@pytest.fixture(scope="module")
def four():
    return align_documents([load(f"2022-2024:{lang}") for lang in ("es", "en", "zh", "pt")])


def test_tmx_parsed_back_by_translate_toolkit(four):
    from translate.storage.tmx import tmxfile

    beads = select(four, "clauses")
    data = to_tmx(four, beads, lang_codes())
    store = tmxfile(data, sourcelanguage="es", targetlanguage="zh-CN")
    assert len(store.units) == 112
    first = store.units[0]
    assert first.source == four.beads[4].texts("es")[0]
    assert first.target == four.beads[4].texts("zh")[0]
    pt = tmxfile(data, sourcelanguage="es", targetlanguage="pt-BR")
    assert pt.units[0].target.startswith(four.beads[4].texts("pt")[0][:20])


def test_tmx_header_and_codes(four):
    data = to_tmx(four, four.beads, lang_codes(["zh=zh", "pt=pt"]))
    root = ET.fromstring(data)
    h = root.find("header")
    assert h.get("srclang") == "es" and h.get("datatype") == "plaintext"
    assert h.get("segtype") == "paragraph" and h.get("creationtool") == "celac-i18n"
    props = {p.get("type"): p.text for p in h.findall("prop")}
    assert props["x-signature"] == four.signature
    assert props["x-kind-zh"] == "reference"
    assert "Not official" in h.find("note").text
    langs = {t.get(XML_LANG) for t in root.iter("tuv")}
    assert langs == {"es", "en", "zh", "pt"}
    assert len(root.findall("body/tu")) == len(four.beads)


def test_tmx_omits_empty_languages_and_strips_bad_xml_chars():
    from celac_i18n.align.beads import Alignment, Bead, Segment

    beads = [Bead(1, "clause", {"es": [Segment("p1", "paragraph", "Uno\x0c con 2024.")],
                                "en": [Segment("p1", "paragraph", "One with 2024.")]}, 0.8),
             Bead(2, "clause", {"es": [Segment("p2", "paragraph", "Dos.")], "en": []}, 0.5),
             Bead(3, "clause", {"es": [Segment("p3", "paragraph", "Tres"),
                                       Segment("p4", "paragraph", "y cuatro.")],
                                "en": [Segment("p2", "paragraph", "Three and four.")]}, 0.7)]
    res = Alignment(["es", "en"], "clause", beads, "celac-align:test")
    root = ET.fromstring(to_tmx(res, beads, lang_codes()))     # parses: form feed gone
    tus = root.findall("body/tu")
    assert [len(tu.findall("tuv")) for tu in tus] == [2, 1, 2]
    assert tus[0].find("tuv/seg").text == "Uno con 2024."
    assert tus[2].find("tuv/seg").text == "Tres y cuatro."
    props = {p.get("type"): p.text for p in tus[2].findall("prop")}
    assert props["x-ids-es"] == "p3 p4" and props["x-confidence"] == "0.7000"


def test_xliff_pair(four):
    es_zh = align_documents([load("2022-2024:es"), load("2022-2024:zh")])
    data = to_xliff(es_zh, select(es_zh, "clauses"), lang_codes())
    root = ET.fromstring(data)
    assert root.get("version") == "2.0" and root.get("trgLang") == "zh-CN"
    units = root.findall(f".//{{{NS}}}unit")
    assert len(units) == 112
    seg = units[0].find(f"{{{NS}}}segment")
    assert seg.get("state") == "translated"
    assert seg.find(f"{{{NS}}}target").text == es_zh.beads[4].texts("zh")[0]
    # more than two languages: the target is chosen
    data = to_xliff(four, four.beads, lang_codes(), target="pt")
    assert ET.fromstring(data).get("trgLang") == "pt-BR"


def test_nothing_to_export(four):
    # e.g. --min-confidence 1: XLIFF 2.0 needs a <unit> in a <file>, so that is a user
    # error, not an invalid file; TMX 1.4b allows an empty <body> and stays valid.
    from translate.storage.tmx import tmxfile

    from celac_i18n.align.beads import Alignment, Bead, Segment
    from celac_i18n.errors import UserError

    none = select(four, "all", 1.0)
    assert none == []
    with pytest.raises(UserError, match="no beads to export"):
        to_xliff(four, none, lang_codes(), target="zh")
    data = to_tmx(four, none, lang_codes())
    assert ET.fromstring(data).find("body") is not None
    assert len(tmxfile(data, sourcelanguage="es", targetlanguage="zh-CN").units) == 0
    # a bead with no text in any language is no <tu> (a <tu> needs a <tuv>)
    empty = [Bead(1, "clause", {"es": [Segment("p1", "paragraph", "")], "en": []}, 0.5)]
    res = Alignment(["es", "en"], "clause", empty, "celac-align:test")
    assert ET.fromstring(to_tmx(res, empty, lang_codes())).findall("body/tu") == []
    with pytest.raises(UserError, match="no beads to export"):
        to_xliff(res, empty, lang_codes())


def test_ids_are_clause_ids_that_survive_an_inserted_paragraph(tmp_path):
    """tuid and XLIFF unit ids name clauses, not bead positions: a paragraph added to
    the preamble shifts every bead number but no id; Markdown emphasis is taken off."""

    def ids(extra: str):
        docs = []
        for lang, para in (("es", "Texto añadido al preámbulo."), ("zh", "序言中新增的一段。")):
            src = (ROOT / "tests" / "fixtures" / "structure" / f"plan.{lang}.txt").read_text(
                encoding="utf-8")
            if extra:
                head, _, rest = src.partition("\n\n")
                src = f"{head}\n\n{para}\n\n{rest}"
            if lang == "es":
                src = src.replace("Comercio e Inversión", "*Comercio* e Inversión")
            docs.append(load(str(_write(tmp_path / f"{extra or 'base'}.{lang}.txt", src)) + f"@{lang}"))
        al = align_documents(docs)
        tmx = ET.fromstring(to_tmx(al, al.beads, lang_codes()))
        xlf = ET.fromstring(to_xliff(al, al.beads, lang_codes()))
        segs = [s.text for s in tmx.iter("seg")]
        assert not any("*" in s for s in segs) and any("Comercio e Inversión" in s for s in segs)
        return ([tu.get("tuid") for tu in tmx.iter("tu")],
                [u.get("id") for u in xlf.iter(f"{{{NS}}}unit")])

    base_tmx, base_xlf = ids("")
    more_tmx, more_xlf = ids("more")
    assert "II.1.1" in base_tmx and base_tmx == base_xlf
    assert len(more_tmx) == len(base_tmx) + 1
    assert set(base_tmx) <= set(more_tmx) and set(base_xlf) <= set(more_xlf)


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path
