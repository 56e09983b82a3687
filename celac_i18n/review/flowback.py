"""What reviewers decided, for the commands that run after them.

- ``ignored_findings`` / ``drop_ignored``: ``qa --review WS`` leaves out findings a
  reviewer marked as not an issue, while the clause pair still reads as it did then.
- ``reviewed_pairs`` / ``keep_reviewed_pairs``: ``align --review WS`` keeps the
  pairings of accepted beads whose texts are unchanged.
- ``reviewed_text``: a language's text with the reviewers' edits applied, for
  ``review save``, which stores it in the corpus as kind ``reviewed`` through the
  corpus import path (never over an official or reference text).

Decisions on texts that changed since are stale here too: never applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from .store import Store, text_hash


# -- qa --review ------------------------------------------------------------------------
def _clause_level(ws: Store, command: str) -> None:
    """``qa --review`` and ``align --review`` read clause beads: a sentence-level
    workspace's decisions are on sentence pairs, which they never see."""
    from ..errors import UserError

    if ws.level != "clause":
        raise UserError(f"{ws.path}: a {ws.level}-level workspace; {command} --review "
                        "reads the decisions of a clause-level one (review init without "
                        "--level sentence)")


def ignored_findings(ws: Store) -> dict[str, dict]:
    """Finding key → the live, current dismiss decision."""
    _clause_level(ws, "qa")
    out = {}
    for st in ws.states().values():
        out.update(st.dismissed)
    return out


def drop_ignored(report, ws: Store) -> tuple[int, int]:
    """Remove from a QA report the findings the workspace ignores. Returns (dropped,
    stale): stale ones were dismissed on a clause pair that reads differently now and
    stay in the report."""
    from .build import finding_key

    ignored = ignored_findings(ws)
    pairs = {p.id: p for p in report.pairs}
    kept, dropped, stale = [], 0, 0
    for f in report.findings:
        d = ignored.get(finding_key(f, report.src_lang, report.tgt_lang))
        if d is None:
            kept.append(f)
            continue
        p = pairs.get(f.id)
        if p is not None and text_hash(p.src_text, p.tgt_text) == d["text_hash"]:
            dropped += 1
        else:
            stale += 1
            kept.append(f)
    report.findings = kept
    report.signature = report.signature.extend({"review-ignored": dropped})
    return dropped, stale


# -- align --review ---------------------------------------------------------------------
@dataclass
class Pairing:
    key: str
    ids: dict[str, list[str]]        # lang → unit ids
    hashes: dict[str, str]           # lang → hash of the joined text the reviewer saw


def reviewed_pairs(ws: Store) -> list[Pairing]:
    """The pairings of accepted beads (current, not stale), merged ones included."""
    _clause_level(ws, "align")
    snap = ws.snapshot()
    states = snap.states()
    return [Pairing(b.key, {k: list(v) for k, v in b.ids.items()},
                    {lang: text_hash(t) for lang, t in b.texts.items()})
            for b in snap.beads if states[b.key].verdict == "accept"]


def keep_reviewed_pairs(alignment, pairs: list[Pairing]) -> tuple[int, int]:
    """Regroup a clause alignment so that every reviewed pairing is one bead. Returns
    (kept, skipped): a pairing is skipped when its texts changed or its units are no
    longer consecutive. Beads stay monotone and cover every segment once."""
    from ..align.beads import Bead

    langs = alignment.langs
    kept = skipped = 0
    for p in pairs:
        common = [lang for lang in langs if lang in p.ids]
        want = {lang: p.ids[lang] for lang in common}
        beads = alignment.beads
        touch = [i for i, b in enumerate(beads)
                 if any(s.id in want[lang] for lang in common for s in b.segs.get(lang, []))]
        if not touch or not any(want.values()):
            skipped += 1
            continue
        run = beads[touch[0]:touch[-1] + 1]
        split = {}
        ok = True
        for lang in langs:
            segs = [s for b in run for s in b.segs.get(lang, [])]
            idx = [k for k, s in enumerate(segs) if s.id in want.get(lang, [])]
            if lang in want and ([segs[k].id for k in idx] != want[lang]
                                 or (idx and idx != list(range(idx[0], idx[-1] + 1)))):
                ok = False
                break
            if lang in want and want[lang]:
                joiner = "" if lang.split("-")[0] == "zh" else " "   # as bead_text joins
                text = joiner.join(segs[k].text for k in idx)
                if text_hash(text) != p.hashes.get(lang):
                    ok = False
                    break
                split[lang] = (segs[:idx[0]], segs[idx[0]:idx[-1] + 1], segs[idx[-1] + 1:])
            else:
                split[lang] = (segs, [], []) if lang not in want else ([], [], segs)
        if not ok:
            skipped += 1
            continue
        conf = min(b.confidence for b in run)
        parts = []
        for k, c in ((0, conf), (1, 1.0), (2, conf)):
            segs = {lang: split[lang][k] for lang in langs}
            if any(segs.values()):
                parts.append(Bead(0, run[0].level, segs, c))
        alignment.beads = beads[:touch[0]] + parts + beads[touch[-1] + 1:]
        kept += 1
    for n, b in enumerate(alignment.beads, start=1):
        b.n = n
    alignment.signature = _signature(alignment.signature).extend({"review-kept": kept})
    return kept, skipped


# -- corpus text of kind "reviewed" -----------------------------------------------------
def reviewed_text(ws: Store, lang: str, original: str) -> tuple[str, int, list[str]]:
    """``original`` (the file text of ``lang``'s document) with the edits of ``lang``
    applied clause by clause. Returns (text, applied, skipped keys): an edit is applied
    where the clause's original text occurs once in the file."""
    snap = ws.snapshot()
    states = snap.states()
    text, applied, skipped = original, 0, []
    for b in snap.beads:
        e = states[b.key].edits.get(lang)
        if not e:
            continue
        old = b.texts.get(lang, "")
        if old and text.count(old) == 1 and "\n" not in e["text"]:
            text = text.replace(old, e["text"].strip())
            applied += 1
        else:
            skipped.append(b.key)
    return text, applied, skipped


def _signature(sig):
    """An alignment read from a file carries its signature as text."""
    from ..signature import Signature

    return sig if isinstance(sig, Signature) else Signature.parse(sig)
