"""A diff from a plan of chapters (2022-2024) to a plan of articles (the shape of
2025-2027), on versions the test builds in both shapes from the 2022-2024 Spanish
text. The article document's ids are whatever the parser gives them: expectations are
derived from the parsed document (by text), never written out."""

from __future__ import annotations

from celac_i18n.parse import parse
from test_diff import Block, structure


def as_articles(plan, edits: dict[str, str], drop: set[str]) -> tuple[str, dict]:
    """The plan rendered as articles ("Artículo N. heading", items "k. text", sections
    flattened into their article); returns the text and {old id: new text}."""
    lines = [plan.title, ""] + [p + "\n" for p in plan.preamble]
    kept = {}
    for a, ch in enumerate(plan.chapters, start=1):
        lines += [f"Artículo {a}. {ch.heading}", ""]
        k = 0
        for it in ch.items:
            for cl in (it.items if isinstance(it, Block) else [it]):
                uid = cl.origin[0]
                if uid in drop:
                    continue
                k += 1
                text = edits.get(uid, cl.text)
                kept[uid] = text
                lines += [f"{k}. {text}", ""]
    return "\n".join(lines), kept


def test_chapters_to_articles():
    from celac_i18n.corpus.refs import load
    from celac_i18n.diff import diff_documents

    old = load("2022-2024:es")
    plan = structure(old)
    reworded = "II.3.2"
    edits = {reworded: old[reworded].text.rstrip(".") + ", con informes anuales de avance."}
    text, kept = as_articles(plan, edits, drop={"II.6.3"})
    new = parse(text, "es", where="<articles>")
    by_text = {u.text: u.id for u in new.units}
    assert all(t in by_text for t in kept.values()), "the parser must keep every item"
    assert not any(u.kind == "chapter" for u in new.units)

    res = diff_documents(old, new)
    by_old = {tuple(c.old): c for c in res.changes}
    wrong = []
    for uid, t in kept.items():
        c = by_old.get((uid,))
        want = "modified" if uid == reworded else "renumbered"
        if c is None or c.new != [by_text[t]] or c.kind != want:
            wrong.append((uid, c and (c.kind, c.new)))
    assert not wrong, wrong[:10]
    assert by_old[("II.6.3",)].kind == "removed"
    # each chapter heading pairs with its article (same heading text)
    for n, ch in enumerate(plan.chapters, start=1):
        c = by_old[(ch.origin,)]
        assert c.kind == "renumbered" and new[c.new[0]].kind == "article", (ch.origin, c)
    assert res.summary["counts"]["added"] == 0
    # the summary groups changes by article, and says which chapter each was
    chapters = {c["chapter"]: c for c in res.summary["chapters"]}
    art_of_I = by_old[("I",)].new[0]
    assert chapters[art_of_I]["old_chapters"] == ["I"]
