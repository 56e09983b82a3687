"""Search by meaning: rank the clauses of many texts against one query (pure logic).

Two scores per clause, both shown:

- ``similarity``: the cosine of the query's embedding with the clause's (any language;
  None when the encoder is off or does not cover the clause's language).
- ``words``: a lexical score in [0, 1], used for a short query (``is_short``: a word or
  two of three letters or more, "bolsas de estudo" too, or at most ``SHORT_HAN``
  Chinese characters) and for every query when the encoder is off. It is computed in
  the texts written in the query's script (Han → Chinese texts, Latin → Spanish,
  English, Portuguese: one or two words cannot tell Spanish from Portuguese): 1.0
  when the whole normalised query occurs in the clause (at a word start for Latin
  script), else ``PARTIAL`` × the share of the query's words found (a Latin word
  matches a word it begins, plural -s/-es dropped, so "beca" and "becas" match;
  Chinese is compared by character bigrams), and 0 unless more than half are. A clause scored in one text lends its score to the
  clauses with the same id in the texts that render it (``families``: a plan's texts;
  files numbered alike in other languages), so the Spanish clause that a Chinese hit
  renders ranks too; ``via`` names where the words were found.

The ranking score is ``similarity + WORD_WEIGHT × words`` (a missing similarity
counts 0), best first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..langs import CJK_CHARS

WORD_WEIGHT = 1.0     # a whole-word hit lifts a clause above any cosine of unrelated text
PARTIAL = 0.9         # every word found, but not as one phrase
MIN_SHARE = 0.5       # no more of the query's words than this share: no lexical score
SHORT_WORDS = 2       # a "short" query: at most this many words ...
SHORT_HAN = 6         # ... or this many Han characters
MIN_STEM = 4          # a word matches the words it begins only from this length
SAME_IDS = 0.9        # files numbered alike in this share of ids render one another

_HAN_CHARS = CJK_CHARS
_HAN = re.compile(f"[{_HAN_CHARS}]")
# a run of Han characters, or a word of other letters and digits
_TOKEN = re.compile(f"[{_HAN_CHARS}]+|[^\\W_{_HAN_CHARS}]+")


@dataclass(frozen=True)
class Passage:
    """One clause of one text."""

    ref: str               # the text's reference (2022-2024:zh:reference, a path)
    plan: str | None       # the corpus plan (None for a file outside the corpus)
    lang: str
    kind: str              # official, reference, machine, reviewed; "file" outside
    id: str
    text: str
    family: str = ""       # the texts that render one another (``families``)

    @property
    def group(self) -> tuple:
        """The clause across its renderings: same family (plan), same id."""
        return (self.family or self.plan or self.ref, self.id)


def families(texts: dict[str, tuple[str | None, str, list[str]]]) -> dict[str, str]:
    """ref → the family of texts that render one another: a corpus plan's texts are one
    family; files outside the corpus are one when they are in different languages and
    share at least ``SAME_IDS`` of their clause ids (Jaccard), as a document and its
    translations numbered alike do; any other file is its own.

    ``texts``: ref → (plan or None, language, clause ids)."""
    out: dict[str, str] = {}
    for ref, (plan, lang, ids) in texts.items():
        if plan:
            out[ref] = f"plan:{plan}"
            continue
        mine = set(ids)
        for other, fam in list(out.items()):
            o_plan, o_lang, o_ids = texts[other]
            if o_plan or o_lang == lang or not mine:
                continue
            theirs = set(o_ids)
            if len(mine & theirs) / len(mine | theirs) >= SAME_IDS and all(
                    texts[r][1] != lang for r, f in out.items() if f == fam):
                out[ref] = fam
                break
        else:
            out[ref] = f"text:{ref}"
    return out


@dataclass
class Hit:
    passage: Passage
    similarity: float | None
    words: float | None
    via: str | None = None          # the text whose words matched, when not this one
    score: float = field(init=False)

    def __post_init__(self) -> None:
        self.score = (self.similarity or 0.0) + WORD_WEIGHT * (self.words or 0.0)


def script(text: str) -> str:
    """"han" when the text has Chinese characters and no more Latin letters, else "latin"."""
    han = len(_HAN.findall(text))
    other = sum(1 for c in text if c.isalpha()) - han
    return "han" if han and han >= other else "latin"


def lang_script(lang: str) -> str:
    return "han" if lang.split("-")[0] in ("zh", "ja") else "latin"


def normalise(text: str) -> str:
    """NFKC, case folded, accents dropped, runs of spaces made one."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", text).split())


def _stem(word: str) -> str:
    for end in ("es", "s"):
        if word.endswith(end) and len(word) - len(end) >= MIN_STEM:
            return word[:-len(end)]
    return word


