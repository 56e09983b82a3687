"""Safety, as a hostile user would test it (issue 13): nothing written where it must not
be, no input that exhausts the machine, no process that outlives its run, and one
line with exit 2 instead of a traceback. Each test is named after the case it covers;
README's "Promises" section names them. Big inputs are built here, in temp folders;
memory is checked under RLIMIT_AS so that a regression fails instead of swapping."""

from __future__ import annotations

import fcntl
import http.server
import io
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from celac_i18n.batch.runner import BUILT, SKIPPED, run_batch
from celac_i18n.cli import main
from celac_i18n.errors import UserError
from conftest import CORPUS, ROOT, run_cli

FIX = Path(__file__).parent / "fixtures" / "pdf"
PLAN = "2022-2024"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process: (exit code, stdout, stderr). A traceback would be
    an exception escaping main(), which fails the test."""
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str, *needles: str) -> str:
    lines = err.strip().splitlines()
    assert code == 2, (code, err)
    assert len(lines) == 1 and "Traceback" not in err, err
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def tree_digest(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def run_limited(args: list[str], mem_mb: int, env: dict | None = None, timeout: float = 120):
    """The CLI in a subprocess whose address space is capped at ``mem_mb``."""
    limit = mem_mb << 20

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run([sys.executable, "-m", "celac_i18n", *args], capture_output=True,
                          text=True, preexec_fn=cap, cwd=ROOT, timeout=timeout,
                          env={**os.environ, **(env or {})})


def mini_inputs(where: Path) -> None:
    for name in ("mini.es.txt", "mini.zh.txt"):
        shutil.copy(FIX / name, where / name)


# -- case 1: batch writes only inside its output_dir, never over what it reads ----------

JOB = '''output_dir = "{out}"
[[output]]
path = {path}
do = "{do}"
inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]
'''


@pytest.mark.parametrize("out, path, do, needle", [
    ("out", '"../escaped.json"', "align", "must be a file name inside output_dir"),
    ("out", '"{tmp}/abs.json"', "align", "must be a file name inside output_dir"),
    (".", '"selfjob.toml"', "qa", "is an input of this command"),
    (".", '"mini.zh.txt"', "align", "is an input of this command"),
    ("out", '".mini.json.celac-state.json"', "align", "hidden name"),
    ("{corpus}/2022-2024", '"en.reference.txt"', "qa", "inside the corpus"),
    ("out", '"{corpus}/2022-2024/en.reference.txt"', "qa", "inside output_dir"),
    ("out", "5", "align", "'path' must be a non-empty string"),      # case 10: path = 5
])
def test_case1_batch_outputs_stay_in_output_dir(tmp_path, capsys, out, path, do, needle):
    mini_inputs(tmp_path)
    job = tmp_path / "selfjob.toml"
    fill = {"tmp": tmp_path, "corpus": CORPUS}
    job.write_text(JOB.format(out=out.format(**fill), path=path.format(**fill), do=do),
                   encoding="utf-8")
    before, corpus_before = tree_digest(tmp_path), tree_digest(CORPUS)
    code, _, err = cli(capsys, "batch", str(job))
    one_line_error(code, err, needle)
    assert tree_digest(tmp_path) == before and tree_digest(CORPUS) == corpus_before


def test_case1_batch_messages_name_the_final_output(tmp_path, capsys):
    """Issue 17 item 7: "wrote …/.x.celac-tmp/x" named a temp file that no longer exists."""
    mini_inputs(tmp_path)
    job = tmp_path / "jobs.toml"
    job.write_text(JOB.format(out="out", path='"es-zh.json"', do="align"), encoding="utf-8")
    code, _, err = cli(capsys, "batch", str(job), "--format", "jsonl")
    assert code == 0, err
    assert f"wrote {tmp_path / 'out' / 'es-zh.json'}" in err
    assert "celac-tmp" not in err and ".tmp" not in err


# -- case 2: -o never lands under corpora/ --------------------------------------------

@pytest.mark.parametrize("args, target", [
    (["diff", f"{PLAN}:es", "{f}"], "manifest.toml"),
    (["qa", f"{PLAN}:es", "{f}@en"], "termbase.tsv"),
    (["align", f"{PLAN}:es", "{f}@zh"], "2022-2024/new-file.jsonl"),
    (["translate", "{f}@es", "--to", "en"], "2022-2024/es.official.txt"),
])
def test_case2_output_never_under_corpora(tmp_path, capsys, args, target):
    mini_inputs(tmp_path)
    src = tmp_path / ("mini.zh.txt" if "@zh" in args[-1] else "mini.es.txt")
    before = tree_digest(CORPUS)
    code, out, err = cli(capsys, *[a.format(f=src) for a in args], "-o", str(CORPUS / target))
    one_line_error(code, err, "inside the corpus")
    assert out == "" and tree_digest(CORPUS) == before


# -- case 3: names become path parts only once validated ------------------------------

@pytest.mark.parametrize("option, value", [
    ("--engine", "../../../../elsewhere/x"), ("--engine", "a/b"), ("--engine", "x.y"),
    ("--plan", "../2022-2024"), ("--lang", "../../x"),
])
def test_case3_import_names_cannot_leave_corpora(corpus_copy, tmp_path, capsys, option, value):
    src = tmp_path / "en.txt"
    shutil.copy(CORPUS / PLAN / "en.apertium.txt", src)
    args = {"--plan": PLAN, "--lang": "en", "--kind": "machine", "--engine": "apertium2"}
    args[option] = value
    before = tree_digest(tmp_path)
    code, _, err = cli(capsys, "corpus", "import", str(src), *sum(args.items(), ()), "--force")
    one_line_error(code, err, repr(value) if option != "--lang" else "unknown language")
    assert tree_digest(tmp_path) == before        # corpora/ (the copy) and all beside it
    assert not (tmp_path.parent / "elsewhere").exists()


# -- case 4: two imports of one entry at once: one wins, the other is refused ---------

def test_case4_concurrent_imports_one_refused(corpus_copy, tmp_path, monkeypatch):
    import celac_i18n.corpus.importer as importer
    from celac_i18n.corpus.manifest import Manifest

    real = importer.atomic_open

    def slow_open(*a, **k):   # widen the window between the check and the write
        time.sleep(0.4)
        return real(*a, **k)

    monkeypatch.setattr(importer, "atomic_open", slow_open)
    zh = (CORPUS / PLAN / "zh.reference.txt").read_text(encoding="utf-8")
    results: list = [None, None]

    def run(i):    # the 2015-2019 plan has no Chinese text yet: both try to add it
        f = tmp_path / f"zh-{i}.txt"
        f.write_text(zh, encoding="utf-8")
        try:
            results[i] = importer.import_file(str(f), plan="2015-2019", lang="zh",
                                              kind="reference", notes=f"import {i}",
                                              manifest=Manifest(corpus_copy))
        except UserError as e:
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [r for r in results if isinstance(r, UserError)]
    assert len(errors) == 1 and "already in the corpus" in str(errors[0]), results
    [winner] = [r for r in results if not isinstance(r, UserError)]

    [entry] = Manifest(corpus_copy).find("2015-2019", "zh", "reference")
    assert entry.notes == winner.notes and entry.file == "2015-2019/zh.reference.txt"


# -- case 5: a zip that unpacks to far more than it weighs ------------------------------

def docx_bomb(path: Path, megabytes: int) -> Path:
    """A valid .docx of ~1.5 MB whose document.xml unpacks to ``megabytes`` MB."""
    import docx

    base = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("I. Uno")
    d.save(base)
    src = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    para = b"<w:p><w:r><w:t>1. Fortalecer los contactos.</w:t></w:r></w:p>"
    chunk = para * ((1 << 20) // len(para) + 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return docx_bomb(tmp_path_factory.mktemp("bomb") / "plan.docx", 200)


def test_case5_docx_bomb_refused_within_1_gib(bomb):
    assert bomb.stat().st_size < 3 << 20
    t0 = time.monotonic()
    r = run_limited(["clauses", f"{bomb}@es"], mem_mb=1024)
    one_line_error(r.returncode, r.stderr, "word/document.xml", "unpacks to", "limit")
    assert time.monotonic() - t0 < 30


class _Server(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server API
        self.routes[self.path](self)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", _Server.routes
    srv.shutdown()
    _Server.routes.clear()


def _point_sources(corpus: Path, url: str) -> None:
    import tomlkit

    path = corpus / "manifest.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    for d in doc["document"]:
        if (d["plan"], d["lang"]) == (PLAN, "pt"):
            d["sources"] = [url]
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def test_case5_fetched_docx_bomb_refused_within_1_gib(bomb, corpus_copy, server):
    base, routes = server
    body = bomb.read_bytes()

    def send(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/vnd.openxmlformats-officedocument."
                      "wordprocessingml.document")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    routes["/plan.docx"] = send
    _point_sources(corpus_copy, f"{base}/plan.docx")
    before = tree_digest(corpus_copy)
    r = run_limited(["corpus", "fetch", PLAN, "--lang", "pt", "--timeout", "20"], 1024,
                    env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "unpacks to" in r.stderr
    assert tree_digest(corpus_copy) == before


# -- case 7: --timeout bounds the whole download; redirects stay on http(s) -------------

def _drip(where: str):
    def handler(h):
        sock = h.connection
        head = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
        sock.sendall(head if where == "body" else head[:20])
        for _ in range(40):            # one byte every quarter second: 10 s in all
            time.sleep(0.25)
            try:
                sock.sendall(b"x")
            except OSError:
                return
    return handler


@pytest.mark.parametrize("where", ["headers", "body"])
def test_case7_fetch_timeout_bounds_the_whole_download(server, where):
    from celac_i18n.corpus.fetch import download

    base, routes = server
    routes["/drip"] = _drip(where)
    t0 = time.monotonic()
    with pytest.raises(UserError, match="not downloaded within 1 s"):
        download(f"{base}/drip", timeout=1, max_bytes=1 << 20)
    assert time.monotonic() - t0 < 3


def test_case7_redirect_to_ftp_refused(server):
    from celac_i18n.corpus.fetch import download

    base, routes = server

    def redirect(h):
        h.send_response(302)
        h.send_header("Location", "ftp://127.0.0.1:9/plan.txt")
        h.end_headers()

    routes["/moved"] = redirect
    with pytest.raises(UserError, match=r"redirects to ftp://127\.0\.0\.1:9/plan\.txt.*"
                                        r"only http\(s\)"):
        download(f"{base}/moved", timeout=5, max_bytes=1 << 20)


# -- case 8: pool workers die with the batch; the next run cleans up ---------------------

PDF_JOB = '''[[output]]
path = "{name}"
do = "pdf"
inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]
'''


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2:].split()[0] != "Z"


def test_case8_kill_9_of_batch_kills_its_workers(tmp_path):
    mini_inputs(tmp_path)
    job = tmp_path / "jobs.toml"
    job.write_text('output_dir = "out"\n' + "".join(PDF_JOB.format(name=f"k{i}.pdf")
                                                     for i in range(6)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "celac_i18n", "batch", str(job), "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = [k for k in _children(proc.pid)
                       if b"multiprocessing" in Path(f"/proc/{k}/cmdline").read_bytes()
                       and b"resource_tracker" not in Path(f"/proc/{k}/cmdline").read_bytes()]
        assert len(workers) == 2, "the pool never started"
        time.sleep(1.0)                  # let them take a job each
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "workers outlived the batch"
    finally:
        for k in [proc.pid, *_children(proc.pid)]:
            try:
                os.kill(k, signal.SIGKILL)
            except OSError:
                pass


def test_case8_next_run_stops_leftover_workers_and_removes_temps(tmp_path):
    from celac_i18n.batch.procs import WORKERS_NAME, _start_time

    mini_inputs(tmp_path)
    job = tmp_path / "jobs.toml"
    job.write_text('output_dir = "out"\n' + PDF_JOB.format(name="a.pdf"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    leftover = subprocess.Popen(["sleep", "60"])
    bystander = subprocess.Popen(["sleep", "60"])   # listed, but with another start time
    try:
        (out / WORKERS_NAME).write_text(f"{leftover.pid} {_start_time(leftover.pid)}\n"
                                        f"{bystander.pid} 1\n")
        (out / ".a.pdf.celac-tmp").mkdir()
        (out / ".a.pdf.celac-tmp" / "a.pdf").write_bytes(b"%PDF half")
        (out / ".a.pdf.x1y2.tmp").write_bytes(b"half")
        assert [o.status for o in run_batch(job)] == [BUILT]
        assert leftover.wait(timeout=5) == -signal.SIGKILL
        assert bystander.poll() is None                  # never an unrelated process
        assert sorted(p.name for p in out.iterdir()) == [
            ".a.pdf.celac-state.json", ".celac-batch.lock", "a.pdf"]
    finally:
        for p in (leftover, bystander):
            p.kill()
            p.wait()


# -- case 9: two runs of one job file at once: the second waits, both succeed -----------

def test_case9_concurrent_batch_runs_wait_and_succeed(tmp_path):
    mini_inputs(tmp_path)
    (tmp_path / "mini.en.txt").write_text(
        (FIX / "mini.es.txt").read_text(encoding="utf-8"), encoding="utf-8")
    job = tmp_path / "jobs.toml"
    job.write_text('output_dir = "out"\n[[output]]\npath = "score.txt"\ndo = "score"\n'
                   'inputs = ["mini.en.txt@es", "mini.es.txt@es"]\nformat = "json"\n'
                   '[[output]]\npath = "es-zh.jsonl"\ndo = "align"\n'
                   'inputs = ["mini.es.txt@es", "mini.zh.txt@zh"]\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    logs = [tmp_path / f"run{i}.err" for i in range(2)]
    with open(out / ".celac-batch.lock", "a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)       # a first run, still going
        runs = [subprocess.Popen([sys.executable, "-m", "celac_i18n", "batch", str(job),
                                  "--format", "jsonl"], stdout=subprocess.PIPE,
                                 stderr=open(log, "w"), text=True, cwd=ROOT) for log in logs]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(
                "waiting: another batch run" in log.read_text() for log in logs):
            time.sleep(0.1)
        waited = all("waiting: another batch run" in log.read_text() for log in logs)
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    results = [(p.wait(timeout=120), p.communicate()[0]) for p in runs]
    assert waited, [log.read_text() for log in logs]
    assert [code for code, _ in results] == [0, 0], [log.read_text() for log in logs]
    statuses = [[json.loads(line)["status"] for line in text.splitlines()]
                for _, text in results]
    assert sorted(statuses) == [[BUILT, BUILT], [SKIPPED, SKIPPED]]
    assert json.loads((out / "score.txt").read_text())["corpus"]


# -- case 10: tracebacks become one line and exit 2 ----------------------------------

def _docx_with(document_xml: bytes, path: Path) -> Path:
    import docx

    base = io.BytesIO()
    docx.Document().save(base)
    src = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, document_xml if info.filename == "word/document.xml"
                       else src.read(info.filename))
    return path


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                 * 10) for i in range(1, 10))
          + b']><w:document xmlns:w="' + W_NS.encode()
          + b'"><w:body><w:p><w:r><w:t>I. &lol9;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("xml, needle", [
    (b'<?xml version="1.0"?><w:document xmlns:w="' + W_NS.encode() + b'"><w:body><w:p>',
     "not a readable .docx"),
    (LAUGHS, "plan.docx"),
])
def test_case10_malformed_docx(tmp_path, capsys, xml, needle):
    doc = _docx_with(xml, tmp_path / "plan.docx")
    code, _, err = cli(capsys, "clauses", f"{doc}@es")
    one_line_error(code, err, needle)


def test_case10_pdf_stream_past_pypdf_limit(tmp_path, capsys):
    import zlib

    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="I. Uno 1. Primero.")
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    page = w.pages[0]
    s = StreamObject()
    s._data = zlib.compress(page.get_contents().get_data() + b" " * 80_000_000, 1)
    s[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = w._add_object(s)
    path = tmp_path / "inflates.pdf"
    with open(path, "wb") as fh:
        w.write(fh)
    code, _, err = cli(capsys, "clauses", f"{path}@es")
    one_line_error(code, err, "inflates.pdf", "not a readable PDF", "LimitReachedError")


def test_case10_corrupt_cache_pages(tmp_path, capsys, monkeypatch):
    from celac_i18n.translate.cache import TranslationCache

    path = tmp_path / "cache.sqlite"
    key = ("apertium", "-", "1", "es", "en")
    with TranslationCache(path) as c:
        c.put_many(key, [(f"texto {i} " * 20, f"text {i} " * 20) for i in range(300)])
        c._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096:] = bytes((i * 7919) % 251 for i in range(len(data) - 4096))  # pages, not header
    path.write_bytes(bytes(data))
    with sqlite3.connect(path) as db:      # the header still reads as SQLite
        assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
    with pytest.raises(UserError, match="cannot use it as the translation cache"):
        with TranslationCache(path) as c:
            c.get_many(key, ["texto 5 " * 20])
    monkeypatch.setenv("CELAC_I18N_CACHE", str(path))
    code, out, err = cli(capsys, "translate", f"{FIX / 'mini.es.txt'}@es", "--to", "en")
    one_line_error(code, err, "cache.sqlite", "translation cache")


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
@pytest.mark.parametrize("name", [b"plan\x01es.txt", b"plan\xffes.txt"])
def test_case10_export_with_odd_file_names(tmp_path, capsys, fmt, name):
    import xml.etree.ElementTree as ET

    es = tmp_path / os.fsdecode(name)
    shutil.copy(FIX / "mini.es.txt", es)
    out = tmp_path / f"out.{fmt}"
    code, _, err = cli(capsys, "align", f"{es}@es", f"{FIX / 'mini.zh.txt'}@zh",
                       "--format", fmt, "-o", str(out))
    assert code == 0 and "Traceback" not in err, err
    root = ET.fromstring(out.read_bytes())        # well-formed XML
    assert "plan\ufffdes.txt" in ET.tostring(root, encoding="unicode")


def test_case10_deeply_nested_json_to_align_eval(tmp_path, capsys):
    nested = tmp_path / "nested.jsonl"
    nested.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    code, _, err = cli(capsys, "align-eval", str(nested), str(nested))
    one_line_error(code, err, "nested.jsonl:1", "nested too deeply")


def test_case10_stdout_on_dev_full():
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "celac_i18n", "clauses", f"{PLAN}:es",
                            "--format", "jsonl"], stdout=full, stderr=subprocess.PIPE,
                           text=True, cwd=ROOT, timeout=60)
    one_line_error(r.returncode, r.stderr, "cannot write the output", "No space left")


# -- case 11: encodings: damaged UTF-8 is not cp1252; NUL anywhere -------------------

ES_TEXT = (FIX / "mini.es.txt").read_text(encoding="utf-8")
NL = b"\n"


def test_case11_damaged_utf8_is_reported_not_read_as_cp1252(tmp_path, capsys, corpus_copy):
    data = bytearray(ES_TEXT.encode("utf-8"))
    spots = [next(i for i in range(at, len(data)) if data[i] < 0x80) for at in (200, 400, 600)]
    for at in spots:
        data[at] = 0xFF
    path = tmp_path / "plan.txt"
    path.write_bytes(bytes(data))
    where = [f"byte {at} (line {data.count(NL, 0, at) + 1})" for at in spots]
    code, out, err = cli(capsys, "clauses", f"{path}@es")
    one_line_error(code, err, "plan.txt", "3 invalid UTF-8 bytes", "not read as cp1252", *where)
    assert out == ""
    before = tree_digest(corpus_copy)
    code, _, err = cli(capsys, "corpus", "import", str(path), "--plan", "2015-2019",
                       "--lang", "es", "--kind", "official")
    one_line_error(code, err, "3 invalid UTF-8 bytes")
    assert tree_digest(corpus_copy) == before


def test_case11_cp1252_read_only_when_plausible_and_said(tmp_path, capsys):
    path = tmp_path / "plan.txt"
    path.write_bytes(ES_TEXT.encode("cp1252"))
    code, out, err = cli(capsys, "clauses", f"{path}@es", "--format", "jsonl")
    assert code == 0 and "la inversión entre" in out
    assert "not UTF-8; read as cp1252" in err
    path.write_bytes(ES_TEXT.encode("ascii", "replace") + bytes(range(0x80, 0xA0)) * 4)
    code, _, err = cli(capsys, "clauses", f"{path}@es")
    one_line_error(code, err, "not plausibly GB18030, cp1252 or Latin-1")


def test_case11_nul_after_the_first_4_kib_refused(tmp_path, capsys):
    path = tmp_path / "plan.txt"
    text = ES_TEXT + "\n" + "Texto de relleno sin numeración.\n" * 200
    assert len(text.encode()) > 4096
    path.write_text(text + "2. Un\x00 texto.\n", encoding="utf-8")
    code, out, err = cli(capsys, "clauses", f"{path}@es")
    one_line_error(code, err, "plan.txt", "NUL character", f"line {text.count(chr(10)) + 1}")


def test_case11_nul_in_extracted_text_is_dropped(monkeypatch):
    import celac_i18n.ingest as ingest

    monkeypatch.setitem(ingest.READERS, "pdf", "test_safety:_reader_with_nul")
    text, _ = ingest.read_bytes(b"%PDF-1.4 stand-in", "x.pdf")
    assert "\x00" not in text and text == "I. Uno\n1. Primero.\n"


def _reader_with_nul(data: bytes, where: str):
    return "I. Uno\n1. Pri\x00mero.\n", "pdf-text-layer"
