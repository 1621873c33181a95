// Short messages in the corner; errors stay a little longer. Text only (textContent).
import { h } from "./dom.js";

export function toast(message, { kind = "info", title, timeout } = {}) {
  const region = document.querySelector(".toasts");
  if (!region) return;
  const close = h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss" }, "×");
  const el = h("div", { class: `toast toast-${kind}`, testid: `toast-${kind}` },
    h("div", { class: "toast-body" }, title ? h("strong", null, title) : null, h("span", null, message)),
    close);
  const remove = () => el.remove();
  close.addEventListener("click", remove);
  region.append(el);
  while (region.children.length > 3) region.firstElementChild.remove();
  setTimeout(remove, timeout ?? (kind === "error" ? 8000 : 5000));
}

export function toastError(err) {
  toast(err?.message || String(err), { kind: "error" });
}
