// Monthly limits per expense category, with this month's spending beside each.
import { api } from "../api.js";
import { emit } from "../bus.js";
import { categoryNames } from "../categories.js";
import { h } from "../dom.js";
import { moveBudgetCard, newCategoryCard } from "../planning.js";
import { money, monthName, STATUS_LABEL, thisMonth } from "../format.js";
import { currency } from "../session.js";
import { toast, toastError } from "../toast.js";

export async function render(root, ctx) {
  const [names, summary] = await Promise.all([categoryNames("expense"), api.get("/api/budgets/summary", { month: thisMonth() })]);
  if (!ctx.current()) return;
  const byName = new Map((summary.categories || []).map((c) => [c.category, c]));
  const spentOther = new Map((summary.unbudgeted || []).map((u) => [u.category, u.spent]));
  const cur = summary.currency || currency();

  const rows = names.map((name) => {
    const line = byName.get(name);
    const input = h("input", {
      name: "amount", inputmode: "decimal", pattern: "\\d+([.,]\\d{1,2})?", placeholder: "no limit",
      value: line ? Number(line.budget).toFixed(2) : "", "aria-label": `${name} monthly limit`, testid: `budget-input-${name}`,
    });
    const save = h("button", { type: "submit", class: "btn small", testid: `budget-save-${name}` }, "Save");
    const form = h("form", { class: "budget-edit" }, input, save);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const amount = input.value.trim().replace(",", ".");
      if (!amount) return;
      save.disabled = true;
      try {
        const saved = await api.put(`/api/budgets/${encodeURIComponent(name)}`, { amount });
        input.value = Number(saved.amount).toFixed(2);
        toast(`${name}: ${money(saved.amount, saved.currency)} a month from ${monthName(saved.month)}.`);
        emit("data-changed", { source: "budgets" });
      } catch (err) {
        toastError(err);
      } finally {
        save.disabled = false;
      }
    });
    const spent = line ? line.spent : spentOther.get(name) || 0;
    return h("tr", { testid: "budget-edit-row", dataset: { category: name } },
      h("th", { scope: "row" }, name),
      h("td", { class: "amount", "data-label": "Spent" }, h("span", null, money(spent, cur),
        line ? h("span", { class: `pill status-${line.status}` }, STATUS_LABEL[line.status]) : null)),
      h("td", { "data-label": "Monthly limit" }, form));
  });

  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Budgets"),
      h("p", { class: "muted" }, `A limit applies to every month from ${monthName(summary.month)} on; “Spent” is for ${monthName(summary.month)}.`)),
    h("section", { class: "card" }, h("div", { class: "table-wrap" }, h("table", { class: "table stack", testid: "budgets-table" },
      h("thead", null, h("tr", null, ["Category", "Spent", `Monthly limit (${cur})`].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, rows)))),
    moveBudgetCard(names, summary),
    newCategoryCard());
}

export const refreshOnChange = true;
