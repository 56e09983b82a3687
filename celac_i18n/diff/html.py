"""A self-contained HTML report of a diff: the summary, then old and new side by side.

One file, no external resources, so the page can be mailed or archived as is; every
piece of document text goes through ``html.escape``. Runs of unchanged units collapse
into one ``<details>`` line; renumbered ones are listed (cross-references to them may
now be wrong), in a "Renumbered" list at the top and as cards in place, and changed
numbers have their own list at the top and a ``<mark class="num">`` in the texts. A
"Show" row of checkboxes filters the cards by kind; each card says why it has its
kind (the change's reason). Each change has previous /
next links, and the keys n / j (next) and p / k (previous) step through the changes
(a few lines of inline script; the links work without it). A moved unit is marked at
both places: at its old place a "moved to" row linking forward, at its new place a
"moved from" note linking back. Across languages the old column shows the old version
as given (e.g. the English) and the new column the new text, without word marks,
since the words of two languages do not line up.
"""

from __future__ import annotations

from html import escape

from .changes import Change, DiffResult, move_stubs
from .match import KINDS
from .numbers import segments

_CSS = """
body{font-family:"Noto Sans","Noto Sans CJK SC",system-ui,sans-serif;max-width:80rem;
margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.2rem .5rem}
th{background:#f4f4f4}td.n{text-align:right}
ins{background:#d4f7d4;text-decoration:underline}del{background:#fbd3d3}
.chg{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem;border-left:4px solid #ddd;
padding:.2rem .6rem;margin:.6rem 0}
.chg>header{grid-column:1/3;font-size:.85rem;color:#555}
.chg>header nav{float:right}.chg>header nav a{margin-left:.6rem}
.chg .old,.chg .new{white-space:pre-wrap}.chg .old:empty::before,.chg .new:empty::before{content:"—";color:#aaa}
.k-renumbered{border-color:#9ab}.k-modified{border-color:#e0a800}.k-moved{border-color:#6f42c1}
.k-split,.k-merged{border-color:#17a2b8}.k-added{border-color:#28a745}.k-removed{border-color:#dc3545}
.k-movedfrom{border-color:#6f42c1;border-left-style:dashed;color:#555}
details.same{margin:.3rem 0 .3rem 1rem;font-size:.85rem;color:#666}
details.same .row{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.3rem 0}
.note{background:#fff3cd;padding:.5rem .8rem;border:1px solid #e0c060}
.mark{font-size:.85rem;color:#6f42c1}
.chg:target,.chg.cur{outline:2px solid #6f42c1}
code{font-size:.85rem;word-break:break-all}
mark.num{background:#ffe066;outline:1px solid #c90;font-weight:bold}
.why{display:block;color:#444;font-style:italic}
.filter label{margin-right:.8rem;font-size:.9rem}
.alert{background:#fde2e2;padding:.5rem .8rem;border:1px solid #d88}
"""

# n/j: next change, p/k: previous; the current one is outlined.
_JS = """
(function(){var c=[].slice.call(document.querySelectorAll('.chg')),i=-1;
function go(d){if(!c.length)return;if(i>=0)c[i].classList.remove('cur');
i=Math.max(0,Math.min(c.length-1,i+d));c[i].classList.add('cur');
c[i].scrollIntoView({block:'center'});}
document.addEventListener('keydown',function(e){if(e.target.tagName=='INPUT'||e.ctrlKey||e.metaKey||e.altKey)return;
if(e.key=='n'||e.key=='j')go(1);else if(e.key=='p'||e.key=='k')go(-1);});
[].forEach.call(document.querySelectorAll('.filter input'),function(b){
b.addEventListener('change',function(){[].forEach.call(document.querySelectorAll(
'.chg.k-'+b.value),function(x){x.style.display=b.checked?'':'none';});});});})();
"""

# folded away: only what is the same text at the same number (a renumbered clause is
# listed, since cross-references to it may now be wrong)
_QUIET = ("unchanged",)


