// Recurring charges: add, edit, cancel; next renewal and reminder days.
import { api } from "../api.js";
import { categoryNames } from "../categories.js";
import { card, field, h, select } from "../dom.js";
import { editMode, saveOnSubmit } from "../editor.js";
import { EARLIEST_DAY, inDays, isoDay, longDate, money } from "../format.js";
import { state } from "../session.js";
import { sortable } from "../components/sorttable.js";
import { toastError } from "../toast.js";
import { invalidate, watch } from "../store.js";

const CADENCES = [["monthly", "Monthly"], ["weekly", "Weekly"], ["quarterly", "Quarterly"], ["yearly", "Yearly"]];

export async function render(root, ctx) {
  const cats = await categoryNames("expense");
  if (!ctx.current()) return;
  const defaultRemind = state.me?.settings?.remind_days_before ?? 7;
  let showCancelled = false;

  const title = h("h2", null, "Add a subscription");
  const saveBtn = h("button", { type: "submit", class: "btn primary", testid: "sub-save" }, "Add");
  const cancelEdit = h("button", { type: "button", class: "btn ghost", hidden: true }, "Cancel edit");
  const form = h("form", { class: "form-grid", testid: "sub-form" },
    field("Name", h("input", { name: "name", required: true, maxlength: 120, testid: "sub-name" })),
    field("Amount", h("input", { name: "amount", inputmode: "decimal", required: true, pattern: "\\d+([.,]\\d{1,2})?", testid: "sub-amount" })),
    field("Cadence", select({ name: "cadence", testid: "sub-cadence" }, CADENCES, "monthly")),
    field("Next renewal", h("input", { type: "date", name: "next_renewal", required: true, value: isoDay(7), min: EARLIEST_DAY, max: isoDay(366 * 5), testid: "sub-next" })),
    field("Remind days before", h("input", { type: "number", name: "remind_days_before", min: 0, max: 365, value: defaultRemind, testid: "sub-remind" })),
    field("Category", select({ name: "category" }, [["", "Subscriptions"], ...cats])),
    h("div", { class: "actions" }, saveBtn, cancelEdit));

  const mode = editMode({
    title, saveBtn, cancelBtn: cancelEdit, addTitle: "Add a subscription",
    onReset() {
      form.reset();
      form.next_renewal.value = isoDay(7);
      form.remind_days_before.value = defaultRemind;
    },
  });
  saveOnSubmit(form, mode, {
    path: "/api/subscriptions",
    body: (d) => ({
      name: d.name.trim(), amount: d.amount.replace(",", "."), cadence: d.cadence,
      next_renewal: d.next_renewal, remind_days_before: Number(d.remind_days_before || defaultRemind),
    }),
    done: (body, id) => (id ? `${body.name} updated.` : `${body.name} added.`),
    write: "subscription", source: "subscriptions", reload: load,
  });

  const tbody = h("tbody");
  let sorter = null;
  const totals = h("p", { class: "muted", testid: "sub-totals" });
  const toggle = h("input", { type: "checkbox" });
  toggle.addEventListener("change", () => { showCancelled = toggle.checked; load(); });

  async function load() {
    try {
      const [page, sums] = await Promise.all([
        api.get("/api/subscriptions", { include_cancelled: showCancelled || undefined, limit: 500 }),
        api.get("/api/subscriptions/totals").catch(() => null),
      ]);
      if (!ctx.current()) return;
      if (sums) totals.textContent = `About ${money(sums.monthly, sums.currency)} a month, ${money(sums.yearly, sums.currency)} a year.`;
      tbody.replaceChildren(...page.items.map((sub) => {
        const ed = h("button", { type: "button", class: "btn small", "aria-label": `Edit ${sub.name}` }, "Edit");
        ed.addEventListener("click", () => {
          mode.edit(sub.id, `Edit ${sub.name}`);
          form.name.value = sub.name;
          form.amount.value = sub.amount;
          form.cadence.value = sub.cadence;
          form.next_renewal.value = sub.next_renewal;
          form.remind_days_before.value = sub.remind_days_before;
          form.category.value = sub.category && sub.category !== "Subscriptions" ? sub.category : "";
          form.name.focus();
        });
        const stop = h("button", { type: "button", class: "btn small danger", "aria-label": `Cancel ${sub.name}` }, sub.active ? "Cancel" : "Resume");
        stop.addEventListener("click", async () => {
          if (sub.active && !confirm(`Cancel ${sub.name}? It stays in your history.`)) return;
          try {
            await api.patch(`/api/subscriptions/${sub.id}`, { active: !sub.active });
            invalidate("subscription", { source: "subscriptions" });
            load();
          } catch (err) { toastError(err); }
        });
        return h("tr", { testid: "sub-row", dataset: { name: sub.name }, class: sub.active ? "" : "inactive" },
          h("th", { scope: "row" }, sub.name, sub.active ? null : h("span", { class: "pill" }, " cancelled")),
          h("td", { class: "amount", "data-label": "Amount", dataset: { sort: sub.amount } }, money(sub.amount, sub.currency)),
          h("td", { "data-label": "Cadence" }, sub.cadence),
          h("td", { "data-label": "Next renewal", dataset: { sort: sub.next_renewal } }, h("span", null, longDate(sub.next_renewal), h("span", { class: "muted small" }, sub.active ? ` · ${inDays(sub.days_until)}` : ""))),
          h("td", { "data-label": "Reminder" }, `${sub.remind_days_before} ${sub.remind_days_before === 1 ? "day" : "days"} before`),
          h("td", { class: "row-actions" }, ed, stop));
      }));
      if (!page.items.length) tbody.append(h("tr", null, h("td", { colspan: 6, class: "muted" }, "No subscriptions yet.")));
      sorter?.apply();
    } catch (err) {
      toastError(err);
    }
  }

  const subsTable = h("table", { class: "table stack", testid: "subs-table" },
    h("thead", null, h("tr", null, ["Name", "Amount", "Cadence", "Next renewal", "Reminder", ""].map((c) => h("th", { scope: "col" }, c)))),
    tbody);
  sorter = sortable(subsTable, ["text", "number", "text", "text", null, null]);
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Subscriptions")),
    h("section", { class: "card" }, totals,
      h("label", { class: "check" }, toggle, " Show cancelled"),
      h("div", { class: "table-wrap" }, subsTable)),
    card(null, { testid: "sub-editor" }, title, form));
  await load();
  // A write elsewhere (the chat, quick add, another view): only the list is fetched again; a
  // half-typed form keeps its text.
  return watch(["subscriptions"], (detail) => {
    if (detail.source !== "subscriptions") load();
  });
}
