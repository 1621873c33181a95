// Home: this month's budgets, "can I afford it?", insights, spending by category, the trend, renewals, recent activity, goals, a tip.
import { api } from "../api.js";
import { categoryNames } from "../categories.js";
import { budgetBar, categoryBars, trendChart } from "../components/charts.js";
import { card, h } from "../dom.js";
import { inDays, money, monthName, num, relativeDay, thisMonth } from "../format.js";
import { goalBar, goalMeta, goalStatus, percentText } from "../components/goal.js";
import { purchaseCard } from "../components/purchase.js";
import { monthPicker, urlMonth } from "../components/monthpicker.js";
import { toast, toastError } from "../toast.js";
import { invalidate, watch } from "../store.js";

/** The month's figures on one basis: everything spent, what was budgeted, what is left of the
 * budgets, and spending outside any budget, each apart (so the tiles add up). */
function summaryTiles(b, data) {
  const cur = b.currency;
  const tile = (label, value, testid, extra) => h("div", { class: "tile", testid }, h("span", { class: "tile-label" }, label), h("span", { class: "tile-value" }, value), extra || null);
  const unbudgeted = (b.unbudgeted || []).reduce((sum, u) => sum + num(u.spent), 0);
  const hasBudgets = (b.categories || []).length > 0;
  const left = hasBudgets
    ? tile(num(b.total_remaining) < 0 ? "Over budget by" : "Left to spend", money(Math.abs(num(b.total_remaining)), cur), "tile-remaining")
    : h("div", { class: "tile", testid: "tile-remaining" }, h("span", { class: "tile-label" }, "Left to spend"),
      h("span", { class: "tile-hint" }, "No budgets yet: ", h("a", { href: "#/budgets" }, "set a monthly limit"), " for a category to see what is left."));
  const income = data.monthly_income !== null && data.monthly_income !== undefined
    ? tile("Monthly income", money(data.monthly_income, cur), "tile-income", h("span", { class: "tile-sub muted" }, `${money(b.income ?? 0, cur)} recorded`))
    : tile("Income", money(b.income ?? 0, cur), "tile-income");
  return h("div", { class: "tiles" },
    tile("Spent", money(b.total_expenses ?? b.total_spent, cur), "tile-spent"),
    tile("Budgeted", money(b.total_budget, cur), "tile-budget", hasBudgets ? h("span", { class: "tile-sub muted" }, `${money(b.total_spent, cur)} spent in budgets`) : null),
    left,
    tile("Unbudgeted spending", money(unbudgeted, cur), "tile-unbudgeted"),
    income);
}

/** What the totals leave out (no exchange rate), said next to them, with the rate asked for
 * right there (PUT /api/rates/{code}, the rates store of services/currency.py). */
function leftOutNote(b) {
  if (!(b.left_out || []).length) return null;
  const forms = b.left_out.map((l) => {
    const input = h("input", { name: "rate", inputmode: "decimal", placeholder: "1.08", "aria-label": `${b.currency} per one ${l.currency}`, testid: `rate-input-${l.currency}` });
    const form = h("form", { class: "inline-form rate-ask", testid: `rate-ask-${l.currency}` },
      h("span", null, `1 ${l.currency} = `), input, h("span", null, ` ${b.currency} `),
      h("button", { type: "submit", class: "btn small primary" }, "Save rate"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const rate = input.value.trim().replace(",", ".");
      if (!/^\d+(\.\d+)?$/.test(rate) || Number(rate) <= 0) {
        toast(`Enter what one ${l.currency} is worth in ${b.currency}, like 1.08.`, { kind: "error" });
        return;
      }
      try {
        await api.put(`/api/rates/${encodeURIComponent(l.currency)}`, { rate });
        toast(`Saved: 1 ${l.currency} = ${rate} ${b.currency}. Those amounts now count.`);
        invalidate("rates");
      } catch (err) { toastError(err); }
    });
    return form;
  });
  return h("div", { class: "left-out", role: "note", testid: "left-out-note" },
    h("p", null, b.left_out.map((l) => `${l.count} ${l.count === 1 ? "transaction" : "transactions"} in ${l.currency} (${money(l.amount, l.currency)}) ${l.count === 1 ? "has" : "have"} no rate`).join("; "),
      ": left out of these totals until you set a rate."), forms);
}

function txLink(category, month) {
  return `#/transactions?category=${encodeURIComponent(category)}&month=${month}`;
}

function budgetsCard(b, pace) {
  const lines = b.categories || [];
  const paceBy = new Map(((pace && pace.categories) || []).map((p) => [p.category, p]));
  const body = lines.length
    ? h("div", { class: "budget-list" }, lines.map((l) => {
      const row = budgetBar(l, b.currency, paceBy.get(l.category));
      const name = row.querySelector(".budget-name");
      if (name) name.replaceChildren(h("a", { href: txLink(l.category, b.month), testid: "budget-link" }, l.category));
      return row;
    }))
    : h("p", { class: "muted" }, "No budgets yet. ", h("a", { href: "#/budgets" }, "Set a monthly limit"), " for a category to track it here.");
  const note = b.days_left !== undefined ? h("p", { class: "muted small" }, `${b.days_left} ${b.days_left === 1 ? "day" : "days"} left in ${monthName(b.month)}.`) : null;
  return card(`Budgets in ${monthName(b.month)}`, { testid: "dash-budgets" }, body, note);
}

