"""A self-contained HTML QA report: every clause pair side by side with the findings
highlighted in the text, counts by check and severity, and client-side filters.

All text is escaped; no external CSS, fonts or scripts (the page works offline and can
be mailed as one file).
"""

from __future__ import annotations

import html
import json

from .base import SEVERITIES

_CSS = """
body{font-family:system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} table{border-collapse:collapse} td,th{padding:.3em .6em;border:1px solid #ccc}
.pair{display:grid;grid-template-columns:7em 1fr 1fr;gap:.2em 1em;border-top:1px solid #ddd;padding:.5em 0}
.pair .id{font-weight:bold;font-family:monospace}
.txt{white-space:pre-wrap;line-height:1.5}
mark{padding:0 .1em;border-radius:2px}
mark.critical{background:#f8b4b4} mark.functional{background:#fde68a} mark.cosmetic{background:#c7e3ff}
ul.f{grid-column:2 / span 2;margin:.2em 0;padding-left:1.2em}
li.critical{color:#9b1c1c} li.functional{color:#8a5a00} li.cosmetic{color:#1e4f8a}
.sev{font-weight:bold;text-transform:uppercase;font-size:.8em}
.filters label{margin-right:1em} .note{color:#666;font-size:.9em}
.hidden{display:none}
"""

_JS = """
function apply(){
  const sev=[...document.querySelectorAll('input[data-sev]')].filter(x=>x.checked).map(x=>x.dataset.sev);
  const chk=[...document.querySelectorAll('input[data-chk]')].filter(x=>x.checked).map(x=>x.dataset.chk);
  const only=document.getElementById('only').checked;
  document.querySelectorAll('li[data-sev]').forEach(li=>{
    li.classList.toggle('hidden',!(sev.includes(li.dataset.sev)&&chk.includes(li.dataset.chk)));});
  document.querySelectorAll('mark[data-sev]').forEach(m=>{
    const on=sev.includes(m.dataset.sev)&&chk.includes(m.dataset.chk);
    m.className=on?m.dataset.sev:'';});
  document.querySelectorAll('.pair').forEach(p=>{
    const any=p.querySelector('li[data-sev]:not(.hidden)');
    p.classList.toggle('hidden',only&&!any);});
}
document.querySelectorAll('.filters input').forEach(i=>i.addEventListener('change',apply));
apply();
"""


def _highlight(text: str, marks: list[tuple[int, int, str, str, str]]) -> str:
    """Escape ``text`` and wrap each (start, end, severity, check, title) span in <mark>.
    Overlapping spans: the most severe wins, the rest are dropped from the markup (they
    are still listed under the pair)."""
    marks = sorted(marks, key=lambda m: (SEVERITIES.index(m[2]), m[0]))
    chosen: list[tuple[int, int, str, str, str]] = []
    for m in marks:
        s, e = max(0, m[0]), min(len(text), m[1])
        if s >= e or any(not (e <= c[0] or s >= c[1]) for c in chosen):
            continue
        chosen.append((s, e, *m[2:]))
    chosen.sort()
    out, pos = [], 0
    for s, e, sev, chk, title in chosen:
        out.append(html.escape(text[pos:s]))
        out.append(f'<mark class="{sev}" data-sev="{sev}" data-chk="{html.escape(chk)}" '
                   f'title="{html.escape(title)}">{html.escape(text[s:e])}</mark>')
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def render_html(report) -> str:
    counts = report.counts()
    # findings land on their bead (the pair QA checked), by id only without one
    by_key: dict[object, list] = {}
    for f in report.findings:
        by_key.setdefault(f.bead if f.bead is not None else f.id, []).append(f)
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>QA {e(report.src_name)} → {e(report.tgt_name)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>QA: {e(report.src_name)} ({e(report.src_lang)}) → {e(report.tgt_name)} "
             f"({e(report.tgt_lang)})</h1>",
             f"<p class='note'>{e(report.signature)}</p>"]
    # counts table
    parts.append("<table><tr><th>check</th>" + "".join(f"<th>{s}</th>" for s in SEVERITIES)
                 + "<th>total</th></tr>")
    for chk, row in counts["by_check"].items():
        parts.append(f"<tr><td>{e(chk)}</td>" + "".join(f"<td>{row[s]}</td>" for s in SEVERITIES)
                     + f"<td>{sum(row.values())}</td></tr>")
    tot = counts["by_severity"]
    parts.append("<tr><th>total</th>" + "".join(f"<th>{tot[s]}</th>" for s in SEVERITIES)
                 + f"<th>{sum(tot.values())}</th></tr></table>")
    # filters
    parts.append("<p class='filters'>")
    parts.extend(f"<label><input type='checkbox' data-sev='{s}' checked> {s}</label>" for s in SEVERITIES)
    parts.append(" | ")
    parts.extend(f"<label><input type='checkbox' data-chk='{e(c)}' checked> {e(c)}</label>"
                 for c in counts["by_check"])
    parts.append(" | <label><input type='checkbox' id='only' checked> only units with findings</label></p>")
    for p in report.pairs:
        fs = by_key.get(getattr(p, "bead", p.id), [])
        src_marks = [(s, t, f.severity, f.check, f.message) for f in fs for s, t in f.src_spans]
        tgt_marks = [(s, t, f.severity, f.check, f.message) for f in fs for s, t in f.tgt_spans]
        src_html = _highlight(p.src_text, src_marks) if p.src else "<i>(no source unit)</i>"
        tgt_html = _highlight(p.tgt_text, tgt_marks) if p.tgt else "<i>(no target unit)</i>"
        label = p.id
        if getattr(p, "renumbered", False):    # the target numbers this unit otherwise
            label += f" → {'+'.join(p.tgt_ids)}"
        parts.append(f"<div class='pair' id='u-{e(p.id)}'><div class='id'>{e(label)}</div>"
                     f"<div class='txt' lang='{e(report.src_lang)}'>{src_html}</div>"
                     f"<div class='txt' lang='{e(report.tgt_lang)}'>{tgt_html}</div>")
        if fs:
            parts.append("<ul class='f'>")
            parts.extend(f"<li class='{f.severity}' data-sev='{f.severity}' data-chk='{e(f.check)}'>"
                         f"<span class='sev'>{f.severity}</span> [{e(f.check)}] {e(f.message)}</li>"
                         for f in fs)
            parts.append("</ul>")
        parts.append("</div>")
    data = json.dumps(counts, ensure_ascii=False).replace("<", "\\u003c")
    parts.append(f"<script type='application/json' id='counts'>{data}</script>")
    parts.append(f"<script>{_JS}</script></body></html>")
    return "".join(parts)
