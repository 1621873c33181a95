// A month picker: previous, next and any month; the chosen month lives in the URL (?month=YYYY-MM).
import { h } from "../dom.js";
import { addMonths, monthName, thisMonth } from "../format.js";
import { goWith, routeParam } from "../router.js";

/** The month the URL names (when valid), else this month. */
export function urlMonth() {
  const m = routeParam("month");
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(m) ? m : thisMonth();
}

export function monthPicker(view, month) {
  const prev = h("button", { type: "button", class: "btn small", testid: "month-prev", "aria-label": `Previous month, ${monthName(addMonths(month, -1))}` }, "‹ Prev");
  const next = h("button", { type: "button", class: "btn small", testid: "month-next", "aria-label": `Next month, ${monthName(addMonths(month, 1))}` }, "Next ›");
  const input = h("input", { type: "month", value: month, min: "1900-01", max: addMonths(thisMonth(), 12), testid: "month-input", "aria-label": "Jump to a month" });
  const label = h("strong", { class: "month-label", testid: "month-label" }, monthName(month));
  const today = month !== thisMonth() ? h("button", { type: "button", class: "btn small ghost", testid: "month-today" }, "This month") : null;
  prev.addEventListener("click", () => goWith(view, { month: addMonths(month, -1) }));
  next.addEventListener("click", () => goWith(view, { month: addMonths(month, 1) }));
  input.addEventListener("change", () => { if (/^\d{4}-\d{2}$/.test(input.value)) goWith(view, { month: input.value }); });
  today?.addEventListener("click", () => goWith(view, {}));
  return h("div", { class: "month-picker", testid: "month-picker", role: "group", "aria-label": "Month" }, prev, label, next, input, today);
}
