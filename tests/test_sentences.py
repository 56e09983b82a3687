"""Sentence segmentation for es, en, pt and zh: abbreviations and numbers must not split."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from celac_i18n.parse.sentences import split_sentences


@pytest.mark.parametrize("lang,text,expected", [
    ("es", "El Sr. López llegó. Luego habló.", ["El Sr. López llegó.", "Luego habló."]),
    ("es", "Implementar la Resolución 1540 (2004) del Consejo. China desea más.",
     ["Implementar la Resolución 1540 (2004) del Consejo.", "China desea más."]),
    ("es", "Ver el art. 5 y la N.º 3 de la ONU. Después, EE.UU. Otro.",
     ["Ver el art. 5 y la N.º 3 de la ONU.", "Después, EE.UU. Otro."]),
    ("es", "¿Cooperar? ¡Sí! Bien.", ["¿Cooperar?", "¡Sí!", "Bien."]),
    ("es", "Subió a 1.000 becas. Y 2,5 millones.", ["Subió a 1.000 becas.", "Y 2,5 millones."]),
    ("pt", "A Sra. Silva e o Dr. Costa chegaram. O plano é flexível.",
     ["A Sra. Silva e o Dr. Costa chegaram.", "O plano é flexível."]),
    ("en", "See Resolution No. 1373. The Parties agree (e.g. on terms). Done.",
     ["See Resolution No. 1373.", "The Parties agree (e.g. on terms).", "Done."]),
    ("en", "He said “we agree.” Then left.", ["He said “we agree.”", "Then left."]),
    ("zh", "加强合作。双方同意！是否继续？好", ["加强合作。", "双方同意！", "是否继续？", "好"]),
    ("zh", "他说：“我们同意。”然后离开。", ["他说：“我们同意。”", "然后离开。"]),
])
def test_splits(lang, text, expected):
    assert split_sentences(text, lang) == expected


@given(st.text(max_size=300), st.sampled_from(["es", "en", "pt", "zh", "und"]))
def test_never_loses_text(text, lang):
    out = split_sentences(text, lang)
    assert "".join(out).replace(" ", "") == "".join(text.split()).replace(" ", "") or \
        "".join("".join(out).split()) == "".join(text.split())
    assert all(s == s.strip() and s for s in out)
