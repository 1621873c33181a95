// Boot: sign-in screens or the app shell; wires the router, the chat socket, the inbox badge.
import { api } from "./api.js";
import { on } from "./bus.js";
import { h } from "./dom.js";
import { bumpUnread, loadUnread } from "./inbox.js";
import { currentRoute, go } from "./router.js";
import { clearTokens, signedIn, state } from "./session.js";
import { clear as clearStore } from "./store.js";
import { applyTheme } from "./theme.js";
import { toast, toastError } from "./toast.js";
import { renderAuth } from "./views/auth.js";
import * as budgets from "./views/budgets.js";
import { createChat } from "./views/chat.js";
import * as dashboard from "./views/dashboard.js";
import * as goals from "./views/goals.js";
import * as inbox from "./views/inbox.js";
import * as reports from "./views/reports.js";
import * as settings from "./views/settings.js";
import * as subscriptions from "./views/subscriptions.js";
import * as transactions from "./views/transactions.js";
import { ChatSocket } from "./ws.js";
import { forgetQuickAdd, openQuickAdd } from "./quickadd.js";

const VIEWS = { dashboard, transactions, reports, budgets, subscriptions, goals, inbox, settings };
const TITLES = { dashboard: "Dashboard", chat: "Chat", transactions: "Transactions", reports: "Spending report", budgets: "Budgets", subscriptions: "Subscriptions", goals: "Goals", inbox: "Inbox", settings: "Settings" };

const main = document.getElementById("view");
const panel = document.getElementById("chat-panel");
const topbar = document.querySelector(".topbar");
const connStatus = document.querySelector('[data-testid="conn-status"]');

let socket = null;
let chat = null;
let started = false;
let renderSeq = 0;
let cleanup = null;
let shown = null;

async function show(name) {
  const seq = ++renderSeq;
  if (typeof cleanup === "function") cleanup();
  cleanup = null;
  document.body.dataset.route = name;
  document.title = `${TITLES[name] || "BudgetWise"} · BudgetWise`;
  for (const a of document.querySelectorAll("[data-route-link]")) {
    if (a.dataset.routeLink === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (name === "chat") {
    shown = name;
    main.replaceChildren();
    chat.focus();
    return;
  }
  const view = VIEWS[name];
  const fresh = shown !== name;
  shown = name;
  if (fresh) main.replaceChildren(h("p", { class: "muted loading" }, "Loading…"));
  main.setAttribute("aria-busy", "true");
  try {
    const out = await view.render(main, { current: () => seq === renderSeq });
    if (seq === renderSeq) cleanup = out;
    else if (typeof out === "function") out();
  } catch (err) {
    if (seq === renderSeq && signedIn()) {
      main.replaceChildren(h("div", { class: "card error", role: "alert" }, h("h2", null, "This page could not load"), h("p", null, err.message)));
    }
  } finally {
    if (seq === renderSeq) {
      main.removeAttribute("aria-busy");
      main.dataset.loaded = name;
      if (fresh) main.focus({ preventScroll: true });
    }
  }
}

function route() {
  const name = currentRoute();
  if (!signedIn()) {
    showAuth(name === "signup" ? "signup" : "signin");
    return;
  }
  if (!started) {
    startApp();
    return;
  }
  if (name !== "chat" && !VIEWS[name]) {
    go("dashboard");
    return;
  }
  show(name);
}

function showAuth(mode, notice) {
  topbar.hidden = true;
  panel.hidden = true;
  document.body.dataset.route = mode;
  renderAuth(main, mode, () => {
    if (currentRoute() === "dashboard") route();
    else go("dashboard");
  }, notice);
}

function setConn(status) {
  connStatus.dataset.status = status;
  connStatus.textContent = status === "ready" ? "Online" : status === "connecting" ? "Connecting…" : "Offline, retrying";
}

async function startApp() {
  started = true;
  try {
    state.me = await api.get("/api/me");
  } catch (err) {
    started = false;
    if (signedIn()) toastError(err);
    return;
  }
  if (state.me.settings?.theme) applyTheme(state.me.settings.theme);
  topbar.hidden = false;
  panel.hidden = false;
  socket = new ChatSocket({ onEvent: (ev) => chat.handleEvent(ev), onStatus: setConn });
  chat = createChat(panel, socket);
  socket.start();
  chat.loadHistory();
  loadUnread();
  route();
}

function stopApp(notice) {
  started = false;
  shown = null;
  socket?.stop();
  socket = null;
  clearStore(); // the next user shares no cached read
  forgetQuickAdd();
  panel.replaceChildren();
  if (currentRoute() === "signin") showAuth("signin", notice);
  else {
    location.hash = "#/signin";
    if (notice) setTimeout(() => showAuth("signin", notice), 0);
  }
}

// Phone width: a bottom bar with "More" for the rest of the sections.
const nav = document.querySelector(".mainnav");
const moreBtn = document.querySelector('[data-testid="nav-more"]');
function setMore(open) {
  nav.classList.toggle("open", open);
  moreBtn.setAttribute("aria-expanded", String(open));
}
moreBtn.addEventListener("click", () => setMore(!nav.classList.contains("open")));
nav.addEventListener("click", (e) => { if (e.target.closest("a")) setMore(false); });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") setMore(false); });
document.addEventListener("click", (e) => { if (!nav.contains(e.target)) setMore(false); });
document.querySelector('[data-testid="quick-add"]').addEventListener("click", () => openQuickAdd().catch(toastError));

document.querySelector('[data-testid="logout"]').addEventListener("click", async () => {
  try {
    await api.post("/api/auth/logout");
  } catch {
    /* signed out locally either way */
  }
  clearTokens();
  stopApp();
});

on("signed-out", (detail) => {
  if (started) stopApp(detail?.reason);
});
on("tokens-refreshed", () => socket?.reauth());
on("notification", (n) => {
  bumpUnread(1);
  toast(n.body || "", { title: n.title, kind: "notice" });
});

window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (e) => toastError(e.reason));
route();
