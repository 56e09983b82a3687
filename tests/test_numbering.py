"""Every numbering style the grammar knows, on small documents written for the test."""

from __future__ import annotations

import pytest

from celac_i18n.errors import UserError
from celac_i18n.parse import parse
from celac_i18n.parse.numbering import match_marker


def ids(doc, *kinds):
    return [u.id for u in doc.of_kind(*kinds)]


def test_roman_chapters_decimal_items_and_sections():
    doc = parse("TÍTULO\n\nI. Uno\n1. a.\n2. b.\nII. Dos\n1. Sección\n- 1.1. x.\n- 1.2 y.\n"
                "2. Otra\n2.1 z.\n", "es")
    assert ids(doc, "chapter") == ["I", "II"]
    assert ids(doc, "section") == ["II.1", "II.2"]
    assert ids(doc, "clause") == ["I.1", "I.2", "II.1.1", "II.1.2", "II.2.1"]
    assert doc["II.1.2"].text == "y."


def test_chinese_numbering_maps_to_the_same_ids():
    zh = ("中国—拉共体行动计划（2022—2024年）\n\n一、政治合作\n\n1．加强交流。\n\n2．扩大合作。\n\n"
          "二、务实合作\n\n（一）贸易和投资\n\n1．促进贸易。\n\n2．2022年至2024年，扩大投资。\n\n"
          "（二）金融\n\n1．深化合作。\n\n三、落实\n\n1．本计划不具排他性。\n")
    doc = parse(zh, "zh")
    assert doc.title.startswith("中国")
    assert ids(doc, "chapter") == ["I", "II", "III"]
    assert ids(doc, "section") == ["II.1", "II.2"]
    assert ids(doc, "clause") == ["I.1", "I.2", "II.1.1", "II.1.2", "II.2.1", "III.1"]
    assert doc["II.1.2"].text.startswith("2022年")


def test_chinese_items_with_parenthesised_numbers():
    doc = parse("一、合作\n（一）科技\n（1）加强。\n（2）促进。\n（二）农业\n（1）扩大。\n", "zh")
    assert ids(doc, "clause") == ["I.1.1", "I.1.2", "I.2.1"]


def test_letters_keep_their_letter_ids():
    """Lists keep letter ids (I.a, II.1.b): a letter is part of the written number."""
    doc = parse("I. Political Cooperation\n(a) Strengthen contacts.\n(b) Explore a summit.\n"
                "II. Economic\n1. Trade\na) Promote trade.\nb) Invest.\n", "en")
    assert ids(doc, "clause") == ["I.a", "I.b", "II.1.a", "II.1.b"]
    assert ids(doc, "section") == ["II.1"]


def test_parenthesis_after_digit():
    doc = parse("I. Uno\n1) primero.\n2) segundo.\n3） tercero.\n", "es")
    assert ids(doc, "clause") == ["I.1", "I.2", "I.3"]


@pytest.mark.parametrize("text,lang", [
    ("Artículo 1o. Objeto\n1. El plan rige.\n2. Se aplica.\nArtículo 2o\nTexto único.\n", "es"),
    ("ARTÍCULO PRIMERO. Objeto\n1. El plan rige.\n2. Se aplica.\nARTÍCULO SEGUNDO\nTexto.\n",
     "es"),
    ("Article 1 - Purpose\n1. The plan applies.\n2. It is flexible.\nArticle 2\nText.\n", "en"),
    ("Artigo 1º - Objeto\n1. O plano aplica-se.\n2. É flexível.\nArtigo 2º\nTexto.\n", "pt"),
    ("第一条 目的\n1．本计划适用。\n2．本计划灵活。\n第二条\n正文。\n", "zh"),
])
def test_article_documents(text, lang):
    doc = parse(text, lang)
    assert ids(doc, "article") == ["art.1", "art.2"]
    assert ids(doc, "item") == ["art.1.1", "art.1.2"]
    # "Artículo 2o" alone on its line: the text under it is its first paragraph.
    assert [u.id for u in doc.clauses()] == ["art.1.1", "art.1.2", "art.2.p1"]


