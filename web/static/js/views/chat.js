// The chat panel: one persistent conversation, streamed over the WebSocket.
import { api } from "../api.js";
import { confirmChips } from "../chips.js";
import { toolChip } from "../components/toolchip.js";
import { h } from "../dom.js";
import { icon } from "../icons.js";
import { invalidate } from "../store.js";
import { initialState, reduce } from "../turns.js";
import { setupVoice } from "../voice.js";

let counter = 0;
const newId = () => `c${Date.now().toString(36)}${(counter++).toString(36)}`;

export function createChat(panel, socket) {
  const log = h("ol", { class: "chat-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", testid: "chat-log" });
  const input = h("textarea", {
    class: "chat-input", rows: 1, name: "text", required: true, maxlength: 4000,
    placeholder: "e.g. I spent 12.50 on lunch", "aria-label": "Message", testid: "chat-input",
  });
  // Voice: the slot for the microphone button (the voice feature wires it up and unhides it).
  const mic = h("button", { type: "button", class: "btn icon mic", hidden: true, "aria-label": "Speak a message", testid: "mic" }, icon("mic"));
  const sendBtn = h("button", { type: "submit", class: "btn primary", testid: "chat-send" }, "Send");
  const form = h("form", { class: "chat-form", testid: "chat-form" }, input, mic, sendBtn);
  const empty = h("li", { class: "chat-empty" },
    "Tell me what you spent or earned, ask what renews this month, or whether you can afford something.");
  log.append(empty);
  panel.replaceChildren(h("h2", { class: "chat-title" }, "Assistant"), log, form);

  // The conversation's state comes from one reducer (turns.js); `nodes` only remembers which
  // elements draw which bubble.
  let state = initialState();
  const nodes = new Map(); // bubble key -> { li, body, chips, drawnChips, confirm }

  function scroll() {
    log.scrollTop = log.scrollHeight;
  }

  function nodeOf(b) {
    let n = nodes.get(b.key);
    if (!n) {
      empty.remove();
      const body = h("div", { class: "bubble-text", testid: `${b.role}-text` });
      const chips = h("div", { class: "chips" });
      const li = h("li", { class: `msg msg-${b.role}`, testid: `msg-${b.role}` }, chips, body);
      log.append(li);
      n = { li, body, chips, drawnChips: 0, confirm: null };
      nodes.set(b.key, n);
    }
    return n;
  }

  /** Draw one bubble as its state says (only bubbles that changed are drawn). */
  function draw(b) {
    const n = nodeOf(b);
    if (n.body.textContent !== b.text) n.body.textContent = b.text;
    n.body.classList.toggle("typing", b.typing);
    n.li.classList.toggle("msg-error", b.error);
    n.li.classList.toggle("msg-voice", b.voice);
    n.li.classList.toggle("listening", b.listening);
    if (b.busy) n.li.setAttribute("aria-busy", "true");
    else n.li.removeAttribute("aria-busy");
    if (b.done) n.li.dataset.done = "true";
    for (const call of b.chips.slice(n.drawnChips)) {
      n.chips.append(toolChip(call, () => invalidate("transaction", { source: "undo" })));
    }
    n.drawnChips = b.chips.length;
    if (b.confirm && !n.confirm) {
      const { id } = b.confirm;
      n.confirm = confirmChips(b.confirm, (answer) => dispatch({ type: "confirm", id, answer }));
      n.li.append(n.confirm);
    }
    if (b.confirm?.answer && n.confirm && n.confirm.dataset.answer !== b.confirm.answer) {
      n.confirm.settle(b.confirm.answer === "dropped" ? undefined : b.confirm.answer);
    }
  }

  function run(effect) {
    switch (effect.type) {
      case "data-changed":
        invalidate("chat");
        break;
      case "audio_reply":
        voice.onAudioReply(effect.event);
        break;
      case "reply_text":
        voice.onReplyText(effect.text);
        break;
      case "no_tts":
        voice.onNoTts(effect.event, effect.text);
        break;
      default:
        break;
    }
  }

  /** The one way the chat changes: reduce, draw the bubbles that changed, run the effects. */
  function dispatch(action) {
    const before = state;
    const [next, effects] = reduce(state, action);
    state = next;
    if (next !== before) {
      for (const key of next.order) {
        if (next.bubbles[key] !== before.bubbles[key]) draw(next.bubbles[key]);
      }
      scroll();
    }
    for (const effect of effects) run(effect);
    if (action.type === "confirm" && next !== before) socket.send({ type: "confirm", id: action.id, answer: action.answer });
  }

  const handleEvent = (event) => dispatch({ type: "event", event });

  /** A recorded message is about to be sent: placeholders until its transcript arrives. */
  function startVoiceTurn() {
    const id = newId();
    dispatch({ type: "voice_start", id });
    return id;
  }

  const voice = setupVoice({ mic, form, socket, startVoiceTurn });

  function submit(text) {
    const clean = text.trim();
    if (!clean) return;
    const id = newId();
    dispatch({ type: "send", id, text: clean }); // an open Yes / No is dropped (a typed yes answers it)
    socket.send({ type: "user_message", id, text: clean });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit(input.value);
    input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  async function loadHistory() {
    try {
      const page = await api.get("/api/chat/history", { limit: 50 });
      dispatch({ type: "history", items: page.items || [] }); // ignored once the user started talking
    } catch {
      /* history is a nicety; the chat works without it */
    }
  }

  return { handleEvent, submit, loadHistory, focus: () => input.focus() };
}
