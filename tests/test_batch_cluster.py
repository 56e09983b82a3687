"""`batch --cluster`: the same job file on the local pool and on a Dask cluster gives
byte-identical outputs; a failing job or a dying worker fails alone; a second run
skips everything; a bad or unreachable address is one line and exit 2, nothing
written. The cluster is started here on loopback the way README says
(`dask scheduler`, `dask worker --nworkers 2 --nthreads 1`), without a dashboard."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from celac_i18n.batch import executors  # noqa: E402
from celac_i18n.batch.executors import DaskCluster  # noqa: E402
from celac_i18n.errors import UserError  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "pdf"
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

JOBS = '''output_dir = "out"

[[output]]
path = "mini.es-zh.pdf"
do = "pdf"
inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]
layout = "side-by-side"

[[output]]
path = "ccf3.es-en-zh.jsonl"
do = "align"
inputs = ["ccf3.es.txt@es", "ccf3.en.txt@en", "ccf3.zh.txt@zh"]
format = "jsonl"

[[output]]
path = "ccf3.es-zh.qa.json"
do = "qa"
inputs = ["ccf3.es.txt@es", "ccf3.zh.txt@zh"]
format = "json"

[[output]]
path = "ccf3.diff.json"
do = "diff"
inputs = ["ccf3.es.txt@es", "ccf3-edited.es.txt@es"]
format = "json"

[[output]]
path = "ccf3.en.score.txt"
do = "score"
inputs = ["ccf3-edited.en.txt@en", "ccf3.en.txt@en"]
'''
TRANSLATE = '''
[[output]]
path = "ccf3.apertium.en.txt"
do = "translate"
inputs = ["ccf3.es.txt@es"]
to = "en"
'''
BROKEN = '''
[[output]]
path = "empty.pdf"
do = "pdf"
inputs = ["mini.es.txt@es", "empty.txt@zh"]
'''


def _wait_for(pred, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(what)


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory):
    # a private translation cache for the client and the workers alike
    return {"CELAC_I18N_CACHE": str(tmp_path_factory.mktemp("cache") / "tr.sqlite")}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, cache_env):
    """A scheduler and two single-threaded worker processes (with their nanny) on
    127.0.0.1. SOURCE_DATE_EPOCH is *not* in their environment: the client's value
    travels with each task."""
    d = tmp_path_factory.mktemp("cluster")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(cache_env)
    sched_file = d / "scheduler.json"
    logs = [open(d / "scheduler.log", "w"), open(d / "workers.log", "w")]
    procs = [subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(sched_file)],
        stdout=logs[0], stderr=subprocess.STDOUT, env=env, cwd=d, start_new_session=True)]
    try:
        address = _wait_for(lambda: sched_file.is_file() and json.loads(
            sched_file.read_text() or "{}").get("address"), 30, "scheduler start")
        procs.append(subprocess.Popen(
            [str(BIN / "dask"), "worker", address, "--nworkers", "2", "--nthreads", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(d),
             "--death-timeout", "30"],
            stdout=logs[1], stderr=subprocess.STDOUT, env=env, cwd=d,
            start_new_session=True))
        from distributed import Client

        with Client(address, timeout=30, set_as_default=False) as c:
            c.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for p in reversed(procs):       # the workers, then the scheduler
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        for log in logs:
            log.close()


def _job_dir(tmp_path: Path, extra: str = "") -> Path:
    for src, dst in [("mini.es.txt", "mini.es.txt"), ("mini.zh.txt", "mini.zh.txt"),
                     ("ccf3-declaration.es.txt", "ccf3.es.txt"),
                     ("ccf3-declaration.en.txt", "ccf3.en.txt"),
                     ("ccf3-declaration.zh.txt", "ccf3.zh.txt")]:
        shutil.copy(FIX / src, tmp_path / dst)
    es = (FIX / "ccf3-declaration.es.txt").read_text(encoding="utf-8")
    (tmp_path / "ccf3-edited.es.txt").write_text(
        es.replace("debatir en torno a", "examinar").replace("\n3. ", "\n4. "),
        encoding="utf-8")
    en = (FIX / "ccf3-declaration.en.txt").read_text(encoding="utf-8")
    (tmp_path / "ccf3-edited.en.txt").write_text(
        en.replace("Ministerial Meeting", "ministers' meeting"), encoding="utf-8")
    (tmp_path / "jobs.toml").write_text(JOBS + extra, encoding="utf-8")
    return tmp_path


def _batch(folder: Path, *args: str, env: dict | None = None, timeout: float = 120):
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "celac_i18n", "batch", "jobs.toml",
                        "--format", "jsonl", *args], capture_output=True, text=True,
                       cwd=folder, env={**os.environ, **(env or {})}, timeout=timeout)
    r.seconds = time.monotonic() - t0
    r.rows = {Path(x["output"]).name: x for x in map(json.loads, r.stdout.splitlines())}
    return r


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if not p.name.startswith(".")}


def test_same_job_file_same_bytes_on_the_pool_and_the_cluster(tmp_path, cluster, cache_env):
    extra = TRANSLATE if shutil.which("apertium") else ""
    d = _job_dir(tmp_path, extra)
    env = {**cache_env, "SOURCE_DATE_EPOCH": "1700000000"}
    pool = _batch(d, "-j", "2", env=env)
    assert pool.returncode == 0, pool.stderr
    (d / "out").rename(d / "out-pool")
    ran = _batch(d, "--cluster", cluster, env=env)
    assert ran.returncode == 0, ran.stderr
    n = 6 if extra else 5
    assert {r["status"] for r in ran.rows.values()} == {"built"} and len(ran.rows) == n
    assert f"building {n} of {n} output(s) on the cluster at {cluster} (2 worker(s))" \
        in ran.stderr
    assert f"[{n}/{n}] built" in ran.stderr
    # the commands' own messages come back from the workers to this stderr
    assert "finding(s)" in ran.stderr and "aligning es–en" in ran.stderr
    assert "Traceback" not in ran.stderr
    on_pool, on_cluster = _outputs(d / "out-pool"), _outputs(d / "out")
    assert sorted(on_cluster) == sorted(ran.rows)
    assert on_pool.keys() == on_cluster.keys()
    assert [k for k in on_pool if on_pool[k] != on_cluster[k]] == []
    assert on_cluster["mini.es-zh.pdf"].startswith(b"%PDF")
    assert b"BLEU" in on_cluster["ccf3.en.score.txt"]
    # no temp file or folder left beside the outputs; one state file per output
    hidden = sorted(p.name for p in (d / "out").iterdir() if p.name.startswith("."))
    assert hidden == sorted([".celac-batch.lock"]
                            + [f".{k}.celac-state.json" for k in on_cluster])
    # resumable: a second run skips everything, on the cluster and on the local pool
    again = _batch(d, "--cluster", cluster, env=env)
    assert again.returncode == 0, again.stderr
    assert {r["status"] for r in again.rows.values()} == {"up to date"}
    assert "building" not in again.stderr
    local = _batch(d, env=env)
    assert {r["status"] for r in local.rows.values()} == {"up to date"}
    assert _outputs(d / "out") == on_cluster


def test_a_failing_job_fails_alone_on_the_cluster(tmp_path, cluster, cache_env):
    d = _job_dir(tmp_path, BROKEN)
    (d / "empty.txt").write_text("\n", encoding="utf-8")   # found, nothing to typeset
    r = _batch(d, "--cluster", cluster, env=cache_env)
    assert r.returncode == 1, r.stderr
    assert r.rows.pop("empty.pdf")["status"] == "failed"
    assert {x["status"] for x in r.rows.values()} == {"built"}
    assert "empty.txt" in r.stderr and "1 failed" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (d / "out" / "empty.pdf").exists()
    assert not [p for p in (d / "out").iterdir() if p.name.endswith((".tmp", ".celac-tmp"))]
    # once the input is fixed, only that job runs
    shutil.copy(d / "mini.zh.txt", d / "empty.txt")
    fixed = _batch(d, "--cluster", cluster, env=cache_env)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.rows.pop("empty.pdf")["status"] == "built"
    assert {x["status"] for x in fixed.rows.values()} == {"up to date"}


def test_a_job_that_kills_its_worker_fails_alone(cluster):
    import operator

    # os._exit(3): a worker killed mid-job (out of memory, kill -9); its nanny
    # restarts it, the scheduler retries the job on another worker, then gives up
    calls = [(abs, -1), (abs, -2), (os._exit, 3), (abs, -3), (abs, -4)]
    with DaskCluster(cluster) as ex:
        got = dict(ex.map_unordered(operator.call, calls))
        assert {i: got[i] for i in (0, 1, 3, 4)} == {0: 1, 1: 2, 3: 3, 4: 4}
        assert type(got[2]).__name__ == "KilledWorker"
        # the cluster is whole again afterwards
        ex.client.wait_for_workers(2, timeout=30)
        assert dict(ex.map_unordered(operator.call, [(abs, -5)])) == {0: 5}


def test_a_job_that_kills_its_local_pool_worker_fails_alone(tmp_path):
    """The local pool does as the cluster: a dead worker breaks the whole pool, and
    the calls it took with it run again one per fresh process."""
    import operator

    from celac_i18n.batch.executors import LocalPool

    calls = [(abs, -1), (time.sleep, 0.5), (os._exit, 3), (abs, -3), (abs, -4), (abs, -5)]
    got = dict(LocalPool(2, tmp_path / "workers").map_unordered(operator.call, calls))
    assert {i: got[i] for i in (0, 1, 3, 4, 5)} == {0: 1, 1: None, 3: 3, 4: 4, 5: 5}
    assert type(got[2]).__name__ == "BrokenProcessPool"
    assert not (tmp_path / "workers").exists()      # the registry goes with the run


QA_TB = """
[[output]]
path = "ccf3.{n}.qa.json"
do = "qa"
inputs = ["ccf3.es.txt@es", "ccf3.en.txt@en"]
termbase = "terms.tsv"
format = "json"
"""


def test_long_lived_workers_see_an_edited_termbase(tmp_path, cluster, cache_env):
    """A worker outlives a run; what it read in one run must not leak into the next:
    a termbase edited between two runs is read again by every worker."""
    d = _job_dir(tmp_path)
    names = [f"ccf3.{n}.qa.json" for n in range(6)]    # so that both workers read it
    (d / "jobs.toml").write_text('output_dir = "out"\n' + "".join(
        QA_TB.format(n=n) for n in range(6)), encoding="utf-8")
    rows = (Path(__file__).parents[1] / "corpora" / "termbase.tsv").read_text(
        encoding="utf-8").splitlines(keepends=True)
    tb = d / "terms.tsv"
    tb.write_text("".join(rows), encoding="utf-8")
    assert _batch(d, "--cluster", cluster, env=cache_env).returncode == 0
    before = (d / "out" / names[0]).read_bytes()
    # the edit drops the Forum's term, which this text names
    tb.write_text("".join(r for r in rows if not r.startswith("fcc\t")), encoding="utf-8")
    assert _batch(d, "--cluster", cluster, env=cache_env).returncode == 0
    on_cluster = [(d / "out" / n).read_bytes() for n in names]
    assert _batch(d, "--force", env=cache_env).returncode == 0
    fresh = (d / "out" / names[0]).read_bytes()
    assert fresh != before          # the edit matters to QA...
    assert on_cluster == [fresh] * len(names)     # ...and every worker saw it


def _listener(answer: bytes | None, hang_up: bool = False):
    """A TCP server on loopback that is not Dask: it answers ``answer`` (or nothing),
    then hangs up if asked to."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    conns = []

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            conns.append(c)
            if answer is not None:
                c.sendall(answer)
            if hang_up:
                c.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv, f"tcp://127.0.0.1:{srv.getsockname()[1]}"