function spendingCard(b) {
  const rows = [
    ...(b.categories || []).map((l) => ({ label: l.category, value: l.spent })),
    ...(b.unbudgeted || []).map((u) => ({ label: u.category, value: u.spent })),
  ];
  return card("Spending by category", { testid: "dash-spending" },
    categoryBars(rows, b.currency, { href: (label) => txLink(label, b.month), label: `Spending by category in ${monthName(b.month)}` }));
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
    ? h("ul", { class: "list goals" }, goals.map((g) => {
      const [status, label] = goalStatus(g);
      return h("li", { class: `goal status-${status}`, testid: "dash-goal", dataset: { name: g.name } },
        h("div", { class: "budget-head" }, h("span", { class: "budget-name" }, g.name),
          h("span", { class: "budget-status" }, g.reached ? label : `${percentText(g.percent)} · ${label}`)),
        goalBar(g),
        h("div", { class: "small", testid: "dash-goal-figures" }, `${money(g.saved_amount, g.currency)} of ${money(g.target_amount, g.currency)}`,
          h("span", { class: "muted" }, ` · ${goalMeta(g)}`)));
    }))
    : h("p", { class: "muted", testid: "dash-goals-empty" }, "No goals yet. ", h("a", { href: "#/goals", testid: "dash-goals-add" }, "Add a savings goal"),
      " or say “save 1000 for a trip by June”.");
  return card("Goals", { testid: "dash-goals" }, body, goals.length ? h("a", { href: "#/goals", class: "more" }, "All goals") : null);
}

// ---- insights: GET /api/insights, every figure and sentence computed by the server.

/** A percentage string as sent ("-23.6") without its sign: the words say up or down. */
function pctText(pct) {
  return pct === null || pct === undefined ? "" : `${String(pct).replace(/^[-+]/, "")}%`;
}

/** Tips that restate a section shown above (the sentences of assistant/services/insights.py). If
 * their wording ever changes, the worst outcome is a repeated line. */
function restated(tip, ins) {
  if (tip.startsWith("To rebalance") || tip.startsWith("No spending recorded")) return true;
  if ((ins.over_budget || []).some((o) => tip.startsWith(`${o.category} is over budget`))) return true;
  if ((ins.biggest_changes || []).some((c) => tip.startsWith(`${c.category} is up`))) return true;
  return (ins.top_categories || []).some((t) => t.share !== null && tip.startsWith(`${t.category} is ${t.share}%`));
}

const SHOWN_ROWS = 3;

/** A small titled list, left out when it has no rows; past three rows the rest fold away. */
function insightSection(title, testid, rows, listClass = "list") {
  if (!rows.length) return null;
  const more = rows.length > SHOWN_ROWS + 1
    ? h("details", { class: "insight-more" }, h("summary", null, `${rows.length - SHOWN_ROWS} more`), h("ul", { class: listClass }, rows.slice(SHOWN_ROWS)))
    : null;
  return h("div", { class: "insight-section", testid }, h("h3", null, title),
    h("ul", { class: listClass }, more ? rows.slice(0, SHOWN_ROWS) : rows), more);
}

function insightsBody(ins) {
  const cur = ins.currency;
  const when = monthName(ins.month);
  const top = (ins.top_categories || []).slice(0, 3);
  const subs = num(ins.subscriptions_monthly_total) > 0
    ? h("p", { class: "muted small" }, `Subscriptions cost ${money(ins.subscriptions_monthly_total, cur)} a month.`)
    : null;
  if (num(ins.total_spent) === 0 && !top.length) {
    return [
      h("p", { class: "muted", testid: "insights-empty" }, `Nothing spent in ${when} yet. Log an expense in the chat (“I spent 12 on lunch”) or on the `,
        h("a", { href: "#/transactions" }, "Transactions"), " page, and this card will show where your money goes, what changed since last month and where you could save."),
      subs,
    ];
  }
  const headline = h("p", { class: "insight-headline", testid: "insights-headline" }, `You spent ${money(ins.total_spent, cur)} in ${when}`,
    num(ins.income) > 0 ? ` against ${money(ins.income, cur)} of income.` : ".");
  const topRows = top.map((t, i) => h("li", { class: "row", testid: "insight-top", dataset: { category: t.category } },
    h("span", null, `${i + 1}. ${t.category}`),
    h("span", { class: "muted" }, t.share !== null ? `${t.share}% of spending` : ""),
    h("span", { class: "amount" }, money(t.spent, cur))));
  const changeRows = (ins.biggest_changes || []).map((c) => {
    const up = num(c.change) > 0;
    const pct = pctText(c.change_pct);
    return h("li", { class: "row", testid: "insight-change", dataset: { category: c.category } },
      h("span", null, c.category),
      h("span", { class: "muted" }, `${money(c.last_month, cur)} → ${money(c.this_month, cur)}`),
      h("span", { class: `amount delta-${up ? "up" : "down"}` },
        `${up ? "▲ up" : "▼ down"} ${money(Math.abs(num(c.change)), cur)}${pct ? ` (${pct})` : ""}`));
  });
  const overRows = (ins.over_budget || []).map((o) => h("li", { class: "row", testid: "insight-over", dataset: { category: o.category } },
    h("span", null, o.category),
    h("span", { class: "muted" }, `${money(o.spent, cur)} of ${money(o.budget, cur)}`),
    h("span", { class: "amount delta-over" }, `${money(o.over_by, cur)} over`)));
  const moves = (ins.reallocation || []).map((r) => h("li", { testid: "insight-move" }, r.text));
  const tips = (ins.tips || []).filter((tip) => !restated(tip, ins)).map((tip) => h("li", { testid: "insight-tip" }, tip));
  const missing = ins.note || (ins.missing_rates || []).length
    ? h("p", { class: "muted small" }, ins.note ? `${ins.note}.` : `Amounts in ${ins.missing_rates.join(", ")} are left out: no exchange rate set.`)
    : null;
  return [
    headline,
    insightSection("Where it went", "insights-top", topRows),
    insightSection("Over budget", "insights-over", overRows),
    insightSection("To rebalance", "insights-moves", moves, "tips"),
    insightSection(ins.month === thisMonth() ? "Compared with the same days last month" : "Compared with last month", "insights-changes", changeRows),
    insightSection("Tips", "insights-tips", tips, "tips"),
    missing,
  ];
}

