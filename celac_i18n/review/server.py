"""Serve a review workspace on loopback: the page, its script and the JSON API.

The standard library's ThreadingHTTPServer is enough for one translator's browser
and adds no dependency; each request opens its own SQLite connection.

Guards: the socket is bound to 127.0.0.1 only; the Host header must name it (a page
on another site cannot reach the server through DNS rebinding); every write needs the
per-run token the page carries and, when the browser sends one, a same-origin Origin
header. Texts reach the page as JSON and are put into it as text nodes, never as HTML.
"""

from __future__ import annotations

import hmac
import html
import threading
import json
import re
import secrets
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from .api import Api
from .cat import file_version

MAX_BODY = 4 << 20
# an exported XLIFF read back: a 10,000-bead document is a few MB, and its XML tree
# takes some 10x that in memory
MAX_IMPORT = 64 << 20
STATIC = {"review.js": "text/javascript; charset=utf-8",
          "review.css": "text/css; charset=utf-8",
          "comment.svg": "image/svg+xml"}
CACHED = ("/api/beads", "/api/workspace")
CACHE_ENTRIES = 8
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _static(name: str) -> bytes:
    return resources.files("celac_i18n.review").joinpath("static", name).read_bytes()


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, api: Api, port: int = 0, title: str = "review"):
        self.api = api
        # GET answers of the bead list and the workspace, by file version: a reload, a
        # second tab or the page's poll cost a stat, not a reading of every bead
        self.cache: dict[str, tuple[str, int, str, bytes]] = {}
        self.cache_lock = threading.Lock()
        self.path_locks: dict[str, threading.Lock] = {}
        self.token = secrets.token_urlsafe(24)
        self.title = title
        super().__init__(("127.0.0.1", port), Handler)

    def answer(self, method: str, path: str, qs: str, query: dict, body):
        """The API's answer and the workspace's file version after it; the bead list
        and the workspace come from the cache while the file has not changed."""
        key = f"{path}?{qs}"
        if not (method == "GET" and path in CACHED):
            status, ctype, data = self.api.handle(method, path, query, body)
            return status, ctype, data, file_version(self.api)
        # one computation per path at a time: a page that comes while the list is being
        # prepared waits for it rather than reading every bead a second time
        with self._path_lock(path):
            version = file_version(self.api)
            hit = self.cache.get(key)
            if hit and hit[0] == version:
                return (*hit[1:], version)
            status, ctype, data = self.api.handle(method, path, query, body)
            if status == 200:
                with self.cache_lock:
                    # the version read before the answer: a write during it is a miss later
                    self.cache[key] = (version, status, ctype, data)
                    while len(self.cache) > CACHE_ENTRIES:
                        self.cache.pop(next(iter(self.cache)))
            return status, ctype, data, version

    def _path_lock(self, path: str) -> threading.Lock:
        with self.cache_lock:
            return self.path_locks.setdefault(path, threading.Lock())

    def warm(self) -> None:
        """Compute the page's first two answers now (on a thread while the browser
        starts), so that the page opens from the cache; then re-QA's checks and the
        encoder, so that the first edit does not wait for them."""
        for path in CACHED:
            try:
                self.answer("GET", path, "", {}, None)
            except Exception as e:        # the page's own request will say what is wrong
                sys.stderr.write(f"review: cannot prepare {path}: {e!r}\n")
        try:
            self.api.store.prepare_requa()
            if self.api.semantic is not None:       # the encoder's weights read now
                self.api.semantic.embed([self.title], self.api.store.pivot)
        except Exception as e:            # an edit will prepare them (and say why not)
            sys.stderr.write(f"review: cannot prepare re-QA or the encoder: {e!r}\n")

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def page(self) -> bytes:
        text = _static("page.html").decode("utf-8")
        return (text.replace("{{TOKEN}}", html.escape(self.token, quote=True))
                .replace("{{TITLE}}", html.escape(self.title))).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    protocol_version = "HTTP/1.1"
    # headers and body go out as two writes: with Nagle's algorithm the body waits for
    # the client's delayed ACK of the headers (~40 ms on every answer of a kept-alive
    # connection)
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):   # one quiet line per write, none per read
        if self.command == "POST":
            sys.stderr.write(f"review: {self.command} {self.path} {args[1] if len(args) > 1 else ''}\n")

    def _send(self, status: int, ctype: str, data: bytes, extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str):
        self._send(status, "application/json; charset=utf-8",
                   json.dumps({"error": message}).encode("utf-8"))

    def _host_ok(self) -> bool:
        port = self.server.port
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _write_ok(self) -> str | None:
        """Why a write is refused, or None."""
        token = self.headers.get("X-Review-Token", "")
        if not hmac.compare_digest(token.encode(), self.server.token.encode()):
            return "missing or wrong X-Review-Token (the page's per-run token)"
        origin = self.headers.get("Origin")
        port = self.server.port
        if origin is not None and origin not in (f"http://127.0.0.1:{port}",
                                                 f"http://localhost:{port}"):
            return f"cross-origin write refused ({origin})"
        return None

    def do_GET(self):
        if not self._host_ok():
            return self._error(403, "wrong Host header")
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            return self._send(200, "text/html; charset=utf-8", self.server.page())
        if url.path == "/favicon.ico":
            return self._send(204, "image/x-icon", b"")
        if url.path.startswith("/static/"):
            name = url.path[len("/static/"):]
            if name not in STATIC:
                return self._error(404, "not found")
            return self._send(200, STATIC[name], _static(name))
        if url.path.startswith("/api/"):
            return self._api(url, None)
        return self._error(404, "not found")

    do_HEAD = do_GET

    def do_POST(self):
        if not self._host_ok():
            return self._error(403, "wrong Host header")
        why = self._write_ok()
        if why:
            return self._error(403, why)
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(400, "bad Content-Length")
        limit = MAX_IMPORT if urlsplit(self.path).path == "/api/import" else MAX_BODY
        if n > limit:
            return self._error(413, f"request too large (over {limit >> 20} MB)")
        body = self.rfile.read(n) if n else b""
        return self._api(urlsplit(self.path), body)

    def _api(self, url, body):
        query = dict(parse_qsl(url.query))
        method = "GET" if self.command == "HEAD" else self.command
        try:
            status, ctype, data, version = self.server.answer(method, url.path, url.query,
                                                              query, body)
        except Exception as e:    # a bug must not take the server down with the tab
            sys.stderr.write(f"review: error on {self.command} {url.path}: {e!r}\n")
            return self._error(500, f"internal error: {type(e).__name__}")
        # the page knows its own writes by this, and others' by a change of it
        extra = {"X-Review-Version": version}
        if url.path == "/api/export" and status == 200:
            suffix = {"tmx": "tmx", "xliff-1.2": "xlf", "xliff-2.0": "xliff",
                      "jsonl": "jsonl"}.get(query.get("format") or "xliff-1.2", "xml")
            # the workspace's name, reduced to characters a header cannot misread
            name = re.sub(r"[^\w.-]", "_", Path(self.server.title).stem) or "review"
            # the pair and the beads exported are in the name: es-zh, accepted
            for k in ("target", "status"):
                v = re.sub(r"[^\w-]", "_", query.get(k) or "")
                if v:
                    name += f".{v}"
            extra["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
        self._send(status, ctype, data, extra)


def serve(api: Api, port: int = 0, title: str = "review", open_browser: bool = True,
          ready=None, engines: list[str] | None = None) -> None:
    """Serve until interrupted. ``ready(server)`` is called once it listens.
    ``engines``: the machine engines the editor suggests from ("apertium", "hf:MODEL";
    default apertium)."""
    if engines:
        api.engines = list(engines)
    srv = ReviewServer(api, port, title)
    threading.Thread(target=srv.warm, daemon=True).start()
    if ready:
        ready(srv)
    if open_browser:
        import webbrowser

        webbrowser.open(srv.url)
    try:
        srv.serve_forever()
    finally:
        srv.server_close()
        # the engines the suggestions opened, the version's connection
        for held in ("_cat", "_version"):
            if api.__dict__.get(held) is not None:
                api.__dict__[held].close()
