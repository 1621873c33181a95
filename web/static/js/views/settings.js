// Profile and preferences: name, currency, time zone, default reminder days, theme.
import { api } from "../api.js";
import { incomeCard, ratesCard } from "../planning.js";
import { emit } from "../bus.js";
import { card, field, formData, h, select } from "../dom.js";
import { state } from "../session.js";
import { applyTheme, currentTheme } from "../theme.js";
import { toast, toastError } from "../toast.js";

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
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const d = formData(form);
    try {
      state.me = await api.patch("/api/me", {
        display_name: d.display_name, currency: d.currency, timezone: d.timezone,
        settings: { remind_days_before: Number(d.remind_days_before) },
      });
      emit("me", state.me);
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

  const [reminders, income, rates] = await Promise.all([remindersForm(), incomeCard(), ratesCard()]);
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h1", null, "Settings"), h("p", { class: "muted" }, `Signed in as ${me.email}`)),
    card("Profile", null, form, zones),
    income,
    rates,
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
