"""Decisions flow back: qa --review leaves out dismissed findings, align --review keeps
accepted pairings, review save stores edited targets as a `reviewed` corpus text."""

from __future__ import annotations

import json
import shutil
import subprocess

from hypothesis import given, settings, strategies as st

from conftest import CORPUS, PLAN, ROOT, run_cli
from celac_i18n.align.beads import Alignment, Bead, Segment
from celac_i18n.review.build import init_workspace
from celac_i18n.review.flowback import Pairing, keep_reviewed_pairs, reviewed_pairs
from celac_i18n.review.store import Store, text_hash


def _qa(*extra, env=None):
    r = run_cli("qa", "2022-2024:es", "2022-2024:zh", "--format", "json", *extra, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["findings"], r.stderr


def test_qa_review_leaves_out_dismissed_findings(tmp_path):
    ws = init_workspace(tmp_path / "p.review", ["2022-2024:es", "2022-2024:zh"])
    before, _ = _qa()
    f = ws.findings()[0]
    ws.decide(f.bead, "dismiss", "ana", finding=f.fkey, reason="accepted variant")
    after, err = _qa("--review", str(ws.path))
    assert len(after) == len(before) - 1
    gone = [x for x in before if x not in after]
    assert [(g["id"], g["check"]) for g in gone] == [(f.unit, f.check)]
    assert "1 finding(s) left out" in err
    # undone: the finding is back
    ws.decide(f.bead, "undo", "ana")
    assert len(_qa("--review", str(ws.path))[0]) == len(before)


def test_qa_review_keeps_a_finding_dismissed_on_a_text_that_changed(tmp_path, corpus_copy):
    ws = init_workspace(tmp_path / "p.review", ["2022-2024:es", "2022-2024:zh"])
    f = ws.findings()[0]
    ws.decide(f.bead, "dismiss", "ana", finding=f.fkey, reason="fine")
    # the zh clause is corrected after the review (a word appended)
    zh = corpus_copy / PLAN / "zh.reference.txt"
    tgt = ws.bead(f.bead).texts["zh"]
    zh.write_text(zh.read_text(encoding="utf-8").replace(tgt, tgt[:-1] + "等" + tgt[-1]),
                  encoding="utf-8")
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    findings, err = _qa("--review", str(ws.path), env=env)
    assert any(x["id"] == f.unit and x["check"] == f.check for x in findings)
    assert "0 finding(s) left out as not an issue, 1 kept" in err


def _alignment(groups: list[tuple[int, int]]) -> Alignment:
    """A 2-language alignment whose beads take (n_es, n_zh) segments each."""
    beads, i, j = [], 0, 0
    for n, (a, b) in enumerate(groups, start=1):
        segs = {"es": [Segment(f"{k}", "clause", f"es {k}") for k in range(i, i + a)],
                "zh": [Segment(f"{k}", "clause", f"zh{k}") for k in range(j, j + b)]}
        beads.append(Bead(n, "clause", segs, 0.9))
        i, j = i + a, j + b
    return Alignment(["es", "zh"], "clause", beads, "sig")


def _pairing(ids_es, ids_zh) -> Pairing:
    return Pairing("k", {"es": ids_es, "zh": ids_zh},
                   {"es": text_hash(" ".join(f"es {i}" for i in ids_es)),
                    "zh": text_hash("".join(f"zh{i}" for i in ids_zh))})


def test_keep_reviewed_pairs_regroups_the_beads_around_a_pairing():
    # the aligner merged es 1+2 with zh 1+2; the reviewer had es 1 ↔ zh 1+2 and es 2 ↔ zh –
    al = _alignment([(1, 1), (2, 2), (1, 1)])
    kept, skipped = keep_reviewed_pairs(al, [_pairing(["1"], ["1", "2"])])
    assert (kept, skipped) == (1, 0)
    shapes = [(b.ids("es"), b.ids("zh")) for b in al.beads]
    assert shapes == [(["0"], ["0"]), (["1"], ["1", "2"]), (["2"], []), (["3"], ["3"])]
    assert [b.n for b in al.beads] == [1, 2, 3, 4] and al.beads[1].confidence == 1.0
    # a pairing whose text changed is skipped
    stale = _pairing(["3"], ["3"])
    stale.hashes["zh"] = text_hash("something else")
    assert keep_reviewed_pairs(al, [stale]) == (0, 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)).filter(lambda g: g != (0, 0)),
                min_size=2, max_size=8), st.data())
def test_keep_reviewed_pairs_keeps_coverage_and_order(groups, data):
    al = _alignment(groups)
    n_es, n_zh = sum(a for a, _ in groups), sum(b for _, b in groups)
    if not n_es or not n_zh:
        return
    s = data.draw(st.integers(0, n_es - 1))
    e = data.draw(st.integers(s, min(n_es - 1, s + 2)))
    t = data.draw(st.integers(0, n_zh - 1))
    u = data.draw(st.integers(t, min(n_zh - 1, t + 2)))
    p = _pairing([str(k) for k in range(s, e + 1)], [str(k) for k in range(t, u + 1)])
    kept, _ = keep_reviewed_pairs(al, [p])
    for lang, n in (("es", n_es), ("zh", n_zh)):
        assert [x for b in al.beads for x in b.ids(lang)] == [str(k) for k in range(n)]
    if kept:
        assert any(b.ids("es") == p.ids["es"] and b.ids("zh") == p.ids["zh"] for b in al.beads)


