"""A clause history as one self-contained HTML page: a table of lineages (one column
per version), and for each lineage that changed, its text in every version with the
redline of each step (across languages: the two texts side by side, as given)."""

from __future__ import annotations

from html import escape

from .history import History, Track

_CSS = """
body{font-family:"Noto Sans","Noto Sans CJK SC",system-ui,sans-serif;max-width:80rem;
margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;
vertical-align:top}th{background:#f4f4f4}.k{color:#6f42c1}.drop{color:#dc3545}
ins{background:#d4f7d4;text-decoration:underline}del{background:#fbd3d3}
details{margin:.5rem 0}.step{border-left:4px solid #ddd;padding:.2rem .6rem;margin:.4rem 0;
white-space:pre-wrap}code{font-size:.8rem;word-break:break-all}
"""


def _ops(ops) -> str:
    out = []
    for op, t in ops:
        t = escape(t)
        out.append(t if op == "=" else f"<del>{t}</del>" if op == "-" else f"<ins>{t}</ins>")
    return "".join(out)


def render_history_html(h: History, tracks: list[Track], clause: str | None = None) -> str:
    n = len(h.names)
    title = f"History of {clause}" if clause else "Clause history"
    parts = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">',
             f"<title>{escape(title)}: {escape(' → '.join(h.names))}</title>",
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{escape(title)}</h1><p>{escape(' → '.join(h.names))}</p>"]
    for k, d in enumerate(h.diffs):
        counts = ", ".join(f"{kind} {c}" for kind, c in d.summary["counts"].items() if c)
        via = " (matched through a machine rendering; texts as given)" if "via" in d.summary \
            else " (matched by meaning; texts as given)" if "across" in d.summary else ""
        parts.append(f"<p>{escape(h.names[k])} → {escape(h.names[k + 1])}: "
                     f"{escape(counts)}{escape(via)}</p>")
    head = "".join(f"<th>{escape(x)}</th>" for x in h.names)
    parts.append(f"<table><tr><th>#</th>{head}</tr>")
    for num, t in enumerate(tracks, start=1):
        at = {s.version: s for s in t.steps}
        cells = []
        for v in range(n):
            s = at.get(v)
            if s is None:
                cells.append('<td class="drop">dropped</td>' if v == t.last + 1 else "<td></td>")
                continue
            kind = "" if s.kind in (None, "unchanged") else f' <span class="k">{escape(s.kind)}</span>'
            cells.append(f"<td>{escape(', '.join(s.ids))}{kind}</td>")
        link = f'<a href="#t{num}">{num}</a>' if t.changed() or clause else str(num)
        parts.append(f"<tr><td>{link}</td>{''.join(cells)}</tr>")
    parts.append("</table>")
    for num, t in enumerate(tracks, start=1):
        if not (t.changed() or clause):
            continue
        parts.append(f'<details id="t{num}" open><summary>Lineage {num}</summary>')
        for s in t.steps:
            label = f"{h.names[s.version]} {', '.join(s.ids)}"
            if s.kind:
                label += f" — {s.kind}"
                if s.similarity is not None:
                    label += f", similarity {s.similarity:.2f}"
            cross = s.kind and h.docs[s.version].lang != h.docs[s.version - 1].lang
            body = escape(h.text(s)) if s.kind in (None, "added") or cross else _ops(s.ops)
            parts.append(f'<div class="step"><b>{escape(label)}</b>\n{body}</div>')
        parts.append("</details>")
    parts.append(f"<p><code>{escape(h.signature)}</code></p></body></html>\n")
    return "\n".join(parts)
