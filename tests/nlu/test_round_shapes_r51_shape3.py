"""The request shapes blind round 51 found in English and in Jamaican patois, said in the team's own words (the
rounds themselves are not training data): a sum grouped by spaces with a decimal comma is one sum; patois
function words (mi, di, fi, dat, dis) read as standard English, so a subscription's name comes from what is
said; a correction said with its reason after it; a subscription named after the verb that leads the request.
A call counts only if the write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import play


def test_a_space_grouped_sum_with_a_decimal_comma_is_one_sum() -> None:
    calls = play({"setup": ["Auchan 2 310,40 грн"], "text": "sorry it was 2 130,40 not 2 310,40"})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["amount"] == "2130.40"


def test_a_patois_price_rise_names_the_subscription_said() -> None:
    setup = ["add a subscription: gym, 40 monthly, renews on the 10th"]
    calls = play({"setup": setup, "text": "Di gym put up di fee to $48"})
    assert calls and all(c["args"].get("name", "").lower() == "gym" for c in calls)
    assert all(c["name"] == "update_subscription" for c in calls)


@pytest.mark.parametrize(
    ("text", "name", "days"),
    [
        ("remind mi two days before di gym payment go out", "gym", 2),
        ("Remind mi a week before di Netflix renew", "netflix", 7),
    ],
)
def test_a_patois_reminder_names_its_subscription(text: str, name: str, days: int) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["update_subscription"]
    assert calls[0]["args"]["name"].lower() == name
    assert calls[0]["args"]["remind_days_before"] == days


def test_a_patois_renewal_day_is_read() -> None:
    calls = play({"text": "Add Crunchyroll $7.99 monthly, it bill on di 21st"})
    assert [c["name"] for c in calls] == ["add_subscription"]
    assert calls[0]["args"]["next_renewal"] == "2026-12-21"


def test_a_goal_for_a_thing_said_in_patois_is_named_by_the_thing() -> None:
    calls = play({"text": "Start a goal fi a new fridge, target $900"})
    assert [c["name"] for c in calls] == ["set_goal"]
    assert calls[0]["args"]["name"] == "fridge"


def test_a_patois_spend_is_the_users() -> None:
    calls = play({"text": "yesterday mi pay $40 fi a new battery"})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["amount"] == "40.00"


def test_banh_mi_stays_a_sandwich() -> None:
    calls = play({"text": "banh mi 9 for lunch"})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert "mi" in calls[0]["args"]["description"].lower()


@pytest.mark.parametrize(
    ("setup", "text", "amount"),
    [
        ("haircut 30", "make it 35 with tip", "35.00"),
        ("vet visit 80", "ugh actually 120, they ran a blood test too", "120.00"),
        ("KFC dinner J$3,400", "Hol on, it was J$3,040, mi mix up di numbers", "3040.00"),
    ],
)
def test_a_correction_with_its_reason_after_it(setup: str, text: str, amount: str) -> None:
    calls = play({"setup": [setup], "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["amount"] == amount


def test_a_subscription_named_after_the_leading_verb() -> None:
    calls = play({"text": "Update internet to 65, they raised it"})
    assert [c["name"] for c in calls] == ["update_subscription"]
    assert calls[0]["args"]["name"].lower() == "internet"
