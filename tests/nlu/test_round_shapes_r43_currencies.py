"""The kinds of money blind round 43 found written the local way (Cape Town rand grouped with a space,
Manila pesos said in Taglish, a Dublin tenner, rates said in conversation), in the team's own words (the
round itself is not training data). A call counts only if the write-safety policy would let it run unasked."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.amounts import find_amounts
from assistant.nlu.currencies import SPACE_GROUPED
from tests.nlu.rounds_support import TODAY, only, runs_unasked


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("braai stuff at Checkers, R2 380", "2380.00"),
        ("paid the plumber R12 500 this morning", "12500.00"),
        ("school shoes R1\u202f199", "1199.00"),  # a narrow no-break space, as CLDR writes it
        ("petrol for the bakkie, 1 050 rand", "1050.00"),
    ],
)
def test_rand_grouped_with_a_space_is_one_amount(text: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense"
    assert (call["args"]["amount"], call["args"]["currency"]) == (amount, "ZAR")


def test_a_space_grouped_budget_is_not_a_few_cents() -> None:
    call = only("set my groceries budget to R4 000 for this month")
    assert call["name"] == "set_budget" and call["args"]["amount"] != "4.00", call


@pytest.mark.parametrize(
    "text",
    ["call the garage on 021 555 240", "room 4 500 was cold", "$5 100 times over", "r1 2400"],
)
def test_numbers_with_spaces_and_no_currency_of_that_kind_stay_apart(text: str) -> None:
    assert all(a.value < 1000 or a.currency is None for a in find_amounts(text.lower())), text


def test_the_space_grouped_currencies_come_from_cldr() -> None:
    assert {"ZAR", "EUR", "SEK", "PLN"} <= SPACE_GROUPED
    assert not {"USD", "GBP", "INR", "CHF"} & SPACE_GROUPED


@pytest.mark.parametrize(
    "text",
    [
        "pamasahe ko today 45 pesos",
        "lunch sa carinderia, 120 pesos",
        "Puregold run, 1,850 pesos",
        "bayad sa kuryente 2,100 pesos",
    ],
)
def test_pesos_said_in_taglish_are_philippine(text: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls  # run or asked, the entry is in Philippine pesos
    assert [c.args.get("currency") for c in calls] == ["PHP"], calls


def test_pesos_follow_the_one_peso_the_user_keeps() -> None:
    (call,) = runs_unasked("overtime pay came in, 3,200 pesos", frozenset({"PHP"}))
    assert call["args"]["currency"] == "PHP"
    (call,) = runs_unasked("tacos al pastor 95 pesos")
    assert call["args"]["currency"] == "MXN"  # nothing says otherwise: Mexico's
    (call,) = runs_unasked("oxxo run 60 pesos", frozenset({"PHP"}))
    assert call["args"]["currency"] == "MXN"  # a Mexican shop said outweighs the user's rate


def test_pesos_with_both_kinds_kept_and_nothing_said_are_asked() -> None:
    assert runs_unasked("haircut 250 pesos", frozenset({"PHP", "MXN"})) == []


@pytest.mark.parametrize(
    ("text", "currency", "rate"),
    [
        ("one euro is roughly 1.08 dollars these days, please use that for euros", "EUR", "1.08"),
        ("a pound's about 1.30 dollars, remember that for my London trip", "GBP", "1.30"),
        ("1 rand is 0.055 dollars at the minute, save it", "ZAR", "0.055"),
    ],
)
def test_a_rate_said_in_conversation_with_a_request_is_set(text: str, currency: str, rate: str) -> None:
    (call,) = runs_unasked(text)
    assert call["name"] == "set_exchange_rate"
    assert (call["args"]["currency"], call["args"]["rate"]) == (currency, rate)


def test_a_slang_note_takes_the_place_said() -> None:
    (call,) = runs_unasked("topped up the Leap card with a tenner for the DART")
    assert (call["args"]["amount"], call["args"].get("currency")) == ("10.00", "EUR")
    (call,) = runs_unasked("a fiver for the bus", frozenset({"EUR"}))
    assert call["args"].get("currency") == "EUR"  # the user's one other money settles it
    (call,) = runs_unasked("a fiver for the bus")
    assert call["args"].get("currency") is None  # nothing settles it: the user's own money
    (call,) = runs_unasked("a fiver for the bus", frozenset({"EUR", "GBP"}))
    assert call["args"].get("currency") is None  # several of the user's fit: still the user's own, not a guess


def test_a_phrase_that_is_not_money_stays_out_with_a_slang_note() -> None:
    assert runs_unasked("bet you a fiver I can stick to my budget") == []


def test_a_sum_worked_out_in_space_grouped_rand_is_not_a_list_of_entries() -> None:
    assert runs_unasked("school trip: R3 000 for the bus, the teachers want R2 400 for lunch. is that enough?") == []


def test_a_rate_said_right_after_a_purchase_check_is_a_rate() -> None:
    ctx = NLUContext(today=TODAY, last_tool="check_purchase", last_args={"item": "a jacket", "amount": "120.00"})
    (call,) = understand("oh and one euro is 1.09 dollars now, go with that", ctx).calls
    assert (call.name, call.args) == ("set_exchange_rate", {"currency": "EUR", "rate": "1.09"})
