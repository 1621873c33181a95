// Charts drawn with our own SVG: progress bars, horizontal category bars, a monthly trend.
import { h, s } from "../dom.js";
import { money, monthLabel, num, PACE_LABEL, STATUS_LABEL } from "../format.js";

/** A budget line: name, bar (role=progressbar) and a text status, not colour alone. */
export function budgetBar(line, currency, pace) {
  const pct = Math.max(0, num(line.percent_used));
  const shown = Math.min(100, pct);
  // One pace model with the insights' tips: a bar's words come from the month's pace when known.
  const status = pace ? { on_track: "ok", over_pace: "warning", over: "over" }[pace.status] || "ok" : line.status || "ok";
  const statusText = pace ? PACE_LABEL[pace.status] || pace.status : STATUS_LABEL[status] || status;
  const paceText = pace && pace.status === "over_pace" ? ` · heading for ${money(pace.projected, currency)}` : pace && pace.fixed ? " · fixed monthly" : "";
  return h("div", { class: `budget-row status-${status}`, testid: "budget-row", dataset: { category: line.category, status, spent: line.spent } },
    h("div", { class: "budget-head" },
      h("span", { class: "budget-name" }, line.category),
      h("span", { class: "budget-status", testid: "budget-status" }, statusText)),
    h("div", {
      class: "bar", role: "progressbar", "aria-label": `${line.category} budget used`,
      "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(pct),
      "aria-valuetext": `${Math.round(pct)}% used`, testid: `budget-bar-${line.category}`,
    }, h("div", { class: "bar-fill", style: { width: `${shown}%` } })),
    h("div", { class: "budget-figures", testid: "budget-figures" },
      `${money(line.spent, currency)} of ${money(line.budget, currency)}`,
      h("span", { class: "muted" }, ` · ${num(line.remaining) < 0 ? money(-num(line.remaining), currency) + " over" : money(line.remaining, currency) + " left"}${paceText}`)));
}

/** Horizontal bars, largest first: [{label, value}]. Options: the chart's aria-label, the
 * empty-state text, how many bars at most, and the test id. */
export function categoryBars(rows, currency, {
  label = "Spending by category this month", empty = "No spending this month yet.", limit = 8, testid = "category-chart", href = null,
} = {}) {
  const data = rows.filter((r) => num(r.value) > 0).sort((a, b) => num(b.value) - num(a.value)).slice(0, limit);
  if (!data.length) return h("p", { class: "muted" }, empty);
  const max = Math.max(...data.map((r) => num(r.value)));
  const rowH = 28;
  const width = 320;
  const labelW = 110;
  const axisH = 22;
  const svg = s("svg", {
    class: "chart", viewBox: `0 0 ${width} ${data.length * rowH + axisH}`, role: href ? "group" : "img", "aria-label": label, testid,
  });
  data.forEach((r, i) => {
    const y = i * rowH;
    const w = Math.max(2, ((width - labelW - 70) * num(r.value)) / max);
    const parts = [
      s("text", { x: 0, y: y + 18, class: "chart-label" }, r.label.length > 14 ? `${r.label.slice(0, 13)}…` : r.label),
      s("rect", { x: labelW, y: y + 6, width: w, height: 16, rx: 3, class: "chart-bar" }, s("title", null, `${r.label}: ${money(r.value, currency)}`)),
      s("text", { x: labelW + w + 6, y: y + 18, class: "chart-value" }, money(r.value, currency)),
    ];
    if (href) {
      const a = s("a", { href: href(r.label), class: "chart-link", testid: "chart-category-link", "aria-label": `${r.label}: ${money(r.value, currency)}, show its transactions` }, ...parts);
      svg.append(a);
    } else svg.append(...parts);
  });
  const axisY = data.length * rowH + 4;
  svg.append(
    s("line", { x1: labelW, x2: width - 70, y1: axisY, y2: axisY, class: "chart-axis" }),
    s("text", { x: labelW, y: axisY + 14, class: "chart-axis-label" }, money(0, currency)),
    s("text", { x: width - 70, y: axisY + 14, "text-anchor": "end", class: "chart-axis-label" }, `${money(max, currency)} spent`),
  );
  return svg;
}

/** Six months of spending and income as paired bars. */
export function trendChart(trend, currency) {
  const months = trend || [];
  if (!months.length) return h("p", { class: "muted" }, "No history yet.");
  const width = 340;
  const height = 184;
  const base = 140;
  const max = Math.max(1, ...months.flatMap((m) => [num(m.spent), num(m.income)]));
  const slot = width / months.length;
  const barW = Math.min(18, slot / 3);
  const svg = s("svg", {
    class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", testid: "trend-chart",
    "aria-label": "Spending and income over the last six months",
  });
  svg.append(
    s("line", { x1: 0, x2: width, y1: base, y2: base, class: "chart-axis" }),
    s("line", { x1: 0, x2: width, y1: 10, y2: 10, class: "chart-grid" }),
    s("text", { x: 2, y: 8, class: "chart-axis-label", testid: "trend-axis-max" }, money(max, currency)),
  );
  months.forEach((m, i) => {
    const x = i * slot + slot / 2;
    const hs = ((base - 10) * num(m.spent)) / max;
    const hi = ((base - 10) * num(m.income)) / max;
    svg.append(
      s("rect", { x: x - barW - 1, y: base - hs, width: barW, height: hs, rx: 2, class: "chart-bar spent" },
        s("title", null, `${monthLabel(m.month)} spent ${money(m.spent, currency)}`)),
      s("rect", { x: x + 1, y: base - hi, width: barW, height: hi, rx: 2, class: "chart-bar income" },
        s("title", null, `${monthLabel(m.month)} income ${money(m.income, currency)}`)),
      s("text", { x, y: base + 18, "text-anchor": "middle", class: "chart-label" }, monthLabel(m.month)),
      s("text", { x, y: base + 30, "text-anchor": "middle", class: "chart-value small", testid: "trend-value" }, compactMoney(m.spent, currency)),
    );
  });
  const legend = h("div", { class: "legend" },
    h("span", { class: "key spent" }, "Spent"), h("span", { class: "key income" }, "Income"));
  const table = h("table", { class: "sr-only" },
    h("caption", null, "Monthly spending and income"),
    h("tr", null, h("th", null, "Month"), h("th", null, "Spent"), h("th", null, "Income")),
    months.map((m) => h("tr", null, h("td", null, m.month), h("td", null, money(m.spent, currency)), h("td", null, money(m.income, currency)))));
  return h("div", null, svg, legend, table);
}

function compactMoney(value, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(num(value));
  } catch {
    return money(value, currency);
  }
}

export function progress(percent, label) {
  const pct = Math.max(0, Math.min(100, num(percent)));
  return h("div", { class: "bar", role: "progressbar", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(pct) },
    h("div", { class: "bar-fill", style: { width: `${pct}%` } }));
}
