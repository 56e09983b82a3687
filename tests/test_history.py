"""`celac-i18n history` over three versions the test makes: the 2022-2024 plan in
English (the project's reference rendering), an edited Spanish copy (the planted
variant of test_diff), and a further edit of that copy. Expectations come from the
planted edits."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from celac_i18n.parse import parse
from test_diff import build_variant, node, render, structure


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    from celac_i18n.corpus.refs import load

    d = tmp_path_factory.mktemp("hist")
    v2, _ = build_variant(load("2022-2024:es"))          # split I.3, moved I.8, ...
    (d / "v2.txt").write_text(render(structure(v2), "es")[0], encoding="utf-8")
    plan = structure(v2)
    n = node(plan, "II.3.2")                              # reworded again
    n.text = n.text.rstrip(".") + ", y un informe conjunto al final de cada año."
    items = node(plan, "II.4").items
    items.pop(0)                                          # II.4.1 dropped in v3
    (d / "v3.txt").write_text(render(plan, "es")[0], encoding="utf-8")
    v3 = parse((d / "v3.txt").read_text(encoding="utf-8"), "es")
    return d, v2, v3


def _run(*args):
    from celac_i18n.cli import cli
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_history_library_three_versions(versions):
    from celac_i18n.corpus.refs import load
    from celac_i18n.diff import diff_documents
    from celac_i18n.diff.history import history

    _, v2, v3 = versions
    v1 = load("2022-2024:es")
    h = history([v1, v2, v3], [diff_documents(v1, v2), diff_documents(v2, v3)],
                ["v1", "v2", "v3"])
    # every unit of every version sits in some lineage at that version
    for k, doc in enumerate((v1, v2, v3)):
        held = {i for t in h.tracks for s in t.steps if s.version == k for i in s.ids}
        assert held == {u.id for u in doc.units}
    (t,) = h.select("II.3.2")
    assert [(s.version, s.ids, s.kind) for s in t.steps] == [
        (0, ["II.3.2"], None), (1, ["II.3.2"], "modified"), (2, ["II.3.2"], "modified")]
    (t,) = h.select("I.3")                    # I.3 split in v2 into I.3 + I.4
    assert t.steps[1].kind == "split" and t.steps[1].ids == ["I.3", "I.4"]
    # the moved clause: where it went, and it stays there in v3
    (t,) = [t for t in h.tracks if t.steps[0].ids == ["I.8"]]
    assert t.steps[1].kind == "moved" and t.steps[1].ids[0].startswith("V.")
    assert t.steps[2].kind == "unchanged"
    # dropped in v3; appeared in v2
    (t,) = [t for t in h.tracks if t.steps[0].ids == ["II.4.1"]]
    assert t.last == 1 and t.to_dict(h.names)["dropped_after"] == "v2"
    added = [t for t in h.tracks if t.first == 1]
    assert added and all(t.steps[0].kind == "added" for t in added)
    assert h.to_dict(added)["tracks"][0]["appeared"] == "v2"


def test_history_cli_table_json_html(versions, tmp_path):
    d, _, _ = versions
    r = _run("history", "2022-2024:es", f"{d / 'v2.txt'}@es", f"{d / 'v3.txt'}@es",
             "--format", "table")
    assert r.exit_code == 0, r.output
    assert "split" in r.stdout and "(dropped)" in r.stdout and "moved" in r.stdout
    out = tmp_path / "h.json"
    r = _run("history", "2022-2024:es", f"{d / 'v2.txt'}@es", f"{d / 'v3.txt'}@es",
             "--clause", "II.3.2", "-o", out)
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["versions"] == ["2022-2024:es:official", "v2.txt", "v3.txt"]
    (t,) = data["tracks"]
    assert [s["kind"] for s in t["steps"]] == [None, "modified", "modified"]
    assert "informe conjunto" in t["steps"][2]["text"]
    html = tmp_path / "h.html"
    r = _run("history", "2022-2024:es", f"{d / 'v2.txt'}@es", f"{d / 'v3.txt'}@es", "-o", html)
    assert r.exit_code == 0, r.output
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<ins>" in page and "dropped" in page
    assert str(d) not in page


def test_history_bad_input(versions):
    from conftest import run_cli

    p = run_cli("history", "2022-2024:es")
    assert p.returncode == 2 and "at least two" in p.stderr and "Traceback" not in p.stderr
    d, _, _ = versions
    p = run_cli("history", "2022-2024:es", f"{d / 'v2.txt'}@es", "--clause", "Z.99")
    assert p.returncode == 2 and "Z.99" in p.stderr


@pytest.mark.skipif(not shutil.which("apertium"), reason="needs apertium")
def test_history_across_languages(versions, tmp_path, monkeypatch):
    """Oldest in English, then the Spanish versions: the first step is matched through
    Apertium, and the English text is what the history shows for the first version."""
    monkeypatch.setenv("CELAC_I18N_CACHE", str(tmp_path / "cache.sqlite"))
    d, _, _ = versions
    r = _run("history", "2022-2024:en", f"{d / 'v2.txt'}@es", f"{d / 'v3.txt'}@es",
             "--clause", "II.3.2", "--format", "json")
    assert r.exit_code == 0, r.output
    (t,) = json.loads(r.stdout)["tracks"]
    from celac_i18n.corpus.refs import load
    assert t["steps"][0]["text"] == load("2022-2024:en")["II.3.2"].text
    assert [s["ids"] for s in t["steps"]] == [["II.3.2"]] * 3
