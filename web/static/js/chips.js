// One line per tool the assistant ran, e.g. "Logged $12.50 · Dining · yesterday".
import { h } from "./dom.js";
import { money, relativeDay, shortDate } from "./format.js";

/** One piece of a chip's text: words, {money, currency}, {day} (today / yesterday / a date) or {date}. */
function piece(part) {
  if (typeof part === "string") return part;
  if (part && "money" in part) return part.money === "" ? "" : money(part.money, part.currency || undefined);
  if (part && "day" in part) return relativeDay(part.day);
  if (part && "date" in part) return shortDate(part.date);
  return "";
}

/**
 * {text, undoId, kind} for one tool_result event (or a history row's call). The server's tool
 * registry writes the chip (`summary`: {kind, text: [pieces], undo_id?}); the browser only renders
 * it in the user's locale, so a new tool needs no change here. undoId: a transaction the user may delete.
 */
export function describeTool(name, ok, result, summary) {
  if (summary && Array.isArray(summary.text)) {
    return { text: summary.text.map(piece).join(""), undoId: summary.undo_id, kind: summary.kind || "read" };
  }
  if (!ok) {
    const err = (result || {}).error;
    return { text: `Could not ${name.replaceAll("_", " ")}: ${err?.message || err || "it did not work"}`, kind: "failed" };
  }
  return { text: name.replaceAll("_", " "), kind: "read" };
}

/**
 * Yes / No under a message whose write waits for the user's word (the contract's `confirm`).
 * `onAnswer("yes"|"no")` sends the answer; `box.settle()` greys the buttons when the moment has
 * passed (answered, or another message dropped the confirmation).
 */
export function confirmChips(confirm, onAnswer) {
  const yes = h("button", { type: "button", class: "btn small primary", testid: "confirm-yes" }, "Yes");
  const no = h("button", { type: "button", class: "btn small", testid: "confirm-no" }, "No");
  const box = h("div", {
    class: "confirm-chips", role: "group", "aria-label": confirm.text || "Confirm", testid: "confirm",
    dataset: { confirmId: confirm.id },
  }, yes, no);
  box.settle = (answer) => {
    yes.disabled = true;
    no.disabled = true;
    box.dataset.answer = answer || "dropped";
  };
  const pick = (answer) => {
    if (yes.disabled) return;
    box.settle(answer);
    onAnswer(answer);
  };
  yes.addEventListener("click", () => pick("yes"));
  no.addEventListener("click", () => pick("no"));
  return box;
}
