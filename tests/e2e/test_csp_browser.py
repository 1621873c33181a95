"""The UI and the API docs under the real Content-Security-Policy, in headless Chromium.

The CSP allows no inline script (web/hardening.py). Chromium reports each thing it refuses on the
console ("Refused to ... Content Security Policy"); this test walks sign-up, chat and every main
view, then ``/docs`` (offline assets), and asserts nothing was refused and no page
error happened.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import fill_signup
from tests.e2e.test_e2e_browser import chat, open_page, open_view
from tests.e2e_server import LiveServer

pytestmark = pytest.mark.browser


def _watch_csp(page: Any) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    return refused


def test_ui_and_docs_work_under_the_csp(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    context, page, errors = open_page(browser)
    refused = _watch_csp(page)
    try:
        response = page.goto(server.url + "/")
        assert response is not None
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp

        page.get_by_test_id("to-signup").click()
        fill_signup(page, "Csp")
        page.wait_for_selector('[data-testid="view"][data-loaded="dashboard"]')
        expect(page.get_by_test_id("conn-status")).to_have_attribute("data-status", "ready")  # WebSocket allowed

        reply = chat(page, "I spent 12 on groceries today")
        expect(reply.get_by_test_id("tool-chip")).to_have_attribute("data-tool", "log_expense")
        for view in ("transactions", "reports", "budgets", "subscriptions", "goals", "inbox", "dashboard"):
            open_view(page, view)

        page.goto(server.url + "/docs")
        page.wait_for_selector(".swagger-ui .information-container")
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    finally:
        context.close()
    assert refused == [], refused
    assert errors == [], errors
