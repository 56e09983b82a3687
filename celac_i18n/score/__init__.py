"""Translation quality scores: sacrebleu metrics with signatures, paired significance,
optional COMET and a round-trip estimate.

Nothing heavy is imported here: sacrebleu is imported inside the functions that use it.
"""

from .pairing import Pair, pair_units

__all__ = ["Pair", "pair_units"]
