// Savings goals: the list with progress, add, edit, "add to savings", delete. What the chat's
// set_goal / goal_progress do, over GET/POST /api/goals and PATCH/DELETE /api/goals/{id}; every
// figure (percent, remaining, monthly amount needed, on track) is the server's.
import { api } from "../api.js";
import { fromCents, toCents } from "../decimal.js";
import { field, h } from "../dom.js";
import { editMode } from "../editor.js";
import { clearFormErrors, showFormErrors } from "../formerrors.js";
import { isoDay, money } from "../format.js";
import { toast, toastError } from "../toast.js";
import { goalBar, goalMeta, goalStatus, percentText } from "../components/goal.js";
import { invalidate, watch } from "../store.js";

const LABELS = { name: "Name", target_amount: "Target amount", target_date: "Target date", saved_amount: "Saved so far" };
const SAVE_LABELS = { amount: "Amount", saved_amount: "Saved amount" };

export async function render(root, ctx) {
  let goals = [];

  // ---- add / edit form (validation is the API's: its messages appear beside the fields)
  const title = h("h2", { id: "goal-form-title" }, "Add a goal");
  const saveBtn = h("button", { type: "submit", class: "btn primary", testid: "goal-save" }, "Add goal");
  const cancelEdit = h("button", { type: "button", class: "btn ghost", hidden: true, testid: "goal-cancel-edit" }, "Cancel edit");
  const formError = h("p", { class: "form-error", role: "alert", id: "goal-form-error", testid: "goal-form-error", hidden: true });
  const form = h("form", { class: "form-grid goal-form", id: "goal-form", testid: "goal-form", novalidate: true, "aria-labelledby": "goal-form-title" },
    field("Name", h("input", { name: "name", required: true, maxlength: 120, autocomplete: "off", placeholder: "Emergency fund", testid: "goal-name" })),
    field("Target amount", h("input", { name: "target_amount", inputmode: "decimal", required: true, placeholder: "1000", testid: "goal-target" })),
    field("Target date", h("input", { type: "date", name: "target_date", min: isoDay(1), max: "2999-12-31", testid: "goal-date" }), "Optional; empty means no deadline."),
    field("Saved so far", h("input", { name: "saved_amount", inputmode: "decimal", placeholder: "0.00", testid: "goal-saved-input" }), "Optional."),
    h("div", { class: "actions form-actions" }, saveBtn, cancelEdit),
    formError);
  const input = (name) => form.elements.namedItem(name);

  const mode = editMode({
    title, saveBtn, cancelBtn: cancelEdit, addTitle: "Add a goal", addLabel: "Add goal",
    onReset() {
      form.reset();
      clearFormErrors(form, formError);
    },
  });
  cancelEdit.addEventListener("click", () => input("name").focus());

  function startEdit(g) {
    clearFormErrors(form, formError);
    mode.edit(g, `Edit ${g.name}`);
    input("name").value = g.name;
    input("target_amount").value = g.target_amount;
    input("target_date").value = g.target_date || "";
    input("saved_amount").value = g.saved_amount;
    form.scrollIntoView({ block: "nearest" });
    input("name").focus();
  }

  const amountText = (v) => String(v ?? "").trim().replace(",", ".");

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = input("name").value.trim();
    const target = amountText(input("target_amount").value);
    const day = input("target_date").value;
    const saved = amountText(input("saved_amount").value);
    const editing = mode.editing;
    let body;
    if (editing) {
      // Only what changed: an unchanged past date would otherwise be refused as "not in the future".
      body = {};
      if (name !== editing.name) body.name = name;
      if (toCents(target) === null || toCents(target) !== toCents(editing.target_amount)) body.target_amount = target;
      if ((day || null) !== (editing.target_date || null)) body.target_date = day || null;
      const savedNow = saved === "" ? "0.00" : saved;  // a cleared field: nothing saved
      if (toCents(savedNow) === null || toCents(savedNow) !== toCents(editing.saved_amount)) body.saved_amount = savedNow;
    } else {
      body = { name, target_amount: target };
      if (day) body.target_date = day;
      if (saved) body.saved_amount = saved;
      const same = goals.find((g) => g.name.toLowerCase() === name.toLowerCase());
      if (same && !confirm(`You already have a goal called “${same.name}”. Replace its target${day ? " and date" : ""} with these?`)) return;
    }
    saveBtn.disabled = true;
    try {
      const g = editing
        ? (Object.keys(body).length ? await api.patch(`/api/goals/${editing.id}`, body) : editing)
        : await api.post("/api/goals", body);
      toast(editing ? `${g.name} updated.` : `${g.name} added: ${money(g.target_amount, g.currency)} to save.`);
      mode.reset();
      invalidate("goal", { source: "goals" });
      await load(`[data-testid="goal-row"][data-id="${g.id}"] [data-testid="goal-add-amount"]`);
    } catch (err) {
      const first = showFormErrors(form, err, { labels: LABELS, summary: formError });
      (first || input("name")).focus();
    } finally {
      saveBtn.disabled = false;
    }
  });

  // ---- one goal: progress, figures, add to savings, edit, delete
  function goalItem(g) {
    const cur = g.currency;
    const [status, label] = goalStatus(g);
    const amount = h("input", { name: "amount", inputmode: "decimal", placeholder: "25.00", autocomplete: "off", testid: "goal-add-amount" });
    const addBtn = h("button", { type: "submit", class: "btn small", testid: "goal-add-submit", "aria-label": `Add to savings for ${g.name}` }, "Add to savings");
    const saveError = h("p", { class: "form-error", role: "alert", id: `goal-add-error-${g.id}`, testid: "goal-add-error", hidden: true });
    const saveForm = h("form", { class: "goal-add", id: `goal-add-${g.id}`, novalidate: true, testid: "goal-add-form" },
      field(["Amount", h("span", { class: "sr-only" }, ` to add to ${g.name}`)], amount), addBtn);
    saveForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearFormErrors(saveForm, saveError);
      const add = toCents(amountText(amount.value));
      if (add === null || add <= 0n) {
        const msg = "enter an amount greater than 0, like 25 or 25.50";
        showFormErrors(saveForm, { body: { detail: [{ loc: ["amount"], msg }] } }, { labels: SAVE_LABELS, summary: saveError, inline: false });
        amount.focus();
        return;
      }
      addBtn.disabled = true;
      try {
        // The server adds it (as the chat's contributions do): a chat adding to the same goal at
        // the same moment cannot be lost between a read here and a write.
        const after = await api.post(`/api/goals/${g.id}/contributions`, { amount: fromCents(add) });
        toast(after.reached && !g.reached
          ? `${after.name} reached: ${money(after.saved_amount, cur)} saved!`
          : `Added ${money(fromCents(add), cur)} to ${after.name}: ${money(after.saved_amount, cur)} saved.`);
        invalidate("goal", { source: "goals" });
        await load(`[data-testid="goal-row"][data-id="${g.id}"] [data-testid="goal-add-amount"]`);
      } catch (err) {
        // The API speaks of saved_amount (the new total): the summary says it, the amount field is marked.
        if (!showFormErrors(saveForm, err, { labels: SAVE_LABELS, summary: saveError, inline: false })) {
          amount.setAttribute("aria-invalid", "true");
          amount.setAttribute("aria-describedby", saveError.id);
        }
        amount.focus();
      } finally {
        addBtn.disabled = false;
      }
    });
    const edit = h("button", { type: "button", class: "btn small", testid: "goal-edit", "aria-label": `Edit ${g.name}`, onclick: () => startEdit(g) }, "Edit");
    const del = h("button", { type: "button", class: "btn small danger", testid: "goal-delete", "aria-label": `Delete ${g.name}` }, "Delete");
    del.addEventListener("click", async () => {
      if (!confirm(`Delete the goal “${g.name}”? Only the goal goes; no transactions are touched.`)) return;
      try {
        await api.del(`/api/goals/${g.id}`);
        if (mode.editing?.id === g.id) mode.reset();
        toast(`${g.name} deleted.`);
        invalidate("goal", { source: "goals" });
        await load('[data-testid="goal-name"]');
      } catch (err) {
        toastError(err);
      }
    });
    return h("li", { class: `goal-item status-${status}`, testid: "goal-row", dataset: { id: String(g.id), name: g.name } },
      h("div", { class: "budget-head" },
        h("h3", { class: "goal-name" }, g.name),
        h("span", { class: "budget-status", testid: "goal-status" }, label)),
      goalBar(g),
      h("p", { class: "goal-figures" },
        h("strong", { testid: "goal-saved" }, money(g.saved_amount, cur)), " of ",
        h("span", { testid: "goal-target-amount" }, money(g.target_amount, cur)), " saved · ",
        h("span", { testid: "goal-percent" }, percentText(g.percent))),
      h("p", { class: "muted small goal-meta", testid: "goal-meta" }, goalMeta(g)),
      h("div", { class: "goal-actions" }, saveForm, h("div", { class: "goal-buttons" }, edit, del)),
      saveError);
  }

  const list = h("ul", { class: "goal-list", testid: "goal-list" });
  const summary = h("p", { class: "muted", testid: "goal-summary" });

  async function load(focusSelector) {
    try {
      const page = await api.get("/api/goals", { limit: 500 });
      if (!ctx.current() || !list.isConnected) return;
      goals = page.items || [];
      list.replaceChildren(...goals.map(goalItem));
      if (!goals.length) {
        list.append(h("li", { class: "muted", testid: "goal-empty" },
          "No goals yet. Add one below, or tell the assistant “save 1000 for a trip by June”."));
      }
      summary.textContent = goals.length
        ? `${goals.length} ${goals.length === 1 ? "goal" : "goals"}, ${goals.filter((g) => g.reached).length} reached.`
        : "";
      if (focusSelector) root.querySelector(focusSelector)?.focus();
    } catch (err) {
      toastError(err);
    }
  }

  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Goals"),
      h("p", { class: "muted" }, "Save toward a target, by a date if you like; the monthly amount and whether you are on track come from what you have saved.")),
    h("section", { class: "card", testid: "goals-card" }, h("h2", null, "Your goals"), summary, list),
    h("section", { class: "card", testid: "goal-editor" }, title, form));
  await load();

  // The ledger changed elsewhere (chat, another view): redraw the list, keep what is being typed.
  const off = watch(["goals"], (detail) => {
    if (!list.isConnected) off();
    else if (detail.source !== "goals") load();
  });
  return off;
}
