"""The kinds of request blind round 38 found (an NZ retiree, a Berlin student paying in euros, a US parent),
said in the team's own words (the round itself is not training data; these keep the general fixes from
sliding back). A call counts only if the write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlu.rounds_support import only, play


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        # a dollar with its country's letters, before or after the amount
        ("flat white in Ponsonby, NZ$5.50", "5.50", "NZD"),
        ("sunscreen at the chemist, A$14.95", "14.95", "AUD"),
        ("dim sum with the team, HK$320", "320.00", "HKD"),
        ("poutine and a coffee, C$18", "18.00", "CAD"),
        ("taxi from the airport, $64 NZ", "64.00", "NZD"),
        # an ISO code after a dollar amount says which dollar; any current code is read
        ("hoodie from the surf shop, $45 AUD", "45.00", "AUD"),
        ("ferry ticket 38 NZD", "38.00", "NZD"),
        ("dinner in Prague, 450 CZK", "450.00", "CZK"),
        # a dollar named by its country or its nickname
        ("haircut, 55 NZ dollars", "55.00", "NZD"),
        ("parking at the beach, 12 aussie dollars", "12.00", "AUD"),
        ("power bill, 160 kiwi dollars", "160.00", "NZD"),
        ("a present for my nephew, 30 in NZ dollars", "30.00", "NZD"),
    ],
)
def test_a_dollar_with_its_country_is_that_country_s(text: str, amount: str, currency: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense", call
    assert (call["args"]["amount"], call["args"].get("currency")) == (amount, currency), call


def test_a_conversion_question_is_not_money_paid_in_that_currency() -> None:
    calls = play({"text": "what is 100 in euros"})
    assert not [c for c in calls if c["name"] == "log_expense"], calls


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Cappuccino am Bahnhof, 3,20 €", "3.20"),  # a decimal comma
        ("new laptop for uni, 1.299 €", "1299.00"),  # a thousands dot before a euro sign
        ("rent for December, 1.450,50 €", "1450.50"),
        ("paid the car repair, 2.100 EUR", "2100.00"),
    ],
)
def test_euro_amounts_in_the_european_way(text: str, amount: str) -> None:
    call = only(text)
    assert call["args"]["amount"] == amount and call["args"].get("currency") == "EUR", call


def test_several_euro_amounts_with_decimal_commas_are_one_entry_each() -> None:
    calls = play({"text": "1,90 € Croissant and 4,20 € Latte at the bakery"})
    assert [(c["name"], c["args"]["amount"]) for c in calls] == [("log_expense", "1.90"), ("log_expense", "4.20")]


def test_a_thousands_comma_inside_a_list_is_not_a_separator() -> None:
    calls = play({"text": "my pension came in today, NZ$1,250.40, and I paid the phone bill straight after, 65 NZD"})
    got = [(c["name"], c["args"]["amount"], c["args"].get("currency")) for c in calls]
    assert got == [("log_income", "1250.40", "NZD"), ("log_expense", "65.00", "NZD")], calls


def test_a_model_number_in_a_name_is_not_the_amount() -> None:
    call = only("new tyres for the RAV-4 on Monday, $410.50")
    assert call["name"] == "log_expense" and call["args"]["amount"] == "410.50", call


@pytest.mark.parametrize(
    "text",
    ["my brother paid me back 80 for the concert tickets", "work reimbursed me $42 for the parking"],
)
def test_money_paid_back_to_the_user_is_income(text: str) -> None:
    assert only(text)["name"] == "log_income"


def test_a_pension_paid_out_is_income() -> None:
    call = only("my teacher's pension paid 940 NZ dollars on Monday")
    assert call["name"] == "log_income" and call["args"]["currency"] == "NZD", call


def test_a_payment_said_first_is_spending() -> None:
    call = only("paid the tennis club subs today, NZ$120")
    assert call["name"] == "log_expense" and call["args"]["currency"] == "NZD", call


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("big shop at Edeka, 63,10 €", "Groceries"),
        ("Lieferando pizza last night, 21 EUR", "Dining"),
        ("Deutschlandticket for January, 58 €", "Transport"),
        ("kino on Friday, 11 €", "Entertainment"),
        ("New World run, NZ$48.20", "Groceries"),
        ("swim lessons for the twins $90, put it under Education like always", "Education"),
    ],
)
def test_german_and_nz_shops_and_a_category_the_user_files_under(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"]["category"] == category, call


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("how much have I spent at Edeka since September?", "spending_summary"),
        ("what did I blow on Lieferando last month", "spending_summary"),
        ("show me everything from New World", "list_transactions"),
    ],
)
def test_a_shop_in_a_question_is_the_merchant(text: str, tool: str) -> None:
    call = only(text)
    assert call["name"] == tool and call["args"].get("merchant"), call


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("the council is raising the rates to 2,900, update it", "update_subscription", {"name": "rates"}),
        ("for insurance I'd like a heads-up 3 days before it goes out", "update_subscription", {"name": "insurance"}),
        ("two weeks' notice for Hulu is too much, make it 3 days", "update_subscription", {"remind_days_before": 3}),
        ("can you remind me two days before Netflix charges me?", "update_subscription", {"remind_days_before": 2}),
        ("quit yoga last month, so cancel that membership", "cancel_subscription", {"name": "yoga"}),
        ("the AUD rate should be 0.65 US dollars", "set_exchange_rate", {"currency": "AUD", "rate": "0.65"}),
        ("I'd want a Pets category, it's important, a 7", "create_category", {"necessity_score": 7}),
    ],
)
def test_requests_said_in_passing(text: str, tool: str, args: dict[str, Any]) -> None:
    call = only(text)
    assert call["name"] == tool and args.items() <= call["args"].items(), call


def test_the_description_of_the_last_entry_in_quotes() -> None:
    call = only("change the description of the last one to 'pizza for the book club'")
    assert call["args"]["description"] == "pizza for the book club", call


def test_a_purchase_thought_about_names_the_thing() -> None:
    call = only("thinking about an espresso machine for 380 euros, would that be ok?")
    assert call["name"] == "check_purchase" and call["args"]["item"] == "espresso machine", call
