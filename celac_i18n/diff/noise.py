"""Translation noise or a real change? A second, independent cue across languages.

Through a machine rendering (``--via``) a clause is "modified" when the rendering of
its old text scores below this pair's faithful translations (calibrate.py). But a
rendering can garble a faithful clause: Apertium renders "Higher Education
Institutions, Think Tanks and Youth" as "Instituciones de Educación más alta, Pensar
Tanques y Juventud", 0.35 against the Spanish, below the plan's en>es level of 0.37,
while the two texts say the same. The meaning of the texts as given (the semantic
layer's sentence encoder, old text against new, no rendering) tells them apart: on
the 2022-2024 plan the noise scores 0.71-0.73 by meaning, the pair's faithful
translations 0.89 (median), and clauses whose wording really changed 0.09-0.32.

So a "modified" pair is translation noise, and kept, when its meaning similarity
reaches this pair's own level for a faithful translation (measured on the two
documents, headings apart: ``meaning.calibrate_meaning``) and its numbers agree
(numbers.py); otherwise it stays modified. Both cues are calibrated on the documents
being compared; neither threshold is a constant.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MeaningCue:
    """Meaning similarity of the original texts of two versions in two languages, and
    the level a faithful translation reaches (text units and headings apart)."""

    name: str
    level: float
    head_level: float
    baseline: dict
    _old: dict
    _new: dict
    _sem: object
    _langs: tuple

    @classmethod
    def measure(cls, sem, old, new, th) -> "MeaningCue | None":
        """The cue for ``old`` and ``new`` (Documents), or None when the encoder does
        not cover both languages."""
        import numpy as np

        from .match import items_of
        from .meaning import Meaning, NotCovered, calibrate_meaning

        if not (sem.encoder.covers(old.lang) and sem.encoder.covers(new.lang)):
            return None
        meaning = Meaning(sem, old.lang, new.lang)
        oh, ot = items_of(old)
        nh, nt = items_of(new)
        try:
            cal = calibrate_meaning(ot, nt, th, meaning, joins=False)
            hcal = calibrate_meaning(oh, nh, th, meaning, joins=False) \
                if min(len(oh), len(nh)) >= 8 else cal
            eo = meaning.items(oh + ot, 0) if oh + ot else np.zeros((0, 1))
            en = meaning.items(nh + nt, 1) if nh + nt else np.zeros((0, 1))
        except NotCovered:
            return None
        return cls(meaning.name, cal.reword, hcal.reword, cal.baseline,
                   {it.uid: eo[k] for k, it in enumerate(oh + ot)},
                   {it.uid: en[k] for k, it in enumerate(nh + nt)}, sem,
                   (old.lang, new.lang))

    def similarity(self, old_ids: list[str], new_ids: list[str]) -> float:
        import numpy as np

        a = sum(self._old[u] for u in old_ids)
        b = sum(self._new[u] for u in new_ids)
        na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
        return float(a @ b) / (na * nb) if na and nb else 0.0

    def faithful(self, sim: float, head: bool) -> bool:
        return sim >= (self.head_level if head else self.level) - 1e-9

    def to_dict(self) -> dict:
        return {"measure": self.name, "level": round(self.level, 3),
                "headings_level": round(self.head_level, 3), "baseline": self.baseline}
