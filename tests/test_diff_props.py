"""Property tests of the differ: it never crashes, and its invariants always hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from celac_i18n.diff import KINDS, diff_documents
from celac_i18n.diff.redline import rebuild, redline, tokenize
from celac_i18n.model import Document, Provenance, Unit
from celac_i18n.parse.numerals import int_to_roman

# Plan-like words (so that clauses really resemble one another), CJK, and anything.
WORDS = st.sampled_from(["cooperación", "Fortalecer", "las", "Partes", "CELAC", "China",
                         "合作", "加强", "双方", "。", ",", ".", " ", "\n", "2024", "(ALC)"])
PLANLIKE = st.lists(WORDS, max_size=30).map(" ".join)
TEXTS = st.one_of(st.text(max_size=60), PLANLIKE)


def make_doc(chapters: list[tuple[str, list[str]]], lang: str = "es") -> Document:
    units = [Unit("title", "title", "", "Plan", "Plan")]
    for c, (heading, clauses) in enumerate(chapters, start=1):
        cid = int_to_roman(c)
        units.append(Unit(cid, "chapter", f"{cid}.", heading, heading))
        units += [Unit(f"{cid}.{k}", "clause", f"{k}.", "", t, parent=cid)
                  for k, t in enumerate(clauses, start=1)]
    return Document(lang, units, Provenance("<test>"))


CHAPTERS = st.lists(st.tuples(TEXTS, st.lists(TEXTS, max_size=8)), min_size=1, max_size=4)


def _text(u: Unit) -> str:
    return u.heading if u.kind in ("chapter", "section") and u.heading else u.text


def check_invariants(old: Document, new: Document) -> None:
    res = diff_documents(old, new)
    assert sorted(i for c in res.changes for i in c.old) == sorted(u.id for u in old.units)
    assert sorted(i for c in res.changes for i in c.new) == sorted(u.id for u in new.units)
    for c in res.changes:
        assert c.kind in KINDS
        assert rebuild(c.ops, "old") == "\n".join(_text(old[i]) for i in c.old)
        assert rebuild(c.ops, "new") == "\n".join(_text(new[i]) for i in c.new)
        assert 0.0 <= c.similarity <= 1.0
        if c.kind == "split":
            assert len(c.old) == 1 and len(c.new) >= 2
        elif c.kind == "merged":
            assert len(c.old) >= 2 and len(c.new) == 1
        elif c.kind == "added":
            assert not c.old and len(c.new) == 1
        elif c.kind == "removed":
            assert len(c.old) == 1 and not c.new
        else:
            assert len(c.old) == 1 and len(c.new) == 1
        if c.kind == "unchanged":
            assert c.old == c.new
    assert sum(res.summary["counts"].values()) == len(res.changes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.text(max_size=200))
def test_redline_rebuilds_both_texts(a, b):
    ops = redline(a, b)
    assert rebuild(ops, "old") == a
    assert rebuild(ops, "new") == b
    assert all(op in ("=", "+", "-") and t for op, t in ops)
    # Adjacent operations never repeat the same op (they are merged).
    assert all(x[0] != y[0] for x, y in zip(ops, ops[1:]))


@settings(max_examples=60, deadline=None)
@given(PLANLIKE, PLANLIKE)
def test_redline_never_cuts_a_word(a, b):
    # Word mode: each operation starts and ends on token boundaries of its side.
    ops = redline(a, b)
    toks_a, toks_b = set(tokenize(a)), set(tokenize(b))
    for op, t in ops:
        for tok in tokenize(t):
            assert tok in (toks_a | toks_b) or tok.isspace()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHAPTERS, CHAPTERS)
def test_diff_never_crashes_and_partitions_units(a, b):
    check_invariants(make_doc(a), make_doc(b))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHAPTERS, st.randoms(use_true_random=False))
def test_edited_versions_keep_invariants(chapters, rnd):
    # Versions made by shuffling, dropping and duplicating the old clauses.
    clauses = [t for _, cl in chapters for t in cl]
    rnd.shuffle(clauses)
    kept = [t for t in clauses if rnd.random() < 0.8] + clauses[: rnd.randint(0, 2)]
    new = [(h, kept[i::len(chapters)]) for i, (h, _) in enumerate(chapters)]
    check_invariants(make_doc(chapters), make_doc(new))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHAPTERS)
def test_self_diff_only_unchanged(chapters):
    doc = make_doc(chapters)
    res = diff_documents(doc, doc)
    assert {c.kind for c in res.changes} == {"unchanged"}


def test_redline_many_distinct_tokens():
    # More distinct tokens than fit below the surrogate block: the encoding skips it.
    words = [f"w{i}" for i in range(56_000)]
    a = " ".join(words)
    b = " ".join(words[:30_000] + ["cambio"] + words[30_001:])
    ops = redline(a, b)
    assert rebuild(ops, "old") == a and rebuild(ops, "new") == b
    assert [t for op, t in ops if op != "="] == ["w30000", "cambio"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=25, unique=True))
def test_longest_in_order_run_is_longest(seq):
    from celac_i18n.diff.match import _lis_members

    picked = sorted(_lis_members(seq))
    values = [seq[k] for k in picked]
    assert values == sorted(values)
    # O(n²) reference length of the longest increasing subsequence
    best = [1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i]:
                best[i] = max(best[i], best[j] + 1)
    assert len(picked) == max(best, default=0)


def test_html_escapes_document_text():
    from celac_i18n.diff.html import render_html

    old = make_doc([("Cap <b>", ["Cláusula con <script>alert(1)</script> & más.", "Otra."])])
    new = make_doc([("Cap <b>", ["Cláusula con <script>alert(2)</script> & más.", "Otra."])])
    page = render_html(diff_documents(old, new))
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "&amp; más" in page and "Cap &lt;b&gt;" in page


def test_chapter_swap_reads_as_moves_not_edits():
    a = ["Fortalecer el diálogo político entre las Partes y sus cancillerías.",
         "Promover la cooperación contra el terrorismo y la delincuencia organizada."]
    b = ["Impulsar el comercio de productos agrícolas y la inversión en infraestructura.",
         "Ampliar la cooperación financiera entre bancos centrales y reguladores."]
    old = make_doc([("Política", a), ("Economía", b)])
    new = make_doc([("Economía", b), ("Política", a)])
    kinds = {(c.kind, tuple(c.old), tuple(c.new)) for c in diff_documents(old, new).changes}
    # One chapter keeps its place (renumbered), the other moved: nothing modified.
    assert {k for k, _, _ in kinds} <= {"renumbered", "moved", "unchanged"}
    assert sum(k == "moved" for k, _, _ in kinds) == 3      # heading + 2 clauses
    stayed = {("renumbered", ("II.1",), ("I.1",)), ("renumbered", ("I.1",), ("II.1",))}
    assert len(stayed & kinds) == 1


# Few distinct texts, so that the same text often sits under several ids.
FEW = st.sampled_from(["Las partes celebrarán consultas periódicas.",
                       "Promover el intercambio entre parlamentos.", "双方加强合作。", ""])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(FEW, max_size=6), min_size=1, max_size=3),
       st.lists(st.lists(FEW, max_size=6), min_size=1, max_size=3))
def test_same_id_and_same_text_is_unchanged(a, b):
    old = make_doc([("Capítulo", cl) for cl in a])
    new = make_doc([("Capítulo", cl) for cl in b])
    res = diff_documents(old, new)
    check_invariants(old, new)
    by_old = {c.old[0]: c for c in res.changes if len(c.old) == 1}
    for u in old.units:
        v = new.get(u.id)
        if v is not None and " ".join(_text(v).split()) == " ".join(_text(u).split()):
            c = by_old[u.id]
            assert (c.kind, c.new) == ("unchanged", [u.id]), (u.id, c)


def test_repeated_text_keeps_its_own_id():
    # I.2 and I.3 read the same; the new version rewrites I.2 only. Pairing identical
    # texts in order used to give I.2's old text to new I.3 (renumbered I.2→I.3, I.3
    # removed, I.2 added); I.3 is unchanged and only I.2 changed.
    same = "Las partes celebrarán consultas periódicas sobre asuntos regionales."
    old = make_doc([("Cooperación política", ["Fortalecer el diálogo.", same, same, "Otra."])])
    new = make_doc([("Cooperación política", ["Fortalecer el diálogo.",
                                              "Promover el intercambio de juventud y deportes.",
                                              same, "Otra."])])
    kinds = {(c.kind, tuple(c.old), tuple(c.new)) for c in diff_documents(old, new).changes}
    assert ("unchanged", ("I.3",), ("I.3",)) in kinds
    assert not any(k == "renumbered" for k, _, _ in kinds)
    assert {k for k, o, n in kinds if "I.2" in o + n} <= {"modified", "added", "removed"}
