"""How weak a bead looks, from everything the aligner and QA know: its confidence, its
shape (n-m), its open QA findings and its meaning similarity against the document's
median. A broken bead (an omission at confidence 0.80, a real 2-1 merge at 0.995)
sorts before a sound one. Each cue is a weight in [0, 1]; they add up as independent
evidence (1 - prod(1 - w)), and each one that counts is named."""

from __future__ import annotations

SEVERITY_WEIGHT = {"critical": 0.8, "functional": 0.4, "cosmetic": 0.1}


def weak(v: dict, langs: list[str], med: dict[str, float | None]) -> dict:
    """{"score", "reasons"} of a bead view (api.bead_view)."""
    ws, reasons = [], []
    c = v["confidence"]
    if c < 0.9:
        ws.append(min(1.0, (0.9 - c) * 1.5))
        reasons.append(f"confidence {c:.2f}")
    pivot = langs[0]
    n = len(v["ids"].get(pivot, []))
    for lang in langs[1:]:
        m = len(v["ids"].get(lang, []))
        if lang in v["unpaired"]:
            ws.append(0.9)
            reasons.append(f"{pivot if not n else lang} side empty ({pivot}-{lang} {n}-{m})")
        elif n and m and n != m:
            ws.append(0.5)
            reasons.append(f"{'merged' if m < n else 'split'} {n}-{m} ({pivot}-{lang})")
        s, base = v["similarity"].get(lang), med.get(lang)
        if s is not None and base is not None and s < base - 0.1:
            ws.append(min(1.0, (base - s) / 0.4))
            reasons.append(f"similarity {s:.2f} (document median {base:.2f}, {pivot}-{lang})")
    for f in v["findings"]:
        if not f["dismissed"]:
            ws.append(SEVERITY_WEIGHT.get(f["severity"], 0.1))
            reasons.append(f"QA: {f['check']} {f['severity']}: {f['message'][:60]}")
    keep = 1.0
    for w in ws:
        keep *= 1 - w
    return {"score": round(1 - keep, 4), "reasons": reasons}