def _marked(text: str, spans, at: int) -> str:
    """``text`` (which starts at offset ``at`` of its side) escaped, with the parts
    inside ``spans`` (changed numbers) in ``<mark class="num">``."""
    if not spans:
        return escape(text)
    local = [(max(a - at, 0), min(b - at, len(text))) for a, b in spans
             if a < at + len(text) and b > at]
    return "".join(f'<mark class="num">{escape(p)}</mark>' if hit else escape(p)
                   for p, hit in segments(text, local))


def _ops_side(ops, side: str, spans=()) -> str:
    skip = "+" if side == "old" else "-"
    tag = "del" if side == "old" else "ins"
    out, at = [], 0
    for op, text in ops:
        if op == skip:
            continue
        t = _marked(text, spans, at)
        at += len(text)
        out.append(t if op == "=" else f"<{tag}>{t}</{tag}>")
    return "".join(out)


def _plain(ops, side: str, spans=()) -> str:
    skip = "+" if side == "old" else "-"
    return _marked("".join(t for op, t in ops if op != skip), spans, 0)


def _spans(c: Change, side: str):
    return getattr(c.numbers, f"{side}_spans", ()) if c.numbers else ()


def _ids(ids: list[str]) -> str:
    return ", ".join(escape(i) for i in ids) or "—"


def _counts_row(label: str, counts: dict, share: float, link: str | None = None) -> str:
    cell = f'<a href="#{escape(link)}">{escape(label)}</a>' if link else escape(label)
    cells = "".join(f'<td class="n">{counts[k] or ""}</td>' for k in KINDS)
    return f"<tr><td>{cell}</td>{cells}<td class='n'>{share:.1%}</td></tr>"


