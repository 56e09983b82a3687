"""--ignore case,punctuation,quotes,whitespace,numbering: what a diff may leave out.

The new versions are copies of the official Spanish 2022-2024 plan made here, each
with one kind of difference planted in a few clauses (the issue's: curly vs straight
quotes, one capital letter, spacing around a dash; and a clause deleted, which
renumbers the rest of its chapter). Without the option each clause is modified (or
renumbered); with it, unchanged in every output, and the option is in the signature.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from celac_i18n.cli import cli as main
from celac_i18n.corpus.refs import load
from celac_i18n.diff import diff_documents
from celac_i18n.diff.ignore import IGNORES, filter_ops, normalizer, parse_ignore
from celac_i18n.diff.redline import rebuild, redline
from celac_i18n.errors import UserError
from celac_i18n.parse import parse

ES = Path(__file__).resolve().parents[1] / "corpora/2022-2024/es.official.txt"

# (ignore, clause, old words, new words)
EDITS = [
    ("quotes", "preamble.2", "(en adelante “las Partes”)", '(en adelante "las Partes")'),
    ("case", "I.1", "Fortalecer los contactos y reuniones", "fortalecer los contactos y reuniones"),
    ("whitespace", "I.2", "Foro China-CELAC (FCC)", "Foro China - CELAC (FCC)"),
    ("punctuation", "I.5", "(nucleares, biológicas y químicas)",
     "(nucleares biológicas y químicas)"),
]


@pytest.fixture(scope="module")
def variant():
    text = ES.read_text(encoding="utf-8")
    for _, _, a, b in EDITS:
        assert text.count(a) == 1, a
        text = text.replace(a, b)
    return parse(text, "es", where="<variant>")


def kinds(res, ids):
    return {u: c.kind for c in res.changes for u in c.new if u in ids}


def test_each_difference_is_a_change_unless_ignored(variant):
    es = load("2022-2024:es")
    ids = [uid for _, uid, _, _ in EDITS]
    plain = diff_documents(es, variant)
    assert set(kinds(plain, ids).values()) == {"modified"}
    for name, uid, _, _ in EDITS:
        res = diff_documents(es, variant, ignore=(name,))
        got = kinds(res, ids)
        assert got[uid] == "unchanged", (name, got)
        others = [u for u in ids if u != uid and not (name == "punctuation" and u in (
            "preamble.2", "I.2"))]          # quotes and dashes are punctuation too
        assert all(got[u] == "modified" for u in others), (name, got)
        c = next(c for c in res.changes if uid in c.new)
        assert c.ops == [["=", variant.get(uid).text]] and "ignored" in c.reason
        assert f"ignore:{name}" in res.signature
    res = diff_documents(es, variant, ignore=IGNORES)
    assert res.summary["counts"]["unchanged"] == len(res.changes)
    assert res.summary["ignore"] == list(IGNORES)


def test_numbers_are_never_ignored():
    a = parse("I. Uno\n\n1. Asignar 2,5 millones de dólares.\n", "es", where="<a>")
    b = parse("I. Uno\n\n1. Asignar 25 millones de dólares.\n", "es", where="<b>")
    res = diff_documents(a, b, ignore=IGNORES)
    c = next(c for c in res.changes if c.new == ["I.1"])
    assert c.kind == "modified" and c.numbers and "2,5 millones" in c.numbers.old


def test_numbering_makes_a_renumbered_clause_unchanged():
    text = ES.read_text(encoding="utf-8")
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("3. Respetando"))
    del lines[k]
    import re
    while not lines[k].startswith("II."):
        m = re.match(r"^(\d+)\. ", lines[k])
        if m:
            lines[k] = f"{int(m.group(1)) - 1}. " + lines[k][m.end():]
        k += 1
    new = parse("\n".join(lines), "es", where="<renumbered>")
    es = load("2022-2024:es")
    plain = diff_documents(es, new)
    assert plain.summary["counts"]["renumbered"] == 6
    assert [r["new"] for r in plain.summary["renumbered"]][:2] == [["I.3"], ["I.4"]]
    assert all("cross-references" in c.reason for c in plain.changes if c.kind == "renumbered")
    res = diff_documents(es, new, ignore=("numbering",))
    assert res.summary["counts"]["renumbered"] == 0
    assert res.summary["counts"]["removed"] == 1


def test_cli_every_output_and_bad_values(variant, tmp_path):
    f = tmp_path / "v.txt"
    text = ES.read_text(encoding="utf-8")
    for _, _, a, b in EDITS:
        text = text.replace(a, b)
    f.write_text(text, encoding="utf-8")
    run = CliRunner().invoke
    args = ["diff", "2022-2024:es", f"{f}@es", "--ignore", "case,quotes,whitespace,punctuation"]
    r = run(main, args + ["--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["summary"]["counts"]["modified"] == 0
    assert "ignore:case,punctuation,quotes,whitespace" in data["signature"]
    r = run(main, args + ["--format", "table"])
    assert "0 changes" in r.stdout and "fortalecer" not in r.stdout
    r = run(main, args + ["--format", "html"])
    assert "Ignored differences: case, punctuation, quotes, whitespace" in r.stdout
    assert 'class="chg k-modified"' not in r.stdout
    from conftest import run_cli

    p = run_cli("diff", "2022-2024:es", f"{f}@es", "--ignore", "case,colour")
    assert p.returncode == 2 and "--ignore: unknown colour" in p.stderr
    assert "Traceback" not in p.stderr


def test_parse_ignore():
    assert parse_ignore("quotes, Case") == ("case", "quotes")
    assert parse_ignore("all") == IGNORES and parse_ignore("") == ()
    with pytest.raises(UserError):
        parse_ignore("case,nope")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAbB “”\"'’«»,.;-–()1) 中文、。")), max_size=40),
       st.text(alphabet=st.sampled_from(list("aAbB “”\"'’«»,.;-–()1) 中文、。")), max_size=40),
       st.sets(st.sampled_from(IGNORES)))
def test_filtered_redline_keeps_the_new_text(a, b, ignore):
    """Whatever is ignored, the redline still rebuilds the new text exactly, and two
    texts equal once normalised keep no mark at all."""
    norm = normalizer(tuple(ignore))
    if norm is None:
        return
    ops = filter_ops(redline(a, b), norm)
    assert rebuild(ops, "new") == b
    if norm(a) == norm(b) and "numbering" not in ignore:
        assert all(op == "=" for op, _ in ops), ops
