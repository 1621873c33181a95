"""End to end in headless Chromium: a write the assistant is not sure of waits for the Yes chip.

A new user says "I spent 100" (no category, so the engine is not sure): the reply asks "Log
$100.00 under Other?" with Yes / No chips under it and nothing is written; clicking Yes runs the
write as its own turn (a log_expense chip) and the row appears in the Transactions view. Then
"I spent 70" and a click on No: nothing more is written. Screenshots go to ``test-artifacts/``.

Reuses the browser, server and helpers of ``test_e2e_browser``; skipped with the reason when
Chromium or Playwright is missing, failed instead under ``CI=true``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import sign_up
from tests.e2e.test_e2e_browser import chat, open_page, open_view, shot
from tests.e2e_server import LiveServer

pytestmark = pytest.mark.browser

TX_TOTAL_JS = """async () => {
  const token = JSON.parse(localStorage.getItem("bw.tokens")).access_token;
  const r = await fetch("/api/transactions", { headers: { Authorization: `Bearer ${token}` } });
  return (await r.json()).total;
}"""


def test_yes_chip_runs_the_held_write_and_no_drops_it(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    context, page, errors = open_page(browser)
    sign_up(page, server.url, "Cy")
    expect(page.get_by_test_id("conn-status")).to_have_attribute("data-status", "ready")

    reply = chat(page, "I spent 100")
    expect(reply.get_by_test_id("assistant-text")).to_have_text("Log $100.00 under Other?")
    expect(reply.get_by_test_id("tool-chip")).to_have_count(0)
    chips = reply.get_by_test_id("confirm")
    expect(chips.get_by_test_id("confirm-yes")).to_be_visible()
    expect(chips.get_by_test_id("confirm-no")).to_be_visible()
    assert page.evaluate(TX_TOTAL_JS) == 0
    shot(page, "confirm-01-asked")

    before = page.get_by_test_id("msg-assistant").count()
    chips.get_by_test_id("confirm-yes").click()
    done = page.get_by_test_id("msg-assistant").nth(before)
    done.and_(page.locator("[data-done=true]")).wait_for()
    expect(chips).to_have_attribute("data-answer", "yes")
    expect(chips.get_by_test_id("confirm-yes")).to_be_disabled()
    chip = done.get_by_test_id("tool-chip")
    expect(chip).to_have_attribute("data-tool", "log_expense")
    expect(chip).to_contain_text("Logged $100.00")
    shot(page, "confirm-02-yes")

    open_view(page, "transactions")
    rows = page.get_by_test_id("tx-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("100.00")
    shot(page, "confirm-03-row")

    reply = chat(page, "I spent 70")
    before = page.get_by_test_id("msg-assistant").count()
    reply.get_by_test_id("confirm").get_by_test_id("confirm-no").click()
    page.get_by_test_id("msg-assistant").nth(before).and_(page.locator("[data-done=true]")).wait_for()
    expect(page.get_by_test_id("msg-assistant").nth(before)).to_contain_text("won't")
    assert page.evaluate(TX_TOTAL_JS) == 1
    shot(page, "confirm-04-no")

    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
