# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""The kinds of money blind round 41 found written the local way (a family in Nairobi, an engineer in
Zurich): shillings and francs as their users write them, the currency said once for a list, rates said
as "the dollar is at 130 bob", said in the team's own words (the round itself is not training data).
A call counts only if the write-safety policy would let it run unasked."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from assistant.nlu import NLUContext
from assistant.nlu.amounts import find_amounts, words_to_digits
from assistant.nlu.currencies import SYMBOLS_PATH, babel_letter_symbols
from tests.agent.chat_support import message, say, tool_calls
from tests.api_support import Account, alice, app, chat, client  # noqa: F401
from tests.nlu.rounds_support import TODAY, only, play, runs_unasked


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("school uniform KSh 2,300", "2300.00", "KES"),
        ("taxi home ksh 650", "650.00", "KES"),
        ("bread and milk 180 bob", "180.00", "KES"),  # Kenyan slang
        ("car wash 3k bob", "3000.00", "KES"),
        ("electricity tokens Kshs 1,000", "1000.00", "KES"),
        ("dinner in Arusha TSh 15,000", "15000.00", "TZS"),  # babel's "TSh"
        ("Fr. 7.20 for a bratwurst at the market", "7.20", "CHF"),  # Swiss "Fr."
        ("phone repair, Fr. 120.–", "120.00", "CHF"),  # ".–": whole francs
        ("new skis CHF 1'250", "1250.00", "CHF"),  # the Swiss apostrophe groups thousands
    ],
)
def test_local_ways_of_writing_money_keep_their_currency(text: str, amount: str, currency: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense"
    assert (call["args"]["amount"], call["args"]["currency"]) == (amount, currency)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'm 5'11 and 80 kilos", None),
        ("fr 20 bucks for the cab", "20"),  # "fr" without its dot is slang
        ("mtn 500 airtime", "500"),  # a phone company, not babel's metical symbol
        ("Fr. 12.03. lunch 20", "20"),  # Friday the 12th of March, written the German way
    ],
)
def test_letters_and_marks_that_are_not_a_currency_stay_plain(text: str, value: str | None) -> None:
    low = words_to_digits(text).lower()
    found = find_amounts(low)
    assert all(a.currency in (None, "$") for a in found)
    if value is not None:
        assert any(a.value == Decimal(value) for a in found)


def test_a_shilling_mark_or_a_shared_word_is_asked_until_the_user_has_one_of_them() -> None:
    for text in ("lunch at the hotel 1,200/-", "gym day pass, 25 francs"):
        assert runs_unasked(text) == []  # no rate, no entries: which shilling, which franc?
    call = runs_unasked("lunch at the hotel 1,200/-", frozenset({"KES"}))[0]
    assert (call["args"]["amount"], call["args"]["currency"]) == ("1200.00", "KES")
    assert runs_unasked("gym day pass, 25 francs", frozenset({"CHF"}))[0]["args"]["currency"] == "CHF"
    assert runs_unasked("gym day pass, 25 francs", frozenset({"CHF", "XOF"})) == []  # two of theirs fit: ask


def test_a_currency_said_once_after_a_list_is_each_entry_s() -> None:
    calls = play({"text": "today: bread 60, milk 55, eggs 240, all ksh"})
    assert [(c["args"]["amount"], c["args"]["currency"]) for c in calls] == [
        ("60.00", "KES"),
        ("55.00", "KES"),
        ("240.00", "KES"),
    ]
    assert all("ksh" not in c["args"]["description"].lower() for c in calls)
    call = runs_unasked("sold my old phone for 9k, shillings", frozenset({"KES"}))[0]
    assert call["name"] == "log_income" and call["args"]["currency"] == "KES"


@pytest.mark.parametrize(
    ("text", "currency", "rate"),
    [
        ("the dollar is at 145 shillings now, save that for KES", "KES", "0.006897"),  # units per dollar
        ("the shilling is 140 to the dollar, save it", "KES", "0.007143"),
        ("the euro's around $1.09 lately. Can you use that rate for EUR?", "EUR", "1.09"),
        ("use 0.0069 dollars per shilling from now on", "KES", "0.0069"),
    ],
)
def test_a_rate_is_saved_as_dollars_per_foreign_unit(text: str, currency: str, rate: str) -> None:
    call = only(text)
    assert call["name"] == "set_exchange_rate" and call["args"] == {"currency": currency, "rate": rate}


def test_the_babel_symbols_kept_in_data_are_babel_s() -> None:
    import yaml

    assert yaml.safe_load(SYMBOLS_PATH.read_text(encoding="utf-8")) == babel_letter_symbols()


def test_shillings_said_the_local_way_reach_the_ledger_at_the_user_s_rate(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        events = say(ws, "the dollar iko at 130 bob, save that rate for shillings")
        assert "set_exchange_rate" in tool_calls(events)
        assert "0.007692" in message(events)["text"]  # 1 KES in dollars, never 130
        events = say(ws, "set dining budget KES 8,000")
        assert "set_budget" in tool_calls(events) and "$61.54" in message(events)["text"]
        events = say(ws, "supper at the kibanda 400 shillings")  # the user's own shilling now: no question
        assert "log_expense" in tool_calls(events)
        events = say(ws, "electricity token 2,500/-")
        assert "log_expense" in tool_calls(events) and "far more" not in message(events)["text"]


def test_a_purchase_check_in_a_currency_without_a_rate_decides_nothing(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        events = say(ws, "should I buy the 30,000 yen jacket?")
        text = message(events)["text"]
        assert "check_purchase" not in tool_calls(events)
        assert "JPY" in text and "$30,000" not in text


def test_context_default_reads_no_currencies() -> None:
    assert dataclasses.fields(NLUContext)[-1].name == "own_currencies"
    assert NLUContext(today=TODAY).own_currencies is None
