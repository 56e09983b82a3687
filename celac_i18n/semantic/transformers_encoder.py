"""A local transformers sentence encoder (LaBSE, multilingual-e5, bge-m3), for
``--embed-model DIR``: read from the directory only (no download), mean-pooled over
its tokens (padding masked out), L2-normalised, on the GPU when torch sees one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from ..errors import UserError
from .encoders import Encoder

BATCH = 32
MAX_TOKENS = 256


def model_dir_id(p: Path) -> str:
    """The encoder's name: the folder and a hash of its config and weight files (name and
    size), so a changed model is a new cache key and a new batch key."""
    h = hashlib.sha256((p / "config.json").read_bytes())
    for weights in sorted(p.glob("*.safetensors")) + sorted(p.glob("*.bin")):
        h.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return f"{p.name}@{h.hexdigest()[:12]}"


class TransformersEncoder(Encoder):
    kind = "transformers"

    def __init__(self, path: str | Path, device: str | None = None) -> None:
        p = Path(path)
        if not (p / "config.json").is_file():
            raise UserError(f"{path}: not a local transformers model (no config.json); "
                            "--embed-model takes a model directory, 'default' or 'none'")
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
        self.name = model_dir_id(p)
        self.dim = int(getattr(self.model.config, "hidden_size", 0)) or None

    def _encode(self, texts: list[str]) -> np.ndarray:
        torch = self.torch
        out = []
        with torch.inference_mode():
            for k in range(0, len(texts), BATCH):
                enc = self.tokenizer(texts[k:k + BATCH], padding=True, truncation=True,
                                     max_length=MAX_TOKENS, return_tensors="pt").to(self.device)
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
                pooled = torch.nn.functional.normalize(pooled.float(), dim=-1)
                out.append(pooled.cpu().numpy())
        return np.concatenate(out).astype(np.float32)
