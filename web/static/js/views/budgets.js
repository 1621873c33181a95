// Monthly limits per expense category, with this month's spending beside each.
import { api } from "../api.js";
import { categoryNames } from "../categories.js";
import { h } from "../dom.js";
import { moveBudgetCard, newCategoryCard } from "../components/planning.js";
import { money, monthName, STATUS_LABEL, thisMonth } from "../format.js";
import { currency } from "../session.js";
import { toast, toastError } from "../toast.js";
import { monthPicker, urlMonth } from "../components/monthpicker.js";
import { sortable } from "../components/sorttable.js";
import { invalidate, watch } from "../store.js";

/** The table of limits, one row per expense category, each with its own Save. */
function budgetsTable(names, summary) {
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
        // This month or later: a standing limit from then on; an earlier month: that month only.
        const body = summary.month < thisMonth() ? { amount, month: summary.month } : { amount };
        const saved = await api.put(`/api/budgets/${encodeURIComponent(name)}`, body);
        input.value = Number(saved.amount).toFixed(2);
        toast(saved.standing
          ? `Saved: ${name} ${money(saved.amount, saved.currency)} a month from ${monthName(saved.month)}.`
          : `Saved: ${name} ${money(saved.amount, saved.currency)} for ${monthName(saved.month)} only.`);
        invalidate("budget", { source: "budgets" });
      } catch (err) {
        toastError(err);
      } finally {
        save.disabled = false;
      }
    });
    const spent = line ? line.spent : spentOther.get(name) || 0;
    return h("tr", { testid: "budget-edit-row", dataset: { category: name } },
      h("th", { scope: "row" }, h("a", { href: `#/transactions?category=${encodeURIComponent(name)}&month=${summary.month}` }, name)),
      h("td", { class: "amount", "data-label": "Spent", dataset: { sort: spent } }, h("span", null, money(spent, cur),
        line ? h("span", { class: `pill status-${line.status}` }, STATUS_LABEL[line.status]) : null)),
      h("td", { "data-label": "Monthly limit" }, form));
  });

  const budgetsTable = h("table", { class: "table stack", testid: "budgets-table" },
    h("thead", null, h("tr", null, ["Category", "Spent", `Monthly limit (${cur})`].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, rows));
  sortable(budgetsTable, ["text", "number", null]);
  return budgetsTable;
}

export async function render(root, ctx) {
  const month = urlMonth();
  const fetchBoth = () => Promise.all([categoryNames("expense"), api.get("/api/budgets/summary", { month })]);
  const [names, summary] = await fetchBoth();
  if (!ctx.current()) return;
  const tableCard = h("section", { class: "card" }, h("div", { class: "table-wrap" }, budgetsTable(names, summary)));
  let moveCard = moveBudgetCard(names, summary);
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Budgets"), monthPicker("budgets", summary.month),
      h("p", { class: "muted" }, summary.month < thisMonth()
        ? `A limit set here is for ${monthName(summary.month)} only; “Spent” is for ${monthName(summary.month)}.`
        : `A limit applies to every month from ${monthName(summary.month)} on; “Spent” is for ${monthName(summary.month)}.`)),
    tableCard,
    moveCard,
    newCategoryCard());

  // A write elsewhere (the chat, a move, a new category): the table and the move card are drawn
  // again from fresh figures; the head and the new-category form stay as they are.
  let seq = 0;
  return watch(["budgets", "categories"], async (detail) => {
    if (detail.source === "budgets") return; // a row's own Save already shows its figure
    const mine = ++seq;
    try {
      const [n, sum] = await fetchBoth();
      if (mine !== seq || !tableCard.isConnected) return;
      tableCard.replaceChildren(h("div", { class: "table-wrap" }, budgetsTable(n, sum)));
      const fresh = moveBudgetCard(n, sum);
      moveCard.replaceWith(fresh);
      moveCard = fresh;
    } catch (err) {
      toastError(err);
    }
  });
}
