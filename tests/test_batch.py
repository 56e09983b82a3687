"""Batch jobs: build, skip what is up to date, isolate failures, never leave a
partial output (failure between write and rename, and a run killed midway)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from celac_i18n.batch.runner import BUILT, FAILED, SKIPPED, run_batch
from celac_i18n.batch.state import state_path
from celac_i18n.cli import main

FIX = Path(__file__).parent / "fixtures" / "pdf"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def jobs_file(tmp_path: Path, entries: list[str]) -> Path:
    for name in ("mini.es.txt", "mini.zh.txt"):
        (tmp_path / name).write_text((FIX / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    f = tmp_path / "jobs.toml"
    f.write_text('output_dir = "out"\n' + "\n".join(entries), encoding="utf-8")
    return f


PDF = '''[[output]]
path = "{name}"
do = "pdf"
inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]
layout = "{layout}"
'''
ALIGN = '''[[output]]
path = "es-zh.json"
do = "align"
inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]
format = "json"
'''
MISSING = '''[[output]]
path = "broken.pdf"
do = "pdf"
inputs = ["mini.es.txt@es", "does-not-exist.txt@zh"]
'''


def statuses(outcomes):
    return {o.job.path.name: o.status for o in outcomes}


def test_build_then_skip_then_rebuild_what_changed(tmp_path):
    f = jobs_file(tmp_path, [PDF.format(name="a.pdf", layout="side-by-side"), ALIGN])
    assert statuses(run_batch(f)) == {"a.pdf": BUILT, "es-zh.json": BUILT}
    out = tmp_path / "out"
    assert (out / "a.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((out / "es-zh.json").read_text())
    assert statuses(run_batch(f)) == {"a.pdf": SKIPPED, "es-zh.json": SKIPPED}
    # an edited input rebuilds the outputs made from it
    zh = tmp_path / "mini.zh.txt"
    zh.write_text(zh.read_text(encoding="utf-8").replace("扩大", "进一步扩大"), encoding="utf-8")
    assert statuses(run_batch(f)) == {"a.pdf": BUILT, "es-zh.json": BUILT}
    # changed options rebuild; a damaged output is rebuilt
    f.write_text(f.read_text().replace('layout = "side-by-side"', 'layout = "interleaved"'))
    (out / "es-zh.json").write_text("[]")
    assert statuses(run_batch(f)) == {"a.pdf": BUILT, "es-zh.json": BUILT}
    assert statuses(run_batch(f, force=True)) == {"a.pdf": BUILT, "es-zh.json": BUILT}


def test_a_failing_job_is_reported_and_the_others_go_on(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("\n")      # found, but nothing to typeset
    f = jobs_file(tmp_path, [MISSING, MISSING.replace("broken", "empty").replace(
        "does-not-exist.txt", "empty.txt"), PDF.format(name="ok.pdf", layout="interleaved"),
        PDF.format(name="ok2.pdf", layout="side-by-side")])
    with pytest.raises(SystemExit) as e:
        main(["batch", str(f), "--jobs", "2", "--format", "jsonl"])
    assert e.value.code == 1
    captured = capsys.readouterr()
    rows = {r["output"].split("/")[-1]: r for r in map(json.loads, captured.out.splitlines())}
    assert rows["broken.pdf"]["status"] == FAILED
    assert "does-not-exist.txt" in rows["broken.pdf"]["message"]
    assert rows["empty.pdf"]["status"] == FAILED and "empty.txt" in rows["empty.pdf"]["message"]
    assert rows["ok.pdf"]["status"] == rows["ok2.pdf"]["status"] == BUILT
    assert "2 failed" in captured.err
    assert (tmp_path / "out" / "ok.pdf").is_file() and (tmp_path / "out" / "ok2.pdf").is_file()
    assert not (tmp_path / "out" / "broken.pdf").exists()
    assert not (tmp_path / "out" / "empty.pdf").exists()


def test_failure_between_write_and_rename_leaves_nothing(tmp_path, monkeypatch):
    f = jobs_file(tmp_path, [PDF.format(name="a.pdf", layout="side-by-side")])
    real = os.replace

    def crash(src, dst, *a, **k):
        if str(dst).endswith("a.pdf"):
            raise OSError("disk vanished")
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", crash)
    [o] = run_batch(f)
    assert o.status == FAILED and "disk vanished" in o.message
    out = tmp_path / "out"
    # no output, state or temp (the run's lock file stays)
    assert sorted(p.name for p in out.iterdir()) == [".celac-batch.lock"]
    monkeypatch.setattr(os, "replace", real)
    assert [o.status for o in run_batch(f)] == [BUILT]


def test_killed_run_resumes_without_partial_outputs(tmp_path):
    # eight outputs built one after the other: the kill lands after the first and long
    # before the last, even when a loaded machine is slow to notice the first
    names = [f"k{i}.pdf" for i in range(8)]
    f = jobs_file(tmp_path, [PDF.format(name=n, layout="side-by-side") for n in names])
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("celac-i18n")
    proc = subprocess.Popen([str(exe), "batch", str(f)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while not state_path(out / names[0]).exists() and time.time() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = [n for n in names if state_path(out / n).exists()]
    assert names[0] in finished and len(finished) < len(names)
    for n in names:        # an output present is complete
        p = out / n
        if p.exists():
            assert p.read_bytes().rstrip().endswith(b"%%EOF")
    again = {o.job.path.name: o.status for o in run_batch(f)}
    assert all(again[n] == SKIPPED for n in finished)
    assert all(again[n] == BUILT for n in names if n not in finished)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("body, message", [
    ("[[output]]\npath = 'x.pdf'\ndo = 'bake'\ninputs = ['a', 'b']\n", "unknown do"),
    ("[[output]]\npath = 'x.pdf'\ndo = 'pdf'\ninputs = ['2022-2024:es']\n", "needs at least two documents"),
    ("[[output]]\ndo = 'pdf'\ninputs = ['a', 'b']\n", "missing 'path'"),
    ("output = [", "not valid TOML"),
])
def test_bad_job_files_are_user_errors(tmp_path, capsys, body, message):
    f = tmp_path / "jobs.toml"
    f.write_text(body)
    with pytest.raises(SystemExit) as e:
        main(["batch", str(f)])
    assert e.value.code == 2
    assert message in capsys.readouterr().err


QA = '''[[output]]
path = "qa.jsonl"
do = "qa"
inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]
format = "jsonl"
termbase = "tb.tsv"
'''
SCORED_PDF = '''[[output]]
path = "scored.pdf"
do = "pdf"
inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]
annotate = "scores"
score_ref = "ref.zh.txt@zh"
'''


def test_termbase_and_score_ref_changes_rebuild(tmp_path):
    from celac_i18n.termbase import default_path

    f = jobs_file(tmp_path, [QA, SCORED_PDF])
    tb = tmp_path / "tb.tsv"
    tb.write_text(default_path().read_text(encoding="utf-8"), encoding="utf-8")
    ref = tmp_path / "ref.zh.txt"
    ref.write_text((tmp_path / "mini.zh.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert statuses(run_batch(f)) == {"qa.jsonl": BUILT, "scored.pdf": BUILT}
    assert statuses(run_batch(f)) == {"qa.jsonl": SKIPPED, "scored.pdf": SKIPPED}
    # an edited termbase changes what qa reports: the report is rebuilt
    lines = tb.read_text(encoding="utf-8").splitlines(keepends=True)
    tb.write_text("".join(lines[:-1]), encoding="utf-8")
    # a changed score reference changes the scores printed in the PDF
    ref.write_text(ref.read_text(encoding="utf-8").replace("扩大", "进一步扩大"),
                   encoding="utf-8")
    assert statuses(run_batch(f)) == {"qa.jsonl": BUILT, "scored.pdf": BUILT}
    assert statuses(run_batch(f)) == {"qa.jsonl": SKIPPED, "scored.pdf": SKIPPED}


def test_path_options_are_relative_to_the_job_file(tmp_path, monkeypatch):
    from celac_i18n.termbase import default_path

    f = jobs_file(tmp_path, [QA, SCORED_PDF])
    (tmp_path / "tb.tsv").write_text(default_path().read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / "ref.zh.txt").write_text((tmp_path / "mini.zh.txt").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    outcomes = run_batch(f)
    assert statuses(outcomes) == {"qa.jsonl": BUILT, "scored.pdf": BUILT}, \
        [o.message for o in outcomes]
    assert (tmp_path / "out" / "qa.jsonl").is_file()
