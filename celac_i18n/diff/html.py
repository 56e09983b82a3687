"""A self-contained HTML report of a diff: summary first, then every clause redlined.

No scripts and no external resources, so the page can be mailed or archived as is.
Every piece of document text goes through ``html.escape``. A moved clause appears at
its new place, and a short note at its old place links to it.
"""

from __future__ import annotations

from html import escape

from .changes import Change, DiffResult
from .match import KINDS

_CSS = """
body{font-family:"Noto Sans","Noto Sans CJK SC",system-ui,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.2rem .5rem}
th{background:#f4f4f4}td.n{text-align:right}
ins{background:#d4f7d4;text-decoration:underline}del{background:#fbd3d3}
article{border-left:4px solid #ddd;padding:.2rem .8rem;margin:.8rem 0}
article header{font-size:.85rem;color:#555}
.k-unchanged{border-color:#eee;color:#666}.k-renumbered{border-color:#9ab}
.k-modified{border-color:#e0a800}.k-moved{border-color:#6f42c1}
.k-split,.k-merged{border-color:#17a2b8}
.k-added{border-color:#28a745}.k-removed{border-color:#dc3545}
.note{background:#fff3cd;padding:.5rem .8rem;border:1px solid #e0c060}
.stub{font-size:.85rem;color:#6f42c1;margin:.4rem 0 .4rem 1.2rem}
code{font-size:.85rem;word-break:break-all}
"""


def _ops_html(ops) -> str:
    out = []
    for op, text in ops:
        t = escape(text).replace("\n", "<br>\n")
        out.append(t if op == "=" else f"<del>{t}</del>" if op == "-" else f"<ins>{t}</ins>")
    return "".join(out)


def _ids(ids: list[str]) -> str:
    return ", ".join(escape(i) for i in ids) or "—"


def _anchor(c: Change) -> str:
    return f"new-{c.new[0]}" if c.new else f"old-{c.old[0]}"


def _change_html(c: Change) -> str:
    extra = "".join(f'<a id="new-{escape(i)}"></a>' for i in c.new[1:])
    extra += "".join(f'<a id="old-{escape(i)}"></a>' for i in c.old
                     if c.kind != "moved" and (c.new or i != c.old[0]))
    sim = f" · similarity {c.similarity:.2f}" if c.old and c.new else ""
    body = _ops_html(c.ops) if c.kind not in ("unchanged", "renumbered") else \
        escape("".join(t for _, t in c.ops)).replace("\n", "<br>\n")
    return (f'<article id="{escape(_anchor(c))}" class="k-{c.kind}">{extra}'
            f"<header><b>{c.kind}</b> · old {_ids(c.old)} → new {_ids(c.new)}{sim}</header>"
            f"<p>{body}</p></article>")


def _counts_row(label: str, counts: dict, share: float, link: str | None = None) -> str:
    cell = f'<a href="#{escape(link)}">{escape(label)}</a>' if link else escape(label)
    cells = "".join(f'<td class="n">{counts[k] or ""}</td>' for k in KINDS)
    return f"<tr><td>{cell}</td>{cells}<td class='n'>{share:.1%}</td></tr>"


def render_html(result: DiffResult, only: set[str] | None = None,
                old_ref: str = "OLD", new_ref: str = "NEW") -> str:
    s = result.summary
    parts = ["<!DOCTYPE html>", '<html lang="' + escape(result.new.lang) + '"><head>',
             '<meta charset="utf-8">', f"<title>Diff {escape(old_ref)} → {escape(new_ref)}</title>",
             f"<style>{_CSS}</style></head><body>",
             f"<h1>Clause diff: {escape(old_ref)} → {escape(new_ref)}</h1>"]
    for side, ref in (("old", old_ref), ("new", new_ref)):
        info = s[side]
        parts.append(f"<p><b>{side}</b>: {escape(ref)} — {escape(str(info['source']))}, "
                     f"{escape(info['lang'])}, {escape(str(info['kind'] or 'unknown kind'))}, "
                     f"{info['clauses']} clauses</p>")
    if "via" in s:
        parts.append(f'<p class="note">Compared through a machine rendering '
                     f"({escape(s['via']['engine'])}): {escape(s['via']['note'])}.</p>")
    for side in ("old", "new"):
        if s[side].get("machine_rendering") or s[side].get("kind") == "machine":
            parts.append(f'<p class="note">The {side} version is a machine rendering, '
                         "not an official text.</p>")
    if only:
        parts.append(f"<p>Showing only: {escape(', '.join(sorted(only)))}. "
                     "The summary counts every change.</p>")
    parts.append(f"<p><code>{escape(result.signature)}</code></p>")

    head = "".join(f"<th>{k}</th>" for k in KINDS)
    parts.append(f"<h2 id='summary'>Summary</h2><table><tr><th>chapter</th>{head}"
                 "<th>text changed</th></tr>")
    parts.append(_counts_row("all", s["counts"], s["changed_share"]))
    for ch in s["chapters"]:
        label = ch["chapter"] + (f" (was {', '.join(ch['old_chapters'])})"
                                 if ch["old_chapters"] and ch["old_chapters"] != [ch["chapter"]]
                                 else "") + (f" {ch['heading']}" if ch["heading"] else "")
        parts.append(_counts_row(label, ch["counts"], ch["changed_share"], f"ch-{ch['chapter']}"))
    parts.append("</table>")
    kt = s["key_terms"]
    for title, key in (("Only in the old version", "only_old"),
                       ("Only in the new version", "only_new")):
        terms = [f"{t['term']} ({t['count']})" for t in kt["terms"][key]]
        words = [f"{w} ({n})" for w, n in kt["words"][key]]
        parts.append(f"<p><b>{title}</b> — termbase terms: {escape('; '.join(terms) or 'none')}"
                     f"; frequent words: {escape(', '.join(words) or 'none')}</p>")

    # Where each moved unit used to be: after the change holding its old predecessor.
    old_order = {u.id: k for k, u in enumerate(result.old.units)}
    holder = {o: c for c in result.changes for o in c.old}
    by_pos = sorted(old_order, key=old_order.get)
    stubs: dict[int, list[Change]] = {}
    for c in result.changes:
        if c.kind == "moved" and (not only or "moved" in only):
            k = old_order[c.old[0]]
            prev = holder.get(by_pos[k - 1]) if k > 0 else None
            stubs.setdefault(id(prev), []).append(c)

    def stub_html(c: Change) -> str:
        return (f'<p class="stub" id="old-{escape(c.old[0])}">old {escape(c.old[0])} moved to '
                f'<a href="#new-{escape(c.new[0])}">{escape(c.new[0])}</a></p>')

    current = None
    parts.append("<h2 id='changes'>Changes</h2>")
    for c in stubs.get(id(None), []):
        parts.append(stub_html(c))
    for c in result.changes:
        if c.chapter != current:
            current = c.chapter
            ch = next((x for x in s["chapters"] if x["chapter"] == current), None)
            title = f"{current} {ch['heading']}" if ch and ch["heading"] else current
            parts.append(f'<h2 id="ch-{escape(current)}">{escape(title)}</h2>')
        if not only or c.kind in only:
            parts.append(_change_html(c))
        for st in stubs.get(id(c), []):
            parts.append(stub_html(st))
    parts.append("</body></html>\n")
    return "\n".join(parts)
