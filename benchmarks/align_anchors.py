"""celac-i18n's aligner against anchor aligners on real public parallel texts.

    .venv/bin/python benchmarks/align_anchors.py              # markdown tables on stdout
    .venv/bin/python benchmarks/align_anchors.py --json       # one JSON record per row

Texts (tests/fixtures/parallel/, excerpts of official public documents, sources in its
README): the UN Charter, chapters I–II (es→en, es→zh); the General Data Protection
Regulation, articles 1–3, 5, 6 (es→en); the Declaration of the Third Ministerial
Meeting of the China–CELAC Forum (2021), paragraphs 1–4 (es→en, es→pt).

Each fixture holds one paragraph per line, so a *block* is a non-empty line. The gold
comes from the texts' own numbering, read here by a small reader of their markers
(CHAPTER I / 第一章, Article 5 / Artículo 5 / 第五条, ``1.``, ``(a)`` / ``a)``) that is
independent of celac-i18n's parser: blocks with the same key translate each other, and
an unnumbered block is keyed by its place after the last numbered one.

Four variants of the target side, made here with a fixed seed (the source side is always
the original):

- ``intact``: the original text;
- ``stripped``: list markers (``1.``, ``(a)``, ``a)``) removed from every line, as when a
  copy loses its automatic numbering (heading lines such as "Article 5" stay);
- ``perturbed``: about one content paragraph in eight merged into the next and one in
  twelve dropped, and the numbering renumbered as an editor would (the ids then disagree
  with the content after the first change);
- ``both``: perturbed, then stripped.

Aligners, on the same blocks and the same gold: celac-i18n (``align_documents``, reading
the variant as a user's file: parse, or plain paragraphs / lines when no numbering is
found; its units are mapped back to blocks by line number); for reference, not as an
anchor, celac-i18n's aligner handed the blocks NLTK gets (no parse, no ids: lengths,
anchors and terms only); NLTK's Gale–Church with its
default parameters (length ratio 1, variance 6.8) and calibrated on the pair (ratio =
total target characters / total source characters, variance scaled by it, as in
Gale & Church's paper). Strict and lax P/R/F1 as in vecalign's score.py
(``celac_i18n.align.evaluate.score``); time is the alignment call only for NLTK, and
reading + parsing + aligning for celac-i18n.

The confidence table pools every celac-i18n bead of every row (confidence as shipped:
raw, then the calibration map of ``celac_i18n/align/calibration.py``): a bead is right
when the gold holds exactly that bead (strict). ``align_calibrate.py`` fits that map and
reports its reliability on each of these texts held out of the fit.
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures" / "parallel"

PAIRS = [("un-charter", "es", "en"), ("un-charter", "es", "zh"), ("gdpr", "es", "en"),
         ("ccf-declaration-2021", "es", "en"), ("ccf-declaration-2021", "es", "pt")]
VARIANTS = ("intact", "stripped", "perturbed", "both")
SEED = 2024
MERGE, DROP = 0.125, 0.08

_CHAPTER = re.compile(r"^(?:CHAPTER|CAP[ÍI]TULO)\s+([IVXLC]+)\b|^第([一二三四五六七八九十]+)章")
_ARTICLE = re.compile(r"^(?:Article|Art[íi]culo)\s+(\d+)\s*$|^第([一二三四五六七八九十百]+)条\s*$")
_NUMBER = re.compile(r"^(\d+)([.)])\s*")
_LETTER = re.compile(r"^\(([a-z])\)\s*|^([a-z])\)\s*")
_FINAL = (".", ";", ":", "。", "；", "：", "”")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
          "X": 10}


@dataclass
class Block:
    """A paragraph of a fixture: its lines (a heading keeps its name line, "Article 1" /
    "Subject-matter and objectives") and whether a blank line precedes it."""

    lines: list[str]
    blank_before: bool

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def read_blocks(path: Path) -> list[Block]:
    out: list[Block] = []
    blank = True
    for raw in path.read_text(encoding="utf-8").splitlines():
        ln = raw.strip()
        if not ln:
            blank = True
            continue
        prev = out[-1] if out else None
        if (prev is not None and len(prev.lines) == 1 and _heading(prev.lines[0])
                and len(ln) <= 80 and not ln.endswith(_FINAL) and not _NUMBER.match(ln)
                and not _heading(ln)):
            prev.lines.append(ln)      # the heading's name
        else:
            out.append(Block([ln], blank))
        blank = False
    return out


def write_blocks(blocks: list[Block], path: Path) -> dict[int, int]:
    """Write the blocks as a text file; returns line number (1-based) → block index."""
    parts: list[str] = []
    where: dict[int, int] = {}
    for k, b in enumerate(blocks):
        if k and b.blank_before:
            parts.append("")
        for ln in b.lines:
            parts.append(ln)
            where[len(parts)] = k
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return where


def _zh(s: str) -> int:
    from celac_i18n.parse.numerals import zh_to_int

    return zh_to_int(s) or 0


def gold_keys(blocks: list[Block]) -> list[str]:
    """Each block's key from the text's own numbering (see the module docstring)."""
    keys = []
    chapter = article = para = ""
    last, extra = "top", 0
    for blk in blocks:
        b = blk.lines[0]
        key = None
        if m := _CHAPTER.match(b):
            chapter = f"ch{_ROMAN.get(m.group(1) or '', 0) or _zh(m.group(2) or '')}"
            article = para = ""
            key = chapter
        elif m := _ARTICLE.match(b):
            article = f"art{m.group(1) or _zh(m.group(2))}"
            para = ""
            key = article
        elif m := _NUMBER.match(b):
            para = f"{article or chapter}.{m.group(1)}"
            key = para
        elif m := _LETTER.match(b):
            key = f"{para}.{m.group(1) or m.group(2)}"
        if key is not None:
            last, extra = key, 0
        else:
            extra += 1
            key = f"{last}+{extra}"
        keys.append(key)
    return keys


def strip_marker(block: str) -> str:
    for pat in (_NUMBER, _LETTER):
        m = pat.match(block)
        if m:
            return block[m.end():]
    return block


def _heading(line: str) -> bool:
    return bool(_CHAPTER.match(line) or _ARTICLE.match(line))


def _strip(b: Block) -> Block:
    return Block([strip_marker(b.lines[0])] + b.lines[1:], b.blank_before)


def perturb(blocks: list[Block], rng: random.Random) -> tuple[list[Block], list[list[int]]]:
    """Merge some content blocks into the next and drop some; renumber the markers.
    Returns the new blocks and, per new block, the original block indices it holds."""
    n = len(blocks)
    # paragraphs of content (sentence-final punctuation), not headings or title lines
    content = [i for i in range(n) if not _heading(blocks[i].lines[0])
               and len(blocks[i].text) > 40 and blocks[i].text.endswith(_FINAL)]
    # at least one merge and one drop in every text, about MERGE and DROP of its paragraphs
    n_merge = max(1, round(MERGE * len(content)))
    n_drop = max(1, round(DROP * len(content)))
    order = content[:]
    rng.shuffle(order)
    used: set[int] = set()
    merge, drop = set(), set()
    for i in order:
        if i in used or i - 1 in used or i + 1 in used:
            continue
        if len(merge) < n_merge and i + 1 in content and i + 2 not in used:
            merge.add(i)
            used.update((i, i + 1))
        elif len(drop) < n_drop:
            drop.add(i)
            used.add(i)
    out: list[Block] = []
    groups: list[list[int]] = []
    i = 0
    while i < n:
        if i in drop:
            i += 1
            continue
        if i in merge:
            out.append(Block([blocks[i].text + " " + _strip(blocks[i + 1]).text],
                             blocks[i].blank_before))
            groups.append([i, i + 1])
            i += 2
            continue
        out.append(blocks[i])
        groups.append([i])
        i += 1
    return renumber(out), groups


def renumber(blocks: list[Block]) -> list[Block]:
    """Number list markers again in sequence, as an editor's word processor would."""
    out = []
    num = let = 0
    for blk in blocks:
        b = blk.lines[0]
        if _heading(b):
            num = let = 0
        elif m := _NUMBER.match(b):
            num += 1
            let = 0
            b = f"{num}{m.group(2)} " + b[m.end():]
        elif m := _LETTER.match(b):
            let += 1
            c = chr(ord("a") + let - 1)
            b = (f"({c}) " if m.group(1) else f"{c})") + b[m.end():]
        out.append(Block([b] + blk.lines[1:], blk.blank_before))
    return out


