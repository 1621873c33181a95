"""Round 57's last kinds, in the team's words: the monthly income after a preamble that says why ("for your
records: ..."), and money put into the goal just set with "rn" or "put in N" or "from this month's money"."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import play


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("For your records: my pension and my survivor benefit come to about $2,480 each month.", "2480.00"),
        ("just so you have it on file, my salary comes to 4,150 a month", "4150.00"),
    ],
)
def test_the_monthly_income_after_a_preamble(text: str, amount: str) -> None:
    assert [(c["name"], c["args"]["amount"]) for c in play({"text": text})] == [("set_monthly_income", amount)]


def test_a_preamble_does_not_make_an_outgoing_the_income() -> None:
    assert [
        c for c in play({"text": "for your records: my car loan is 320 a month"}) if c["name"] == "set_monthly_income"
    ] == []


@pytest.mark.parametrize(
    "text", ["chuck 35 in it rn", "and put in 120 toward it now from this week's money", "put in 60 to it please"]
)
def test_money_into_the_goal_just_set(text: str) -> None:
    calls = play({"text": text, "setup": ["I'd like to save 900 for a camping trip in august"]})
    assert [c["name"] for c in calls] == ["contribute_to_goal"]
    assert calls[0]["args"]["name"] != "rn"
