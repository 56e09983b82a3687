// The review page: a virtualised grid of beads (one row each; 10,000 scroll as 30 rows
// in the page), the current bead in the side panel, decisions posted back with the
// per-run token. Every text goes into the page as a text node, never as HTML.
"use strict";

const TOKEN = document.querySelector('meta[name="review-token"]').content;
const STORE = "celac-review:";          // localStorage prefix (settings, not decisions)
const POLL_MS = 4000;                    // how often the page asks whether the workspace changed
const OVERSCAN = 8;                      // rows rendered beyond the visible ones

let WS = null;          // /api/workspace
let BEADS = [];         // /api/beads, document order
let BYKEY = new Map();  // key -> bead
let SHOWN = [];         // the beads the filters show, in the chosen order
let INDEX = new Map();  // key -> position in SHOWN
let current = null;     // key of the bead the keyboard acts on
let activeLang = null;  // the language [ and ] shift, the split cursor's language
let VERSION = null;     // the workspace file's version the page shows (X-Review-Version)
let writing = 0;        // writes in flight (the poll waits for them)
const TERMS = new Map();   // key -> {lang: [[s, e, term]]} for rows shown
const TERMINFO = {};       // term id -> {forms, note}

// -- small helpers ------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
const $ = (id) => document.getElementById(id);
const setting = (k, dflt) => { try { const v = localStorage.getItem(STORE + k); return v === null ? dflt : v; } catch { return dflt; } };
const keep = (k, v) => { try { localStorage.setItem(STORE + k, v); } catch { /* private mode */ } };

function showError(msg) { $("error").textContent = msg; $("error").hidden = !msg; }
let noticeTimer = null;
function notice(msg, ms = 6000) {
  $("notice").textContent = msg; $("notice").hidden = !msg;
  clearTimeout(noticeTimer);
  if (msg && ms) noticeTimer = setTimeout(() => { $("notice").hidden = true; }, ms);
}

class ApiError extends Error {
  constructor(status, msg, data) { super(msg); this.status = status; this.data = data; }
}

async function api(method, path, body, raw) {
  const opts = { method, headers: {} };
  if (raw !== undefined) { opts.body = raw; opts.headers["Content-Type"] = "application/octet-stream"; }
  else if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
  if (method !== "GET") { opts.headers["X-Review-Token"] = TOKEN; writing++; }
  try {
    const r = await fetch(path, opts);
    const data = await r.json().catch(() => ({ error: r.statusText }));
    // the file's version after our own write, or of the bead list we now show
    const v = r.headers.get("X-Review-Version");
    if (v && (method !== "GET" || path === "/api/beads")) VERSION = v;
    if (!r.ok) throw new ApiError(r.status, data.error || data.message || r.statusText, data);
    return data;
  } finally { if (method !== "GET") writing--; }
}

// -- languages, labels --------------------------------------------------------------------
// the columns, threshold and row height as of the last render() (read per row)
let LANGS = null, T = 0.5, ROW_H = 44, FILTER_Q = "";

function shownLangs() {
  if (LANGS) return LANGS;
  const pair = $("f-pair").value;
  const hidden = new Set(JSON.parse(setting("hidden", "[]")));
  const langs = pair ? [WS.pivot, pair] : WS.langs.filter(l => !hidden.has(l));
  return langs.length ? langs : [WS.pivot];
}

function shortName(src) {
  // a corpus reference stays as it is; a path is shown by its file name
  if (!src) return "";
  if (/^[\w.-]+:[a-z]{2}(:[\w-]+)?$/.test(src)) return src;
  const parts = src.replace(/@[a-z]{2}(-[\w]+)?$/, "").split(/[\\/]/);   // path@en: the column says en
  return parts[parts.length - 1] || src;
}

function kindOf(lang) {
  // the corpus's kind (official, reference, machine, reviewed); a file the user gave
  // has none: it is "your file", which is what it is
  const k = (WS.kinds || {})[lang];
  if (k) return k;
  const src = (WS.sources || {})[lang] || "";
  return src && !/^[\w.-]+:[a-z]{2}/.test(src) ? "file" : "text";
}

function langLabel(lang) { return `${lang} · ${kindOf(lang)}`; }

// -- weakness -----------------------------------------------------------------------------
function threshold() {
  const box = $("f-weak");
  const v = Number(box.value);
  const bad = box.value.trim() === "" || !Number.isFinite(v) || v < 0 || v > 1;
  box.classList.toggle("bad", bad);
  return bad ? 0.5 : v;
}

// b.weak: the server's weakness of the bead ({score 0..1, higher weaker, reasons}: weak.py)
const isWeak = (b) => b.weak.score >= T;

// -- filters ------------------------------------------------------------------------------
function simThreshold() {
  const box = $("f-sim-max");
  const raw = box.value.trim();
  const v = raw === "" ? null : Number(raw);
  const bad = raw !== "" && !Number.isFinite(v);
  box.classList.toggle("bad", bad);
  return bad ? null : v;
}

function filters() {
  return { state: $("f-state").value, weakOnly: $("f-weak-only").checked, t: threshold(),
           severity: $("f-severity").value, check: $("f-check").value, sort: $("f-sort").value,
           simLang: $("f-sim-lang").value, simMax: simThreshold(),
           text: $("f-text").value.trim().toLowerCase() };
}

// similarity.rank: [group, value]; 0 a pair with one side empty, 1 by similarity, 2 none
function simRank(b, lang) {
  const sims = b.similarity || {}, unpaired = b.unpaired || [];
  if (lang ? unpaired.includes(lang) : unpaired.length) return [0, 0];
  let v = lang ? sims[lang] : null;
  if (!lang) {
    const known = Object.values(sims).filter(x => x !== null && x !== undefined);
    v = known.length ? Math.min(...known) : null;
  }
  return v === null || v === undefined ? [2, 0] : [1, v];
}

function hay(b) {
  if (b._hay === undefined) b._hay = Object.values(b.targets).join("\n").toLowerCase() + "\n" + b.key.toLowerCase();
  return b._hay;
}

function visible(b, f) {
  const st = f.state;
  if (st === "unreviewed" && b.reviewed) return false;
  if (st === "reviewed" && !b.reviewed) return false;
  if (st === "stale" && !b.stale.length) return false;
  if ((st === "accepted" || st === "rejected" || st === "edited") && b.state !== st) return false;
  if (f.weakOnly && b.weak.score < f.t) return false;
  if (f.severity || f.check) {
    const open = b.findings.filter(x => !x.dismissed);
    if (f.severity && !open.some(x => x.severity === f.severity)) return false;
    if (f.check && !open.some(x => x.check === f.check)) return false;
  }
  if (f.simMax !== null) {
    const [g, v] = simRank(b, f.simLang);
    if (g === 2 || (g === 1 && v > f.simMax)) return false;
  }
  if (f.text && !hay(b).includes(f.text)) return false;
  return true;
}

function ordered(beads, f) {
  if (f.sort === "weak") return [...beads].sort((a, b) => (b.weak.score - a.weak.score) || (a.pos - b.pos));
  if (f.sort === "similarity") {
    return [...beads].sort((a, b) => {
      const [ga, va] = simRank(a, f.simLang), [gb, vb] = simRank(b, f.simLang);
      return (ga - gb) || (va - vb) || (a.pos - b.pos);
    });
  }
  return beads;
}

function saveFilters() {
  const f = { state: $("f-state").value, sort: $("f-sort").value, weak: $("f-weak").value,
              weakOnly: $("f-weak-only").checked, pair: $("f-pair").value, view: $("f-view").value };
  keep("filters", JSON.stringify(f));
}

function restoreFilters() {
  let f = {};
  try { f = JSON.parse(setting("filters", "{}")); } catch { f = {}; }
  if (f.state !== undefined) $("f-state").value = f.state;
  if (f.sort) $("f-sort").value = f.sort;
  if (f.weak) $("f-weak").value = f.weak;
  $("f-weak-only").checked = !!f.weakOnly;
  if (f.pair && WS.langs.includes(f.pair)) $("f-pair").value = f.pair;
  if (f.view) $("f-view").value = f.view;
}