function insightsCard(ins, month) {
  const title = `Insights for ${monthName(ins?.month || month)}`;
  const body = ins instanceof Error
    ? h("p", { class: "error", role: "alert" }, `Insights could not load: ${ins.message}`)
    : insightsBody(ins);
  return card(title, { testid: "dash-insights" }, body, h("a", { href: "#/reports", class: "more" }, "Spending report"));
}

/** The parts drawn from GET /api/dashboard, each a node that a fresh one replaces in place. */
function figures(data) {
  const b = data.budget;
  return {
    tip: h("aside", { class: "tip", testid: "dash-tip" }, h("strong", null, "Tip: "), data.tip || ""),
    tiles: summaryTiles(b, data),
    leftOut: leftOutNote(b) || document.createComment("no left-out amounts"),
    budgets: budgetsCard(b, data.pace),
    spending: spendingCard(b),
    trend: card("Last six months", { testid: "dash-trend" }, trendChart(data.trend, b.currency)),
    renewals: renewalsCard(data.upcoming_renewals || []),
    recent: recentCard(data.recent_transactions || []),
    goals: goalsCard(data.goals || []),
  };
}

function loadInsights(month) {
  return api.get("/api/insights", { month }).catch((err) => (err instanceof Error ? err : new Error(String(err))));
}

/** Put `fresh` where `old` is, keeping the keyboard where it was (by its testid). */
function swap(root, old, fresh) {
  const focused = old.contains?.(document.activeElement) ? document.activeElement.dataset?.testid : null;
  old.replaceWith(fresh);
  if (focused) root.querySelector(`[data-testid="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
}

export async function render(root, ctx) {
  const wanted = urlMonth();
  const [data, categories] = await Promise.all([api.get("/api/dashboard", { month: wanted }), categoryNames("expense").catch(() => [])]);
  if (!ctx.current()) return;
  // The dashboard's month (its budget month), else this month; a failure here leaves the rest standing.
  const month = data.budget?.month || thisMonth();
  const insights = await loadInsights(month);
  if (!ctx.current()) return;
  const parts = figures(data);
  let insightsPart = insightsCard(insights, month);
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Dashboard"), monthPicker("dashboard", month)),
    parts.tip,
    parts.tiles,
    parts.leftOut,
    h("div", { class: "grid" },
      parts.budgets,
      purchaseCard(categories, ctx),
      insightsPart,
      parts.spending,
      parts.trend,
      parts.renewals,
      parts.recent,
      parts.goals));

  // A write (the chat, quick add, another view) re-fetches only the parts it touched: the
  // figures on "dashboard", the insights on "insights"; the purchase question keeps its text.
  let figuresSeq = 0;
  let insightsSeq = 0;
  const offFigures = watch(["dashboard"], async () => {
    const mine = ++figuresSeq;
    try {
      const fresh = figures(await api.get("/api/dashboard", { month: wanted }));
      if (mine !== figuresSeq || !root.contains(parts.tiles)) return;
      for (const key of Object.keys(parts)) {
        swap(root, parts[key], fresh[key]);
        parts[key] = fresh[key];
      }
    } catch (err) {
      toastError(err);
    }
  });
  const offInsights = watch(["insights"], async () => {
    const mine = ++insightsSeq;
    const fresh = insightsCard(await loadInsights(month), month);
    if (mine !== insightsSeq || !root.contains(insightsPart)) return;
    swap(root, insightsPart, fresh);
    insightsPart = fresh;
  });
  return () => {
    offFigures();
    offInsights();
  };
}
