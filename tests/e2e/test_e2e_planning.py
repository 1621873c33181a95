"""End to end in headless Chromium: the UI places of issue 10's tools.

A new user sets an exchange rate and the usual monthly income in Settings (the dashboard shows
both figures: the foreign expense now counts, the income tile appears), adds to a goal's savings
on the Goals view, moves budget from Dining to Groceries on the Budgets view, including a move
too big for what is left (the server's words, nothing written), and adds a category of her own. Screenshots go to
``test-artifacts/`` (``planning-*.png``).

Reuses the browser, server and helpers of ``test_e2e_browser``; skipped with the reason when
Chromium or Playwright is missing, failed instead under ``CI=true``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import loaded, rest, sign_up, submit_form
from tests.e2e.test_e2e_browser import open_page, shot
from tests.e2e.test_e2e_goals import add_to_savings, goal_row
from tests.e2e_server import LiveServer

pytestmark = pytest.mark.browser


def open_view(page: Any, name: str) -> None:
    link = page.get_by_test_id(f"nav-{name}")
    if not link.is_visible():  # phone width: the section sits behind the bottom bar's "More"
        page.get_by_test_id("nav-more").click()
    link.click()
    loaded(page, name)


def test_rates_income_goal_and_budget_move(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    context, page, errors = open_page(browser)
    sign_up(page, server.url, "Pia")
    assert rest(page, "PATCH", "/api/me", {"currency": "USD"})["status"] == 200
    assert (
        rest(page, "POST", "/api/transactions", {"amount": "10", "currency": "EUR", "description": "tapas"})["status"]
        == 201
    )
    assert rest(page, "GET", "/api/budgets/summary")["body"]["missing_rates"] == ["EUR"]

    # Settings: a rate (1 EUR = 1.08 USD) and the usual monthly income.
    open_view(page, "settings")
    expect(page.get_by_test_id("rates-empty")).to_be_visible()
    submit_form(page, "rate-save", {"rate-currency": "eur", "rate-value": "1.08"})
    rate = page.locator('[data-testid="rate-row"][data-currency="EUR"]')
    expect(rate).to_contain_text("1 EUR")
    expect(rate).to_contain_text("1.08 USD")
    # the user's own currency: refused, in words
    submit_form(page, "rate-save", {"rate-currency": "USD", "rate-value": "2"})
    expect(page.get_by_test_id("toast-error").last).to_contain_text("your own currency")
    page.get_by_test_id("income-amount").fill("3200")
    page.get_by_test_id("income-save").click()
    expect(page.get_by_test_id("toast-info").last).to_contain_text("$3,200.00 a month")
    expect(page.get_by_test_id("income-facts")).to_contain_text("$10.80 spent")
    shot(page, "planning-01-settings")
    assert rest(page, "GET", "/api/me")["body"]["monthly_income"] == "3200.00"
    assert [r["currency"] for r in rest(page, "GET", "/api/rates")["body"]["items"]] == ["EUR"]

    # The dashboard: the euro expense counts now, and the usual income is shown.
    open_view(page, "dashboard")
    expect(page.get_by_test_id("tile-spent")).to_contain_text("$10.80")
    expect(page.get_by_test_id("tile-income")).to_contain_text("$3,200.00")
    shot(page, "planning-02-dashboard")

    # Goals: add to a goal's savings (the REST twin of contribute_to_goal).
    assert rest(page, "POST", "/api/goals", {"name": "Emergency fund", "target_amount": "1000"})["status"] == 201
    open_view(page, "goals")
    add_to_savings(page, "Emergency fund", "200")
    row = goal_row(page, "Emergency fund")
    expect(row.get_by_test_id("goal-saved")).to_have_text("$200.00")
    expect(row.get_by_test_id("goal-percent")).to_have_text("20%")
    shot(page, "planning-03-goal")

    # Budgets: move 50 of Dining's 300 to Groceries for this month, then try to move too much.
    for name, amount in [("Dining", 300), ("Groceries", 400)]:
        assert rest(page, "PUT", f"/api/budgets/{name}", {"amount": amount})["status"] == 200
    assert (
        rest(page, "POST", "/api/transactions", {"amount": 200, "description": "dinners", "category": "Dining"})[
            "status"
        ]
        == 201
    )
    open_view(page, "budgets")
    submit_form(page, "move-save", {"move-from": "Dining", "move-to": "Groceries", "move-amount": "50"})
    result = page.get_by_test_id("budget-move-result")
    expect(result).to_contain_text("Moved $50.00")
    expect(result).to_contain_text("Dining $250.00 ($50.00 left)")
    expect(result).to_contain_text("Groceries $450.00 ($450.00 left)")
    shot(page, "planning-04-budget-move")
    loaded(page, "budgets")  # the move redraws the view (data-changed)
    submit_form(page, "move-save", {"move-from": "Dining", "move-to": "Groceries", "move-amount": "60"})
    expect(page.get_by_test_id("toast-error").last).to_contain_text("only $50.00 left")
    shot(page, "planning-05-budget-move-refused")
    lines = rest(page, "GET", "/api/budgets/summary")["body"]["categories"]
    assert {c["category"]: c["budget"] for c in lines} == {"Dining": "250.00", "Groceries": "450.00"}

    # A category of her own (create_category's twin): a row to budget at once; a duplicate is refused.
    submit_form(page, "category-save", {"category-name": "Pets", "category-necessity": "7"})
    expect(page.get_by_test_id("budget-input-Pets")).to_be_visible()
    page.get_by_test_id("category-name").fill("pets")
    page.get_by_test_id("category-save").click()
    expect(page.get_by_test_id("toast-error").last).to_contain_text("exists already")
    shot(page, "planning-05b-new-category")
    cats = rest(page, "GET", "/api/categories")["body"]["items"]
    assert [(c["name"], c["necessity_score"]) for c in cats if c["name"].lower() == "pets"] == [("Pets", 7)]

    # Phone width: the new cards stack and stay usable.
    page.set_viewport_size({"width": 375, "height": 800})
    open_view(page, "settings")
    expect(page.get_by_test_id("settings-rates")).to_be_visible()
    shot(page, "planning-06-settings-phone")
    assert errors == []
    context.close()
