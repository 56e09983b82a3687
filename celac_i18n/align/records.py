"""An Alignment as records and text outputs: jsonl, json, tsv and a terminal table.

JSONL: the first line is a header ``{"signature": ..., "langs": [...], "pivot": ...,
"level": ..., "sources": ..., "kinds": ..., "consistency": [...]}``; every further
line is one bead ``{"bead": n, "level": ..., "confidence": x, "kind": ...,
"shape": "1-0", "ids": {lang: [...]}, "text": {lang: [...]}}`` (``shape``: units per
language, in the header's order; ``parent``: the clause bead a sentence bead sits in;
``content_over_ids``: languages whose ids the content overrode).
``jq 'select(.bead)'`` keeps the beads only.
"""

from __future__ import annotations

import json
import sys

from ..model import ARTICLE, CLAUSE, FRACTION, HEADING_KINDS, ITEM, PREAMBLE, TITLE
from .beads import Alignment, Bead

UNIT_FILTERS = {
    "all": None,
    "clauses": (CLAUSE, ARTICLE, FRACTION, ITEM),
    "headings": (TITLE, *HEADING_KINDS),
    "preamble": (PREAMBLE,),
}


def select(alignment: Alignment, units: str = "all", min_confidence: float = 0.0) -> list[Bead]:
    kinds = UNIT_FILTERS[units]
    return [b for b in alignment.beads
            if (kinds is None or b.kind in kinds) and b.confidence >= min_confidence]


def _joiner(lang: str) -> str:
    return "" if lang.split("-")[0] == "zh" else " "


def bead_text(bead: Bead, lang: str) -> str:
    return _joiner(lang).join(bead.texts(lang))


def write(alignment: Alignment, beads: list[Bead], fmt: str, out=None) -> None:
    out = out or sys.stdout
    langs = alignment.langs
    if fmt == "jsonl":
        out.write(json.dumps(alignment.header(), ensure_ascii=False) + "\n")
        for b in beads:
            out.write(json.dumps(b.record(langs), ensure_ascii=False) + "\n")
    elif fmt == "json":
        doc = {**alignment.header(), "beads": [b.record(langs) for b in beads]}
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "tsv":
        from ..render.records import write_records

        out.write(f"# signature: {alignment.signature}\n")
        cols = ["bead", "level", "confidence", "kind"] + [f"ids_{lang}" for lang in langs] \
            + [f"text_{lang}" for lang in langs]
        rows = []
        for b in beads:
            r = {"bead": b.n, "level": b.level, "confidence": f"{b.confidence:.4f}",
                 "kind": b.kind}
            for lang in langs:
                r[f"ids_{lang}"] = " ".join(b.ids(lang))
                r[f"text_{lang}"] = bead_text(b, lang)
            rows.append(r)
        write_records(rows, "tsv", cols, out=out)
    elif fmt == "table":
        from ..render.records import write_records

        rows = []
        for b in beads:
            r = {"bead": b.n, "conf": f"{b.confidence:.2f}", "shape": b.shape(langs)}
            for lang in langs:
                ids = ",".join(b.ids(lang))
                r[lang] = f"[{ids}] {bead_text(b, lang)}" if ids else "—"
            rows.append(r)
        write_records(rows, "table", ["bead", "conf", "shape", *langs], out=out,
                      title=alignment.signature, wrap=tuple(langs))
    else:  # pragma: no cover - click restricts the choices
        raise ValueError(fmt)


def read_alignment(path: str) -> Alignment:
    """An alignment JSONL file (as ``write`` makes it) back into an Alignment.

    Texts are taken from the records, so that a consumer can check that the alignment
    was made from the documents it is given; a bead without ``text`` is refused."""
    from ..errors import UserError
    from .beads import Segment
    from .evaluate import langs_of, read_jsonl

    header, records = read_jsonl(path)
    langs = langs_of(header, records)
    levels = {r.get("level", "clause") for r in records}
    beads = []
    for k, r in enumerate(records, start=1):
        texts = r.get("text")
        if not isinstance(texts, dict):
            raise UserError(f"{path}: bead {r.get('bead', k)} has no 'text' object")
        segs = {}
        for lang in langs:
            ids, ts = r["ids"].get(lang, []), texts.get(lang, [])
            if len(ids) != len(ts) or not all(isinstance(t, str) for t in ts):
                raise UserError(f"{path}: bead {r.get('bead', k)}: {lang} has {len(ids)} "
                                f"id(s) but {len(ts)} text(s)")
            segs[lang] = [Segment(i, str(r.get("kind", "")), t) for i, t in zip(ids, ts)]
        conf = r.get("confidence", 1.0)
        if not isinstance(conf, (int, float)) or isinstance(conf, bool):
            raise UserError(f"{path}: bead {r.get('bead', k)}: 'confidence' must be a number")
        n = r.get("bead", k)
        beads.append(Bead(n if isinstance(n, int) and not isinstance(n, bool) else k,
                          str(r.get("level", "clause")), segs, float(conf)))
    return Alignment(langs=langs, level=levels.pop() if len(levels) == 1 else "mixed",
                     beads=beads, signature=str(header.get("signature", f"file:{path}")))
