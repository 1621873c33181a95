"""Money written the way its own country writes it, as blind round 49 found it, in the team's own words (the
round itself is not training data): thousands grouped with a space before a mark that is also a unit ("8 450 Ft"
is forints, "a 25 ft hose" feet), the marks two countries share settled by the message's country words or the
user's own currencies ("dh" Moroccan or Emirati dirhams, "Rs." Indian or Pakistani rupees, "CFA" West or Central
African francs), a list with one mark per item, a rate the news gave (no request), and a peso said with its
country. A call counts only if the write-safety policy would let it run unasked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.amounts import find_amounts
from tests.nlu.rounds_support import TODAY, only, runs_unasked, unasked_calls


def _money(calls: list[dict]) -> list[tuple[str, str | None]]:
    return [(c["args"].get("amount") or c["args"].get("rate"), c["args"].get("currency")) for c in calls]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Aldi 7 320 Ft groceries", "7320.00"),
        ("pharmacy 2 150 Ft for cough syrup", "2150.00"),
        ("winter boots 24.990 Ft", "24990.00"),
        ("tram pass in Budapest 850 Ft", "850.00"),
    ],
)
def test_forints_grouped_their_own_way_or_said_in_hungary(text: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and (call["args"]["amount"], call["args"]["currency"]) == (amount, "HUF")


@pytest.mark.parametrize(
    "text", ["bought a 25 ft hose for 40", "the ceiling is 9 ft high, paid 300 for paint", "a 6 ft ladder 89"]
)
def test_feet_stay_feet(text: str) -> None:
    assert all(c["args"].get("currency") != "HUF" for c in runs_unasked(text)), text
    assert all(a.currency != "HUF" for a in find_amounts(text.lower())), text


def test_a_list_of_forint_items_logs_each_in_forints() -> None:
    calls = runs_unasked("Szeged market: cheese 3 200 Ft, bread 690 Ft, paprika 1 150 Ft")
    assert _money(calls) == [("3200.00", "HUF"), ("690.00", "HUF"), ("1150.00", "HUF")], calls


def test_a_correction_in_forints_fixes_the_entry() -> None:
    ctx = NLUContext(today=TODAY)
    logged = unasked_calls("Aldi 11 990 Ft", ctx)
    ctx = NLUContext(today=TODAY, last_tool=logged[-1]["name"], last_args=logged[-1]["args"])
    assert unasked_calls("Correction: 11 099 Ft.", ctx) == [
        {"name": "update_transaction", "args": {"transaction_id": "last", "amount": "11099.00"}}
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("petit taxi in Rabat 25 dh", "MAD"),
        ("hanout 35 dh, atay w sokkar dyal the week", "MAD"),
        ("Acima 212,40 dh", "MAD"),
        ("grand taxi 120 dhs", "MAD"),
        ("salik top up 100 dhs", "AED"),
        ("brunch in Jumeirah 240 dh", "AED"),
    ],
)
def test_dirhams_are_the_country_the_message_names(text: str, code: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.args.get("currency") for c in calls] == [code], calls
    assert all(c["args"].get("currency") == code for c in runs_unasked(text)), text


def test_dirhams_with_no_country_are_asked_never_dollars_and_settled_by_the_user_s_own() -> None:
    assert runs_unasked("groceries 250 dh") == []
    calls = understand("groceries 250 dh", NLUContext(today=TODAY)).calls
    assert all(c.args.get("currency") in ("AED", "MAD") for c in calls), calls
    assert _money(runs_unasked("groceries 250 dh", frozenset({"MAD"}))) == [("250.00", "MAD")]


def test_a_dirham_rate_is_asked_unless_the_user_keeps_one_of_them() -> None:
    assert runs_unasked("set the dirham rate: 1 dollar = 9.9 dh") == []
    assert runs_unasked("set the dirham rate: 1 dollar = 10 dh", frozenset({"MAD"})) == [
        {"name": "set_exchange_rate", "args": {"currency": "MAD", "rate": "0.1"}}
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Rs. 4,500 groceries in Karachi", "PKR"),
        ("paid Rs 2,300 at Gul Ahmed for lawn suits", "PKR"),
        ("Rs 1,800 for the Ufone bill", "PKR"),
        ("Rs. 950 tuk tuk in Colombo", "LKR"),
        ("Rs 300 chai in Mumbai", "INR"),
    ],
)
def test_rupees_are_the_country_the_message_names(text: str, code: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.args.get("currency") for c in calls] == [code], calls
    assert all(c["args"].get("currency") == code for c in runs_unasked(text)), text


def test_a_grand_taxi_and_a_pakistani_shop_write_unasked() -> None:
    assert _money(runs_unasked("grand taxi 120 dhs")) == [("120.00", "MAD")]
    assert _money(runs_unasked("Rs. 4,500 groceries in Karachi")) == [("4500.00", "PKR")]


def test_rupees_said_with_two_countries_are_asked() -> None:
    assert runs_unasked("Rs 500 for a gift, flying Karachi to Delhi") == []


def test_rent_received_in_pakistani_rupees() -> None:
    call = only("got Rs 60,000 rent for the flat in Islamabad")
    assert call["name"] == "log_income" and (call["args"]["amount"], call["args"]["currency"]) == ("60000.00", "PKR")


def test_a_purchase_check_keeps_the_currency() -> None:
    calls = understand("can i afford boots for 24 990 Ft?", NLUContext(today=TODAY)).calls
    assert [(c.name, c.args["amount"], c.args.get("currency")) for c in calls] == [
        ("check_purchase", "24990.00", "HUF")
    ]


def test_a_temperature_in_a_shop_s_name_is_no_amount() -> None:
    calls = runs_unasked("hsinchu trip: 85°C bakery NT$60, noodles NT$150, bus NT$30")
    assert _money(calls) == [("60.00", "TWD"), ("150.00", "TWD"), ("30.00", "TWD")], calls


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("taxi $U 380", "380", "UYU"),
        ("Carrefour 1.250 lei", "1250", "RON"),
        ("Mega Image 45,60 lei", "45.60", "RON"),
        ("taxi in Dakar 3 500 CFA", "3500", "XOF"),
    ],
)
def test_more_marks_read_in_their_own_grouping(text: str, value: str, code: str) -> None:
    assert [(a.value, a.currency) for a in find_amounts(text.lower())] == [(Decimal(value), code)]


def test_cfa_francs_with_no_country_are_asked() -> None:
    assert runs_unasked("taxi 3 500 CFA") == []


@pytest.mark.parametrize(
    "text",
    [
        "the paper says the rand is at 18 to the dollar",
        "heard on the radio the peso rate hit 41 this morning",
        "the rate is 41 pesos per dollar according to the news",
    ],
)
def test_a_rate_the_news_gave_sets_nothing(text: str) -> None:
    assert runs_unasked(text) == []


def test_a_peso_said_with_its_country_is_that_country_s() -> None:
    assert runs_unasked("the peso is 40 to the dollar in Uruguay, use that") == [
        {"name": "set_exchange_rate", "args": {"currency": "UYU", "rate": "0.025"}}
    ]


def test_the_indian_rupee_sign_or_code_stays_india_s_wherever_it_is_spent() -> None:
    assert [a.currency for a in find_amounts("₹500 for snacks at the lahore airport")] == ["INR"]
    assert [a.currency for a in find_amounts("800 inr on a karachi layover")] == ["INR"]
