// One line per tool the assistant ran, e.g. "Logged $12.50 · Dining · yesterday".
import { h } from "./dom.js";
import { money, relativeDay, shortDate } from "./format.js";

export const WRITE_TOOLS = new Set([
  "log_expense", "log_income", "log_refund", "set_budget", "add_subscription", "cancel_subscription",
  "update_transaction", "delete_transaction", "set_goal",
  "set_reminder", "snooze_reminder", "dismiss_reminder",
  "contribute_to_goal", "update_subscription", "set_exchange_rate", "move_budget", "set_monthly_income", "create_category",
]);

const READ_LABELS = {
  check_purchase: "Checked the purchase",
  budget_summary: "Looked at budgets",
  spending_summary: "Summed up spending",
  list_subscriptions: "Looked at subscriptions",
  list_transactions: "Looked at transactions",
  goal_progress: "Looked at goals",
  get_insights: "Looked for insights",
};

const DECISION = { buy: "buy", wait: "wait", dont_buy: "don't buy" };

function txLine(verb, tx) {
  if (!tx) return verb;
  return [`${verb} ${money(tx.amount, tx.currency)}`, tx.category || tx.description, relativeDay(tx.date)]
    .filter(Boolean).join(" · ");
}

/** {text, undoId, kind} for one tool_result event. undoId: a transaction the user may delete. */
export function describeTool(name, ok, result) {
  const r = result || {};
  if (!ok) {
    const why = r.error || r.message || "it did not work";
    return { text: `Could not ${name.replaceAll("_", " ")}: ${why}`, kind: "failed" };
  }
  switch (name) {
    case "log_expense":
      return { text: txLine("Logged", r.transaction), undoId: r.transaction?.id, kind: "write" };
    case "log_income":
      return { text: txLine("Income", r.transaction), undoId: r.transaction?.id, kind: "write" };
    case "log_refund":
      return { text: txLine("Refund", r.transaction), undoId: r.transaction?.id, kind: "write" };
    case "update_transaction":
      return { text: txLine("Updated", r.transaction), kind: "write" };
    case "delete_transaction":
      return { text: txLine("Deleted", r.deleted), kind: "write" };
    case "set_budget": {
      const b = r.budget || {};
      return { text: `Budget ${b.category || ""} · ${money(b.amount, b.currency)} a month`, kind: "write" };
    }
    case "add_subscription": {
      const sub = r.subscription || {};
      const when = sub.next_renewal ? ` · renews ${shortDate(sub.next_renewal)}` : "";
      return { text: `Added ${sub.name || "subscription"} · ${money(sub.amount, sub.currency)} ${sub.cadence || ""}${when}`, kind: "write" };
    }
    case "cancel_subscription":
      return { text: `Cancelled ${r.subscription?.name || "subscription"}`, kind: "write" };
    case "set_goal": {
      const g = r.goal || {};
      return { text: `Goal ${g.name || ""} · ${money(g.target_amount, g.currency)}`, kind: "write" };
    }
    case "set_reminder": {
      const sub = r.subscription || {};
      return { text: `Reminder ${sub.name || ""} · ${r.days_before ?? sub.remind_days_before} days before`, kind: "write" };
    }
    case "snooze_reminder":
      return { text: `Snoozed ${r.notification?.title || "reminder"} · until ${shortDate(r.until)}`, kind: "write" };
    case "dismiss_reminder":
      return { text: `Dismissed ${r.notification?.title || "reminder"}`, kind: "write" };
    case "contribute_to_goal": {
      const g = r.goal || {};
      return { text: `Saved ${money(r.added, g.currency)} · ${g.name || "goal"} · ${money(g.saved_amount, g.currency)} of ${money(g.target_amount, g.currency)}`, kind: "write" };
    }
    case "update_subscription": {
      const sub = r.subscription || {};
      return { text: `Updated ${sub.name || "subscription"} · ${money(sub.amount, sub.currency)} ${sub.cadence || ""}`, kind: "write" };
    }
    case "set_exchange_rate":
      return { text: `Rate 1 ${r.currency} = ${r.rate} ${r.base}`, kind: "write" };
    case "move_budget":
      return { text: `Moved ${money(r.amount, r.currency)} · ${r.from_line?.category || ""} → ${r.to_line?.category || ""}`, kind: "write" };
    case "set_monthly_income":
      return { text: `Monthly income ${money(r.monthly_income, r.currency)}`, kind: "write" };
    case "create_category":
      return { text: `New category ${r.category?.name || ""}`, kind: "write" };
    case "check_purchase":
      return { text: `Checked ${r.item || "purchase"}: ${DECISION[r.decision] || r.decision || "?"}`, kind: "read" };
    default:
      return { text: READ_LABELS[name] || name.replaceAll("_", " "), kind: "read" };
  }
}

/**
 * Yes / No under a message whose write waits for the user's word (the contract's `confirm`).
 * `onAnswer("yes"|"no")` sends the answer; `box.settle()` greys the buttons when the moment has
 * passed (answered, or another message dropped the confirmation).
 */
export function confirmChips(confirm, onAnswer) {
  const yes = h("button", { type: "button", class: "btn small primary", testid: "confirm-yes" }, "Yes");
  const no = h("button", { type: "button", class: "btn small", testid: "confirm-no" }, "No");
  const box = h("div", {
    class: "confirm-chips", role: "group", "aria-label": confirm.text || "Confirm", testid: "confirm",
    dataset: { confirmId: confirm.id },
  }, yes, no);
  box.settle = (answer) => {
    yes.disabled = true;
    no.disabled = true;
    box.dataset.answer = answer || "dropped";
  };
  const pick = (answer) => {
    if (yes.disabled) return;
    box.settle(answer);
    onAnswer(answer);
  };
  yes.addEventListener("click", () => pick("yes"));
  no.addEventListener("click", () => pick("no"));
  return box;
}