// -- the grid -----------------------------------------------------------------------------
function rowHeight() { return ROW_H; }

function columns() {
  const langs = shownLangs();
  // sentence keys (I.5#s2) are longer than clause ids
  return `112px ${sentenceLevel() ? 128 : 96}px 50px repeat(${langs.length}, minmax(0, 1fr)) 30px`;
}

function renderHead() {
  const head = $("grid-head");
  head.style.gridTemplateColumns = columns();
  head.replaceChildren(el("div", {}, "status"), el("div", {}, "bead"),
    el("div", { title: "weakness: 0 sound … 1 broken (hover a row for why)" }, "weak"),
    ...shownLangs().map(l => el("div", { title: (WS.sources || {})[l] || "", "data-lang": l },
      `${l} · ${shortName((WS.sources || {})[l]) || ""} (${kindOf(l)})`)),
    el("div", { title: "comments, stale decisions" }, ""));
}

// text with highlighted spans: QA findings (marks), then termbase terms, search hits
function marked(text, spans) {
  // spans: [[start, end, cls, title, tag]]; a span overlapping an earlier one is dropped
  const out = [];
  const sorted = spans.filter(s => s[0] < s[1] && s[1] <= text.length)
    .sort((a, b) => (a[0] - b[0]) || ((a[5] || 0) - (b[5] || 0)));
  let at = 0;
  for (const [s, e, cls, title, tag] of sorted) {
    if (s < at) continue;
    if (s > at) out.push(text.slice(at, s));
    out.push(el(tag || "mark", { class: cls, title }, text.slice(s, e)));
    at = e;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function termTitle(id) {
  const t = TERMINFO[id];
  if (!t) return `term ${id}`;
  return `term ${id}: ` + Object.entries(t.forms).map(([l, fs]) => `${l} ${fs.slice(0, 3).join(" | ")}`).join(" · ");
}

function spansFor(b, lang, withTerms = true) {
  const spans = [];
  if (!b.edits[lang]) {
    for (const f of b.findings) {
      if (f.dismissed) continue;
      if (lang === f.src_lang) f.src_spans.forEach(([s, e]) => spans.push([s, e, "sev-" + f.severity, f.message, "mark", 0]));
      if (lang === f.lang) f.tgt_spans.forEach(([s, e]) => spans.push([s, e, "sev-" + f.severity, f.message, "mark", 0]));
    }
  }
  const q = FILTER_Q;
  if (q) {
    const text = b.targets[lang] || "", low = text.toLowerCase();
    // (a text whose lower case is longer, İ, gets no marks rather than shifted ones)
    if (low.length === text.length) for (let i = low.indexOf(q); i >= 0; i = low.indexOf(q, i + q.length)) spans.push([i, i + q.length, "hit", "filter", "mark", 1]);
  }
  const terms = withTerms && TERMS.get(b.key);
  if (terms) for (const [s, e, id] of terms[lang] || []) spans.push([s, e, "term", termTitle(id), "span", 2]);
  return spans;
}

function commentIcon() {
  return el("img", { class: "icon", src: "/static/comment.svg", alt: "comment", width: 14, height: 14 });
}

function rowNode(b, i) {
  const w = b.weak;
  const weak = w.score >= T;
  const row = el("div", { class: `row state-${b.state}` + (b.key === current ? " current" : ""), role: "row",
                          "data-key": b.key, "aria-rowindex": i + 1, "aria-selected": b.key === current ? "true" : "false" });
  row.style.gridTemplateColumns = columns();
  row.style.top = `${i * rowHeight()}px`;
  const langs = shownLangs();
  const ids = WS.langs.map(l => (b.ids[l] || []).join("+") || "—");
  const clause = clauseStart(i);
  if (clause) row.classList.add("clause-start");
  row.append(
    el("div", { class: "state-cell" }, el("span", { class: "st st-" + b.state }, b.state === "unreviewed" ? "open" : b.state),
       (b.key === current || document.body.classList.contains("view-roomy")) && el("span", { class: "row-actions" },
         el("button", { class: "accept", title: "accept and go to the next (a)", onclick: (ev) => { ev.stopPropagation(); accept(b.key); } }, "Accept"),
         el("button", { class: "reject", title: "reject (r)", onclick: (ev) => { ev.stopPropagation(); decide(b.key, { action: "reject" }); } }, "Reject"))),
    el("div", {}, el("div", { class: "key", title: b.key }, b.key),
       sentenceLevel() ? el("div", { class: "ids clause" + (clause ? " first" : ""),
                                     title: `in clause ${b.clause || "(several)"}` + (new Set(ids).size > 1 ? " · " + WS.langs.map((l, k) => `${l} ${ids[k]}`).join(" · ") : "") },
                            `§ ${b.clause || "(several)"}`)
       : new Set(ids).size > 1 ? el("div", { class: "ids", title: WS.langs.map((l, k) => `${l} ${ids[k]}`).join(" · ") },
                                 WS.langs.map((l, k) => `${l} ${ids[k]}`).join(" ")) : el("div", { class: "ids" }, b.kind)),
    el("div", { class: "weak" + (weak ? " is-weak" : ""), title: weakTitle(w) }, w.score.toFixed(2),
       el("span", { class: "weakbar" }, weakBar(w.score))));
  for (const lang of langs) {
    const text = b.targets[lang] || "";
    row.append(el("div", { class: "cell-text lang-" + lang, lang, "data-lang": lang },
      text ? marked(text, spansFor(b, lang)) : el("span", { class: "empty" }, "(empty)")));
  }
  row.append(el("div", { class: "marks" },
    b.comments.length ? el("span", { title: b.comments.map(c => `${c.reviewer}: ${c.text}`).join("\n"), class: "has-comment" }, commentIcon()) : null,
    b.stale.length ? el("span", { class: "tag stale", title: "decisions made on texts that have since changed" }, "stale") : null));
  const open = b.findings.filter(f => !f.dismissed);
  row.append(el("div", { class: "findings-line" }, open.length ? open.map(f => `${f.severity} ${f.check}: ${f.message}`).join(" · ") : ""));
  row.addEventListener("click", () => setCurrent(b.key, false));
  row.addEventListener("dblclick", () => { setCurrent(b.key, false); openEditor(b.key); });
  return row;
}

// a sentence-level workspace: every bead is a sentence bead inside a clause bead
// (b.clause, its key); the first row of each clause shown is marked, so the rows read
// as groups under their clause
const sentenceLevel = () => WS.level === "sentence";
function clauseStart(i) {
  if (!sentenceLevel()) return false;
  return i === 0 || SHOWN[i - 1].clause !== SHOWN[i].clause;
}

function weakBar(score) { const i = el("i"); i.style.width = `${Math.round(score * 100)}%`; return i; }

function weakTitle(w) {
  const head = `weakness ${w.score.toFixed(2)}`;
  return w.reasons.length ? `${head}:\n- ` + w.reasons.join("\n- ") : `${head}: nothing found against it`;
}

let drawn = [-1, -1];
function drawRows(force = false) {
  const vp = $("viewport");
  const h = rowHeight();
  const first = Math.max(0, Math.floor(vp.scrollTop / h) - OVERSCAN);
  const last = Math.min(SHOWN.length, Math.ceil((vp.scrollTop + vp.clientHeight) / h) + OVERSCAN);
  if (!force && first === drawn[0] && last === drawn[1]) return;
  drawn = [first, last];
  // a row whose bead, terms and place in the page are as before is kept (not rebuilt)
  const vis = [T, $("f-text").value, shownLangs().join(), document.body.className].join("|");
  const old = new Map([...$("rows").children].map(n => [n.dataset.key, n]));
  const nodes = [];
  for (let i = first; i < last; i++) {
    const b = SHOWN[i];
    const sig = [vis, i, b.key === current, TERMS.has(b.key), clauseStart(i)].join("|");
    const n = old.get(b.key);
    nodes.push(n && n._bead === b && n._sig === sig ? n : Object.assign(rowNode(b, i), { _bead: b, _sig: sig }));
  }
  // rows that stay are left where they are (moving them would repaint every row)
  const parent = $("rows"), keepSet = new Set(nodes);
  for (const n of [...parent.children]) if (!keepSet.has(n)) n.remove();
  let ref = parent.firstChild;
  for (const n of nodes) {
    if (n === ref) { ref = ref.nextSibling; continue; }
    parent.insertBefore(n, ref);
  }
  wantTerms(SHOWN.slice(first, last).map(b => b.key));
}

function render() {
  LANGS = null; LANGS = shownLangs();
  T = threshold();
  FILTER_Q = $("f-text").value.trim().toLowerCase();
  ROW_H = parseFloat(getComputedStyle(document.body).getPropertyValue("--row")) || 44;
  const f = filters();
  SHOWN = ordered(BEADS.filter(b => visible(b, f)), f);
  INDEX = new Map(SHOWN.map((b, i) => [b.key, i]));
  $("spacer").style.height = `${SHOWN.length * rowHeight()}px`;
  $("shown").textContent = `${SHOWN.length} shown`;
  $("bulk-strong").textContent = `Accept not weak (< ${T.toFixed(2)})`;
  renderHead();
  drawRows(true);
  updateProgress();
}

function updateProgress() {
  let done = 0; const c = { accepted: 0, rejected: 0, edited: 0 };
  for (const b of BEADS) { if (b.reviewed) done++; if (c[b.state] !== undefined) c[b.state]++; }
  $("progress").textContent = `${done} of ${BEADS.length} ${sentenceLevel() ? "sentence beads" : "reviewed"}` +
    (sentenceLevel() ? ` reviewed (${WS.clauses} clauses)` : "");
  const weak = BEADS.filter(b => !b.reviewed && isWeak(b)).length;
  $("counts").textContent = `${c.accepted} accepted · ${c.rejected} rejected · ${c.edited} edited · ${weak} weak open`;
}

// -- terms for the rows shown ---------------------------------------------------------------
let termTimer = null;
const termWanted = new Set();
function wantTerms(keys) {
  for (const k of keys) if (!TERMS.has(k)) termWanted.add(k);
  if (!termWanted.size) return;
  clearTimeout(termTimer);
  termTimer = setTimeout(async () => {
    const keys = [...termWanted].slice(0, 200);
    keys.forEach(k => termWanted.delete(k));
    try {
      const out = await api("GET", "/api/cat/terms?keys=" + encodeURIComponent(JSON.stringify(keys)));
      Object.assign(TERMINFO, out.terms);
      for (const k of keys) TERMS.set(k, out.beads[k] || {});
      drawRows(true);
      if (current && keys.includes(current)) refreshSide();
    } catch { /* the rows stay unmarked; the next draw asks again */ }
  }, 120);
}

// -- the current bead ------------------------------------------------------------------------
function setCurrent(key, scroll = true) {
  if (!key || !BYKEY.has(key)) return;
  const changed = key !== current;
  current = key;
  history.replaceState(null, "", "#bead=" + encodeURIComponent(key));
  keep("current", key);
  if (scroll && INDEX.has(key)) {
    const vp = $("viewport"), h = rowHeight(), top = INDEX.get(key) * h;
    if (top < vp.scrollTop + h || top + h > vp.scrollTop + vp.clientHeight - h) vp.scrollTop = Math.max(0, top - vp.clientHeight / 2 + h / 2);
  }
  drawRows(true);
  if (changed || !$("tab-bead").querySelector(".editor, .splitter")) renderSide();
  showTab("bead", false);
}

// after the filters change, the current bead (where still shown) stays in sight
function inView() {
  if (!current || !INDEX.has(current)) return;
  const vp = $("viewport"), top = INDEX.get(current) * ROW_H;
  if (top < vp.scrollTop || top + ROW_H > vp.scrollTop + vp.clientHeight) {
    vp.scrollTop = Math.max(0, top - vp.clientHeight / 2 + ROW_H / 2);
    drawRows(true);
  }
}

function move(step) {
  if (!SHOWN.length) return;
  const i = INDEX.has(current) ? INDEX.get(current) : (step > 0 ? -1 : SHOWN.length);
  const j = Math.min(SHOWN.length - 1, Math.max(0, i + step));
  setCurrent(SHOWN[j].key);
}

// the next (step 1) or previous (-1) weak bead not yet reviewed, in the order shown
function moveWeak(step) {
  const n = SHOWN.length;
  if (!n) return;
  const start = INDEX.has(current) ? INDEX.get(current) : (step > 0 ? -1 : n);
  for (let k = 1; k <= n; k++) {
    const j = ((start + step * k) % n + n) % n;
    const b = SHOWN[j];
    if (!b.reviewed && isWeak(b)) { setCurrent(b.key); return; }
  }
  notice(`no weak bead left to review (weakness ≥ ${threshold().toFixed(2)} among those shown)`);
}

// -- the side panel: one bead in full -----------------------------------------------------
function diffView(ops) {
  return el("div", { class: "diff" }, "change against the original: ",
    ops.map(([op, t]) => op === 0 ? t : el(op < 0 ? "del" : "ins", {}, t)));
}

// a merge or shift towards the bead before (-1) or after (1) in document order, which
// at sentence level is refused when that bead is in another clause: said on the button
function atClauseEdge(button, b, dir) {
  if (!sentenceLevel()) return button;
  const k = BEADS.indexOf(b), other = BEADS[k + dir];
  if (other && other.clause !== b.clause) {
    button.disabled = true;
    button.title = `${other.key} is in clause ${other.clause || "(several)"}: sentence beads are re-paired inside their clause`;
  }
  return button;
}

// "sentence 2 of 3 in": where b sits among its clause's sentence beads
function sentenceOf(b) {
  const all = BEADS.filter(x => x.clause === b.clause);
  const k = all.indexOf(b);
  return k >= 0 && b.clause ? `sentence ${k + 1} of ${all.length} in` : "in";
}

function renderSide() {
  const box = $("tab-bead");
  const b = BYKEY.get(current);
  if (!b) { box.replaceChildren(el("p", { class: "muted" }, "Pick a bead (click a row, or j).")); return; }
  if (!activeLang || !WS.langs.includes(activeLang)) activeLang = WS.langs[1] || WS.pivot;
  const w = b.weak;
  const parts = [];
  parts.push(el("div", { class: "insp-head" }, el("span", { class: "key" }, b.key),
    el("span", {}, b.kind),
    sentenceLevel() ? el("span", { class: "clause", title: "the clause bead this sentence bead sits in: merges and shifts stay inside it" }, `${sentenceOf(b)} clause ${b.clause || "(several)"}`) : null,
    el("span", {}, "confidence " + b.confidence.toFixed(2)),
    el("span", { class: "st st-" + b.state }, b.state),
    b.stale.length ? el("span", { class: "tag stale" }, `${b.stale.length} stale`) : null));
  parts.push(el("div", { class: "section-title" }, `weakness ${w.score.toFixed(2)}`));
  parts.push(w.reasons.length ? el("ul", { class: "reasons" }, w.reasons.map(r => el("li", {}, r)))
                               : el("ul", { class: "reasons none" }, el("li", {}, "nothing found against it")));
  parts.push(el("div", { class: "actions" },
    btn("accept", "Accept (a)", () => accept(b.key)), btn("reject", "Reject (r)", () => decide(b.key, { action: "reject" })),
    btn("edit", "Edit (e)", () => openEditor(b.key)), btn("comment", "Comment (c)", () => askComment(b.key)),
    btn("split", "Split (s)", () => askSplit(b.key)), atClauseEdge(btn("merge", "Merge next (m)", () => decide(b.key, { action: "merge" })), b, 1),
    btn("unpair", "Unpair (x)", () => decide(b.key, { action: "unpair", lang: activeLang })),
    atClauseEdge(btn("shift-up", "Shift up ([)", () => shift(b.key, "up")), b, -1),
    atClauseEdge(btn("shift-down", "Shift down (])", () => shift(b.key, "down")), b, 1),
    btn("insert-empty", "Insert empty (i)", () => decide(b.key, { action: "insert_empty", lang: activeLang })),
    btn("undo", "Undo (u)", () => undo(b.key))));
  // the editor, the splitter and the comment box open here, under the actions
  parts.push(el("div", { id: "side-slot" }));
  const terms = TERMS.get(b.key) || {};
  for (const lang of WS.langs) {
    const text = b.targets[lang] || "";
    const edit = b.edits[lang];
    const col = el("div", { class: "full" + (lang === activeLang ? " active" : ""), "data-lang": lang },
      el("h3", {}, el("span", {}, `${langLabel(lang)} · ${(b.ids[lang] || []).join("+") || "no unit"}`),
         edit ? el("span", {}, `edited by ${edit.reviewer}`) : null,
         lang === activeLang ? el("span", { class: "chosen", title: "[ and ] shift this language; click another text to choose it" }, "chosen") : null,
         simBadge(b, lang)),
      el("div", { class: "text", lang, "data-lang": lang }, text ? marked(text, spansFor(b, lang)) : el("em", { class: "empty" }, "(nothing)")));
    col.addEventListener("click", () => { if (activeLang !== lang) { activeLang = lang; renderSide(); } });
    if (edit) col.append(diffView(edit.diff));
    for (const sc of (b.scores || {})[lang] || []) {
      const vals = Object.entries(sc).filter(([k]) => k !== "unit").map(([k, v]) => `${k} ${v.toFixed(1)}`);
      col.append(el("div", { class: "scores" }, `${sc.unit}: ${vals.join(" · ")} vs reference`));
    }
    parts.push(col);
  }
  if (b.findings.length) {
    parts.push(el("div", { class: "section-title" }, `QA findings (${b.open_findings} open)`));
    parts.push(el("ul", { class: "findings" }, b.findings.map(f => {
      const li = el("li", { class: f.dismissed ? "dismissed" : "", "data-finding": f.key },
        el("span", { class: "sev " + f.severity }, f.severity),
        el("span", { class: "msg" }, `${f.check} [${f.unit}, ${f.src_lang}→${f.lang}]: ${f.message}`));
      if (f.dismissed) li.append(" — not an issue: ", el("q", {}, f.dismissed.reason), ` (${f.dismissed.reviewer})`);
      else li.append(" ", el("button", { class: "small dismiss", onclick: () => askReason(li, b, f) }, "not an issue…"));
      return li;
    })));
  }
  const used = Object.keys(TERMINFO).filter(id => Object.values(terms).some(sp => sp.some(s => s[2] === id)));
  if (used.length) {
    parts.push(el("div", { class: "section-title" }, `terms in this bead (${used.length})`));
    parts.push(el("ul", { class: "termlist bead-terms" }, used.map(id => termItem(id, TERMINFO[id], terms))));
  }
  const notes = el("div", { class: "notes" });
  for (const c of b.comments) notes.append(el("div", { class: "comment-note" }, commentIcon(), ` ${c.reviewer}: `, c.text));
  for (const d of b.stale) notes.append(el("div", { class: "stale" }, `stale ${d.action} by ${d.reviewer} (${d.time}): the text changed since; not applied`));
  if (b.verdict) notes.append(el("div", {}, `${b.verdict.action}ed by ${b.verdict.reviewer}, ${b.verdict.time}`));
  const merge = b.history.filter(d => d.action === "merge").pop();
  if (merge && merge.merge) notes.append(el("div", { class: "merged" }, `merged from ${merge.merge.join(" + ")} by ${merge.reviewer} (undo splits it again)`));
  const split = b.history.filter(d => d.action === "split").pop();
  if (split && split.split) notes.append(el("div", { class: "split" }, `split from ${split.split[0]} into ${split.split.slice(1).join(" + ")} by ${split.reviewer} (undo joins it again)`));
  parts.push(notes);
  if (b.neighbours && b.neighbours.length) {
    parts.push(el("details", { class: "neighbours" }, el("summary", {}, `similar clauses in other versions (${b.neighbours.length})`),
      el("ol", {}, b.neighbours.map(n => el("li", {}, el("span", { class: "where" }, `${n.ref} ${n.id}`),
        ` · sim ${n.similarity.toFixed(2)} — `, el("span", { lang: n.lang }, n.text))))));
  }
  box.replaceChildren(...parts);
}

// redraw the side panel unless the translator is typing in it (editor, splitter, a reason)
function refreshSide() {
  if (!$("tab-bead").querySelector(".editor, .splitter, .inline-form")) renderSide();
}

function btn(cls, label, f) {
  return el("button", { class: "small " + cls, onclick: (ev) => { ev.stopPropagation(); f(); } }, label);
}

function simBadge(b, lang) {
  if (!WS.encoder || lang === WS.pivot) return null;
  const v = (b.similarity || {})[lang];
  const pair = `${WS.pivot}→${lang}`;
  if ((b.unpaired || []).includes(lang)) {
    return el("span", { class: "sim low unpaired", "data-lang": lang,
                        title: `${pair}: one side has no text, so nothing matches it` }, `${pair} unpaired`);
  }
  if (v === null || v === undefined) {
    return el("span", { class: "sim none", "data-lang": lang,
                        title: `${pair}: no similarity (the text changed while no encoder was open)` }, `${pair} sim —`);
  }
  const max = simThreshold();
  const med = ((WS.similarity || {})[lang] || {}).median;
  return el("span", { class: "sim" + (max !== null && v <= max ? " low" : ""), "data-lang": lang, "data-value": v,
                      title: `${pair}: similarity of meaning (${WS.encoder}), not a quality score` +
                             (med !== null && med !== undefined ? `; this pair's median ${med.toFixed(2)}` : "") },
            `${pair} sim ${v.toFixed(2)}`);
}

function termItem(id, t, spans) {
  const li = el("li", { "data-term": id }, el("span", { class: "tid" }, id), " ");
  for (const [lang, forms] of Object.entries(t.forms || {})) {
    const have = spans ? (spans[lang] || []).some(s => s[2] === id) : null;
    li.append(el("div", { class: have === false ? "missing" : "", lang },
      `${lang}: ${forms.slice(0, 3).join(" | ")}` + (have === false ? "  (not in this text)" : "")));
  }
  if (t.note) li.append(el("div", { class: "muted" }, t.note));
  return li;
}

// -- decisions --------------------------------------------------------------------------------
function putBead(view) {
  const old = BYKEY.get(view.key);
  if (old) {
    const i = BEADS.indexOf(old);
    BEADS[i] = view;
  } else return false;
  BYKEY.set(view.key, view);
  TERMS.delete(view.key);
  const j = INDEX.get(view.key);
  if (j !== undefined) SHOWN[j] = view;
  return true;
}

// One bead's new view in the grid without filtering and sorting the whole list again
// (at 10,000 beads that was most of a click's time): where the bead keeps its place in
// the order shown, it is replaced or taken out; else the list is worked out again.
function redrawAfter(before, view) {
  const f = filters();
  const was = INDEX.has(view.key), now = visible(view, f);
  const placed = f.sort === "weak" ? before.weak.score === view.weak.score
    : f.sort === "similarity" ? simRank(before, f.simLang).join() === simRank(view, f.simLang).join() : true;
  if (!placed || (now && !was)) return render();
  if (was && !now) {
    SHOWN.splice(INDEX.get(view.key), 1);
    INDEX = new Map(SHOWN.map((b, i) => [b.key, i]));
    $("spacer").style.height = `${SHOWN.length * rowHeight()}px`;
    $("shown").textContent = `${SHOWN.length} shown`;
  }
  drawRows(true);
  updateProgress();
}

async function reloadBeads(focusKey) {
  const vp = $("viewport"), top = vp.scrollTop;
  const out = await api("GET", "/api/beads");
  BEADS = out.beads;
  BYKEY = new Map(BEADS.map(b => [b.key, b]));
  TERMS.clear();
  const k = focusKey && BYKEY.has(focusKey) ? focusKey : (BYKEY.has(current) ? current : null);
  current = null;
  render();
  vp.scrollTop = top;
  if (k) setCurrent(k, !!focusKey); else renderSide();
}

async function refetchBead(key) {
  try { const v = await api("GET", `/api/beads/${encodeURIComponent(key)}`); putBead(v); render(); renderSide(); }
  catch { await reloadBeads(key); }
}

const STRUCTURAL = new Set(["merge", "split", "unpair", "shift", "insert_empty"]);

async function decide(key, body, { quiet = false } = {}) {
  const b = BYKEY.get(key);
  if (b && body.rev === undefined) body.rev = b.rev;
  try {
    const out = await api("POST", `/api/beads/${encodeURIComponent(key)}/decisions`, body);
    showError("");
    const before = out.bead && BYKEY.get(out.bead.key);
    if (STRUCTURAL.has(body.action) || !out.bead || !putBead(out.bead)) await reloadBeads(out.bead ? out.bead.key : key);
    else { redrawAfter(before, out.bead); if (key === current) renderSide(); }
    return out;
  } catch (e) {
    if (e.status === 409) {
      // another tab, an import or review update changed the bead since this page read it
      showError(`${key}: ${e.message} — the bead is shown as it is now; what you typed is kept`);
      await refetchBead(key);
      return null;
    }
    if (!quiet) showError(`${key}: ${e.message}`);
    return null;
  }
}

async function accept(key) {
  const i = INDEX.get(key);
  const out = await decide(key, { action: "accept" });
  if (!out) return;
  // confirm and go on: the next bead in the order shown (the accepted one may have left it)
  const j = INDEX.has(key) ? INDEX.get(key) + 1 : i;
  if (SHOWN.length) setCurrent(SHOWN[Math.min(j, SHOWN.length - 1)].key);
}

async function undo(key) {
  const b = BYKEY.get(key);
  const last = b && b.history.filter(d => STRUCTURAL.has(d.action)).pop();
  try {
    const out = await api("POST", `/api/beads/${encodeURIComponent(key)}/undo`, b ? { rev: b.rev } : undefined);
    showError("");
    if (!out.bead || !putBead(out.bead)) await reloadBeads(out.bead ? out.bead.key : last && (last.merge || last.split || [])[0]);
    else { render(); renderSide(); }
  } catch (e) {
    showError(`${key}: ${e.message}`);
    if (e.status === 409) await refetchBead(key);
  }
}

function shift(key, direction) {
  return decide(key, { action: "shift", lang: activeLang, direction });
}

function inlineForm(parent, placeholder, onSave) {
  const input = el("input", { type: "text", placeholder, class: "reason" });
  const form = el("div", { class: "inline-form" }, input,
    el("button", { class: "small save", onclick: () => go() }, "save"),
    el("button", { class: "small", onclick: () => form.remove() }, "cancel"));
  function go() { if (input.value.trim()) onSave(input.value.trim()); }
  input.addEventListener("keydown", (ev) => {
    ev.stopPropagation();
    if (ev.key === "Enter") go();
    if (ev.key === "Escape") form.remove();
  });
  parent.append(form);
  input.focus();
}

function askReason(li, b, f) {
  if (li.querySelector(".inline-form")) return;
  inlineForm(li, "why it is not an issue", (reason) => decide(b.key, { action: "dismiss", finding: f.key, reason }));
}

function askComment(key) {
  setCurrent(key, false);
  const slot = $("side-slot");
  if (!slot || slot.querySelector(".inline-form")) return;
  inlineForm(slot, "comment", (text) => decide(key, { action: "comment", text }));
}

// -- the editor, with machine suggestions -------------------------------------------------------
// the side panel's slot for a form of class cls on bead key (made the current bead, its
// tab shown); null when there is no such bead or the form is open already
function formSlot(key, cls) {
  if (!BYKEY.has(key)) return null;
  if (current !== key) setCurrent(key, false);
  showTab("bead");
  const slot = $("side-slot");
  return slot && !slot.querySelector("." + cls) ? slot : null;
}

async function openEditor(key) {
  const b = BYKEY.get(key), slot = formSlot(key, "editor");
  if (!slot) return;
  const box = el("div", { class: "editor" },
    el("label", {}, `${langLabel(WS.pivot)} (source)`),
    el("div", { class: "src-text", lang: WS.pivot }, marked(b.targets[WS.pivot] || "", spansFor(b, WS.pivot))));
  const areas = {};
  const langs = shownLangs().filter(l => l !== WS.pivot);
  for (const lang of (langs.length ? langs : WS.langs.slice(1))) {
    areas[lang] = el("textarea", { lang, "data-lang": lang, "aria-label": `target ${lang}` });
    areas[lang].value = b.targets[lang] || "";
    const sugg = el("div", { class: "suggestions", "data-lang": lang });
    box.append(el("label", {}, `${lang} target`), areas[lang], sugg);
    loadSuggestions(b, lang, sugg, areas[lang]);
  }
  const used = {};
  async function save() {
    for (const lang of Object.keys(areas)) {
      if (areas[lang].value !== (b.targets[lang] || "")) {
        // a machine suggestion taken as it is, or post-edited, says so in the decision
        const origin = !used[lang] ? "page" : used[lang] === areas[lang].value
          ? `machine:${used.engine}` : `post-edit:${used.engine}`;
        // refused (an empty text, a stale bead): the editor stays open with what was typed
        if (!await decide(key, { action: "edit", lang, text: areas[lang].value, origin })) { reopen(); return; }
      }
    }
    box.remove();
    move(1);
  }
  function reopen() {
    // the side panel was redrawn: put the editor, with the typed text, back
    const s = $("side-slot");
    if (s && !s.contains(box)) s.append(box);
  }
  box.addEventListener("use-suggestion", (ev) => { used[ev.detail.lang] = ev.detail.text; used.engine = ev.detail.engine; });
  box.append(el("div", { class: "actions" },
    el("button", { class: "save primary", onclick: () => save() }, "Save and next (Ctrl+Enter)"),
    el("button", { onclick: () => close() }, "Cancel (Esc)")));
  function close() { box.remove(); $("viewport").focus(); }
  box.addEventListener("keydown", (ev) => {
    ev.stopPropagation();
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); save(); }
    if (ev.key === "Escape") close();
    // Ctrl+M: the first machine suggestion into the target being typed
    if ((ev.key === "m" || ev.key === "M") && ev.ctrlKey && ev.target.dataset.lang) {
      ev.preventDefault();
      const use = box.querySelector(`.suggestions[data-lang="${ev.target.dataset.lang}"] button.use`);
      if (use) use.click();
    }
  });
  slot.append(box);
  Object.values(areas)[0].focus();
}

