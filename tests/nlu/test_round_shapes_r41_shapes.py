# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""The request shapes blind round 41 found missing (goals named before "goal", a subscription's new
terms, a cancel with its reason, "+" between entries, a shop the lexicon does not know, a score said
before its scale, a payment already made with a chore's verb), said in the team's own words (the round
itself is not training data). A call counts only if the write-safety policy would let it run unasked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.agent.chat_support import message, say, tool_calls
from tests.api_support import Account, alice, app, chat, client  # noqa: F401
from tests.nlu.rounds_support import only, play

# ---------------------------------------------------------------- goals


@pytest.mark.parametrize(
    ("text", "name", "target"),
    [
        ("boat fund goal 12000", "boat", "12000.00"),  # "fund" before "goal" is part of the label
        ("new bike goal 900", "bike", "900.00"),
        ("camera goal 1200", "camera", "1200.00"),  # the model leaned to a contribution: no verb says one
        ("honeymoon goal: 6,500", "honeymoon", "6500.00"),
        ("my piano goal is 3000", "piano", "3000.00"),
    ],
)
def test_a_goal_named_before_the_word_goal_is_set_with_that_name(text: str, name: str, target: str) -> None:
    call = only(text)
    assert call["name"] == "set_goal"
    assert call["args"]["name"].lower() == name and call["args"]["target_amount"] == target


def test_money_put_into_a_named_goal_is_still_a_contribution() -> None:
    call = only("put 60 in the boat fund goal")
    assert call["name"] == "contribute_to_goal" and call["args"]["amount"] == "60.00"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("I want to save 3,000 for a trip home to Denver next spring.", "denver"),
        ("We're starting to save for a trip to see our cousins in Seattle. The goal is $1,800.", "seattle"),
        ("save 1500 for a vacation to lisbon", "lisbon"),
    ],
)
def test_a_trip_goal_is_named_by_where_it_goes(text: str, place: str) -> None:
    call = only(text)
    assert call["name"] == "set_goal" and place in call["args"]["name"].lower()


def test_progress_asked_by_what_was_saved_toward_names_that_goal() -> None:
    call = only("How much have we put away toward the Seattle trip so far?")
    assert call == {"name": "goal_progress", "args": {"name": "Seattle trip"}}


# ---------------------------------------------------------------- subscriptions


def test_a_polite_lead_is_not_the_new_subscriptions_name() -> None:
    call = only("We would like to add our dental insurance plan, $42 per month, which renews on the 9th.")
    assert call["name"] == "add_subscription" and call["args"]["name"] == "Dental insurance plan"


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("nebula went up to 6.99", {"amount": "6.99"}),  # a service the lexicon does not know
        ("the paper went up to 14.99", {"amount": "14.99"}),
        ("funimation is yearly now, 99.99", {"amount": "99.99", "cadence": "yearly"}),
    ],
)
def test_a_subscriptions_new_terms_said_plainly_change_it(text: str, changes: dict[str, str]) -> None:
    call = only(text)
    assert call["name"] == "update_subscription"
    assert {k: call["args"].get(k) for k in changes} == changes


def test_a_price_that_went_up_on_a_thing_bought_is_no_subscription_change() -> None:
    assert play({"text": "eggs went up to 6"}) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("cancel pandora im on apple music now", "Pandora"), ("cancel spotify going with apple music now", "Spotify")],
)
def test_a_cancel_keeps_its_service_when_the_reason_names_another(text: str, name: str) -> None:
    assert only(text) == {"name": "cancel_subscription", "args": {"name": name}}


def test_a_reminder_for_a_plan_added_politely_finds_it(client: TestClient, alice: Account) -> None:
    with chat(client, alice) as ws:
        events = say(ws, "We'd like to add our dental insurance plan, $42 per month, which renews on the 9th.")
        assert "add_subscription" in tool_calls(events)
        events = say(ws, "Please remind us one week before the dental payment is due.")
        assert "update_subscription" in tool_calls(events)
        assert "Dental insurance plan" in message(events)["text"]


# ---------------------------------------------------------------- several entries, corrections


def test_a_plus_between_two_priced_things_is_two_entries() -> None:
    calls = play({"text": "museum tix 30 + parking 12 at the garage"})
    assert [(c["args"]["amount"], c["args"]["category"]) for c in calls] == [
        ("30.00", "Entertainment"),
        ("12.00", "Transport"),
    ]


@pytest.mark.parametrize("text", ["move it to groceries its the market", "move it to transport its parking"])
def test_moving_it_to_a_category_refiles_the_last_entry(text: str) -> None:
    call = play({"text": text, "setup": ["14.20 farmers market"]})
    assert len(call) == 1 and call[0]["name"] == "update_transaction"
    assert call[0]["args"]["transaction_id"] == "last"


# ---------------------------------------------------------------- questions


@pytest.mark.parametrize(
    ("text", "merchant"),
    [
        ("how much have i spent at Kwikmart this year", "Kwikmart"),
        ("show me every Duka Bora purchase since the first of last month", "Duka Bora"),
    ],
)
def test_a_shop_the_lexicon_does_not_know_still_filters_the_question(text: str, merchant: str) -> None:
    call = only(text)
    assert call["name"] in ("spending_summary", "list_transactions") and call["args"].get("merchant") == merchant


def test_a_question_at_lunch_or_at_christmas_names_no_shop() -> None:
    assert "merchant" not in only("how much did I spend at Christmas last year")["args"]


@pytest.mark.parametrize(
    ("text", "category"),
    [("how much went on eatin out this month", "Dining"), ("what'd I spend shoppin this month", "Shopping")],
)
def test_a_dropped_g_still_names_the_category(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "spending_summary" and call["args"].get("category") == category


# ---------------------------------------------------------------- categories, records


def test_a_score_said_before_its_scale_is_the_necessity() -> None:
    call = only("make a category called hobbies, its maybe a 3 on necessity")
    assert call == {"name": "create_category", "args": {"name": "Hobbies", "necessity_score": 3}}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("zelled my housemate 40 for the internet", "Utilities"),
        ("ventra card reload 20", "Transport"),  # a fare card by its name, then "reload" and the price
        ("venmo'd my friend 25 for pizza", "Dining"),
    ],
)
def test_a_payment_already_made_is_an_entry_not_a_chore(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense" and call["args"]["category"] == category


@pytest.mark.parametrize("text", ["venmo my housemate 40 for the internet", "reload my bus pass with 25"])
def test_a_payment_asked_of_us_is_still_a_chore_we_cannot_do(text: str) -> None:
    assert play({"text": text}) == []


def test_side_cash_said_with_a_dropped_g_is_income_from_the_work_spelled_out() -> None:
    call = only("side job cash 250 fixin a neighbor's roof")
    assert call["name"] == "log_income" and call["args"]["amount"] == "250.00"
    assert "fixing" in call["args"]["source"]


def test_the_number_a_log_leads_with_is_its_price_not_a_count() -> None:
    call = only("log 64 lightbulbs lowes")
    assert call["name"] == "log_expense" and call["args"]["amount"] == "64.00"


def test_a_single_digit_after_log_is_still_a_count() -> None:
    assert play({"text": "log 3 lightbulbs"}) == []


def test_a_screen_size_in_inches_is_not_the_price_asked_about() -> None:
    call = only("thinking about a 75 in tv 899 at best buy, can i swing it")
    assert call["name"] == "check_purchase" and call["args"]["amount"] == "899.00"
