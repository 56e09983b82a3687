"""An aligned plan as a typeset edition: the data the edition template lays out.

Rows follow the alignment's beads (clause by clause, pivot order); each row holds, per
language, the units as written (their own numbering and text). The template decides
the layout; this module decides what is said: provenance, ids, annotations.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..version import __version__
from ..errors import UserError
from ..model import Document
from ..signature import Signature
from ..buildtime import build_time
from .labels import ENDONYMS, text_info
from .runs import number_as_written, plain, runs

NAME = "celac-typeset"
LAYOUTS = ("side-by-side", "interleaved", "table")
ANNOTATIONS = ("scores", "qa")
HEADING_LEVEL = {"chapter": 1, "section": 2}

# Rough capacity of a text column, used only to let a row longer than a page break
# (Typst cannot fit an unbreakable row taller than the page).
_CHARS_PER_MM = {"zh": 0.29, "other": 0.62}   # at 10 pt in the fonts used
_LINES_PER_PAGE = 40
_TEXT_WIDTH_MM = {"side-by-side": 174, "interleaved": 174, "table": 261}
LONG_PARAGRAPH = 20_000
# The most text one edition may hold, all languages together (characters). The plan
# holds ~0.1 M in four languages; 1.6 M (a 1.3 MB single clause and its Chinese)
# took 7-16 s (quiet-loaded) and 0.6 GB on machine A (benchmarks/pdf.md): an edition
# under the limit stays well under a minute and 1 GB; more is refused before any work.
MAX_CHARS = 2_000_000


def check_layout(layout: str | None, n: int) -> str:
    layout = layout or ("side-by-side" if n == 2 else "table")
    if layout not in LAYOUTS:
        raise UserError(f"unknown layout '{layout}' (known: {', '.join(LAYOUTS)})")
    if layout in ("side-by-side", "interleaved") and n != 2:
        raise UserError(f"the {layout} layout takes exactly two documents (got {n}); "
                        "use --layout table for three or four")
    if layout == "table" and not 2 <= n <= 4:
        raise UserError(f"the table layout takes two to four documents (got {n})")
    return layout


def check_size(docs: Sequence[Document]) -> None:
    chars = sum(len(u.text) + len(u.heading or "") for d in docs for u in d.units)
    if chars > MAX_CHARS:
        raise UserError(f"the texts hold {chars:,} characters; an edition takes at most "
                        f"{MAX_CHARS:,} (split the document, or typeset fewer languages)")


def parse_annotations(spec: str | Sequence[str] | None) -> list[str]:
    if not spec:
        return []
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item not in ANNOTATIONS:
            raise UserError(f"unknown annotation '{item}' (known: {', '.join(ANNOTATIONS)})")
        out.append(item)
    return out


def _cell(doc: Document, seg) -> dict:
    u = doc.get(seg.id)
    if u is None:          # a sentence-level or synthetic segment: text only
        number, text = "", seg.text
    else:
        number = number_as_written(u.number)
        text = u.heading if u.kind in ("chapter", "section") and u.heading else u.text
    return {"number": number, "text": text, "runs": runs(text, doc.lang)}


def _lines(cells: list[dict], lang: str, width_mm: float) -> float:
    per_line = width_mm * _CHARS_PER_MM["zh" if lang == "zh" else "other"]
    return sum(len(c["text"]) / per_line + 1 for c in cells)


def _bookmark(row: dict, langs: list[str]) -> str:
    ids = row["ids"]
    parts = []
    for lang in langs[:2]:
        cells = row["cells"][lang]
        if cells:
            parts.append(" ".join(plain(c["text"]) for c in cells))
    return f"{ids} {' · '.join(parts)}".strip()


def build_rows(docs: Sequence[Document], alignment, layout: str) -> list[dict]:
    by_lang = {d.lang: d for d in docs}
    langs = list(alignment.langs)
    ncols = len(langs) if layout != "interleaved" else 1
    col_mm = (_TEXT_WIDTH_MM[layout] - 16) / ncols
    rows = []
    for bead in alignment.beads:
        kind = bead.kind
        if kind == "title":
            continue        # the titles are on the title page
        cells = {lang: [_cell(by_lang[lang], s) for s in bead.segs.get(lang, [])]
                 for lang in langs}
        ids = next((bead.ids(lang) for lang in langs if bead.ids(lang)), [])
        other_ids = {lang: bead.ids(lang) for lang in langs if bead.ids(lang) != ids}
        tall = (sum(_lines(cells[lang], lang, col_mm) for lang in langs)
                if layout == "interleaved"
                else max(_lines(cells[lang], lang, col_mm) for lang in langs))
        row = {"n": bead.n, "kind": kind, "ids": ", ".join(ids),
               "other_ids": {k: ", ".join(v) for k, v in other_ids.items()},
               "level": HEADING_LEVEL.get(kind, 0),
               "confidence": round(bead.confidence, 3),
               "breakable": tall > _LINES_PER_PAGE,
               "cells": cells, "notes": {lang: [] for lang in langs}}
        if row["level"]:
            row["bookmark"] = _bookmark(row, langs)
        for c in (c for lang in langs for c in cells[lang]):
            # the template sets runs; a very long paragraph is broken first-fit
            # (Typst's optimal breaking costs ~6x more time on 100k characters)
            c["long"] = len(c.pop("text")) > LONG_PARAGRAPH
        rows.append(row)
    return rows


def annotate_rows(rows: list[dict], docs: Sequence[Document], kinds: list[str],
                  score_ref: Document | None = None,
                  progress: Callable[[str], None] | None = None, alignment=None,
                  termbase=None) -> list[str]:
    """Add per-clause QA flags and scores to the non-pivot cells; return signatures."""
    pivot, others = docs[0], docs[1:]
    sigs: list[str] = []
    by_id: dict[str, list[dict]] = {}
    for r in rows:
        for uid in r["ids"].split(", "):
            by_id.setdefault(uid, []).append(r)
    if "qa" in kinds:
        try:
            from ..qa import run_qa
        except ImportError as e:
            raise UserError(f"--annotate qa is unavailable: the QA module cannot be "
                            f"loaded ({e})") from None
        for doc in others:
            if progress:
                progress(f"QA {pivot.lang}→{doc.lang}")
            # QA follows the edition's own beads: a finding lands on its row
            report = run_qa(pivot, doc, alignment=alignment, termbase=termbase)
            sigs.append(report.signature)
            by_n = {r["n"]: r for r in rows}
            for f in report.findings:
                for r in ([by_n[f.bead]] if f.bead in by_n else by_id.get(f.id, [])):
                    r["notes"][doc.lang].append(
                        {"type": "qa", "severity": f.severity,
                         "text": f"{f.check}: {f.message}"})
    if "scores" in kinds:
        if score_ref is None:
            raise UserError("--annotate scores needs --score-ref REF: a reference text in "
                            "one of the edition's non-pivot languages to score against")
        target = next((d for d in others if d.lang == score_ref.lang), None)
        if target is None:
            raise UserError(f"--score-ref is {score_ref.lang}, but the edition's non-pivot "
                            f"languages are {', '.join(d.lang for d in others)}")
        try:
            from ..score.metrics import score_documents
        except ImportError as e:
            raise UserError(f"--annotate scores is unavailable: the scoring module cannot "
                            f"be loaded ({e})") from None
        if progress:
            progress(f"scoring {target.lang} against {score_ref.provenance.source}")
        report = score_documents(target, score_ref, metrics=("chrf", "bleu"), per_segment=True)
        sigs.extend(report.sentence_signatures.values())
        labels = {"chrf": "chrF", "bleu": "BLEU"}
        for seg in report.segments:
            if not seg.scores:
                continue
            text = " · ".join(f"{labels.get(k, k)} {v:.1f}" for k, v in seg.scores.items())
            for r in by_id.get(seg.id, []):
                r["notes"][target.lang].append({"type": "score", "severity": "", "text": text})
    return sigs


def plan_of(docs: Sequence[Document]) -> str:
    plans = {d.provenance.plan for d in docs if d.provenance.plan}
    return plans.pop() if len(plans) == 1 else ""


def build_edition(docs: Sequence[Document], alignment, layout: str | None = None,
                  refs: Sequence[str] | None = None, annotate=None,
                  score_ref: Document | None = None, title: str | None = None,
                  progress: Callable[[str], None] | None = None, termbase=None) -> dict:
    """The JSON data of an edition (see templates/edition.typ)."""
    layout = check_layout(layout, len(docs))
    kinds = parse_annotations(annotate)
    langs = [d.lang for d in docs]
    if list(alignment.langs) != langs:
        raise ValueError(f"alignment languages {alignment.langs} differ from documents {langs}")
    refs = list(refs or [""] * len(docs))
    check_size(docs)
    rows = build_rows(docs, alignment, layout)
    sigs = annotate_rows(rows, docs, kinds, score_ref, progress, alignment,
                         termbase) if kinds else []
    plan = plan_of(docs)
    texts = [text_info(d, r) for d, r in zip(docs, refs)]
    main_title = title or texts[0]["title"] or "Untitled"
    edition = {"side-by-side": "Bilingual edition, side by side",
               "interleaved": "Bilingual edition, interleaved",
               "table": f"{len(docs)}-language edition"}[layout]
    signature = Signature({NAME: __version__, "layout": layout, "langs": langs,
                           "annotate": ",".join(kinds) or "none",
                           "fonts": "libertinus+noto-cjk",
                           # what each text is and the bytes it was typeset from
                           "texts": ",".join(f"{t['lang']}={t['kind']}@"
                                             f"{(t['sha256'] or 'nohash')[:12]}"
                                             for t in texts)})
    return {
        "meta": {
            "title": plain(main_title), "plan": plan, "layout": layout, "langs": langs,
            "edition": edition,
            "doc_title": f"{plain(main_title)} — {'/'.join(l.upper() for l in langs)}",
            "keywords": ["China-CELAC"] + ([plan] if plan else []) + langs
                        + [ENDONYMS.get(l, l) for l in langs],
            "header": f"Plan {plan} · {plain(main_title)}" if plan else plain(main_title),
            "generated": build_time().date().isoformat(),
            "toolkit": f"celac-i18n {__version__}",
            "signature": signature, "alignment": alignment.signature,
            "annotations": kinds, "annotation_signatures": sigs,
            "official_langs": [t["lang"] for t in texts if t["kind"] == "official"],
        },
        "texts": texts,
        "rows": rows,
    }


def render_pdf(docs: Sequence[Document], output, layout: str | None = None,
               refs: Sequence[str] | None = None, annotate=None,
               score_ref: Document | None = None, title: str | None = None,
               alignment=None, progress: Callable[[str], None] | None = None,
               termbase=None, font_dirs: Sequence[str] = ()) -> dict:
    """Align ``docs`` (the first is the pivot), typeset them with Typst and write the
    PDF to ``output`` atomically.

    Args:
        docs: two to four ``Document``s, one per language; the first is the pivot.
        output: the PDF's path, or ``None`` to get the bytes back.
        layout: ``"side-by-side"`` or ``"interleaved"`` (two languages), ``"table"``
            (default with three or four).
        refs: the documents' references, printed with their provenance.
        annotate: ``"scores"`` and/or ``"qa"`` (a list or ``"scores,qa"``): per-clause
            scores against ``score_ref`` and QA findings, printed with each row.
        score_ref: the reference the scores are computed against.
        title: the edition's title (default: the pivot's).
        alignment: an ``Alignment`` of ``docs`` to use instead of aligning here.
        progress: called with a line of text at each step.
        termbase: the aligner's and QA's ``termbase.Termbase`` (default: the shipped one).
        font_dirs: folders searched for fonts before Debian's.

    Returns:
        A dict: ``output``, ``bytes``, ``rows``, ``layout``, the edition's ``signature``,
        the ``alignment``'s signature, and ``pdf`` (the bytes) when ``output`` is None.

    Raises:
        UserError: an unknown layout or annotation, a layout that does not fit the
            number of documents, or more text than an edition may hold.
    """
    from ..fsutil import write_bytes_atomic
    from .compile import compile_pdf

    check_size(docs)
    if alignment is None:
        from ..align import align_documents

        if progress:
            progress("aligning " + ", ".join(d.lang for d in docs))
        check_layout(layout, len(docs))
        alignment = align_documents(list(docs), consistency=False, termbase=termbase)
    data = build_edition(docs, alignment, layout, refs, annotate, score_ref, title, progress,
                         termbase)
    if progress:
        progress(f"typesetting {len(data['rows'])} rows ({data['meta']['layout']})")
    pdf = compile_pdf("edition.typ", data, tuple(font_dirs))
    if output is not None:
        write_bytes_atomic(output, pdf)
    return {"output": str(output) if output is not None else None, "bytes": len(pdf),
            "rows": len(data["rows"]), "layout": data["meta"]["layout"],
            "signature": data["meta"]["signature"], "alignment": alignment.signature,
            "pdf": pdf if output is None else None}
