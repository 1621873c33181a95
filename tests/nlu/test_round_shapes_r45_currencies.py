"""The money blind round 45 found written with other scripts' signs and words (Warsaw złoty, Seoul won), and
the rates said around it (a worked example after the rate, "£1 = $1.25" said in passing, a model number that
is no rate), in the team's own words (the round itself is not training data). A call counts only if the
write-safety policy would let it run unasked."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from assistant.nlu import NLUContext, understand
from assistant.nlu.amounts import find_amounts
from assistant.nlu.currencies import MARKS_PATH, babel_marks
from tests.nlu.rounds_support import TODAY, runs_unasked


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("obiad w barze mlecznym 23 zł", "23", "PLN"),
        ("zł 40 for the cinema", "40", "PLN"),
        ("bibimbap 9,000원", "9000", "KRW"),
        ("metro card ₴150", "150", "UAH"),
        ("taxi 2 400 ₸", "2400", "KZT"),
        ("simit and tea 45 ₺", "45", "TRY"),
        ("khachapuri 18 ₾", "18", "GEL"),
        ("plov 12 ₼", "12", "AZN"),
        ("banitsa 3 лв", "3", "BGN"),
        ("pivo 65 kč", "65", "CZK"),
        ("burek 120 ден", "120", "MKD"),
    ],
)
def test_other_scripts_signs_and_words_name_their_currency(text: str, value: str, code: str) -> None:
    found = find_amounts(text.lower())
    assert [(a.value, a.currency) for a in found] == [(Decimal(value), code)], found


@pytest.mark.parametrize("text", ["the shelf is 42 ft", "ran 10 km today", "bought 3 lei for the party"])
def test_units_and_words_after_a_number_are_not_money(text: str) -> None:
    assert all(a.currency is None for a in find_amounts(text.lower())), text


@pytest.mark.parametrize(
    ("text", "tool", "field", "amount"),
    [
        ("pizza with my flatmates, 38 zł", "log_expense", "amount", "38.00"),
        ("grocery budget 500 zł a month", "set_budget", "amount", "500.00"),
        ("gimbap for lunch 4,500원", "log_expense", "amount", "4500.00"),
    ],
)
def test_zloty_and_won_signs_reach_the_tool_as_their_currency(text: str, tool: str, field: str, amount: str) -> None:
    calls = [c for c in understand(text, NLUContext(today=TODAY)).calls if c.name == tool]
    assert calls, text
    assert calls[0].args[field] == amount and calls[0].args.get("currency") in ("PLN", "KRW"), calls[0].args
    assert "zł" not in str(calls[0].args.get("description", "")) and "원" not in str(
        calls[0].args.get("description", "")
    )


@pytest.mark.parametrize(
    ("text", "code", "rate"),
    [
        ("please set the yen rate: 1 JPY = 0.0067 USD (so 1500 yen is about 10 dollars)", "JPY", "0.0067"),
        ("1 PLN is 0.25 USD, so 100 zł is 25 bucks. save that", "PLN", "0.25"),
    ],
)
def test_the_rate_is_the_number_the_statement_gives_not_the_example(text: str, code: str, rate: str) -> None:
    assert runs_unasked(text) == [{"name": "set_exchange_rate", "args": {"currency": code, "rate": rate}}]


def test_a_symbol_rate_said_in_passing_with_remember_is_saved() -> None:
    text = "Currency stuff, so you know: £1 = $1.30. Remember that, my memory is bad."
    assert runs_unasked(text) == [{"name": "set_exchange_rate", "args": {"currency": "GBP", "rate": "1.30"}}]


@pytest.mark.parametrize(
    "text",
    [
        "the korg ms-2000 is like 900 eur used, no thanks",
        "the roland tr-8000 goes for about 1800 eur second hand, not buying it",
    ],
)
def test_a_model_number_is_never_a_rate(text: str) -> None:
    assert not [c for c in understand(text, NLUContext(today=TODAY)).calls if c.name == "set_exchange_rate"]


def test_the_babel_marks_kept_in_data_are_babel_s() -> None:
    assert yaml.safe_load(MARKS_PATH.read_text(encoding="utf-8")) == babel_marks()


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("add spotify monthly £15, renews on the 3rd. actually it bills my US card at $19, add that", "19.00"),
        ("add the gym as a yearly subscription, £300, renews March 1st... actually it's $380 on my US card", "380.00"),
    ],
)
def test_money_corrected_to_another_currency_takes_the_later_amount(text: str, amount: str) -> None:
    calls = [c for c in understand(text, NLUContext(today=TODAY)).calls if c.name == "add_subscription"]
    assert calls and calls[0].args["amount"] == amount and "currency" not in calls[0].args, calls
