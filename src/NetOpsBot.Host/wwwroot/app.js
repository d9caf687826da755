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

function renderCard(json) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.onExecuteAction = onAction;
  card.parse(json);
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
  if (verb === "run" || verb === "approve" || verb === "reject") {
    clickAction(data);
    return;
  }
  addBotMessage(`"${action.title}" is not an action this page knows.`);
}

async function clickAction(data) {
  const res = await post("/api/chat/actions", { user: actingUser(), data });
  const body = await res.json();
  if (!res.ok) addBotMessage(body.error || `error ${res.status}`);
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
  box = { el: el1, cardEl, threadEl, seqs: new Set() };
  incidents.set(id, box);
  const li = el("li");
  li.append(id + " ", el("span", null, device || ""));
  li.onclick = () => el1.scrollIntoView({ behavior: "smooth" });
  list.prepend(li);
  return box;
}

function showCard(id, device, card) {
  const box = incidentBox(id, device);
  box.cardEl.replaceChildren(renderCard(card));
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

function addBotMessage(text) {
  const m = el("div", "msg bot");
  m.dataset.testid = "bot-reply";
  m.append(el("span", "who", "NetOpsBot"), text);
  feed.append(m);
  feed.scrollTop = feed.scrollHeight;
}

async function loadHistory() {
  const res = await fetch("/api/incidents?limit=20");
  const body = await res.json();
  for (const i of body.incidents.reverse()) {
    showCard(i.incidentId, i.device, i.card);
    for (const line of i.thread) addThreadLine(line);
  }
}

function connect() {
  const source = new EventSource("/api/chat/stream");
  const status = document.getElementById("status");
  source.addEventListener("hello", () => { status.textContent = "connected"; });
  source.addEventListener("card", e => { const d = JSON.parse(e.data); showCard(d.incidentId, d.device, d.card); });
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
  addBotMessage(body.text || body.error || `error ${res.status}`);
});

(async () => {
  const users = await (await fetch("/api/chat/users")).json();
  signedIn = users.signedIn === true;
  for (const u of users.users) userSelect.append(new Option(u, u));
  userSelect.disabled = signedIn;
  await loadHistory();
  connect();
})();
