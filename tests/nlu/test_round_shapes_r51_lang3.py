"""Caribbean and Dominican Spanish, and Spanish words in English (blind round 51 found them asked, refused or
misread): read through their English gloss (``nlu/languages.py``, ``data/languages.yaml``), in the team's own
words (the rounds are not training data). "ta" for "está", "pa", "q", money put into a goal with "metí",
money sent to the user with "me mandó", a phone top-up ("recarga"), a shop named with its article ("La
Sirena"), a rate below one ("0.017") and a correction said half in English. A Tanzanian minibus and street
food are categories too. A call counts only if the write-safety policy would let it run unasked.
"""

from __future__ import annotations

import pytest

from tests.nlu.rounds_support import runs_unasked


def _one(text: str) -> tuple[str, dict[str, object]]:
    calls = runs_unasked(text)
    assert len(calls) == 1, (text, calls)
    return calls[0]["name"], calls[0]["args"]


def test_money_sent_to_the_user_in_spanish_is_income() -> None:
    name, args = _one("mi abuela me mandó RD$3,000 pa mi cumpleaños")
    assert name == "log_income" and args["amount"] == "3000.00" and args["currency"] == "DOP", args


def test_money_put_into_a_goal_named_in_lowercase_is_a_contribution() -> None:
    name, args = _one("le metí 250 en lo de la moto")
    assert name == "contribute_to_goal" and args["amount"] == "250.00" and "moto" in str(args["name"]), args


def test_a_goal_for_a_trip_is_named_after_the_place() -> None:
    name, args = _one("quiero ahorrar 900 para un viaje a samaná en marzo")
    assert name == "set_goal" and args["target_amount"] == "900.00", args
    assert "samaná" in str(args["name"]).lower(), args


def test_set_a_sum_for_a_category_is_a_budget() -> None:
    assert _one("pon 300 pa restaurantes") == ("set_budget", {"category": "Dining", "amount": "300.00"})
    assert _one("set 180 for groceries") == ("set_budget", {"category": "Groceries", "amount": "180.00"})


def test_a_rate_below_one_is_not_read_as_dot_grouped_thousands() -> None:
    name, args = _one("el peso dominicano ta en 0.018 dólares, ponlo así")
    assert name == "set_exchange_rate" and args == {"currency": "DOP", "rate": "0.018"}, args


def test_monthly_income_said_with_about_runs() -> None:
    name, args = _one("mi ingreso mensual es como 3,100 ahora q tengo dos trabajos")
    assert name == "set_monthly_income" and args["amount"] == "3100.00", args


def test_a_reminder_before_a_subscription_named_in_english() -> None:
    assert _one("avísame 2 días antes del gym porfa") == (
        "update_subscription",
        {"name": "gym", "remind_days_before": 2},
    )


def test_a_phone_top_up_is_utilities_and_at_mom_s_place_is_still_the_user_s() -> None:
    name, args = _one("en casa de papi, recarga Altice RD$300")
    assert name == "log_expense" and args["amount"] == "300.00" and args["category"] == "Utilities", args
    assert runs_unasked("en casa de mami mi hermano pagó 40 dólares") == []


def test_a_shop_named_with_its_article_is_the_merchant() -> None:
    name, args = _one("cuánto gasté en El Bodegón this month?")
    assert name == "spending_summary" and args.get("merchant") == "El Bodegón", args


def test_flip_flops_and_towels_are_shopping() -> None:
    name, args = _one("compré chanclas y toallas, RD$900")
    assert name == "log_expense" and args["category"] == "Shopping", args


def test_a_correction_said_half_in_spanish_changes_the_last_entry() -> None:
    assert _one("no espera, it was 18.40 con el tip") == (
        "update_transaction",
        {"transaction_id": "last", "amount": "18.40"},
    )


@pytest.mark.parametrize(
    ("text", "category"),
    [("daladala Tsh 800 to work", "Transport"), ("chipsi mayai Tsh 3,500 jioni", "Dining")],
)
def test_tanzanian_minibus_and_street_food_have_categories(text: str, category: str) -> None:
    name, args = _one(text)
    assert name == "log_expense" and args["category"] == category and args["currency"] == "TZS", args


def test_a_dominican_shared_taxi_is_transport() -> None:
    name, args = _one("pagué 200 de motoconcho")
    assert name == "log_expense" and args["category"] == "Transport", args


def test_a_wishlist_headed_as_one_is_neither_bought_nor_checked() -> None:
    assert runs_unasked("my wishlist: a drone 420, camping set 150, new boots 130. one day") == []
    assert runs_unasked("wish list: kindle 120, hiking boots 90") == []
