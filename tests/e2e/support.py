"""What the browser tests share: signing a new user up, waiting for a view, one REST call from the page.

Plain helpers, no fixtures (the browser and server fixtures live in ``test_e2e_browser``).
"""

from __future__ import annotations

import uuid
from typing import Any

PASSWORD = "correct horse battery staple 42"

# One REST call with the page's own token (setup and checks, not what is under test).
REST_JS = """async ([method, path, body]) => {
  const token = JSON.parse(localStorage.getItem("bw.tokens")).access_token;
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== null) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === null ? undefined : JSON.stringify(body) });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}"""


def rest(page: Any, method: str, path: str, body: Any = None) -> dict[str, Any]:
    """``{"status": ..., "body": ...}`` of one call to the API as the signed-in user."""
    result: dict[str, Any] = page.evaluate(REST_JS, [method, path, body])
    return result


def loaded(page: Any, name: str) -> None:
    """Wait until the view ``name`` has loaded and is no longer busy."""
    page.wait_for_selector(f'[data-testid="view"][data-loaded="{name}"]:not([aria-busy])')


def fill_signup(page: Any, name: str) -> str:
    """Fill in and send the open sign-up form for a new user called ``name``; returns the (fresh) email."""
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_test_id("auth-name").fill(name)
    page.get_by_test_id("auth-email").fill(email)
    page.get_by_test_id("auth-password").fill(PASSWORD)
    page.get_by_test_id("auth-submit").click()
    return email


def sign_up(page: Any, base_url: str, name: str) -> str:
    """Open the sign-up page, sign a new user called ``name`` up and wait for the dashboard; returns the email."""
    page.goto(base_url + "/#/signup")
    email = fill_signup(page, name)
    loaded(page, "dashboard")
    return email
