"""The corpus: manifest facts, list, import (with provenance) and fetch (local HTTP server)."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import tomllib
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, run_cli

SEED = ROOT.parent / "shared" / "seed" / "plan-2022-2024.es.txt"


def manifest():
    return tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))


def test_spanish_text_is_the_seed_byte_for_byte():
    shipped = (CORPUS / "2022-2024" / "es.official.txt").read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == (
        "1c79d257a96dff33573e435656fb64ced558772ef04fd647eeaa5c54418db581")
    if SEED.exists():
        assert shipped == SEED.read_bytes()


def test_every_shipped_file_matches_its_manifest_hash_and_kind():
    docs = manifest()["document"]
    for d in docs:
        assert d["kind"] in ("official", "reference", "machine")
        assert d["plan"] in manifest()["plans"]
        if "file" in d:
            data = (CORPUS / d["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == d["sha256"], d["file"]
        if d["kind"] == "reference":
            assert "NOT the official" in d["notes"] and d["translator"]
        if d["kind"] == "machine":
            assert d.get("engine"), d
    shipped = {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*.txt")}
    assert shipped == {d["file"] for d in docs if "file" in d}   # nothing unlisted


def test_known_sources_are_recorded_without_texts():
    docs = {(d["plan"], d["lang"], d["kind"]): d for d in manifest()["document"]}
    pt = docs[("2022-2024", "pt", "official")]
    assert pt["sources"] == ["http://www.chinacelacforum.org/esp/zywj_4/202202/"
                             "t20220223_10644762.htm"] and "file" not in pt
    assert pt["title"] == ("Plano de Ação Conjunto China-CELAC para a Cooperação em "
                           "Áreas-Chave (2022-2024)")
    en15 = docs[("2015-2019", "en", "official")]
    assert en15["sources"] == ["http://dm.chineseembassy.org/eng/zjhz/t1658829.htm"]
    assert "file" not in en15
    for lang in ("en", "es"):
        d = docs[("2019-2021", lang, "official")]
        assert "file" not in d and d["cited_in"]


def test_corpus_list_json():
    r = run_cli("corpus", "list", "--format", "json")
    rows = {row["ref"]: row for row in json.loads(r.stdout)}
    assert rows["2022-2024:es:official"]["shipped"] is True
    assert rows["2015-2019:en:official"]["shipped"] is False
    assert rows["2015-2019:en:official"]["source"].startswith("http://dm.chineseembassy.org")


PLAN_TEXT = ("CHINA AND CELAC JOINT PLAN OF ACTION (2019-2021)\n\nThe Parties agree:\n\n"
             "I. Political and Security Cooperation\n\n1. Strengthen high-level contacts.\n\n"
             "2. Hold the Forum.\n")


def test_import_records_provenance(corpus_copy, tmp_path):
    src = tmp_path / "plan-2019.txt"
    src.write_bytes(PLAN_TEXT.replace("\n", "\r\n").encode("utf-16"))
    r = run_cli("corpus", "import", str(src), "--plan", "2019-2021", "--lang", "en",
                "--kind", "official", "--source", "https://example.org/plan",
                env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 0, r.stderr
    stored = corpus_copy / "2019-2021" / "en.official.txt"
    assert stored.read_text(encoding="utf-8") == PLAN_TEXT        # UTF-8, Unix newlines
    m = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    entry = next(d for d in m["document"] if (d["plan"], d["lang"]) == ("2019-2021", "en"))
    assert entry["file"] == "2019-2021/en.official.txt"
    assert entry["sha256"] == hashlib.sha256(stored.read_bytes()).hexdigest()
    assert entry["sources"] == ["https://example.org/plan"]
    assert entry["imported"]["encoding"] == "utf-16"
    assert entry["imported"]["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert entry["cited_in"]                       # earlier facts kept
    assert "# The documents celac-i18n knows" in (corpus_copy / "manifest.toml").read_text()
    r = run_cli("clauses", "2019-2021:en", "--format", "jsonl",
                env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["I.1", "I.2"]
    # A second import needs --force.
    again = run_cli("corpus", "import", str(src), "--plan", "2019-2021", "--lang", "en",
                    "--kind", "official", env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert again.returncode == 2
    forced = run_cli("corpus", "import", str(src), "--plan", "2019-2021", "--lang", "en",
                     "--kind", "official", "--force",
                     env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert forced.returncode == 0, forced.stderr


def test_import_refuses_a_document_without_numbering(corpus_copy, tmp_path):
    src = tmp_path / "prose.txt"
    src.write_text("Just prose.\n\nMore prose.\n", encoding="utf-8")
    r = run_cli("corpus", "import", str(src), "--plan", "2019-2021", "--lang", "en",
                "--kind", "official", env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 2 and "no numbering" in r.stderr
    assert not (corpus_copy / "2019-2021").exists()


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self):  # noqa: N802 - http.server API
        if self.path not in self.pages:
            self.send_error(404)
            return
        ctype, body = self.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Handler.pages
    server.shutdown()
    _Handler.pages.clear()


def _point_sources(corpus: Path, plan: str, lang: str, urls: list[str]) -> None:
    import tomlkit

    path = corpus / "manifest.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    for d in doc["document"]:
        if d["plan"] == plan and d["lang"] == lang:
            d["sources"] = urls
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def test_fetch_from_a_local_server(corpus_copy, http_server):
    base, pages = http_server
    html = ("<html><head><meta charset='utf-8'><script>x()</script></head><body>"
            "<nav><a href='/'>Início</a></nav><div id='conteudo'>"
            "<h2>Plano de Ação Conjunto China-CELAC (2022-2024)</h2>"
            "<p>I. Cooperação Política e de Segurança</p>"
            "<p>1. Fortalecer os contatos de alto nível.</p><p>2. Explorar uma Cúpula.</p>"
            "</div></body></html>").encode("utf-8")
    pages["/missing.htm"] = ("text/html", b"")       # served as 404 below
    del pages["/missing.htm"]
    pages["/plano.htm"] = ("text/html; charset=utf-8", html)
    _point_sources(corpus_copy, "2022-2024", "pt", [f"{base}/missing.htm", f"{base}/plano.htm"])
    r = run_cli("corpus", "fetch", "2022-2024", "--lang", "pt", "--timeout", "5",
                env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 0, r.stderr
    assert "HTTP 404" in r.stderr
    stored = (corpus_copy / "2022-2024" / "pt.official.txt").read_text(encoding="utf-8")
    assert "Início" not in stored and "x()" not in stored
    m = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    entry = next(d for d in m["document"] if (d["plan"], d["lang"], d["kind"]) ==
                 ("2022-2024", "pt", "official"))
    assert entry["imported"]["from"] == f"{base}/plano.htm"
    assert entry["imported"]["reader"] == "html"


def test_fetch_size_cap_and_failure(corpus_copy, http_server):
    base, pages = http_server
    pages["/big.txt"] = ("text/plain", b"I. Uno\n1. x.\n" * 1000)
    _point_sources(corpus_copy, "2022-2024", "pt", [f"{base}/big.txt"])
    r = run_cli("corpus", "fetch", "2022-2024", "--lang", "pt", "--max-bytes", "1000",
                env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 2 and "byte cap" in r.stderr
    assert not (corpus_copy / "2022-2024" / "pt.official.txt").exists()


def test_fetch_unreachable_source_times_out_cleanly(corpus_copy):
    _point_sources(corpus_copy, "2022-2024", "pt", ["http://127.0.0.1:9/plan.htm"])
    r = run_cli("corpus", "fetch", "2022-2024", "--lang", "pt", "--timeout", "2",
                env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 2 and "cannot download" in r.stderr and "Traceback" not in r.stderr


def test_machine_renderings_by_two_engines_are_two_entries(corpus_copy, tmp_path):
    src = tmp_path / "en.txt"
    src.write_text("PLAN\n\nI. One\n1. First.\n", encoding="utf-8")
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    for engine in ("hf", "ct2"):
        r = run_cli("corpus", "import", str(src), "--plan", "2022-2024", "--lang", "en",
                    "--kind", "machine", "--engine", engine, env=env)
        assert r.returncode == 0, r.stderr
    m = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    machine = {d["engine"]: d["file"] for d in m["document"]
               if (d["plan"], d["lang"], d["kind"]) == ("2022-2024", "en", "machine")}
    assert machine == {"apertium": "2022-2024/en.apertium.txt", "hf": "2022-2024/en.hf.txt",
                       "ct2": "2022-2024/en.ct2.txt"}


def test_import_refuses_text_in_another_language_unless_forced(corpus_copy):
    es = str(corpus_copy / "2022-2024" / "es.official.txt")
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    r = run_cli("corpus", "import", es, "--plan", "2019-2021", "--lang", "en",
                "--kind", "official", env=env)
    assert r.returncode == 2 and "'es', not 'en'" in r.stderr and "--force" in r.stderr
    assert not (corpus_copy / "2019-2021" / "en.official.txt").exists()
    forced = run_cli("corpus", "import", es, "--plan", "2019-2021", "--lang", "en",
                     "--kind", "official", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert (corpus_copy / "2019-2021" / "en.official.txt").exists()


def test_fetch_refuses_a_page_in_the_wrong_language(corpus_copy, http_server):
    base, pages = http_server
    spanish = (corpus_copy / "2022-2024" / "es.official.txt").read_bytes()
    pages["/esp/plan.txt"] = ("text/plain; charset=utf-8", spanish)
    _point_sources(corpus_copy, "2022-2024", "pt", [f"{base}/esp/plan.txt"])
    r = run_cli("corpus", "fetch", "2022-2024", "--lang", "pt", "--timeout", "5",
                env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 2 and "not 'pt'" in r.stderr
    assert not (corpus_copy / "2022-2024" / "pt.official.txt").exists()


def test_fetch_uses_the_http_charset(corpus_copy, http_server):
    base, pages = http_server
    # The server's header is right and the page's stale <meta> is wrong: the header wins.
    html = ("<html><head><meta charset='iso-8859-1'></head><body>"
            "<h2>Plano de Ação Conjunto</h2><p>I. Cooperação Política e de Segurança</p>"
            "<p>1. Fortalecer os contatos de alto nível.</p></body></html>").encode("utf-8")
    pages["/plano.htm"] = ("text/html; charset=utf-8", html)
    _point_sources(corpus_copy, "2022-2024", "pt", [f"{base}/plano.htm"])
    r = run_cli("corpus", "fetch", "2022-2024", "--lang", "pt", "--timeout", "5",
                env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    assert r.returncode == 0, r.stderr
    stored = (corpus_copy / "2022-2024" / "pt.official.txt").read_text(encoding="utf-8")
    assert "Cooperação Política" in stored and "nível" in stored


def _raw_server(reply: bytes):
    import socket

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.recv(4096)
                conn.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    return srv


@pytest.mark.parametrize("kind", ["incomplete", "invalid-url"])
def test_fetch_protocol_errors_are_user_errors(corpus_copy, kind):
    srv = None
    if kind == "incomplete":
        srv = _raw_server(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n20\r\nI. Uno\n")
        url = f"http://127.0.0.1:{srv.getsockname()[1]}/plan.txt"
    else:
        url = "http://127.0.0.1:port/plan.txt"
    try:
        _point_sources(corpus_copy, "2022-2024", "pt", [url])
        r = run_cli("corpus", "fetch", "2022-2024", "--lang", "pt", "--timeout", "5",
                    env={"CELAC_I18N_CORPUS": str(corpus_copy)})
    finally:
        if srv:
            srv.close()
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert url in r.stderr


def test_forced_import_keeps_the_old_file_when_the_manifest_update_fails(
        corpus_copy, monkeypatch):
    from celac_i18n.corpus import manifest as manifest_mod
    from celac_i18n.corpus.importer import store_text
    from celac_i18n.model import Provenance

    dest = corpus_copy / "2019-2021" / "en.official.txt"
    store_text(PLAN_TEXT, Provenance(source="a.txt"), plan="2019-2021", lang="en",
               kind="official", manifest=manifest_mod.Manifest(corpus_copy))
    old = dest.read_bytes()

    def broken(self, entry):
        raise OSError("disk full")

    monkeypatch.setattr(manifest_mod.Manifest, "upsert", broken)
    with pytest.raises(OSError):
        store_text(PLAN_TEXT.replace("Hold the Forum", "Hold the Summit"),
                   Provenance(source="b.txt"), plan="2019-2021", lang="en",
                   kind="official", force=True, manifest=manifest_mod.Manifest(corpus_copy))
    assert dest.read_bytes() == old                    # the shipped text survives
    assert sorted(p.name for p in dest.parent.iterdir()) == ["en.official.txt"]  # no temp
    m = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    entry = next(d for d in m["document"] if (d["plan"], d["lang"]) == ("2019-2021", "en"))
    assert entry["sha256"] == hashlib.sha256(old).hexdigest()


def test_concurrent_manifest_updates_keep_every_entry(corpus_copy):
    from celac_i18n.corpus.manifest import Entry, Manifest

    engines = [f"engine{i}" for i in range(12)]
    errors: list[BaseException] = []

    def add(engine):
        try:
            Manifest(corpus_copy).upsert(Entry(plan="2015-2019", lang="es", kind="machine",
                                               extra={"engine": engine}))
        except BaseException as e:   # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=add, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    m = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    got = {d.get("engine") for d in m["document"] if (d["plan"], d["lang"]) ==
           ("2015-2019", "es")}
    assert got == set(engines)
