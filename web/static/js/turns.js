// The chat's state, and the one reducer from what happens (a message sent, a WebSocket event) to
// the next state. Pure: no DOM, no imports; the chat view draws what changed and runs the effects.
//
// state = {
//   order: [key],              the bubbles, oldest first
//   bubbles: {key: Bubble},    replaced (never mutated) when they change
//   byClient: {clientId: key}, the reply bubble waiting for its turn_start (reply_to)
//   byTurn: {turnId: key},     the reply bubble of a running turn
//   openConfirm: key | null,   the bubble whose Yes / No still waits for the user's word
//   next: number,              the next bubble's key
// }
// Bubble = { key, role: "user"|"assistant", text, streamed, typing, busy, done, error,
//            voice, listening, said: key|null (the user's voice bubble of this reply),
//            chips: [{name, ok, result, summary, undoable}], wrote, confirm: {id, text, answer}|null }
// Effects: {type: "data-changed"} | {type: "audio_reply", event} | {type: "reply_text", text}
//          | {type: "no_tts", event, text}

export const VOICE_PLACEHOLDER = "🎤 …";
export const VOICE_LOST = "🎤 (voice message)";
const FAILED = "Something went wrong; nothing was changed.";

/** The empty conversation. */
export function initialState() {
  return { order: [], bubbles: {}, byClient: {}, byTurn: {}, openConfirm: null, next: 0 };
}

function newBubble(key, role, text = "", extra = {}) {
  return {
    key, role, text, streamed: "", typing: false, busy: false, done: false, error: false,
    voice: false, listening: false, said: null, chips: [], wrote: false, confirm: null, ...extra,
  };
}

/** A working copy: the maps are copied once, bubbles are replaced, never changed in place. */
function draft(state) {
  return {
    ...state,
    order: [...state.order],
    bubbles: { ...state.bubbles },
    byClient: { ...state.byClient },
    byTurn: { ...state.byTurn },
  };
}

function add(s, role, text, extra) {
  const key = `b${s.next}`;
  s.next += 1;
  s.order.push(key);
  s.bubbles[key] = newBubble(key, role, text, extra);
  return key;
}

function patch(s, key, changes) {
  if (!key || !s.bubbles[key]) return;
  s.bubbles[key] = { ...s.bubbles[key], ...changes };
}

/** The Yes / No waiting for an answer is settled: answered, or dropped by another message. */
function settleConfirm(s, answer) {
  const key = s.openConfirm;
  s.openConfirm = null;
  const b = key && s.bubbles[key];
  if (b?.confirm && !b.confirm.answer) patch(s, key, { confirm: { ...b.confirm, answer } });
}

/** The user's message went out: their bubble, and the reply's, waiting (typing) for its turn. */
function sent(s, clientId, userText, userExtra = {}) {
  const said = add(s, "user", userText, userExtra);
  const reply = add(s, "assistant", "", { typing: true, busy: true, said: userExtra.voice ? said : null });
  s.byClient[clientId] = reply;
  return reply;
}

function serverEvent(s, ev, effects) {
  if (ev.type === "turn_start") {
    let key = s.byClient[ev.reply_to];
    delete s.byClient[ev.reply_to];
    if (!key || !s.bubbles[key]) key = add(s, "assistant", ""); // a turn this page did not ask for
    patch(s, key, { busy: true });
    s.byTurn[ev.turn_id] = key;
    return;
  }
  const key = s.byTurn[ev.turn_id];
  const b = key && s.bubbles[key];
  if (!b) {
    if (ev.type === "error") add(s, "assistant", ev.message || "Something went wrong.", { error: true });
    return;
  }
  const typing = ev.type === "tool_call" || ev.type === "tool_result" ? b.typing : false;
  const said = b.said && s.bubbles[b.said];
  switch (ev.type) {
    case "transcript":
      patch(s, key, { typing });
      if (said) patch(s, b.said, { text: ev.text, listening: false });
      break;
    case "audio_reply":
      patch(s, key, { typing });
      effects.push({ type: "audio_reply", event: ev });
      break;
    case "tool_result":
      patch(s, key, {
        chips: [...b.chips, { name: ev.name, ok: ev.ok, result: ev.result, summary: ev.summary, undoable: true }],
        wrote: b.wrote || Boolean(ev.ok && ev.summary?.kind === "write"),
      });
      break;
    case "token": {
      const streamed = b.streamed + (ev.text || "");
      patch(s, key, { typing, streamed, text: streamed });
      break;
    }
    case "assistant_message": {
      const text = ev.text || b.streamed;
      let confirm = b.confirm;
      if (ev.confirm && ev.confirm.id) {
        settleConfirm(s, "dropped");
        confirm = { id: ev.confirm.id, text: ev.confirm.text || "", answer: null };
        s.openConfirm = key;
      }
      patch(s, key, { typing, text, confirm });
      if (said) effects.push({ type: "reply_text", text });
      break;
    }
    case "error":
      if (ev.code === "no_tts") { // the answer stands; only the server's voice is missing
        patch(s, key, { typing });
        effects.push({ type: "no_tts", event: ev, text: b.text });
        break;
      }
      if (said?.listening) patch(s, b.said, { text: VOICE_LOST });
      patch(s, key, { typing, error: true, text: ev.message || FAILED });
      break;
    case "turn_end":
      patch(s, key, { typing, busy: false, done: true });
      delete s.byTurn[ev.turn_id];
      if (said) patch(s, b.said, { listening: false });
      if (b.wrote) effects.push({ type: "data-changed" });
      break;
    default:
      patch(s, key, { typing });
      break;
  }
}

/**
 * [next state, effects] after `action`:
 * - {type: "send", id, text}: the user typed a message (an open Yes / No is dropped);
 * - {type: "voice_start", id}: a recorded message goes out (placeholders until its transcript);
 * - {type: "confirm", id, answer}: the user pressed Yes or No;
 * - {type: "history", items}: the stored conversation (only into an empty chat);
 * - {type: "event", event}: a WebSocket event of the contract.
 */
export function reduce(state, action) {
  const s = draft(state);
  const effects = [];
  switch (action.type) {
    case "send":
      settleConfirm(s, "dropped");
      sent(s, action.id, action.text);
      break;
    case "voice_start":
      sent(s, action.id, VOICE_PLACEHOLDER, { voice: true, listening: true });
      break;
    case "confirm": {
      const key = s.openConfirm;
      if (!key || s.bubbles[key]?.confirm?.id !== action.id) return [state, effects]; // already settled
      settleConfirm(s, action.answer);
      sent(s, action.id, action.answer === "yes" ? "Yes" : "No");
      break;
    }
    case "history":
      if (s.order.length) return [state, effects]; // the user already started talking
      for (const m of action.items || []) {
        add(s, m.role === "user" ? "user" : "assistant", m.content || "", {
          done: true,
          chips: (m.tool_calls || []).map((c) => ({ name: c.name || "", ok: c.ok !== false, result: c.result, summary: c.summary, undoable: false })),
        });
      }
      break;
    case "event":
      if (action.event?.type === "notification") return [state, effects];
      serverEvent(s, action.event, effects);
      break;
    default:
      return [state, effects];
  }
  return [s, effects];
}
