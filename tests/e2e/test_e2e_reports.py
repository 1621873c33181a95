"""End to end in headless Chromium: the dashboard's Insights card and the Spending report view.

What chat can do, the UI can do: the chat's ``get_insights`` and ``spending_summary`` tools have
REST endpoints, and these screens show them. A new user logs two expenses in two categories, sees
the top one named on the dashboard, opens the report (total, both categories and their amounts,
the comparison), filters it by category, watches it follow a chat expense, picks a range with
nothing in it (the empty state) and an end before the start (the API's error, not a broken
view). Screenshots go to ``test-artifacts/`` (wide and phone width, light and dark).

Reuses the browser, server and helpers of ``test_e2e_browser``; skipped with the reason when
Chromium or Playwright is missing, failed instead under ``CI=true``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.support import loaded, phone_tour, sign_up
from tests.e2e.test_e2e_browser import TODAY_JS, chat, open_page, open_view, shot
from tests.e2e_server import LiveServer

pytestmark = pytest.mark.browser

# Log one expense over REST with the page's own token (setup, not what is under test).
ADD_EXPENSE_JS = """async (tx) => {
  const token = JSON.parse(localStorage.getItem("bw.tokens")).access_token;
  const r = await fetch("/api/transactions", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "expense", ...tx }),
  });
  return r.status;
}"""


def show_report(page: Any, start: str, end: str) -> None:
    page.get_by_test_id("report-start").fill(start)
    page.get_by_test_id("report-end").fill(end)
    page.get_by_test_id("report-submit").click()


def report_row(page: Any, category: str) -> Any:
    return page.locator(f'[data-testid="report-row"][data-category="{category}"]')


def test_insights_card_and_spending_report(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    base_url = server.url
    context, page, errors = open_page(browser)

    # A new user: the insights card says what it will show once there is spending.
    sign_up(page, base_url, "Rae")
    insights = page.get_by_test_id("dash-insights")
    expect(insights.get_by_test_id("insights-empty")).to_contain_text("Nothing spent in")
    shot(page, "reports-01-insights-empty")

    # Two expenses today, in two categories, logged over REST.
    today = page.evaluate(TODAY_JS)
    for amount, category, description in (("42.50", "Groceries", "Weekly shop"), ("17.25", "Dining", "Lunch")):
        status = page.evaluate(
            ADD_EXPENSE_JS, {"amount": amount, "category": category, "description": description, "date": today}
        )
        assert status == 201, f"adding the {category} expense answered {status}"

    # The dashboard's insights card names the top category, its amount and share.
    page.reload()
    loaded(page, "dashboard")
    expect(insights.get_by_test_id("insights-headline")).to_contain_text("You spent $59.75")
    top = insights.get_by_test_id("insight-top")
    expect(top).to_have_count(2)
    expect(top.first).to_have_attribute("data-category", "Groceries")
    expect(top.first).to_contain_text("$42.50")
    expect(top.first).to_contain_text("71.1% of spending")
    expect(top.nth(1)).to_contain_text("Dining")
    shot(page, "reports-02-dashboard-insights")

    # The spending report, reached from the navigation: this month so far by default.
    open_view(page, "reports")
    expect(page.get_by_test_id("nav-reports")).to_have_attribute("aria-current", "page")
    assert page.get_by_test_id("report-end").input_value() == today
    expect(page.get_by_test_id("report-total")).to_contain_text("$59.75")
    expect(page.get_by_test_id("report-count")).to_contain_text("2")
    expect(page.get_by_test_id("report-row")).to_have_count(2)
    expect(report_row(page, "Groceries").get_by_test_id("report-amount")).to_have_text("$42.50")
    expect(report_row(page, "Dining").get_by_test_id("report-amount")).to_have_text("$17.25")
    expect(page.get_by_test_id("report-chart")).to_be_visible()
    expect(page.get_by_test_id("report-chart").locator("rect")).to_have_count(2)
    expect(page.get_by_test_id("report-change")).to_contain_text("Nothing was spent in the previous")
    shot(page, "reports-03-report")

    # A chat expense changes the ledger: the report follows (the bus's "data-changed").
    reply = chat(page, "I spent 10 on groceries today")
    expect(reply.get_by_test_id("tool-chip")).to_have_attribute("data-tool", "log_expense")
    expect(page.get_by_test_id("report-total")).to_contain_text("$69.75")
    expect(report_row(page, "Groceries").get_by_test_id("report-amount")).to_have_text("$52.50")

    # One category only.
    page.get_by_test_id("report-category").select_option("Dining")
    expect(page.get_by_test_id("report-heading")).to_contain_text("Dining")
    expect(page.get_by_test_id("report-total")).to_contain_text("$17.25")
    expect(page.get_by_test_id("report-row")).to_have_count(1)
    page.get_by_test_id("report-category").select_option("")
    expect(page.get_by_test_id("report-row")).to_have_count(2)

    # A range with nothing in it: the empty state, not zeros in a table.
    show_report(page, "2020-01-01", "2020-01-31")
    expect(page.get_by_test_id("report-empty")).to_contain_text("No spending between")
    expect(page.get_by_test_id("report-row")).to_have_count(0)
    shot(page, "reports-04-report-empty")

    # End before start: the API's message, the start field marked, and the view still works.
    show_report(page, "2020-02-01", "2020-01-01")
    expect(page.get_by_test_id("report-error")).to_have_text(re.compile(r"start must be on or before end", re.I))
    expect(page.get_by_test_id("report-start")).to_have_attribute("aria-invalid", "true")
    shot(page, "reports-05-report-error")
    page.get_by_test_id("report-preset-this-month").click()
    expect(page.get_by_test_id("report-total")).to_contain_text("$69.75")
    expect(page.get_by_test_id("report-start")).not_to_have_attribute("aria-invalid", "true")

    # Keyboard: from the category, Tab reaches the button, then the quick ranges; every field is labelled.
    page.get_by_test_id("report-category").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("report-submit")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("report-preset-this-month")).to_be_focused()
    for testid in ("report-start", "report-end", "report-category"):
        label = page.get_by_test_id(testid).evaluate("el => el.labels[0]?.textContent || ''")
        assert label.strip(), f"{testid} has no label"

    # Phone width, both themes: no sideways scrolling.
    def reports_check(mobile: Any, name: str) -> None:
        if name == "reports":
            expect(mobile.get_by_test_id("report-total")).to_be_visible()
        else:
            expect(mobile.get_by_test_id("dash-insights")).to_contain_text("Groceries")

    phone = phone_tour(browser, context, base_url, ("dashboard", "reports"), errors, "reports", reports_check)
    phone.close()
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