async function loadSuggestions(b, lang, box, area) {
  box.replaceChildren(el("div", { class: "muted" }, "machine suggestions…"));
  try {
    const out = await api("GET", `/api/cat/suggest?key=${encodeURIComponent(b.key)}&lang=${encodeURIComponent(lang)}`);
    const items = out.suggestions.map(s => s.text
      ? el("div", { class: "suggestion", "data-engine": s.engine, title: s.signature || "" },
          el("span", { class: "label" }, "machine"), el("b", {}, s.engine + (s.model ? ` ${s.model}` : "")), ": ",
          el("span", { class: "mt", lang }, s.text), " ",
          el("button", { class: "small use", onclick: () => {
            area.value = s.text; area.focus();
            area.closest(".editor").dispatchEvent(new CustomEvent("use-suggestion", { detail: { lang, text: s.text, engine: s.engine } }));
          } }, "use"))
      : el("div", { class: "suggestion err", "data-engine": s.engine, title: s.error }, el("span", { class: "label" }, "machine"),
           `${s.engine}: ${s.error.replace(/ \(.*$/s, "")}`));
    box.replaceChildren(...(items.length ? items : [el("div", { class: "muted" }, out.note || "no machine engine configured")]));
  } catch (e) {
    box.replaceChildren(el("div", { class: "muted" }, `no machine suggestions (${e.message})`));
  }
}

