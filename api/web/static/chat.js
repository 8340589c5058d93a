// Trainee web chat: talks to /api/v1/chat, restores the conversation from
// /api/v1/conversations/{id}/history, and keeps the coach panel in step with the bot's
// payloads. Every piece of user or bot text is inserted with textContent, never as HTML.
"use strict";

const page = JSON.parse(document.getElementById("page-data").textContent);
const t = page.words;
const STORE = `coach-conversation-${page.user_id}`;
const TYPES = ["power", "social", "harmonious", "thinking"];
const $ = (id) => document.getElementById(id);

let conversationId = localStorage.getItem(STORE) || newConversationId();
let trail = [];
let lastTrainee = "";
let practiceStart = null;

function newConversationId() {
  const id = `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  localStorage.setItem(STORE, id);
  return id;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRF-Token": page.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 401) {
    window.location.href = `/login?next=${encodeURIComponent("/chat")}`;
    throw new Error("logged out");
  }
  return response;
}

function addMessage(role, text, buttons) {
  const item = el("li", role, text);
  if (buttons && buttons.length) {
    const row = el("div", "buttons");
    for (const button of buttons) {
      const b = el("button", "secondary", button.title);
      b.type = "button";
      b.addEventListener("click", () => send(button.payload, button.title));
      row.appendChild(b);
    }
    item.appendChild(row);
  }
  $("messages").appendChild(item);
  item.scrollIntoView({ block: "end" });
}

function showError(text) {
  $("chat-error").textContent = text;
  $("chat-error").hidden = !text;
}

async function send(message, shown) {
  showError("");
  if (message.length > 2000) {
    showError(t.too_long);
    return false;
  }
  $("send").disabled = true;
  $("typing").hidden = false;
  try {
    const response = await api("POST", "/api/v1/chat", { conversation_id: conversationId, message });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      showError(response.status === 503 ? t.unreachable : body.detail || t.unreachable);
      return false;
    }
    addTraineeLine(message, shown);
    for (const reply of (await response.json()).messages) showBot(reply);
    return true;
  } catch (error) {
    if (error.message !== "logged out") showError(t.unreachable);
    return false;
  } finally {
    $("send").disabled = false;
    $("typing").hidden = true;
  }
}

function addTraineeLine(message, shown) {
  if (message.startsWith("/")) {
    addMessage("marker", shown || message.split("{")[0].slice(1));
  } else {
    lastTrainee = message;
    addMessage("trainee", message);
  }
}

function showBot(reply) {
  if (reply.text || (reply.buttons && reply.buttons.length)) addMessage("bot", reply.text || "", reply.buttons);
  if (reply.custom) updatePanel(reply.custom);
}

function showReading(reading) {
  if (!reading || !reading.scores) return;
  const meter = $("meter");
  meter.replaceChildren();
  for (const type of TYPES) {
    const share = Math.round((reading.scores[type] || 0) * 100);
    const bar = el("div", "bar");
    bar.dataset.type = type;
    const track = el("div", "track");
    const fill = el("div", "fill");
    fill.style.width = `${share}%`;
    track.appendChild(fill);
    bar.append(el("span", "", t[type]), track, el("span", "", `${share}%`));
    meter.appendChild(bar);
  }
  if (reading.axes) {
    const x = 0.85 * reading.axes.orientation; // inside the frame even at the extremes
    const y = -0.85 * reading.axes.directness;
    trail.push(`${x.toFixed(3)},${y.toFixed(3)}`);
    $("trail").setAttribute("points", trail.join(" "));
    $("dot").setAttribute("cx", x);
    $("dot").setAttribute("cy", y);
    $("dot").setAttribute("visibility", "visible");
  }
  if (TYPES.includes(reading.customer_type)) showPlaybook(reading.customer_type);
}

async function showPlaybook(type) {
  const response = await api("GET", `/api/v1/types/${type}?lang=${page.lang}`);
  if (!response.ok) return;
  const card = await response.json();
  showAdvice(card.phrasings.map((p) => p.text).slice(0, 3), card.feedback);
}

function showAdvice(phrasings, feedback) {
  $("phrasings").replaceChildren(...phrasings.map((text) => el("li", "", text)));
  if (feedback) $("feedback").textContent = `${t.feedback_style}: ${page.feedback_names[feedback.style] || feedback.style} — ${feedback.how}`;
}

function showFlags(text, analysis) {
  const box = $("last-reply");
  box.replaceChildren();
  $("flag-detail").textContent = "";
  const flags = (analysis.flags || []).filter((f) => f.start >= 0 && f.end <= text.length).sort((a, b) => a.start - b.start);
  let position = 0;
  for (const flag of flags) {
    if (flag.start < position) continue;
    box.appendChild(document.createTextNode(text.slice(position, flag.start)));
    const mark = el("mark", flag.severity === "good" ? "good" : "", text.slice(flag.start, flag.end));
    mark.title = flag.better ? `${flag.explanation}\n${t.better}: ${flag.better}` : flag.explanation;
    mark.tabIndex = 0;
    mark.addEventListener("click", () => { $("flag-detail").textContent = mark.title; }); // tap on phones
    box.appendChild(mark);
    position = flag.end;
  }
  box.appendChild(document.createTextNode(text.slice(position)));
  $("flags").replaceChildren(
    ...(analysis.flags || []).map((flag) => {
      const item = el("li", flag.severity === "good" ? "good" : "", flag.severity === "good" ? `${t.good_move}: ${flag.explanation}` : flag.explanation);
      if (flag.better) item.appendChild(el("div", "", `${t.better}: ${flag.better}`));
      return item;
    }),
  );
}

function showMood(level) {
  $("mood-box").hidden = false;
  const names = t.mood_levels.split("|");
  const mood = $("mood");
  mood.replaceChildren();
  for (let i = 0; i < 5; i += 1) {
    const cell = el("span", i <= level ? `on${level <= 1 ? " low" : ""}` : "");
    mood.appendChild(cell);
  }
  mood.appendChild(el("em", "", names[level] || ""));
  mood.dataset.level = level;
}

function showScorecard(card) {
  const body = $("scorecard-body");
  body.replaceChildren(el("p", "score", `${t.score}: ${card.score}/100`));
  if (TYPES.includes(card.customer_type)) body.appendChild(el("p", "", `${t.customer_type}: ${t[card.customer_type]}`));
  if (card.improvements && card.improvements.length) {
    body.appendChild(el("h4", "", t.improvements));
    const list = el("ol");
    for (const item of card.improvements) {
      const entry = el("li", "", item.said ? `“${item.said}”` : item.code);
      if (item.why) entry.appendChild(el("div", "", item.why));
      if (item.better) entry.appendChild(el("div", "", `${t.better}: ${item.better}`));
      list.appendChild(entry);
    }
    body.appendChild(list);
  }
  $("scorecard").hidden = false;
}

function updatePanel(payload) {
  switch (payload.kind) {
    case "coaching_card":
      showReading(payload);
      if (payload.phrasings) showAdvice(payload.phrasings, payload.feedback);
      break;
    case "type_tips":
      showAdvice(payload.phrasings.map((p) => p.text || p).slice(0, 3), payload.feedback);
      break;
    case "reply_review":
      showFlags(lastTrainee, payload);
      break;
    case "practice_start":
      practiceStart = payload;
      trail = [];
      $("scorecard").hidden = true;
      $("trail").setAttribute("points", "");
      showMood(0);
      break;
    case "practice_turn":
      showMood(payload.mood);
      if (payload.analysis) showFlags(lastTrainee, payload.analysis);
      else if (payload.exam) $("flags").replaceChildren(el("li", "", t.hidden_until_end));
      if (payload.reading) showReading(payload.reading);
      break;
    case "practice_scorecard":
      showScorecard(payload);
      break;
    default:
      break;
  }
}

async function restore() {
  const response = await api("GET", `/api/v1/conversations/${conversationId}/history`);
  if (response.status === 404) return;
  if (!response.ok) {
    showError(t.unreachable);
    return;
  }
  for (const item of (await response.json()).messages) {
    if (item.role === "trainee") addTraineeLine(item.text || "");
    else showBot(item);
  }
}

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("message").value.trim();
  if (!text) return;
  if (await send(text)) $("message").value = "";
});

$("message").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});

$("practice-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const options = { language: page.lang, exam: form.get("exam") === "on", difficulty: form.get("difficulty") };
  for (const key of ["scenario", "customer_type"]) if (form.get(key)) options[key] = form.get(key);
  send(`/start_practice${JSON.stringify(options)}`, t.start);
  $("practice-setup").open = false;
});

$("retake").addEventListener("click", () => send(page.lang === "zh" ? "再练一次" : "retake"));

$("new-conversation").addEventListener("click", () => {
  conversationId = newConversationId();
  trail = [];
  $("messages").replaceChildren();
  $("scorecard").hidden = true;
  $("mood-box").hidden = true;
});

restore();
