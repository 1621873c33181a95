"""A sum a month that goes out of the income (tax, rent, a loan) is not the income: setting it would overwrite
the user's real monthly income, so it is asked, never set unasked; the income said net ("after taxes") still is."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import play


@pytest.mark.parametrize(
    "text",
    [
        "our income tax comes to 650 a month",
        "my rent is 1,350 a month",
        "my mortgage payment is 1900 a month",
        "my health insurance premium is 210 a month",
        "my student loan is 240 a month",
    ],
)
def test_an_outgoing_a_month_does_not_set_the_income(text: str) -> None:
    assert [c for c in play({"text": text}) if c["name"] == "set_monthly_income"] == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("my monthly income is 3,800 after taxes", "3800.00"),
        ("i bring home 2650 a month after tax", "2650.00"),
        ("my salary is 5200 a month", "5200.00"),
    ],
)
def test_the_income_said_net_still_sets_it(text: str, amount: str) -> None:
    calls = play({"text": text})
    assert [(c["name"], c["args"]["amount"]) for c in calls] == [("set_monthly_income", amount)]