def test_articles_inside_chapters_keep_document_wide_ids():
    doc = parse("Capítulo I\nDisposiciones\nArtículo 1\nUno.\nCapítulo II\nFinal\nArtículo 2\n"
                "Dos.\n", "es")
    assert ids(doc, "chapter") == ["I", "II"]
    assert ids(doc, "article") == ["art.1", "art.2"]
    assert doc["art.2"].parent == "II"


def test_numbered_line_with_sub_items_is_a_section():
    doc = parse("I. Economía\n1. Comercio e Inversión\n1.1. Fortalecer.\n2. Explorar la "
                "cooperación.\n", "es")
    assert doc["I.1"].kind == "section" and doc["I.1"].heading == "Comercio e Inversión"
    assert doc["I.2"].kind == "clause"


def test_hard_wrapped_lines_and_false_markers_are_continuations():
    text = ("I. Uno\n1. La Parte china otorgará becas entre 2022 y\n2024. Con ello se "
            "fortalece la\ncooperación en la Resolución\n1540 (2004) del Consejo.\n"
            "2. Segundo punto.\n")
    doc = parse(text, "es")
    assert ids(doc, "clause") == ["I.1", "I.2"]
    assert doc["I.1"].text == ("La Parte china otorgará becas entre 2022 y 2024. Con ello se "
                               "fortalece la cooperación en la Resolución 1540 (2004) del "
                               "Consejo.")


def test_wrapped_line_starting_with_a_roman_looking_word():
    doc = parse("I. Uno\n1. Se reunieron con\nV. Putin y otros.\n2. Dos.\n", "es")
    assert ids(doc, "chapter") == ["I"]
    assert "V. Putin" in doc["I.1"].text


def test_page_furniture_and_hyphenation():
    text = ("I. Cooperación\n1. Promover el desa-\nrrollo sostenible de la\n\n- 2 -\n\f"
            "Página 3 de 9\nregión.\n2. Dos.\n")
    doc = parse(text, "es")
    assert doc["I.1"].text == "Promover el desarrollo sostenible de la región."
    assert doc["I.1"].joined == 1


def test_chinese_page_break_joins_without_space():
    doc = parse("一、合作\n1．加强双方在\n\n第2页\n\n各领域的合作。\n2．其他。\n", "zh")
    assert doc["I.1"].text == "加强双方在各领域的合作。"


def test_out_of_sequence_numbers_are_kept_with_a_warning():
    doc = parse("I. Uno\n1. a.\n3. c.\n3. d.\n", "es")
    assert ids(doc, "clause") == ["I.1", "I.3", "I.3~2"]
    assert any("out of sequence" in w for w in doc.warnings)
    assert any("duplicate" in w for w in doc.warnings)


def test_paragraph_under_a_chapter_is_not_part_of_its_heading():
    doc = parse("I. Implementación\n\nEste capítulo se aplica a todo.\n\n1. Uno.\n", "es")
    assert doc["I"].heading == "Implementación"
    assert doc["I.p1"].kind == "paragraph"


def test_markdown_heading_and_bold_markers():
    doc = parse("# Plan\n\n## I. Uno\n\n**1.** Primero.\n\n**2.** Segundo.\n", "es")
    assert ids(doc, "clause") == ["I.1", "I.2"]


def test_preamble_and_multi_line_title():
    doc = parse("PLAN DE ACCIÓN CONJUNTO\nCHINA-CELAC (2022-2024)\n\nPrimer párrafo del\n\n"
                "preámbulo, cortado.\n\nSegundo párrafo.\n\nI. Uno\n1. x.\n", "es")
    assert doc.title == "PLAN DE ACCIÓN CONJUNTO CHINA-CELAC (2022-2024)"
    assert [u.text for u in doc.of_kind("preamble")] == ["Primer párrafo del preámbulo, cortado.",
                                                         "Segundo párrafo."]


