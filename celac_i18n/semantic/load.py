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
