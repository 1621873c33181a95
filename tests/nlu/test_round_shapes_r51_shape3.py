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


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("could you set up a category for my pottery things? call it Pottery", "Pottery"),
        ("Create a category called Tithe for what I give at church", "Tithe"),
        ("make a new category Pets for the dog and the cat", "Pets"),
    ],
)
def test_a_new_categorys_name_is_the_one_given(text: str, name: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["create_category"]
    assert calls[0]["args"]["name"] == name


def test_a_subscriptions_payment_date_moved() -> None:
    calls = play({"text": "change my netflix payment date to the 20th"})
    assert [c["name"] for c in calls] == ["update_subscription"]
    assert calls[0]["args"]["next_renewal"] == "2026-12-20"


def test_rupees_written_with_an_equals_mark_are_sri_lankan() -> None:
    calls = play({"text": "rice and curry lunch Rs. 1,200/="})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["currency"] == "LKR"


def test_dlls_are_dollars() -> None:
    calls = play({"text": "tacos with the team 36 dlls"})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["amount"] == "36.00"
    assert "currency" not in calls[0]["args"]


def test_spectacles_mended_are_health() -> None:
    calls = play({"text": "On Monday paid $40 for my husband's spectacles repair"})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["category"] == "Health"


@pytest.mark.parametrize(
    ("text", "merchant"),
    [
        ("Auchan 2 310,40 грн groceries", "Auchan"),
        ("Foodlandia groceries 54.10", "Foodlandia"),
        ("vitamins 18.99 on vitabay", "Vitabay"),
        ("paid the water bill, NWC J$4,200", "NWC"),
        ("Nova Linija delivery 120 грн", "Nova Linija"),
    ],
)
def test_a_shop_named_by_the_build_of_the_entry(text: str, merchant: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"].get("merchant") == merchant


@pytest.mark.parametrize("text", ["Chipsi mayai 4,000 TZS", "Bajaji to the market 3,000 TZS", "paid rent, USD 900"])
def test_a_foreign_thing_or_a_code_is_no_shop(text: str) -> None:
    assert all("merchant" not in c["args"] for c in play({"text": text}))


def test_show_me_what_i_spent_on_a_category_is_its_total() -> None:
    calls = play({"text": "Show me what I spent on Groceries last month"})
    assert [c["name"] for c in calls] == ["spending_summary"]


def test_an_entry_moved_to_another_day_with_for() -> None:
    calls = play({"setup": ["spent 16.40 on a pizza"], "text": "that was for last Tuesday"})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["date"] == "2026-12-01"


def test_a_fix_led_by_a_word_of_another_language() -> None:
    calls = play({"setup": ["bus pass 30"], "text": "Hapana, make it 35"})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["amount"] == "35.00"


def test_a_reminder_before_a_fee_comes_out_after_an_entry() -> None:
    calls = play({"setup": ["dog food 30 at the pet shop"], "text": "Remind mi two days before di rent payment go out"})
    assert [c["name"] for c in calls] == ["update_subscription"]
    assert calls[0]["args"] == {"name": "rent", "remind_days_before": 2}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("new tire 120", "Transport"),
        ("metrocard refill 40", "Transport"),
        ("plantains and callaloo 7", "Groceries"),
    ],
)
def test_everyday_words_filed(text: str, category: str) -> None:
    calls = play({"text": text})
    assert [c["name"] for c in calls] == ["log_expense"]
    assert calls[0]["args"]["category"] == category
