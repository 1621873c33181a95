// Notifications: reminders and alerts, newest first; mark read; live pushes appear at the top.
import { api } from "../api.js";
import { on } from "../bus.js";
import { h } from "../dom.js";
import { dateTime } from "../format.js";
import { setUnread, bumpUnread } from "../inbox.js";
import { toastError } from "../toast.js";

function actionButton(label, testid, run) {
  const btn = h("button", { type: "button", class: "btn small", testid }, label);
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      await run();
    } catch (err) {
      btn.disabled = false;
      toastError(err);
    }
  });
  return btn;
}

function tomorrowMorning() {
  const t = new Date();
  t.setDate(t.getDate() + 1);
  t.setHours(9, 0, 0, 0);
  return t.toISOString();
}

function item(n) {
  const li = h("li", { class: `note ${n.read ? "read" : "unread"}`, testid: "note", dataset: { id: n.id, kind: n.kind } },
    h("div", { class: "note-head" },
      h("strong", null, n.title),
      h("span", { class: "muted small" }, ` ${dateTime(n.created_at)}`),
      n.read ? null : h("span", { class: "pill" }, "new"),
      n.handled ? h("span", { class: "pill muted" }, "done") : null),
    h("p", null, n.body));
  const actions = h("div", { class: "note-actions" });
  const markRead = () => {
    if (li.classList.contains("unread")) bumpUnread(-1);
    li.classList.replace("unread", "read");
    li.querySelector(".pill")?.remove();
  };
  const finish = (text) => {
    markRead();
    actions.replaceChildren(h("span", { class: "muted small", testid: "note-outcome" }, text));
  };
  if (!n.read) {
    actions.append(actionButton("Mark read", "note-read", async () => {
      await api.post(`/api/notifications/${n.id}/read`);
      markRead();
      actions.querySelector('[data-testid="note-read"]')?.remove();
    }));
  }
  const isReminder = n.kind === "renewal_reminder" || n.kind === "cancel_deadline";
  if (isReminder && !n.handled) {
    actions.append(
      actionButton("Done", "note-handled", async () => {
        await api.post(`/api/notifications/${n.id}/handled`);
        finish("Marked as handled.");
      }),
      actionButton("Remind me tomorrow", "note-snooze", async () => {
        await api.post(`/api/notifications/${n.id}/snooze`, { until: tomorrowMorning() });
        finish("Snoozed until tomorrow morning.");
      }),
    );
    if (n.data && n.data.subscription_id) {
      actions.append(actionButton("Cancel subscription", "note-cancel", async () => {
        await api.post(`/api/notifications/${n.id}/cancel-subscription`);
        finish("Subscription cancelled.");
      }));
    }
  }
  li.append(actions);
  return li;
}

export async function render(root, ctx) {
  const page = await api.get("/api/notifications", { limit: 100 });
  if (!ctx.current()) return;
  setUnread(page.unread ?? 0);
  const list = h("ul", { class: "inbox", testid: "inbox-list" }, page.items.map(item));
  const empty = h("p", { class: "muted" }, "Nothing here yet. Renewal reminders and budget alerts will show up here.");
  root.replaceChildren(h("div", { class: "view-head" }, h("h1", null, "Inbox")), h("section", { class: "card" }, page.items.length ? null : empty, list));
  const off = on("notification", (n) => {
    empty.remove();
    list.prepend(item({ read: false, ...n }));
  });
  return off;
}
