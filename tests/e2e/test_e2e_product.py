"""End to end in headless Chromium: totals that say what they leave out, and getting around.

A new user with a euro expense and no rate sees the dashboard's tiles on one basis and the note
next to them; steps through months with the picker (the URL keeps the month); opens a
category's transactions from its bar and sorts them; adds a transaction from anywhere with the
"+ Add" dialog (plain-word errors); adds an import rule and a category in Settings; imports a
file whose Uber row the rule files; then, at phone width and dark, reaches every section through
the bottom bar's "More". Screenshots go to ``test-artifacts/`` (1280x800 and 390x844, light and
dark).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.support import PASSWORD, TIMEOUT_MS, loaded, sign_up
from tests.e2e.test_e2e_browser import shot
from tests.e2e_server import LiveServer

pytestmark = pytest.mark.browser

REST_JS = """async ([method, path, body]) => {
  const token = JSON.parse(localStorage.getItem("bw.tokens")).access_token;
  const r = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return r.status;
}"""


def new_page(chromium: Any, width: int, height: int, scheme: str) -> tuple[Any, Any, list[str]]:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = chromium.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def test_totals_month_picker_quick_add_rules_and_phone_navigation(
    browser: Any,
    server: LiveServer,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    context, page, errors = new_page(browser, 1280, 800, "light")
    email = sign_up(page, server.url, "Pat")
    # With no budgets, "Left to spend" says how to start instead of $0.00.
    expect(page.get_by_test_id("tile-remaining")).to_contain_text("set a monthly limit")

    for body in (
        {"amount": "20", "currency": "EUR", "description": "museum ticket"},
        {"amount": "42.50", "description": "weekly shop", "category": "Groceries"},
        {"amount": "12", "description": "cinema", "category": "Entertainment"},
    ):
        assert page.evaluate(REST_JS, ["POST", "/api/transactions", body]) == 201
    assert page.evaluate(REST_JS, ["PUT", "/api/budgets/Groceries", {"amount": "300"}]) == 200
    page.reload()
    loaded(page, "dashboard")
    expect(page.get_by_test_id("tile-spent")).to_contain_text("$54.50")
    expect(page.get_by_test_id("tile-budget")).to_contain_text("$300.00")
    expect(page.get_by_test_id("tile-remaining")).to_contain_text("$257.50")
    expect(page.get_by_test_id("tile-unbudgeted")).to_contain_text("$12.00")
    expect(page.get_by_test_id("left-out-note")).to_contain_text("1 transaction in EUR")
    expect(page.get_by_test_id("trend-axis-max")).to_be_visible()
    shot(page, "product-01-dashboard-desktop-light")

    # Month picker: previous month, the URL keeps it, a reload shows the same month.
    label = page.get_by_test_id("month-label").inner_text()
    page.get_by_test_id("month-prev").click()
    expect(page).to_have_url(re.compile(r"#/dashboard\?month=\d{4}-\d{2}$"))
    loaded(page, "dashboard")
    expect(page.get_by_test_id("month-label")).not_to_have_text(label)
    expect(page.get_by_test_id("tile-spent")).to_contain_text("$0.00")
    page.reload()
    loaded(page, "dashboard")
    expect(page.get_by_test_id("month-label")).not_to_have_text(label)
    page.get_by_test_id("month-today").click()
    loaded(page, "dashboard")
    expect(page.get_by_test_id("month-label")).to_have_text(label)

    # A category's bar opens its transactions.
    page.get_by_test_id("budget-link").first.click()
    loaded(page, "transactions")
    expect(page).to_have_url(re.compile(r"#/transactions\?category=Groceries&month="))
    expect(page.get_by_test_id("tx-row")).to_have_count(1)
    expect(page.get_by_test_id("tx-row").first).to_contain_text("weekly shop")
    page.get_by_test_id("tx-filters").locator('select[name="category"]').select_option("")
    page.get_by_test_id("tx-filters").locator('button[type="submit"]').click()
    expect(page.get_by_test_id("tx-row")).to_have_count(3)
    page.get_by_test_id("sort-amount").click()
    expect(page.locator("th.sortable").nth(3)).to_have_attribute("aria-sort", "descending")
    page.get_by_test_id("sort-amount").click()
    expect(page.locator("th.sortable").nth(3)).to_have_attribute("aria-sort", "ascending")
    expect(page.get_by_test_id("tx-row").first).to_contain_text("weekly shop")  # the largest expense first
    expect(page.get_by_test_id("tx-home")).to_contain_text("no rate yet")
    shot(page, "product-02-transactions-sorted")

    # "+ Add" from anywhere: plain-word errors, then a saved row with feedback.
    page.get_by_test_id("quick-add").click()
    dialog = page.get_by_test_id("quick-add-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("qa-amount").fill("abc")
    page.get_by_test_id("qa-description").fill("coffee")
    page.get_by_test_id("qa-save").click()
    expect(page.get_by_test_id("qa-error")).to_contain_text("Amount")
    expect(page.get_by_test_id("qa-error")).not_to_contain_text("Input should")
    shot(page, "product-03-quick-add-error")
    page.get_by_test_id("qa-amount").fill("4.50")
    page.get_by_test_id("qa-save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("toast-info").last).to_contain_text("Saved: coffee")

    # Settings: an import rule and a new category, then archive it.
    page.get_by_test_id("nav-settings").click()
    loaded(page, "settings")
    page.get_by_test_id("rule-pattern").fill("Uber")
    page.get_by_test_id("rule-category").select_option("Transport")
    page.get_by_test_id("rule-add").click()
    expect(page.get_by_test_id("rule-row")).to_contain_text("Uber")
    page.get_by_test_id("cat-new-name").fill("Pets")
    page.get_by_test_id("cat-add").click()
    pets = page.locator('[data-testid="cat-row"][data-name="Pets"]')
    expect(pets).to_be_visible()
    pets.get_by_test_id("cat-archive").click()
    expect(page.locator('[data-testid="cat-row"][data-name="Pets"]')).to_have_class(re.compile("archived"))
    shot(page, "product-04-settings-rules-categories")

    # Import: the rule files the Uber row; the report says so and shows progress.
    csv_file = tmp_path / "bank.csv"
    csv_file.write_text("Date,Description,Amount\n2026-01-05,UBER *TRIP 42,-14.20\n2026-01-05,Starbucks,-5.10\n")
    page.get_by_test_id("nav-transactions").click()
    loaded(page, "transactions")
    page.get_by_test_id("import-file").set_input_files(str(csv_file))
    page.get_by_test_id("import-form").locator('button[type="submit"]').click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("Imported 2 of 2")
    expect(page.get_by_test_id("import-how")).to_contain_text("1 by rule")
    expect(page.get_by_test_id("import-report")).not_to_contain_text("null")
    shot(page, "product-05-import-report")

    # Dates follow the profile's time zone, not the browser's.
    assert page.evaluate(REST_JS, ["PATCH", "/api/me", {"timezone": "Etc/GMT+12"}]) == 200
    page.reload()
    loaded(page, "transactions")
    page.get_by_test_id("quick-add").click()
    expect(page.get_by_test_id("qa-date")).to_have_value(dt.datetime.now(ZoneInfo("Etc/GMT+12")).date().isoformat())
    page.get_by_test_id("qa-close").click()

    # Changing the home currency asks for a rate, converts, and the euro row counts at 1.
    page.get_by_test_id("nav-settings").click()
    loaded(page, "settings")
    page.get_by_test_id("settings-currency").select_option("EUR")
    expect(page.get_by_test_id("settings-currency-help")).to_contain_text("converted at this rate")
    page.get_by_test_id("settings-currency-rate").fill("0.5")
    shot(page, "product-06-settings-currency-rate")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("toasts")).to_contain_text("1 USD = 0.5 EUR")
    page.get_by_test_id("nav-dashboard").click()
    loaded(page, "dashboard")
    expect(page.get_by_test_id("tile-spent")).to_contain_text("€49.50")  # (42.50 + 12 + 4.50) x 0.5 + 20
    expect(page.get_by_test_id("left-out-note")).to_have_count(0)
    assert "null" not in page.get_by_test_id("view").inner_text()
    page.emulate_media(color_scheme="dark")
    shot(page, "product-07-dashboard-desktop-dark")
    assert errors == []
    context.close()

    # Phone width, dark: every section through the bottom bar and "More".
    context, phone, errors = new_page(browser, 390, 844, "dark")
    phone.goto(server.url + "/#/signin")
    phone.get_by_test_id("auth-email").fill(email)
    phone.get_by_test_id("auth-password").fill(PASSWORD)
    phone.get_by_test_id("auth-submit").click()
    loaded(phone, "dashboard")
    shot(phone, "product-08-phone-dashboard-dark")
    for name in ("dashboard", "chat", "transactions", "inbox"):
        expect(phone.get_by_test_id(f"nav-{name}")).to_be_in_viewport()
    expect(phone.get_by_test_id("quick-add")).to_be_in_viewport()
    for name in ("reports", "budgets", "subscriptions", "goals", "settings"):
        phone.get_by_test_id("nav-more").click()
        expect(phone.get_by_test_id(f"nav-{name}")).to_be_in_viewport()
        if name == "budgets":
            shot(phone, "product-09-phone-more-menu-dark")
        phone.get_by_test_id(f"nav-{name}").click()
        loaded(phone, name)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways at 390 px ({width} px wide)"
    phone.get_by_test_id("nav-more").click()
    phone.get_by_test_id("nav-budgets").click()
    loaded(phone, "budgets")
    expect(phone.get_by_test_id("month-picker")).to_be_visible()
    # Sorting at phone width: the column buttons stay as chips above the cards.
    phone.get_by_test_id("budgets-table").get_by_test_id("sort-col-1").click()
    phone.get_by_test_id("budgets-table").get_by_test_id("sort-col-1").click()
    first = phone.get_by_test_id("budget-edit-row").first
    expect(first).to_have_attribute("data-category", "Other")  # the most spent first (22.25 EUR)
    shot(phone, "product-10-phone-budgets-dark")
    phone.get_by_test_id("quick-add").click()
    expect(phone.get_by_test_id("quick-add-dialog")).to_be_visible()
    shot(phone, "product-11-phone-quick-add-dark")
    phone.get_by_test_id("qa-close").click()
    phone.emulate_media(color_scheme="light")
    phone.get_by_test_id("nav-dashboard").click()
    loaded(phone, "dashboard")
    shot(phone, "product-12-phone-dashboard-light")
    assert errors == []
    context.close()
