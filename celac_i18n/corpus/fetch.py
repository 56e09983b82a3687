"""Download the manifest's known sources, extract their text and import them.

Timeouts and a size cap on every download; the first source that yields a parseable
plan wins, and each failure is reported so a user can see why.
"""

from __future__ import annotations

import http.client
import urllib.error
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


def download(url: str, timeout: float, max_bytes: int) -> tuple[bytes, str, str | None]:
    """(bytes, file suffix, the charset the HTTP header declares or None)."""
    if not url.lower().startswith(("http://", "https://")):
        raise UserError(f"{url}: only http(s) sources can be fetched")
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise UserError(f"{url}: {length} bytes is over the {max_bytes} byte cap")
            data = resp.read(max_bytes + 1)
            ctype = (resp.headers.get_content_type() or "").lower()
            charset = resp.headers.get_content_charset()
    except urllib.error.HTTPError as e:
        raise UserError(f"{url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise UserError(f"{url}: cannot download ({reason})") from None
    except http.client.HTTPException as e:   # IncompleteRead, BadStatusLine...
        raise UserError(f"{url}: cannot download ({type(e).__name__}: {e})") from None
    except ValueError as e:                  # InvalidURL and other malformed URLs
        raise UserError(f"{url}: not a valid URL ({e})") from None
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
