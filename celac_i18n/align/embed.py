"""Sentence embeddings from a local multilingual encoder (LaBSE-like), through
transformers: the similarity cue bertalign uses, here optional (``--embed-model PATH``).

The model is read from a local directory only (no download); texts are encoded in
batches, mean-pooled over their tokens (padding masked out) and L2-normalised, on the
GPU when torch sees one. ``similarity`` gives the cosine matrix of two lists of texts,
for the aligner and for ``diff``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import UserError

BATCH = 32
MAX_TOKENS = 256


class Embedder:
    def __init__(self, path: str | Path, device: str | None = None) -> None:
        p = Path(path)
        if not (p / "config.json").is_file():
            raise UserError(f"{path}: not a local transformers model (no config.json)")
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError as e:
            raise UserError(f"--embed-model needs torch and transformers ({e}); install "
                            "the 'neural' extra") from None
        self.torch = torch
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(p), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(p), local_files_only=True)
        except (OSError, ValueError) as e:
            raise UserError(f"{path}: cannot load the model ({str(e).splitlines()[0]})") from None
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model.to(self.device).eval()
        digest = hashlib.sha256((p / "config.json").read_bytes()).hexdigest()[:12]
        self.name = f"{p.name}@{digest}"

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalised (zero for an empty text)."""
        torch = self.torch
        out = []
        with torch.inference_mode():
            for k in range(0, len(texts), BATCH):
                batch = [t if t.strip() else " " for t in texts[k:k + BATCH]]
                enc = self.tokenizer(batch, padding=True, truncation=True,
                                     max_length=MAX_TOKENS, return_tensors="pt").to(self.device)
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
                pooled = torch.nn.functional.normalize(pooled.float(), dim=-1)
                out.append(pooled.cpu().numpy())
        if not out:
            return np.zeros((0, 0), dtype=np.float32)
        vecs = np.concatenate(out).astype(np.float32)
        vecs[[not t.strip() for t in texts]] = 0.0
        return vecs

    def similarity(self, a: list[str], b: list[str]) -> np.ndarray:
        """Cosine similarity of every text of ``a`` with every text of ``b``."""
        return self.encode(a) @ self.encode(b).T


@lru_cache(maxsize=2)
def load_embedder(path: str) -> Embedder:
    return Embedder(path)


def similarity(a: list[str], b: list[str], model: str | Path) -> np.ndarray:
    """Cosine similarity matrix of two lists of texts with the model at ``model``
    (a local directory), e.g. for matching clauses of two versions across languages."""
    return load_embedder(str(model)).similarity(a, b)
