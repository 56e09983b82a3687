"""Segment text for CAT tools: Markdown emphasis taken off.

Plans converted from Word keep emphasis as Markdown (``*Think Tanks*``); a translator's
tool would show the asterisks as text and count them as mismatches. Only paired
emphasis around words is removed: a lone asterisk (a footnote mark, ``5 * 3``) stays.
"""

from __future__ import annotations

import re

# *x*, **x**, _x_ (not inside a word: snake_case and 2*3*4 stay as they are)
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2}|_)(?=\S)(.+?)(?<=\S)\1(?![\w*])")


def clean_text(text: str) -> str:
    return _EMPHASIS.sub(r"\2", text)
