// Spending report: what was spent between two dates (GET /api/spending/summary, the chat's
// spending_summary tool), by category, against the period of equal length just before.
import { api } from "../api.js";
import { categoryNames } from "../categories.js";
import { categoryBars } from "../components/charts.js";
import { field, h, select } from "../dom.js";
import { EARLIEST_DAY, isoDay, latestDay, longDate, money, num, shortDate } from "../format.js";
import { state } from "../session.js";
import { watch } from "../store.js";

const LABELS = { start: "From", end: "To", category: "Category" };
const DATE_SETTLE_MS = 400;

// The range last asked for, kept across refreshes and visits (for the same user only).
let saved = null;

function ymd(d) {
  const pad = (x) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Quick ranges in the browser's own calendar: [label, start, end]. */
function presets() {
  const now = new Date();
  const y = now.getFullYear();
  const m = now.getMonth();
  return [
    ["This month", ymd(new Date(y, m, 1)), isoDay()],
    ["Last month", ymd(new Date(y, m - 1, 1)), ymd(new Date(y, m, 0))],
    ["Last 30 days", isoDay(-29), isoDay()],
    ["This year", `${y}-01-01`, isoDay()],
  ];
}

function rangeText(start, end) {
  if (start === end) return longDate(start);
  const sameYear = String(start).slice(0, 4) === String(end).slice(0, 4);
  return `${sameYear ? shortDate(start) : longDate(start)} – ${longDate(end)}`;
}

function dayCount(start, end) {
  const [a, b] = [start, end].map((iso) => {
    const [y, m, d] = String(iso).split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  });
  return Math.round((b - a) / 86_400_000) + 1;
}

function sentence(text) {
  const t = String(text || "").trim();
  if (!t) return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** The API's own words for a refused report, and which fields they are about. */
function problem(err) {
  const detail = err?.body?.detail;
  if (Array.isArray(detail) && detail.length) {
    const fields = [];
    const text = detail.map((d) => {
      const name = String((d.loc || []).at(-1) ?? "");
      if (name in LABELS) fields.push(name);
      const msg = String(d.msg || "");
      return name in LABELS && !msg.toLowerCase().startsWith(name) ? sentence(`${LABELS[name]}: ${msg}`) : sentence(msg);
    }).join(" ");
    return { text, fields };
  }
  return { text: sentence(err?.message || String(err)), fields: [] };
}

function tile(label, value, testid, sub) {
  return h("div", { class: "tile", testid },
    h("span", { class: "tile-label" }, label),
    h("span", { class: "tile-value" }, value),
    sub ? h("span", { class: "tile-sub muted small" }, sub) : null);
}

/** "21.1% less than the previous 22 days (Oct 10 – Oct 31, 2026), when you spent $125.61." */
function comparison(r) {
  const cur = r.currency;
  const days = dayCount(r.previous.start, r.previous.end);
  const before = `the previous ${days} ${days === 1 ? "day" : "days"} (${rangeText(r.previous.start, r.previous.end)})`;
  if (r.change_pct === null || r.change_pct === undefined) {
    return `Nothing was spent in ${before}, so there is nothing to compare with.`;
  }
  const pct = String(r.change_pct).replace(/^[-+]/, "");
  const how = num(r.change_pct) > 0 ? `▲ ${pct}% more than` : num(r.change_pct) < 0 ? `▼ ${pct}% less than` : "The same as";
  return `${how} ${before}, when you spent ${money(r.previous.total, cur)}.`;
}

function reportBody(r) {
  const cur = r.currency;
  const rows = r.by_category || [];
  const range = rangeText(r.start, r.end);
  const heading = h("h2", { testid: "report-heading" }, r.category ? `${r.category}, ${range}` : range);
  const note = r.note ? h("p", { class: "muted small", testid: "report-note" }, sentence(r.note)) : null;
  if (num(r.total) === 0 && !rows.length) {
    const where = r.category ? ` on ${r.category}` : "";
    return [heading,
      h("p", { class: "muted", testid: "report-empty" }, `No spending${where} between ${longDate(r.start)} and ${longDate(r.end)}. `,
        "Try a wider range, another category, or log an expense on the ", h("a", { href: "#/transactions" }, "Transactions"), " page."),
      num(r.previous.total) > 0 ? h("p", { class: "muted small", testid: "report-change" }, comparison(r)) : null,
      note];
  }
  const tiles = h("div", { class: "tiles" },
    tile("Spent", money(r.total, cur), "report-total"),
    tile("Transactions", String(r.count), "report-count"),
    tile("Previous period", money(r.previous.total, cur), "report-previous", rangeText(r.previous.start, r.previous.end)),
    r.category ? null : tile("Income", money(r.income_total, cur), "report-income"));
  const chart = categoryBars(rows.map((c) => ({ label: c.category, value: c.amount })), cur, {
    label: `Spending by category, ${range}`, empty: "Nothing to chart.", limit: rows.length, testid: "report-chart",
  });
  const table = h("div", { class: "table-wrap" }, h("table", { class: "table stack", testid: "report-table" },
    h("caption", { class: "sr-only" }, `Spending by category, ${range}`),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Category"),
      ["Spent", "Share", "Transactions"].map((c) => h("th", { scope: "col", class: "amount" }, c)))),
    h("tbody", null, rows.map((c) => h("tr", { testid: "report-row", dataset: { category: c.category, amount: c.amount } },
      h("th", { scope: "row" }, c.category),
      h("td", { class: "amount", "data-label": "Spent", testid: "report-amount" }, money(c.amount, cur)),
      h("td", { class: "amount", "data-label": "Share" }, c.share === null || c.share === undefined ? "—" : `${c.share}%`),
      h("td", { class: "amount", "data-label": "Transactions" }, String(c.count)))))));
  return [heading, tiles, h("p", { class: "report-change", testid: "report-change" }, comparison(r)), chart, table, note];
}

