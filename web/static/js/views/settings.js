// Profile and preferences: name, currency, time zone, default reminder days, theme.
import { api } from "../api.js";
import { incomeCard, ratesCard } from "../components/planning.js";
import { emit } from "../bus.js";
import { card, field, formData, h, select } from "../dom.js";
import { categories, categoryNames, forgetCategories } from "../categories.js";
import { state } from "../session.js";
import { applyTheme, currentTheme } from "../theme.js";
import { toast, toastError } from "../toast.js";
import { invalidate } from "../store.js";

const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "CHF", "INR", "MXN", "BRL", "SEK", "NOK", "DKK", "PLN", "NZD", "ZAR"];

function timeZones() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}

export async function render(root) {
  const me = state.me || (await api.get("/api/me"));
  const prefs = me.settings || {};
  const zones = h("datalist", { id: "tz-list" }, timeZones().map((z) => h("option", { value: z })));
  const currencies = CURRENCIES.includes(me.currency) ? CURRENCIES : [me.currency, ...CURRENCIES];
  const form = h("form", { class: "form-grid", testid: "settings-form" },
    field("Display name", h("input", { name: "display_name", maxlength: 100, value: me.display_name || "" })),
    field("Currency", select({ name: "currency", testid: "settings-currency" }, currencies, me.currency)),
    field("Time zone", h("input", { name: "timezone", list: "tz-list", value: me.timezone, required: true, testid: "settings-timezone" })),
    field("Remind me of renewals (days before)", h("input", { type: "number", name: "remind_days_before", min: 0, max: 365, value: prefs.remind_days_before ?? 7 })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", testid: "settings-save" }, "Save")));
  // Changing the home currency asks for a rate and says what happens without one.
  const rateInput = h("input", { name: "currency_rate", inputmode: "decimal", placeholder: "e.g. 0.92", testid: "settings-currency-rate" });
  const rateHelp = h("p", { class: "muted small", testid: "settings-currency-help" });
  const rateField = field("Exchange rate", rateInput);
  rateField.hidden = true;
  rateHelp.hidden = true;
  const currencySel = form.elements.namedItem("currency");
  currencySel.addEventListener("change", () => {
    const changed = currencySel.value !== me.currency;
    rateField.hidden = !changed;
    rateHelp.hidden = !changed;
    rateField.querySelector("label, .field-label")?.replaceChildren(`1 ${me.currency} = ? ${currencySel.value}`);
    rateHelp.textContent = changed
      ? `Your amounts and budgets will be converted at this rate. Leave it empty and only ${currencySel.value} amounts count until you set a rate; totals will say what they leave out.`
      : "";
  });
  form.querySelector(".actions").before(rateField, rateHelp);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    try {
      if (d.currency !== me.currency) {
        const change = await api.post("/api/me/currency", { currency: d.currency, rate: d.currency_rate ? d.currency_rate.replace(",", ".") : null });
        toast(change.message, { timeout: 12000 });
      }
      state.me = await api.patch("/api/me", {
        display_name: d.display_name, timezone: d.timezone,
        settings: { remind_days_before: Number(d.remind_days_before) },
      });
      emit("me", state.me);
      invalidate("settings", { source: "settings" });
      toast("Settings saved.");
    } catch (err) {
      toastError(err);
    }
  });

  const theme = prefs.theme || currentTheme();
  const themeGroup = h("fieldset", { class: "theme-choice", testid: "theme-choice" }, h("legend", null, "Theme"),
    ["light", "dark", "system"].map((t) => h("label", { class: "check" },
      h("input", { type: "radio", name: "theme", value: t, checked: t === theme, testid: `theme-${t}` }),
      ` ${t[0].toUpperCase()}${t.slice(1)}`)));
  themeGroup.addEventListener("change", async (e) => {
    const t = applyTheme(e.target.value);
    try {
      state.me = await api.patch("/api/me", { settings: { theme: t } });
    } catch (err) {
      toastError(err);
    }
  });

  const [reminders, income, rates, cats, rules] = await Promise.all([remindersForm(), incomeCard(), ratesCard(), categoriesCard(), rulesCard()]);
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Settings"), h("p", { class: "muted" }, `Signed in as ${me.email}`)),
    card("Profile", null, form, zones),
    income,
    rates,
    cats,
    rules,
    card("Reminders", null, reminders),
    card("Appearance", null, themeGroup));
}

// When and where reminders go: time of day, a morning digest, email and any Apprise URL.
async function remindersForm() {
  const prefs = await api.get("/api/notifications/preferences");
  const channel = (type) => (prefs.channels || []).find((c) => c.type === type)?.target || "";
  const form = h("form", { class: "form-grid", testid: "reminders-form" },
    field("Time of day", h("input", { type: "time", name: "reminder_time", value: prefs.reminder_time || "09:00", required: true })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "digest", checked: Boolean(prefs.digest) }),
      " One morning digest instead of single messages"),
    field("Email reminders to", h("input", { type: "email", name: "email", value: channel("email"), placeholder: "you@example.com" })),
    field("Also send to (Apprise URL: ntfy, Telegram, Slack, Discord...)",
      h("input", { name: "apprise", value: channel("apprise"), placeholder: "ntfy://my-budget-topic", testid: "reminders-apprise" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", testid: "reminders-save" }, "Save reminders")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    const channels = [];
    if (d.email) channels.push({ type: "email", target: d.email });
    if (d.apprise) channels.push({ type: "apprise", target: d.apprise });
    try {
      await api.put("/api/notifications/preferences", {
        reminder_time: d.reminder_time, digest: form.elements.digest.checked, channels,
      });
      toast("Reminder settings saved.");
    } catch (err) {
      toastError(err);
    }
  });
  return form;
}

