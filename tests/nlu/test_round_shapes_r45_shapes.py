"""The request shapes blind round 45 (and round 43's leftovers) found, said in the team's own words (the
rounds themselves are not training data): a request followed by a remark, a goal named as a label, work
that paid the user, a contribution verb, a sum corrected inside the message. A call counts only if the
write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from tests.nlu.rounds_support import TODAY, only, play


def test_a_budget_asked_for_with_reasons_after_it_is_a_budget_not_a_spend() -> None:
    call = only(
        "Honestly I need a budget for Personal care of $60 a month, haircuts and shampoo add up fast at my age."
    )
    assert call["name"] == "set_budget"
    assert call["args"]["category"] == "Personal care"
    assert call["args"]["amount"] == "60.00"


@pytest.mark.parametrize(
    "text", ["contribute 500 to the bike goal", "contribute 1,500 pesos sa bike goal", "contribute 90 sa bike"]
)
def test_a_contribution_verb_never_creates_a_goal(text: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.name for c in calls] == ["contribute_to_goal"]
    assert str(calls[0].args["name"]).lower() == "bike"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("surf lessons on saturday paid 900, happy days", "lessons"),
        ("night shift paid 310. Bed now.", "shift"),
        ("paycheck from the library today $980", "library"),
        ("tip from the bar tonight 30", "tip"),
    ],
)
def test_work_that_paid_the_user_is_income(text: str, source: str) -> None:
    call = only(text)
    assert call["name"] == "log_income"
    assert source in str(call["args"]["source"]).lower()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Goal: new bike, $800 by March. Legs need it.", "bike"),
        ("goal please: 'Lisbon weekend', $1,200 by summer", "lisbon weekend"),
        ("Birthday party goal, $300 by the 14th of January", "birthday party"),
        ("Set up a goal called Garden Shed for $2,400. The old one fell over.", "garden shed"),
        ("I want a goal: tablet for drawing class, 600", "tablet"),
    ],
)
def test_a_goal_named_as_a_label_keeps_that_name(text: str, name: str) -> None:
    call = only(text)
    assert call["name"] == "set_goal"
    assert str(call["args"]["name"]).lower() == name


def test_money_put_from_a_source_goes_to_the_goal_named_not_the_source() -> None:
    calls = understand("I put 120 for the bike from my bonus", NLUContext(today=TODAY)).calls
    assert [c.name for c in calls] == ["contribute_to_goal"]
    assert calls[0].args["name"] == "bike"


def test_a_subscription_change_with_a_reason_after_it_is_the_change() -> None:
    call = only("Change the renters insurance to $19.75, they sent a letter about a rate increase.")
    assert call["name"] == "update_subscription"
    assert call["args"] == {"name": "renters insurance", "amount": "19.75"}


def test_a_change_leads_with_the_subscription_it_changes() -> None:
    calls = understand(
        "Change the gym renewal, it's on the 20th now since I moved to the basic plan at $25.", NLUContext(today=TODAY)
    ).calls
    assert [c.name for c in calls] == ["update_subscription"]
    assert str(calls[0].args["name"]).lower() == "gym"


def test_the_sum_said_after_a_correction_is_the_one_meant() -> None:
    call = only(
        "add the union dues as a yearly subscription, $300, renews next May 1st... actually it's $340, use that"
    )
    assert call["name"] == "add_subscription"
    assert call["args"]["amount"] == "340.00"
    assert [c["args"]["amount"] for c in play({"text": "spent 30 on lunch, actually it was 34"})] == ["34.00"]


def test_a_purchase_checked_is_the_thing_not_what_it_is_for() -> None:
    call = only("Should I buy a $900 e-bike for getting to work? The bus is always late.")
    assert call["name"] == "check_purchase"
    assert call["args"]["item"] == "e-bike"


@pytest.mark.parametrize(
    ("text", "merchant"),
    [
        ("Deliveroo 22.40 tonight", "Deliveroo"),
        ("Jiffy Lube 64.99 oil change", "Jiffy Lube"),
        ("water bill SRP 88", "SRP"),
    ],
)
def test_known_shops_are_named_as_the_merchant(text: str, merchant: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense"
    assert call["args"].get("merchant") == merchant


def test_a_category_asked_for_with_a_story_and_a_score_after_it() -> None:
    call = only(
        "I'd like to add a category for Dog care, our old lab Biscuit is slowing down and needs his joint pills. "
        "I'd say an 8 on the importance scale."
    )
    assert call["name"] == "create_category"
    assert call["args"] == {"name": "Dog care", "necessity_score": 8}
