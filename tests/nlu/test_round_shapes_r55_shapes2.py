"""The English request shapes blind round 55 found, said in the team's own words (the rounds themselves are not
training data): a goal just set called "it" with where the money came from after; a date put right after an apology
(never a delete); the monthly income said as what the user is paid, named, then its sum a month; an entry filed
"under it" right after its category was made; a reminder "about" a bill with its lead time; a subscription's price
put right with the plan taken as the reason; a sum given to a cause with no verb; a run-together "lastnight"; a tip
added to the entry just logged; gifts to places of worship and charities asked about; an insurer's refund check;
what the user pays every month; a meal with company at "a place". A call counts only if the write-safety policy
would let it run unasked (``play``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.nlu.rounds_support import TODAY, play


def test_a_goal_just_set_is_it_with_the_money_s_source_after() -> None:
    calls = play(
        {
            "setup": ["I want to start saving for a kayak, about 1,200 by next summer"],
            "text": "Could you add 90 towards it now, out of my paycheck.",
        }
    )
    assert [c["name"] for c in calls] == ["contribute_to_goal"]
    assert calls[0]["args"]["amount"] == "90.00"
    assert calls[0]["args"]["name"] != "Savings"  # the goal just set, not a default


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("My mistake, it was the day before yesterday.", TODAY - dt.timedelta(days=2)),
        ("sorry, I messed up - that was last thursday", dt.date(2026, 12, 3)),
        ("I made a typo, it was on the 2nd", dt.date(2026, 12, 2)),
    ],
)
def test_an_apology_then_a_day_moves_the_entry_and_never_deletes_it(text: str, day: dt.date) -> None:
    calls = play({"setup": ["picked up a baby shower card and some wrapping paper, 18.60"], "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["date"] == day.isoformat()


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("My disability check and my wife's salary come to around 3,900 a month, in case it helps.", "3900.00"),
        ("my salary and my wife's pension total about 5,100 a month, fyi", "5100.00"),
    ],
)
def test_what_the_user_is_paid_named_then_a_sum_a_month_sets_the_monthly_income(text: str, amount: str) -> None:
    assert play({"text": text}) == [{"name": "set_monthly_income", "args": {"amount": amount}}]


def test_an_entry_under_it_goes_to_the_category_just_made() -> None:
    setup = ["create a category called garden for my balcony plants"]
    calls = play({"setup": setup, "text": "and log 27 for potting soil in it"})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["category"] == "Garden"
    assert calls[0]["args"]["description"] == "potting soil"


def test_a_category_called_something_for_a_purpose_is_named_by_the_name_alone() -> None:
    calls = play({"text": "make a category called hobbies for my model trains"})
    assert calls == [{"name": "create_category", "args": {"name": "Hobbies"}}]


def test_a_reminder_about_a_bill_with_its_lead_time_names_the_bill() -> None:
    calls = play({"text": "ping me about the water bill three days before it's due, not two"})
    assert calls == [{"name": "update_subscription", "args": {"name": "water bill", "remind_days_before": 3}}]


@pytest.mark.parametrize(
    "text",
    ["actually it's 15.99, I went with the family plan", "oops its 15.99 we got the 4k one"],
)
def test_a_price_put_right_with_the_plan_taken_corrects_the_subscription(text: str) -> None:
    calls = play({"setup": ["add paramount plus 9.99 monthly renews on the 9th"], "text": text})
    assert [c["name"] for c in calls] == ["update_subscription"]
    assert calls[0]["args"]["amount"] == "15.99"


@pytest.mark.parametrize("text", ["12 to the animal shelter", "40 to the food bank", "30 to my neighbour's fundraiser"])
def test_a_sum_to_a_cause_with_no_verb_is_a_gift_logged(text: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["category"] == "Gifts & Donations"


@pytest.mark.parametrize("text", ["send 15 to my coworker's gofundme", "transfer 40 to the food bank"])
def test_money_moved_to_a_cause_is_still_not_written(text: str) -> None:
    assert play({"text": text}) == []


def test_a_run_together_last_night_dates_the_entry() -> None:
    calls = play({"text": "lyft home from the concert 23.40 lastnight"})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["date"] == (TODAY - dt.timedelta(days=1)).isoformat()
    assert "lastnight" not in calls[0]["args"]["description"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [("whoops add 4 tip to that", "46.50"), ("plus 2 for the bag on it please", "44.50")],
)
def test_a_sum_added_to_the_entry_just_logged_adds_to_its_amount(text: str, amount: str) -> None:
    calls = play({"setup": ["pizza for the team 42.50"], "text": text})
    assert calls == [{"name": "update_transaction", "args": {"transaction_id": "last", "amount": amount}}]


@pytest.mark.parametrize(
    "text",
    ["what did we give to the synagogue and charities since january", "how much went to the masjid this year"],
)
def test_gifts_to_places_of_worship_and_charities_are_asked_about_by_category(text: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["spending_summary"]
    assert calls[0]["args"]["category"] == "Gifts & Donations"


def test_an_insurer_s_refund_check_is_income_not_money_back_for_a_purchase() -> None:
    calls = play({"text": "Got a 140 dollar refund check from my insurance company today."})
    assert [c["name"] for c in calls] == ["log_income"]
    assert calls[0]["args"]["source"] == "Insurance"


def test_a_shop_s_refund_is_still_a_refund() -> None:
    calls = play({"text": "Target refunded me 22.99 for the lamp"})
    assert [c["name"] for c in calls] == ["log_refund"]


@pytest.mark.parametrize(
    "text",
    ["Does Netflix still show up? Show me what I pay for every month.", "list what we pay every month please"],
)
def test_what_the_user_pays_every_month_lists_the_subscriptions(text: str) -> None:
    assert [c["name"] for c in play({"text": text})] == ["list_subscriptions"]


def test_a_meal_with_company_at_a_place_is_dining() -> None:
    calls = play({"text": "Kitfo and shiro with friends at a place in Takoma Park, 57 dollars"})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["category"] == "Dining"
