// Display formatting: money, dates, percentages. Amounts arrive as decimal strings.
import { currency as userCurrency } from "./session.js";

const moneyFormats = new Map();

export function money(amount, currency) {
  const cur = currency || userCurrency();
  let fmt = moneyFormats.get(cur);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(undefined, { style: "currency", currency: cur });
    } catch {
      fmt = { format: (n) => `${n.toFixed(2)} ${cur}` };
    }
    moneyFormats.set(cur, fmt);
  }
  const n = Number(amount);
  return Number.isFinite(n) ? fmt.format(n) : String(amount ?? "");
}

export function num(amount) {
  const n = Number(amount);
  return Number.isFinite(n) ? n : 0;
}

/** "YYYY-MM-DD" in local terms, for today + offset days. */
export function isoDay(offsetDays = 0) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const pad = (x) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function thisMonth() {
  return isoDay().slice(0, 7);
}

function parseDay(iso) {
  const [y, m, d] = String(iso).slice(0, 10).split("-").map(Number);
  return new Date(y, (m || 1) - 1, d || 1);
}

export function shortDate(iso) {
  if (!iso) return "";
  return parseDay(iso).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

export function longDate(iso) {
  if (!iso) return "";
  return parseDay(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** "today", "yesterday", "tomorrow" or a short date. */
export function relativeDay(iso) {
  if (!iso) return "";
  const day = String(iso).slice(0, 10);
  if (day === isoDay(0)) return "today";
  if (day === isoDay(-1)) return "yesterday";
  if (day === isoDay(1)) return "tomorrow";
  return shortDate(day);
}

export function monthLabel(ym) {
  const [y, m] = String(ym).split("-").map(Number);
  return new Date(y, (m || 1) - 1, 1).toLocaleDateString(undefined, { month: "short" });
}

export function monthName(ym) {
  const [y, m] = String(ym).split("-").map(Number);
  if (!y || !m) return String(ym ?? "");
  return new Date(y, m - 1, 1).toLocaleDateString(undefined, { month: "long", year: "numeric" });
}

/** "today", "tomorrow", "in 5 days" for a day count. */
export function inDays(n) {
  if (n === 0) return "today";
  if (n === 1) return "tomorrow";
  return n > 1 ? `in ${n} days` : `${-n} days ago`;
}

export function dateTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export const STATUS_LABEL = { ok: "On track", warning: "Near limit", over: "Over budget" };
