"""The request shapes blind round 49 found, said in the team's own words (the rounds themselves are not training
data): the last entry put right with an apology and its sum ("oops, 18.20, typo"), the user's part of a bill that
was split, a refile with a reason after it, a new description in quotes, money moved into a goal with a mover's
verb; a price's digits that are no brand, power bought prepaid, staples bought for the month; shops named by
how the entry is built (capitalised names, "&" names, a power company after the price, the service money was sent
through) and the platform that paid for work. A call counts only if the write-safety policy would let it run
unasked (``play``)."""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import only, play

LOGGED = ["spent 16.40 on a pizza"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("oops, 18.20. typo.", "18.20"),
        ("sorry it's $1,450.10", "1450.10"),
        ("my bad, should be 19.99 - fat fingers", "19.99"),
        ("whoops, it was 21", "21.00"),
        ("correction: 14.75", "14.75"),
    ],
)
def test_an_apology_and_the_sum_put_the_last_entry_right(text: str, amount: str) -> None:
    calls = play({"setup": LOGGED, "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["amount"] == amount


def test_a_correction_whose_sum_reads_two_ways_changes_nothing_unasked() -> None:
    assert play({"setup": LOGGED, "text": "correction: 14 250 zz."}) == []


def test_an_apology_and_a_sum_after_a_budget_is_not_an_entrys_fix() -> None:
    calls = play({"setup": ["set my dining budget to 300"], "text": "sorry, 350"})
    assert all(c["name"] != "update_transaction" for c in calls)


@pytest.mark.parametrize(
    "text", ["we split the bill in the end, my share was 21", "oh my half came to 21", "actually my part is 21"]
)
def test_the_users_share_of_a_split_bill_is_the_entry(text: str) -> None:
    calls = play({"setup": ["team dinner at the noodle bar 63"], "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["amount"] == "21.00"


def test_a_share_said_with_no_entry_before_it_changes_nothing() -> None:
    calls = play({"setup": ["set my dining budget to 300"], "text": "my share was 21"})
    assert all(c["name"] != "update_transaction" for c in calls)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("it should be under Gifts, the scarf was for my aunt", "Gifts & Donations"),
        ("that belongs in health, it was for my allergies", "Health"),
    ],
)
def test_a_refile_with_a_reason_after_it(text: str, category: str) -> None:
    calls = play({"setup": ["bought a scarf for 35"], "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["category"] == category


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("Change the description to 'team pizza night'.", "team pizza night"),
        ('rename it to "Friday pizza"', "Friday pizza"),
        ("set the note to \u2018pizza with the neighbours\u2019", "pizza with the neighbours"),
    ],
)
def test_a_new_description_given_in_quotes(text: str, description: str) -> None:
    calls = play({"setup": LOGGED, "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["description"] == description


@pytest.mark.parametrize(
    ("text", "name"),
    [("Transfer 250 to the boat goal.", "boat"), ("move 40 toward the bike fund", "bike")],
)
def test_money_moved_into_a_goal_is_a_contribution(text: str, name: str) -> None:
    call = only(text)
    assert call["name"] == "contribute_to_goal"
    assert call["args"]["name"] == name


def test_a_transfer_to_savings_stays_a_bank_chore() -> None:
    assert play({"text": "transfer 300 to my savings"}) == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("76.20 for hiking boots", "Shopping"),
        ("prepaid power 120 for the flat", "Utilities"),
        ("meter top up 60", "Utilities"),
        ("rations for the month 80", "Groceries"),
        ("new television 480", "Shopping"),
    ],
)
def test_what_was_bought_files_the_entry(text: str, category: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense"
    assert call["args"]["category"] == category


@pytest.mark.parametrize(
    ("text", "merchant"),
    [
        ("Hakkasan Mayfair dinner with the team 140", "Hakkasan Mayfair"),
        ("crate & barrel $89 for a lamp", "Crate & Barrel"),
        ("power bill 80.15 tacoma city light", "Tacoma City Light"),
        ("sent 150 to mum via WorldRemit", "WorldRemit"),
        ("At Naheed yesterday, 45 for groceries", "Naheed"),
        ("Barnes and Noble 22.50 for a notebook", "Barnes and Noble"),
    ],
)
def test_a_shop_named_by_the_build_of_the_entry(text: str, merchant: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense"
    assert call["args"]["merchant"] == merchant


def test_via_before_a_name_is_the_way_money_went_not_a_ride() -> None:
    assert only("sent 150 to mum via WorldRemit")["args"]["category"] == "Other"


def test_capitalised_plain_words_are_no_shop() -> None:
    call = only("Team Lunch today 48")
    assert "merchant" not in call["args"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("got 90 from two lessons on preply", "Preply"),
        ("Received $220 from a logo design on Dribbble", "Dribbble"),
    ],
)
def test_the_platform_the_work_was_done_on_paid_it(text: str, source: str) -> None:
    call = only(text)
    assert call["name"] == "log_income"
    assert call["args"]["source"] == source
