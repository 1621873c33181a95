"""End to end in headless Chromium: the real app, the real browser UI, the offline assistant.

One flow, as a new user would live it: sign up, set a Groceries budget, log an expense by chat
and watch the dashboard's bar move, undo it from the chat chip, add a subscription in the form
and find it in the assistant's answer, switch to the dark theme. Screenshots of each screen (wide
and phone width, light and dark) go to ``test-artifacts/``.

Skipped with a clear reason when Chromium, Playwright or the app is missing; under ``CI=true``
those are failures instead.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import PASSWORD, TIMEOUT_MS, shot, submit_form
from tests.e2e_server import LiveServer

pytestmark = pytest.mark.browser

# The browser's own today (the user's time zone is the browser's, guessed at sign-up).
TODAY_JS = """() => {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 10);
}"""
BREAK_ACCESS_TOKEN_JS = """() => {
  const t = JSON.parse(localStorage.getItem("bw.tokens"));
  localStorage.setItem("bw.tokens", JSON.stringify({ ...t, access_token: "not-a-valid-token" }));
}"""
ME_ID_JS = """async () => {
  const token = JSON.parse(localStorage.getItem("bw.tokens")).access_token;
  return (await (await fetch("/api/me", { headers: { Authorization: `Bearer ${token}` } })).json()).id;
}"""


def open_view(page: Any, name: str) -> None:
    page.get_by_test_id(f"nav-{name}").click()
    page.wait_for_selector(f'[data-testid="view"][data-loaded="{name}"]:not([aria-busy])')


def chat(page: Any, text: str) -> Any:
    """Send a message; wait for its turn to end; return the assistant's reply bubble."""
    before = page.get_by_test_id("msg-assistant").count()
    page.get_by_test_id("chat-input").fill(text)
    page.get_by_test_id("chat-input").press("Enter")
    reply = page.get_by_test_id("msg-assistant").nth(before)
    reply.and_(page.locator("[data-done=true]")).wait_for()
    return reply


def groceries_bar(page: Any) -> Any:
    return page.get_by_test_id("budget-bar-Groceries")