// -- split at the cursor ------------------------------------------------------------------------
// Each language's text in a box that takes a cursor but no typing; the cursor starts at
// the seam between the bead's units (where it has two or more) or the sentence end
// nearest the middle; Enter cuts every language where its cursor is.
function joiner(lang) { return lang.split("-")[0] === "zh" ? "" : " "; }

// where each unit of lang's text ends ([] when the units are not known or edited)
function unitEnds(units, lang) {
  const ends = [];
  let at = 0;
  (units || []).forEach((u, i) => { at += (i ? joiner(lang).length : 0) + u.length; ends.push(at); });
  return ends;
}

function defaultCut(text, lang, ends) {
  if (ends.length > 1) return ends[0] + joiner(lang).length;   // the seam after the first unit
  const stops = [];
  const re = lang === "zh" ? /[。；！？]/g : /[.;!?](?=\s)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m.index + 1 < text.length) stops.push(m.index + 1);
  if (!stops.length) return text.length;
  const mid = text.length / 2;
  let best = stops[0];
  for (const e of stops) if (Math.abs(e - mid) < Math.abs(best - mid)) best = e;
  while (best < text.length && text[best] === " ") best++;   // after the space that follows
  return best;
}

async function askSplit(key) {
  const b = BYKEY.get(key), slot = formSlot(key, "splitter");
  if (!slot) return;
  let info = { units: null, edited: [] };
  try { info = await api("GET", `/api/cat/units?key=${encodeURIComponent(key)}`); } catch { /* units unknown: splitBody cuts by its best effort */ }
  if (slot.querySelector(".splitter") || current !== key) return;
  const box = el("div", { class: "splitter" }, el("div", { class: "section-title" }, "split: put each cursor where the first part ends; Enter cuts"));
  const areas = {}, ends = {};
  for (const lang of WS.langs) {
    const text = b.targets[lang] || "";
    if (!text) continue;
    ends[lang] = info.units && !(info.edited || []).includes(lang) ? unitEnds(info.units[lang], lang) : [];
    const a = el("textarea", { lang, "data-lang": lang, "aria-label": `cut ${lang}`, spellcheck: "false" });
    a.value = text;
    const prev = el("div", { class: "preview", "data-lang": lang });
    const show = () => {
      const at = a.selectionStart;
      prev.replaceChildren("…", text.slice(Math.max(0, at - 40), at), el("b", {}, " | "), text.slice(at, at + 40), "…");
    };
    a.addEventListener("beforeinput", (ev) => ev.preventDefault());       // a cursor, not an editor
    for (const t of ["keyup", "click", "select", "focus"]) a.addEventListener(t, show);
    areas[lang] = a;
    box.append(el("label", {}, `${lang} (${(b.ids[lang] || []).join("+") || "no unit"})`), a, prev);
    const cut = defaultCut(text, lang, ends[lang]);
    a.value = text;
    a.setSelectionRange(cut, cut);
    show();
  }
  const go = async () => {
    const offsets = {};
    for (const [lang, a] of Object.entries(areas)) offsets[lang] = a.selectionStart;
    const body = splitBody(b, offsets, ends);
    if (body.error) { showError(`${key}: ${body.error}`); return; }
    const out = await decide(key, body);
    if (out) box.remove();
  };
  box.append(el("div", { class: "actions" }, el("button", { class: "save primary", onclick: go }, "Split (Enter)"),
    el("button", { onclick: () => box.remove() }, "Cancel (Esc)")));
  box.addEventListener("keydown", (ev) => {
    ev.stopPropagation();
    if (ev.key === "Enter") { ev.preventDefault(); go(); }
    if (ev.key === "Escape") { box.remove(); $("viewport").focus(); }
  });
  slot.append(box);
  for (const [lang, a] of Object.entries(areas)) { const c = a.selectionStart; a.setSelectionRange(c, c); }
  const first = areas[activeLang] || Object.values(areas)[0];
  if (first) { const c = first.selectionStart; first.focus(); first.setSelectionRange(c, c); }
}