def test_bad_or_unreachable_cluster_is_one_line_exit_2_nothing_written(tmp_path, cluster):
    d = _job_dir(tmp_path)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    http, http_addr = _listener(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    rude, rude_addr = _listener(b"", hang_up=True)
    worker = None
    from distributed import Client

    with Client(cluster, set_as_default=False) as c:
        worker = min(c.scheduler_info()["workers"])
    try:
        for address, says in [(f"tcp://127.0.0.1:{port}", "cannot reach a Dask scheduler"),
                              ("nonsense", "not a scheduler address"),
                              ("tcp://127.0.0.1:70000", "not a scheduler address"),
                              ("tcp://no-such-host.invalid:8786", "unknown host"),
                              (http_addr, "does not speak Dask's protocol"),
                              (rude_addr, "is a Dask scheduler listening there?"),
                              (worker, "not the scheduler")]:
            r = _batch(d, "--cluster", address, timeout=30)
            assert r.returncode == 2, (address, r.stderr)
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and says in lines[0], (address, r.stderr)
            assert r.stdout == ""
            assert r.seconds < 15, (address, r.seconds)
            assert not (d / "out").exists(), address
        r = _batch(d, "--cluster", cluster, "-j", "2")
        assert r.returncode == 2 and "drop --jobs" in r.stderr
    finally:
        http.close()
        rude.close()


def test_a_silent_listener_times_out_within_the_bound():
    srv, address = _listener(None)
    try:
        t0 = time.monotonic()
        with pytest.raises(UserError, match="no answer within"):
            DaskCluster(address, timeout=2)
        assert time.monotonic() - t0 < 4
    finally:
        srv.close()


def test_the_cluster_must_run_this_toolkit_version(cluster, tmp_path, monkeypatch):
    job = tmp_path / "jobs.toml"
    job.write_text("# only here\n")
    ex = DaskCluster(cluster, [str(job)])
    assert ex.n_workers == 2
    ex.close()
    monkeypatch.setattr(executors, "__version__", "0.0.0-other")
    with pytest.raises(UserError, match=r"the scheduler runs celac-i18n .*, "
                                         r"this client 0\.0\.0-other"):
        DaskCluster(cluster, [str(job)])


def test_dask_is_imported_only_for_a_cluster(tmp_path):
    d = _job_dir(tmp_path)
    (d / "jobs.toml").write_text('output_dir = "out"\n[[output]]\npath = "a.jsonl"\n'
                                 'do = "align"\ninputs = ["ccf3.es.txt@es", "ccf3.en.txt@en"]\n'
                                 'format = "jsonl"\n')
    code = ("import sys, celac_i18n\n"
            "from celac_i18n.cli import main\n"
            "for args in (['--help'], ['batch', '--help'], ['batch', 'jobs.toml', '-j', '2']):\n"
            "    try:\n        main(args)\n    except SystemExit as e:\n"
            "        assert not e.code, e.code\n"
            "print([m for m in ('dask', 'distributed', 'ray') if m in sys.modules])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=d,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout
    assert (d / "out" / "a.jsonl").is_file()
