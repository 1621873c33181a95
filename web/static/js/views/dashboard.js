// Home: this month's budgets, spending by category, the trend, renewals, recent activity, goals, a tip.
import { api } from "../api.js";
import { budgetBar, categoryBars, progress, trendChart } from "../charts.js";
import { card, h } from "../dom.js";
import { inDays, longDate, money, monthName, num, relativeDay } from "../format.js";

function summaryTiles(b) {
  const cur = b.currency;
  const tile = (label, value, testid) => h("div", { class: "tile", testid }, h("span", { class: "tile-label" }, label), h("span", { class: "tile-value" }, value));
  return h("div", { class: "tiles" },
    tile("Spent this month", money(b.total_expenses ?? b.total_spent, cur), "tile-spent"),
    tile("Budgeted", money(b.total_budget, cur), "tile-budget"),
    tile(num(b.total_remaining) < 0 ? "Over budget by" : "Left to spend", money(Math.abs(num(b.total_remaining)), cur), "tile-remaining"),
    tile("Income", money(b.income ?? 0, cur), "tile-income"));
}

function budgetsCard(b) {
  const lines = b.categories || [];
  const body = lines.length
    ? h("div", { class: "budget-list" }, lines.map((l) => budgetBar(l, b.currency)))
    : h("p", { class: "muted" }, "No budgets yet. ", h("a", { href: "#/budgets" }, "Set a monthly limit"), " for a category to track it here.");
  const note = b.days_left !== undefined ? h("p", { class: "muted small" }, `${b.days_left} ${b.days_left === 1 ? "day" : "days"} left in ${monthName(b.month)}.`) : null;
  return card("Budgets this month", { testid: "dash-budgets" }, body, note);
}

function spendingCard(b) {
  const rows = [
    ...(b.categories || []).map((l) => ({ label: l.category, value: l.spent })),
    ...(b.unbudgeted || []).map((u) => ({ label: u.category, value: u.spent })),
  ];
  return card("Spending by category", { testid: "dash-spending" }, categoryBars(rows, b.currency));
}

function shortOr(sub) {
  const when = relativeDay(sub.next_renewal);
  return sub.days_until > 1 ? `${when} (${inDays(sub.days_until)})` : when;
}

function renewalsCard(subs) {
  const body = subs.length
    ? h("ul", { class: "list" }, subs.map((sub) => h("li", { class: "row" },
      h("span", null, sub.name),
      h("span", { class: "muted" }, `${shortOr(sub)}`),
      h("span", { class: "amount" }, money(sub.amount, sub.currency)))))
    : h("p", { class: "muted" }, "Nothing renews in the next 30 days.");
  return card("Upcoming renewals", { testid: "dash-renewals" }, body);
}

function recentCard(txs) {
  const body = txs.length
    ? h("ul", { class: "list" }, txs.map((t) => h("li", { class: "row" },
      h("span", null, t.description || t.merchant || t.category || t.kind),
      h("span", { class: "muted" }, [t.category, relativeDay(t.date)].filter(Boolean).join(" · ")),
      h("span", { class: `amount ${t.kind}` }, `${t.kind === "income" ? "+" : "−"}${money(t.amount, t.currency)}`))))
    : h("p", { class: "muted" }, "No transactions yet. Try the chat: “I spent 12 on lunch”.");
  return card("Recent transactions", { testid: "dash-recent" }, body, h("a", { href: "#/transactions", class: "more" }, "All transactions"));
}

function goalsCard(goals) {
  const body = goals.length
    ? h("ul", { class: "list goals" }, goals.map((g) => h("li", { class: "goal" },
      h("div", { class: "budget-head" }, h("span", null, g.name),
        h("span", { class: "muted" }, g.reached ? "Reached!" : `${Math.round(num(g.percent))}%`)),
      progress(g.percent, `${g.name} progress`),
      h("div", { class: "muted small" }, `${money(g.saved_amount, g.currency)} of ${money(g.target_amount, g.currency)}`,
        g.target_date ? ` · by ${longDate(g.target_date)}` : "",
        g.monthly_needed && !g.reached ? ` · ${money(g.monthly_needed, g.currency)}/month needed` : ""))))
    : h("p", { class: "muted" }, "No goals yet. Say “save 1000 for a trip by June”.");
  return card("Goals", { testid: "dash-goals" }, body);
}

export async function render(root, ctx) {
  const data = await api.get("/api/dashboard");
  if (!ctx.current()) return;
  const b = data.budget;
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Dashboard")),
    h("aside", { class: "tip", testid: "dash-tip" }, h("strong", null, "Tip: "), data.tip || ""),
    summaryTiles(b),
    h("div", { class: "grid" },
      budgetsCard(b),
      spendingCard(b),
      card("Last six months", { testid: "dash-trend" }, trendChart(data.trend, b.currency)),
      renewalsCard(data.upcoming_renewals || []),
      recentCard(data.recent_transactions || []),
      goalsCard(data.goals || [])));
}

export const refreshOnChange = true;
