"""The parser on the shipped 2022-2024 Spanish plan: the structure the issue pins down."""

from __future__ import annotations

import json
import re

from conftest import run_cli

CHAPTERS = ["I", "II", "III", "IV", "V", "VI", "VII"]
SECTIONS = [f"II.{i}" for i in range(1, 11)] + [f"IV.{i}" for i in range(1, 7)]
SECTION_SIZES = {"II.1": 6, "II.2": 3, "II.3": 8, "II.4": 5, "II.5": 4, "II.6": 6, "II.7": 7,
                 "II.8": 3, "II.9": 3, "II.10": 3, "IV.1": 7, "IV.2": 4, "IV.3": 8, "IV.4": 5,
                 "IV.5": 3, "IV.6": 3}
FLAT = {"I": 9, "III": 5, "V": 11, "VI": 6, "VII": 3}


def expected_clause_ids() -> list[str]:
    ids: list[str] = []
    for chap in CHAPTERS:
        if chap in FLAT:
            ids += [f"{chap}.{n}" for n in range(1, FLAT[chap] + 1)]
        else:
            for sec, size in SECTION_SIZES.items():
                if sec.split(".")[0] == chap:
                    ids += [f"{sec}.{n}" for n in range(1, size + 1)]
    return ids


def test_structure_of_the_seed(es_doc):
    assert len(expected_clause_ids()) == 112
    assert [u.id for u in es_doc.of_kind("clause")] == expected_clause_ids()
    assert [u.id for u in es_doc.of_kind("section")] == SECTIONS
    assert [u.id for u in es_doc.of_kind("chapter")] == CHAPTERS
    assert es_doc.title.startswith("PLAN DE ACCIÓN CONJUNTO")
    assert [u.id for u in es_doc.of_kind("preamble")] == ["preamble.1", "preamble.2"]
    assert es_doc.warnings == []


def test_headings_and_numbers_as_written(es_doc):
    assert es_doc["II.1"].heading == "Comercio e Inversión"
    assert es_doc["II.1"].number == "1."
    assert es_doc["II.1.6"].number == "- 1.6."
    assert es_doc["II.2.1"].number == "- 2.1"      # written without the final dot
    assert es_doc["VII"].heading == "Implementación"


def test_page_breaks_are_joined(es_doc):
    i6 = es_doc["I.6"]
    assert i6.text.endswith("presentada por China.")
    assert "asistencia legal para el ciberdelito;" in i6.text
    assert i6.joined == 1
    assert "Foro de Inversión y Cooperación de Alto Nivel" in es_doc["II.1.6"].text
    assert "Naciones Unidas para la Agricultura y la Alimentación asigne" in es_doc["II.3.4"].text
    assert es_doc["III.5"].text.endswith("industria de protección ambiental.")
    assert es_doc["IV.2.2"].text.endswith("a partir de 2022.")


def test_no_clause_holds_another_clause_or_a_fragment(es_doc):
    marker = re.compile(r"(?:^|\s)-\s\d+\.\d+\.?\s|^\d+\.\s|\n")
    for u in es_doc.of_kind("clause"):
        assert not marker.search(u.text), u.id
        assert u.text[0].isupper(), u.id
        assert u.text.rstrip().endswith("."), u.id


def test_sentences(es_doc):
    assert es_doc["I.3"].sentences[-1] == ("Acuerdan promover e implementar la Resolución 1373 "
                                           "del Consejo de Seguridad de las Naciones Unidas.")
    assert len(es_doc["I.5"].sentences) == 2           # "1540 (2004)" does not split
    assert len(es_doc["V.10"].sentences) == 3
    for u in es_doc.of_kind("clause"):
        assert "".join(u.sentences).replace(" ", "") == u.text.replace(" ", ""), u.id


def test_cli_clauses_jsonl():
    r = run_cli("clauses", "2022-2024:es", "--kind", "clause", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["id"] for row in rows] == expected_clause_ids()
    assert set(rows[0]) >= {"id", "kind", "number", "heading", "text", "sentences", "lang"}
    assert rows[5]["text"].endswith("presentada por China.")
    assert all(row["lang"] == "es" and row["kind"] == "clause" for row in rows)


def test_cli_sections_and_tsv():
    r = run_cli("clauses", "2022-2024:es", "--kind", "section", "--format", "jsonl")
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == SECTIONS
    r = run_cli("clauses", "2022-2024:es", "--kind", "chapter", "--format", "tsv")
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "kind", "number"]
    assert [ln.split("\t")[0] for ln in lines[1:]] == CHAPTERS


def test_corpus_show_outline():
    r = run_cli("corpus", "show", "2022-2024:es", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "II.1.1–II.1.6 (6)" in r.stdout
    assert "7 chapters, 16 sections, 112 clauses" in r.stdout
