"""Numeral systems that plans number their units with: Roman, Chinese, ordinals, letters."""

from __future__ import annotations

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(s: str) -> int | None:
    """Strict Roman numeral reader (``IIII`` and ``VX`` are rejected)."""
    s = s.upper()
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if total > 0 and int_to_roman(total) == s else None


def int_to_roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                       (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                       (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
ZH_BIG = {"万": 10_000, "亿": 100_000_000}
ZH_NUMERAL_CHARS = "".join(ZH_DIGITS) + "".join(ZH_UNITS) + "".join(ZH_BIG)


def zh_to_int(s: str) -> int | None:
    """Read a Chinese numeral: 十二, 一百零五, 二〇二二 (digit by digit), 五千, 3万."""
    if not s:
        return None
    if all(c in ZH_DIGITS for c in s) and len(s) > 1:
        # 二〇二二: positional digits, as in years
        return int("".join(str(ZH_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c.isdigit() and c.isascii():
            digit = (digit or 0) * 10 + int(c)
        elif c in ZH_DIGITS:
            digit = ZH_DIGITS[c]
        elif c in ZH_UNITS:
            section += (1 if digit is None else digit) * ZH_UNITS[c]
            digit = None
        elif c in ZH_BIG:
            section += digit or 0
            total += (section or 1) * ZH_BIG[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


ORDINAL_WORDS = {
    # es
    "primero": 1, "primer": 1, "segundo": 2, "tercero": 3, "cuarto": 4, "quinto": 5,
    "sexto": 6, "séptimo": 7, "septimo": 7, "octavo": 8, "noveno": 9, "décimo": 10,
    "decimo": 10, "único": 1, "unico": 1, "única": 1, "unica": 1,
    # feminine (disposiciones transitorias: "Primera.-"), es and pt
    "primera": 1, "segunda": 2, "tercera": 3, "cuarta": 4, "quinta": 5, "sexta": 6,
    "séptima": 7, "septima": 7, "octava": 8, "novena": 9, "décima": 10, "decima": 10,
    "primeira": 1, "terceira": 3, "quarta": 4, "quarto": 4, "sétima": 7, "nona": 9,
    # pt
    "primeiro": 1, "terceiro": 3, "sétimo": 7, "nono": 9,
    # en
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "one": 1, "two": 2, "three": 3,
}


def letter_to_int(c: str) -> int:
    """(a) → 1, (b) → 2: letters map onto numbers so ids agree across languages."""
    return ord(c.lower()) - ord("a") + 1


FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
