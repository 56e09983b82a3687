"""`celac-i18n score` and `compare` through the CLI."""

from __future__ import annotations

import csv
import io
import contextlib
import json
import sys
import types

import pytest
from click.testing import CliRunner

from celac_i18n.cli import cli, main
from celac_i18n.corpus.manifest import corpus_dir


@pytest.fixture()
def weak_en(tmp_path):
    """The en reference with articles dropped and clause II.3.2 removed."""
    text = (corpus_dir() / "2022-2024" / "en.reference.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True)
             if not line.startswith("3.2 Strengthen policy exchanges")]
    p = tmp_path / "weak.en.txt"
    p.write_text("".join(lines).replace(" the ", " "), encoding="utf-8")
    return f"{p}@en"


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_score_json_per_clause(weak_en):
    r = run(["score", weak_en, "2022-2024:en:reference", "--per-clause", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    corpus = {c["metric"]: c for c in data["corpus"]}
    assert set(corpus) == {"BLEU", "chrF2++", "TER"}
    assert 30 < corpus["BLEU"]["score"] < 100 and corpus["TER"]["score"] > 0
    assert all("celac-i18n:" in c["signature"] and "version:" in c["signature"]
               for c in corpus.values())
    segs = {s["id"]: s for s in data["segments"]}
    assert segs["II.3.2"]["status"] == "missing" and segs["II.3.2"]["BLEU"] == 0
    assert segs["I"]["BLEU"] == 100                       # untouched heading
    assert data["segment_signatures"]["BLEU"].count("eff:yes") == 1
    assert "missing from the hypothesis" in r.stderr


def test_score_zh_and_tsv():
    r = run(["score", "2022-2024:zh:reference", "2022-2024:zh:reference", "--format", "tsv",
             "--per-clause", "--metrics", "bleu"])
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout), delimiter="\t"))
    assert rows[0]["scope"] == "corpus" and float(rows[0]["score"]) == 100
    assert "tok:zh" in rows[0]["signature"] and "norm:zh-punct" in rows[0]["signature"]
    assert len([x for x in rows if x["scope"] == "unit"]) == 138


def test_score_table(weak_en):
    r = run(["score", weak_en, "2022-2024:en", "--format", "table"])
    assert r.exit_code == 0 and "chrF2++" in r.stdout and "tok:13a" in r.stdout


def test_score_errors_exit_2(capsys, monkeypatch):
    for argv, msg in (
            (["score", "2022-2024:zh", "2022-2024:en"], "same language"),
            (["score", "2022-2024:en", "2022-2024:en", "--metrics", "meteor"], "meteor"),
            (["score", "2022-2024:en", "2022-2024:en", "--src", "2022-2024:es", "--comet", "/nowhere"], "COMET"),
            (["score", "2022-2024:en", "2022-2024:en", "--roundtrip", "apertium"], "--src")):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 2
        err = capsys.readouterr().err
        assert msg in err and len(err.strip().splitlines()) == 1


def test_comet_missing_is_one_clear_line(capsys, monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "comet" else real(name, *a))
    with pytest.raises(SystemExit):
        main(["score", "2022-2024:en", "2022-2024:en", "--src", "2022-2024:es", "--comet", "x.ckpt"])
    assert "pip install unbabel-comet" in capsys.readouterr().err


def test_roundtrip_with_an_engine(monkeypatch):
    """A stand-in engine that knows the way back for every en clause: round trip = 100."""
    from celac_i18n.corpus.refs import load
    es, en = load("2022-2024:es"), load("2022-2024:en:reference")
    back = {u.text: es[u.id].text for u in en.units if es.get(u.id)}

    class Engine:
        def signature(self, src, tgt):
            return f"fake:1|src:{src}"

        def translate(self, texts, src, tgt, **kw):
            assert (src, tgt) == ("en", "es")
            return [back[t] for t in texts]

    @contextlib.contextmanager
    def session(name, model=None, **kw):
        yield Engine(), None          # (engine, cache): no cache for the stand-in

    mod = types.ModuleType("celac_i18n.translate")
    mod.get_engine = lambda name: Engine()
    mod.session = session
    monkeypatch.setitem(sys.modules, "celac_i18n.translate", mod)
    import celac_i18n
    monkeypatch.setattr(celac_i18n, "translate", mod, raising=False)
    r = run(["score", "2022-2024:en:reference", "2022-2024:en:reference", "--src",
             "2022-2024:es", "--roundtrip", "fake", "--format", "json"])
    assert r.exit_code == 0, r.output
    rt = next(c for c in json.loads(r.stdout)["corpus"] if c["metric"] == "roundtrip-chrF2++")
    assert rt["score"] == 100 and "roundtrip:en-es" in rt["signature"] and "engine:fake:1|src:en" in rt["signature"]


