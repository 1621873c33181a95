// The chat panel: one persistent conversation, streamed over the WebSocket.
import { api } from "../api.js";
import { emit } from "../bus.js";
import { confirmChips, describeTool } from "../chips.js";
import { h } from "../dom.js";
import { icon } from "../icons.js";
import { toastError } from "../toast.js";
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

  const pending = new Map(); // client id -> bubble
  const turns = new Map(); // turn_id -> bubble
  const voicePending = new Map(); // client id -> the user's bubble of a voice message
  const voiceTurns = new Map(); // turn_id -> the user's bubble of a voice message
  let openConfirm = null; // the Yes / No chips of the write waiting for the user's word

  function scroll() {
    log.scrollTop = log.scrollHeight;
  }

  function bubble(role, text) {
    empty.remove();
    const body = h("div", { class: "bubble-text", testid: `${role}-text` }, text || "");
    const chips = h("div", { class: "chips" });
    const li = h("li", { class: `msg msg-${role}`, testid: `msg-${role}` }, chips, body);
    li._parts = { body, chips, streamed: "", wrote: false };
    log.append(li);
    scroll();
    return li;
  }

  function chip(bubbleEl, name, ok, result, summary, { undoable = true } = {}) {
    const info = describeTool(name, ok, result, summary);
    const label = h("span", { class: "chip-text" }, info.text);
    const el = h("div", { class: `chip chip-${info.kind}`, testid: "tool-chip", dataset: { tool: name } }, label);
    if (undoable && info.undoId) {
      const undo = h("button", { type: "button", class: "btn small", testid: "chip-undo" }, "Undo");
      undo.addEventListener("click", async () => {
        undo.disabled = true;
        try {
          await api.del(`/api/transactions/${encodeURIComponent(info.undoId)}`);
          el.classList.add("undone");
          el.dataset.undone = "true";
          undo.replaceWith(h("span", { class: "chip-undone" }, "Undone"));
          emit("data-changed", { source: "undo" });
        } catch (err) {
          undo.disabled = false;
          toastError(err);
        }
      });
      el.append(undo);
    }
    bubbleEl._parts.chips.append(el);
    scroll();
  }

  function handleEvent(ev) {
    if (ev.type === "notification") return;
    if (ev.type === "turn_start") {
      const b = pending.get(ev.reply_to) || bubble("assistant", "");
      pending.delete(ev.reply_to);
      if (voicePending.has(ev.reply_to)) {
        voiceTurns.set(ev.turn_id, voicePending.get(ev.reply_to));
        voicePending.delete(ev.reply_to);
      }
      b.setAttribute("aria-busy", "true");
      turns.set(ev.turn_id, b);
      return;
    }
    const b = turns.get(ev.turn_id);
    if (!b) {
      if (ev.type === "error") bubble("assistant", ev.message || "Something went wrong.").classList.add("msg-error");
      return;
    }
    const parts = b._parts;
    if (ev.type !== "tool_call" && ev.type !== "tool_result") parts.body.classList.remove("typing");
    switch (ev.type) {
      case "transcript": {
        const said = voiceTurns.get(ev.turn_id);
        if (said) {
          said._parts.body.textContent = ev.text;
          said.classList.remove("listening");
        }
        break;
      }
      case "audio_reply":
        voice.onAudioReply(ev);
        break;
      case "tool_result":
        chip(b, ev.name, ev.ok, ev.result, ev.summary);
        if (ev.ok && ev.summary?.kind === "write") parts.wrote = true;
        break;
      case "token":
        parts.streamed += ev.text || "";
        parts.body.textContent = parts.streamed;
        scroll();
        break;
      case "assistant_message":
        parts.body.textContent = ev.text || parts.streamed;
        if (ev.confirm && ev.confirm.id) {
          openConfirm?.settle();
          openConfirm = confirmChips(ev.confirm, (answer) => answerConfirm(ev.confirm, answer));
          b.append(openConfirm);
        }
        if (voiceTurns.has(ev.turn_id)) voice.onReplyText(parts.body.textContent);
        scroll();
        break;
      case "error":
        if (ev.code === "no_tts") { // the answer stands; only the server's voice is missing
          voice.onNoTts(ev, parts.body.textContent);
          break;
        }
        if (voiceTurns.get(ev.turn_id)?.classList.contains("listening")) {
          voiceTurns.get(ev.turn_id)._parts.body.textContent = "🎤 (voice message)";
        }
        b.classList.add("msg-error");
        parts.body.textContent = ev.message || "Something went wrong; nothing was changed.";
        break;
      case "turn_end":
        b.removeAttribute("aria-busy");
        b.dataset.done = "true";
        turns.delete(ev.turn_id);
        voiceTurns.get(ev.turn_id)?.classList.remove("listening");
        voiceTurns.delete(ev.turn_id);
        if (parts.wrote) emit("data-changed", { source: "chat" });
        break;
      default:
        break;
    }
  }

  /** A recorded message is about to be sent: placeholders until its transcript arrives. */
  function startVoiceTurn() {
    const id = newId();
    const said = bubble("user", "🎤 …");
    said.classList.add("msg-voice", "listening");
    const reply = bubble("assistant", "");
    reply.setAttribute("aria-busy", "true");
    reply._parts.body.classList.add("typing");
    pending.set(id, reply);
    voicePending.set(id, said);
    return id;
  }

  const voice = setupVoice({ mic, form, socket, startVoiceTurn });

  /** A Yes / No chip: the answer goes as the contract's confirm message; its turn gets a bubble. */
  function answerConfirm(confirm, answer) {
    openConfirm = null;
    bubble("user", answer === "yes" ? "Yes" : "No");
    const reply = bubble("assistant", "");
    reply.setAttribute("aria-busy", "true");
    reply._parts.body.classList.add("typing");
    pending.set(confirm.id, reply);
    socket.send({ type: "confirm", id: confirm.id, answer });
  }

  function submit(text) {
    const clean = text.trim();
    if (!clean) return;
    openConfirm?.settle(); // a typed yes / no answers it; anything else drops it
    openConfirm = null;
    const id = newId();
    bubble("user", clean);
    const reply = bubble("assistant", "…");
    reply.setAttribute("aria-busy", "true");
    reply._parts.body.textContent = "";
    reply._parts.body.classList.add("typing");
    pending.set(id, reply);
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
      if (log.querySelector(".msg")) return; // the user already started talking
      for (const m of page.items || []) {
        const b = bubble(m.role === "user" ? "user" : "assistant", m.content);
        b.dataset.done = "true";
        for (const call of m.tool_calls || []) chip(b, call.name || "", call.ok !== false, call.result, call.summary, { undoable: false });
      }
    } catch {
      /* history is a nicety; the chat works without it */
    }
  }

  return { handleEvent, submit, loadHistory, focus: () => input.focus() };
}
