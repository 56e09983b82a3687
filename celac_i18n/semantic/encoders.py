"""What a sentence encoder is (the embedded default is ``use_encoder``, a local
transformers model ``transformers_encoder``; ``load.load_encoder`` picks one).

An encoder maps texts to L2-normalised float32 vectors; its ``name`` carries the model
and its version, and is both the cache key and what signatures record, so an upgraded
encoder never serves or certifies stale vectors. ``encode`` takes care of what every
encoder needs: empty texts (a zero vector: similar to nothing), overlong ones (cut to
``max_chars``, said once) and the order of results.
"""

from __future__ import annotations

import numpy as np

DEFAULT = "use-m3"
OFF = ("none", "off")
# USE's DAN/CNN cost grows with the text; a clause is at most a few thousand characters,
# and past this a text's first part says what it is about.
MAX_CHARS = 10_000


class Encoder:
    """Base class: subclasses set ``name``, ``kind`` and implement ``_encode``."""

    name = "?"
    kind = "?"
    dim: int | None = None
    langs: frozenset[str] | None = None     # languages it was trained on (None: unknown)
    max_chars = MAX_CHARS

    def covers(self, lang: str | None) -> bool:
        return self.langs is None or not lang or lang.split("-")[0] in self.langs

    def encode(self, texts: list[str], warn=None) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised (zero for an empty text)."""
        texts = list(texts)
        idx = [k for k, t in enumerate(texts) if t.strip()]
        long = [k for k in idx if len(texts[k]) > self.max_chars]
        if long and warn:
            warn(f"{len(long)} text(s) longer than {self.max_chars:,} characters: the "
                 f"encoder reads the first {self.max_chars:,} of each")
        todo = [texts[k][: self.max_chars] for k in idx]
        vecs = self._encode(todo) if todo else None
        dim = vecs.shape[1] if vecs is not None else (self.dim or 1)
        out = np.zeros((len(texts), dim), dtype=np.float32)
        if vecs is not None:
            norm = np.linalg.norm(vecs, axis=1, keepdims=True)
            out[idx] = vecs / np.maximum(norm, 1e-12)
        return out

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError
