// The unread count in the nav badge, kept current by REST loads and live pushes.
import { api } from "./api.js";

let unread = 0;

function paint() {
  const badge = document.querySelector('[data-testid="inbox-badge"]');
  if (!badge) return;
  badge.hidden = unread <= 0;
  badge.textContent = unread > 99 ? "99+" : String(unread);
  badge.setAttribute("aria-label", `${unread} unread`);
}

export function setUnread(n) {
  unread = Math.max(0, n);
  paint();
}

export function bumpUnread(delta) {
  setUnread(unread + delta);
}

export async function loadUnread() {
  try {
    const page = await api.get("/api/notifications", { limit: 1 });
    setUnread(page.unread ?? 0);
  } catch {
    /* the badge can wait */
  }
}
