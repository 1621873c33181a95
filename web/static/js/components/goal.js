// A savings goal in a line: its progress bar, its status in words, its figures (goals view and dashboard).
import { h } from "../dom.js";
import { longDate, money, num } from "../format.js";

/** "25.0" -> "25%", "50.1" -> "50.1%" (the server's one-decimal percent). */
export function percentText(pct) {
  return `${String(pct ?? 0).replace(/\.0+$/, "")}%`;
}

/** Where a goal stands, in words (colour only repeats them): [status class, label]. */
export function goalStatus(g) {
  if (g.reached) return ["ok", "✓ Reached"];
  if (g.target_date && g.months_left === 0) return ["over", "Date passed"];
  if (g.on_track === false) return ["warning", "Behind schedule"];
  if (g.on_track === true) return ["ok", "On track"];
  return ["none", "No deadline"];
}

export function goalBar(g) {
  const pct = Math.max(0, Math.min(100, num(g.percent)));
  return h("div", {
    class: "bar", role: "progressbar", "aria-label": `${g.name} saved`, testid: "goal-bar",
    "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(pct), "aria-valuetext": `${percentText(g.percent)} saved`,
  }, h("div", { class: "bar-fill", style: { width: `${pct}%` } }));
}

/** "$749.70 to go · by Jun 1, 2027 · $62.48 a month needed" (what applies). */
export function goalMeta(g) {
  const cur = g.currency;
  const parts = [];
  if (!g.reached) parts.push(`${money(g.remaining, cur)} to go`);
  if (g.target_date) parts.push(`by ${longDate(g.target_date)}`);
  else parts.push("no target date");
  if (g.target_date && !g.reached && num(g.monthly_needed) > 0) parts.push(`${money(g.monthly_needed, cur)} a month needed`);
  return parts.join(" · ");
}
