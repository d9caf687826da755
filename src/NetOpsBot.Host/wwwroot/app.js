"use strict";
// The local web chat: a channel feed where each incident is one Adaptive Card (rendered by the
// official renderer) that updates in place, with its timeline as thread replies underneath.
const feed = document.getElementById("feed");
const userSelect = document.getElementById("user");
const list = document.getElementById("incidents");
const incidents = new Map(); // incidentId -> { el, cardEl, threadEl, seqs:Set }
// Every state change carries JSON and this header: a cross-site form can send neither without a CORS preflight,
// which the host never grants.
const postHeaders = { "content-type": "application/json", "x-netopsbot-webchat": "1" };
let signedIn = false;

async function post(url, body) {
  const res = await fetch(url, { method: "POST", headers: postHeaders, body: JSON.stringify(body) });
  if (res.status === 401 && signedIn) { location.reload(); } // the sign-in expired: the page goes through sign-in again
  return res;
}

// Demo users: the picked name acts. Signed in: the server takes the signed-in person; the page sends no name.
function actingUser() { return signedIn ? undefined : userSelect.value; }

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Teams renders card markdown; do the same here, with raw HTML off so card text cannot inject markup.
const md = window.markdownit({ html: false, linkify: false });
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  // markdown-it ends every block with a newline, which the pre-wrap text blocks would show as a blank line.
  result.outputHtml = md.render(text).replace(/(<\/(?:p|li|ul|ol)>)\n/g, "$1");
  result.didProcess = true;
};

// Who this page acts as, "webchat:<id>" like a request's requester; the cards' per-person buttons depend on it.
let me = null;
let approvers = new Set();
function myKey() { return signedIn ? me : `webchat:${userSelect.value}`; }

// One card goes to every page; each page shows its person's buttons: the requester of a pending fix gets Withdraw
// and no Approve/Reject, an approver Approve/Reject, everyone else neither. Display only: the server judges every click.
function forViewer(node, key) {
  if (Array.isArray(node)) return node.map(n => forViewer(n, key));
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "actions" && Array.isArray(v)) out[k] = v.filter(a => shows(a, key)).map(a => forViewer(a, key));
    else out[k] = forViewer(v, key);
  }
  if (out.type === "ActionSet" && Array.isArray(out.actions) && out.actions.length === 0) out.isVisible = false;
  return out;
}
function shows(action, key) {
  const data = action && action.data;
  if (!data || data.requester === undefined) return true;
  const mine = data.requester === key;
  if (data.verb === "withdraw") return mine;
  if (data.verb === "approve" || data.verb === "reject") return !mine && approvers.has(key);
  return true;
}

function renderCard(json) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.onExecuteAction = onAction;
  card.parse(forViewer(json, myKey()));
  return card.render();
}

function onAction(action) {
  // Details and confirmation panels open inside the card: the renderer already did it.
  if (action instanceof AdaptiveCards.ToggleVisibilityAction || action instanceof AdaptiveCards.ShowCardAction) return;
  const data = action.data || {};
  const verb = action.verb || data.verb;
  if (verb === "show-output" && data.incidentId && data.stepId) {
    window.open(`/api/incidents/${encodeURIComponent(data.incidentId)}/steps/${encodeURIComponent(data.stepId)}/output`, "_blank");
    return;
  }
  if (action.url) { window.open(action.url, "_blank"); return; }
  if (verb === "run" || verb === "approve" || verb === "reject" || verb === "withdraw") {
    clickAction(data);
    return;
  }
  addBotMessage(`"${action.title}" is not an action this page knows.`);
}

async function clickAction(data) {
  const res = await post("/api/chat/actions", { user: actingUser(), data });
  const body = await res.json();
  if (!res.ok) addBotMessage(body.error || `error ${res.status}`);
  else if (body.onlyYou) addBotMessage(body.text, null, true); // for this person only: no other page gets it
}

function incidentBox(id, device) {
  let box = incidents.get(id);
  if (box) return box;
  const el1 = el("div", "incident");
  el1.dataset.incidentId = id;
  el1.dataset.testid = "incident";
  const meta = el("div", "meta");
  const link = el("a", null, "export postmortem");
  link.href = `/api/incidents/${encodeURIComponent(id)}/export`;
  link.dataset.testid = "export";
  meta.append(`${id} · ${device || ""} · `, link);
  const cardEl = el("div", "card");
  cardEl.dataset.testid = "card";
  const threadEl = el("div", "thread");
  threadEl.dataset.testid = "thread";
  el1.append(meta, cardEl, threadEl);
  feed.append(el1);
  box = { el: el1, cardEl, threadEl, seqs: new Set(), li: listItem(id, el1) };
  incidents.set(id, box);
  return box;
}

// The incident list: device, state, root cause and age, one readable block per incident (also at 420 px).
function listItem(id, target) {
  const li = el("li");
  li.dataset.testid = "incident-item";
  li.title = id;
  const top = el("div", "top");
  top.append(el("span", "device"), el("span", "state"));
  li.append(top, el("div", "cause"), el("div", "age"));
  li.onclick = () => target.scrollIntoView({ behavior: "smooth" });
  list.prepend(li);
  return li;
}