def query_words(query: str) -> list[str]:
    """The query's words: Latin words, and Chinese by character bigrams (a lone
    character alone)."""
    out: list[str] = []
    for run in _TOKEN.findall(normalise(query)):
        if _HAN.match(run):
            out += [run[i:i + 2] for i in range(len(run) - 1)] or [run]
        else:
            out.append(run)
    return out


def is_short(query: str) -> bool:
    """A word or two (or a few Chinese characters), where sentence encoders are weak."""
    norm = normalise(query)
    if script(norm) == "han":
        return len(_HAN.findall(norm)) <= SHORT_HAN
    # words of one or two letters ("de", "of", "a") do not count
    return sum(1 for t in _TOKEN.findall(norm) if len(t) >= 3) <= SHORT_WORDS


class WordMatcher:
    """The lexical score of the query against clause texts (see the module's doc)."""

    def __init__(self, query: str) -> None:
        self.norm = normalise(query)
        words = query_words(query)
        if len(words) > SHORT_WORDS:
            # a long query (a clause, with the encoder off): short function words say
            # nothing about the topic
            words = [w for w in words if _HAN.match(w) or len(w) >= 3] or words
        self.words = list(dict.fromkeys(words))
        self.script = script(self.norm)
        # the phrase at a word start; at a word end too when its last word is short
        # ("art" is not "artículo"; "beca" is in "becas")
        last = (_TOKEN.findall(self.norm) or [""])[-1]
        self._phrase = re.compile(re.escape(self.norm)) if self.script == "han" else \
            re.compile(r"(?<![^\W_])" + re.escape(self.norm) +
                       (r"(?![^\W_])" if len(last) < MIN_STEM else ""))

    def _has(self, word: str, text: str, tokens: set[str]) -> bool:
        if _HAN.match(word):
            return word in text
        if word in tokens:
            return True
        stem = _stem(word)
        return len(stem) >= MIN_STEM and any(t.startswith(stem) for t in tokens)

    def score(self, text: str) -> float:
        if not self.words:
            return 0.0
        norm = normalise(text)
        if self.norm and self._phrase.search(norm):
            return 1.0
        tokens = {t for t in _TOKEN.findall(norm) if not _HAN.match(t)}
        share = sum(self._has(w, norm, tokens) for w in self.words) / len(self.words)
        return PARTIAL * share if share > MIN_SHARE else 0.0


def word_scores(query: str, passages: list[Passage], exclude: set = frozenset()
                ) -> dict[tuple, tuple[float, str]]:
    """Clause group → (its best lexical score, the ref of the text that gave it), over
    the passages in the query's script (``exclude``: (ref, id) pairs that lend no
    score, the clause a ``--like`` query is)."""
    matcher = WordMatcher(query)
    best: dict[tuple, tuple[float, str]] = {}
    for p in passages:
        if lang_script(p.lang) != matcher.script or (p.ref, p.id) in exclude:
            continue
        s = matcher.score(p.text)
        if s > 0 and s > best.get(p.group, (0.0, ""))[0]:
            best[p.group] = (s, p.ref)
    return best


def rank(passages: list[Passage], similarities: list[float | None] | None,
         words: dict[tuple, tuple[float, str]] | None, *, top: int,
         langs: set[str] | None = None, exclude: set = frozenset()) -> list[Hit]:
    """The ``top`` best clauses (``langs``: only these languages; ``exclude``: (ref, id)
    pairs left out). ``similarities``: one per passage (None: the encoder is off);
    ``words``: from ``word_scores`` (None: not used). With the encoder off only
    clauses with a lexical score rank."""
    hits = []
    for i, p in enumerate(passages):
        if (langs and p.lang not in langs) or (p.ref, p.id) in exclude:
            continue
        sim = similarities[i] if similarities is not None else None
        w, via = (words or {}).get(p.group, (0.0, None))
        if sim is None and not w:
            continue
        hits.append(Hit(p, None if sim is None else round(float(sim), 4),
                        round(w, 4) if words is not None else None,
                        via if w and via != p.ref else None))
    # best first; ties by the order of the texts and clauses given
    order = {id(h): k for k, h in enumerate(hits)}
    hits.sort(key=lambda h: (-h.score, order[id(h)]))
    return hits[:top]


def query_similarities(layer, query: str, query_lang: str | None, passages) -> list:
    """The query's cosine with every passage (``.text``, ``.lang``), one batch per
    language; None where the encoder does not cover a passage's (or the query's)
    language. ``layer``: a ``semantic.layer.Semantic``."""
    qv = layer.embed([query], query_lang)
    sims: list = [None] * len(passages)
    if qv is None:
        return sims
    by_lang: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        by_lang.setdefault(p.lang, []).append(i)
    for lang, idx in by_lang.items():
        emb = layer.embed([passages[i].text for i in idx], lang)
        if emb is None:
            continue
        for i, s in zip(idx, (emb @ qv[0]).tolist()):
            sims[i] = s
    return sims
