// Notifications: reminders and alerts, newest first; mark read; live pushes appear at the top.
import { api } from "../api.js";
import { on } from "../bus.js";
import { h } from "../dom.js";
import { dateTime } from "../format.js";
import { setUnread, bumpUnread } from "../inbox.js";
import { toastError } from "../toast.js";

function item(n) {
  const li = h("li", { class: `note ${n.read ? "read" : "unread"}`, testid: "note", dataset: { id: n.id, kind: n.kind } },
    h("div", { class: "note-head" },
      h("strong", null, n.title),
      h("span", { class: "muted small" }, ` ${dateTime(n.created_at)}`),
      n.read ? null : h("span", { class: "pill" }, "new")),
    h("p", null, n.body));
  if (!n.read) {
    const btn = h("button", { type: "button", class: "btn small", testid: "note-read" }, "Mark read");
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      try {
        await api.post(`/api/notifications/${n.id}/read`);
        li.classList.replace("unread", "read");
        li.querySelector(".pill")?.remove();
        btn.remove();
        bumpUnread(-1);
      } catch (err) {
        btn.disabled = false;
        toastError(err);
      }
    });
    li.append(btn);
  }
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
