// The ledger: filters, search, add / edit / delete, CSV import with its report, CSV/JSON export.
import { api, ApiError, describeError } from "../api.js";
import { categoryNames, kindAndCategory } from "../categories.js";
import { card, field, formData, h, select } from "../dom.js";
import { editMode, saveOnSubmit } from "../editor.js";
import { EARLIEST_DAY, isoDay, latestDay, longDate, money } from "../format.js";
import { routeParam } from "../router.js";
import { accessToken, currency } from "../session.js";
import { toast, toastError } from "../toast.js";
import { invalidate, watch } from "../store.js";

const PAGE = 50;

export async function render(root, ctx) {
  const [expenseCats, incomeCats] = await Promise.all([categoryNames("expense"), categoryNames("income")]);
  if (!ctx.current()) return;
  const allCats = [...expenseCats, ...incomeCats];
  // A link from the dashboard or Budgets: "#/transactions?category=Dining&month=2026-11".
  const linkMonth = routeParam("month");
  const monthRange = /^\d{4}-\d{2}$/.test(linkMonth)
    ? { start: `${linkMonth}-01`, end: new Date(Date.UTC(Number(linkMonth.slice(0, 4)), Number(linkMonth.slice(5, 7)), 0)).toISOString().slice(0, 10) }
    : { start: "", end: "" };
  const filters = { ...monthRange, category: routeParam("category"), kind: "", q: "", offset: 0, sort: "date", dir: "desc" };

  // ---- filters
  const filterForm = h("form", { class: "filters", testid: "tx-filters", role: "search" },
    field("From", h("input", { type: "date", name: "start", value: filters.start, min: EARLIEST_DAY, max: latestDay() })),
    field("To", h("input", { type: "date", name: "end", value: filters.end, min: EARLIEST_DAY, max: latestDay() })),
    field("Category", select({ name: "category" }, [["", "All"], ...allCats], filters.category)),
    field("Kind", select({ name: "kind" }, [["", "All"], ["expense", "Expenses"], ["income", "Income"], ["refund", "Refunds"]])),
    field("Search", h("input", { type: "search", name: "q", placeholder: "description or merchant", testid: "tx-search" })),
    h("button", { type: "submit", class: "btn" }, "Apply"));
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    Object.assign(filters, formData(filterForm), { offset: 0 });
    if (filters.start && filters.end && filters.start > filters.end) {
      toast("“From” is after “To”: pick a From day on or before the To day.", { kind: "error" });
      return;
    }
    load();
  });
  let searchTimer;
  filterForm.q.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => filterForm.requestSubmit(), 300);
  });

  // ---- add / edit form
  const [kindSel, catSel] = kindAndCategory("tx", "Refund", expenseCats, incomeCats);
  const title = h("h2", null, "Add a transaction");
  const submitBtn = h("button", { type: "submit", class: "btn primary", testid: "tx-save" }, "Add");
  const cancelBtn = h("button", { type: "button", class: "btn ghost", hidden: true }, "Cancel edit");
  const txForm = h("form", { class: "form-grid", testid: "tx-form" },
    field("Kind", kindSel),
    field("Amount", h("input", { name: "amount", inputmode: "decimal", required: true, pattern: "\\d+([.,]\\d{1,2})?", placeholder: "12.50", testid: "tx-amount" })),
    field("Description", h("input", { name: "description", maxlength: 500, required: true, testid: "tx-description" })),
    field("Category", catSel),
    field("Date", h("input", { type: "date", name: "date", value: isoDay(), min: EARLIEST_DAY, max: latestDay(), required: true })),
    field("Merchant", h("input", { name: "merchant", maxlength: 200 })),
    h("div", { class: "actions" }, submitBtn, cancelBtn));
  const mode = editMode({
    title, saveBtn: submitBtn, cancelBtn, addTitle: "Add a transaction",
    onReset() {
      txForm.reset();
      txForm.date.value = isoDay();
      kindSel.dispatchEvent(new Event("change"));
    },
  });
  saveOnSubmit(txForm, mode, {
    path: "/api/transactions",
    // an emptied merchant field clears the merchant of the row being edited
    body: (d) => ({ kind: d.kind, amount: d.amount.replace(",", "."), description: d.description, date: d.date, merchant: d.merchant || (mode.editing ? "" : null) }),
    done: (_body, id) => (id ? "Transaction updated." : "Transaction added."),
    write: "transaction", source: "transactions", reload: load,
  });
  function edit(t) {
    mode.edit(t.id, "Edit transaction");
    kindSel.value = t.kind;
    kindSel.dispatchEvent(new Event("change"));
    txForm.amount.value = t.amount;
    txForm.description.value = t.description || "";
    catSel.value = t.category || "";
    txForm.date.value = t.date;
    txForm.merchant.value = t.merchant || "";
    txForm.amount.focus();
  }

  // ---- table
  const tbody = h("tbody");
  const count = h("p", { class: "muted", "aria-live": "polite", testid: "tx-count" });
  const prev = h("button", { type: "button", class: "btn small" }, "Newer");
  const next = h("button", { type: "button", class: "btn small" }, "Older");
  prev.addEventListener("click", () => { filters.offset = Math.max(0, filters.offset - PAGE); load(); });
  next.addEventListener("click", () => { filters.offset += PAGE; load(); });
  // Sort by column: a click on a header sorts by it, a second click turns the order round.
  let rows = [];
  const SORTS = { Date: "date", Description: "description", Category: "category", Amount: "amount" };
  const headers = Object.entries(SORTS).map(([label, key]) => {
    const btn = h("button", { type: "button", testid: `sort-${key}` }, label);
    const th = h("th", { scope: "col", class: "sortable", "aria-sort": key === filters.sort ? (filters.dir === "asc" ? "ascending" : "descending") : "none" }, btn);
    btn.addEventListener("click", () => {
      filters.dir = filters.sort === key && filters.dir === "desc" ? "asc" : "desc";
      filters.sort = key;
      for (const other of headers) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", filters.dir === "asc" ? "ascending" : "descending");
      drawRows();
    });
    return th;
  });
  const table = h("div", { class: "table-wrap" }, h("table", { class: "table stack", testid: "tx-table" },
    h("thead", null, h("tr", null, headers, h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))),
    tbody));
  function sortValue(t) {
    if (filters.sort === "amount") return Number(t.home_amount ?? t.amount) * (t.kind === "expense" ? -1 : 1);
    return String(t[filters.sort] ?? "").toLowerCase();
  }
  function drawRows() {
    const sorted = [...rows].sort((a, b) => {
      const x = sortValue(a), y = sortValue(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return filters.dir === "asc" ? c : -c;
    });
    tbody.replaceChildren(...sorted.map(rowOf));
    if (!sorted.length) tbody.append(h("tr", null, h("td", { colspan: 5, class: "muted" }, "No transactions match.")));
  }

  async function load() {
    try {
      const { start, end, category, kind, q, offset } = filters;
      const page = await api.get("/api/transactions", { start, end, category, kind, q, offset, limit: PAGE });
      if (!ctx.current()) return;
      rows = page.items;
      drawRows();
      const last = Math.min(page.total, filters.offset + page.items.length);
      count.textContent = page.total ? `${filters.offset + 1}–${last} of ${page.total}` : "0 transactions";
      prev.disabled = filters.offset === 0;
      next.disabled = last >= page.total;
    } catch (err) {
      toastError(err);
    }
  }

  function rowOf(t) {
        const del = h("button", { type: "button", class: "btn small danger", "aria-label": `Delete ${t.description}` }, "Delete");
        del.addEventListener("click", async () => {
          if (!confirm(`Delete “${t.description || t.category}” (${money(t.amount, t.currency)})?`)) return;
          try {
            await api.del(`/api/transactions/${t.id}`);
            toast(`Deleted “${t.description || t.category}”.`);
            invalidate("transaction", { source: "transactions" });
            load();
          } catch (err) { toastError(err); }
        });
        const ed = h("button", { type: "button", class: "btn small", "aria-label": `Edit ${t.description}` }, "Edit");
        ed.addEventListener("click", () => edit(t));
        return h("tr", { testid: "tx-row", dataset: { id: t.id } },
          h("td", { "data-label": "Date" }, longDate(t.date)),
          h("td", { "data-label": "Description" }, h("span", null, t.description, t.merchant ? h("span", { class: "muted small" }, ` · ${t.merchant}`) : null)),
          h("td", { "data-label": "Category" }, t.category || "—"),
          h("td", { class: `amount ${t.kind}`, "data-label": "Amount" }, `${t.kind === "expense" ? "−" : "+"}${money(t.amount, t.currency)}`,
            t.currency !== currency() ? h("span", { class: "muted small", testid: "tx-home" }, t.home_amount === null || t.home_amount === undefined ? " · no rate yet" : ` · ${money(t.home_amount)}`) : null,
            t.kind === "refund" ? h("span", { class: "muted small" }, " refund") : null),
          h("td", { class: "row-actions" }, ed, del));
  }

  // ---- import / export
  const report = h("div", { class: "import-report", testid: "import-report", "aria-live": "polite" });
  const fileInput = h("input", { type: "file", name: "file", accept: ".csv,text/csv", required: true, testid: "import-file" });
  const importForm = h("form", { class: "inline-form", testid: "import-form" },
    field("Bank CSV", fileInput), h("button", { type: "submit", class: "btn" }, "Import"));
  importForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!fileInput.files.length) return;
    const fd = new FormData();
    fd.append("file", fileInput.files[0]);
    const bar = h("div", { class: "bar", role: "progressbar", "aria-label": "Import progress", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0, testid: "import-progress" },
      h("div", { class: "bar-fill", style: { width: "0%" } }));
    const stage = h("span", { class: "muted small", testid: "import-stage" }, "Uploading…");
    report.replaceChildren(h("div", { class: "progress-line" }, bar, stage));
    const onProgress = (pct, text) => {
      bar.setAttribute("aria-valuenow", String(Math.round(pct)));
      bar.firstChild.style.width = `${pct}%`;
      stage.textContent = text;
    };
    try {
      const r = await uploadWithProgress(fd, onProgress);
      const by = r.by_how || {};
      const how = Object.entries(by).map(([k, n]) => `${n} by ${k}`).join(", ");
      const byRule = (r.categorised || []).filter((c) => c.how === "rule");
      // replaceChildren writes a null child as the text "null": leave the empty parts out.
      report.replaceChildren(...[
        h("p", { testid: "import-summary" }, `Imported ${r.imported} of ${r.total_rows} rows; ${(r.duplicates || []).length} already in your ledger; ${(r.errors || []).length} errors.`),
        how ? h("p", { class: "muted small", testid: "import-how" }, `Categorised: ${how}.`) : null,
        (r.categorised || []).length ? h("details", { testid: "import-categorised" }, h("summary", null, byRule.length ? `Categories (${byRule.length} by your rules)` : "Categories"),
          h("ul", null, r.categorised.map((c) => h("li", null, `Line ${c.line}: ${c.category}`,
            c.how === "rule" ? ` (your rule “${c.detail}”)` : c.how === "merchant memory" ? ` (you filed ${c.detail} there before)` : c.how === "recognised" ? ` (recognised “${c.detail}”)` : c.how === "category column" ? " (the file's category)" : " (nothing matched)")))) : null,
        (r.errors || []).length ? h("ul", { class: "errors" }, r.errors.map((x) => h("li", null, `Line ${x.line}: ${x.error}`))) : null,
        (r.duplicates || []).length ? h("details", null, h("summary", null, "Duplicates"),
          h("ul", null, r.duplicates.map((d) => h("li", null, `Line ${d.line}: ${longDate(d.date)} ${money(d.amount)} ${d.description || ""}`.trim())))) : null,
        (r.warnings || []).length ? h("details", null, h("summary", null, "Warnings"),
          h("ul", null, r.warnings.map((w) => h("li", null, `Line ${w.line}: ${w.warning}`)))) : null].filter(Boolean));
      importForm.reset();
      if (r.imported) { invalidate("transaction", { source: "transactions" }); load(); }
    } catch (err) {
      report.replaceChildren(h("p", { class: "error" }, err.message));
    }
  });
  const exportBtn = (fmt) => {
    const b = h("button", { type: "button", class: "btn", testid: `export-${fmt}` }, `Export ${fmt.toUpperCase()}`);
    b.addEventListener("click", async () => {
      try {
        await api.download("/api/export", { format: fmt, start: filters.start, end: filters.end }, `budgetwise.${fmt}`);
      } catch (err) { toastError(err); }
    });
    return b;
  };

  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Transactions")),
    card(null, { class: "card" }, filterForm),
    h("section", { class: "card" }, table, h("div", { class: "pager" }, count, prev, next)),
    h("section", { class: "card", testid: "tx-editor" }, title, txForm),
    card("Import and export", { testid: "tx-io" }, importForm, report, h("div", { class: "actions" }, exportBtn("csv"), exportBtn("json"))));
  await load();
  // A write elsewhere (the chat, quick add, another view): only the list is fetched again; a
  // half-typed form keeps its text.
  return watch(["transactions"], (detail) => {
    if (detail.source !== "transactions") load();
  });
}

/** The import's upload with progress (fetch cannot report it); the server's work follows. */
function uploadWithProgress(fd, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/import");
    const token = accessToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress((e.loaded / e.total) * 60, `Uploading… ${Math.round((e.loaded / e.total) * 100)}%`);
    });
    xhr.upload.addEventListener("load", () => onProgress(75, "Reading, categorising and saving the rows…"));
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      onProgress(100, "Done.");
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, describeError(body, xhr.status), body));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, describeError(null, 0), null)));
    xhr.send(fd);
  });
}