def variant(blocks: list[Block], name: str, seed: int) -> tuple[list[Block], list[list[int]]]:
    rng = random.Random(seed)
    groups = [[i] for i in range(len(blocks))]
    if name in ("perturbed", "both"):
        blocks, groups = perturb(blocks, rng)
    if name in ("stripped", "both"):
        blocks = [_strip(b) for b in blocks]
    return blocks, groups


def gold_beads(src_keys: list[str], tgt_keys: list[str], groups: list[list[int]]):
    """Gold as (source block ids, target block ids): blocks whose keys agree."""
    where = {k: i for i, k in enumerate(src_keys)}
    covered: set[int] = set()
    gold = []
    for j, g in enumerate(groups):
        s = sorted(where[tgt_keys[o]] for o in g if tgt_keys[o] in where)
        covered.update(s)
        gold.append((tuple(f"s{i}" for i in s), (f"t{j}",)))
    gold += [((f"s{i}",), ()) for i in range(len(src_keys)) if i not in covered]
    return gold


def _components(n: int, m: int, links) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Beads from links between source and target blocks (connected components); a
    block without a link is a 1-0 or 0-1 bead."""
    parent = list(range(n + m))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in links:
        nodes = [i for i in group[0]] + [n + j for j in group[1]]
        for a, b in zip(nodes, nodes[1:]):
            parent[find(a)] = find(b)
    comps: dict[int, tuple[list[int], list[int]]] = {}
    for x in range(n + m):
        s, t = comps.setdefault(find(x), ([], []))
        (s if x < n else t).append(x if x < n else x - n)
    return [(tuple(f"s{i}" for i in sorted(s)), tuple(f"t{j}" for j in sorted(t)))
            for s, t in comps.values()]


def run_nltk(src: list[Block], tgt: list[Block], calibrated: bool):
    from nltk.translate import gale_church

    ls, lt = [len(b.text) for b in src], [len(b.text) for b in tgt]
    params = gale_church.LanguageIndependent
    if calibrated:
        ratio = sum(lt) / max(1, sum(ls))

        class Calibrated(gale_church.LanguageIndependent):
            AVERAGE_CHARACTERS = ratio
            VARIANCE_CHARACTERS = 6.8 * ratio
        params = Calibrated
    t0 = time.perf_counter()
    pairs = gale_church.align_blocks(ls, lt, params)
    dt = time.perf_counter() - t0
    return _components(len(src), len(tgt), [([i], [j]) for i, j in pairs]), dt, None


def _unit_blocks(doc, line_to_block: dict[int, int], n_lines: int) -> list[list[int]]:
    """Per unit, the blocks (non-empty lines) from its first line to the next unit's."""
    starts = [u.line for u in doc.units]
    out = []
    for k, u in enumerate(doc.units):
        end = next((s for s in starts[k + 1:] if s > u.line), n_lines + 1)
        out.append(sorted({line_to_block[x] for x in range(u.line, end) if x in line_to_block}))
    return out


