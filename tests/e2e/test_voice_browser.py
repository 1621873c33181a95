"""The chat's microphone in headless Chromium, with an espeak-ng question as the fake microphone.

Hold the mic button while the "microphone" speaks: the transcript becomes the user's message,
the assistant logs the expense (a chip), and the spoken answer plays with a stop button. A
browser that refuses the microphone gets a clear message. Skipped with a reason when Chromium,
Playwright, espeak-ng or sox is missing; failures under ``CI=true``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, fill_signup, unavailable
from tests.e2e.test_e2e_browser import shot
from tests.e2e_server import LiveServer, live_server

pytestmark = pytest.mark.browser

DENY_MIC_JS = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
"""


@pytest.fixture(scope="module")
def question(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (apt-get install espeak-ng sox)")
    d = tmp_path_factory.mktemp("mic")
    raw, out = d / "raw.wav", d / "question.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), "I spent 20 dollars on groceries"], check=True, timeout=30)
    # Chromium loops the file: half a second of quiet first, a long quiet tail after.
    subprocess.run(["sox", str(raw), "-r", "48000", str(out), "pad", "0.5", "6"], check=True, timeout=30)
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("e2e-voice")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(question: Path) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright (the Python package) is not installed")
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={question}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=args, headless=True)
        yield b
        b.close()


def sign_up(browser: Any, server: LiveServer, *, deny_mic: bool = False) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    if deny_mic:
        context.add_init_script(DENY_MIC_JS)
    page = context.new_page()
    page.goto(server.url + "/")
    page.get_by_test_id("to-signup").click()
    fill_signup(page, "Vic")
    page.wait_for_selector('[data-testid="conn-status"][data-status="ready"]')
    return page


def test_hold_to_talk_logs_the_expense_and_speaks_the_answer(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    page = sign_up(browser, server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    mic = page.get_by_test_id("mic")
    expect(mic).to_be_visible()
    box = mic.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    expect(mic).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("mic-meter")).to_be_visible()
    page.wait_for_timeout(3500)  # the fake microphone says its sentence
    shot(page, "voice-01-recording")
    page.mouse.up()
    expect(mic).to_have_attribute("aria-pressed", "false")
    said = page.get_by_test_id("msg-user").last
    expect(said).to_contain_text("groceries", ignore_case=True, timeout=20_000)
    expect(said).to_contain_text("20")
    reply = page.get_by_test_id("msg-assistant").last
    reply.and_(page.locator("[data-done=true]")).wait_for(timeout=20_000)
    expect(reply.get_by_test_id("tool-chip")).to_have_attribute("data-tool", "log_expense")
    expect(page.get_by_test_id("voice-stop")).to_be_visible()  # the spoken answer is playing
    shot(page, "voice-02-answered")
    page.get_by_test_id("voice-stop").click()
    expect(page.get_by_test_id("voice-stop")).to_be_hidden()
    assert not errors, errors


def test_a_refused_microphone_says_so(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    page = sign_up(browser, server, deny_mic=True)
    page.get_by_test_id("mic").click()
    expect(page.get_by_test_id("toast-error").last).to_contain_text("Microphone access was denied")
    expect(page.get_by_test_id("mic")).to_have_attribute("aria-pressed", "false")
