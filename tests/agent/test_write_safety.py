# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""Write safety end to end: numbers that are not money, questions, bank chores, things the user
does not have, and the contract's ``confirm`` (yes / no / ignored / double yes / expiry, voice
unsure, an outlier amount), over the real WebSocket and a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage
from sqlalchemy.engine import Engine

from assistant.agent.confirmations import PendingConfirmations, yes_or_no
from assistant.agent.runner import AgentRunner
from assistant.agent.safety import is_question, non_money_kind
from assistant.agent.scripted import ScriptedChatModel
from assistant.clock import FixedClock
from assistant.settings import Settings
from tests.agent.chat_support import ledger, message, say, tool_calls
from tests.api_support import Account, alice, app, chat, client  # noqa: F401

WRITES = {"log_expense", "log_income", "add_subscription", "cancel_subscription", "delete_transaction", "set_goal"}


# ---------------------------------------------------------------- numbers that are not money

NOT_MONEY = [
    ("my PIN is 1234", "a PIN or code"),
    ("I want to roll over my 401k", "retirement account"),
    ("table for 6 tonight", "a party size"),
    ("show transaction 50205", "an id"),
    ("order id 884213", "an id"),
    ("I walked 10000 steps", "a count"),
    ("I weigh 180 pounds", "a measurement"),
    ("my zip code is 90210", "a PIN or code"),
    ("call me at 555 1234", "a phone number"),
    ("I drove 120 miles", "a distance"),
    ("got home at 7pm", "a time"),
    ("I'm 35 years old", "an age"),
]


@pytest.mark.parametrize(("text", "kind"), NOT_MONEY)
def test_each_kind_of_number_that_is_not_money_is_named(text: str, kind: str) -> None:
    amount = {"I want to roll over my 401k": "401000"}.get(text) or next(
        w.replace(",", "") for w in text.replace("pm", " ").split() if w.replace(",", "").isdigit()
    )
    found = non_money_kind(text, amount)
    assert found is not None and kind in found[0] and found[1], (text, found)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("dinner for 4 people 120", "120"),
        ("spent 20 pounds on lunch", "20"),
        ("I drove 120 miles and paid 40 for gas", "40"),
        ("gas 45 for 12 gallons", "45"),
        ("$401 on a new chair", "401"),
        ("rent 1500", "1500"),
        ("lunch 12.50 at chipotle", "12.50"),
    ],
)
def test_money_next_to_other_numbers_stays_money(text: str, amount: str) -> None:
    assert non_money_kind(text, amount) is None


