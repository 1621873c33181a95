"""The request shapes blind round 47 found, said in the team's own words (the rounds themselves are not training
data): a correction with its reason after it, a goal for a down payment on something, a reminder asked for around
a renewal, a category named with a remark, a budget said before its category, a pet's vet bill, pay that came
through a platform or as tips, and a shop named by how the sentence is built. A call counts only if the
write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.understanding import DEFAULT_CATEGORY_NAMES
from tests.nlu.rounds_support import TODAY, only, play, unasked_calls

LOGGED = ["spent 16.40 on a pizza"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("make it 19.40, i forgot the tip", "19.40"),
        ("make that 22, they added a service charge", "22.00"),
        ("wrong, 12.30", "12.30"),
        ("typo: 17.85", "17.85"),
        ("incorrect: 18", "18.00"),
    ],
)
def test_the_last_entry_corrected_with_a_reason_or_a_bare_complaint(text: str, amount: str) -> None:
    calls = play({"setup": LOGGED, "text": text})
    assert [c["name"] for c in calls] == ["update_transaction"]
    assert calls[0]["args"]["amount"] == amount


def test_a_bare_complaint_after_a_subscription_never_changes_an_entry_unasked() -> None:
    calls = play({"setup": ["add netflix 15.49 monthly, renews on the 15th"], "text": "wrong, 16.99"})
    assert all(c["name"] != "update_transaction" for c in calls)


@pytest.mark.parametrize(
    "text",
    [
        "scratch that, paid with the wrong card, I'll redo it tonight",
        "scratch that, it went on the other card",
        "forget that one, my brother covered it",
    ],
)
def test_the_wrong_card_is_why_an_entry_goes_not_where_it_is(text: str) -> None:
    calls = play({"setup": LOGGED, "text": text})
    assert [c["name"] for c in calls] == ["delete_transaction"]


def test_a_down_payment_on_something_is_that_things_goal() -> None:
    call = only("save 20000 for a down payment on a house")
    assert call["name"] == "set_goal"
    assert call["args"]["name"] == "house down payment"


@pytest.mark.parametrize(
    ("text", "name", "days"),
    [
        ("the gym renews on the 12th, ping me a day before", "gym", 1),
        ("my car insurance is due on the 3rd, warn me a week before", "car insurance", 7),
        ("water bill is due on the 20th, warn me 3 days before", "water bill", 3),
    ],
)
def test_a_reminder_asked_around_a_renewal_is_that_subscriptions_lead(text: str, name: str, days: int) -> None:
    call = only(text)
    assert call["name"] == "update_subscription"
    assert str(call["args"]["name"]).lower() == name
    assert call["args"]["remind_days_before"] == days


def test_moving_a_renewal_date_is_the_subscription_not_a_bank_chore() -> None:
    call = only("move my netflix renewal to the 20th")
    assert call["name"] == "update_subscription"
    assert call["args"]["next_renewal"] == "2026-12-20"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("create a category Hobbies, the guitar stuff adds up", "Hobbies"),
        ("open a new category Baby, we have one on the way", "Baby"),
        ("add Pets as a category", "Pets"),
    ],
)
def test_a_category_named_before_a_remark_is_created_by_that_name(text: str, name: str) -> None:
    call = only(text)
    assert call == {"name": "create_category", "args": {"name": name}}


def test_a_budget_said_before_its_category_names_the_category_without_the_word() -> None:
    mine = NLUContext(today=TODAY, categories=(*DEFAULT_CATEGORY_NAMES, "Garden"))
    calls = unasked_calls("please set a budget of 150 for the Garden category", mine)
    assert calls == [{"name": "set_budget", "args": {"category": "Garden", "amount": "150.00"}}]
    calls = unasked_calls("budget 80 for the Garden category", mine)
    assert calls == [{"name": "set_budget", "args": {"category": "Garden", "amount": "80.00"}}]
    # for a user with no such category, never a category named "Garden category"
    for text in ("please set a budget of 150 for the Garden category", "budget 80 for the Garden category"):
        understood = understand(text, NLUContext(today=TODAY))
        assert all(c.name != "create_category" for c in understood.calls), understood


def test_a_vet_bill_goes_to_the_users_pets_else_health() -> None:
    assert only("vet bill for our dog Max, 140")["args"]["category"] == "Health"
    mine = NLUContext(today=TODAY, categories=(*DEFAULT_CATEGORY_NAMES, "Pets"))
    calls = unasked_calls("vet bill for our dog Max, 140", mine)
    assert [c["args"]["category"] for c in calls] == ["Pets"]


@pytest.mark.parametrize(
    ("text", "name", "want"),
    [
        ("voiceover job paid out on Fiverr 240 dollars", "log_income", {"amount": "240.00", "source": "Fiverr"}),
        ("cleaning gig paid out on TaskRabbit, 95", "log_income", {"amount": "95.00", "source": "TaskRabbit"}),
        ("got 40 in tips today", "log_income", {"amount": "40.00"}),
        ("got 33 in tips at the bar tonight", "log_income", {"amount": "33.00"}),
    ],
)
def test_people_paid_and_pay_received_run_unasked(text: str, name: str, want: dict[str, str]) -> None:
    call = only(text)
    assert call["name"] == name
    assert {k: call["args"].get(k) for k in want} == want


@pytest.mark.parametrize(
    ("text", "merchant"),
    [
        ("bread at panaderia rosa 6.20", "Panaderia Rosa"),
        ("Dawson bakery 14.50 bread and rolls", "Dawson Bakery"),
        ("porkbun domain renew 10.87", "Porkbun"),
        ("milk tea at gong cha 5.40 lol i have no willpower", "Gong Cha"),
    ],
)
def test_a_shop_named_where_the_sentence_puts_a_shop_is_the_merchant(text: str, merchant: str) -> None:
    call = only(text)
    assert call["name"] == "log_expense"
    assert call["args"]["merchant"] == merchant


def test_a_sum_plus_a_tip_then_the_total_is_one_entry_of_the_total() -> None:
    calls = play({"text": "manicure 30 + tip, so 36 total"})
    assert [(c["name"], c["args"]["amount"]) for c in calls] == [("log_expense", "36.00")]
    assert calls[0]["args"]["category"] == "Personal care"
    calls = play({"text": "dinner 80 + tax, so 86.40 all in"})
    assert [(c["name"], c["args"]["amount"]) for c in calls] == [("log_expense", "86.40")]


def test_a_ride_in_town_is_transport_though_one_airport_ride_was_filed_under_travel() -> None:
    def remembered(merchant: str) -> str | None:
        return "Travel" if merchant.lower() == "uber" else None  # the user once moved a ride to the airport

    ctx = NLUContext(today=TODAY, merchant_category=remembered)
    assert [c["args"]["category"] for c in unasked_calls("uber 14 to the gym for my class", ctx)] == ["Transport"]
    assert [c["args"]["category"] for c in unasked_calls("uber to the airport 52", ctx)] == ["Travel"]


@pytest.mark.parametrize(
    "text",
    [
        "somebody donated a sofa to the youth club, valued at 600.",
        "the club gave me 80 to buy the prizes, it's their money",
        "I'm at mile marker 140 on the highway",
    ],
)
def test_a_strangers_gift_money_held_for_others_and_a_place_write_nothing(text: str) -> None:
    assert play({"text": text}) == []
