// Editor desk review page: keyboard-first review of mentions and directives.
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
  const conflict = document.getElementById("conflict");
  let data = null, version = Number(root.dataset.version), idx = -1;
  const marks = Array.from(textEl.querySelectorAll("mark"));
  const base = "/articles/" + encodeURIComponent(articleId);

  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const k of kids) e.append(k);
    return e;
  }
  function say(msg, bad) { notice.textContent = msg; notice.classList.toggle("bad", !!bad); }
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
    const byKey = new Map(a.mentions.map(m => [m.kind + ":" + m.start + ":" + m.end, m]));
    for (const mk of marks) {
      const m = byKey.get(mk.dataset.kind + ":" + mk.dataset.start + ":" + mk.dataset.end);
      mk.dataset.mid = m ? m.id : "";
      mk.classList.remove("dec-accepted", "dec-rejected", "dec-edited");
      if (m && m.decision) mk.classList.add("dec-" + m.decision);
      mk.tabIndex = -1;
    }
    renderMentions(); renderDirectives(); renderAudit();
  }
  function renderMentions() {
    const ol = document.getElementById("mentions"); ol.replaceChildren();
    for (const m of data.mentions) {
      const li = el("li", { className: "dec-" + (m.decision || "open") });
      li.append(el("span", { className: "kind", textContent: m.kind }), " ", el("q", { textContent: m.text }), " ",
        el("small", { textContent: summary(m.payload, m.kind) + " · " + m.source + (m.decision ? " · " + m.decision : "") }));
      if (canWrite) li.append(" ", buttons(d => decideMention(m, d), () => editMention(m)));
      ol.append(li);
    }
  }
  function summary(p, kind) {
    if (kind === "agencies") return (p.canonical || p.name) + " · " + p.role;
    return String(p.id || p.value || p.number || "");
  }
  function buttons(decide, edit) {
    return el("span", { className: "btns" },
      el("button", { type: "button", textContent: "accept", onclick: () => decide("accepted") }),
      el("button", { type: "button", textContent: "reject", onclick: () => decide("rejected") }),
      el("button", { type: "button", textContent: "edit", onclick: edit }));
  }
  function renderDirectives() {
    const box = document.getElementById("directives"); box.replaceChildren();
    if (!data.directives.length) box.append(el("p", { className: "empty", textContent: "No directives found." }));
    for (const d of data.directives) {
      const p = d.payload;
      const card = el("section", { className: "card dec-" + (d.decision || "open") });
      card.dataset.did = d.id;
      card.append(el("p", { className: "verb", textContent: (p.verb || "(no verb)") + (p.deadline ? " · by " + p.deadline : "") }));
      card.append(el("blockquote", { textContent: d.text.length > 300 ? d.text.slice(0, 300) + "…" : d.text }));
      const ul = el("ul", { className: "agencies" });
      for (const ag of p.agencies || []) ul.append(el("li", { textContent: (ag.canonical || ag.name) + " — " + ag.role }));
      card.append(ul);
      if ((p.document_refs || []).length) card.append(el("p", { className: "refs", textContent: "Documents: " + p.document_refs.join(", ") }));
      card.append(el("p", { className: "src", textContent: d.source + (d.decision ? " · " + d.decision : "") }));
      if (canWrite) card.append(buttons(dec => send(base + "/directives/" + d.id, { decision: dec }, dec + " directive"), () => editDirective(d)));
      box.append(card);
    }
  }
  function renderAudit() {
    const ol = document.getElementById("audit"); ol.replaceChildren();
    for (const r of data.audit || []) ol.append(el("li", { textContent: (r.at || "").slice(0, 19).replace("T", " ") + " " + r.who + " " + r.action + " " + r.object }));
  }

  // -- saving -------------------------------------------------------------------------------
  async function send(url, body, what) {
    const payload = Object.assign({}, body, { version: version });
    const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(payload) });
    const out = await r.json().catch(() => ({ detail: "HTTP " + r.status }));
    if (r.status === 409) { showConflict(out, url, body, what); return false; }
    if (!r.ok) { say(what + ": " + (out.detail || r.status), true); return false; }
    conflict.hidden = true; say("Saved: " + what);
    await load();
    return true;
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
  }
  function decideMention(m, decision, fields) {
    const body = { decision: decision }; if (fields) body.fields = fields;
    return send(base + "/mentions/" + m.id, body, decision + " " + m.kind + " “" + m.text + "”");
  }

  // -- edit dialog ------------------------------------------------------------------------------
  const dlg = document.getElementById("edit");
  function openDialog(title, fields, onSave) {
    document.getElementById("edit-title").textContent = title;
    const box = document.getElementById("edit-fields"); box.replaceChildren();
    for (const [name, value, multi] of fields) {
      const input = multi ? el("textarea", { name: name, rows: 4 }) : el("input", { name: name });
      input.value = value == null ? "" : (typeof value === "object" ? JSON.stringify(value) : String(value));
      box.append(el("label", {}, name + " ", input));
    }
    document.getElementById("edit-error").textContent = "";
    dlg.onsubmitHandler = onSave;
    dlg.showModal();
    const first = box.querySelector("input,textarea"); if (first) first.focus();
  }
  document.getElementById("edit-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    const vals = {};
    for (const i of document.getElementById("edit-fields").querySelectorAll("input,textarea")) vals[i.name] = i.value;
    const ok = await dlg.onsubmitHandler(vals);
    if (ok) dlg.close(); else document.getElementById("edit-error").textContent = notice.textContent;
  });
  document.getElementById("edit-cancel").addEventListener("click", () => dlg.close());
  function parse(v) {
    v = v.trim(); if (v === "") return null;
    if (/^[\[\-\d]/.test(v)) { try { return JSON.parse(v); } catch (e) { return v; } }
    if (v === "true" || v === "false") return v === "true";
    return v;
  }
  function editMention(m) {
    const names = (data.fields[m.kind] || []);
    openDialog("Edit " + m.kind + ": " + m.text, names.map(n => [n, m.payload[n]]), vals => {
      const fields = {}; for (const n of names) fields[n] = parse(vals[n]);
      return decideMention(m, "edited", fields);
    });
  }
  function editDirective(d) {
    const p = d.payload;
    const lines = (p.agencies || []).map(a => [a.name, a.role, a.canonical || ""].join(" | ")).join("\n");
    openDialog("Edit directive", [["verb", p.verb], ["deadline", p.deadline], ["agencies (name | role | canonical, one per line)", lines, true]], vals => {
      const agencies = vals["agencies (name | role | canonical, one per line)"].split("\n").map(s => s.trim()).filter(Boolean).map(s => {
        const [name, role, canonical] = s.split("|").map(x => (x || "").trim());
        const old = (p.agencies || []).find(a => a.name === name) || {};
        return { name: name, role: role || "mentioned", canonical: canonical || null, start: old.start ?? null, end: old.end ?? null };
      });
      return send(base + "/directives/" + d.id, { decision: "edited", fields: { verb: parse(vals.verb), deadline: parse(vals.deadline), agencies: agencies } }, "edit directive");
    });
  }

  // -- keyboard ----------------------------------------------------------------------------------
  function focusMark(i) {
    if (!marks.length) return;
    idx = (i + marks.length) % marks.length;
    marks.forEach(m => m.classList.remove("current"));
    const mk = marks[idx]; mk.classList.add("current"); mk.focus({ preventScroll: true });
    mk.scrollIntoView({ block: "center", behavior: "smooth" });
    const m = mentionOf(mk);
    say((idx + 1) + "/" + marks.length + " · " + mk.dataset.kind + " · " + (m ? summary(m.payload, m.kind) + (m.decision ? " · " + m.decision : "") : ""));
  }
  const help = document.getElementById("help");
  document.getElementById("help-btn").addEventListener("click", () => { help.hidden = !help.hidden; });
  document.addEventListener("keydown", ev => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (dlg.open || /^(INPUT|TEXTAREA|SELECT)$/.test((ev.target.tagName || ""))) return;
    const cur = idx >= 0 ? mentionOf(marks[idx]) : null;
    switch (ev.key) {
      case "j": focusMark(idx + 1); break;
      case "k": focusMark(idx - 1); break;
      case "a": if (cur && canWrite) decideMention(cur, "accepted"); break;
      case "r": if (cur && canWrite) decideMention(cur, "rejected"); break;
      case "e": if (cur && canWrite) editMention(cur); break;
      case "?": help.hidden = !help.hidden; break;
      case "Escape": help.hidden = true; hideAdd(); break;
      default: return;
    }
    ev.preventDefault();
  });
  for (const [i, mk] of marks.entries()) mk.addEventListener("click", () => focusMark(i));

  // -- add a missed mention by selecting text -----------------------------------------------------
  const addBar = document.getElementById("add-bar");
  let pending = null;
  function cpLen(s) { return Array.from(s).length; }  // offsets are code points, as in Python
  function hideAdd() { if (addBar) addBar.hidden = true; pending = null; }
  if (addBar) {
    textEl.addEventListener("mouseup", () => {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !textEl.contains(sel.anchorNode) || !textEl.contains(sel.focusNode)) return;
      const range = sel.getRangeAt(0);
      const pre = document.createRange(); pre.setStart(textEl, 0); pre.setEnd(range.startContainer, range.startOffset);
      const selected = range.toString();
      if (!selected.trim()) return;
      const start = cpLen(pre.toString());
      pending = { start: start, end: start + cpLen(selected), text: selected };
      document.getElementById("add-text").textContent = selected;
      addBar.hidden = false;
    });
    document.getElementById("add-cancel").addEventListener("click", hideAdd);
    document.getElementById("add-ok").addEventListener("click", async () => {
      if (!pending) return;
      const body = Object.assign({ kind: document.getElementById("add-kind").value }, pending);
      if (await send(base + "/mentions", body, "add " + body.kind + " “" + body.text + "”")) { hideAdd(); location.reload(); }
    });
  }
  const mr = document.getElementById("mark-reviewed");
  if (mr) mr.addEventListener("click", () => send(base + "/status", { status: "reviewed" }, "mark reviewed"));
  load();
})();