// The cut as the API takes it: each language's units in the first part ("at"), and
// the character offset where a cut falls inside a unit (split at the cursor)
function splitBody(b, offsets, ends) {
  const at = {};
  let inside = null;
  for (const [lang, o] of Object.entries(offsets)) {
    const e = ends[lang] || [];
    const text = b.targets[lang] || "";
    const n = (b.ids[lang] || []).length;
    if (e.length) {
      const k = e.filter(x => x <= o).length;
      const onSeam = o === 0 || e.some(x => o === x || o === x + joiner(lang).length);
      // a cut inside a unit makes two pieces of it: the first part keeps the first
      if (!onSeam && inside) return { error: `one language at a time can be cut inside its text (${inside[0]} and ${lang} are)` };
      at[lang] = !onSeam ? k + 1 : k;
      if (!onSeam) inside = [lang, o];
    } else {
      at[lang] = o <= 0 ? 0 : o >= text.length ? n : Math.min(1, n);   // units unknown: best effort
      if (o > 0 && o < text.length && !inside) inside = [lang, o];
    }
  }
  for (const lang of WS.langs) if (!(lang in at)) at[lang] = 0;
  const body = { action: "split", at };
  if (inside) { body.lang = inside[0]; body.offset = inside[1]; }
  return body;
}

