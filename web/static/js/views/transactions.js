// The ledger: filters, search, add / edit / delete, CSV import with its report, CSV/JSON export.
import { api } from "../api.js";
import { categoryNames } from "../categories.js";
import { emit } from "../bus.js";
import { card, field, formData, h, select } from "../dom.js";
import { isoDay, longDate, money } from "../format.js";
import { toast, toastError } from "../toast.js";

const PAGE = 50;

export async function render(root, ctx) {
  const [expenseCats, incomeCats] = await Promise.all([categoryNames("expense"), categoryNames("income")]);
  if (!ctx.current()) return;
  const allCats = [...expenseCats, ...incomeCats];
  const filters = { start: "", end: "", category: "", kind: "", q: "", offset: 0 };

  // ---- filters
  const filterForm = h("form", { class: "filters", testid: "tx-filters", role: "search" },
    field("From", h("input", { type: "date", name: "start" })),
    field("To", h("input", { type: "date", name: "end" })),
    field("Category", select({ name: "category" }, [["", "All"], ...allCats])),
    field("Kind", select({ name: "kind" }, [["", "All"], ["expense", "Expenses"], ["income", "Income"]])),
    field("Search", h("input", { type: "search", name: "q", placeholder: "description or merchant", testid: "tx-search" })),
    h("button", { type: "submit", class: "btn" }, "Apply"));
  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    Object.assign(filters, formData(filterForm), { offset: 0 });
    load();
  });
  let searchTimer;
  filterForm.q.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => filterForm.requestSubmit(), 300);
  });

  // ---- add / edit form
  let editing = null;
  const kindSel = select({ name: "kind", testid: "tx-kind" }, [["expense", "Expense"], ["income", "Income"]]);
  const catSel = select({ name: "category", testid: "tx-category" }, [["", "Guess for me"], ...expenseCats]);
  kindSel.addEventListener("change", () => {
    const names = kindSel.value === "income" ? incomeCats : expenseCats;
    catSel.replaceChildren(...[["", "Guess for me"], ...names].map((o) => {
      const [v, l] = Array.isArray(o) ? o : [o, o];
      return h("option", { value: v }, l);
    }));
  });
  const title = h("h2", null, "Add a transaction");
  const submitBtn = h("button", { type: "submit", class: "btn primary", testid: "tx-save" }, "Add");
  const cancelBtn = h("button", { type: "button", class: "btn ghost", hidden: true }, "Cancel edit");
  const txForm = h("form", { class: "form-grid", testid: "tx-form" },
    field("Kind", kindSel),
    field("Amount", h("input", { name: "amount", inputmode: "decimal", required: true, pattern: "\\d+([.,]\\d{1,2})?", placeholder: "12.50", testid: "tx-amount" })),
    field("Description", h("input", { name: "description", maxlength: 500, required: true, testid: "tx-description" })),
    field("Category", catSel),
    field("Date", h("input", { type: "date", name: "date", value: isoDay(), required: true })),
    field("Merchant", h("input", { name: "merchant", maxlength: 200 })),
    h("div", { class: "actions" }, submitBtn, cancelBtn));
  function resetForm() {
    editing = null;
    txForm.reset();
    txForm.date.value = isoDay();
    kindSel.dispatchEvent(new Event("change"));
    title.textContent = "Add a transaction";
    submitBtn.textContent = "Add";
    cancelBtn.hidden = true;
  }
  cancelBtn.addEventListener("click", resetForm);
  txForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(txForm);
    const body = { kind: d.kind, amount: d.amount.replace(",", "."), description: d.description, date: d.date, merchant: d.merchant || (editing ? "" : null) };
    if (d.category) body.category = d.category;
    try {
      if (editing) await api.patch(`/api/transactions/${editing}`, body);
      else await api.post("/api/transactions", body);
      toast(editing ? "Transaction updated." : "Transaction added.");
      resetForm();
      emit("data-changed", { source: "transactions" });
      load();
    } catch (err) {
      toastError(err);
    }
  });
  function edit(t) {
    editing = t.id;
    kindSel.value = t.kind;
    kindSel.dispatchEvent(new Event("change"));
    txForm.amount.value = t.amount;
    txForm.description.value = t.description || "";
    catSel.value = t.category || "";
    txForm.date.value = t.date;
    txForm.merchant.value = t.merchant || "";
    title.textContent = "Edit transaction";
    submitBtn.textContent = "Save changes";
    cancelBtn.hidden = false;
    txForm.amount.focus();
  }

  // ---- table
  const tbody = h("tbody");
  const count = h("p", { class: "muted", "aria-live": "polite", testid: "tx-count" });
  const prev = h("button", { type: "button", class: "btn small" }, "Newer");
  const next = h("button", { type: "button", class: "btn small" }, "Older");
  prev.addEventListener("click", () => { filters.offset = Math.max(0, filters.offset - PAGE); load(); });
  next.addEventListener("click", () => { filters.offset += PAGE; load(); });
  const table = h("div", { class: "table-wrap" }, h("table", { class: "table stack", testid: "tx-table" },
    h("thead", null, h("tr", null, ["Date", "Description", "Category", "Amount", ""].map((c) => h("th", { scope: "col" }, c)))),
    tbody));

  async function load() {
    try {
      const { start, end, category, kind, q, offset } = filters;
      const page = await api.get("/api/transactions", { start, end, category, kind, q, offset, limit: PAGE });
      if (!ctx.current()) return;
      tbody.replaceChildren(...page.items.map((t) => {
        const del = h("button", { type: "button", class: "btn small danger", "aria-label": `Delete ${t.description}` }, "Delete");
        del.addEventListener("click", async () => {
          if (!confirm(`Delete “${t.description || t.category}” (${money(t.amount, t.currency)})?`)) return;
          try {
            await api.del(`/api/transactions/${t.id}`);
            emit("data-changed", { source: "transactions" });
            load();
          } catch (err) { toastError(err); }
        });
        const ed = h("button", { type: "button", class: "btn small", "aria-label": `Edit ${t.description}` }, "Edit");
        ed.addEventListener("click", () => edit(t));
        return h("tr", { testid: "tx-row", dataset: { id: t.id } },
          h("td", { "data-label": "Date" }, longDate(t.date)),
          h("td", { "data-label": "Description" }, h("span", null, t.description, t.merchant ? h("span", { class: "muted small" }, ` · ${t.merchant}`) : null)),
          h("td", { "data-label": "Category" }, t.category || "—"),
          h("td", { class: `amount ${t.kind}`, "data-label": "Amount" }, `${t.kind === "income" ? "+" : "−"}${money(t.amount, t.currency)}`),
          h("td", { class: "row-actions" }, ed, del));
      }));
      if (!page.items.length) tbody.append(h("tr", null, h("td", { colspan: 5, class: "muted" }, "No transactions match.")));
      const last = Math.min(page.total, filters.offset + page.items.length);
      count.textContent = page.total ? `${filters.offset + 1}–${last} of ${page.total}` : "0 transactions";
      prev.disabled = filters.offset === 0;
      next.disabled = last >= page.total;
    } catch (err) {
      toastError(err);
    }
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
    report.replaceChildren(h("p", { class: "muted" }, "Importing…"));
    try {
      const r = await api.upload("/api/import", fd);
      report.replaceChildren(
        h("p", { testid: "import-summary" }, `Imported ${r.imported} of ${r.total_rows} rows; ${(r.duplicates || []).length} duplicates skipped; ${(r.errors || []).length} errors.`),
        (r.errors || []).length ? h("ul", { class: "errors" }, r.errors.map((x) => h("li", null, `Line ${x.line}: ${x.error}`))) : null,
        (r.duplicates || []).length ? h("details", null, h("summary", null, "Duplicates"),
          h("ul", null, r.duplicates.map((d) => h("li", null, `Line ${d.line}: ${d.date} ${money(d.amount)} ${d.description}`)))) : null,
        (r.warnings || []).length ? h("details", null, h("summary", null, "Warnings"),
          h("ul", null, r.warnings.map((w) => h("li", null, `Line ${w.line}: ${w.warning}`)))) : null);
      importForm.reset();
      if (r.imported) { emit("data-changed", { source: "transactions" }); load(); }
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
}

export const refreshOnChange = true;