def render_html(result: DiffResult, only: set[str] | None = None,
                old_ref: str = "OLD", new_ref: str = "NEW") -> str:
    s = result.summary
    cross = "across" in s or "via" in s
    parts = ["<!DOCTYPE html>", '<html lang="' + escape(result.new.lang) + '"><head>',
             '<meta charset="utf-8">', f"<title>Diff {escape(old_ref)} → {escape(new_ref)}</title>",
             f"<style>{_CSS}</style></head><body>",
             f"<h1>Clause diff: {escape(old_ref)} → {escape(new_ref)}</h1>"]
    for side, ref in (("old", old_ref), ("new", new_ref)):
        info = s[side]
        parts.append(f"<p><b>{side}</b>: {escape(ref)} — {escape(str(info['source']))}, "
                     f"{escape(info['lang'])}, {escape(str(info['kind'] or 'unknown kind'))}, "
                     f"{info['units']} units ({info['clauses']} clauses)</p>")
    if cross:
        cal = s["calibration"]
        how = (f"through a machine rendering ({escape(s['via']['engine'])}); the old column "
               "shows the old version as given, never the machine text" if "via" in s else
               f"by meaning ({escape(cal.get('measure', ''))}), with no engine; the two "
               "columns show both texts side by side, with no word marks (words of two "
               "languages do not line up)")
        parts.append(
            f'<p class="note">Across languages: clauses were matched {how}. '
            "A clause is <b>modified</b> only when its "
            f"similarity falls below {cal['reword']:.2f} (this pair's faithful translations: "
            f"median {cal['baseline']['median']:.2f}); its confidence is the share of "
            "faithful translations that score higher. Whatever the similarity, a clause "
            "whose numbers differ is modified (numbers are always compared)" +
            (f"; a clause scoring low whose meaning reaches a faithful translation's level "
             f"({s['noise']['level']:.2f} by {escape(s['noise']['measure'])}) is translation "
             "noise, kept unchanged" if s.get("noise") else "") + ".</p>")
    for side in ("old", "new"):
        if s[side].get("machine_rendering") or s[side].get("kind") == "machine":
            parts.append(f'<p class="note">The {side} version is a machine rendering, '
                         "not an official text.</p>")
    if only:
        parts.append(f"<p>Showing only: {escape(', '.join(sorted(only)))}. "
                     "The summary counts every change.</p>")
    parts.append("<p>Keys: <kbd>n</kbd>/<kbd>j</kbd> next change, <kbd>p</kbd>/<kbd>k</kbd> "
                 "previous; unchanged units are folded (click to open).</p>")
    parts.append(f"<p><code>{escape(result.signature)}</code></p>")
    if s.get("ignore"):
        parts.append(f"<p>Ignored differences: {escape(', '.join(s['ignore']))} (a clause "
                     "differing only so is unchanged; numbers are always compared).</p>")
    if s.get("numbers"):
        items = "".join(
            f'<li><a href="#c-{escape(_key_ids(n["old"], n["new"]))}">{_ids(n["new"] or n["old"])}'
            f'</a> ({escape(n["kind"])}): <mark class="num">'
            f'{escape(", ".join(n["numbers"]["old"]) or "—")}</mark> → <mark class="num">'
            f'{escape(", ".join(n["numbers"]["new"]) or "—")}</mark></li>'
            for n in s["numbers"])
        parts.append(f'<div class="alert" id="numbers"><b>Numbers changed in '
                     f'{len(s["numbers"])} clause(s)</b><ul>{items}</ul></div>')
    if s.get("renumbered"):
        items = "".join(
            f'<li><a href="#c-{escape(_key_ids(r["old"], r["new"]))}">{_ids(r["old"])} → '
            f'{_ids(r["new"])}</a> ({escape(r["kind"])})</li>' for r in s["renumbered"])
        parts.append(f'<div id="renumbered"><b>Renumbered: {len(s["renumbered"])} '
                     "clause(s) carry a new number; check cross-references to them</b>"
                     f"<ul>{items}</ul></div>")
    boxes = "".join(f'<label><input type="checkbox" value="{k}" checked> {k}</label>'
                    for k in KINDS if k != "unchanged" and s["counts"].get(k))
    if boxes:
        parts.append(f'<p class="filter">Show: {boxes}</p>')

    head = "".join(f"<th>{k}</th>" for k in KINDS)
    parts.append(f"<h2 id='summary'>Summary</h2><table><tr><th>chapter</th><th>was</th>{head}"
                 "<th>text changed</th></tr>")
    parts.append(_counts_row("all", s["counts"], s["changed_share"]).replace(
        "</td>", "</td><td></td>", 1))
    for ch in s["chapters"]:
        label = ch["chapter"] + (f" {ch['heading']}" if ch["heading"] else "")
        was = ", ".join(ch["old_chapters"])
        parts.append(_counts_row(label, ch["counts"], ch["changed_share"],
                                 f"ch-{ch['chapter']}").replace(
            "</td>", f"</td><td>{escape(was)}</td>", 1))
    parts.append("</table>")
    kt = s["key_terms"]
    for title, key in (("Only in the old version", "only_old"),
                       ("Only in the new version", "only_new")):
        terms = [f"{t['term']} ({t['count']})" for t in kt["terms"][key]]
        words = [f"{w} ({n})" for w, n in kt["words"][key]]
        wtxt = "; words: " + escape(", ".join(words) or "none") if not cross else ""
        parts.append(f"<p><b>{title}</b> — termbase terms: "
                     f"{escape('; '.join(terms) or 'none')}{wtxt}</p>")

    stubs = move_stubs(result, only)
    shown = {id(c) for c in result.changes
             if c.kind not in _QUIET and (not only or c.kind in only)}
    # the cards in page order, moved-from rows included, for the prev/next links
    order: list[str] = []
    for c in stubs.get(None, []):
        order.append(f"from-{c.old[0]}")
    for c in result.changes:
        if id(c) in shown:
            order.append(f"c-{_key(c)}")
        order += [f"from-{st.old[0]}" for st in stubs.get(id(c), [])]
    nav = {a: (order[k - 1] if k else None, order[k + 1] if k + 1 < len(order) else None)
           for k, a in enumerate(order)}

    def navs(anchor: str) -> str:
        prev, nxt = nav.get(anchor, (None, None))
        links = (f'<a href="#{escape(prev)}">◀ previous</a>' if prev else "") + \
                (f'<a href="#{escape(nxt)}">next ▶</a>' if nxt else "")
        return f"<nav>{links}</nav>"

    def moved_from(c: Change) -> str:
        a = f"from-{c.old[0]}"
        text = _plain(c.ops, "old")
        return (f'<section class="chg k-movedfrom" id="{escape(a)}"><header>{navs(a)}'
                f'<b>moved from here</b> · old {_ids(c.old)} → now '
                f'<a href="#c-{escape(_key(c))}">{_ids(c.new)}</a></header>'
                f'<div class="old">{text}</div><div class="new"></div></section>')

    def card(c: Change) -> str:
        a = f"c-{_key(c)}"
        sim = f" · similarity {c.similarity:.2f}" if c.old and c.new else ""
        if c.confidence is not None:
            sim += f" · confidence {c.confidence:.0%}"
        if c.rewritten:
            sim += " · rewritten at its place"
        if c.cross and c.via is None:
            sim += " · side by side (two languages)"
        mark = ""
        if c.numbers:
            sim += f' · <mark class="num">numbers: {escape(c.numbers.describe())}</mark>'
        mark_why = f'<span class="why">{escape(c.reason)}</span>' if c.reason else ""
        if c.kind == "moved":
            mark = (f' · <span class="mark">moved here from <a href="#from-{escape(c.old[0])}">'
                    f"old {_ids(c.old)}</a></span>")
        if c.cross:
            old = _plain(c.ops, "old", _spans(c, "old"))
            new = _plain(c.ops, "new", _spans(c, "new"))
        else:
            old = _ops_side(c.ops, "old", _spans(c, "old"))
            new = _ops_side(c.ops, "new", _spans(c, "new"))
        return (f'<section class="chg k-{c.kind}" id="{escape(a)}"><header>{navs(a)}'
                f"<b>{c.kind}</b> · old {_ids(c.old)} → new {_ids(c.new)}{sim}{mark}"
                f"{mark_why}</header>"
                f'<div class="old">{old}</div><div class="new">{new}</div></section>')

    def fold(run: list[Change]) -> str:
        first, last = run[0], run[-1]
        span = (first.new or first.old)[0] + (
            f"–{(last.new or last.old)[-1]}" if len(run) > 1 else "")
        n_ren = sum(c.kind == "renumbered" for c in run)
        what = f"{len(run)} unchanged unit{'s' if len(run) > 1 else ''}" + (
            f" ({n_ren} renumbered)" if n_ren else "")
        rows = "".join(f'<div class="row" id="u-{escape(_key(c))}"><div>'
                       f"<b>{_ids(c.old)}</b> {_plain(c.ops, 'old')}</div><div><b>{_ids(c.new)}"
                       f"</b> {_plain(c.ops, 'new')}</div></div>" for c in run)
        return (f'<details class="same"><summary>{what}: {escape(span)}</summary>'
                f"{rows}</details>")

    parts.append(f"<h2 id='changes'>Changes</h2><p>Old: {escape(old_ref)} (left) · "
                 f"new: {escape(new_ref)} (right)</p>")
    parts += [moved_from(c) for c in stubs.get(None, [])]
    current, run = None, []
    for c in result.changes:
        if c.chapter != current:
            if run:
                parts.append(fold(run))
                run = []
            current = c.chapter
            ch = next((x for x in s["chapters"] if x["chapter"] == current), None)
            title = f"{current} {ch['heading']}" if ch and ch["heading"] else current
            parts.append(f'<h2 id="ch-{escape(current)}">{escape(title)}</h2>')
        if id(c) in shown:
            if run:
                parts.append(fold(run))
                run = []
            parts.append(card(c))
        else:
            run.append(c)
        for st in stubs.get(id(c), []):
            if run:
                parts.append(fold(run))
                run = []
            parts.append(moved_from(st))
    if run:
        parts.append(fold(run))
    parts.append(f"<script>{_JS}</script></body></html>\n")
    return "\n".join(parts)


def _key(c: Change) -> str:
    return _key_ids(c.old, c.new)


def _key_ids(old: list[str], new: list[str]) -> str:
    return new[0] if new else "old-" + old[0]