def run_celac(src_path: Path, tgt_path: Path, src_lang: str, tgt_lang: str,
              n_src: int, n_tgt: int, line_maps: tuple[dict[int, int], dict[int, int]]):
    from celac_i18n.align import align_documents
    from celac_i18n.align.segments import load_paragraphs as load

    t0 = time.perf_counter()
    a = load(f"{src_path}@{src_lang}")
    b = load(f"{tgt_path}@{tgt_lang}")
    res = align_documents([a, b], consistency=False)
    dt = time.perf_counter() - t0
    maps = []
    for doc, l2b in zip((a, b), line_maps):
        per = _unit_blocks(doc, l2b, max(l2b))
        maps.append({id(u): blocks for u, blocks in zip(doc.units, per)})
    by_id = [{u.id: u for u in a.units}, {u.id: u for u in b.units}]
    links, confs = [], []
    for bead in res.beads:
        s = [i for seg in bead.segs.get(src_lang, []) for i in maps[0][id(by_id[0][seg.id])]]
        t = [j for seg in bead.segs.get(tgt_lang, []) for j in maps[1][id(by_id[1][seg.id])]]
        links.append((s, t))
        confs.append((tuple(f"s{i}" for i in sorted(set(s))),
                      tuple(f"t{j}" for j in sorted(set(t))), bead.confidence))
    beads = _components(n_src, n_tgt, links)
    # a bead's confidence, where celac-i18n's bead maps onto exactly one output bead
    conf = {}
    for s, t, c in confs:
        conf[(s, t)] = min(c, conf.get((s, t), 1.0))
    # only beads that are beads of the output (a celac-i18n bead merged with another
    # one through a shared block is no bead of its own)
    out = set(beads)
    return beads, dt, {k: v for k, v in conf.items() if k in out}