def test_no_number_that_is_not_money_is_ever_written(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        for text, _ in [*NOT_MONEY, ("book a table for 4 at 7pm", ""), ("cancel my reservation at 8", "")]:
            events = say(ws, text)
            assert not set(tool_calls(events)) & WRITES, (text, events)
            assert "confirm" not in message(events), text
            assert ledger(client, alice) == (0, 0), text


def test_bank_chores_never_write(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        for text in ("pay my 80 electric bill", "please transfer 500 to savings", "book a table for 4 at 7pm"):
            events = say(ws, text)
            assert not set(tool_calls(events)) & WRITES, text
        assert ledger(client, alice) == (0, 0)


@pytest.mark.parametrize(
    "text", ["pay my 80 electric bill", "can you transfer 500 to my savings", "i need to make a reservation for 3"]
)
async def test_a_bank_chore_heard_as_an_expense_gets_the_plain_answer(
    engine: Engine, db_url: str, clock: FixedClock, text: str
) -> None:
    """Whatever model mistook it for an expense (here a scripted provider), the policy refuses."""
    from tests.agent.test_safety import calls, new_user, snapshot

    uid = new_user(engine)
    script = ScriptedChatModel.of([calls(("log_expense", {"amount": 80, "description": "bill"})), "Done."])
    runner = AgentRunner(
        engine=engine, settings=Settings(database_url=db_url), clock=clock, model_factory=lambda i: script
    )
    events = [e.to_dict() async for e in runner.run_turn(uid, text)]
    assert (
        tool_calls(events) == []
        and message(events)["text"] == "I can't move money, pay bills or book things; I keep your budget."
    )
    assert snapshot(engine, uid) == []


# ---------------------------------------------------------------- questions, and what the user does not have


def test_a_question_never_writes(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        events = say(ws, "what about a $35 board game?")
        assert tool_calls(events) == ["check_purchase"]  # a read answer, with the numbers
        assert "$35" in message(events)["text"]
        for text in ("did I spend 40 on gas?", "how much did I spend on groceries?", "is 50 too much for dinner?"):
            events = say(ws, text)
            assert not set(tool_calls(events)) & WRITES, text
        assert ledger(client, alice) == (0, 0)


def test_cancel_and_delete_only_act_on_what_the_user_has(client: TestClient, alice: Account) -> None:
    r = client.post("/api/subscriptions", headers=alice.headers, json={
        "name": "Netflix", "amount": "15.49", "cadence": "monthly", "next_renewal": "2026-12-20",
    })  # fmt: skip
    assert r.status_code == 201, r.text
    with chat(client, alice) as ws:
        assert not set(tool_calls(say(ws, "delete my dentist appointment"))) & WRITES
        events = say(ws, "cancel my gym membership")
        assert not set(tool_calls(events)) & WRITES
        text = message(events)["text"]
        assert "don't have a subscription called" in text and "Netflix" in text and "error" not in text.lower()
        events = say(ws, "delete transaction 999999")
        assert tool_calls(events) == [] and "don't have a transaction #999999" in message(events)["text"]
        events = say(ws, "undo the last one")
        assert tool_calls(events) == [] and "no transactions" in message(events)["text"]
        subs = client.get("/api/subscriptions", headers=alice.headers).json()["items"]
        assert [s["active"] for s in subs] == [True]
        events = say(ws, "cancel Netflix")  # what the user does have: it runs
        assert tool_calls(events) == ["cancel_subscription"]


# ---------------------------------------------------------------- voice, providers, the pieces


async def test_an_unsure_voice_transcript_is_confirmed(engine: Engine, db_url: str, clock: FixedClock) -> None:
    from tests.agent.test_safety import new_user, snapshot

    uid = new_user(engine)
    runner = AgentRunner(engine=engine, settings=Settings(database_url=db_url, llm="local"), clock=clock)
    events = [e.to_dict() async for e in runner.run_turn(uid, "spent 30 on a taxi", confident=False)]
    assert tool_calls(events) == [] and message(events)["text"].startswith("I want to be sure I heard you right.")
    assert message(events)["confirm"]["action"]["name"] == "log_expense" and snapshot(engine, uid) == []
    events = [e.to_dict() async for e in runner.run_turn(uid, "yes")]
    assert tool_calls(events) == ["log_expense"] and len(snapshot(engine, uid)) == 1


def test_rest_voice_returns_the_confirm_object(
    client: TestClient, alice: Account, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.voice import pipeline
    from assistant.voice.stt import Hypothesis, Transcription

    class FakeSTT:
        def transcribe_nbest(self, samples: Any) -> Transcription:
            return Transcription([Hypothesis("I spent 100", -0.2)], avg_logprob=-0.2)

    voice = pipeline.Voice("local", "off")
    monkeypatch.setattr(voice, "stt", lambda: FakeSTT())
    monkeypatch.setattr(pipeline, "decode", lambda data: data)
    app.state.voice = voice
    r = client.post("/api/voice", headers=alice.headers, files={"audio": ("a.wav", b"RIFF....", "audio/wav")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["tool_calls"] == [] and body["confirm"]["text"] == "Log $100.00 under Other?"
    assert ledger(client, alice) == (0, 0)
    # the REST answer to it (a client without a WebSocket): yes runs it once
    yes = {"id": body["confirm"]["id"], "answer": "yes"}
    r = client.post("/api/chat/confirm", headers=alice.headers, json=yes)
    assert r.status_code == 200 and [c["name"] for c in r.json()["tool_calls"]] == ["log_expense"], r.text
    assert r.json()["tool_calls"][0]["ok"] is True and ledger(client, alice) == (1, 0)
    r = client.post("/api/chat/confirm", headers=alice.headers, json=yes)
    assert r.json()["tool_calls"] == [] and "Nothing is waiting" in r.json()["reply"]
    maybe = {"id": "x", "answer": "maybe"}
    assert client.post("/api/chat/confirm", headers=alice.headers, json=maybe).status_code == 422
    assert client.post("/api/chat/confirm", json=yes).status_code == 401
    assert ledger(client, alice) == (1, 0)


async def test_a_providers_tool_calls_pass_the_same_policy(engine: Engine, db_url: str, clock: FixedClock) -> None:
    from tests.agent.test_safety import calls, new_user, snapshot

    uid = new_user(engine)
    script = ScriptedChatModel.of([calls(("log_expense", {"amount": 1234, "description": "PIN"})), "Done."])
    runner = AgentRunner(
        engine=engine, settings=Settings(database_url=db_url), clock=clock, model_factory=lambda i: script
    )
    events = [e.to_dict() async for e in runner.run_turn(uid, "my PIN is 1234")]
    assert tool_calls(events) == [] and "not money" in message(events)["text"]
    script = ScriptedChatModel.of([AIMessage(content="", tool_calls=[
        {"name": "cancel_subscription", "args": {"name": "Gym"}, "id": "c1"}
    ]), "Done."])  # fmt: skip
    runner.model_factory = lambda i: script
    events = [e.to_dict() async for e in runner.run_turn(uid, "cancel my gym")]
    assert tool_calls(events) == [] and "don't have a subscription called" in message(events)["text"]
    assert snapshot(engine, uid) == []


def test_questions_and_answers_are_told_apart() -> None:
    assert is_question("what about a $35 board game?") and is_question("did I pay rent")
    assert not is_question("can you log 12 for lunch?") and not is_question("do it")
    assert not is_question("I spent 5 on coffee, is that ok?") and not is_question("just paid 60 for internet. over?")
    assert [yes_or_no(t) for t in ("Yes!", "yep", "no.", "Nope", "no, that was groceries", "spent 5")] == [
        "yes", "yes", "no", "no", None, None,
    ]  # fmt: skip


def test_pending_confirmations_run_once_and_expire() -> None:
    clock = FixedClock(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    pending = PendingConfirmations(clock)
    first = pending.offer(1, "log_expense", {"amount": "5"}, "Log $5.00 under Other?")
    assert pending.take(2) is None and pending.take(1, "other-id") is None
    assert pending.take(1, first.id) == first and pending.take(1, first.id) is None
    second = pending.offer(1, "log_expense", {"amount": "5"}, "Log $5.00 under Other?")
    clock.advance(minutes=5)
    assert pending.peek(1) is None and pending.take(1, second.id) is None


def test_the_terminal_shows_the_question_and_takes_the_answer(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The database is shared with other tests, so the turn names its user (``--user``), as the CLI asks."""
    from sqlmodel import Session

    from assistant.agent.terminal import ask
    from assistant.models import User
    from tests.agent.test_safety import new_user

    with Session(engine) as s:
        user = s.get(User, new_user(engine))
        assert user is not None
        email = user.email
    settings = Settings(database_url=db_url, llm="local")
    # A fixed word the engine cannot place (a random hex marker sometimes read as out of scope): the
    # user is the test's own, so nothing else needs it unique.
    marker = "zqx"
    assert ask(f"I spent 100 {marker}", False, settings, user_email=email, answer="no") == 0
    out = capsys.readouterr().out
    assert "Log $100.00" in out and "under Other?" in out and "won't" in out
    assert ask(f"I spent 100 {marker}", False, settings, user_email=email, answer="yes") == 0
    out = capsys.readouterr().out
    assert out.count("$100.00") == 2 and "under Other?" in out  # the question, then the logged row


async def test_a_delete_amid_bank_words_names_the_transaction_and_waits(
    engine: Engine, db_url: str, clock: FixedClock
) -> None:
    """ "please cancel it!" about a pending card payment is not obviously our ledger's last row."""
    from tests.agent.test_safety import calls, new_user, snapshot
    from tools import ToolContext, run_tool

    uid = new_user(engine)
    ctx = ToolContext(engine=engine, user_id=uid, clock=clock, timezone="America/New_York")
    assert run_tool(ctx, "log_expense", {"amount": 30, "description": "taxi"})[0]
    script = ScriptedChatModel.of([calls(("delete_transaction", {"transaction_id": "last"})), "Done."])
    runner = AgentRunner(
        engine=engine, settings=Settings(database_url=db_url), clock=clock, model_factory=lambda i: script
    )
    text = "my card was declined at the ATM and the transaction is still pending - please cancel it!"
    events = [e.to_dict() async for e in runner.run_turn(uid, text)]
    confirm = message(events)["confirm"]
    assert tool_calls(events) == [] and confirm["text"].startswith("Delete your last transaction ($30.00, taxi, ")
    assert len(snapshot(engine, uid)) == 1
    events = [e.to_dict() async for e in runner.run_confirm(uid, confirm["id"], "no")]
    assert tool_calls(events) == [] and len(snapshot(engine, uid)) == 1


def test_an_amount_inside_the_range_the_category_already_spans_is_not_asked_about(
    client: TestClient, alice: Account, app: FastAPI
) -> None:
    """Coffees and one lunch in Dining: a $45 dinner is ten times the median but not unusual there."""
    today = app.state.clock.now().date()
    for i, amount in enumerate(("3.50", "4.00", "4.20", "3.80", "4.50", "3.90", "4.10", "3.70", "4.40", "11.00")):
        day = (today - dt.timedelta(days=2 + i)).isoformat()
        body = {"kind": "expense", "amount": amount, "description": "coffee", "category": "Dining", "date": day}
        assert client.post("/api/transactions", headers=alice.headers, json=body).status_code == 201
    with chat(client, alice) as ws:
        assert tool_calls(say(ws, "spent 45 on dinner at Nando's")) == ["log_expense"]
        events = say(ws, "spent 900 on dinner")  # far past both the median and the largest
        assert tool_calls(events) == [] and "confirm" in message(events)


def test_a_spoken_that_is_correction_asks_first_and_a_typed_one_runs() -> None:
    """Whisper opens plain sentences with "That's ...": heard, such a correction of the last entry asks first."""
    from assistant.agent.safety import CallFacts, screen_call

    args = {"transaction_id": "last", "amount": "6.40"}
    heard = screen_call("update_transaction", args, CallFacts("That's Starbucks 6.40", confidence=0.95, spoken=True))
    typed = screen_call("update_transaction", args, CallFacts("That's Starbucks 6.40", confidence=0.95))
    clear = screen_call("update_transaction", args, CallFacts("make that 6.40", confidence=0.95, spoken=True))
    assert (heard.action, heard.reason) == ("confirm", "spoken_change")
    assert typed.action == "run" and clear.action == "run"


def test_a_big_ordinary_amount_with_little_history_is_not_asked_about(
    client: TestClient, alice: Account, app: FastAPI
) -> None:
    """Three small bills are not enough history to call an 1,800 lawyer's bill odd: it is logged.

    An outlier needs ten rows in the category; below that only the absolute bound (5,000) asks.
    """
    today = app.state.clock.now().date()
    for i, amount in enumerate(("45.00", "64.30", "112.40")):
        day = (today - dt.timedelta(days=2 + i)).isoformat()
        body = {"kind": "expense", "amount": amount, "description": "bill", "category": "Utilities", "date": day}
        assert client.post("/api/transactions", headers=alice.headers, json=body).status_code == 201
    with chat(client, alice) as ws:
        assert tool_calls(say(ws, "paid the electric bill, 1800 after the winter")) == ["log_expense"]
        events = say(ws, "paid the water bill, 9000")  # past the absolute bound: asked first
        assert tool_calls(events) == [] and "confirm" in message(events)


def test_an_amount_in_another_currency_is_judged_at_the_users_rate(client: TestClient, alice: Account) -> None:
    """62,300 naira is about 40 dollars: a bound in dollars says nothing of it. With no rate yet it is logged in
    naira (the reply says there is no rate); with a rate it is judged in dollars like any entry."""
    with chat(client, alice) as ws:
        events = say(ws, "market run for foodstuff, 62,300 naira")
        assert tool_calls(events) == ["log_expense"], message(events)
    assert client.put("/api/rates/GHS", headers=alice.headers, json={"rate": "0.07"}).status_code == 200
    assert client.put("/api/rates/PLN", headers=alice.headers, json={"rate": "0.25"}).status_code == 200
    with chat(client, alice) as ws:
        assert tool_calls(say(ws, "paid 3,000 cedis for the fridge")) == ["log_expense"]  # 210 dollars
        events = say(ws, "paid 90,000 zloty for the new roof")  # 22,500 dollars: past the bound, asked first
        assert tool_calls(events) == [] and "confirm" in message(events)