function updateListItem(box, info) {
  const li = box.li;
  if (info.device) li.querySelector(".device").textContent = info.device;
  if (info.state) {
    const s = li.querySelector(".state");
    s.textContent = info.state;
    s.dataset.state = info.state;
  }
  if (Array.isArray(info.causes)) li.querySelector(".cause").textContent = info.causes.length ? info.causes.join(" + ") : "cause not known yet";
  if (info.createdAt) li.dataset.createdAt = info.createdAt;
  renderAge(li);
}

function renderAge(li) {
  const created = Date.parse(li.dataset.createdAt || "");
  if (Number.isNaN(created)) return;
  const s = Math.max(0, Math.round((Date.now() - created) / 1000));
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : s < 172800 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 86400)} d`;
  li.querySelector(".age").textContent = `opened ${text} ago`;
}

setInterval(() => { for (const box of incidents.values()) renderAge(box.li); }, 15000);

function showCard(id, device, card, info) {
  const box = incidentBox(id, device);
  box.card = card;
  box.cardEl.replaceChildren(renderCard(card));
  updateListItem(box, Object.assign({ device }, info || {}));
  // Answer first: the card's top (headline, verdict, next button) stays in view, not the feed's bottom.
  feed.scrollTop = Math.max(0, box.el.offsetTop - feed.offsetTop - 8);
}

function addThreadLine(line) {
  const box = incidentBox(line.incidentId);
  if (box.seqs.has(line.sequence)) return;
  box.seqs.add(line.sequence);
  const row = el("div");
  row.append(el("span", "seq", `#${line.sequence}`), `${new Date(line.at).toLocaleTimeString()} ${line.actor}: ${line.text}`);
  box.threadEl.append(row);
  box.threadEl.scrollTop = box.threadEl.scrollHeight;
}

function addUserMessage(user, text) {
  const m = el("div", "msg user");
  m.append(el("span", "who", user), text);
  feed.append(m);
}

function addBotMessage(text, joinedIncidentId, onlyYou) {
  const m = el("div", onlyYou ? "msg bot only-you" : "msg bot");
  m.dataset.testid = "bot-reply";
  if (onlyYou) m.dataset.onlyYou = "true";
  m.append(el("span", "who", onlyYou ? "NetOpsBot (only you can see this)" : "NetOpsBot"), text);
  const box = joinedIncidentId && incidents.get(joinedIncidentId);
  if (box) {
    // Joined an open incident: the link goes to its card on this page.
    const a = el("a", null, ` Go to ${joinedIncidentId}`);
    a.href = `#${joinedIncidentId}`;
    a.dataset.testid = "joined-link";
    a.onclick = ev => { ev.preventDefault(); box.el.scrollIntoView({ behavior: "smooth" }); };
    m.append(a);
  }
  feed.append(m);
  feed.scrollTop = feed.scrollHeight;
}

async function loadHistory() {
  const res = await fetch("/api/incidents?limit=20");
  const body = await res.json();
  for (const i of body.incidents.reverse()) {
    showCard(i.incidentId, i.device, i.card, { state: i.state, causes: i.causes, createdAt: i.createdAt });
    for (const line of (i.lines || i.thread)) addThreadLine(line);
  }
}

function connect() {
  const source = new EventSource("/api/chat/stream");
  const status = document.getElementById("status");
  source.addEventListener("hello", () => { status.textContent = "connected"; });
  source.addEventListener("card", e => { const d = JSON.parse(e.data); showCard(d.incidentId, d.device, d.card, d); });
  source.addEventListener("thread", e => addThreadLine(JSON.parse(e.data)));
  source.addEventListener("message", e => { const d = JSON.parse(e.data); if (!pending.has(d.id)) addUserMessage(d.user, d.text); });
  source.addEventListener("reply", e => { const d = JSON.parse(e.data); if (!pending.has(d.replyTo)) addBotMessage(d.text); });
  source.onerror = () => { status.textContent = "reconnecting…"; };
}

const pending = new Set();
document.getElementById("composer").addEventListener("submit", async ev => {
  ev.preventDefault();
  const input = document.getElementById("text");
  const text = input.value;
  if (!text.trim()) return;
  input.value = "";
  const id = crypto.randomUUID().replaceAll("-", "");
  pending.add(id);
  addUserMessage(userSelect.value, text.length > 2000 ? text.slice(0, 2000) + "…" : text);
  const res = await post("/api/chat/messages", { user: actingUser(), text, clientMessageId: id });
  const body = await res.json();
  addBotMessage(body.text || body.error || `error ${res.status}`, body.joined ? body.incidentId : null);
});

(async () => {
  const users = await (await fetch("/api/chat/users")).json();
  signedIn = users.signedIn === true;
  me = users.me || null;
  approvers = new Set(users.approvers || []);
  if (users.command) document.getElementById("text").placeholder = `${users.command} <device>`;
  // Another demo user sees other buttons: redraw every card for them.
  userSelect.addEventListener("change", () => { for (const box of incidents.values()) if (box.card) box.cardEl.replaceChildren(renderCard(box.card)); });
  for (const u of users.users) userSelect.append(new Option(u, u));
  userSelect.disabled = signedIn;
  await loadHistory();
  connect();
})();
