"""The semantic layer: an encoder, its cache and the progress of encoding, behind one
object that align, diff, qa, review, score and search share (``Context.semantic``).

Vectors are looked up in this run's memory, then in the cache file, and only the rest
are encoded, in batches (progress on each). ``encoded`` counts the texts actually
encoded, so a rerun on the same texts can be shown to encode nothing.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..fsutil import sha256_text
from .cache import EmbeddingCache
from .encoders import Encoder

BATCH = 256


class Semantic:
    def __init__(self, encoder: Encoder, cache: EmbeddingCache | None = None,
                 say: Callable[[str], None] | None = None, progress=None) -> None:
        self.encoder = encoder
        self.cache = cache
        self.say = say
        self.progress = progress
        self.encoded = 0
        self._memo: dict[str, np.ndarray] = {}
        self._told: set[str] = set()

    @property
    def name(self) -> str:
        return self.encoder.name

    def _once(self, msg: str) -> None:
        if msg not in self._told and self.say:
            self._told.add(msg)
            self.say(msg)

    def covers(self, lang: str | None) -> bool:
        """Whether the encoder knows ``lang``; when it does not, say so once (the
        caller falls back to its other cues)."""
        if self.encoder.covers(lang):
            return True
        self._once(f"note: the sentence encoder {self.name} does not cover '{lang}'; "
                   "meaning is not used for that text")
        return False

    def embed(self, texts: list[str], lang: str | None = None) -> np.ndarray | None:
        """(len(texts), dim) unit rows (zero for empty texts); None when the encoder
        does not cover ``lang``."""
        if not self.covers(lang):
            return None
        texts = list(texts)
        keys = [sha256_text(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys)
                                     if k not in self._memo and t.strip()))
        if missing and self.cache is not None:
            for t, v in self.cache.get_many(self.name, missing, self.encoder.dim).items():
                self._memo[sha256_text(t)] = v
            missing = [t for t in missing if sha256_text(t) not in self._memo]
        if missing:
            self._encode(missing)
        dim = self.encoder.dim or next((v.shape[0] for v in self._memo.values()), 1)
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for row, k in enumerate(keys):
            v = self._memo.get(k)
            if v is not None:
                out[row] = v
        return out

    def _encode(self, texts: list[str]) -> None:
        what = f"encoding {len(texts):,} texts ({self.name})"
        if self.progress:
            self.progress(what, 0, len(texts))
        for k in range(0, len(texts), BATCH):
            chunk = texts[k:k + BATCH]
            vecs = self.encoder.encode(chunk, warn=self._once)
            self.encoded += len(chunk)
            pairs = list(zip(chunk, vecs))
            for t, v in pairs:
                self._memo[sha256_text(t)] = v
            if self.cache is not None:
                self.cache.put_many(self.name, pairs)
            if self.progress:
                self.progress(what, min(k + BATCH, len(texts)), len(texts))

    def similarity(self, a: list[str], b: list[str], lang_a: str | None = None,
                   lang_b: str | None = None) -> np.ndarray | None:
        """Cosine of every text of ``a`` with every text of ``b`` (None: a language the
        encoder does not cover)."""
        ea, eb = self.embed(a, lang_a), self.embed(b, lang_b)
        if ea is None or eb is None:
            return None
        return ea @ eb.T

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
