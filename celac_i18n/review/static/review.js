// The review page: beads from the JSON API, decisions posted back with the per-run token.
// Every text goes into the page as a text node (textContent), never as HTML.
"use strict";

const TOKEN = document.querySelector('meta[name="review-token"]').content;
const LOW = 0.5;
let WS = null;          // /api/workspace
let BEADS = [];         // /api/beads, in document order
let current = null;     // key of the bead the keyboard acts on

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

function showError(msg) {
  const box = document.getElementById("error");
  box.textContent = msg;
  box.hidden = !msg;
}

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  if (method !== "GET") opts.headers["X-Review-Token"] = TOKEN;
  const r = await fetch(path, opts);
  const data = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(data.error || r.statusText);
  return data;
}

// -- text with highlighted spans ----------------------------------------------------------
function marked(text, spans) {
  // spans: [[start, end, severity, title]]; overlapping ones are merged into the first
  const out = [];
  const sorted = spans.filter(s => s[0] < s[1] && s[1] <= text.length).sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [s, e, sev, title] of sorted) {
    if (s < at) continue;
    if (s > at) out.push(text.slice(at, s));
    out.push(el("mark", { class: "sev-" + sev, title }, text.slice(s, e)));
    at = e;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function diffView(ops) {
  return el("div", { class: "diff" }, "change against the original: ",
    ops.map(([op, t]) => op === 0 ? t : el(op < 0 ? "del" : "ins", {}, t)));
}

// -- filters ------------------------------------------------------------------------------
function filters() {
  return {
    state: document.getElementById("f-state").value,
    low: document.getElementById("f-low").checked,
    severity: document.getElementById("f-severity").value,
    check: document.getElementById("f-check").value,
    sort: document.getElementById("f-sort").value,
    simLang: document.getElementById("f-sim-lang").value,
    simMax: simThreshold(),
  };
}

// The user's similarity threshold (null: no filter); a value that is not a number is
// no filter, and the box says so.
function simThreshold() {
  const box = document.getElementById("f-sim-max");
  const raw = box.value.trim();
  const v = raw === "" ? null : Number(raw);
  const bad = raw !== "" && !Number.isFinite(v);
  box.classList.toggle("bad", bad);
  return bad ? null : v;
}

// Where a bead goes weakest first, as the API orders it (similarity.rank): [group, value];
// group 0: a pair with one side empty (nothing matches it), 1: by the chosen pair's
// similarity (else the bead's weakest), 2: no value.
function rank(b, lang) {
  const sims = b.similarity || {}, unpaired = b.unpaired || [];
  if (lang ? unpaired.includes(lang) : unpaired.length) return [0, 0];
  let v = lang ? sims[lang] : null;
  if (!lang) {
    const known = Object.values(sims).filter(x => x !== null && x !== undefined);
    v = known.length ? Math.min(...known) : null;
  }
  return v === null || v === undefined ? [2, 0] : [1, v];
}

function visible(b, f) {
  if (f.state === "unreviewed" && b.reviewed) return false;
  if (f.state === "reviewed" && !b.reviewed) return false;
  if (f.state === "stale" && !b.stale.length) return false;
  if (f.low && b.confidence >= LOW) return false;
  const open = b.findings.filter(x => !x.dismissed);
  if (f.severity && !open.some(x => x.severity === f.severity)) return false;
  if (f.check && !open.some(x => x.check === f.check)) return false;
  if (f.simMax !== null) {
    const [group, v] = rank(b, f.simLang);
    if (group === 2 || (group === 1 && v > f.simMax)) return false;
  }
  return true;
}

// Weakest first: unpaired beads, then by similarity, then beads without one; ties in
// document order.
function ordered(beads, f) {
  if (f.sort !== "similarity") return beads;
  return [...beads].sort((a, b) => {
    const [ga, va] = rank(a, f.simLang), [gb, vb] = rank(b, f.simLang);
    return (ga - gb) || (va - vb) || (a.pos - b.pos);
  });
}

function simBadges(b) {
  if (!WS.encoder) return [];
  const f = filters();
  return WS.langs.slice(1).map(lang => {
    const v = (b.similarity || {})[lang];
    const med = ((WS.similarity || {})[lang] || {}).median;
    const pair = `${WS.pivot}→${lang}`;
    if ((b.unpaired || []).includes(lang)) {
      return el("span", { class: "sim low unpaired", "data-lang": lang,
        title: `${pair}: one side has no text, so nothing matches it (first when sorted weakest first)` },
        `${pair} unpaired`);
    }
    if (v === null || v === undefined) {
      return el("span", { class: "sim none", "data-lang": lang,
        title: `${pair}: no similarity (a side is empty, or the text changed while no encoder was open)` },
        `${pair} sim —`);
    }
    const low = f.simMax !== null && v <= f.simMax;
    return el("span", { class: "sim" + (low ? " low" : ""), "data-lang": lang, "data-value": v,
      title: `${pair}: similarity of meaning (${WS.encoder}), not a quality score` +
             (med !== null && med !== undefined ? `; this pair's median ${med.toFixed(2)}` : "") },
      `${pair} sim ${v.toFixed(2)}`);
  });
}

// -- rendering ----------------------------------------------------------------------------
function langLabel(lang) {
  const kind = (WS.kinds || {})[lang] || "unknown status";
  return `${lang} · ${kind}`;
}

function beadNode(b) {
  const langs = WS.langs;
  const sec = el("section", { class: `bead state-${b.state}`, id: "bead-" + b.key,
                              "data-key": b.key, tabindex: "-1" });
  sec.addEventListener("click", () => setCurrent(b.key, false));
  const ids = langs.map(l => (b.ids[l] || []).join("+") || "—");
  const head = el("div", { class: "bead-head" },
    el("span", { class: "key" }, b.key),
    new Set(ids).size > 1 ? el("span", {}, langs.map((l, i) => `${l} ${ids[i]}`).join(" · ")) : null,
    el("span", {}, b.kind),
    el("span", { class: "conf" + (b.confidence < LOW ? " low" : "") }, "confidence " + b.confidence.toFixed(2)),
    simBadges(b),
    el("span", { class: "badge state-" + b.state }, b.state),
    b.stale.length ? el("span", { class: "badge stale", title: "decisions made on texts that have since changed" },
                        `${b.stale.length} stale`) : null);
  sec.append(head);

  const grid = el("div", { class: "texts" });
  grid.style.gridTemplateColumns = `repeat(${langs.length}, 1fr)`;
  const open = b.findings.filter(x => !x.dismissed);
  for (const lang of langs) {
    const edit = b.edits[lang];
    const spans = [];
    if (!edit) {
      for (const f of open) {
        if (lang === f.src_lang) f.src_spans.forEach(([s, e]) => spans.push([s, e, f.severity, f.message]));
        if (lang === f.lang) f.tgt_spans.forEach(([s, e]) => spans.push([s, e, f.severity, f.message]));
      }
    }
    const text = b.targets[lang] || "";
    const col = el("div", { class: "lang-col" },
      el("h3", {}, langLabel(lang) + (edit ? ` · edited by ${edit.reviewer}` : "")),
      el("div", { class: "text", lang, "data-lang": lang }, text ? marked(text, spans) : el("em", {}, "(nothing)")));
    if (edit) col.append(diffView(edit.diff));
    for (const sc of (b.scores || {})[lang] || []) {
      const vals = Object.entries(sc).filter(([k]) => k !== "unit").map(([k, v]) => `${k} ${v.toFixed(1)}`);
      col.append(el("div", { class: "scores", title: `against ${(WS.references || {})[lang] || "the reference"}` },
        `${sc.unit}: ${vals.join(" · ")} vs reference`));
    }
    grid.append(col);
  }
  sec.append(grid);

  if (b.findings.length) {
    const ul = el("ul", { class: "findings" });
    for (const f of b.findings) {
      const li = el("li", { class: f.dismissed ? "dismissed" : "", "data-finding": f.key },
        el("span", { class: "sev " + f.severity }, f.severity),
        el("span", { class: "msg" }, `${f.check} [${f.unit}, ${f.src_lang}→${f.lang}]: ${f.message}`));
      if (f.dismissed) {
        li.append(" — not an issue: ", el("q", {}, f.dismissed.reason), ` (${f.dismissed.reviewer})`);
      } else {
        li.append(" ", el("button", { class: "small dismiss", onclick: (ev) => {
          ev.stopPropagation(); askReason(li, b, f); } }, "not an issue…"));
      }
      ul.append(li);
    }
    sec.append(ul);
  }

  if (b.neighbours && b.neighbours.length) {
    const list = el("ol", { class: "neighbours-list" }, b.neighbours.map(n =>
      el("li", { "data-ref": n.ref, "data-id": n.id },
        el("span", { class: "where" }, `${n.ref} ${n.id}`), ` · sim ${n.similarity.toFixed(2)} — `,
        el("span", { lang: n.lang }, n.text))));
    sec.append(el("details", { class: "neighbours" },
      el("summary", {}, `similar clauses in other versions (${b.neighbours.length})`), list));
  }

  const notes = el("div", { class: "notes" });
  for (const c of b.comments) notes.append(el("div", { class: "comment-note" }, `💬 ${c.reviewer}: `, c.text));
  for (const d of b.stale) notes.append(el("div", { class: "stale" },
    `stale ${d.action} by ${d.reviewer} (${d.time}): the text changed since; not applied`));
  if (b.verdict) notes.append(el("div", {}, `${b.verdict.action}ed by ${b.verdict.reviewer}, ${b.verdict.time}`));
  const merge = b.history.filter(d => d.action === "merge").pop();
  if (merge) notes.append(el("div", { class: "merged" },
    `merged from ${merge.merge.join(" + ")} by ${merge.reviewer} (undo splits it again)`));
  const split = b.history.filter(d => d.action === "split").pop();
  if (split) notes.append(el("div", { class: "split" },
    `split from ${split.split[0]} into ${split.split.slice(1).join(" + ")} by ${split.reviewer} (undo joins it again)`));
  sec.append(notes);

  sec.append(el("div", { class: "actions" },
    el("button", { class: "accept", onclick: (ev) => { ev.stopPropagation(); decide(b.key, { action: "accept" }); } }, "Accept (a)"),
    el("button", { class: "reject", onclick: (ev) => { ev.stopPropagation(); decide(b.key, { action: "reject" }); } }, "Reject (r)"),
    el("button", { class: "edit", onclick: (ev) => { ev.stopPropagation(); openEditor(b.key); } }, "Edit (e)"),
    el("button", { class: "comment", onclick: (ev) => { ev.stopPropagation(); askComment(b.key); } }, "Comment (c)"),
    el("button", { class: "merge", onclick: (ev) => { ev.stopPropagation(); decide(b.key, { action: "merge" }); } }, "Merge with next (m)"),
    splitPoints(b).length ? el("button", { class: "split", onclick: (ev) => { ev.stopPropagation(); askSplit(b.key); } }, "Split (s)") : null,
    el("button", { class: "undo", onclick: (ev) => { ev.stopPropagation(); undo(b.key); } }, "Undo (u)")));
  return sec;
}

function render() {
  const main = document.getElementById("beads");
  const f = filters();
  const shown = ordered(BEADS.filter(b => visible(b, f)), f);
  main.replaceChildren(...shown.map(beadNode));
  document.getElementById("shown").textContent = `${shown.length} shown`;
  if (current && !shown.some(b => b.key === current)) current = null;
  if (current) markCurrent();
  updateProgress();
}

function updateProgress() {
  const done = BEADS.filter(b => b.reviewed).length;
  document.getElementById("progress").textContent = `${done} of ${BEADS.length} reviewed`;
}

function replaceBead(view) {
  const i = BEADS.findIndex(b => b.key === view.key);
  if (i >= 0) BEADS[i] = view;
  const old = document.getElementById("bead-" + view.key);
  if (old) {
    const node = beadNode(view);
    old.replaceWith(node);
    if (current === view.key) node.classList.add("current");
  }
  updateProgress();
}

// -- decisions ----------------------------------------------------------------------------
// A merge makes a new bead and undoing one removes it: the list is fetched again.
async function reloadBeads(focusKey) {
  BEADS = (await api("GET", "/api/beads")).beads;
  current = focusKey || null;
  render();
  if (current) setCurrent(current);
}

async function decide(key, body) {
  try {
    const out = await api("POST", `/api/beads/${encodeURIComponent(key)}/decisions`, body);
    showError("");
    if (body.action === "merge" || body.action === "split" || !out.bead) await reloadBeads(out.bead && out.bead.key);
    else replaceBead(out.bead);
    return out;
  } catch (e) { showError(`${key}: ${e.message}`); }
}

async function undo(key) {
  const b = BEADS.find(x => x.key === key);
  const last = b && b.history.filter(d => d.action === "merge" || d.action === "split").pop();
  try {
    const out = await api("POST", `/api/beads/${encodeURIComponent(key)}/undo`);
    showError("");
    // undoing a merge brings back its first bead; undoing a split, the bead it split
    if (!out.bead) await reloadBeads(last ? (last.merge || last.split)[0] : null);
    else replaceBead(out.bead);
  } catch (e) { showError(`${key}: ${e.message}`); }
}

function inlineForm(parent, placeholder, onSave) {
  const input = el("input", { type: "text", placeholder, class: "reason" });
  const form = el("span", { class: "inline-form" }, input,
    el("button", { class: "small save", onclick: (ev) => { ev.stopPropagation(); go(); } }, "save"),
    el("button", { class: "small", onclick: (ev) => { ev.stopPropagation(); form.remove(); } }, "cancel"));
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
  inlineForm(li, "why it is not an issue", (reason) =>
    decide(b.key, { action: "dismiss", finding: f.key, reason }));
}

function askComment(key) {
  const sec = document.getElementById("bead-" + key);
  if (!sec || sec.querySelector(".notes .inline-form")) return;
  inlineForm(sec.querySelector(".notes"), "comment", (text) => decide(key, { action: "comment", text }));
}

// Where a bead can be cut: after each unit but the last, of a language with 2+ units.
function splitPoints(b) {
  const out = [];
  for (const lang of WS.langs) {
    const ids = b.ids[lang] || [];
    for (let k = 1; k < ids.length; k++) out.push({ lang, at: k });
  }
  return out;
}

// One choice per language: where its units are cut (or which part takes them all);
// by default after the first unit where there are two or more.
function askSplit(key) {
  const sec = document.getElementById("bead-" + key);
  const b = BEADS.find(x => x.key === key);
  if (!sec || !b || sec.querySelector(".split-form")) return;
  if (!splitPoints(b).length) { showError(`${key}: no side has two units to split between`); return; }
  const selects = WS.langs.map(lang => {
    const ids = b.ids[lang] || [];
    const opts = [];
    for (let k = 0; k <= ids.length; k++) {
      const label = k === 0 ? (ids.length ? "all to the second part" : "none")
        : k === ids.length ? "all to the first part" : `after ${ids[k - 1]}`;
      opts.push(el("option", { value: k, selected: k === (ids.length >= 2 ? 1 : ids.length) ? "" : null }, label));
    }
    return el("label", {}, `${lang}: `, el("select", { class: "split-at", "data-lang": lang }, opts));
  });
  const go = () => {
    const at = {};
    for (const s of form.querySelectorAll("select.split-at")) at[s.dataset.lang] = Number(s.value);
    decide(key, { action: "split", at });
  };
  const form = el("span", { class: "inline-form split-form" }, selects,
    el("button", { class: "small save", onclick: (ev) => { ev.stopPropagation(); go(); } }, "split"),
    el("button", { class: "small", onclick: (ev) => { ev.stopPropagation(); form.remove(); } }, "cancel"));
  form.addEventListener("keydown", (ev) => {
    ev.stopPropagation();
    if (ev.key === "Enter") go();
    if (ev.key === "Escape") form.remove();
  });
  sec.querySelector(".notes").append(form);
  form.querySelector("select").focus();
}

function openEditor(key) {
  const sec = document.getElementById("bead-" + key);
  const b = BEADS.find(x => x.key === key);
  if (!sec || !b || sec.querySelector(".editor")) return;
  const box = el("div", { class: "editor" });
  const areas = {};
  for (const lang of WS.langs.slice(1)) {
    areas[lang] = el("textarea", { lang, "data-lang": lang, "aria-label": `target ${lang}` });
    areas[lang].value = b.targets[lang] || "";
    box.append(el("label", {}, `${lang}:`), areas[lang]);
  }
  async function save() {
    for (const lang of Object.keys(areas)) {
      if (areas[lang].value !== (b.targets[lang] || "")) {
        // refused (an empty text, say): the editor stays open with what was typed
        if (!await decide(key, { action: "edit", lang, text: areas[lang].value })) return;
      }
    }
    box.remove();
    const node = document.getElementById("bead-" + key);
    if (node) node.focus();
  }
  box.append(el("button", { class: "save", onclick: (ev) => { ev.stopPropagation(); save(); } }, "Save (Ctrl+Enter)"),
             el("button", { onclick: (ev) => { ev.stopPropagation(); box.remove(); } }, "Cancel (Esc)"));
  box.addEventListener("keydown", (ev) => {
    ev.stopPropagation();
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); save(); }
    if (ev.key === "Escape") { box.remove(); sec.focus(); }
  });
  sec.append(box);
  areas[WS.langs[1]].focus();
}