ALIGNERS = ("celac-i18n", "nltk-gc default", "nltk-gc calibrated")
# not an anchor: celac-i18n's content DP on the blocks NLTK gets (no parse, no ids)
EXTRA = ("celac-i18n, same blocks",)


def run_celac_blocks(src: list[Block], tgt: list[Block], sl: str, tl: str):
    """celac-i18n's aligner on the very blocks NLTK is given: plain paragraphs with
    positional ids on both sides, so lengths, anchors and terms decide alone."""
    from celac_i18n.align import align_documents
    from celac_i18n.model import PARAGRAPH, Document, Provenance, Unit

    def doc(blocks, lang):
        units = [Unit(f"b{k}", PARAGRAPH, "", "", b.text) for k, b in enumerate(blocks)]
        return Document(lang, units, Provenance(source=f"blocks-{lang}",
                                                extra={"ids": "positional"}))

    t0 = time.perf_counter()
    res = align_documents([doc(src, sl), doc(tgt, tl)], consistency=False)
    dt = time.perf_counter() - t0
    links = [([int(i[1:]) for i in b.ids(sl)], [int(j[1:]) for j in b.ids(tl)])
             for b in res.beads]
    return _components(len(src), len(tgt), links), dt, None


def evaluate(seed: int = SEED) -> tuple[list[dict], list[tuple[str, float, bool, bool]]]:
    """Score rows, and (text, raw confidence, one-sided, right) for every celac-i18n
    bead (raw: before the calibration map, so that align_calibrate.py can refit it)."""
    from celac_i18n.align import calibration
    from celac_i18n.align.evaluate import score

    rows, labelled = [], []
    with tempfile.TemporaryDirectory() as tmp, calibration.raw():
        for text, sl, tl in PAIRS:
            src = read_blocks(FIXTURES / f"{text}.{sl}.txt")
            tgt0 = read_blocks(FIXTURES / f"{text}.{tl}.txt")
            sk, tk = gold_keys(src), gold_keys(tgt0)
            for v in VARIANTS:
                tgt, groups = variant(tgt0, v, seed)
                gold = gold_beads(sk, tk, groups)
                sp = Path(tmp) / f"{text}.{sl}.txt"
                tp = Path(tmp) / f"{text}.{tl}.{v}.txt"
                maps = (write_blocks(src, sp), write_blocks(tgt, tp))
                for name in ALIGNERS + EXTRA:
                    if name == EXTRA[0]:
                        beads, dt, _ = run_celac_blocks(src, tgt, sl, tl)
                    elif name == "celac-i18n":
                        beads, dt, conf = run_celac(sp, tp, sl, tl, len(src), len(tgt), maps)
                        gs = set(gold)
                        for bead, c in conf.items():
                            labelled.append((text, c, not bead[0] or not bead[1], bead in gs))
                    else:
                        beads, dt, _ = run_nltk(src, tgt, name.endswith("calibrated"))
                    s = score(gold, beads)
                    rows.append({"text": text, "pair": f"{sl}-{tl}", "variant": v,
                                 "aligner": name, "gold_beads": len(gold),
                                 "blocks": f"{len(src)}/{len(tgt)}",
                                 **{k: round(x, 4) for k, x in s.items()
                                    if k.startswith(("precision", "recall", "f1"))},
                                 "seconds": round(dt, 4)})
    return rows, labelled


BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.0001))


def reliability_table(pairs: list[tuple[float, bool]]) -> list[dict]:
    out = []
    for lo, hi in BINS:
        sel = [(c, ok) for c, ok in pairs if lo <= c < hi]
        label = f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}"
        out.append({"bin": label, "beads": len(sel)})
        if sel:
            out[-1].update(mean_confidence=round(sum(c for c, _ in sel) / len(sel), 3),
                           right=round(sum(ok for _, ok in sel) / len(sel), 3))
    return out


def markdown(rows: list[dict], rel: list[dict]) -> str:
    lines = ["| text | pair | variant | blocks src/tgt | "
             + " | ".join(f"{a} F1" for a in ALIGNERS) + " | celac-i18n P / R | "
             "celac-i18n s | best anchor | " + " | ".join(f"{a} F1" for a in EXTRA) + " |",
             "|---|---|---|---|" + "---:|" * (len(ALIGNERS) + 3 + len(EXTRA))]
    keyed: dict[tuple, dict[str, dict]] = {}
    for r in rows:
        keyed.setdefault((r["text"], r["pair"], r["variant"], r["blocks"]), {})[r["aligner"]] = r
    means = {a: [] for a in ALIGNERS + EXTRA}
    for (text, pair, v, blocks), by in keyed.items():
        f = {a: by[a]["f1_strict"] for a in ALIGNERS + EXTRA}
        for a in ALIGNERS + EXTRA:
            means[a].append(f[a])
        best = max(f[a] for a in ALIGNERS[1:])
        c = by["celac-i18n"]
        lines.append(f"| {text} | {pair} | {v} | {blocks} | "
                     + " | ".join(f"{f[a]:.3f}" for a in ALIGNERS)
                     + f" | {c['precision_strict']:.3f} / {c['recall_strict']:.3f}"
                     f" | {c['seconds']:.3f} | {'≥' if f['celac-i18n'] >= best - 1e-9 else '<'} {best:.3f} | "
                     + " | ".join(f"{f[a]:.3f}" for a in EXTRA) + " |")
    mean = lambda a: f"**{sum(means[a]) / len(means[a]):.3f}**"  # noqa: E731
    lines.append("| **mean** | | | | " + " | ".join(mean(a) for a in ALIGNERS) + " | | | | "
                 + " | ".join(mean(a) for a in EXTRA) + " |")
    lines += ["", "| confidence | beads | mean confidence | share right (strict) |",
              "|---|---:|---:|---:|"]
    for r in rel:
        if r["beads"]:
            lines.append(f"| {r['bin']} | {r['beads']} | {r['mean_confidence']:.3f} | "
                         f"{r['right']:.3f} |")
        else:
            lines.append(f"| {r['bin']} | 0 | — | — |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    from celac_i18n.align.calibration import calibrate

    rows, labelled = evaluate()
    table = reliability_table([(calibrate(c, one), ok) for _, c, one, ok in labelled])
    if "--json" in argv:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        for r in table:
            print(json.dumps({"reliability": r}))
        return
    print(markdown(rows, table))


if __name__ == "__main__":
    main(sys.argv[1:])