def test_no_numbering_is_a_user_error():
    with pytest.raises(UserError, match="no numbering found"):
        parse("Solo un párrafo.\n\nY otro más.\n", "es", where="x.txt")
    with pytest.raises(UserError, match="empty"):
        parse("\n \n", "es")


@pytest.mark.parametrize("line,path", [
    ("1.000 becas", None), ("2 millones de", None), ("2024. Con", (2024,)), ("I.6 es", None),
    ("- 10.3. Fortalecer", (10, 3)), ("1．加强", (1,)), ("（十二）标题", (12,)),
    ("第十二条 内容", (12,)), ("Artículo 1.º Objeto", (1,)), ("(c) item", (3,)),
])
def test_marker_recognition(line, path):
    m = match_marker(line)
    assert (m.path if m else None) == path


def test_clause_text_starting_with_a_number():
    doc = parse("I. Uno\n1. Primero.\n2. 5000 becas serán otorgadas.\n3. 1: otro punto.\n", "es")
    assert [u.id for u in doc.clauses()] == ["I.1", "I.2", "I.3"]
    assert doc["I.3"].text == "1: otro punto."


def test_an_extract_starting_at_chapter_two_keeps_its_heading():
    doc = parse("Plan de Acción extracto\n\nII. Cooperación Económica\n\n1. Comercio\n\n"
                "- 1.1. Uno.\n", "es")
    assert ids(doc, "chapter") == ["II"]
    assert doc["II"].heading == "Cooperación Económica"
    assert ids(doc, "section") == ["II.1"]
    assert [u.id for u in doc.clauses()] == ["II.1.1"]
    assert doc.title == "Plan de Acción extracto"


def test_no_line_is_dropped_before_the_structure_opens():
    text = ("Plan\n\nII. Cooperación Económica\n\n1. Comercio\n\n- 1.1. Uno.\n")
    doc = parse(text, "es")
    kept = " ".join(u.text for u in doc.units)
    for word in ("Plan", "Cooperación Económica", "Comercio", "Uno."):
        assert word in kept


def test_unnumbered_section_headings_are_units_not_clause_text():
    """Word's automatic numbering lost (or a web page without numbers): a short line
    between finished clauses, followed by a numbered line, is a heading."""
    text = ("I. Economía\n\nComercio e Inversión\n\n1. Fortalecer el comercio.\n\n"
            "2. Facilitar inversiones.\n\nFinanzas\n\n3. Profundizar la cooperación.\n")
    doc = parse(text, "es")
    assert [(u.id, u.kind) for u in doc.units] == [
        ("I", "chapter"), ("I.h1", "section"), ("I.1", "clause"), ("I.2", "clause"),
        ("I.h2", "section"), ("I.3", "clause")]
    assert doc["I.2"].text == "Facilitar inversiones."
    assert doc["I.h2"].heading == "Finanzas"


def test_a_wrapped_line_after_a_page_break_is_not_a_heading():
    text = ("I. Uno\n1. Primera frase termina aquí.\n\nSegunda frase que sigue en la\n"
            "línea siguiente del mismo párrafo.\n2. Dos.\n")
    doc = parse(text, "es")
    assert [u.id for u in doc.units] == ["I", "I.1", "I.2"]
    assert doc["I.1"].text.endswith("línea siguiente del mismo párrafo.")


def test_full_width_digits_in_clause_text_are_kept_as_written():
    """Full-width digits are read as digits in markers, but the text keeps them."""
    doc = parse("一、合作\n１．在２０２２年加强合作。\n２．A０。\n", "zh")
    assert [u.id for u in doc.clauses()] == ["I.1", "I.2"]
    assert doc["I.1"].text == "在２０２２年加强合作。" and doc["I.2"].text == "A０。"
