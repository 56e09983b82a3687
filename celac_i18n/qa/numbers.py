"""Numbers and amounts, locale-aware, across es / en / pt / zh.

Every number is read into a set of candidate values, so that conventions that differ
between languages compare equal: 1.000,5 (es/pt) = 1,000.5 (en) = 1 000,5; 5.000 =
5,000 = 5000 = 五千; 2 millones = US$2 million = 200万; 3 de diciembre = 12月3日 (month
names count as numbers); 2022-2024 = 2022—2024年 = 2022年至2024年 (each year is a
number); resolution 1540 (2004) = 第1540（2004）号. Separators follow the language's
convention (es/pt: 5.000 = 5000, 1,5 = 1.5; en/zh: 5,000 = 5000, 1.5 = 1.5); only a
separator against it that could group thousands (5.000 in an English text) gets both
readings, so 5.000 vs 500 still fails. A number with a scale word has only the scaled
value: 2 billones (10^12) ≠ 2 billion (10^9), 10 millones de dólares ≠ 10 dollars.

Numbers written in digits (or as Chinese numerals of two characters or more) are
*hard*; number words (mil, tres, décimo, December) are *soft*. A hard number must
find its value on the other side, hard or soft; soft numbers alone are never reported,
since renderings legitimately write "mil jóvenes" as "1,000 young".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parse.numerals import FULLWIDTH_DIGITS, ORDINAL_WORDS, ZH_NUMERAL_CHARS, zh_to_int
from .base import Check

# --- words --------------------------------------------------------------------------

_WORDS = {
    "es": {"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
           "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
           "veinte": 20, "treinta": 30, "cien": 100, "cincuenta": 50, "mil": 1000,
           "décimo": 10, "décima": 10, "tercera": 3, "segunda": 2, "primera": 1,
           "cuarta": 4, "quinta": 5},
    "pt": {"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5,
           "seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10, "vinte": 20,
           "cem": 100, "mil": 1000, "décimo": 10, "décima": 10, "terceira": 3,
           "segunda": 2, "primeira": 1},
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty": 20, "hundred": 100,
           "thousand": 1000, "tenth": 10},
}
_MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "en": "january february march april may june july august september october november december",
}
for _lang, _names in _MONTHS.items():
    for _i, _m in enumerate(_names.split(), 1):
        _WORDS[_lang].setdefault(_m, _i)
for _lang in ("es", "pt", "en"):
    for _w, _v in ORDINAL_WORDS.items():
        _WORDS[_lang].setdefault(_w, _v)
_WORDS["en"].pop("may", None)   # the verb is far more common than the month

# Cardinal words that combine (dos mil veintidós, two thousand and twenty-two).
_CARD = {
    "es": dict(zip("cero uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece "
                   "catorce quince dieciséis diecisiete dieciocho diecinueve veinte veintiuno "
                   "veintidós veintitrés veinticuatro veinticinco veintiséis "
                   "veintisiete veintiocho veintinueve".split(),
                   [0, 1, 1, *range(2, 30)])),
    "pt": dict(zip("zero um uma dois duas três quatro cinco seis sete oito nove dez onze doze treze "
                   "catorze quinze dezesseis dezessete dezoito dezenove vinte".split(),
                   [0, 1, 1, 2, 2, *range(3, 21)])),
    "en": dict(zip("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                   "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split(), range(21))),
}
_CARD["es"].update(veintiuna=21, treinta=30, cuarenta=40, cincuenta=50, sesenta=60, setenta=70, ochenta=80,
                   noventa=90, cien=100, ciento=100, doscientos=200, trescientos=300,
                   quinientos=500)
_CARD["pt"].update(trinta=30, quarenta=40, cinquenta=50, sessenta=60, setenta=70, oitenta=80,
                   noventa=90, cem=100, cento=100, duzentos=200, trezentos=300, quinhentos=500)
_CARD["en"].update(thirty=30, forty=40, fifty=50, sixty=60, seventy=70, eighty=80, ninety=90)
_MULT = {"es": {"mil": 1000, "millón": 10**6, "millones": 10**6},
         "pt": {"mil": 1000, "milhão": 10**6, "milhões": 10**6},
         "en": {"hundred": 100, "thousand": 1000, "million": 10**6, "millions": 10**6}}
_JOIN = {"es": {"y"}, "pt": {"e"}, "en": {"and"}}


def _word_runs(text: str, lang: str):
    """(value, start, end) for each run of cardinal words: 'dos mil veintidós' → 2022."""
    card, mult, join = _CARD.get(lang, {}), _MULT.get(lang, {}), _JOIN.get(lang, set())
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[^\W\d_]+", text)]
    i = 0
    while i < len(toks):
        if toks[i][0] not in card and toks[i][0] not in mult:
            i += 1
            continue
        total, cur, j, last, prev = 0, 0, i, i, None
        while j < len(toks):
            w = toks[j][0]
            if j > i and text[toks[j - 1][2]:toks[j][1]].strip(" -\u00a0"):
                break           # punctuation between the words ends the number
            if w in card:
                v = card[w]
                # a smaller unit may follow tens, hundreds or a multiplier: 'dos tres' is
                # two numbers, 'treinta y dos' one
                if prev is not None and prev != "mult" and not (
                        (prev >= 20 and prev % 10 == 0 and v < 10) or
                        (prev >= 100 and prev % 100 == 0 and v < 100)):
                    break
                cur += v
                prev = v
            elif w in mult:
                m = mult[w]
                if m == 100:
                    cur = (cur or 1) * 100
                    prev = 100
                else:
                    total, cur = total + (cur or 1) * m, 0
                    prev = "mult"
            elif w in join and j + 1 < len(toks) and toks[j + 1][0] in card and prev is not None:
                j += 1
                continue
            else:
                break
            last = j
            j += 1
        yield total + cur, toks[i][1], toks[last][2], last - i + 1
        i = last + 1


_SCALES = {
    "es": {"mil millones": 10**9, "millardos": 10**9, "millardo": 10**9, "millones": 10**6,
           "millón": 10**6, "billones": 10**12, "billón": 10**12, "mil": 1000},
    "pt": {"bilhões": 10**9, "bilhão": 10**9, "milhões": 10**6, "milhão": 10**6, "mil": 1000},
    "en": {"billion": 10**9, "billions": 10**9, "million": 10**6, "millions": 10**6,
           "thousand": 1000},
    "zh": {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 1000},
}

# Alphanumeric codes (COVID-19, 5G, G20) are names, not quantities.
_CODE = re.compile(r"\b(?:[A-Za-z]+-?\d+[A-Za-z]*|\d+[A-Za-z]+)\b")
# zh renders COVID-19 as 新冠(肺炎); what else a code may become in a language
_CODE_EQUIV = {"covid-19": {"zh": ("新冠", "新型冠状病毒")}}

_SPACE_GROUPED = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?(?!\d)"
_PLAIN = r"\d+(?:[.,]\d+)*"
_DIGITS = re.compile(rf"(?:{_SPACE_GROUPED}|{_PLAIN})")
_ZH_RUN = re.compile(rf"(?:百分之)?[{ZH_NUMERAL_CHARS}]+")


@dataclass
class Num:
    values: frozenset
    hard: bool
    span: tuple[int, int]
    raw: str


# The thousands separator of each language's convention; the other mark is the decimal.
_THOUSANDS = {"es": ".", "pt": ".", "en": ",", "zh": ","}


def _readings(raw: str, lang: str) -> set[float]:
    """Every sensible value of a digit string under the language's convention.

    es/pt: 5.000 = 5000 and 1,5 = 1.5; en/zh: 5,000 = 5000 and 1.5 = 1.5. Only a
    separator against the convention that could still be a thousands separator (5.000 in
    an English text, 5,000 in a Spanish one) gets both readings.
    """
    if re.search(r"[\u00a0\u202f ]", raw):      # 1 000 or 1 000,5: spaces group thousands
        return {float(re.sub(r"[\u00a0\u202f ]", "", raw).replace(",", "."))}
    s = raw
    seps = [c for c in s if c in ".,"]
    groups = re.split(r"[.,]", s)
    if not seps:
        return {float(s)}
    if len(set(seps)) == 2:
        dec = seps[-1]
        intpart, frac = s.rsplit(dec, 1)
        return {float(intpart.replace("." if dec == "," else ",", "").replace(dec, "") + "." + frac)}
    grouped = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    thousands = _THOUSANDS.get(lang)
    if grouped and (seps[0] == thousands or len(seps) > 1):
        return {float("".join(groups))}            # thousands separators only
    out = set()
    if len(seps) == 1:
        out.add(float(groups[0] + "." + groups[1]))  # a decimal point or comma
        if grouped:                                 # against the convention: ambiguous
            out.add(float("".join(groups)))
    if not out:                                     # 1.2.3: a list number, read as is
        out.add(float("".join(groups)))
    return out


def extract(text: str, lang: str) -> tuple[list[Num], list[tuple[str, tuple[int, int]]]]:
    """Numbers in ``text`` (with spans) and the alphanumeric codes it contains."""
    text = text.translate(FULLWIDTH_DIGITS)
    codes = [(m.group(0), m.span()) for m in _CODE.finditer(text)]
    masked = _CODE.sub(lambda m: " " * len(m.group(0)), text)
    nums: list[Num] = []
    scales = _SCALES.get(lang, {})
    scale_re = (re.compile(r"\s*(?:de\s+)?(" + "|".join(sorted(scales, key=len, reverse=True))
                           + (r")" if lang == "zh" else r")\b"), re.I) if scales else None)
    for m in _DIGITS.finditer(masked):
        vals = _readings(m.group(0), lang)
        end = m.end()
        if scale_re:
            sm = scale_re.match(masked, end) if lang != "zh" else re.match(
                "(" + "|".join(sorted(scales, key=len, reverse=True)) + ")", masked[end:])
            if sm:
                mult = scales[sm.group(1).lower()]
                vals = {v * mult for v in vals}     # 2 millones is 2e6, never 2
                end += sm.end() if lang == "zh" else sm.end() - end
        nums.append(Num(frozenset(round(v, 6) for v in vals), True, (m.start(), end), masked[m.start():end]))
    if lang == "zh":
        for m in _ZH_RUN.finditer(masked):
            run = m.group(0)
            body = run[3:] if run.startswith("百分之") else run
            v = zh_to_int(body)
            if len(body) < 2 and not run.startswith("百分之"):
                # 一 in 进一步: a word, not a quantity; but 第一条, 第三届 (ordinals)
                # and 一月一日 (a date) are soft numbers, like "tercera" and "enero":
                # they answer "Artículo 1" and "1 de enero", never stand alone
                if v is not None and (masked[m.start() - 1:m.start()] == "第" or
                                      masked[m.end():m.end() + 1] in ("月", "日", "号")):
                    nums.append(Num(frozenset({float(v)}), False, m.span(), run))
                continue
            if v is not None:
                nums.append(Num(frozenset({float(v)}), True, m.span(), run))
    else:
        words = _WORDS.get(lang, {})
        in_run = set()
        for v, a, b, n in _word_runs(masked, lang):
            if n > 1:           # single words are read below, with months and ordinals
                nums.append(Num(frozenset({float(v)}), False, (a, b), masked[a:b]))
                in_run.update(range(a, b))
        for m in re.finditer(r"\b\w+\b", masked):
            w = m.group(0).lower()
            if m.start() in in_run:
                continue
            if w in words and not w.isdigit():
                v = words[w]
                end = m.end()
                if scale_re:
                    sm = scale_re.match(masked, end)
                    if sm and sm.group(1).lower() != w:
                        v *= scales[sm.group(1).lower()]
                        end = sm.end()
                nums.append(Num(frozenset({float(v)}), False, (m.start(), end), masked[m.start():end]))
    nums.sort(key=lambda n: n.span)
    return nums, codes


def unmatched(s_nums: list[Num], t_nums: list[Num]) -> tuple[list[tuple[Num, bool]], list[Num]]:
    """The hard numbers of each side that the other lacks, as the numbers check reads
    them: each hard source number takes a target number of the same value (hard ones
    first, then soft); ``(number, elsewhere)`` for each that finds none, ``elsewhere``
    when its value is in the target all the same (it only occurs fewer times there);
    and the hard target numbers left over whose value the source never has (a
    repeated year or amount that the source holds is not one). The diff reuses this
    for its number cue."""
    free = list(t_nums)
    s_values = set().union(*(n.values for n in s_nums)) if s_nums else set()
    t_values = set().union(*(n.values for n in t_nums)) if t_nums else set()
    missing = []
    for n in [n for n in s_nums if n.hard]:
        match = next((t for t in free if t.hard and t.values & n.values), None) or \
            next((t for t in free if t.values & n.values), None)
        if match:
            free.remove(match)
        else:
            missing.append((n, bool(n.values & t_values)))
    extra = [t for t in free if t.hard and not t.values & s_values]
    return missing, extra


def _fmt(n: Num) -> str:
    return n.raw.strip()


class NumbersCheck(Check):
    """Numbers, amounts, years, ranges and resolution numbers agree.

    Likely false positives: a number the translation legitimately spells out in words
    the reader does not know (only common words, months and ordinals are read); a year
    or amount a rendering adds for clarity; list numbers quoted inside a clause
    ("see 6.3"); Chinese numerals inside fixed words (一带一路 has no quantity; runs of
    two or more numeral characters such as 一一 would be read as numbers).
    """

    id = "numbers"
    severity = "critical"
    title = "Numbers and amounts"

    def check_pair(self, pair, ctx):
        s_nums, s_codes = extract(pair.src_text, ctx.src_lang)
        t_nums, t_codes = extract(pair.tgt_text, ctx.tgt_lang)
        yield from self._compare(pair.id, s_nums, t_nums)
        yield from self._codes(pair, ctx, s_codes, t_codes)

    def _compare(self, uid, s_nums, t_nums):
        missing, extra = unmatched(s_nums, t_nums)
        for n, elsewhere in missing:
            if elsewhere:
                yield self.finding(uid, f"{_fmt(n)} occurs more often in the source than "
                                        "in the target", "functional",
                                   src_spans=[n.span], src=_fmt(n))
            else:
                yield self.finding(uid, f"number {_fmt(n)} is missing or changed in the target",
                                   src_spans=[n.span], src=_fmt(n))
        for t in extra:
            yield self.finding(uid, f"number {_fmt(t)} in the target is not in the source",
                               tgt_spans=[t.span], tgt=_fmt(t))

    def _codes(self, pair, ctx, s_codes, t_codes):
        t_text = pair.tgt_text.lower()
        for code, span in s_codes:
            c = code.lower()
            alts = _CODE_EQUIV.get(c, {}).get(ctx.tgt_lang, ())
            if c in t_text or any(a in pair.tgt_text for a in alts):
                continue
            yield self.finding(pair.id, f"code {code} is missing in the target", "functional",
                               src_spans=[span], src=code)