// -- bulk ---------------------------------------------------------------------------------------
function ask(title, body, ok = "OK") {
  const dlg = $("dialog");
  $("dlg-title").textContent = title;
  $("dlg-body").replaceChildren(...(Array.isArray(body) ? body : [body]));
  $("dlg-ok").textContent = ok;
  $("dlg-cancel").hidden = ok === null;
  if (ok === null) $("dlg-ok").textContent = "Close";
  dlg.returnValue = "";
  dlg.showModal();
  return new Promise(resolve => dlg.addEventListener("close", () => resolve(dlg.returnValue === "ok"), { once: true }));
}

async function bulkAccept(beads, what) {
  const keys = beads.filter(b => !b.reviewed).map(b => b.key);
  if (!keys.length) { notice(`nothing to accept: every bead ${what} is reviewed already`); return; }
  const sample = keys.slice(0, 12).join(", ") + (keys.length > 12 ? ", …" : "");
  if (!await ask(`Accept ${keys.length} beads?`, [el("p", {}, `Accept ${keys.length} beads ${what} that are not reviewed yet, as ${WS.reviewer}.`),
                                                  el("p", { class: "muted" }, sample)], `Accept ${keys.length}`)) return;
  try {
    // {"recorded": n, "skipped": n (already so), "unknown": [keys]}: Store.decide_many
    const out = await api("POST", "/api/bulk", { action: "accept", keys });
    notice(`${out.recorded} beads accepted` + (out.skipped ? `; ${out.skipped} skipped` : ""));
  } catch (e) { showError(`bulk accept: ${e.message}`); }
  await reloadBeads();
}

