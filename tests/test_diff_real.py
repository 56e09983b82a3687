"""diff on a real revision of a public numbered text that is not the plan: items 1-6 of
the Debian Free Software Guidelines and of the Open Source Definition made from them
(tests/fixtures/versions/SOURCES.md). Ids come from the parser; the answers are the
known differences between the two texts."""

from __future__ import annotations

from pathlib import Path

FIX = Path(__file__).parent / "fixtures" / "versions"


def _load(name):
    from celac_i18n.corpus.refs import load
    return load(f"{FIX / name}@en")


def _by_title(doc, title):
    (u,) = [u for u in doc.clauses() if u.text.startswith(title + ".")]
    return u.id


def test_dfsg_to_osd():
    from celac_i18n.diff import diff_documents
    from celac_i18n.diff.redline import rebuild

    old, new = _load("dfsg-1-6.txt"), _load("osd-1-6.txt")
    res = diff_documents(old, new)
    got = {(c.kind, tuple(c.old), tuple(c.new)) for c in res.changes}
    want = {"Free Redistribution": "modified", "Source Code": "modified",
            "Derived Works": "unchanged",
            "Integrity of The Author's Source Code": "modified",
            "No Discrimination Against Persons or Groups": "unchanged",
            "No Discrimination Against Fields of Endeavor": "unchanged"}
    for title, kind in want.items():
        o, n = _by_title(old, title), _by_title(new, title)
        assert (kind, (o,), (n,)) in got, (title, kind)
    c = next(c for c in res.changes if c.old == [_by_title(old, "Source Code")])
    assert "well-publicized" in "".join(t for op, t in c.ops if op == "+")
    assert 0.4 < c.similarity < 0.7          # more than a third rewritten, still "modified"
    c = next(c for c in res.changes if c.old == [_by_title(old, "Free Redistribution")])
    assert {t.strip() for op, t in c.ops if op == "+"} >= {"shall"}
    for c in res.changes:
        assert rebuild(c.ops, "old") == "\n".join(old[i].text for i in c.old)
    words = dict(res.summary["key_terms"]["words"]["only_new"])
    assert words.get("obfuscated") == 1       # a word used once is listed