def open_page(browser: Any) -> tuple[Any, Any, list[str]]:
    """A wide browser context and its page, with page errors collected (a test asserts there were none)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def test_budget_chat_undo_subscription_and_theme(browser: Any, server: LiveServer, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base_url = server.url
    context, page, errors = open_page(browser)

    # Sign up.
    page.goto(base_url + "/")
    page.get_by_test_id("to-signup").click()
    page.get_by_test_id("auth-name").fill("Ana")
    page.get_by_test_id("auth-email").fill(f"ana-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_test_id("auth-password").fill(PASSWORD)
    shot(page, "01-signup")
    page.get_by_test_id("auth-submit").click()
    page.wait_for_selector('[data-testid="view"][data-loaded="dashboard"]')
    expect(page.get_by_test_id("conn-status")).to_have_attribute("data-status", "ready")

    # A Groceries budget, set on the Budgets page.
    open_view(page, "budgets")
    page.get_by_test_id("budget-input-Groceries").fill("300")
    page.get_by_test_id("budget-save-Groceries").click()
    expect(page.get_by_test_id("toast-info").last).to_contain_text("Groceries")
    shot(page, "02-budgets")
    open_view(page, "dashboard")
    expect(groceries_bar(page)).to_have_attribute("aria-valuenow", "0")

    # Log an expense by chat: the chip names it and the dashboard's bar moves (40 of 300: 13%).
    reply = chat(page, "I spent 40 on groceries today")
    chip = reply.get_by_test_id("tool-chip")
    expect(chip).to_have_attribute("data-tool", "log_expense")
    expect(chip).to_contain_text(re.compile(r"Logged \$40\.00 · Groceries · today"))
    expect(groceries_bar(page)).to_have_attribute("aria-valuenow", "13")
    expect(page.get_by_test_id("dash-budgets")).to_contain_text("$40.00 of $300.00")
    shot(page, "03-dashboard-after-chat")

    # Undo from the chip: the transaction is gone and the bar is back to zero.
    chip.get_by_test_id("chip-undo").click()
    expect(chip).to_have_attribute("data-undone", "true")
    expect(groceries_bar(page)).to_have_attribute("aria-valuenow", "0")
    shot(page, "04-dashboard-after-undo")

    # A subscription added in the form renews today; the assistant lists it for "this month".
    open_view(page, "subscriptions")
    today = page.evaluate(TODAY_JS)
    submit_form(page, "sub-save", {"sub-name": "Streamflix", "sub-amount": "12.99", "sub-next": today})
    sub_row = page.locator('[data-testid="sub-row"][data-name="Streamflix"]')
    expect(sub_row).to_be_visible()
    # Edit it: the form says so; "Cancel edit" goes back to adding, a saved edit too.
    editor = page.get_by_test_id("sub-editor")
    sub_row.get_by_role("button", name="Edit Streamflix").click()
    expect(editor.get_by_role("heading")).to_have_text("Edit Streamflix")
    expect(page.get_by_test_id("sub-save")).to_have_text("Save changes")
    editor.get_by_role("button", name="Cancel edit").click()
    expect(editor.get_by_role("heading")).to_have_text("Add a subscription")
    expect(page.get_by_test_id("sub-name")).to_have_value("")
    sub_row.get_by_role("button", name="Edit Streamflix").click()
    submit_form(page, "sub-save", {"sub-amount": "13.99"})
    expect(page.get_by_test_id("toast-info").last).to_contain_text("Streamflix updated.")
    expect(sub_row).to_contain_text("$13.99")
    expect(page.get_by_test_id("sub-save")).to_have_text("Add")
    shot(page, "05-subscriptions")
    reply = chat(page, "what renews this month?")
    expect(reply.get_by_test_id("assistant-text")).to_contain_text("Streamflix")
    shot(page, "06-chat-renewals")

    # Transactions page: add one in the form, edit it, find it by search; import a CSV with a bad row.
    open_view(page, "transactions")
    submit_form(page, "tx-save", {"tx-amount": "18.40", "tx-description": "Coffee beans", "tx-category": "Groceries"})
    row = page.get_by_test_id("tx-row").filter(has_text="Coffee beans")
    expect(row).to_contain_text("$18.40")
    row.get_by_role("button", name="Edit").click()
    page.get_by_test_id("tx-amount").fill("19.40")
    page.get_by_test_id("tx-save").click()
    expect(row).to_contain_text("$19.40")
    csv_file = tmp_path / "bank.csv"
    csv_file.write_text(f"Date,Description,Amount\n{today},Farmers market,-12.00\nnot a date,Broken row,-1.00\n")
    page.get_by_test_id("import-file").set_input_files(str(csv_file))
    page.get_by_test_id("import-form").get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("Imported 1 of 2 rows")
    expect(page.get_by_test_id("import-report")).to_contain_text("Line 3")
    page.get_by_test_id("tx-search").fill("coffee")
    expect(page.get_by_test_id("tx-row")).to_have_count(1)
    shot(page, "06b-transactions")

    # A notification pushed over the WebSocket: a toast and the inbox badge.
    user_id = page.evaluate(ME_ID_JS)
    note = {
        "id": 999999,
        "kind": "renewal_reminder",
        "title": "Streamflix renews today",
        "body": "$12.99 today.",
        "created_at": "2026-01-01T00:00:00+00:00",
        "data": {},
    }
    server.app.state.hub.publish_threadsafe(user_id, note)
    expect(page.get_by_test_id("toast-notice")).to_contain_text("Streamflix renews today")
    expect(page.get_by_test_id("inbox-badge")).to_have_text("1")

    # Dark mode: saved to the profile and this browser; the page background changes.
    open_view(page, "settings")
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_test_id("theme-dark").check()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg
    page.wait_for_function("() => localStorage.getItem('bw.theme') === 'dark'")
    page.reload()
    page.wait_for_selector('[data-testid="view"][data-loaded="settings"]')
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.get_by_test_id("theme-dark")).to_be_checked()
    shot(page, "07-settings-dark")
    open_view(page, "dashboard")
    shot(page, "08-dashboard-dark")

    # Phone width, both themes: the same session in a 390 px wide window.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=context.storage_state())
    mobile = phone.new_page()
    mobile.on("pageerror", lambda exc: errors.append(str(exc)))
    for theme in ("dark", "light"):
        mobile.goto(base_url + "/#/dashboard")
        mobile.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        for name in ("dashboard", "chat", "transactions", "budgets", "subscriptions", "inbox"):
            mobile.goto(f"{base_url}/#/{name}")
            mobile.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            if name != "chat":
                mobile.wait_for_selector(f'[data-testid="view"][data-loaded="{name}"]:not([aria-busy])')
            width = mobile.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{name} scrolls sideways at 390 px ({width} px wide)"
            shot(mobile, f"phone-{theme}-{name}")
    phone.close()

    # An expired or bad access token: the app refreshes it once (REST and WebSocket) and goes on.
    page.evaluate(BREAK_ACCESS_TOKEN_JS)
    page.goto(base_url + "/#/budgets")
    page.wait_for_selector('[data-testid="view"][data-loaded="budgets"]')
    expect(page.get_by_test_id("conn-status")).to_have_attribute("data-status", "ready")

    # Sign out: back to the sign-in screen, and the old tokens no longer work.
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("signin-form")).to_be_visible()
    assert page.evaluate("localStorage.getItem('bw.tokens')") is None
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
