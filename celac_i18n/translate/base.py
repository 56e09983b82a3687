"""The engine interface: translate a batch of segments, say who you are for the signature.

``Engine.translate`` is the template method every engine shares: it checks the language
pair, drops empty and duplicate segments, serves what it can from the cache, sends the
rest to the engine's ``_translate`` in batches and stores the results.
"""

from __future__ import annotations

from typing import Callable

from ..version import __version__
from ..errors import UserError
from ..langs import NAMES


class Engine:
    name = ""
    #: What one segment is: "sentence" (neural models do better on sentences) or "unit"
    #: (a whole clause; rule-based engines translate sentence by sentence anyway).
    segment = "sentence"
    batch_size = 32

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self.warnings: list[str] = []
        self.calls = 0          # segments actually sent to the engine (not from the cache)

    # -- identity, for cache keys and signatures ------------------------------------
    @property
    def version(self) -> str:
        raise NotImplementedError

    @property
    def model_id(self) -> str:
        """The model and its revision ("" for engines without one)."""
        return self.model or ""

    def model_label(self, src: str, tgt: str) -> str:
        """What to record as the model of a rendering (the language data for rule-based)."""
        return self.model_id

    def pairs(self) -> set[tuple[str, str]] | None:
        """Supported (src, tgt) pairs, or None when any pair may work (the model decides)."""
        return None

    def check_pair(self, src: str, tgt: str) -> None:
        if src == tgt:
            raise UserError(f"source and target language are both '{src}'")
        pairs = self.pairs()
        if pairs is not None and (src, tgt) not in pairs:
            have = ", ".join(f"{a}→{b}" for a, b in sorted(pairs)) or "none installed"
            raise UserError(f"engine {self.name} cannot translate {NAMES.get(src, src)} → "
                            f"{NAMES.get(tgt, tgt)} ({src}→{tgt}; it has: {have})"
                            + self.pair_hint(src, tgt))

    def pair_hint(self, src: str, tgt: str) -> str:
        return ""

    def signature(self, src: str, tgt: str):
        """Engine and version, model, language data, pair, segmenting and options: a
        ``signature.Signature``."""
        from ..signature import Signature

        return Signature({self.name: self.version, "model": self.model_id or None,
                          **self.model_fields(src, tgt), "src": src, "tgt": tgt,
                          "segment": self.segment, **self.options(),
                          "celac-i18n": __version__})

    def model_fields(self, src: str, tgt: str) -> dict[str, str]:
        """What an engine adds after its model in the signature (language data...)."""
        return {}

    def options(self) -> dict[str, object]:
        """Settings that change the output (beams, ...): part of signature and cache key."""
        return {}

    def cache_key(self, src: str, tgt: str) -> tuple[str, str, str, str, str]:
        opts = ",".join(f"{k}={v}" for k, v in sorted(self.options().items()))
        return (self.name, self.model_id, f"{self.version};{opts}", src, tgt)

    # -- the template method ---------------------------------------------------------
    def translate(self, segments: list[str], src: str, tgt: str, *, cache=None,
                  progress: Callable[[int], None] | None = None) -> list[str]:
        """Translations of ``segments``, in order; empty segments stay empty."""
        self.check_pair(src, tgt)
        todo = list(dict.fromkeys(s for s in segments if s.strip()))
        done: dict[str, str] = {}
        if cache is not None and todo:
            done = cache.get_many(self.cache_key(src, tgt), todo)
            if progress and done:
                progress(sum(1 for s in segments if s in done))
        missing = [s for s in todo if s not in done]
        counts: dict[str, int] = {}
        for s in segments:
            counts[s] = counts.get(s, 0) + 1
        for i in range(0, len(missing), self.batch_size):
            batch = missing[i:i + self.batch_size]
            out = self._translate(batch, src, tgt)
            if len(out) != len(batch):
                raise RuntimeError(f"{self.name}: {len(out)} outputs for {len(batch)} inputs")
            self.calls += len(batch)
            # One line per segment, whatever the engine did: layouts depend on it.
            new = list(zip(batch, (" ".join(o.split()) for o in out)))
            done.update(new)
            if cache is not None:
                cache.put_many(self.cache_key(src, tgt), new)
            if progress:
                progress(sum(counts[s] for s in batch))
        return [done.get(s, "") if s.strip() else "" for s in segments]

    def _translate(self, segments: list[str], src: str, tgt: str) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        """Release processes or models."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
