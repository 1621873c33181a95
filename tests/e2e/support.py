"""What the browser tests share: signing a new user up, waiting for a view, one REST call from the page.

Plain helpers and constants; the browser and server fixtures live in ``conftest.py``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "correct horse battery staple 42"
CHROMIUM = Path(os.environ.get("BUDGETWISE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI") == "true"
TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE_WIDTH = 375

# One REST call with the page's own token (setup and checks, not what is under test).
REST_JS = """async ([method, path, body]) => {
  const token = JSON.parse(localStorage.getItem("bw.tokens")).access_token;
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== null) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === null ? undefined : JSON.stringify(body) });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}"""


def unavailable(reason: str) -> None:
    """Skip the test for a missing browser part, or fail it under ``CI=true``."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def rest(page: Any, method: str, path: str, body: Any = None) -> dict[str, Any]:
    """``{"status": ..., "body": ...}`` of one call to the API as the signed-in user."""
    result: dict[str, Any] = page.evaluate(REST_JS, [method, path, body])
    return result


def loaded(page: Any, name: str) -> None:
    """Wait until the view ``name`` has loaded and is no longer busy."""
    page.wait_for_selector(f'[data-testid="view"][data-loaded="{name}"]:not([aria-busy])')


def submit_form(page: Any, submit: str, values: dict[str, str]) -> None:
    """Set each field (test id: value) in order, typed into an input or picked in a select, then
    click the button with the test id ``submit``."""
    for testid, value in values.items():
        control = page.get_by_test_id(testid)
        if control.evaluate("(el) => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    page.get_by_test_id(submit).click()


def fill_signup(page: Any, name: str) -> str:
    """Fill in and send the open sign-up form for a new user called ``name``; returns the (fresh) email."""
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    submit_form(page, "auth-submit", {"auth-name": name, "auth-email": email, "auth-password": PASSWORD})
    return email


def sign_up(page: Any, base_url: str, name: str) -> str:
    """Open the sign-up page, sign a new user called ``name`` up and wait for the dashboard; returns the email."""
    page.goto(base_url + "/#/signup")
    email = fill_signup(page, name)
    loaded(page, "dashboard")
    return email


def shot(page: Any, name: str) -> None:
    """A full-page screenshot in ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def phone_tour(
    browser: Any,
    context: Any,
    base_url: str,
    views: Sequence[str],
    errors: list[str],
    prefix: str,
    check: Callable[[Any, str], None],
) -> Any:
    """Each view at phone width in both themes, signed in as ``context`` is: loaded, ``check(page, view)``,
    no sideways scrolling, a screenshot ``<prefix>-phone-<theme>-<view>``. The phone context (the caller closes it)."""
    phone = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 812}, storage_state=context.storage_state())
    mobile = phone.new_page()
    mobile.on("pageerror", lambda exc: errors.append(str(exc)))
    for theme in ("light", "dark"):
        for name in views:
            mobile.goto(f"{base_url}/#/{name}")
            mobile.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            loaded(mobile, name)
            check(mobile, name)
            width = mobile.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"{name} scrolls sideways at {PHONE_WIDTH} px ({width} px wide)"
            shot(mobile, f"{prefix}-phone-{theme}-{name}")
    return phone
