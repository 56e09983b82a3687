"""Translate a whole Document: every unit's text, never its numbering; same ids out.

Markers (``II.``, ``- 1.6.``) are copied from the source: engines mangle them ("II." →
"Ii.") and they are structure, not text. Each unit is sent as one segment or sentence
by sentence (``Engine.segment``), and its translation is kept whole in one unit.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..version import __version__
from ..errors import UserError
from ..fsutil import sha256_text
from ..langs import check_lang
from ..model import Document, Provenance, Unit
from ..parse.sentences import SEGMENTER, split_sentences


def _segments(unit: Unit, engine) -> list[str]:
    if engine.segment == "sentence" and unit.sentences:
        return list(unit.sentences)
    return [unit.text]


def _join(pieces: list[str], lang: str) -> str:
    pieces = [p for p in pieces if p]
    return "".join(pieces) if lang == "zh" else " ".join(pieces)


def translate_document(doc: Document, tgt: str, engine, *, cache=None,
                       progress: Callable[[int], None] | None = None,
                       on_total: Callable[[int], None] | None = None) -> Document:
    """The rendering of ``doc`` in ``tgt`` by ``engine``: a Document with the same ids.

    Numbering is never translated: each unit keeps its id and number, only its text
    (heading, sentences) goes through the engine.

    Args:
        doc: the document to translate.
        tgt: the target language.
        engine: an engine from ``translation_session`` (or ``translate.get_engine``).
        cache: a ``TranslationCache`` (from the session); ``None`` translates every
            segment.
        progress: ``f(done)``, called as segments are translated; on_total:
            ``f(total)``, called once with the number of segments.

    Returns:
        A ``Document`` in ``tgt`` whose provenance says it is a MACHINE rendering (engine,
        version, model, signature), never an official text.

    Raises:
        UserError: the engine has no ``doc.lang`` → ``tgt`` pair.
    """
    tgt = check_lang(tgt)
    src = doc.lang
    engine.check_pair(src, tgt)
    plan = [(u, _segments(u, engine)) for u in doc.units]
    flat = [s for _, segs in plan for s in segs]
    if on_total:
        on_total(sum(1 for s in flat if s.strip()))
    calls, warned = engine.calls, len(engine.warnings)
    out = iter(engine.translate(flat, src, tgt, cache=cache, progress=progress))
    unique = len({s for s in flat if s.strip()})
    units: list[Unit] = []
    warnings = list(engine.warnings[warned:])
    for unit, segs in plan:
        pieces = [next(out) for _ in segs]
        if any(s.strip() and not p for s, p in zip(segs, pieces)):
            warnings.append(f"{unit.id}: {engine.name} returned no text for part of this unit")
        text = _join(pieces, tgt)
        heading = text if unit.heading else ""
        sentences = (pieces if engine.segment == "sentence" and unit.sentences
                     else split_sentences(text, tgt) if unit.sentences else [])
        units.append(replace(unit, heading=heading, text=text, sentences=sentences))
    rendering = Document(lang=tgt, units=units, provenance=_provenance(doc, tgt, engine),
                         warnings=warnings)
    # How this run was served: not part of the text's provenance proper, but reported.
    rendering.provenance.extra.update(segments=unique,
                                      segments_cached=unique - (engine.calls - calls))
    from .layout import document_text

    rendering.provenance.sha256 = sha256_text(document_text(rendering))
    return rendering


def source_ref(doc: Document) -> str:
    extra = doc.provenance.extra or {}
    return extra.get("ref") or doc.provenance.source


def _provenance(doc: Document, tgt: str, engine) -> Provenance:
    src_ref = source_ref(doc)
    sig = engine.signature(doc.lang, tgt)
    return Provenance(
        source=f"{doc.provenance.plan}:{tgt}:{engine.name}" if doc.provenance.plan
        else f"{src_ref} → {tgt} ({engine.name})",
        reader="translate", encoding="utf-8", plan=doc.provenance.plan, kind="machine",
        notes=(f"MACHINE rendering by {engine.name} {engine.version} of {src_ref}; "
               "not an official text and not reviewed."),
        extra={"engine": engine.name, "engine_version": engine.version,
               "model": engine.model_label(doc.lang, tgt), "translated_from": src_ref,
               # the bytes it was made from: a later source makes it stale (corpus verify)
               "source_sha256": doc.provenance.sha256,
               "signature": str(sig), "segmenter": SEGMENTER, "celac_i18n": __version__})


def pick_engine(src_lang: str, tgt: str, engine_name: str | None,
                model: str | None) -> str:
    """The engine to translate ``src_lang`` into ``tgt`` with: the one named, else hf
    when a model is given, else apertium; a clear error where none can."""
    from .registry import DEFAULT_ENGINE

    tgt = check_lang(tgt)
    if src_lang == tgt:
        raise UserError(f"the text is already in '{tgt}'")
    if engine_name is None and model is None and tgt == "zh":
        raise UserError(f"no engine for {src_lang}→zh without a model: Apertium has no "
                        "Chinese. Get a MarianMT or NLLB model on a connected machine "
                        "(e.g. `huggingface-cli download Helsinki-NLP/opus-mt-es-zh`), then "
                        "run with --engine hf --model PATH")
    return engine_name or ("hf" if model else DEFAULT_ENGINE)


def save(rendering: Document, *, force: bool = True, manifest=None):
    """Store a rendering in the corpus of ``manifest`` (default: the shipped one) as
    kind "machine" with engine and version."""
    from ..corpus.importer import store_text
    from .layout import document_text

    prov = rendering.provenance
    if not prov.plan:
        raise UserError("--save needs a corpus reference (PLAN:LANG); use -o FILE for a file")
    extra = {k: prov.extra[k] for k in ("engine", "engine_version", "model",
                                          "translated_from", "source_sha256", "signature")
             if prov.extra.get(k)}
    return store_text(document_text(rendering), prov, plan=prov.plan, lang=rendering.lang,
                      kind="machine", extra=extra, force=force, notes=prov.notes,
                      title=rendering.title or None, manifest=manifest)
