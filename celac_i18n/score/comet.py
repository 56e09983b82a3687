"""Optional COMET (Unbabel) scores, only from a model the user already has on disk.

We never download: the model path must exist locally and the Hugging Face hub is put in
offline mode before COMET is imported (COMET checkpoints also name an encoder such as
xlm-roberta, which must be in the local HF cache too).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from ..errors import UserError


def available() -> bool:
    return importlib.util.find_spec("comet") is not None


def check(model_path: str | None) -> Path:
    """The checkpoint to load, or a UserError saying exactly what is missing."""
    if not available():
        raise UserError("COMET is not installed: `pip install unbabel-comet`, then pass "
                        "--comet PATH to a downloaded checkpoint (model.ckpt)")
    if not model_path:
        raise UserError("COMET needs a local model: --comet PATH/checkpoints/model.ckpt")
    p = Path(model_path).expanduser()
    if p.is_dir():
        cands = sorted(p.glob("**/model.ckpt")) or sorted(p.glob("**/*.ckpt"))
        if not cands:
            raise UserError(f"{p}: no COMET checkpoint (*.ckpt) in this folder")
        p = cands[0]
    if not p.exists():
        raise UserError(f"{p}: no such COMET checkpoint")
    return p


def comet_scores(src: list[str], hyp: list[str], ref: list[str] | None,
                 model_path: str, batch_size: int = 8) -> tuple[float, list[float], str]:
    """(system score, segment scores, signature). Runs on CPU unless a GPU is visible."""
    ckpt = check(model_path)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from comet import load_from_checkpoint

    from ..version import __version__

    model = load_from_checkpoint(str(ckpt))
    data = [{"src": s, "mt": h, **({"ref": r} if ref is not None else {})}
            for s, h, r in zip(src, hyp, ref or [None] * len(hyp))]
    try:
        import torch
        gpus = 1 if torch.cuda.is_available() else 0
    except Exception:  # pragma: no cover - torch is a COMET dependency
        gpus = 0
    out = model.predict(data, batch_size=batch_size, gpus=gpus, progress_bar=False)
    try:
        from importlib.metadata import version
        cv = version("unbabel-comet")
    except Exception:  # pragma: no cover
        cv = "unknown"
    sig = (f"comet:{cv}|model:{ckpt.parent.parent.name or ckpt.name}|ref:{'yes' if ref else 'no'}"
           f"|celac-i18n:{__version__}")
    return float(out.system_score) * 100, [float(x) * 100 for x in out.scores], sig
