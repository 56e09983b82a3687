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
    the level a faithful translation reaches (text units and headings apart). Only
    the calibration sample and the pairs asked about are embedded (a 10,000-clause
    diff has a handful of "modified" pairs to settle)."""

    name: str
    level: float
    head_level: float
    baseline: dict
    _meaning: object
    _sims: dict

    @classmethod
    def measure(cls, sem, old, new, th) -> "MeaningCue | None":
        """The cue for ``old`` and ``new`` (Documents), or None when the encoder does
        not cover both languages."""
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
        except NotCovered:
            return None
        return cls(meaning.name, cal.reword, hcal.reword, cal.baseline, meaning, {})

    def prepare(self, pairs: list[tuple[str, str, str, str]]) -> None:
        """Embed, in one call per side, the (old id, old text, new id, new text) pairs
        whose similarity will be asked for."""
        import numpy as np

        todo = [p for p in pairs if (p[0], p[2]) not in self._sims]
        if not todo:
            return
        eo = self._meaning.embed([p[1] for p in todo], 0)
        en = self._meaning.embed([p[3] for p in todo], 1)
        for k, p in enumerate(todo):
            self._sims[(p[0], p[2])] = float(np.dot(eo[k], en[k]))

    def similarity(self, old_id: str, new_id: str) -> float | None:
        return self._sims.get((old_id, new_id))

    def faithful(self, sim: float, head: bool) -> bool:
        return sim >= (self.head_level if head else self.level) - 1e-9

    def to_dict(self) -> dict:
        return {"measure": self.name, "level": round(self.level, 3),
                "headings_level": round(self.head_level, 3), "baseline": self.baseline}
