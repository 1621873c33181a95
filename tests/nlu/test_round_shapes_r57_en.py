"""The English request shapes blind round 57 found, said in the team's own words (the rounds themselves are not
training data): a budget, a purchase check and a merchant's spending said as notes; a reminder's lead time in
shorthand or "a full week"; a payment to a friend by first name; a goal proposed with a tag question or named by
what the money is for; a category scored "I'd give it a 7"; follow-ups that put right the entry or subscription just
made (its day alone, a day said against another, "I meant N", its cadence or renewal day said against the old one,
a budget "make it N" with a remark after). A call counts only if the write-safety policy would let it run unasked
(``play``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.nlu.rounds_support import TODAY, play


def _one(calls: list[dict[str, object]], name: str) -> dict[str, object]:
    assert [c["name"] for c in calls] == [name], calls
    args = calls[0]["args"]
    assert isinstance(args, dict)
    return args


@pytest.mark.parametrize(
    ("text", "cat", "amount"),
    [("budget dining 180", "Dining", "180.00"), ("budget groceries 420/month", "Groceries", "420.00")],
)
def test_a_budget_said_as_a_note_is_set(text: str, cat: str, amount: str) -> None:
    assert _one(play({"text": text}), "set_budget") == {"category": cat, "amount": amount}


def test_a_budget_note_for_no_category_of_the_user_sets_nothing() -> None:
    assert not [c for c in play({"text": "budget jeff 250"}) if c["name"] == "set_budget"]


def test_a_purchase_checked_as_a_note() -> None:
    args = _one(play({"text": "afford 640 tablet?"}), "check_purchase")
    assert args["item"] == "tablet" and args["amount"] == "640.00"


def test_a_known_merchants_spending_said_short_filters_by_it() -> None:
    args = _one(play({"text": "lyft spend ytd"}), "spending_summary")
    assert args["merchant"] == "Lyft" and args["start"] == "2026-01-01"


def test_one_days_total_asked_with_a_remark_after() -> None:
    calls = play({"text": "How much did I spend altogether on Friday? It was a day of endless little errands."})
    assert [c["name"] for c in calls] in (["spending_summary"], ["list_transactions"])


@pytest.mark.parametrize(
    ("text", "name", "days"),
    [
        ("hulu remind 3d before", "Hulu", 3),
        ("spotify remind 2w before", "Spotify", 14),
        ("Would you remind me a full week before the Financial Times renews?", "Financial Times", 7),
    ],
)
def test_a_reminders_lead_time_in_shorthand_or_a_full_week(text: str, name: str, days: int) -> None:
    assert _one(play({"text": text}), "update_subscription") == {"name": name, "remind_days_before": days}


def test_a_friend_paid_by_first_name_is_an_entry_and_an_order_to_pay_is_not() -> None:
    args = _one(play({"text": "zelled priya 45 for concert tickets"}), "log_expense")
    assert args["amount"] == "45.00"
    assert not [c for c in play({"text": "venmo priya 45 for concert tickets"}) if c["name"] == "log_expense"]


def test_a_goal_proposed_with_a_tag_question_is_set() -> None:
    text = "I'd like to start saving for a trip to see my nephew in Denver. Let's aim for $1,600, shall we?"
    assert _one(play({"text": text}), "set_goal")["target_amount"] == "1600.00"


def test_a_what_if_with_a_tag_question_writes_nothing() -> None:
    assert not [c for c in play({"text": "let's say I buy a 900 fridge, ok?"}) if c["name"] != "check_purchase"]


def test_a_goal_named_by_what_the_money_is_for() -> None:
    text = "we're trying to gather 3000 for Tendai's first term at college so please make that a savings goal"
    assert _one(play({"text": text}), "set_goal") == {"name": "Tendai's first term", "target_amount": "3000.00"}


def test_a_category_scored_by_giving_it_a_number() -> None:
    text = "Could you make a new category called Garden? The roses really matter to me, so I'd give it a 7."
    assert _one(play({"text": text}), "create_category") == {"name": "Garden", "necessity_score": 7}


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("text", "date"),
    [("yesterday", _ago(1)), ("it was on monday btw", "2026-11-30"), ("oh that was last friday", "2026-12-04")],
)
def test_the_entry_just_logged_moved_to_the_day_said_alone(text: str, date: str) -> None:
    args = _one(play({"setup": ["physio 95"], "text": text}), "update_transaction")
    assert args == {"transaction_id": "last", "date": date}


def test_a_day_alone_with_no_entry_before_writes_nothing() -> None:
    assert not play({"text": "yesterday"})
    calls = play({"setup": ["physio 95"], "text": "i went there on monday"})
    assert not [c for c in calls if c["name"] == "update_transaction"]


def test_the_day_meant_is_not_the_one_said_against() -> None:
    text = "sorry not this morning, it was the day before yesterday"
    calls = play({"setup": ["paid the plumber 120 this morning"], "text": text})
    assert _one(calls, "update_transaction")["date"] == _ago(2)


def test_i_meant_a_sum_puts_the_entry_right() -> None:
    calls = play({"setup": ["lunch at Panera 18.40"], "text": "Oh dear, I meant $14.80. Time for new glasses."})
    assert _one(calls, "update_transaction") == {"transaction_id": "last", "amount": "14.80"}


SUB = "add the Financial Times 39 monthly renews on the 9th"


def test_a_subscriptions_price_said_again_with_a_remark() -> None:
    calls = play({"setup": [SUB], "text": "oh actually its 29 i'm on the digital plan"})
    assert _one(calls, "update_subscription") == {"name": "Financial Times", "amount": "29.00"}


def test_a_cadence_said_against_the_old_one() -> None:
    text = "Hmm, looking at my bank app, they charge me every three months, not monthly. My mistake."
    assert _one(play({"setup": [SUB], "text": text}), "update_subscription") == {"name": "Financial Times",
                                                                                  "cadence": "quarterly"}  # fmt: skip


def test_a_renewal_day_said_against_the_old_one() -> None:
    text = "oops sorry, it actually comes out on the 19th not the 9th"
    args = _one(play({"setup": [SUB], "text": text}), "update_subscription")
    assert args == {"name": "Financial Times", "next_renewal": "2026-12-19"}


def test_a_renewal_day_said_as_a_note() -> None:
    args = _one(play({"text": "add Figma 15/mo renews 3rd"}), "add_subscription")
    assert args["next_renewal"] == "2027-01-03"


def test_a_raised_price_with_the_update_asked_for() -> None:
    text = "Netflix has put up its price to $17.99 a month, sadly. Could you update that?"
    assert _one(play({"setup": [], "text": text}), "update_subscription")["amount"] == "17.99"


def test_a_budget_made_again_with_a_remark_after() -> None:
    calls = play({"setup": ["please set my groceries budget to 400 a month"],
                  "text": "Hmm, on second thought, make it $450. We eat a lot."})  # fmt: skip
    assert _one(calls, "set_budget") == {"category": "Groceries", "amount": "450.00"}


def test_on_second_thought_is_no_date() -> None:
    assert not play({"text": "Hmm, on second thought, make it $450. We eat a lot."})