// -- import, export, changes on disk ------------------------------------------------------------
function exportHref() {
  const p = new URLSearchParams({ format: $("x-format").value });
  if ($("x-format").value !== "tmx" && $("x-format").value !== "jsonl") p.set("target", $("x-target").value);
  else if ($("x-target").value && WS.langs.length > 2 && $("x-format").value === "jsonl") p.set("target", $("x-target").value);
  const st = $("x-status").value;
  if (st) p.set("status", st);
  $("x-link").href = "/api/export?" + p.toString();
  $("x-link").textContent = `Download ${$("x-format").selectedOptions[0].textContent}` +
    ($("x-format").value.startsWith("xliff") ? ` ${WS.pivot}→${$("x-target").value}` : "") + (st ? ` (${st})` : "");
}

async function importFile(file) {
  let report;
  try {
    const data = await file.arrayBuffer();
    report = await api("POST", `/api/import?name=${encodeURIComponent(file.name)}`, undefined, data);
  } catch (e) {
    // another workspace, another language pair, not a CAT file: the reason, nothing recorded
    await ask(`Import refused: ${file.name}`, el("p", { class: "import-error" }, e.message), null);
    return;
  }
  await reloadBeads();
  await ask(`Imported ${file.name}`, importReport(report), null);
}

// The report of POST /api/import (review/importing.py ImportReport)
function importReport(r) {
  const out = [], n = (v) => Array.isArray(v) ? v.length : (v || 0);
  const parts = [`${n(r.applied)} applied`, `${n(r.unchanged)} unchanged`];
  if (n(r.kept)) parts.push(`${n(r.kept)} kept (newer here)`);
  parts.push(`${n(r.conflicts)} conflict${n(r.conflicts) === 1 ? "" : "s"}`);
  if (n(r.stale)) parts.push(`${n(r.stale)} stale (source changed)`);
  if (n(r.unmatched)) parts.push(`${n(r.unmatched)} unmatched`);
  if (n(r.matched_by_source)) parts.push(`${n(r.matched_by_source)} matched by source text`);
  out.push(el("p", { class: "import-summary" }, parts.join(" · ")));
  if (r.base) out.push(el("p", { class: "muted import-base" }, `exported at revision ${r.base.revision}` +
    (r.base.exported ? ` (${r.base.exported})` : "") + ": only what the file changed since then was applied"));
  for (const w of r.warnings || []) out.push(el("p", { class: "import-warning" }, w));
  const conflicts = r.conflicts || [];
  if (conflicts.length) {
    out.push(el("p", {}, el("b", {}, `${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}: `),
      "the file and the workspace both changed these targets since the export; the workspace's text was kept."));
    for (const c of conflicts) out.push(conflictBox(c, r.file));
  }
  const list = (cls, title, rows) => {
    if (rows && rows.length) out.push(el("details", { class: "import-list " + cls }, el("summary", {}, `${title}: ${rows.length}`),
      el("p", { class: "muted" }, rows.slice(0, 200).join(", ") + (rows.length > 200 ? ", …" : ""))));
  };
  list("kept", "kept (the file had the exported text, the workspace a newer one)", (r.kept || []).map(k => `${k.key} (${k.lang})`));
  list("by-source", "matched by source text (the file's ids were rewritten)", (r.matched_by_source || []).map(m => `${m.id} → ${m.key}`));
  list("unmatched", "unmatched", (r.unmatched || []).map(u => `${u.id}: ${u.reason}`));
  list("stale", "stale (the source changed since the export)", r.stale || []);
  list("emptied", "emptied in the file, not applied (reject the bead instead)", (r.emptied || []).map(e => `${e.key} (${e.lang})`));
  list("overwritten", "reviewers' edits replaced (the file has no export base)", (r.overwritten || []).map(o => `${o.key} (${o.lang}, by ${o.by})`));
  return out;
}

// One conflict: the three texts, and what the translator may do about it
function conflictBox(c, file) {
  const box = el("div", { class: "conflict", "data-key": c.key, "data-lang": c.lang },
    el("div", {}, el("b", {}, c.key), ` (${c.lang})`, c.id !== c.key ? ` · unit ${c.id} in the file` : ""),
    el("div", { class: "which" }, "in the workspace" + (c.by ? ` (by ${c.by})` : "")), el("div", { lang: c.lang, class: "ws-text" }, c.workspace),
    el("div", { class: "which" }, "in the file" + (c.resolved === "file" ? " (applied)" : "")), el("div", { lang: c.lang, class: "file-text" }, c.file),
    el("div", { class: "which" }, "when exported"), el("div", { lang: c.lang, class: "base-text" }, c.base === null ? "(not known)" : c.base));
  const go = el("button", { type: "button", class: "small goto", onclick: () => { $("dialog").close(); setCurrent(c.key); } }, "go to the bead");
  if (c.resolved === "file") { box.append(el("div", {}, go)); return box; }
  const take = el("button", { type: "button", class: "small take-file", onclick: async () => {
    const b = BYKEY.get(c.key);
    try {
      // the bead's revision as shown: a change since is refused (409), not overwritten
      await api("POST", `/api/beads/${encodeURIComponent(c.key)}/decisions`,
                { action: "edit", lang: c.lang, text: c.file, origin: `import:${file}`, rev: b ? b.rev : undefined });
      take.disabled = true; take.textContent = "the file's text taken";
      await reloadBeads();
    } catch (e) { take.textContent = `not taken: ${e.message}`; }
  } }, "take the file's text");
  box.append(el("div", {}, go, " ", take));
  return box;
}

// Another tab, an import or `review update` changed the file: show the beads as they
// are now (the version after each of our own writes is known, so those do not count)
async function poll() {
  if (document.hidden || writing) return;
  let v;
  try { v = (await api("GET", "/api/cat/version")).version; } catch { $("disk").textContent = "server not answering"; return; }
  $("disk").textContent = "";
  if (VERSION === null) { VERSION = v; return; }
  if (v !== VERSION && !writing) {
    const editing = $("tab-bead").querySelector(".editor, .splitter");
    try { WS = await api("GET", "/api/workspace"); } catch { return; }
    await reloadBeads();
    if (editing) { const s = $("side-slot"); if (s && !s.contains(editing)) s.append(editing); }
    notice("the workspace changed on disk (another tab, an import or review update): the beads are shown as they are now", 8000);
  }
}

// -- concordance and termbase ---------------------------------------------------------------------
function showTab(name, focus = true) {
  for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-selected", b.dataset.tab === name ? "true" : "false");
  for (const t of ["bead", "search", "terms"]) $("tab-" + t).hidden = t !== name;
  if (focus && name === "search") $("conc-q").focus();
  if (name === "terms" && !$("tb-out").childElementCount) termbase();
}

async function concordance(q) {
  q = (q || "").trim();
  if (!q) return;
  showTab("search", false);
  $("conc-q").value = q;
  const out = $("conc-out");
  out.replaceChildren(el("div", { class: "muted" }, "searching…"));
  try {
    const r = await api("GET", `/api/cat/search?q=${encodeURIComponent(q)}&mode=${$("conc-mode").value}`);
    const head = el("div", { class: "muted" }, `${r.found} of ${r.beads} beads` + (r.encoder ? ` · meaning by ${r.encoder}` : " · by words"));
    out.replaceChildren(head, ...r.hits.map(h => {
      const byLang = Object.fromEntries(h.matches.map(m => [m.lang, m]));
      return el("div", { class: "conc-hit", "data-key": h.key, onclick: () => { setCurrent(h.key); } },
        el("span", { class: "key" }, h.key), ` · ${h.score.toFixed(2)}`,
        WS.langs.map(l => el("div", { lang: l }, el("span", { class: "l" }, l),
          marked(h.texts[l] || "", ((byLang[l] || {}).spans || []).map(([s, e]) => [s, e, "hit", "match", "mark", 0])))));
    }));
  } catch (e) { out.replaceChildren(el("div", { class: "muted" }, e.message)); }
}

