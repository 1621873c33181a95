"""The browser's state: the store's tagged invalidation, the chat's reducer, the generated types.

- ``web/static/js/types.js`` is what ``python -m web.gen_types`` writes from today's API schema
  (a stale file fails here, so the JSDoc types never drift from the server).
- Views never import other views (shared pieces live in ``js/components/``).
- ``store.js`` and ``turns.js`` run in the real Chromium (served from ``web/static`` by a route,
  no server): a write of a transaction reaches the parts showing transactions, budgets and the
  dashboard and no others; a streamed reply, its chips, a dropped Yes / No and a voice turn read
  as the chat showed them.
- On the real app, a chat expense moves the dashboard's figures and its "Can I afford it?" answer
  in place, while a half-typed question stays.

The browser tests skip with the reason when Chromium or Playwright is missing (fail under CI=true).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.e2e.support import sign_up, submit_form
from tests.e2e.test_e2e_browser import chat, open_page, shot
from tests.e2e_server import LiveServer
from web import gen_types

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
ORIGIN = "http://ui.test"


def test_types_js_is_what_the_generator_writes_from_the_api_schema() -> None:
    expected = gen_types.render(gen_types.current_openapi())
    assert gen_types.TARGET.read_text(encoding="utf-8") == expected, "run: python -m web.gen_types"
    # the types a view uses are there, with the server's own field names
    assert "@typedef {Object} Dashboard" in expected
    assert re.search(r"@property \{string\} amount", expected)
    assert " * GET /api/dashboard -> Dashboard" in expected


def test_views_import_no_other_view() -> None:
    views = STATIC / "js" / "views"
    offenders = [
        f"{p.name}: {line.strip()}"
        for p in sorted(views.glob("*.js"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.startswith("import ") and re.search(r'from "\./', line)
    ]
    assert offenders == []


def _static_page(chromium: Any) -> tuple[Any, Any, list[str]]:
    """A page whose origin serves web/static from disk (ES modules load as in the app)."""
    context, page, errors = open_page(chromium)

    def serve(route: Any) -> None:
        rel = route.request.url.removeprefix(ORIGIN + "/").split("?")[0]
        path = (STATIC / rel).resolve()
        if rel == "blank.html":
            route.fulfill(body="<!doctype html><title>ui</title>", content_type="text/html")
        elif path.is_file() and STATIC in path.parents:
            route.fulfill(path=str(path), content_type="text/javascript")
        else:
            route.fulfill(status=404, body="")

    page.route(ORIGIN + "/**", serve)
    page.goto(ORIGIN + "/blank.html")
    return context, page, errors


def _evaluate(chromium: Any, script: str) -> Any:
    """``script``'s value on a static page (``_static_page``), which must raise no page errors."""
    context, page, errors = _static_page(chromium)
    try:
        value = page.evaluate(script)
    finally:
        context.close()
    assert errors == []
    return value


STORE_JS = """async () => {
  const store = await import("/js/store.js");
  const seen = [];
  const offs = ["transactions", "budgets", "dashboard", "goals", "subscriptions"].map((tag) =>
    store.watch([tag], (d) => seen.push(`${tag}:${d.source}`)));
  let fetched = 0;
  const fetcher = async () => { fetched += 1; return { n: fetched }; };
  const a = await store.read("/api/budgets/summary", ["budgets"], fetcher);
  const b = await store.read("/api/budgets/summary", ["budgets"], fetcher);  // cached
  const g = await store.read("/api/goals", ["goals"], fetcher);
  store.invalidate("transaction", { source: "chat" });
  const c = await store.read("/api/budgets/summary", ["budgets"], fetcher);  // fetched again
  const g2 = await store.read("/api/goals", ["goals"], fetcher);            // still cached
  offs[0]();  // a view that went away is told nothing
  store.invalidate("goal");
  let failed = false;
  try { await store.read("/x", ["goals"], async () => { throw new Error("offline"); }); } catch { failed = true; }
  const retried = await store.read("/x", ["goals"], async () => "ok");      // a failure is not kept
  return { a: a.n, b: b.n, c: c.n, g: g.n, g2: g2.n, seen, failed, retried, unknown: (() => {
    try { store.invalidate("nonsense"); return "accepted"; } catch (e) { return e.message; }
  })() };
}"""


