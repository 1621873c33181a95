// "Can I afford it?": the dashboard's card for POST /api/purchase-check (the chat's
// check_purchase). Buy, wait or don't buy, in words, with the reason, the room left in the
// category and the alternatives, all computed by the server. Read-only: it records nothing, so
// it invalidates nothing.
import { api } from "../api.js";
import { card, field, h, select } from "../dom.js";
import { clearFormErrors, showFormErrors } from "../formerrors.js";
import { money, num } from "../format.js";
import { state } from "../session.js";
import { watch } from "../store.js";

const LABELS = { item: "What", amount: "Amount", category: "Category" };
const DECISIONS = {
  buy: { icon: "✓", word: "Buy", sub: "It fits." },
  wait: { icon: "…", word: "Wait", sub: "Not right now." },
  dont_buy: { icon: "✖", word: "Don't buy", sub: "Better not." },
};

// The last question and answer, kept across the dashboard's refreshes (for the same user only).
let last = null;

function fact(label, value, testid) {
  return h("div", { class: "fact", testid }, h("dt", null, label), h("dd", null, value));
}

function answer(r) {
  const cur = r.currency;
  const d = DECISIONS[r.decision] || { icon: "?", word: String(r.decision), sub: "" };
  const cat = r.category;
  const left = r.remaining_in_category;
  const free = num(r.impact?.free_after);
  const facts = h("dl", { class: "facts" },
    fact(`Left in ${cat}`, left === null || left === undefined ? "No budget set" : money(left, cur), "purchase-remaining"),
    r.percent_of_category === null || r.percent_of_category === undefined
      ? null
      : fact(`Share of the ${cat} budget`, `${String(r.percent_of_category).replace(/\.0+$/, "")}%`, "purchase-share"),
    r.basis === "none"
      ? null
      : fact(free < 0 ? "Month short by" : "Free this month after it", money(Math.abs(free), cur), "purchase-free"));
  const alts = (r.alternatives || []).map((a) => h("li", { testid: "purchase-alt", dataset: { kind: a.kind } }, a.text));
  return [
    h("p", { class: `decision decision-${r.decision}`, testid: "purchase-decision", dataset: { decision: r.decision } },
      h("span", { class: "decision-icon", "aria-hidden": "true" }, d.icon),
      h("span", { class: "decision-word" }, d.word),
      h("span", { class: "decision-what muted" }, `${r.item}, ${money(r.amount, cur)} · ${cat}`)),
    h("p", { class: "decision-reason", testid: "purchase-reason" }, r.reason),
    facts,
    alts.length ? h("div", { class: "insight-section", testid: "purchase-alts" }, h("h3", null, "Other ways"), h("ul", { class: "tips" }, alts)) : null,
    h("p", { class: "muted small" }, "Nothing was recorded: this is advice only."),
  ];
}

/** The card; ``categories`` are the expense category names, ``ctx`` the view's (current()). */
export function purchaseCard(categories, ctx) {
  const user = state.me?.id ?? null;
  const kept = last && last.user === user ? last : null;
  const item = h("input", { name: "item", required: true, maxlength: 200, autocomplete: "off", placeholder: "a new phone", value: kept?.item, testid: "purchase-item" });
  const amount = h("input", { name: "amount", inputmode: "decimal", required: true, placeholder: "500", autocomplete: "off", value: kept?.amount, testid: "purchase-amount" });
  const category = select({ name: "category", testid: "purchase-category" }, [["", "Guess from the item"], ...categories], kept?.category);
  const submit = h("button", { type: "submit", class: "btn primary", testid: "purchase-submit" }, "Check");
  const error = h("p", { class: "form-error", role: "alert", id: "purchase-error", testid: "purchase-error", hidden: true });
  const form = h("form", { class: "form-grid purchase-form", id: "purchase-form", novalidate: true, testid: "purchase-form", "aria-label": "Can I afford it?" },
    field("What", item), field("Amount", amount), field("Category", category),
    h("div", { class: "actions form-actions" }, submit), error);
  const result = h("div", { class: "purchase-result", testid: "purchase-result", "aria-live": "polite" });

  const values = () => ({ item: item.value, amount: amount.value, category: category.value });
  for (const el of [item, amount, category]) {
    el.addEventListener("input", () => { last = { ...(last?.user === user ? last : {}), user, ...values() }; });
  }

  let seq = 0;
  async function ask() {
    const mine = ++seq;
    const v = values();
    const body = { item: v.item.trim(), amount: v.amount.trim().replace(",", ".") };
    if (v.category) body.category = v.category;
    result.setAttribute("aria-busy", "true");
    submit.disabled = true;
    try {
      const r = await api.post("/api/purchase-check", body);
      if (mine !== seq || !ctx.current()) return;
      clearFormErrors(form, error);
      last = { user, ...v, result: r };
      result.replaceChildren(...answer(r).filter(Boolean));
      result.dataset.loaded = String(mine);
    } catch (err) {
      if (mine !== seq || !ctx.current()) return;
      last = { user, ...v, result: null };
      result.replaceChildren();
      const first = showFormErrors(form, err, { labels: LABELS, summary: error });
      first?.focus();
    } finally {
      if (mine === seq) {
        result.removeAttribute("aria-busy");
        submit.disabled = false;
      }
    }
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    ask();
  });

  // Back from a refresh: the last answer at once, then asked again (the ledger may have moved).
  if (kept?.result) {
    result.replaceChildren(...answer(kept.result).filter(Boolean));
    ask();
  }
  // The ledger moved while the card is shown (the chat, quick add): an answer on screen is asked
  // again; the question being typed stays as it is.
  const off = watch(["dashboard"], () => {
    if (!form.isConnected || !ctx.current()) off();
    else if (result.childElementCount) ask();
  });

  return card("Can I afford it?", { testid: "dash-purchase", class: "card purchase" },
    h("p", { class: "muted small" }, "Check a purchase against your budgets, upcoming renewals and goals before you buy."),
    form, result);
}
