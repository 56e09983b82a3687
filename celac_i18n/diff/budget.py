"""What a diff will cost, told before it starts, and the refusal past a memory limit.

The estimate is linear in the text, as the diff is: peak memory grows with the
characters of both versions (the parse, the n-gram vectors of the units without an
identical counterpart, the redlines and the output), time mostly with the characters
of the units that have no identical counterpart (they are blocked, scored and
redlined; an identical unit is paired by a hash). The constants are the whole
command's, measured on random numbered lines (benchmarks/diff_memory.py), rounded up:
an estimate should not promise less than the run takes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

BASE_MB = 70            # interpreter, numpy, scipy's sparse LAPJV, the shipped termbase
BYTES_PER_CHAR = 56     # all characters of both versions, whole command, JSON output
#                         (measured 48 on unrelated texts, 35 on 1%-edited ones)
SECONDS_PER_CHAR = 2.2e-6     # every character (read, parse, pair, summary, output)
SECONDS_PER_CHANGED = 10e-6   # characters of units with no identical counterpart (7 µs
#                               a character at 4 MB a side, 12 at 20 MB: blocking grows)
# Chinese/Japanese: two n-gram sizes per character (1-grams are common, so postings
# are long), wider strings. Measured on unrelated random Chinese lines: 121 MB at
# 0.23 M characters, 187 MB at 0.70 M (~90 MB + 147 B a character); time ~1.5x.
CJK_BASE_MB = 30        # on top of BASE_MB
CJK_MEMORY = 3.0        # times BYTES_PER_CHAR
CJK_TIME = 1.6
DEFAULT_LIMIT = 4 << 30

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.I)


@dataclass(frozen=True)
class Estimate:
    chars: int            # characters in both versions
    changed: int          # of which in units with no identical counterpart
    memory: int           # bytes, peak
    seconds: float

    def describe(self) -> str:
        return (f"about {human_bytes(self.memory)} of memory and {human_seconds(self.seconds)} "
                f"for {self.chars / 1e6:.1f} M characters ({self.changed / 1e6:.1f} M in "
                "units with no identical counterpart)")


def estimate(old, new) -> Estimate:
    """The cost of diffing two ``Document``s."""
    from .match import normalize

    def texts(doc):
        return [normalize(u.heading or u.text) for u in doc.units]

    to, tn = texts(old), texts(new)
    common = set(to) & set(tn)
    chars = sum(map(len, to)) + sum(map(len, tn))
    changed = sum(len(t) for t in to if t not in common) + \
        sum(len(t) for t in tn if t not in common)
    cjk = bool({old.lang, new.lang} & {"zh", "ja"})
    memory = int((BASE_MB + CJK_BASE_MB * cjk) * 2**20 +
                 (CJK_MEMORY if cjk else 1.0) * BYTES_PER_CHAR * chars)
    seconds = (CJK_TIME if cjk else 1.0) * (SECONDS_PER_CHAR * chars +
                                            SECONDS_PER_CHANGED * changed)
    return Estimate(chars, changed, memory, seconds)


def default_limit() -> int:
    """4 GiB, or four fifths of this machine's memory when it has less."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return DEFAULT_LIMIT
    return min(DEFAULT_LIMIT, int(total * 0.8))


def parse_size(text: str) -> int | None:
    """``--max-memory``: "800M", "2G", "1.5GB", "512MiB" (bytes); "none" or "0": no
    limit (None)."""
    from ..errors import UserError

    if text.strip().lower() in ("none", "off", "0"):
        return None
    m = _SIZE.match(text)
    if not m:
        raise UserError(f"--max-memory: {text!r} is not a size (e.g. 800M, 2G, or none)")
    unit = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}[m.group(2).lower()]
    return int(float(m.group(1)) * unit)


def check(est: Estimate, limit: int | None, flag: str = "--max-memory") -> None:
    """Refuse (UserError, exit 2) before any work when the estimate passes ``limit``."""
    from ..errors import UserError

    if limit is not None and est.memory > limit:
        need = human_bytes(int(est.memory * 1.25))
        raise UserError(f"this diff would need {est.describe()}, above the limit of "
                        f"{human_bytes(limit)}: raise it ({flag} {need}) or diff smaller parts")


def human_bytes(n: int) -> str:
    if n >= 2**30:
        return f"{n / 2**30:.1f}G"
    return f"{max(1, round(n / 2**20))}M"


def human_seconds(s: float) -> str:
    if s < 90:
        return f"{max(1, round(s))} s"
    if s < 5400:
        return f"{round(s / 60)} min"
    return f"{s / 3600:.1f} h"
