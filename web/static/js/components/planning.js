// The UI places of the planning tools (issue 10): exchange rates and the usual monthly income in
// Settings, moving budget between categories on Budgets. Each form calls the same REST twin the
// chat's tool has (PUT /api/rates/{code}, PUT /api/me/income, POST /api/budgets/move); every
// figure shown comes back from the server.
import { api } from "../api.js";
import { emit } from "../bus.js";
import { card, field, formData, h, select } from "../dom.js";
import { money, monthName } from "../format.js";
import { state } from "../session.js";
import { toast, toastError } from "../toast.js";
import { invalidate } from "../store.js";

const DECIMAL = "\\d+([.,]\\d+)?";
const clean = (v) => String(v || "").trim().replace(",", ".");

/** Settings: the rates the user set, one row each, and a form to add or change one. */
export async function ratesCard() {
  const list = h("ul", { class: "list", testid: "rates-list" });
  const base = state.me?.currency || "USD";
  const draw = async () => {
    const page = await api.get("/api/rates");
    list.replaceChildren(...(page.items.length
      ? page.items.map((r) => {
        const remove = h("button", { type: "button", class: "btn small", testid: `rate-delete-${r.currency}`, "aria-label": `Forget the ${r.currency} rate` }, "Remove");
        remove.addEventListener("click", async () => {
          try {
            await api.del(`/api/rates/${encodeURIComponent(r.currency)}`);
            toast(`${r.currency} rate removed; ${r.currency} amounts are left out of totals again.`);
            invalidate("rates");
            await draw();
          } catch (err) {
            toastError(err);
          }
        });
        return h("li", { class: "row", testid: "rate-row", dataset: { currency: r.currency } },
          h("span", null, `1 ${r.currency} = ${r.rate} ${r.base}`),
          h("span", { class: "muted" }, `${r.currency} amounts count in your totals at this rate`),
          h("span", { class: "amount" }, remove));
      })
      : [h("li", { class: "muted", testid: "rates-empty" }, "No rates yet: amounts in other currencies are left out of totals until you set one.")]));
  };
  const form = h("form", { class: "form-grid", testid: "rate-form" },
    field("Currency", h("input", { name: "currency", required: true, maxlength: 3, minlength: 3, pattern: "[A-Za-z]{3}", placeholder: "EUR", autocomplete: "off", testid: "rate-currency" })),
    field(`${base} per 1 unit`, h("input", { name: "rate", required: true, inputmode: "decimal", pattern: DECIMAL, placeholder: "1.08", testid: "rate-value" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", testid: "rate-save" }, "Save rate")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    const code = String(d.currency || "").trim().toUpperCase();
    try {
      const saved = await api.put(`/api/rates/${encodeURIComponent(code)}`, { rate: clean(d.rate) });
      toast(`Saved: 1 ${saved.currency} = ${saved.rate} ${saved.base}.`);
      form.reset();
      invalidate("rates");
      await draw();
    } catch (err) {
      toastError(err);
    }
  });
  await draw();
  return card("Exchange rates", { testid: "settings-rates" },
    h("p", { class: "muted small" }, `How many ${base} one unit of another currency is worth. Totals convert foreign amounts only by the rates you set here.`),
    list, form);
}

/** Settings: the usual monthly income (a statement, not a transaction), with this month's figures. */
export async function incomeCard() {
  const facts = h("p", { class: "muted small", testid: "income-facts" });
  const input = h("input", { name: "amount", inputmode: "decimal", pattern: DECIMAL, placeholder: "3200", testid: "income-amount" });
  const show = (view) => {
    input.value = view.monthly_income ?? "";
    facts.textContent = `${monthName(view.month)} so far: ${money(view.received, view.currency)} received, ${money(view.spent, view.currency)} spent.`;
  };
  const form = h("form", { class: "form-grid", testid: "income-form" },
    field("Usual monthly income", input),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", testid: "income-save" }, "Save income")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const amount = clean(input.value);
    try {
      if (amount) {
        const view = await api.put("/api/me/income", { amount });
        show(view);
        toast(`Saved: ${money(view.monthly_income, view.currency)} a month.`);
      } else {
        await api.del("/api/me/income");
        toast("Monthly income cleared.");
      }
      state.me = await api.get("/api/me");
      emit("me", state.me);
      invalidate("rates", { source: "income" });
    } catch (err) {
      toastError(err);
    }
  });
  show(await api.get("/api/me/income"));
  return card("Income", { testid: "settings-income" }, form, facts);
}

/** Budgets: a category of the user's own (POST /api/categories, the create_category tool's twin). */
export function newCategoryCard() {
  const form = h("form", { class: "form-grid", testid: "category-form" },
    field("Name", h("input", { name: "name", required: true, maxlength: 60, placeholder: "Pets", testid: "category-name" })),
    field("Kind", select({ name: "kind", testid: "category-kind" }, [["expense", "Spending"], ["income", "Income"]], "expense")),
    field("Necessity (1 = luxury, 10 = essential)", h("input", { type: "number", name: "necessity_score", min: 1, max: 10, value: 5, required: true, testid: "category-necessity" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", testid: "category-save" }, "Add category")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    try {
      const cat = await api.post("/api/categories", { name: d.name.trim(), kind: d.kind, necessity_score: Number(d.necessity_score) });
      toast(`Added the category ${cat.name}.`);
      form.reset();
      form.necessity_score.value = 5; // reset() empties a value set as a property
      invalidate("category");
    } catch (err) {
      toastError(err);
    }
  });
  return card("New category", { testid: "new-category" }, form);
}

// The last move's sentence: the Budgets view redraws after a change, and the sentence stays.
let lastMove = null;

/** Budgets: move part of one category's budget to another for the month shown. */
export function moveBudgetCard(names, summary) {
  const cur = summary.currency;
  const budgeted = (summary.categories || []).map((c) => [c.category, `${c.category} (${money(c.remaining, cur)} left)`]);
  if (!budgeted.length) {
    return card("Move budget", { testid: "budget-move" }, h("p", { class: "muted" }, "Set a limit on a category first; then you can move part of it to another."));
  }
  const result = h("p", { class: "muted small", testid: "budget-move-result", role: "status" },
    lastMove?.month === summary.month ? lastMove.text : "");
  const form = h("form", { class: "form-grid", testid: "budget-move-form" },
    field("From", select({ name: "from_category", testid: "move-from" }, budgeted, budgeted[0][0])),
    field("To", select({ name: "to_category", testid: "move-to" }, names, names.find((n) => n !== budgeted[0][0]))),
    field(`Amount (${cur})`, h("input", { name: "amount", required: true, inputmode: "decimal", pattern: DECIMAL, placeholder: "50", testid: "move-amount" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", testid: "move-save" }, "Move")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    try {
      const moved = await api.post("/api/budgets/move", {
        from_category: d.from_category, to_category: d.to_category, amount: clean(d.amount), month: summary.month,
      });
      const f = moved.from_line;
      const t = moved.to_line;
      result.textContent = `Moved ${money(moved.amount, moved.currency)}: ${f.category} ${money(f.budget, moved.currency)} (${money(f.remaining, moved.currency)} left), `
        + `${t.category} ${money(t.budget, moved.currency)} (${money(t.remaining, moved.currency)} left) for ${monthName(moved.month)}.`;
      lastMove = { month: moved.month, text: result.textContent };
      toast(result.textContent);
      invalidate("budget", { source: "budget-move" });
    } catch (err) {
      result.textContent = "";
      toastError(err);
    }
  });
  return card(`Move budget in ${monthName(summary.month)}`, { testid: "budget-move" },
    h("p", { class: "muted small" }, "For this month only: the monthly limits above stay as they are for the months after."), form, result);
}
