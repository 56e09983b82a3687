"""Bad input to diff: a clear message and a valid result, never a traceback.

An empty version (everything in the other one is added or removed), a text that is
not a plan (two novel openings written here: paragraphs p1, p2, ... and nothing in
common, so all removed and added, not "rewritten"), a language the tool does not know,
and an engine that lacks the pair (the hint names diff's own options).
"""

from __future__ import annotations

import json

from conftest import run_cli

NOVEL = ("It was a cold grey morning when the ferry left the harbour, and the gulls "
         "followed it far out over the water.\n\nShe kept her hands in her coat pockets "
         "and counted the lighthouses along the coast.\n\nBy noon the town had gone.\n")
OTHER = ("The old clockmaker opened his shop every day at seven, whatever the weather.\n\n"
         "Nobody remembered him ever selling a clock.\n")


def _diff(*args):
    p = run_cli("diff", *args, "--format", "json", "--embed-model", "none")
    assert "Traceback" not in p.stderr, p.stderr
    return p


def test_empty_version_is_all_added_or_removed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    p = _diff(f"{empty}@es", "2022-2024:es")
    assert p.returncode == 0 and "the file is empty" in p.stderr
    counts = json.loads(p.stdout)["summary"]["counts"]
    assert counts["added"] == 138 and sum(counts.values()) == 138
    # across languages too (nothing to match, so no encoder or engine is needed)
    p = _diff("2022-2024:zh", f"{empty}@es")
    assert p.returncode == 0 and json.loads(p.stdout)["summary"]["counts"]["removed"] == 138


def test_a_novel_against_another_has_nothing_in_common(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(NOVEL, encoding="utf-8")
    b.write_text(OTHER, encoding="utf-8")
    p = _diff(f"{a}@en", f"{b}@en")
    assert p.returncode == 0 and "no numbering found" in p.stderr
    counts = json.loads(p.stdout)["summary"]["counts"]
    assert counts == {**{k: 0 for k in counts}, "removed": 3, "added": 2}
    # against the plan: its clauses added, the paragraphs removed
    p = _diff(f"{a}@en", "2022-2024:en")
    counts = json.loads(p.stdout)["summary"]["counts"]
    assert counts["removed"] == 3 and counts["added"] == 138


def test_unknown_language_and_missing_engine_pair(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(NOVEL, encoding="utf-8")
    p = _diff(f"{a}@xx", "2022-2024:es")
    assert p.returncode == 2 and "unknown language 'xx'" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    p = run_cli("diff", "2022-2024:es", "2022-2024:zh", "--via", "apertium")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "--via hf --via-model PATH" in p.stderr and "--engine" not in p.stderr
