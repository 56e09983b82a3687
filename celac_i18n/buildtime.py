"""The time an output says it was made: now in UTC, or ``SOURCE_DATE_EPOCH``.

One definition for every output that carries a date (PDF metadata, DOCX revisions),
so a reproducible build (same inputs, same ``SOURCE_DATE_EPOCH``) is byte-identical
whatever the output.
"""

from __future__ import annotations

import datetime as _dt
import os


def build_time() -> _dt.datetime:
    """UTC, to the second: ``SOURCE_DATE_EPOCH`` when set to an integer, else now."""
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde and sde.isdigit():
        return _dt.datetime.fromtimestamp(int(sde), _dt.timezone.utc)
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
