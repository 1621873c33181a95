// "+ Add" from anywhere: a dialog to record an expense, income or refund in one tap.
import { api } from "./api.js";
import { categoryNames, kindAndCategory } from "./categories.js";
import { field, formData, h } from "./dom.js";
import { clearFormErrors, showFormErrors } from "./formerrors.js";
import { EARLIEST_DAY, isoDay, latestDay, money } from "./format.js";
import { currency } from "./session.js";
import { toast } from "./toast.js";
import { invalidate } from "./store.js";

let dialog = null;

async function build() {
  const [expenseCats, incomeCats] = await Promise.all([categoryNames("expense"), categoryNames("income")]);
  const [kindSel, catSel] = kindAndCategory("qa", "Refund (money back)", expenseCats, incomeCats);
  const summary = h("p", { class: "form-error", role: "alert", id: "qa-summary", testid: "qa-error", hidden: true });
  const close = h("button", { type: "button", class: "btn ghost", testid: "qa-close", "aria-label": "Close" }, "×");
  const form = h("form", { class: "form-grid", id: "qa-form", testid: "qa-form", novalidate: true },
    field("Kind", kindSel),
    field("Amount", h("input", { name: "amount", inputmode: "decimal", required: true, placeholder: "12.50", testid: "qa-amount", autocomplete: "off" })),
    field("Currency", h("input", { name: "currency", maxlength: 3, value: currency(), testid: "qa-currency", autocapitalize: "characters" })),
    field("Description", h("input", { name: "description", maxlength: 500, required: true, testid: "qa-description" })),
    field("Category", catSel),
    field("Date", h("input", { type: "date", name: "date", value: isoDay(), min: EARLIEST_DAY, max: latestDay(), required: true, testid: "qa-date" })),
    field("Merchant", h("input", { name: "merchant", maxlength: 200 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", testid: "qa-save" }, "Save"), summary));
  const el = h("dialog", { class: "quick-add-dialog", testid: "quick-add-dialog", "aria-labelledby": "qa-title" },
    h("div", { class: "dialog-head" }, h("h2", { id: "qa-title" }, "Add a transaction"), close), form);
  close.addEventListener("click", () => el.close());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearFormErrors(form, summary);
    const d = formData(form);
    if (!String(d.amount || "").trim() || !/^\d+([.,]\d{1,2})?$/.test(d.amount.trim())) {
      showFormErrors(form, { body: { detail: [{ loc: ["body", "amount"], msg: "enter an amount like 12.50" }] } }, { summary });
      return;
    }
    if (!String(d.description || "").trim()) {
      showFormErrors(form, { body: { detail: [{ loc: ["body", "description"], msg: "say what it was, like “lunch”" }] } }, { summary });
      return;
    }
    if (d.date < EARLIEST_DAY || d.date > latestDay()) {
      showFormErrors(form, { body: { detail: [{ loc: ["body", "date"], msg: `pick a day from 1900 to ${latestDay()}` }] } }, { summary });
      return;
    }
    const body = { kind: d.kind, amount: d.amount.replace(",", "."), description: d.description, date: d.date, merchant: d.merchant || null };
    if (d.currency) body.currency = d.currency.toUpperCase();
    if (d.category) body.category = d.category;
    try {
      const t = await api.post("/api/transactions", body);
      const note = t.home_amount === null && t.currency !== currency() ? ` No ${t.currency} rate yet: set one in Settings so it counts in totals.` : "";
      toast(`Saved: ${t.description} ${money(t.amount, t.currency)} under ${t.category || "no category"}.${note}`);
      el.close();
      invalidate("transaction", { source: "quick-add" });
    } catch (err) {
      showFormErrors(form, err, { summary })?.focus();
    }
  });
  return { el, form, kindSel };
}

export async function openQuickAdd() {
  if (!dialog) {
    dialog = await build();
    document.body.append(dialog.el);
  }
  dialog.form.reset();
  dialog.form.date.value = isoDay();
  dialog.form.currency.value = currency();
  dialog.kindSel.dispatchEvent(new Event("change"));
  dialog.el.showModal();
  dialog.form.amount.focus();
}

export function forgetQuickAdd() {
  dialog?.el.remove();
  dialog = null;
}
