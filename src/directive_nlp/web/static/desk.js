// Editor desk review page: keyboard-first review of mentions and directive records.
// Every save sends the article version; a 409 shows the other editor's change and keeps yours.
// Article text is never inserted as HTML here: only textContent / value.
(function () {
  "use strict";
  const root = document.getElementById("review");
  if (!root) return;
  const articleId = root.dataset.article;
  const canWrite = root.dataset.canWrite === "yes";
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const textEl = document.getElementById("text");
  const notice = document.getElementById("notice");
  const toast = document.getElementById("toast");
  const conflict = document.getElementById("conflict");
  const gazetteer = JSON.parse(document.getElementById("gazetteer").textContent);
  const vocab = JSON.parse(document.getElementById("vocab").textContent);
  let data = null, version = Number(root.dataset.version), idx = -1, nav = [];
  const marks = Array.from(textEl.querySelectorAll("mark"));
  const base = "/articles/" + encodeURIComponent(articleId);

  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const k of kids) e.append(k);
    return e;
  }
  // Messages go where the editor is looking: the status line, and a fixed toast for errors.
  let toastTimer = null;
  function say(msg, bad) {
    notice.textContent = msg; notice.classList.toggle("bad", !!bad);
    toast.textContent = msg; toast.classList.toggle("bad", !!bad); toast.hidden = false;
    clearTimeout(toastTimer); toastTimer = setTimeout(() => { toast.hidden = true; }, bad ? 9000 : 2500);
  }
  function mentionOf(mark) { return data && data.mentions.find(m => m.id === Number(mark.dataset.mid)); }

  async function load() {
    const r = await fetch(base + "/data", { headers: { Accept: "application/json" } });
    if (!r.ok) { say("Could not load the article (" + r.status + ")", true); return; }
    apply(await r.json());
  }
  function apply(a) {
    data = a; version = a.version;
    document.getElementById("version").textContent = version;
    const st = document.getElementById("status"); st.textContent = a.status; st.className = "badge st-" + a.status;
    document.getElementById("open-count").textContent = undecidedCount() + " undecided";
    const byKey = new Map(a.mentions.map(m => [m.kind + ":" + m.start + ":" + m.end, m]));
    for (const mk of marks) {
      const m = byKey.get(mk.dataset.kind + ":" + mk.dataset.start + ":" + mk.dataset.end);
      mk.dataset.mid = m ? m.id : "";
      mk.classList.remove("dec-accepted", "dec-rejected", "dec-edited");
      if (m && m.decision) mk.classList.add("dec-" + m.decision);
      mk.tabIndex = -1;
    }
    renderMentions(); renderDirectives(); renderAudit(); buildNav();
  }
  function undecidedCount() { return data.mentions.concat(data.directives).filter(x => !x.decision).length; }

  function renderMentions() {
    const ol = document.getElementById("mentions"); ol.replaceChildren();
    for (const m of data.mentions) {
      const li = el("li", { className: "dec-" + (m.decision || "open") });
      li.append(el("span", { className: "kind k-" + (data.kinds[m.kind] || m.kind), textContent: m.kind }), " ", el("q", { textContent: m.text }), " ",
        el("small", { textContent: summary(m.payload, m.kind) + " · " + m.source + (m.decision ? " · " + m.decision : "") }));
      if (canWrite) li.append(" ", buttons(d => decide("mentions", m, d), () => editMention(m)));
      ol.append(li);
    }
  }
  function summary(p, kind) {
    if (kind === "agencies") return (p.canonical || p.name) + " · " + p.role;
    return String(p.id || p.value || p.number || "");
  }
  function buttons(decideFn, edit) {
    return el("span", { className: "btns" },
      el("button", { type: "button", textContent: "accept", onclick: () => decideFn("accepted") }),
      el("button", { type: "button", textContent: "reject", onclick: () => decideFn("rejected") }),
      el("button", { type: "button", textContent: "edit", onclick: edit }));
  }
  function line(label, value) { return el("p", { className: "field" }, el("span", { className: "label", textContent: label + " " }), value); }
  function renderDirectives() {
    const box = document.getElementById("directives"); box.replaceChildren();
    if (!data.directives.length) box.append(el("p", { className: "empty", textContent: "No directives found. Select a sentence to add one." }));
    for (const d of data.directives) {
      const p = d.payload;
      const card = el("section", { className: "card dec-" + (d.decision || "open"), tabIndex: -1 });
      card.dataset.did = d.id;
      card.append(el("p", { className: "verb", textContent: p.verb || "(no verb)" }));
      card.append(el("blockquote", { textContent: d.text.length > 300 ? d.text.slice(0, 300) + "…" : d.text }));
      const ul = el("ul", { className: "agencies" });
      for (const ag of p.agencies || []) ul.append(el("li", {}, el("span", { textContent: ag.name + (ag.canonical && ag.canonical !== ag.name ? " (" + ag.canonical + ")" : "") }), " — ", el("em", { className: "role", textContent: ag.role })));
      card.append(line("Agencies:", (p.agencies || []).length ? ul : el("span", { className: "muted", textContent: "none" })));
      card.append(line("Deadline:", el("span", { className: "deadline", textContent: p.deadline || "none" })));
      const tg = (p.targets || []).map(t => t.comparator + " " + JSON.stringify(t.value) + " " + (t.unit || "") + (t.deadline ? " by " + t.deadline : ""));
      card.append(line("Targets:", el("span", { className: "targets", textContent: tg.length ? tg.join("; ") : "none" })));
      card.append(line("Documents:", el("span", { className: "refs", textContent: (p.document_refs || []).join(", ") || "none" })));
      card.append(el("p", { className: "src", textContent: d.source + " · " + (d.decision || "undecided") }));
      if (canWrite) card.append(buttons(dec => decide("directives", d, dec), () => editDirective(d)));
      card.addEventListener("click", ev => { if (ev.target.tagName !== "BUTTON") focusItem(nav.findIndex(n => n.el === card)); });
      box.append(card);
    }
  }
  function renderAudit() {
    const ol = document.getElementById("audit"); ol.replaceChildren();
    for (const r of data.audit || []) {
      const li = el("li", { textContent: (r.at || "").slice(0, 19).replace("T", " ") + " " + r.who + " " + r.action + " " + r.object });
      const ch = changes(r.before, r.after);
      if (ch.length) li.append(el("ul", {}, ...ch.slice(0, 6).map(c => el("li", { textContent: c[0] + ": " + c[1] + " → " + c[2] }))));
      ol.append(li);
    }
  }
  function flat(o) { o = o || {}; return Object.assign({}, o, o.payload || {}); }
  function show(v) { return v == null ? "∅" : typeof v === "string" ? v : JSON.stringify(v); }
  function changes(before, after) {
    if (!before || !after) return [];
    const b = flat(before), a = flat(after), out = [];
    for (const k of new Set(Object.keys(a).concat(Object.keys(b)))) {
      if (k === "payload" || k === "source") continue;
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push([k, show(b[k]).slice(0, 80), show(a[k]).slice(0, 80)]);
    }
    return out;
  }

  // -- saving -------------------------------------------------------------------------------
  async function send(url, body, what) {
    const payload = Object.assign({}, body, { version: version });
    const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(payload) });
    const out = await r.json().catch(() => ({ detail: "HTTP " + r.status }));
    if (r.status === 409 && out.current_version) { showConflict(out, url, body, what); return false; }
    if (!r.ok) { say(what + ": " + (out.detail || r.status), true); return false; }
    conflict.hidden = true; say("Saved: " + what);
    await load();
    return out;
  }
  function showConflict(out, url, body, what) {
    if (out.article) apply(Object.assign({}, out.article, { audit: data.audit }));
    conflict.replaceChildren(el("p", { textContent: out.detail }));
    const ul = el("ul");
    for (const c of out.changes || []) ul.append(el("li", { textContent: c.who + " " + c.action + " " + c.object + (c.after && c.after.text ? " “" + c.after.text + "”" : "") + " at " + (c.at || "").slice(0, 19) }));
    conflict.append(el("p", { textContent: "Their changes:" }), ul, el("p", { textContent: "Your change (not saved yet): " + what + " " + JSON.stringify(body.fields || {}) }),
      el("button", { type: "button", id: "reapply", textContent: "Apply my change again", onclick: () => send(url, body, what) }), " ",
      el("button", { type: "button", textContent: "Discard my change", onclick: () => { conflict.hidden = true; } }));
    conflict.hidden = false;
    conflict.scrollIntoView({ block: "nearest" });
  }
  function decide(items, item, decision, fields) {
    const body = { decision: decision }; if (fields) body.fields = fields;
    const what = items === "mentions" ? decision + " " + item.kind + " “" + item.text + "”" : decision + " directive";
    return send(base + "/" + items + "/" + item.id, body, what);
  }

  // -- mention edit dialog ------------------------------------------------------------------------
  const dlg = document.getElementById("edit");
  function openDialog(title, fields, onSave) {
    document.getElementById("edit-title").textContent = title;
    const box = document.getElementById("edit-fields"); box.replaceChildren();
    for (const [name, value] of fields) {
      const input = el("input", { name: name });
      input.value = value == null ? "" : (typeof value === "object" ? JSON.stringify(value) : String(value));
      box.append(el("label", {}, name + " ", input));
    }
    document.getElementById("edit-error").textContent = "";
    dlg.onsubmitHandler = onSave;
    dlg.showModal();
    const first = box.querySelector("input"); if (first) first.focus();
  }
  document.getElementById("edit-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    const vals = {};
    for (const i of document.getElementById("edit-fields").querySelectorAll("input")) vals[i.name] = i.value;
    const ok = await dlg.onsubmitHandler(vals);
    if (ok) dlg.close(); else document.getElementById("edit-error").textContent = notice.textContent;
  });
  document.getElementById("edit-cancel").addEventListener("click", () => dlg.close());
  function parse(v) {
    v = v.trim(); if (v === "") return null;
    if (/^[\[\-\d]/.test(v) && !/^\d{4}(-|$)/.test(v)) { try { return JSON.parse(v); } catch (e) { return v; } }
    if (v === "true" || v === "false") return v === "true";
    return v;
  }
  function editMention(m) {
    const names = (data.fields[m.kind] || []);
    openDialog("Edit " + m.kind + ": " + m.text, names.map(n => [n, m.payload[n]]), vals => {
      const fields = {}; for (const n of names) fields[n] = parse(vals[n]);
      return decide("mentions", m, "edited", fields);
    });
  }

  // -- directive editor: agencies from the gazetteer, roles, deadline, targets, documents ------------
  const dd = document.getElementById("dir-edit");
  const canonicalOf = new Map();
  (function fillLists() {
    const names = document.getElementById("agency-names"), canon = document.getElementById("agency-canonicals");
    for (const g of gazetteer) {
      canon.append(el("option", { value: g.canonical }));
      for (const n of g.names) { canonicalOf.set(n.toLowerCase(), g.canonical); names.append(el("option", { value: n, label: g.canonical })); }
    }
  })();
  function select(options, value, cls) {
    const s = el("select", { className: cls });
    for (const o of options) s.append(el("option", { value: o, textContent: o, selected: o === value }));
    return s;
  }
  function removeBtn() { return el("button", { type: "button", className: "remove", textContent: "remove", onclick: ev => ev.target.closest("tr").remove() }); }
  function agencyRow(a) {
    const name = el("input", { className: "ag-name", value: a.name || "", required: true });
    name.setAttribute("list", "agency-names");
    const canon = el("input", { className: "ag-canonical", value: a.canonical || "" });
    canon.setAttribute("list", "agency-canonicals");
    name.addEventListener("change", () => { const c = canonicalOf.get(name.value.trim().toLowerCase()); if (c && !canon.value) canon.value = c; });
    const tr = el("tr", {}, el("td", {}, name), el("td", {}, canon), el("td", {}, select(vocab.roles, a.role || "lead", "ag-role")), el("td", {}, removeBtn()));
    tr.dataset.start = a.start == null ? "" : a.start; tr.dataset.end = a.end == null ? "" : a.end;
    return tr;
  }
  function targetRow(t) {
    const tr = el("tr", {}, el("td", { className: "t-text", textContent: t.text }),
      el("td", {}, el("input", { className: "t-value", value: JSON.stringify(t.value), size: 8 })),
      el("td", {}, el("input", { className: "t-unit", value: t.unit || "", size: 8 })),
      el("td", {}, select(vocab.comparators, t.comparator || "=", "t-comparator")),
      el("td", {}, el("input", { className: "t-deadline", value: t.deadline || "", size: 10, placeholder: "2030" })), el("td", {}, removeBtn()));
    tr.dataset.base = JSON.stringify(t);
    return tr;
  }
  let editing = null;
  function editDirective(d) {
    editing = d;
    const p = d.payload;
    document.getElementById("dir-text").textContent = d.text;
    document.getElementById("dir-verb").value = p.verb || "";
    document.getElementById("dir-deadline").value = p.deadline || "";
    const ags = document.querySelector("#dir-agencies tbody"); ags.replaceChildren(...(p.agencies || []).map(agencyRow));
    const tgs = document.querySelector("#dir-targets tbody"); tgs.replaceChildren(...(p.targets || []).map(targetRow));
    const pick = document.getElementById("dir-add-target"); pick.replaceChildren(el("option", { value: "", textContent: "—" }));
    for (const m of data.mentions.filter(m => m.kind === "targets")) pick.append(el("option", { value: m.id, textContent: m.text }));
    const docs = document.getElementById("dir-docs"); docs.replaceChildren();
    const refs = [...new Set(data.mentions.filter(m => m.kind === "document_refs" && m.payload.id).map(m => m.payload.id).concat(p.document_refs || []))];
    if (!refs.length) docs.append(el("span", { className: "muted", textContent: "The article names no documents." }));
    for (const r of refs) docs.append(el("label", { className: "check" }, el("input", { type: "checkbox", className: "doc", value: r, checked: (p.document_refs || []).includes(r) }), " " + r));
    document.getElementById("dir-error").textContent = "";
    dd.showModal();
    document.getElementById("dir-verb").focus();
  }
  function directiveFields() {
    const agencies = [...document.querySelectorAll("#dir-agencies tbody tr")].map(tr => ({
      name: tr.querySelector(".ag-name").value.trim(), canonical: tr.querySelector(".ag-canonical").value.trim() || null,
      role: tr.querySelector(".ag-role").value, start: tr.dataset.start === "" ? null : Number(tr.dataset.start), end: tr.dataset.end === "" ? null : Number(tr.dataset.end) }));
    const targets = [...document.querySelectorAll("#dir-targets tbody tr")].map(tr => Object.assign(JSON.parse(tr.dataset.base), {
      value: parse(tr.querySelector(".t-value").value), unit: tr.querySelector(".t-unit").value.trim() || null,
      comparator: tr.querySelector(".t-comparator").value, deadline: tr.querySelector(".t-deadline").value.trim() || null }));
    const docs = [...document.querySelectorAll("#dir-docs .doc:checked")].map(i => i.value);
    return { verb: document.getElementById("dir-verb").value.trim() || null, deadline: document.getElementById("dir-deadline").value.trim() || null,
      agencies: agencies, targets: targets, document_refs: docs };
  }
  document.getElementById("dir-add-agency").addEventListener("click", () => {
    const tr = agencyRow({ role: "lead" }); document.querySelector("#dir-agencies tbody").append(tr); tr.querySelector("input").focus();
  });
  document.getElementById("dir-add-target").addEventListener("change", ev => {
    const m = data.mentions.find(x => x.id === Number(ev.target.value)); if (!m) return;
    const t = Object.assign({}, m.payload, { text: m.text, start: m.start, end: m.end });
    document.querySelector("#dir-targets tbody").append(targetRow(t)); ev.target.value = "";
  });
  document.getElementById("dir-cancel").addEventListener("click", () => dd.close());
  document.getElementById("dir-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    const dl = document.getElementById("dir-deadline");
    if (!dl.checkValidity()) { document.getElementById("dir-error").textContent = "Deadline: " + dl.title; dl.focus(); return; }
    const ok = await decide("directives", editing, "edited", directiveFields());
    if (ok) dd.close(); else document.getElementById("dir-error").textContent = notice.textContent;
  });

  // -- keyboard: j/k walk mentions and directives in text order ---------------------------------------
  function buildNav() {
    const cards = [...document.querySelectorAll("#directives .card")];
    nav = marks.map(mk => ({ el: mk, kind: "mention", start: Number(mk.dataset.start) }))
      .concat(cards.map(c => { const d = data.directives.find(x => x.id === Number(c.dataset.did)); return { el: c, kind: "directive", start: d.start - 0.5, d: d }; }))
      .sort((a, b) => a.start - b.start);
    if (idx >= nav.length) idx = nav.length - 1;
    if (idx >= 0) nav[idx].el.classList.add("current");
  }
  function itemOf(n) { return !n ? null : n.kind === "mention" ? mentionOf(n.el) : data.directives.find(x => x.id === Number(n.el.dataset.did)); }
  function focusItem(i) {
    if (!nav.length) return;
    idx = (i + nav.length) % nav.length;
    document.querySelectorAll(".current").forEach(m => m.classList.remove("current"));
    const n = nav[idx]; n.el.classList.add("current"); n.el.focus({ preventScroll: true });
    n.el.scrollIntoView({ block: "center", behavior: "smooth" });
    const it = itemOf(n);
    const what = n.kind === "mention" ? n.el.dataset.kind + " · " + (it ? summary(it.payload, it.kind) : "") : "directive · " + (it.payload.verb || "");
    say((idx + 1) + "/" + nav.length + " · " + what + (it && it.decision ? " · " + it.decision : ""));
  }
  function nextUndecided() {
    for (let s = 1; s <= nav.length; s++) {
      const i = (idx + s + nav.length) % nav.length;
      const it = itemOf(nav[i]);
      if (it && !it.decision) { focusItem(i); return true; }
    }
    say("Every item is decided."); return false;
  }
  const help = document.getElementById("help");
  document.getElementById("help-btn").addEventListener("click", () => { help.hidden = !help.hidden; });
  document.getElementById("next-undecided").addEventListener("click", nextUndecided);
  document.addEventListener("keydown", ev => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (dlg.open || dd.open || /^(INPUT|TEXTAREA|SELECT)$/.test((ev.target.tagName || ""))) return;
    const n = idx >= 0 ? nav[idx] : null, cur = itemOf(n), items = n && n.kind === "mention" ? "mentions" : "directives";
    switch (ev.key) {
      case "j": focusItem(idx + 1); break;
      case "k": focusItem(idx - 1); break;
      case "n": nextUndecided(); break;
      case "a": if (cur && canWrite) decide(items, cur, "accepted"); break;
      case "r": if (cur && canWrite) decide(items, cur, "rejected"); break;
      case "e": if (cur && canWrite) (items === "mentions" ? editMention(cur) : editDirective(cur)); break;
      case "+": if (pending && addBar) document.getElementById("add-kind").focus(); break;
      case "d": if (n && n.kind === "mention" && addBar) offerSpan(sentenceAround(Number(n.el.dataset.start)), "directive"); break;
      case "?": help.hidden = !help.hidden; break;
      case "Escape": help.hidden = true; hideAdd(); warning.hidden = true; break;
      default: return;
    }
    ev.preventDefault();
  });
  for (const mk of marks) mk.addEventListener("click", () => focusItem(nav.findIndex(n => n.el === mk)));

  // -- add a missed mention or directive by selecting text --------------------------------------------
  const addBar = document.getElementById("add-bar");
  let pending = null;
  function cpLen(s) { return Array.from(s).length; }  // offsets are code points, as in Python
  function hideAdd() { if (addBar) addBar.hidden = true; pending = null; }
  function selectionSpan() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !textEl.contains(sel.anchorNode) || !textEl.contains(sel.focusNode)) return null;
    const range = sel.getRangeAt(0);
    const pre = document.createRange(); pre.setStart(textEl, 0); pre.setEnd(range.startContainer, range.startOffset);
    const selected = range.toString();
    if (!selected.trim()) return null;
    const start = cpLen(pre.toString());
    return { start: start, end: start + cpLen(selected), text: selected };
  }
  // The sentence around a code-point offset (for "d": a directive from the keyboard, no mouse selection).
  function sentenceAround(at) {
    const cps = Array.from(data.text);
    let s = at, e = at;
    while (s > 0 && cps[s - 1] !== "\n" && !(/[.!?;]/.test(cps[s - 2] || "") && cps[s - 1] === " ")) s--;
    while (e < cps.length && cps[e] !== "\n" && !/[.!?;]/.test(cps[e])) e++;
    if (e < cps.length && cps[e] !== "\n") e++;
    return { start: s, end: e, text: cps.slice(s, e).join("") };
  }
  function offerSpan(span, kind) {
    if (!span || !addBar) return;
    pending = span;
    document.getElementById("add-text").textContent = span.text.length > 80 ? span.text.slice(0, 80) + "…" : span.text;
    document.getElementById("add-error").textContent = "";
    addBar.hidden = false;
    if (kind) { document.getElementById("add-kind").value = kind; document.getElementById("add-ok").focus(); }
  }
  if (addBar) {
    const offer = () => offerSpan(selectionSpan());
    textEl.addEventListener("mouseup", offer);
    textEl.addEventListener("keyup", ev => { if (ev.shiftKey) offer(); });
    document.getElementById("add-cancel").addEventListener("click", hideAdd);
    document.getElementById("add-ok").addEventListener("click", async () => {
      if (!pending) return;
      const kind = document.getElementById("add-kind").value;
      const isDir = kind === "directive";
      const body = isDir ? Object.assign({}, pending) : Object.assign({ kind: kind }, pending);
      const out = await send(base + (isDir ? "/directives" : "/mentions"), body, "add " + kind + " “" + pending.text + "”");
      if (!out) { document.getElementById("add-error").textContent = notice.textContent; return; }
      hideAdd();
      if (isDir) { const d = data.directives.find(x => x.id === out.directive.id); if (d) editDirective(d); }
      else location.reload();
    });
  }

  // -- mark reviewed, with a warning while items are undecided -----------------------------------
  const warning = document.getElementById("undecided-warning");
  async function markReviewed(force) {
    const open = undecidedCount();
    if (open && !force) {
      document.getElementById("undecided-text").textContent = open + " of " + (data.mentions.length + data.directives.length) +
        " items are still undecided. Mark the article reviewed anyway?";
      warning.hidden = false; document.getElementById("goto-undecided").focus();
      return;
    }
    warning.hidden = true;
    await send(base + "/status", { status: "reviewed", force: !!force }, "mark reviewed");
  }
  const mr = document.getElementById("mark-reviewed");
  if (mr) mr.addEventListener("click", () => markReviewed(false));
  document.getElementById("review-anyway").addEventListener("click", () => markReviewed(true));
  document.getElementById("goto-undecided").addEventListener("click", () => { warning.hidden = true; nextUndecided(); });
  document.getElementById("warning-cancel").addEventListener("click", () => { warning.hidden = true; });
  load();
})();
