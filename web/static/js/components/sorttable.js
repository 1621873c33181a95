// Sort a table by a column: its header becomes a button; a second click turns the order round.
// Cells sort by their data-sort value (an ISO date, a plain number) or else their text.
import { h } from "../dom.js";

/** ``types``: one per column, "text" | "number" | null (not sortable). Returns {apply} to re-sort after a reload. */
export function sortable(table, types) {
  const state = { col: null, dir: "asc" };
  const ths = [...table.tHead.rows[0].cells];
  function value(row, col, type) {
    const cell = row.cells[col];
    const raw = cell?.dataset.sort ?? cell?.textContent ?? "";
    return type === "number" ? Number(raw) : String(raw).toLowerCase();
  }
  function apply() {
    if (state.col === null) return;
    const tbody = table.tBodies[0];
    const rows = [...tbody.rows].filter((r) => r.cells.length > 1);
    const type = types[state.col];
    rows.sort((a, b) => {
      const x = value(a, state.col, type), y = value(b, state.col, type);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return state.dir === "asc" ? c : -c;
    });
    tbody.append(...rows);
  }
  ths.forEach((th, col) => {
    if (!types[col]) return;
    const label = th.textContent;
    const btn = h("button", { type: "button", testid: `sort-col-${col}` }, label);
    th.replaceChildren(btn);
    th.classList.add("sortable");
    th.setAttribute("aria-sort", "none");
    btn.addEventListener("click", () => {
      state.dir = state.col === col && state.dir === "asc" ? "desc" : "asc";
      state.col = col;
      for (const other of ths) if (other.classList.contains("sortable")) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
      apply();
    });
  });
  return { apply };
}