export async function render(root, ctx) {
  const names = await categoryNames("expense");
  if (!ctx.current()) return;
  const user = state.me?.id ?? null;
  const [, monthStart, today] = presets()[0];
  const initial = saved && saved.user === user ? saved : { start: monthStart, end: today, category: "" };

  const start = h("input", { type: "date", name: "start", required: true, value: initial.start, min: EARLIEST_DAY, max: latestDay(), testid: "report-start" });
  const end = h("input", { type: "date", name: "end", required: true, value: initial.end, min: EARLIEST_DAY, max: latestDay(), testid: "report-end" });
  const category = select({ name: "category", testid: "report-category" }, [["", "All categories"], ...names], initial.category);
  const form = h("form", { class: "filters", testid: "report-form", "aria-label": "Report range" },
    field("From", start), field("To", end), field("Category", category),
    h("button", { type: "submit", class: "btn primary", testid: "report-submit" }, "Show report"));
  const quick = h("div", { class: "actions", role: "group", "aria-label": "Quick ranges" },
    presets().map(([label, a, b]) => h("button", {
      type: "button", class: "btn small", testid: `report-preset-${label.toLowerCase().replaceAll(" ", "-")}`,
      onclick: () => {
        start.value = a;
        end.value = b;
        form.requestSubmit();
      },
    }, label)));
  const status = h("p", { class: "sr-only", role: "status", testid: "report-status" });
  const results = h("section", { class: "card report", testid: "report-results" });

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const q = { start: start.value, end: end.value, category: category.value };
    saved = { user, ...q };
    results.setAttribute("aria-busy", "true");
    let body;
    let said;
    try {
      const r = await api.get("/api/spending/summary", q);
      if (mine !== seq || !ctx.current()) return;
      for (const el of [start, end, category]) el.removeAttribute("aria-invalid");
      body = reportBody(r);
      said = num(r.total) === 0 && !(r.by_category || []).length
        ? "No spending in this range."
        : `${money(r.total, r.currency)} spent, ${rangeText(r.start, r.end)}.`;
    } catch (err) {
      if (mine !== seq || !ctx.current()) return;
      const { text, fields } = problem(err);
      for (const el of [start, end, category]) {
        if (fields.includes(el.name)) {
          el.setAttribute("aria-invalid", "true");
          el.setAttribute("aria-describedby", "report-error");
        } else {
          el.removeAttribute("aria-invalid");
          el.removeAttribute("aria-describedby");
        }
      }
      body = [h("h2", null, "This report could not be made"),
        h("p", { class: "error", role: "alert", id: "report-error", testid: "report-error" }, text),
        h("p", { class: "muted small" }, "Change the dates or the category and try again.")];
      said = "";
    }
    results.replaceChildren(...body.filter(Boolean));
    results.removeAttribute("aria-busy");
    results.dataset.loaded = String(mine);
    status.textContent = said;
  }

  // Date inputs fire "change" as each part is typed: wait for the typing to settle.
  let settle;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(settle);
    load();
  });
  category.addEventListener("change", () => form.requestSubmit());
  for (const input of [start, end]) {
    input.addEventListener("change", () => {
      clearTimeout(settle);
      settle = setTimeout(() => {
        if (results.isConnected) form.requestSubmit();
      }, DATE_SETTLE_MS);
    });
  }

  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Spending report"),
      h("p", { class: "muted" }, "What you spent between two dates, by category, against the period of the same length just before.")),
    h("section", { class: "card", testid: "report-controls" }, form, quick),
    status,
    results);
  await load();

  // A write touched the "reports" tag (the chat, quick add, another view): redraw the figures, keep the form.
  const off = watch(["reports"], () => {
    if (results.isConnected) load();
    else off();
  });
  return () => {
    clearTimeout(settle);
    off();
  };
}
