# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""The kinds of request blind round 40 found (a Singapore nurse, a translator in Mexico, an Irish couple),
said in the team's own words (the round itself is not training data; these keep the general fixes from
sliding back). A call counts only if the write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.agent.chat_support import message, say, tool_calls
from tests.api_support import Account, alice, app, chat, client  # noqa: F401
from tests.nlu.rounds_support import only, play


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("dentist filling, 1,100 pesos", "MXN"),  # the peso most people mean
        ("bus fare to the beach, 45 pesos", "MXN"),
        ("electric bill to Meralco, 2,300 pesos", "PHP"),  # a Philippine utility: the Philippine peso
        ("groceries in Cebu, 800 pesos", "PHP"),
        ("paid the Safaricom bundle, 500 shillings", "KES"),  # a shared word with its country's word
    ],
)
def test_pesos_are_logged_in_the_peso_their_words_say(text: str, currency: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"]["currency"] == currency


def test_a_shared_word_with_nothing_local_is_still_asked() -> None:
    assert play({"text": "lunch in town, 300 shillings"}) == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("laksa at the hawker centre, S$6", "Dining"),
        ("kopi o and toast, 2.60 sgd", "Dining"),
        ("NTUC shop for the week, S$64", "Groceries"),
        ("topped up the ez-link, S$15", "Transport"),
        ("Grab to the hospital, S$14.20", "Transport"),
        ("polyclinic visit, S$38", "Health"),
        ("Telmex bill 389 pesos", "Utilities"),
        ("cine on friday, 150 pesos", "Entertainment"),
        ("Soriana run, 640 pesos", "Groceries"),
        ("Panda bin charge, 22 euro", "Utilities"),
        ("GP visit, 65 euro", "Health"),
        ("two pints after work, €12", "Dining"),
        ("gave 10 euro to the Simon Community", "Gifts & Donations"),
        ("red packets for the cousins, S$40", "Gifts & Donations"),
    ],
)
def test_local_words_file_under_the_right_category(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"]["category"] == category


def test_a_price_each_for_a_count_is_the_total() -> None:
    assert only("movie tickets for my 4 kids, 9 each")["args"]["amount"] == "36.00"
    assert only("budget 100 each month for fun")["args"]["amount"] == "100.00"  # "each month" is no count


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("dining spend between 2 and 9 April 2025", "2025-04-02", "2025-04-09"),
        ("transport spend from 1 June to 30 June 2025?", "2025-06-01", "2025-06-30"),
    ],
)
def test_a_range_said_once_takes_its_month_and_year_from_the_end(text: str, start: str, end: str) -> None:
    call = only(text)
    assert call["name"] == "spending_summary"
    assert (call["args"]["start"], call["args"]["end"]) == (start, end)


def test_corrections_and_settings_said_shortly() -> None:
    renamed = only("rename the last entry to office snacks")
    assert renamed["name"] == "update_transaction" and renamed["args"]["description"] == "office snacks"
    assert "category" not in renamed["args"]
    rate = only("set CHF to 1.12")
    assert rate == {"name": "set_exchange_rate", "args": {"currency": "CHF", "rate": "1.12"}}
    made = only("can we get a 'Garden bits' category, fairly essential, 6 out of 10")
    assert made["name"] == "create_category" and made["args"] == {"name": "Garden bits", "necessity_score": 6}
    raised = only("the landlord put the rent up, it's 1400 from now on")
    assert raised["name"] == "update_subscription" and raised["args"] == {"name": "rent", "amount": "1400.00"}
    moved = only("borrow 30 from the travel budget to cover groceries")
    assert moved["args"]["to_category"] == "Groceries"
    sub = only("add the gym, 40 monthly on the 3rd, and remind us 2 days before")
    assert sub["args"]["remind_days_before"] == 2


def test_a_conversion_or_a_top_up_asked_for_writes_nothing() -> None:
    assert play({"text": "250 usd to gbp"}) == []
    assert play({"text": "top up my leap card with 20"}) == []


def test_a_budget_in_another_currency_is_never_set_as_dollars(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        events = say(ws, "set the dining budget to 2,000 pesos")
        assert "set_budget" not in tool_calls(events)
        text = message(events)["text"]
        assert "MX$2,000.00" in text and "$2,000.00" not in text.replace("MX$2,000.00", "")
        say(ws, "1 MXN = 0.05 USD")
        events = say(ws, "set the dining budget to 2,000 pesos")
        assert "set_budget" in tool_calls(events)
        assert "$100.00" in message(events)["text"]  # 2,000 pesos at the user's rate
        events = say(ws, "set my monthly income to 52,000")
        assert "set_monthly_income" in tool_calls(events) and "confirm" not in message(events)
