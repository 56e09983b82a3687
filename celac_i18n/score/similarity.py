"""xsim: the cross-lingual similarity of a source and its rendering, unit by unit.

Reference-free and not a quality metric: the cosine of the semantic layer's sentence
embeddings of each source unit and the rendering's unit with the same id. It says
whether a rendering is about what its source is about (a swapped, misplaced or
rewritten clause stands out), not whether it is a good translation: a literal, clumsy
rendering can score higher than a fine free one, and the scale moves with the encoder
and the language pair (faithful es-zh clauses of the plan: median 0.72; es-en: 0.88).
Compare xsim only within one language pair and one encoder.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..version import __version__

LABEL = "xsim"
WHAT = ("cross-lingual similarity of source and hypothesis: a meaning cue, not a "
        "quality metric")


@dataclass
class XSim:
    score: float                  # mean over the units with a source (cosine, -1..1)
    per_unit: dict[str, float]    # unit id -> cosine (0 where the hypothesis lacks it)
    signature: str
    median: float
    n: int


def xsim(src_doc, hyp_doc, ids, semantic) -> XSim | None:
    """xsim of ``hyp_doc`` against ``src_doc`` over the units ``ids`` (paired by id;
    a unit the source lacks is left out, one the hypothesis lacks counts as 0).
    None when the encoder does not cover one of the two languages, or no unit of
    ``ids`` is in the source."""
    import numpy as np

    from ..signature import Signature

    ids = [i for i in ids if src_doc.get(i) is not None and src_doc.get(i).text.strip()]
    if not ids:
        return None
    hyp = [hyp_doc.get(i) for i in ids]
    S = semantic.embed([src_doc.get(i).text for i in ids], src_doc.lang)
    H = semantic.embed([u.text if u is not None else "" for u in hyp], hyp_doc.lang)
    if S is None or H is None:
        return None
    sims = np.einsum("nd,nd->n", S, H)
    per = {i: float(v) for i, v in zip(ids, sims)}
    sig = Signature({"celac-i18n": __version__, "metric": LABEL, "encoder": semantic.name,
                     "pair": f"{src_doc.lang}-{hyp_doc.lang}", "unit": "id", "n": len(ids),
                     "agg": "mean", "scale": "cosine", "kind": "similarity-not-quality"})
    return XSim(float(sims.mean()), per, str(sig), float(np.median(sims)), len(ids))
