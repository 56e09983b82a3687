"""Bring a document into corpora/: normalise to UTF-8 text, record provenance and sha256."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..errors import UserError
from ..fsutil import atomic_open, check_name, is_inside, sha256_bytes
from ..langs import check_lang, detect_lang
from ..model import Provenance
from ..parse import parse
from ..parse.parser import normalize_text
from .manifest import KINDS, Entry, Manifest


MIN_LETTERS_TO_JUDGE = 200   # shorter texts are too short to tell their language


def target_name(lang: str, kind: str, engine: str | None = None) -> str:
    return f"{lang}.{engine if kind == 'machine' and engine else kind}.txt"


def store_text(text: str, prov: Provenance, *, plan: str, lang: str, kind: str,
               sources: list[str] | None = None, title: str | None = None, notes: str = "",
               force: bool = False, extra: dict | None = None,
               manifest: Manifest | None = None) -> Entry:
    """Validate ``text`` as a plan, write it under corpora/ and record it in the manifest."""
    manifest = manifest or Manifest()
    check_name(plan, "plan")
    manifest.check_plan(plan)
    lang = check_lang(lang)
    if kind not in KINDS:
        raise UserError(f"unknown kind '{kind}' (known: {', '.join(KINDS)})")
    extra = dict(extra or {})
    if kind == "machine" and not extra.get("engine"):
        raise UserError("a machine rendering needs its engine (--engine NAME)")
    if extra.get("engine") is not None:
        check_name(extra["engine"], "engine")
    doc = parse(text, lang, prov, where=prov.source)   # refuses text with no numbering
    if sum(1 for c in text[:20000] if c.isalpha()) >= MIN_LETTERS_TO_JUDGE and not force:
        found = detect_lang(text)
        if found and found != lang:
            raise UserError(f"{prov.source}: the text reads as '{found}', not '{lang}' "
                            "(check --lang; --force overrides)")
    # The plan id and engine name become parts of the file's path: validated above,
    # and the path checked to stay in corpora/ whatever the manifest says.
    rel = f"{plan}/{target_name(lang, kind, extra.get('engine'))}"
    dest = manifest.root / rel
    if not is_inside(dest, manifest.root):
        raise UserError(f"{rel}: would be written outside the corpus ({manifest.root})")
    # Check and write under the manifest's lock (re-read inside it): two imports of the
    # same entry at once cannot both pass the check; the second is refused.
    with manifest.locked():
        # Machine renderings by different engines are different documents.
        known = [e for e in manifest.find(plan, lang, kind)
                 if kind != "machine" or e.extra.get("engine") == extra.get("engine")]
        existing = [e for e in known if e.file]
        if (dest.exists() or existing) and not force:
            raise UserError(f"{dest}: already in the corpus ({plan}:{lang}:{kind}); "
                            "use --force to replace it")
        src = Path(prov.source)
        if src.exists() and dest.exists() and src.resolve() == dest.resolve():
            raise UserError(f"{src}: is the corpus file itself; nothing to import")
        now = _dt.datetime.now(_dt.timezone.utc)      # when: part of the lineage
        body = normalize_text(text)
        body = body if body.endswith("\n") else body + "\n"
        entry = Entry(
            plan=plan, lang=lang, kind=kind,
            title=title or doc.title or (known[0].title if known else ""),
            file=rel, sha256=sha256_bytes(body.encode("utf-8")),
            sources=sources or (known[0].sources if known else []),
            notes=notes or (known[0].notes if known else ""),
            extra={**(known[0].extra if known else {}), **extra,
                   "imported": {"from": prov.source, "sha256": prov.sha256,
                                "reader": prov.reader, "encoding": prov.encoding,
                                "date": now.date().isoformat(),
                                "time": now.strftime("%H:%M:%SZ"),
                                # what the reader left out of a web page, by kind
                                **({"left_out": prov.extra[prov.reader]["left_out"]}
                                   if "left_out" in prov.extra.get(prov.reader, {})
                                   else {})}})
        # The new text goes to a temp file beside dest; it replaces dest only once the
        # manifest records it, and a failure removes only the temp (the old file stays).
        with atomic_open(dest, "w") as fh:
            fh.write(body)
            manifest.upsert(entry)
    return entry


def import_file(path: str, *, plan: str, lang: str, kind: str, source: str | None = None,
                **kw) -> Entry:
    from ..ingest import read_path

    text, prov = read_path(path)
    return store_text(text, prov, plan=plan, lang=lang, kind=kind,
                      sources=[source] if source else None, **kw)
