// Trainee web chat: talks to /api/v1/chat, restores the conversation from
// /api/v1/conversations/{id}/history, and draws the coach panel from the bot's own payloads
// (never from a second source, so the panel and the chat bubble say the same). Labels come in
// the page's language (page.words); coaching content comes in the conversation's language,
// inside the payloads. Every piece of user or bot text is inserted with textContent.
"use strict";

const page = JSON.parse(document.getElementById("page-data").textContent);
const t = page.words;
const STORE = `coach-conversation-${page.user_id}`;
const $ = (id) => document.getElementById(id);

// The id is remembered once the bot has answered in it, so a reload only asks for a history
// that exists.
const storedConversation = localStorage.getItem(STORE);
let conversationId = storedConversation || newConversationId();
let trail = [];

function newConversationId() {
  return `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
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
    headers: {
      "Content-Type": "application/json",
      "X-CSRF-Token": page.csrf,
      "Accept-Language": page.lang,
    },
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
      // A question's buttons answer it once: after the answer lands they are spent.
      b.addEventListener("click", async () => {
        if (await send(button.payload, button.title)) {
          for (const spent of row.querySelectorAll("button")) spent.disabled = true;
        }
      });
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

// The server says what happened to the message (not processed, waiting, or in progress);
// only when it could not be reached at all does the page use its own words.
async function errorText(response) {
  const body = await response.json().catch(() => ({}));
  return body && typeof body.detail === "string" && body.detail ? body.detail : t.unreachable;
}

// Each message gets its own id; a retry sends the same id, so the server answers it once and
// never handles it twice. A busy or unreachable coach is retried with back-off while the
// trainee sees that the message is waiting (the typed text stays in the box until it lands).
const RETRY_DELAYS = [1, 2, 4, 8, 15, 30];

function newMessageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function retryDelay(response, attempt) {
  const asked = Number(response && response.headers.get("Retry-After"));
  return Math.min(60, asked > 0 ? asked : RETRY_DELAYS[attempt]);
}

function showWaiting(text) {
  $("chat-status").textContent = text;
  $("chat-status").hidden = !text;
}

// One message at a time: a second Enter or click while one is on its way is refused, not
// sent as another turn.
let sending = false;

async function send(message, shown) {
  if (sending) {
    showError(t.still_sending);
    return false;
  }
  showError("");
  if (message.length > page.limits.message) {
    showError(t.too_long);
    return false;
  }
  sending = true;
  $("send").disabled = true;
  $("check-reply").disabled = true;
  $("typing").hidden = false;
  const body = { conversation_id: conversationId, message, message_id: newMessageId() };
  try {
    for (let attempt = 0; ; attempt += 1) {
      let response = null;
      try {
        response = await api("POST", "/api/v1/chat", body);
      } catch (error) {
        if (error.message === "logged out") return false;
      }
      if (response && response.ok) {
        localStorage.setItem(STORE, conversationId);
        addTraineeLine(message, shown);
        for (const reply of (await response.json()).messages) showBot(reply);
        return true;
      }
      const retriable = !response || response.status === 503;
      const detail = response ? await errorText(response) : t.unreachable;
      if (!retriable || attempt >= RETRY_DELAYS.length) {
        showError(detail);
        return false;
      }
      const seconds = retryDelay(response, attempt);
      showWaiting(`${detail} ${t.retrying.replace("{seconds}", seconds)}`);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  } finally {
    sending = false;
    if ($("chat-error").textContent === t.still_sending) showError("");
    showWaiting("");
    $("send").disabled = false;
    $("check-reply").disabled = false;
    $("typing").hidden = true;
  }
}

// A button or form payload ("/start_practice{…}") is shown by what it does, never as raw
// text; a draft sent for checking is shown as the trainee wrote it.
function addTraineeLine(message, shown) {
  if (!message.startsWith("/")) {
    addMessage("trainee", message);
    return;
  }
  const intent = message.slice(1).split("{")[0];
  const draft = intent === "submit_reply" ? payloadEntity(message, "draft") : null;
  if (draft) addMessage("trainee draft", `${t.marker_submit_reply}: ${draft}`);
  else addMessage("marker", shown || t[`marker_${intent}`] || t.marker_action);
}

function payloadEntity(message, name) {
  try {
    return JSON.parse(message.slice(message.indexOf("{")))[name] || null;
  } catch (error) {
    return null;
  }
}

function showBot(reply) {
  if (reply.text || (reply.buttons && reply.buttons.length)) addMessage("bot", reply.text || "", reply.buttons);
  if (reply.custom) updatePanel(reply.custom);
}

function showReading(reading) {
  const meter = $("meter");
  meter.replaceChildren();
  for (const type of page.types) {
    const share = Math.min(99, Math.round((reading.scores[type] || 0) * 100)); // as the card says it
    const bar = el("div", "bar");
    bar.dataset.type = type;
    const track = el("div", "track");
    const fill = el("div", "fill");
    fill.style.width = `${share}%`;
    track.appendChild(fill);
    bar.append(el("span", "", t[type]), track, el("span", "share", `${share}%`));
    meter.appendChild(bar);
  }
  const x = 0.85 * reading.axes.orientation; // inside the frame even at the extremes
  const y = -0.85 * reading.axes.directness;
  trail.push(`${x.toFixed(3)},${y.toFixed(3)}`);
  $("trail").setAttribute("points", trail.join(" "));
  $("dot").setAttribute("cx", x);
  $("dot").setAttribute("cy", y);
  $("dot").setAttribute("visibility", "visible");
}

function showAdvice(phrasings, feedback) {
  $("phrasings").replaceChildren(...(phrasings || []).map((text) => el("li", "", text)));
  $("feedback").textContent = feedback ? `${t.feedback_style}: ${t[`feedback_${feedback.style}`]} — ${feedback.how}` : "";
}

// The analysed text is the payload's own `reply`, so the spans always point into what is shown.
function showFlags(analysis) {
  const text = analysis.reply || "";
  const box = $("last-reply");
  box.replaceChildren();
  $("flag-detail").textContent = "";
  const flags = (analysis.flags || []).filter((f) => f.start >= 0 && f.end <= text.length).sort((a, b) => a.start - b.start);
  let position = 0;
  for (const flag of flags) {
    if (flag.start < position) continue;
    box.appendChild(document.createTextNode(text.slice(position, flag.start)));
    const mark = el("mark", flag.severity, text.slice(flag.start, flag.end));
    mark.dataset.code = flag.code;
    mark.title = flag.better ? `${flag.explanation}\n${t.better}: ${flag.better}` : flag.explanation;
    mark.tabIndex = 0;
    mark.addEventListener("click", () => { $("flag-detail").textContent = mark.title; }); // tap on phones
    box.appendChild(mark);
    position = flag.end;
  }
  box.appendChild(document.createTextNode(text.slice(position)));
  $("flags").replaceChildren(
    ...(analysis.flags || []).map((flag) => {
      const label = flag.severity === "good" ? t.good_move : flag.severity === "tip" ? t.tip : t.avoid;
      const item = el("li", flag.severity, `${label}: ${flag.explanation}`);
      if (flag.better) item.appendChild(el("div", "", `${t.better}: ${flag.better}`));
      return item;
    }),
  );
}

// What the trainee can observe while the type is hidden: the customer's own cue words.
function showCues(cues) {
  $("cues-box").hidden = !cues || !cues.length;
  $("cues").textContent = (cues || []).map((cue) => `“${cue}”`).join(page.lang === "zh" ? "、" : ", ");
}

// Once the type is known: each of this customer's needs, met (with the trainee's words) or not.
function showNeeds(needs) {
  $("needs-box").hidden = !needs;
  $("needs").replaceChildren(
    ...(needs || []).map((need) => el("li", need.met ? "met" : "open", need.met ? `✓ ${need.name}: “${need.said}”` : `○ ${need.name} (${t.need_open})`)),
  );
}

function showMood(level) {
  $("mood-box").hidden = false;
  const mood = $("mood");
  mood.replaceChildren();
  for (let i = 0; i < page.moods.length - 1; i += 1) {
    mood.appendChild(el("span", i <= level ? `on${level <= 1 ? " low" : ""}` : ""));
  }
  const name = page.moods[level] || "";
  mood.appendChild(el("em", "", name.charAt(0).toUpperCase() + name.slice(1)));  // a label, not mid-sentence
  mood.dataset.level = level;
}

function showScorecard(card) {
  const body = $("scorecard-body");
  body.replaceChildren(el("p", "score", `${t.score}: ${card.score}/100`));
  if (page.types.includes(card.customer_type)) body.appendChild(el("p", "", `${t.customer_type}: ${t[card.customer_type]}`));
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

// Everything the panel shows goes back to how a new page looks.
function resetPanel() {
  trail = [];
  $("meter").replaceChildren();
  $("trail").setAttribute("points", "");
  $("dot").setAttribute("visibility", "hidden");
  $("last-reply").textContent = t.no_reply_yet;
  $("flag-detail").textContent = "";
  $("flags").replaceChildren();
  showAdvice([], null);
  $("mood").replaceChildren();
  $("mood-box").hidden = true;
  showCues([]);
  showNeeds(null);
  $("scorecard-body").replaceChildren();
  $("scorecard").hidden = true;
}

function updatePanel(payload) {
  switch (payload.kind) {
    case "coaching_card":
      showReading(payload);
      showAdvice(payload.phrasings, payload.feedback);
      break;
    case "type_tips":
      showAdvice(payload.phrasings.map((p) => p.text), payload.feedback);
      break;
    case "reply_review":
      showFlags(payload);
      break;
    case "practice_start":
      resetPanel();
      $("mode-hint").hidden = true; // the coach-mode hint is not what practice asks for
      showMood(0);
      break;
    case "practice_turn":
      showMood(payload.mood);
      if (payload.analysis) showFlags(payload.analysis);
      else if (payload.exam) $("flags").replaceChildren(el("li", "", t.hidden_until_end));
      if (payload.reading) showReading(payload.reading);
      showCues(payload.cues);
      showNeeds(payload.needs);
      if (payload.phrasings) showAdvice(payload.phrasings, null);
      break;
    case "start_over":
      resetPanel();
      $("mode-hint").hidden = false;
      break;
    case "practice_scorecard":
      // An exam's "shown at the end" notice gives way to the scorecard that shows it.
      if (payload.exam) $("flags").replaceChildren();
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
    showError(await errorText(response));
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
  if (!text) {
    showError(t.empty);
    return;
  }
  if (await send(text)) $("message").value = "";
});

// A paste longer than the limit stays whole in the box (nothing is cut silently); the
// trainee is told at once, and send() refuses it until it is shortened.
$("message").addEventListener("input", () => {
  const over = $("message").value.length > page.limits.message;
  if (over) showError(t.too_long);
  else if ($("chat-error").textContent === t.too_long) showError("");
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

// The text in the box is the trainee's own reply: check it, never read it as a customer line.
$("check-reply").addEventListener("click", async () => {
  const text = $("message").value.trim();
  if (!text) {
    showError(t.empty);
    return;
  }
  if (await send(`/submit_reply${JSON.stringify({ draft: text })}`)) $("message").value = "";
});

$("retake").addEventListener("click", () => send(page.lang === "zh" ? "再练一次" : "retake"));

$("new-conversation").addEventListener("click", () => {
  conversationId = newConversationId();
  localStorage.removeItem(STORE);
  $("messages").replaceChildren();
  showError("");
  resetPanel();
  $("mode-hint").hidden = false;
});

// On a phone the chat and the coach panel are two tabs: the typed reply stays in the box
// while the trainee looks at the panel, and the panel tab says when it has news.
function showTab(panel) {
  $("chat-layout").classList.toggle("show-panel", panel);
  $("tab-chat").setAttribute("aria-selected", String(!panel));
  $("tab-panel").setAttribute("aria-selected", String(panel));
  if (panel) $("tab-panel").classList.remove("news");
}

$("tab-chat").addEventListener("click", () => showTab(false));
$("tab-panel").addEventListener("click", () => showTab(true));
new MutationObserver(() => {
  if (!$("chat-layout").classList.contains("show-panel")) $("tab-panel").classList.add("news");
}).observe($("coach-panel"), { childList: true, subtree: true, characterData: true });

if (storedConversation) restore();
