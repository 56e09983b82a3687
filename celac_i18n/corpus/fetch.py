"""Download the manifest's known sources, extract their text and import them.

Timeouts and a size cap on every download; the first source that yields a parseable
plan wins, and each failure is reported so a user can see why.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..errors import UserError
from ..ingest import read_bytes
from .importer import store_text
from .manifest import Entry, Manifest

USER_AGENT = "celac-i18n corpus fetch (+https://github.com/celac-i18n)"
_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
          "text/plain": ".txt", "text/markdown": ".md",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


@dataclass
class FetchResult:
    entry: Entry | None
    url: str
    error: str = ""


class _Deadline:
    """Shut down every socket of a download when its time is up, so a server that
    drips a byte a second (in the headers or the body) cannot keep it running."""

    def __init__(self, seconds: float) -> None:
        self.socks: list[socket.socket] = []
        self.expired = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self.socks:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def add(self, sock) -> None:
        with self._lock:
            self.socks.append(sock)
            if self.expired:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """http(s) only, redirects included; every connection is put under ``deadline``."""

    def connection(base):
        class Conn(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                create = self._create_connection

                def create_and_watch(*a, **k):   # the raw socket, under TLS too
                    sock = create(*a, **k)
                    deadline.add(sock)
                    return sock
                self._create_connection = create_and_watch
        return Conn

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(connection(http.client.HTTPConnection), req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(connection(http.client.HTTPSConnection), req,
                                context=self._context)

    class Redirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            scheme = urllib.parse.urlsplit(newurl).scheme.lower()
            if scheme not in ("http", "https"):
                raise UserError(f"{req.full_url}: redirects to {newurl}, which is not "
                                "http(s); only http(s) sources are fetched")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), HTTP(),
                    HTTPS(), urllib.request.HTTPDefaultErrorHandler(), Redirect(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def download(url: str, timeout: float, max_bytes: int) -> tuple[bytes, str, str | None]:
    """(bytes, file suffix, the charset the HTTP header declares or None).

    ``timeout`` bounds the whole download (connection, redirects, headers and body);
    ``max_bytes`` what is read, whatever Content-Length says."""
    if not url.lower().startswith(("http://", "https://")):
        raise UserError(f"{url}: only http(s) sources can be fetched")
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with _Deadline(timeout) as deadline:
        try:
            with _opener(deadline).open(req, timeout=timeout) as resp:
                length = resp.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise UserError(f"{url}: {length} bytes is over the {max_bytes} byte cap")
                chunks, size = [], 0
                while size <= max_bytes:
                    # read1: whatever has arrived, so the deadline is checked between reads
                    chunk = resp.read1(min(1 << 16, max_bytes + 1 - size))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                data = b"".join(chunks)
                ctype = (resp.headers.get_content_type() or "").lower()
                charset = resp.headers.get_content_charset()
        except urllib.error.HTTPError as e:
            raise UserError(f"{url}: HTTP {e.code} {e.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError,
                http.client.HTTPException) as e:  # IncompleteRead, BadStatusLine...
            if deadline.expired:
                raise UserError(f"{url}: not downloaded within {timeout:g} s "
                                "(--timeout bounds the whole download)") from None
            reason = getattr(e, "reason", None) or f"{type(e).__name__}: {e}"
            raise UserError(f"{url}: cannot download ({reason})") from None
        except ValueError as e:                  # InvalidURL and other malformed URLs
            raise UserError(f"{url}: not a valid URL ({e})") from None
    if deadline.expired:     # the shut-down socket read as the end of the body
        raise UserError(f"{url}: not downloaded within {timeout:g} s "
                        "(--timeout bounds the whole download)")
    if len(data) > max_bytes:
        raise UserError(f"{url}: larger than the {max_bytes} byte cap")
    suffix = _TYPES.get(ctype) or ("." + url.rsplit(".", 1)[-1].lower()
                                   if "." in url.rsplit("/", 1)[-1] else "")
    return data, suffix, charset


def fetch(plan: str, lang: str | None = None, *, timeout: float = 20.0,
          max_bytes: int = 20 * 1024 * 1024, force: bool = False,
          manifest: Manifest | None = None) -> list[FetchResult]:
    manifest = manifest or Manifest()
    manifest.check_plan(plan)
    wanted = [e for e in manifest.find(plan, lang) if e.sources and (force or not e.file)]
    if not wanted:
        raise UserError(f"plan {plan}{':' + lang if lang else ''}: nothing to fetch "
                        "(no unshipped entry with a source URL; --force re-fetches)")
    results: list[FetchResult] = []
    for entry in wanted:
        for url in entry.sources:
            try:
                data, suffix, charset = download(url, timeout, max_bytes)
                text, prov = read_bytes(data, url, suffix, encoding=charset)
                stored = store_text(text, prov, plan=entry.plan, lang=entry.lang,
                                    kind=entry.kind, sources=entry.sources, title=entry.title,
                                    notes=entry.notes, force=force, extra=entry.extra,
                                    manifest=manifest)
                results.append(FetchResult(stored, url))
                break
            except UserError as e:
                results.append(FetchResult(None, url, str(e)))
    return results
