"""The request shapes blind round 53 found in English, said in the team's own words (the rounds themselves are not
training data): follow-ups to a subscription just added (its category, its reminder's lead time, its plan); an
entry put right with its reason around it (a price with tax, a bill split, a discount, a date, a delete whose
reason names an order); a goal called "it" with "right now" after; a goal asked after by the paying off of it; a
category's necessity said on its scale; a known shop with a laugh beside it. A call counts only if the
write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import play

SUB = "add spotify 11.99 monthly, renews on the 14th"


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("and file it under Entertainment", {"category": "Entertainment"}),
        ("oh and put that in Utilities please", {"category": "Utilities"}),
        ("actually make the reminder 4 days", {"remind_days_before": 4}),
        ("change the reminder to a week before", {"remind_days_before": 7}),
        ("no wait, I'm on the yearly plan, 119 a year", {"cadence": "yearly", "amount": "119.00"}),
    ],
)
def test_a_follow_up_changes_the_subscription_just_added(text: str, args: dict[str, object]) -> None:
    calls = play({"setup": [SUB], "text": text})
    assert [c["name"] for c in calls] == ["update_subscription"]
    assert calls[0]["args"] == {"name": "Spotify", **args}


def test_a_subscription_is_not_filed_under_a_category_the_user_lacks() -> None:
    calls = play({"setup": [SUB], "text": "and put it under Jeff"})
    assert not [c for c in calls if c["name"] == "update_subscription" and "category" in c["args"]]


@pytest.mark.parametrize(
    ("setup", "text", "args"),
    [
        ("headphones 52.00 at target", "oops, 56.16 with tax", {"amount": "56.16"}),
        ("pizza night 48", "actually split it with my sister so only 24 is mine", {"amount": "24.00"}),
        ("winter boots 130", "they were last season so the shop knocked it down to 95", {"amount": "95.00"}),
        ("dentist copay 40", "Sorry, please change the date to two days ago.", {"date": "2026-12-04"}),
        ("car wash 18", "oops can you set the date to last friday", {"date": "2026-12-04"}),
    ],
)
def test_an_entry_put_right_with_its_reason(setup: str, text: str, args: dict[str, str]) -> None:
    calls = play({"setup": [setup], "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"] == {"transaction_id": "last", **args}


def test_a_delete_whose_reason_names_an_order_runs() -> None:
    calls = play({"setup": ["grubhub 33.50"], "text": "ugh delete that, they cancelled the order"})
    assert calls == [{"name": "delete_transaction", "args": {"transaction_id": "last"}}]


def test_a_delete_of_an_order_is_still_asked() -> None:
    assert play({"setup": ["grubhub 33.50"], "text": "delete that order, it never came"}) == []


def test_a_goal_called_it_with_right_now_after() -> None:
    calls = play({"setup": ["I want to save 2000 for a new bike by june"], "text": "add 150 to it right now"})
    assert [c["name"] for c in calls] == ["contribute_to_goal"]
    assert "bike" in calls[0]["args"]["name"].lower()


def test_a_goal_asked_after_by_paying_it_off() -> None:
    calls = play({"text": "how close am I to paying off my student loan"})
    assert calls == [{"name": "goal_progress", "args": {"name": "student loan"}}]


@pytest.mark.parametrize(
    ("text", "name", "score"),
    [
        ("could you make a Hobbies category? not a must, call it a 3 out of 10", "Hobbies", 3),
        ("add a Childcare category, rate it 9/10", "Childcare", 9),
    ],
)
def test_a_category_necessity_said_on_its_scale(text: str, name: str, score: int) -> None:
    calls = play({"text": text})
    assert calls == [{"name": "create_category", "args": {"name": name, "necessity_score": score}}]


@pytest.mark.parametrize("text", ["doordash again lmao 31.15", "starbucks again haha 6.40"])
def test_a_known_shop_with_a_laugh_beside_it_is_an_entry(text: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["category"] == "Dining"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("design gig for Lark & Sons paid out 900", "Lark & Sons"),
        ("contract work for Brightline came in, 1200", "Brightline"),
        ("the rebate from the HMRC finally landed, 230", "HMRC"),
    ],
)
def test_income_names_the_client_or_payer_said_with_a_capital(text: str, source: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["log_income"]
    assert calls[0]["args"]["source"] == source


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("add my vpn 60 a year on april 2, notify me 5 days before", "Vpn"),
        ("add the cloud backup, 30 a year on may 1, ping me a week before", "Cloud backup"),
    ],
)
def test_a_subscription_is_named_by_what_comes_before_its_reminder(text: str, name: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["add_subscription"]
    assert calls[0]["args"]["name"] == name


@pytest.mark.parametrize(
    "text", ["give me a rundown of last month, what should I do differently?", "how did I do last month? any tips"]
)
def test_advice_asked_about_a_month_is_insights(text: str) -> None:
    assert [c["name"] for c in play({"text": text})] == ["get_insights"]