def test_align_review_keeps_accepted_pairings(tmp_path):
    ws = init_workspace(tmp_path / "p.review", ["2022-2024:es", "2022-2024:zh"])
    for b in ws.beads()[:5]:
        ws.decide(b.key, "accept", "ana")
    assert len(reviewed_pairs(ws)) == 5
    r = run_cli("align", "2022-2024:es", "2022-2024:zh", "--format", "jsonl",
                "--review", str(ws.path))
    assert r.returncode == 0, r.stderr
    assert "5 reviewed pairing(s) kept, 0 skipped" in r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[0]["signature"].endswith("|review-kept:5")
    beads = lines[1:]
    assert beads[0]["ids"] == {"es": ["title"], "zh": ["title"]} and beads[0]["confidence"] == 1.0
    r = run_cli("align", "2022-2024:es", "2022-2024:zh", "--level", "sentence",
                "--review", str(ws.path))
    assert r.returncode == 2 and "--level clause" in r.stderr


def test_review_save_stores_a_reviewed_text_beside_the_reference(tmp_path, corpus_copy):
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    wsp = tmp_path / "p.review"
    r = run_cli("review", "init", str(wsp), "2022-2024:es", "2022-2024:zh", env=env)
    assert r.returncode == 0, r.stderr
    ws = Store(wsp)
    ref_before = (corpus_copy / PLAN / "zh.reference.txt").read_bytes()
    old = ws.bead("I.2").texts["zh"]
    ws.decide("I.2", "edit", "ana", lang="zh", text="双方同意加强交流。")
    r = run_cli("review", "save", str(wsp), "--lang", "zh", env=env)
    assert r.returncode == 0, r.stderr
    assert "saved 2022-2024:zh:reviewed" in r.stderr
    assert (corpus_copy / PLAN / "zh.reference.txt").read_bytes() == ref_before
    saved = (corpus_copy / PLAN / "zh.reviewed.txt").read_text(encoding="utf-8")
    assert "双方同意加强交流。" in saved and old not in saved
    clauses = run_cli("clauses", "2022-2024:zh:reviewed", "--format", "jsonl", env=env)
    rows = {x["id"]: x for x in map(json.loads, clauses.stdout.splitlines())}
    assert rows["I.2"]["text"] == "双方同意加强交流。"
    corpus = run_cli("corpus", "list", "--format", "jsonl", env=env)
    [entry] = [x for x in map(json.loads, corpus.stdout.splitlines())
               if x["ref"] == "2022-2024:zh:reviewed"]
    assert entry["kind"] == "reviewed"
    # PLAN:LANG still means the reference, never the reviewed text
    plain = run_cli("clauses", "2022-2024:zh", "--format", "jsonl", env=env)
    assert {x["id"]: x for x in map(json.loads, plain.stdout.splitlines())}["I.2"]["text"] == old
    # pdf prints the reviewed version, saying what it is
    if shutil.which("pdftotext"):
        r = run_cli("pdf", "2022-2024:es", "2022-2024:zh:reviewed", "-o",
                    str(tmp_path / "r.pdf"), env=env)
        assert r.returncode == 0, r.stderr
        text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "双方同意加强交流。" in text and "not an official text" in text
    # a second save needs --force; the shipped corpus is never touched
    r = run_cli("review", "save", str(wsp), "--lang", "zh", env=env)
    assert r.returncode == 2 and "already in the corpus" in r.stderr
    assert not (CORPUS / PLAN / "zh.reviewed.txt").exists()


def test_align_review_keeps_a_merge_the_reviewer_accepted(tmp_path):
    ws = init_workspace(tmp_path / "m.review", ["2022-2024:es", "2022-2024:zh"])
    m = ws.decide("I.1", "merge", "ana")["bead"]
    ws.decide(m, "accept", "ana")
    r = run_cli("align", "2022-2024:es", "2022-2024:zh", "--format", "jsonl",
                "--review", str(ws.path))
    assert r.returncode == 0, r.stderr
    assert "1 reviewed pairing(s) kept, 0 skipped" in r.stderr
    beads = [json.loads(x) for x in r.stdout.splitlines()][1:]
    assert {"es": ["I.1", "I.2"], "zh": ["I.1", "I.2"]} in [b["ids"] for b in beads]
    assert len(beads) == len(ws.beads())


def test_align_review_keeps_a_split_the_reviewer_accepted(tmp_path):
    es, zh = tmp_path / "plan.es.txt", tmp_path / "plan.zh.txt"
    fix = ROOT / "tests" / "fixtures" / "structure"
    es.write_text((fix / "plan.es.txt").read_text(encoding="utf-8"), encoding="utf-8")
    zh.write_text((fix / "plan.zh.txt").read_text(encoding="utf-8").replace(
        "1．促进贸易。\n\n2．鼓励投资。", "1．促进贸易。鼓励投资。"), encoding="utf-8")
    refs = [f"{es}@es", f"{zh}@zh"]
    ws = init_workspace(tmp_path / "s.review", refs)
    d = ws.decide("II.1.1_II.1.2", "split", "ana", lang="es", at=1)
    for key in json.loads(d["payload"])["split"][1:]:
        ws.decide(key, "accept", "ana")
    r = run_cli("align", *refs, "--format", "jsonl", "--review", str(ws.path))
    assert r.returncode == 0, r.stderr
    assert "2 reviewed pairing(s) kept, 0 skipped" in r.stderr
    ids = [json.loads(x)["ids"] for x in r.stdout.splitlines()[1:]]
    assert {"es": ["II.1.1"], "zh": ["II.1.1"]} in ids
    assert {"es": ["II.1.2"], "zh": []} in ids