KIND_JS = """async () => {
  const { kindAndCategory } = await import("/js/categories.js");
  const [kind, cat] = kindAndCategory("qa", "Refund (money back)", ["Dining", "Groceries"], ["Salary"]);
  const offered = () => [...cat.options].map((o) => o.value);
  const out = { ids: [kind.dataset.testid, cat.dataset.testid], expense: offered() };
  for (const k of ["income", "refund"]) {
    kind.value = k;
    kind.dispatchEvent(new Event("change"));
    out[k] = offered();
  }
  out.refundLabel = kind.options[2].textContent;
  return out;
}"""


def test_the_category_choices_follow_the_kind_of_transaction(browser: Any) -> None:
    out = _evaluate(browser, KIND_JS)
    assert out["ids"] == ["qa-kind", "qa-category"]
    assert out["expense"] == out["refund"] == ["", "Dining", "Groceries"]  # "" is "Guess for me"
    assert out["income"] == ["", "Salary"]
    assert out["refundLabel"] == "Refund (money back)"


def test_a_transaction_write_reaches_only_the_parts_that_show_it(browser: Any) -> None:
    out = _evaluate(browser, STORE_JS)
    assert (out["a"], out["b"], out["c"]) == (1, 1, 3)  # one fetch until a write touched "budgets"
    assert (out["g"], out["g2"]) == (2, 2)  # goals were not touched by a transaction
    # each watcher once, with who wrote; goals and subscriptions did not hear of the transaction
    assert out["seen"] == [
        "transactions:chat",
        "budgets:chat",
        "dashboard:chat",
        "dashboard:goal",
        "goals:goal",
    ]
    assert out["failed"] is True and out["retried"] == "ok"
    assert out["unknown"] == "unknown write: nonsense"


TURNS_JS = """async () => {
  const { initialState, reduce } = await import("/js/turns.js");
  let state = initialState();
  const effects = [];
  const run = (action) => {
    const [next, fx] = reduce(state, action);
    state = next;
    effects.push(...fx.map((f) => f.type));
  };
  const ev = (event) => run({ type: "event", event });
  const view = () => state.order.map((k) => {
    const b = state.bubbles[k];
    return { role: b.role, text: b.text, typing: b.typing, busy: b.busy, done: b.done, error: b.error,
             chips: b.chips.map((c) => c.name), confirm: b.confirm && b.confirm.answer, listening: b.listening };
  });
  const steps = {};
  // a typed message, a write tool, a streamed answer that asks to confirm
  run({ type: "send", id: "c1", text: "I spent 12.50 on lunch" });
  steps.waiting = view();
  ev({ type: "turn_start", reply_to: "c1", turn_id: "t1" });
  const summary = { kind: "write", text: ["Logged"] };
  ev({ type: "tool_result", turn_id: "t1", name: "log_expense", ok: true, result: {}, summary });
  ev({ type: "token", turn_id: "t1", text: "Logged " });
  ev({ type: "token", turn_id: "t1", text: "12.50." });
  steps.streaming = view()[1];
  const confirm = { id: "k1", text: "Save the rule?" };
  ev({ type: "assistant_message", turn_id: "t1", text: "Logged 12.50. Save it as a rule?", confirm });
  ev({ type: "turn_end", turn_id: "t1" });
  steps.ended = view()[1];
  steps.effectsAfterWrite = [...effects];
  // typing something else drops the open Yes / No; a late answer to it is ignored
  run({ type: "send", id: "c2", text: "what did I spend?" });
  const before = state;
  run({ type: "confirm", id: "k1", answer: "yes" });
  steps.lateAnswerIgnored = state === before;
  steps.dropped = view()[1].confirm;
  // an error ends the turn in words; an error of no known turn gets its own bubble
  ev({ type: "turn_start", reply_to: "c2", turn_id: "t2" });
  ev({ type: "error", turn_id: "t2", code: "internal", message: "That did not work." });
  ev({ type: "turn_end", turn_id: "t2" });
  ev({ type: "error", code: "rate_limited", message: "Slow down." });
  steps.errors = view().slice(3);
  // a voice turn: placeholder, transcript, reply read aloud
  run({ type: "voice_start", id: "c3" });
  ev({ type: "turn_start", reply_to: "c3", turn_id: "t3" });
  ev({ type: "transcript", turn_id: "t3", text: "how much is left for groceries" });
  ev({ type: "assistant_message", turn_id: "t3", text: "$80 left." });
  ev({ type: "turn_end", turn_id: "t3" });
  steps.voice = view().slice(5);
  steps.effects = effects;
  // history fills an empty chat only
  const items = [
    { role: "user", content: "hi" },
    { role: "assistant", content: "Hello", tool_calls: [{ name: "budget_summary" }] },
  ];
  const fresh = reduce(initialState(), { type: "history", items })[0];
  const row = (b) => [b.role, b.text, b.done, b.chips.map((c) => c.undoable)];
  steps.history = fresh.order.map((k) => row(fresh.bubbles[k]));
  steps.historyIgnored = reduce(state, { type: "history", items: [{ role: "user", content: "old" }] })[0] === state;
  return steps;
}"""


