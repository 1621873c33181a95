// Display formatting: money, dates, percentages. Amounts arrive as decimal strings.
import { currency as userCurrency, state } from "./session.js";

/** The profile's time zone: every date the UI shows or defaults to is the user's, not the browser's. */
export function timeZone() {
  return state.me?.timezone || undefined;
}

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

/** "YYYY-MM-DD" in the profile's time zone, for today + offset days. */
export function isoDay(offsetDays = 0) {
  let today;
  try {
    today = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone(), year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    today = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  }
  const [y, m, d] = today.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d + offsetDays));
  return day.toISOString().slice(0, 10);
}

/** The ledger's date bounds, the same the server checks: 1900-01-01 to a year after today. */
export const EARLIEST_DAY = "1900-01-01";
export function latestDay() {
  return isoDay(366);
}

/** "YYYY-MM" plus n months. */
export function addMonths(ym, n) {
  const [y, m] = String(ym).split("-").map(Number);
  const idx = y * 12 + (m - 1) + n;
  return `${String(Math.floor(idx / 12)).padStart(4, "0")}-${String((idx % 12) + 1).padStart(2, "0")}`;
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
  try {
    return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: timeZone() });
  } catch {
    return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }
}

export const STATUS_LABEL = { ok: "On track", warning: "Near limit", over: "Over budget" };
export const PACE_LABEL = { on_track: "On track", over_pace: "Over pace", over: "Over budget" };