async function termbase() {
  try {
    const r = await api("GET", `/api/cat/termbase?q=${encodeURIComponent($("tb-q").value)}`);
    for (const t of r.terms) TERMINFO[t.id] = TERMINFO[t.id] || { forms: t.forms, note: t.note };
    $("tb-out").replaceChildren(el("div", { class: "muted" }, `${r.terms.length} terms · ${shortName(r.termbase)}`),
      el("ul", { class: "termlist" }, r.terms.map(t => {
        const li = termItem(t.id, t, null);
        li.addEventListener("click", () => concordance(t.forms[WS.pivot] ? t.forms[WS.pivot][0] : Object.values(t.forms)[0][0]));
        return li;
      })));
  } catch (e) { $("tb-out").replaceChildren(el("div", { class: "muted" }, e.message)); }
}

// -- keyboard -----------------------------------------------------------------------------------
document.addEventListener("keydown", (ev) => {
  const tag = (ev.target.tagName || "").toLowerCase();
  if (ev.key === "Escape" && (tag === "input" || tag === "select")) { ev.target.blur(); $("viewport").focus(); return; }
  if (tag === "input" || tag === "textarea" || tag === "select" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if ($("dialog").open) return;
  if (tag === "button" && (ev.key === "Enter" || ev.key === " ")) return;   // the button's own
  const cur = (f) => () => current && f(current);
  const actions = {
    j: () => move(1), k: () => move(-1), ArrowDown: () => move(1), ArrowUp: () => move(-1),
    PageDown: () => move(Math.max(1, Math.floor($("viewport").clientHeight / rowHeight()) - 1)),
    PageUp: () => move(-Math.max(1, Math.floor($("viewport").clientHeight / rowHeight()) - 1)),
    Home: () => SHOWN.length && setCurrent(SHOWN[0].key), End: () => SHOWN.length && setCurrent(SHOWN[SHOWN.length - 1].key),
    a: cur(accept), r: cur(k => decide(k, { action: "reject" })),
    e: cur(openEditor), Enter: cur(openEditor), c: cur(askComment),
    m: cur(k => decide(k, { action: "merge" })), s: cur(askSplit), u: cur(undo),
    x: cur(k => decide(k, { action: "unpair", lang: activeLang })), i: cur(k => decide(k, { action: "insert_empty", lang: activeLang })),
    "[": cur(k => shift(k, "up")), "]": cur(k => shift(k, "down")),
    n: () => moveWeak(1), N: () => moveWeak(-1),
    t: cur(openEditor),
    "/": () => $("f-text").focus(),
    f: () => { const sel = String(window.getSelection() || "").trim(); concordance(sel || $("f-text").value || ""); if (!sel && !$("f-text").value) showTab("search"); },
    v: () => { $("f-view").value = $("f-view").value === "grid" ? "roomy" : "grid"; applyView(); },
    "?": () => toggleKeys(),
  };
  const f = actions[ev.key];
  if (f) { ev.preventDefault(); f(); }
});

function toggleKeys() {
  $("keys").hidden = !$("keys").hidden;
  $("keys-btn").setAttribute("aria-expanded", String(!$("keys").hidden));
  keep("keys", $("keys").hidden ? "0" : "1");
}

function applyView() {
  document.body.className = "view-" + $("f-view").value;
  saveFilters();
  render();
  if (current) setCurrent(current);
}

// -- start --------------------------------------------------------------------------------------
function columnsMenu() {
  const box = $("columns");
  const hidden = new Set(JSON.parse(setting("hidden", "[]")));
  box.replaceChildren(...WS.langs.map(l => el("label", {}, `${l} · ${shortName((WS.sources || {})[l])}`,
    el("input", { type: "checkbox", "data-lang": l, checked: hidden.has(l) ? null : "", onchange: (ev) => {
      const h = new Set(JSON.parse(setting("hidden", "[]")));
      if (ev.target.checked) h.delete(l); else h.add(l);
      keep("hidden", JSON.stringify([...h]));
      render(); renderSide();
    } }))));
}

// the bead the address names (#bead=KEY), or ""
const hashBead = () => decodeURIComponent((location.hash.match(/^#bead=(.+)$/) || [])[1] || "");

// where the opening's time goes (benchmarks/review_page.py reads it)
const TIMING = window.REVIEW_TIMING = {};

async function load() {
  const t0 = performance.now();
  try {
    const [ws, beads] = await Promise.all([api("GET", "/api/workspace"), api("GET", "/api/beads")]);
    WS = ws; BEADS = beads.beads;
  } catch (e) { showError("cannot load the workspace: " + e.message); return; }
  TIMING.fetch_ms = performance.now() - t0;
  BYKEY = new Map(BEADS.map(b => [b.key, b]));
  $("reviewer").textContent = WS.reviewer;
  $("level").textContent = `${WS.level || "clause"} level`;
  $("level").title = sentenceLevel() ? `sentence beads inside ${WS.clauses} clause beads (review init --level sentence)`
                                     : "one bead per clause (review init --level sentence for sentence beads)";
  WS.severities.forEach(s => $("f-severity").append(el("option", { value: s }, s)));
  WS.checks.forEach(c => $("f-check").append(el("option", { value: c }, c)));
  WS.langs.slice(1).forEach(l => $("f-pair").append(el("option", { value: l }, `${WS.pivot}→${l} only`)));
  WS.langs.slice(1).forEach(l => $("x-target").append(el("option", { value: l }, l)));
  if (WS.encoder) {
    $("sim-controls").hidden = false;
    WS.langs.slice(1).forEach(l => $("f-sim-lang").append(el("option", { value: l }, `${WS.pivot}→${l}`)));
  }
  restoreFilters();
  document.body.className = "view-" + $("f-view").value;
  if (setting("keys", "0") === "1") toggleKeys();
  columnsMenu();
  for (const id of ["f-state", "f-severity", "f-check", "f-sort", "f-sim-lang", "f-weak-only", "f-pair"]) {
    $(id).addEventListener("change", () => { saveFilters(); render(); inView(); if (id === "f-pair") renderSide(); });
  }
  $("f-view").addEventListener("change", applyView);
  for (const id of ["f-sim-max", "f-weak", "f-text"]) $(id).addEventListener("input", () => { saveFilters(); render(); inView(); refreshSide(); });
  $("f-text").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); $("viewport").focus(); if (SHOWN.length && !INDEX.has(current)) setCurrent(SHOWN[0].key); } });
  $("bulk-shown").addEventListener("click", () => bulkAccept(SHOWN, "shown"));
  $("bulk-strong").addEventListener("click", () => bulkAccept(BEADS.filter(b => !isWeak(b)), `with weakness below ${threshold().toFixed(2)}`));
  $("keys-btn").addEventListener("click", toggleKeys);
  $("import-btn").addEventListener("click", () => $("import-file").click());
  $("import-file").addEventListener("change", (ev) => { const f = ev.target.files[0]; ev.target.value = ""; if (f) importFile(f); });
  for (const id of ["x-format", "x-target", "x-status"]) $(id).addEventListener("change", exportHref);
  exportHref();
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  $("conc-form").addEventListener("submit", (ev) => { ev.preventDefault(); concordance($("conc-q").value); });
  let tbTimer = null;
  $("tb-q").addEventListener("input", () => { clearTimeout(tbTimer); tbTimer = setTimeout(termbase, 150); });
  let frame = 0;
  $("viewport").addEventListener("scroll", () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; drawRows(); }); }, { passive: true });
  window.addEventListener("resize", () => drawRows(true));
  window.addEventListener("hashchange", () => {
    const k = hashBead();
    if (k && k !== current && BYKEY.has(k)) setCurrent(k);
  });
  render();
  // the bead this tab (or the last one) was on
  const fromHash = hashBead();
  const start = BYKEY.has(fromHash) ? fromHash : (BYKEY.has(setting("current", "")) ? setting("current", "") : null);
  if (start) setCurrent(start);
  $("viewport").focus();
  setInterval(poll, POLL_MS);
  TIMING.total_ms = performance.now() - t0;
  TIMING.draw_ms = TIMING.total_ms - TIMING.fetch_ms;
  document.body.dataset.ready = "1";
}

load();
