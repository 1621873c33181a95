"""The kinds of request blind rounds 35 and 36 found, said in the team's own words (the rounds themselves are
not training data; these keep the general fixes from sliding back). A call counts only if the write-safety
policy would let it run unasked (``play``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlu.rounds_support import only, play


@pytest.mark.parametrize(
    ("text", "tool", "key", "want"),
    [
        # a number that is part of a name or a model is not the money when another number is said as money
        ("paid the boiler man for unit 3, £140", "log_expense", "amount", "140.00"),
        ("is a steam deck 2 for my birthday ok, 549", "check_purchase", "amount", "549.00"),
        ("add Office 365 at 99.99 a year, renews 3 March", "add_subscription", "amount", "99.99"),
        ("savings goal for a new fence at house 4, target 3,500", "set_goal", "target_amount", "3500.00"),
        # an amount taken back: the later one was meant
        ("bus pass, was it 60? no - 72.50, log it", "log_expense", "amount", "72.50"),
    ],
)
def test_a_number_in_a_name_is_not_the_amount(text: str, tool: str, key: str, want: str) -> None:
    call = only(text)
    assert call["name"] == tool and call["args"][key] == want, call


def test_a_run_of_entries_keeps_every_amount() -> None:
    calls = play({"text": "lunch 12 and coffee for 4"})
    assert [c["args"]["amount"] for c in calls] == ["12.00", "4.00"], calls


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("vada pav at the station, 60 rs", "INR"),
        ("auto rickshaw home, 90 rupees", "INR"),
        ("printer ink off amazon, 34 USD", "USD"),
        ("new sketchbook, $22.40 canadian", "CAD"),
    ],
)
def test_currency_words_after_the_amount(text: str, currency: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"].get("currency") == currency, call


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("instacart paid out 143.20 this week", "Instacart"),
        ("got paid 600 from Harbor Books for the illustrations", "Harbor Books"),
        ("doordash bonus for the rainy night, 30", "Doordash"),
        ("my research stipend came in, ₹31,000", "Stipend"),
    ],
)
def test_payouts_and_stipends_are_income_from_who_paid(text: str, source: str) -> None:
    call = only(text)
    assert call["name"] == "log_income" and call["args"]["source"] == source, call


def test_a_rate_said_in_cents_is_a_fraction() -> None:
    call = only("the canadian dollar is about 73 US cents right now, use that for CAD")
    assert call["name"] == "set_exchange_rate" and call["args"]["rate"] == "0.73", call


def test_a_named_subscription_corrected_is_the_subscription() -> None:
    call = only("the hulu sub is actually 9.99 now, not 7.99")
    assert call["name"] == "update_subscription" and call["args"]["name"].lower() == "hulu", call


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("brand new goal!! Iceland trip, 4000, saved by March 2028", "set_goal", {"name": "Iceland trip"}),
        ("tossed another 45 at bike savings", "contribute_to_goal", {"name": "bike savings"}),
        ("make an income category for Tutoring so it stays separate", "create_category", {"kind": "income"}),
        ("new expense category: Garden. necessity 3", "create_category", {"name": "Garden", "necessity_score": 3}),
        ("hulu changed my billing date to the 21st", "update_subscription", {"name": "Hulu"}),
        ("we signed up for Tonies, 5 a month, renews on the 2nd", "add_subscription", {"name": "Tonies"}),
        ("add Adobe Express 9.99 monthly, renews on the 4th", "add_subscription", {"name": "Adobe Express"}),
        ("cancel the canva sub, we stopped using it", "cancel_subscription", {"name": "Canva"}),
    ],
)
def test_clear_requests_act_with_the_name_said(text: str, tool: str, args: dict[str, Any]) -> None:
    call = only(text)
    assert call["name"] == tool, call
    for key, want in args.items():
        assert call["args"].get(key) == want, call


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("new wiper blades for the van, 26", "Transport"),
        ("locksmith came out to the rental, £80", "Housing"),
        ("dance class for Ava, 90 dollars", "Education"),
    ],
)
def test_lexicon_words_of_rounds_35_36(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"]["category"] == category, call


@pytest.mark.parametrize(
    "text",
    [
        "rumour is rent in our street is going up to 2,000 next year",
        "expecting a 900 payment from the agency next month",
    ],
)
def test_hearsay_and_expected_money_write_nothing(text: str) -> None:
    assert play({"text": text}) == []


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        # a price and its tip or tax said as a sum is one payment, the total
        ("pedicure 40 plus 8 tip", "log_expense", {"amount": "48.00"}),
        # a bill that came in is spending, not money in
        ("the water bill came in, 48.20", "log_expense", {"amount": "48.20"}),
        # "4 of them" counts the things; the money is the marked price
        ("new tires for the truck, 4 of them, $690 fitted", "log_expense", {"amount": "690.00"}),
        # only the description changes: the words of the new one file nothing
        (
            "change the description on that to 'team pizza night'",
            "update_transaction",
            {"description": "team pizza night"},
        ),
        # a service people subscribe to is cancelled, not the last entry deleted
        ("cancel walmart plus", "cancel_subscription", {}),
    ],
)
def test_sums_bills_counts_descriptions_and_services(text: str, tool: str, args: dict[str, Any]) -> None:
    call = only(text)
    assert call["name"] == tool, call
    for key, want in args.items():
        assert call["args"].get(key) == want, call
    assert "category" not in call["args"] or tool != "update_transaction", call


def test_two_services_cancelled_in_one_message() -> None:
    calls = play({"text": "cancel hulu and peacock, never watch them"})
    assert [c["name"] for c in calls] == ["cancel_subscription"] * 2, calls


def test_someone_elses_bill_reported_is_not_logged() -> None:
    assert play({"text": "the lodger in room 2 told me his phone bill was £40 this month, pricey"}) == []


def test_counts_of_work_done_are_not_money() -> None:
    assert play({"text": "finished 24 deliveries on grubhub tonight and 9 on instacart"}) == []
