// Sign in / sign up. On success the tokens are stored and the app starts.
import { api } from "../api.js";
import { field, formData, h } from "../dom.js";
import { setTokens } from "../session.js";

function guessZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export function renderAuth(root, mode, onSignedIn, notice) {
  const signup = mode === "signup";
  const error = h("p", { class: "error", role: "alert", testid: "auth-error" });
  const form = h("form", { class: "auth-form", testid: signup ? "signup-form" : "signin-form" },
    signup ? field("Your name", h("input", { name: "display_name", autocomplete: "name", maxlength: 100, testid: "auth-name" })) : null,
    field("Email", h("input", { name: "email", type: "email", autocomplete: "email", required: true, testid: "auth-email" })),
    field("Password", h("input", {
      name: "password", type: "password", required: true, minlength: signup ? 8 : null,
      autocomplete: signup ? "new-password" : "current-password", testid: "auth-password",
    }), signup ? "At least 8 characters; not a common password." : null),
    h("button", { type: "submit", class: "btn primary wide", testid: "auth-submit" }, signup ? "Create account" : "Sign in"),
    error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const d = formData(form);
    const btn = form.querySelector("button[type=submit]");
    btn.disabled = true;
    try {
      const answer = signup
        ? await api.post("/api/auth/register", { email: d.email, password: d.password, display_name: d.display_name || "", timezone: guessZone() }, { auth: false })
        : await api.post("/api/auth/login", { email: d.email, password: d.password }, { auth: false });
      setTokens(answer);
      onSignedIn(answer.user || null);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      btn.disabled = false;
    }
  });
  root.replaceChildren(h("div", { class: "auth" },
    h("h1", { class: "auth-brand" }, "BudgetWise"),
    h("p", { class: "muted" }, "A budgeting assistant you can talk to."),
    notice ? h("p", { class: "notice", role: "status" }, notice) : null,
    h("div", { class: "card" }, h("h2", null, signup ? "Create your account" : "Sign in"), form,
      h("p", { class: "switch" }, signup ? "Already have an account? " : "New here? ",
        h("a", { href: signup ? "#/signin" : "#/signup", testid: signup ? "to-signin" : "to-signup" }, signup ? "Sign in" : "Create an account")))));
  form.querySelector("input")?.focus();
}