def test_the_chat_reducer_turns_events_into_what_the_chat_shows(browser: Any) -> None:
    steps = _evaluate(browser, TURNS_JS)
    user, reply = steps["waiting"]
    assert (user["role"], user["text"]) == ("user", "I spent 12.50 on lunch")
    assert (reply["role"], reply["typing"], reply["busy"], reply["done"]) == ("assistant", True, True, False)
    assert steps["streaming"]["text"] == "Logged 12.50."
    assert steps["streaming"]["typing"] is False and steps["streaming"]["chips"] == ["log_expense"]
    ended = steps["ended"]
    assert (ended["done"], ended["busy"], ended["confirm"]) == (True, False, None)  # Yes / No open
    assert steps["effectsAfterWrite"] == ["data-changed"]  # a write turn refreshes the views once
    assert steps["lateAnswerIgnored"] is True and steps["dropped"] == "dropped"
    failed, orphan = steps["errors"]
    assert (failed["text"], failed["error"], failed["done"]) == ("That did not work.", True, True)
    assert (orphan["text"], orphan["error"]) == ("Slow down.", True)
    said, answer = steps["voice"]
    assert (said["text"], said["listening"]) == ("how much is left for groceries", False)
    assert (answer["text"], answer["done"]) == ("$80 left.", True)
    assert steps["effects"] == ["data-changed", "reply_text"]  # the voice reply is read aloud; no write
    assert steps["history"] == [["user", "hi", True, []], ["assistant", "Hello", True, [False]]]
    assert steps["historyIgnored"] is True


def test_a_chat_expense_moves_the_dashboard_in_place(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    context, page, errors = open_page(browser)
    try:
        sign_up(page, server.url, "Uma")
        budgets = page.get_by_test_id("nav-budgets")
        budgets.click()
        page.get_by_test_id("budget-input-Dining").fill("100")
        page.get_by_test_id("budget-save-Dining").click()
        expect(page.get_by_test_id("toast-info").last).to_contain_text("Dining")
        page.get_by_test_id("nav-dashboard").click()
        page.wait_for_selector('[data-testid="view"][data-loaded="dashboard"]:not([aria-busy])')

        # an answer on screen, and the purchase card marked: a redraw would lose the mark
        submit_form(
            page,
            "purchase-submit",
            {"purchase-item": "dinner out", "purchase-amount": "30", "purchase-category": "Dining"},
        )
        reason = page.get_by_test_id("purchase-reason")
        expect(reason).to_contain_text("Dining has $100.00 left")
        page.get_by_test_id("dash-purchase").evaluate("(el) => { el.dataset.mark = 'kept'; }")

        reply = chat(page, "I spent 90 on dinner yesterday")
        expect(reply.get_by_test_id("tool-chip")).to_have_count(1)
        expect(page.get_by_test_id("tile-spent")).to_contain_text("$90.00")
        expect(page.get_by_test_id("insights-headline")).to_contain_text("$90.00")
        expect(reason).to_contain_text("Dining has $10.00 left")  # asked again: the ledger moved
        expect(page.get_by_test_id("dash-purchase")).to_have_attribute("data-mark", "kept")  # not redrawn
        expect(page.get_by_test_id("purchase-item")).to_have_value("dinner out")
        shot(page, "ui-state-dashboard-after-chat")
        assert errors == []
    finally:
        context.close()
