"""The request shapes blind round 43 found missing, said in the team's own words (the round itself is not
training data): a goal topped up tersely ("boat +250") or idiomatically, a goal asked after by its name, a
category said short ("new cat:"), a reminder cleared or put off in other words, "del last", "fix: amt N",
a renewal horizon written short, a subscription's new price as an arrow, a correction said against the
wrong sum (never a new row), pay named by its kind, one currency said for a whole list, a weekday
abbreviation as a note's date and a self-correction that names another subscription. A call counts only
if the write-safety policy would let it run unasked."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import only, play

# ---------------------------------------------------------------- goals


@pytest.mark.parametrize(
    ("text", "name", "amount"),
    [
        ("boat +250", "boat", "250.00"),  # was logged as an expense "boat +" or asked
        ("kayak fund: +80", "kayak", "80.00"),
        ("another 40 into Tokyo please", "tokyo", "40.00"),
        ("I'd like to put fifty dollars into my rainy day fund", "rainy day fund", "50.00"),
    ],
)
def test_money_added_to_a_pot_tersely_is_a_contribution(text: str, name: str, amount: str) -> None:
    call = only(text)
    assert call["name"] == "contribute_to_goal"
    assert call["args"]["name"].lower() == name and call["args"]["amount"] == amount


@pytest.mark.parametrize("text", ["put 100 bucks into dogecoin", "put 200 towards it", "put 15 in the offering"])
def test_money_put_into_something_that_is_no_pot_is_not_contributed_unasked(text: str) -> None:
    assert not [c for c in play({"text": text}) if c["name"] == "contribute_to_goal"]


def test_a_goal_asked_after_by_its_name_is_its_progress() -> None:
    assert only("how are we getting on with the kayak?") == {"name": "goal_progress", "args": {"name": "kayak"}}


def test_how_am_i_doing_on_budgets_is_no_goal() -> None:
    assert only("how am I tracking on budgets this month")["name"] == "budget_summary"


# ---------------------------------------------------------------- short forms


def test_new_cat_is_a_new_category_with_its_score() -> None:
    call = only("new cat: Hobbies, necessity 4")
    assert call == {"name": "create_category", "args": {"name": "Hobbies", "necessity_score": 4}}


@pytest.mark.parametrize("text", ["del last", "undo last entry", "rm the latest"])
def test_last_removed_said_short_deletes_the_newest_entry(text: str) -> None:
    assert only(text) == {"name": "delete_transaction", "args": {"transaction_id": "last"}}


@pytest.mark.parametrize(
    ("text", "amount"),
    [("fix: amt 12.40", "12.40"), ("edit amount to 9.99", "9.99"), ("oops sorry, that was 14.20", "14.20")],
)
def test_the_last_entrys_amount_put_right_said_short(text: str, amount: str) -> None:
    assert only(text) == {"name": "update_transaction", "args": {"transaction_id": "last", "amount": amount}}


def test_a_renewal_horizon_written_short_is_kept() -> None:
    assert only("what renews in the next 10d") == {"name": "list_subscriptions", "args": {"within_days": 10}}


# ---------------------------------------------------------------- corrections never log


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("My mistake, the haircut was forty dollars, not thirty.", "40.00"),  # was two new entries: 40 and 30
        ("the plumber cost 180 not 150", "180.00"),
        ("it came to 62.10, not 61", "62.10"),
    ],
)
def test_a_sum_said_against_the_wrong_one_corrects_and_never_logs(text: str, amount: str) -> None:
    calls = play({"text": text})
    assert not [c for c in calls if c["name"] == "log_expense"]
    assert calls == [{"name": "update_transaction", "args": {"transaction_id": "last", "amount": amount}}]


# ---------------------------------------------------------------- reminders and subscriptions


def test_a_reminder_cleared_in_other_words_is_dismissed() -> None:
    assert only("dismiss that hulu reminder, paid it already") == {"name": "dismiss_reminder", "args": {"name": "Hulu"}}


def test_a_reminder_that_can_wait_is_snoozed() -> None:
    call = only("the gym reminder can wait a couple days")
    assert call["name"] == "snooze_reminder" and call["args"]["name"] == "gym"


def test_a_services_new_price_as_an_arrow_updates_it() -> None:
    assert only("hulu -> 9.99") == {"name": "update_subscription", "args": {"name": "Hulu", "amount": "9.99"}}


def test_a_subscription_switched_to_a_cadence_runs_unasked() -> None:
    call = only("switch my gym to yearly, 480")
    assert call["name"] == "update_subscription" and call["args"]["cadence"] == "yearly"


@pytest.mark.parametrize(
    ("text", "tool", "name"),
    [
        ("remind me 3 days before hulu... no wait, the Netflix one", "update_subscription", "Netflix"),
        ("add Hulu? no wait, Max 15.99 monthly", "add_subscription", "Max"),
    ],
)
def test_a_self_correction_names_the_subscription_meant(text: str, tool: str, name: str) -> None:
    call = only(text)
    assert call["name"] == tool and call["args"]["name"] == name


# ---------------------------------------------------------------- budgets and income said politely


def test_a_budget_wished_to_be_an_amount_is_set_unasked() -> None:
    call = only("I would like my budget for Dining to be two hundred dollars.")
    assert call == {"name": "set_budget", "args": {"category": "Dining", "amount": "200.00"}}


def test_monthly_incomes_said_as_their_sum_set_the_monthly_income() -> None:
    call = only("My monthly pension and rental income together add up to $2,600.")
    assert call == {"name": "set_monthly_income", "args": {"amount": "2600.00"}}


@pytest.mark.parametrize(
    ("text", "source"),
    [("overtime pay came to 340", "Overtime"), ("sold my shares, proceeds 1,800", "Stock sale")],
)
def test_pay_named_by_its_kind_is_income(text: str, source: str) -> None:
    call = only(text)
    assert call["name"] == "log_income" and call["args"]["source"] == source


def test_tips_from_the_work_done_name_tips_as_the_source() -> None:
    call = only("tips from yesterday's classes came to 75 dollars")
    assert call["name"] == "log_income" and call["args"]["source"] == "Tips"


# ---------------------------------------------------------------- lists and dates


@pytest.mark.parametrize(
    ("text", "currency"),
    [("gas 40 and a car wash for 15 euro", "EUR"), ("also grabbed socks for R60 and a belt for R150", "ZAR")],
)
def test_every_piece_of_a_list_runs_in_the_one_currency_said(text: str, currency: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["log_expense", "log_expense"]
    assert {c["args"].get("currency") for c in calls} == {currency}


def test_a_weekday_abbreviation_after_the_price_is_the_notes_date() -> None:
    call = only("bread 3.20 sun")
    assert call["name"] == "log_expense" and call["args"]["date"] == "2026-11-29"