// -- keyboard -----------------------------------------------------------------------------
function markCurrent() {
  document.querySelectorAll(".bead.current").forEach(n => n.classList.remove("current"));
  const node = current && document.getElementById("bead-" + current);
  if (node) node.classList.add("current");
  return node;
}

function setCurrent(key, scroll = true) {
  current = key;
  const node = markCurrent();
  if (node && scroll) { node.scrollIntoView({ block: "center" }); node.focus({ preventScroll: true }); }
}

function move(step) {
  const keys = [...document.querySelectorAll(".bead")].map(n => n.dataset.key);
  if (!keys.length) return;
  const i = keys.indexOf(current);
  const j = i < 0 ? (step > 0 ? 0 : keys.length - 1) : Math.min(keys.length - 1, Math.max(0, i + step));
  setCurrent(keys[j]);
}

document.addEventListener("keydown", (ev) => {
  const tag = (ev.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const actions = {
    j: () => move(1), k: () => move(-1),
    a: () => current && decide(current, { action: "accept" }),
    r: () => current && decide(current, { action: "reject" }),
    e: () => current && openEditor(current),
    c: () => current && askComment(current),
    m: () => current && decide(current, { action: "merge" }),
    s: () => current && askSplit(current),
    u: () => current && undo(current),
  };
  const f = actions[ev.key];
  if (f) { ev.preventDefault(); f(); }
});

// -- start --------------------------------------------------------------------------------
async function load() {
  try {
    WS = await api("GET", "/api/workspace");
    BEADS = (await api("GET", "/api/beads")).beads;
  } catch (e) { showError("cannot load the workspace: " + e.message); return; }
  document.getElementById("reviewer").textContent = WS.reviewer;
  const sev = document.getElementById("f-severity");
  WS.severities.forEach(s => sev.append(el("option", { value: s }, s)));
  const chk = document.getElementById("f-check");
  WS.checks.forEach(c => chk.append(el("option", { value: c }, c)));
  const prov = document.getElementById("provenance");
  prov.textContent = WS.langs.map(l => `${l}: ${(WS.sources || {})[l] || ""} (${(WS.kinds || {})[l] || "unknown status"})`).join(" · ");
  const ex = document.getElementById("exports");
  for (const t of WS.langs.slice(1)) {
    for (const [fmt, label] of [["xliff-1.2", "XLIFF 1.2"], ["xliff-2.0", "XLIFF 2.0"]]) {
      ex.append(el("a", { href: `/api/export?format=${fmt}&target=${encodeURIComponent(t)}`, download: "" },
                   `${WS.pivot}→${t} ${label}`));
    }
  }
  ex.append(el("a", { href: "/api/export?format=tmx", download: "" }, "TMX"));
  if (WS.encoder) {
    document.getElementById("sim-controls").hidden = false;
    const sl = document.getElementById("f-sim-lang");
    WS.langs.slice(1).forEach(l => sl.append(el("option", { value: l }, `${WS.pivot}→${l}`)));
  }
  for (const id of ["f-state", "f-low", "f-severity", "f-check", "f-sort", "f-sim-lang"]) {
    document.getElementById(id).addEventListener("change", render);
  }
  document.getElementById("f-sim-max").addEventListener("input", render);
  render();
  document.body.dataset.ready = "1";
}

load();