def test_roundtrip_without_engine_module(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "celac_i18n.translate", None)   # import fails
    with pytest.raises(SystemExit) as e:
        main(["score", "2022-2024:en", "2022-2024:en", "--src", "2022-2024:es",
              "--roundtrip", "apertium"])
    assert e.value.code == 2 and "translation engine" in capsys.readouterr().err


def test_compare_json(weak_en):
    r = run(["compare", weak_en, "2022-2024:en:reference", "2022-2024:en:reference",
             "--format", "json", "--bootstrap", "200", "--ar", "200"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    res = {x["metric"]: x for x in data["results"]}
    assert res["BLEU"]["verdict"] == "sys2 better (p<0.05)"
    assert res["TER"]["verdict"] == "sys2 better (p<0.05)"
    assert 0 < res["chrF2++"]["p_ar"] <= 0.05 and "±" in res["BLEU"]["sys1_ci95"]
    assert "bs:200|ar:200|seed:" in res["BLEU"]["signature"]


def test_score_table_title_with_brackets_in_path(tmp_path):
    # rich reads [ ... ] in a table title as markup: a path like d[/e]/p.txt crashed
    d = tmp_path / "d[" / "e]"
    d.mkdir(parents=True)
    p = d / "p.txt"
    p.write_text((corpus_dir() / "2022-2024" / "en.reference.txt").read_text(encoding="utf-8"),
                 encoding="utf-8")
    r = run(["score", f"{p}@en", "2022-2024:en:reference", "--format", "table"])
    assert r.exit_code == 0, r.output
    assert "d[/e]" in r.stdout.replace("\n", "") or "d[" in r.stdout


def test_progress_bar_on_a_terminal_only():
    """A bar on stderr while scoring, when stderr is a terminal; the data on stdout."""
    import os
    import pty
    import subprocess
    import threading

    master, slave = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "celac_i18n", "score", "2022-2024:en:apertium",
                          "2022-2024:en:reference", "--format", "json"],
                         stdout=subprocess.PIPE, stderr=slave,
                         env={**os.environ, "TERM": "xterm", "COLUMNS": "120"})
    os.close(slave)
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = p.communicate(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert p.returncode == 0
    assert "TER" in err and "138/138" in err      # the bar counted the units
    assert {c["metric"] for c in json.loads(out)["corpus"]} == {"BLEU", "chrF2++", "TER"}
    # piped: no bar (no terminal codes), one line per step
    r = subprocess.run([sys.executable, "-m", "celac_i18n", "score", "2022-2024:pt:apertium",
                        "2022-2024:pt:reference", "--format", "json"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and "\x1b" not in r.stderr
    assert r.stderr.splitlines() == [f"{m}…" for m in ("BLEU", "chrF2++", "TER")]


def test_progress_callbacks_count_every_unit_and_test():
    from celac_i18n.corpus.refs import load
    from celac_i18n.score.metrics import score_documents
    from celac_i18n.score.significance import compare_documents

    calls = []
    hyp, ref = load("2022-2024:pt:apertium"), load("2022-2024:pt:reference")
    score_documents(hyp, ref, progress=lambda *a: calls.append(a))
    ter = [done for what, done, total in calls if what == "TER"]
    assert ter == sorted(ter) and ter[0] == 0 and ter[-1] == 138 and len(ter) > 100
    assert {what for what, _, _ in calls} == {"BLEU", "chrF2++", "TER"}
    steps = []
    compare_documents(hyp, ref, ref, ("bleu", "ter"), 20, 20,
                      progress=lambda *a: steps.append(a))
    assert [s[1] for s in steps] == [0, 1, 2, 3, 4] and steps[-1][2] == 4
    assert steps[2][0] == "TER paired bootstrap"
