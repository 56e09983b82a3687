"""Property tests: the parser never crashes on arbitrary text and its invariants hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from celac_i18n.errors import UserError
from celac_i18n.parse import parse

MARKERS = ["I. ", "II. ", "III. ", "1. ", "2. ", "3. ", "- 1.1. ", "- 1.2 ", "2.1 ", "一、",
           "二、", "（一）", "1．", "(a) ", "b) ", "Artículo 1o ", "第二条 ", "Capítulo I ", "",
           "", ""]
WORDS = ["cooperación", "China", "CELAC", "2022", "(2004)", "1.000", "ONU.", "合作。", "加强",
         "Foro", "y", "de", "la", "V.", "etc.", "-", "\f", "Página 2 de 9"]

line = st.builds(lambda m, ws, end: m + " ".join(ws) + end, st.sampled_from(MARKERS),
                 st.lists(st.sampled_from(WORDS), max_size=8), st.sampled_from(["", ".", "。"]))
doc_text = st.lists(st.tuples(line, st.sampled_from(["\n", "\n\n"])), max_size=40).map(
    lambda parts: "".join(a + b for a, b in parts))


def _check(doc):
    ids = [u.id for u in doc.units]
    assert len(ids) == len(set(ids))                      # ids are unique
    known = set(ids)
    for u in doc.units:
        assert u.parent is None or u.parent in known     # parents exist
        assert "\n" not in u.text
        if u.sentences:
            assert "".join(u.sentences).replace(" ", "") == u.text.replace(" ", "")
    positions = [u.line for u in doc.units if u.kind not in ("title", "preamble")]
    assert positions == sorted(positions)                # document order


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(doc_text, st.sampled_from(["es", "en", "zh", "pt"]))
def test_structured_noise(text, lang):
    try:
        doc = parse(text, lang)
    except UserError:
        return
    _check(doc)


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    try:
        doc = parse(text, "und")
    except UserError:
        return
    _check(doc)


@settings(max_examples=50)
@given(st.permutations(list(range(1, 8))))
def test_shuffled_clause_lines_keep_every_clause(order):
    body = "\n".join(f"{n}. Cláusula número {n}." for n in order)
    doc = parse("I. Capítulo\n" + body + "\n", "es")
    texts = sorted(u.text for u in doc.units if u.kind == "clause")
    # Out-of-order numbers are kept (with warnings), never dropped or merged.
    assert texts == sorted(f"Cláusula número {n}." for n in order)
