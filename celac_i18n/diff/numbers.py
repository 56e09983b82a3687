"""The number cue of the diff: a paired clause whose numbers differ is changed.

For a negotiator a hidden year or amount is the worst failure a comparison can have,
and across languages a similarity threshold cannot see one: "2024" → "2025" moves a
machine rendering's similarity by a hundredth, far less than translation noise. So
every paired change (one to one, split, merged) compares its numbers, whatever the
engine or none: the texts as given, each read in its own language by the QA numbers
check's extraction (``qa.numbers.extract``: each language's separators, scale words
such as millones / million / 万 / 亿, Chinese numerals, month names), and compared by
value as that check compares them (``qa.numbers.unmatched``): 5.000 = 5,000 = 五千,
US$2 million = 2 millones = 200万. A number counts as changed when its value is not
on the other side at all (a year written twice in one language and once in the other
is no change; in one language the word redline shows it anyway).

Spans are offsets into the change's old and new texts as its ``ops`` rebuild them
(``redline.rebuild``), so any output can highlight them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NumberDiff:
    """The numbers of one side that the other lacks: written forms and spans."""

    old: tuple[str, ...]
    new: tuple[str, ...]
    old_spans: tuple[tuple[int, int], ...]
    new_spans: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict:
        return {"old": list(self.old), "new": list(self.new),
                "old_spans": [list(s) for s in self.old_spans],
                "new_spans": [list(s) for s in self.new_spans]}

    def describe(self) -> str:
        """'2024 → 2025', 'US$2 million → 3 millones', '1541 added', '5000 dropped'."""
        old, new = ", ".join(self.old), ", ".join(self.new)
        if old and new:
            return f"{old} → {new}"
        return f"{old} dropped" if old else f"{new} added"


def compare_numbers(old_text: str, old_lang: str, new_text: str,
                    new_lang: str) -> NumberDiff | None:
    """What differs between the numbers of two texts (None: they agree)."""
    from ..qa.numbers import extract, unmatched

    if old_text == new_text and old_lang == new_lang:
        # one text's numbers each find their own twin (most pairs of a diff are
        # identical: reading them all was a third of its time)
        return None
    o_nums, _ = extract(old_text, old_lang)
    n_nums, _ = extract(new_text, new_lang)
    if not any(n.hard for n in o_nums + n_nums):
        return None
    # each way: a hard number whose value the other side lacks entirely (as digits,
    # numerals or words)
    gone = [n for n, elsewhere in unmatched(o_nums, n_nums)[0] if not elsewhere]
    added = [n for n, elsewhere in unmatched(n_nums, o_nums)[0] if not elsewhere]
    if not gone and not added:
        return None
    gone.sort(key=lambda n: n.span)
    added.sort(key=lambda n: n.span)
    return NumberDiff(tuple(n.raw.strip() for n in gone), tuple(n.raw.strip() for n in added),
                      tuple(n.span for n in gone), tuple(n.span for n in added))


def segments(text: str, spans) -> list[tuple[str, bool]]:
    """``text`` cut at ``spans``: (piece, is a changed number), in order."""
    out, at = [], 0
    for a, b in sorted(spans):
        if a < at or b > len(text):
            continue            # (spans never overlap; a stale one is skipped)
        if a > at:
            out.append((text[at:a], False))
        out.append((text[a:b], True))
        at = b
    if at < len(text):
        out.append((text[at:], False))
    return out


def marked(text: str, spans, left: str = "⟦", right: str = "⟧") -> str:
    """``text`` with each changed number between ``left`` and ``right``."""
    return "".join(f"{left}{p}{right}" if hit else p for p, hit in segments(text, spans))
