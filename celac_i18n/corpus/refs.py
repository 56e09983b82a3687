"""Document references, one syntax everywhere a command takes a document.

``PLAN:LANG[:KIND]`` names a corpus entry (``2022-2024:es``, ``2022-2024:zh:reference``);
anything else is a path, optionally ``path@LANG`` (``plan.pdf@pt``). Without a kind, a
corpus reference prefers official, then reference. Without ``@LANG`` a file's language
is detected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..langs import check_lang, detect_lang
from ..model import Document
from .manifest import CORPUS_REF  # the syntax lives with the manifest, which links by it

KIND_PREFERENCE = ("official", "reference", "machine", "reviewed")
DEFAULT_KINDS = ("official", "reference")   # what PLAN:LANG without a kind may name
SINGLE_BYTE = ("cp1252", "latin-1")         # encodings read only when the text fits them


@dataclass(frozen=True)
class Ref:
    raw: str
    plan: str | None = None
    lang: str | None = None
    kind: str | None = None
    path: Path | None = None


def parse_ref(raw: str) -> Ref:
    m = CORPUS_REF.match(raw)
    if m and not Path(raw).exists():
        return Ref(raw, plan=m["plan"], lang=check_lang(m["lang"], raw), kind=m["kind"])
    path, lang = raw, None
    if "@" in raw and not Path(raw).exists():
        path, lang = raw.rsplit("@", 1)
        lang = check_lang(lang, raw)
    return Ref(raw, path=Path(path), lang=lang)


def resolve_entry(ref: Ref, manifest=None):
    """The manifest entry a corpus reference names (shipped or not)."""
    from .manifest import Manifest

    manifest = manifest or Manifest()
    manifest.check_plan(ref.plan)
    found = manifest.find(ref.plan, ref.lang, ref.kind if ref.kind in KIND_PREFERENCE else None)
    if ref.kind and ref.kind not in KIND_PREFERENCE:
        found = [e for e in manifest.find(ref.plan, ref.lang, "machine")
                 if e.extra.get("engine") == ref.kind]
    elif not ref.kind:
        # PLAN:LANG means official, else reference; a machine rendering only by name.
        found = [e for e in found if e.kind in DEFAULT_KINDS]
    if not found:
        what = f"{ref.lang}" + (f" {ref.kind}" if ref.kind else " official or reference")
        have = ", ".join(sorted({e.ref for e in manifest.find(ref.plan)})) or "none"
        machine = sorted({f"{ref.plan}:{ref.lang}:{e.extra.get('engine') or 'machine'}"
                          for e in manifest.find(ref.plan, ref.lang, "machine")})
        hint = f"; use {' or '.join(machine)} for a machine rendering" if (
            machine and not ref.kind) else ""
        raise UserError(f"{ref.raw}: plan {ref.plan} has no {what} text "
                        f"(known: {have}){hint}")
    found.sort(key=lambda e: (e.file is None,
                              KIND_PREFERENCE.index(e.kind) if e.kind in KIND_PREFERENCE else 9))
    return found[0], manifest


# engines a reference may name for a rendering made on demand (translate/registry.py
# has the same names; the corpus does not import the translate stage)
ENGINE_KINDS = ("apertium", "hf", "ct2")


def load(raw: str, manifest=None, machine=None, *, strict: bool = False,
         say=None) -> Document:
    """Read and parse the document a reference names.

    Args:
        raw: ``PLAN:LANG[:KIND]`` for a corpus entry (``2022-2024:es``, the official
            text else the reference; ``2022-2024:zh:reference``; an engine as kind,
            ``2022-2024:en:apertium``, is a machine rendering), or a file path (txt,
            md, html, pdf, docx), optionally ``path@LANG``; without ``@LANG`` the
            language is detected.
        manifest: the corpus to resolve references in (default: the shipped one).
        machine: ``machine(plan, lang, engine)`` makes a machine rendering that is not
            shipped (``ops.Context.machine_rendering``); without it such a reference
            is an error. ``ops.Context().load`` passes both.
        strict: a corpus text whose bytes are not those the manifest records is an
            error (``verify.ProvenanceError``, exit 2); without it, it is read as kind
            ``modified`` and ``say`` is told, naming the file.
        say: where the warning of a modified or stale corpus text goes.

    Returns:
        The parsed ``Document``: its units with canonical ids, its language and its
        provenance (source, sha256, reader, encoding, and for a corpus entry its plan,
        kind and notes).

    Raises:
        UserError: a missing or unreadable file, an unknown plan or language, a text
            not shipped, an empty document or one whose language cannot be told.
    """
    from ..ingest import read_path
    from ..parse import parse
    from .manifest import Manifest
    from .verify import read_entry

    ref = parse_ref(raw)
    if ref.plan:
        manifest = manifest or Manifest()
    if ref.plan and ref.kind and ref.kind not in KIND_PREFERENCE:
        # PLAN:LANG:ENGINE (2022-2024:en:apertium): the shipped machine rendering if
        # there is one, else made on demand from the plan's best text (and cached).
        manifest.check_plan(ref.plan)
        shipped = [e for e in manifest.find(ref.plan, ref.lang, "machine")
                   if e.file and e.extra.get("engine") == ref.kind]
        if ref.kind in ENGINE_KINDS and not shipped:
            if machine is None:
                raise UserError(f"{raw}: no shipped {ref.kind} rendering; one is made on "
                                "demand only through an operations context "
                                "(celac_i18n.ops.Context().load)")
            return machine(ref.plan, ref.lang, ref.kind)
    if ref.plan:
        entry, manifest = resolve_entry(ref, manifest)
        if not entry.file:
            srcs = " ".join(entry.sources) or "no known source"
            raise UserError(f"{raw}: {entry.ref} is known but not shipped ({srcs}); "
                            f"bring it in with `celac-i18n corpus fetch {entry.plan}` or "
                            "`corpus import`")
        text, prov = read_entry(entry, manifest, strict=strict, say=say)
        return parse(text, entry.lang, prov, where=str(entry.path(manifest.root)))
    text, prov = read_path(ref.path)
    lang = ref.lang or detect_lang(text)
    if lang is None:
        raise UserError(f"{raw}: cannot tell the document's language; add @es, @en, @zh "
                        "or @pt to the path")
    doc = parse(text, lang, prov, where=str(ref.path))
    if prov.encoding in SINGLE_BYTE:
        doc.warnings.append(f"{ref.path}: not UTF-8; read as {prov.encoding}, where each "
                            "accented letter is one byte (check the text, or re-save it "
                            "as UTF-8)")
    return doc