// ---- categories: create, rename, archive, necessity and "fixed monthly payment"
async function categoriesCard() {
  const list = h("ul", { class: "cat-list", testid: "cat-list" });
  async function load() {
    forgetCategories();
    const all = await categories();
    list.replaceChildren(...all.map((c) => {
      const name = h("input", { type: "text", value: c.name, maxlength: 60, "aria-label": `Name of ${c.name}`, testid: "cat-name" });
      const need = h("input", { type: "number", min: 1, max: 10, value: c.necessity_score, "aria-label": `How necessary is ${c.name} (1-10)`, testid: "cat-necessity" });
      const fixed = h("input", { type: "checkbox", checked: Boolean(c.fixed), testid: "cat-fixed" });
      const save = h("button", { type: "button", class: "btn small", testid: "cat-save" }, "Save");
      const archive = h("button", { type: "button", class: "btn small ghost", testid: "cat-archive" }, c.archived ? "Restore" : "Archive");
      save.addEventListener("click", async () => {
        const n = Number(need.value);
        if (!Number.isInteger(n) || n < 1 || n > 10) { toast("Necessity is a whole number from 1 (nice to have) to 10 (essential).", { kind: "error" }); return; }
        try {
          await api.patch(`/api/categories/${c.id}`, { name: name.value, necessity_score: n, fixed: fixed.checked });
          toast(`Saved: ${name.value}.`);
          invalidate("settings", { source: "settings" });
          await load();
        } catch (err) { toastError(err); }
      });
      archive.addEventListener("click", async () => {
        try {
          await api.patch(`/api/categories/${c.id}`, { archived: !c.archived });
          toast(c.archived ? `${c.name} is back in the lists.` : `${c.name} is archived: kept in history, offered nowhere new.`);
          await load();
        } catch (err) { toastError(err); }
      });
      return h("li", { class: c.archived ? "archived" : "", testid: "cat-row", dataset: { name: c.name } },
        name, h("span", { class: "muted small" }, c.kind), h("label", { class: "small" }, "Necessity ", need),
        c.kind === "expense" ? h("label", { class: "check small" }, fixed, " Fixed monthly") : null, save, archive);
    }));
  }
  const form = h("form", { class: "inline-form", testid: "cat-create" },
    field("New category", h("input", { name: "name", maxlength: 60, required: true, testid: "cat-new-name" })),
    field("Kind", select({ name: "kind" }, [["expense", "Expense"], ["income", "Income"]])),
    field("Necessity (1-10)", h("input", { type: "number", name: "necessity_score", min: 1, max: 10, value: 5 })),
    h("button", { type: "submit", class: "btn primary", testid: "cat-add" }, "Add category"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    try {
      await api.post("/api/categories", { name: d.name, kind: d.kind, necessity_score: Number(d.necessity_score) || 5 });
      toast(`Added ${d.name}.`);
      form.reset();
      form.elements.namedItem("necessity_score").value = "5";
      await load();
    } catch (err) { toastError(err); }
  });
  await load();
  return card("Categories", { testid: "settings-categories" }, form, list);
}

// ---- rules: "anything from Uber is Transport", used when importing
async function rulesCard() {
  const list = h("ul", { class: "rules-list", testid: "rules-list" });
  async function load() {
    const page = await api.get("/api/rules");
    list.replaceChildren(...(page.items.length ? page.items.map((r) => {
      const del = h("button", { type: "button", class: "btn small danger", testid: "rule-delete", "aria-label": `Delete the rule for ${r.pattern}` }, "Delete");
      del.addEventListener("click", async () => {
        try {
          await api.del(`/api/rules/${r.id}`);
          toast(`Deleted the rule for “${r.pattern}”.`);
          await load();
        } catch (err) { toastError(err); }
      });
      return h("li", { testid: "rule-row" }, h("span", null, `Anything with “${r.pattern}” goes to `, h("strong", null, r.category)), del);
    }) : [h("li", { class: "muted" }, "No rules yet.")]));
  }
  const names = await categoryNames();
  const form = h("form", { class: "inline-form", testid: "rule-form" },
    field("Anything with", h("input", { name: "pattern", maxlength: 200, required: true, placeholder: "Uber", testid: "rule-pattern" })),
    field("goes to", select({ name: "category", testid: "rule-category" }, names)),
    h("button", { type: "submit", class: "btn primary", testid: "rule-add" }, "Add rule"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    try {
      const r = await api.post("/api/rules", { pattern: d.pattern, category: d.category });
      toast(`Saved: anything with “${r.pattern}” goes to ${r.category}.`);
      form.reset();
      await load();
    } catch (err) { toastError(err); }
  });
  await load();
  return card("Import rules", { testid: "settings-rules" }, h("p", { class: "muted small" }, "Imported rows are filed by your rules first, then by what you taught the chat, then by the merchant's name."), form, list);
}
