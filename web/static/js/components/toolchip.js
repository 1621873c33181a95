// One chip under a reply: what a tool did, in the server's words (chips.js), with Undo for a
// transaction the user may take back. The chip keeps its own small state (undone) in the DOM.
import { api } from "../api.js";
import { describeTool } from "../chips.js";
import { h } from "../dom.js";
import { toastError } from "../toast.js";

/** A chip for one call ({name, ok, result, summary, undoable}); `onUndone()` after an Undo. */
export function toolChip(call, onUndone) {
  const info = describeTool(call.name, call.ok, call.result, call.summary);
  const el = h("div", { class: `chip chip-${info.kind}`, testid: "tool-chip", dataset: { tool: call.name } },
    h("span", { class: "chip-text" }, info.text));
  if (call.undoable && info.undoId) {
    const undo = h("button", { type: "button", class: "btn small", testid: "chip-undo" }, "Undo");
    undo.addEventListener("click", async () => {
      undo.disabled = true;
      try {
        await api.del(`/api/transactions/${encodeURIComponent(info.undoId)}`);
        el.classList.add("undone");
        el.dataset.undone = "true";
        undo.replaceWith(h("span", { class: "chip-undone" }, "Undone"));
        onUndone();
      } catch (err) {
        undo.disabled = false;
        toastError(err);
      }
    });
    el.append(undo);
  }
  return el;
}
