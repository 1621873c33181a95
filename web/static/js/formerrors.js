// The API's refusals shown beside a form: one summary (role=alert) and each 422 detail under its
// own field, the field marked aria-invalid. FastAPI's validation errors and the services' own
// InvalidInput come in the same shape ({detail: [{loc, msg}]}); other errors are a sentence.
import { fieldWords, plainMessage } from "./api.js";
import { h } from "./dom.js";

const WHERE = new Set(["body", "query", "path"]);

function sentence(text) {
  const t = String(text || "").trim();
  if (!t) return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function control(form, name) {
  const el = name ? form.elements.namedItem(name) : null;
  return el instanceof HTMLElement ? el : null;
}

/** Remove every mark left by showFormErrors. */
export function clearFormErrors(form, summary) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
  for (const el of form.querySelectorAll(".field-error")) el.remove();
  if (summary) {
    summary.textContent = "";
    summary.hidden = true;
  }
}

/** Show an ApiError (or a plain message) on the form. ``labels`` names the fields in words
 * ({target_amount: "Target amount"}); ``summary`` is the alert paragraph after the buttons;
 * ``inline: false`` leaves the message out from under the field (a one-field form: the summary
 * says it). Returns the first field marked, so the caller can move focus there. */
export function showFormErrors(form, err, { labels = {}, summary, inline = true } = {}) {
  clearFormErrors(form, summary);
  const detail = err?.body?.detail;
  const lines = [];
  let first = null;
  if (Array.isArray(detail) && detail.length) {
    for (const d of detail) {
      const path = (d.loc || []).map(String).filter((p) => !WHERE.has(p));
      const name = path.find((p) => control(form, p)) ?? path.at(-1) ?? "";
      const plain = plainMessage(d.msg);
      const msg = sentence(plain);
      const label = labels[name] || fieldWords(name);
      // "Target amount should be more than 0." reads as one sentence; other messages follow a colon.
      lines.push(!label ? msg : /^(should|is|must|can)\b/i.test(plain) ? sentence(`${label} ${plain}`) : `${label}: ${msg}`);
      const el = control(form, name);
      if (!el) continue;
      el.setAttribute("aria-invalid", "true");
      first ??= el;
      if (!inline && summary?.id) {
        el.setAttribute("aria-describedby", summary.id);
        continue;
      }
      const id = `${form.id || "form"}-${name}-error`;
      el.setAttribute("aria-describedby", id);
      const host = el.closest(".field") || el.parentElement;
      host.append(h("span", { class: "field-error", id, testid: `error-${name}` }, msg));
    }
  } else {
    lines.push(sentence(err?.message || String(err)));
  }
  if (summary) {
    summary.textContent = lines.join(" ");
    summary.hidden = false;
  }
  return first;
}
