"""Italian and Malaysian Malay as first-class languages, which blind round 57 found refused ("English only") or
asked: read through their English gloss (``nlu/languages.py``, ``data/languages.yaml``), in the team's own words
(the rounds are not training data). Italian: spending with comma decimals, income arrived, a budget moved, a
subscription cancelled, a reminder's lead time, a new category, net monthly income with dot-grouped thousands, a
goal, a purchase check, insights, renewals ahead, what is left for a goal, corrections, and elided articles
("dell'autobus", "l'altro ieri"). Malay as it is texted: meals with friends ("dgn kawan2"), two items in one line,
eating out this week, a goal (never an expense), a purchase check, pay day, money put in a goal's jar ("tabung"),
a reminder, monthly income and its correction, budget left, last week's total, subscriptions listed and added
with their renewal day ("12hb"). Someone else's money and plans write nothing; Indonesian's rupiah stays rupiah.
A call counts only if the write-safety policy would let it run unasked.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.languages import identify
from tests.nlu.rounds_support import TODAY, play
from tools import WRITE_TOOLS


def _one(text: str, setup: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    calls = play({"text": text, "setup": setup or []})
    assert len(calls) == 1, (text, calls)
    return calls[0]["name"], calls[0]["args"]


# Italian


def test_italian_dinner_with_comma_decimals() -> None:
    name, args = _one("cena con gli amici da Gino, 41,80")
    assert name == "log_expense" and args["amount"] == "41.80" and args["category"] == "Dining", args


def test_italian_income_paid_me() -> None:
    name, args = _one("finalmente mi hanno pagato la traduzione: 620 dollari")
    assert name == "log_income" and args["amount"] == "620.00", args


def test_italian_spending_last_month() -> None:
    name, args = _one("quanto ho speso in benzina il mese scorso?")
    assert name == "spending_summary" and args["start"] == "2026-11-01" and args["category"] == "Transport", args


def test_italian_budget_moved_to_eating_out() -> None:
    assert _one("sposta 60 dal budget spesa a quello per mangiare fuori") == (
        "move_budget",
        {"from_category": "Groceries", "to_category": "Dining", "amount": "60.00"},
    )


def test_italian_subscription_cancelled() -> None:
    assert _one("ho disdetto Spotify, toglilo") == ("cancel_subscription", {"name": "Spotify"})


def test_italian_reminder_days_before_renewal() -> None:
    assert _one("per Netflix avvisami tre giorni prima del rinnovo") == (
        "update_subscription",
        {"name": "Netflix", "remind_days_before": 3},
    )


def test_italian_new_category_with_importance() -> None:
    assert _one("crea una categoria 'Animali', importanza 4") == (
        "create_category",
        {"name": "Animali", "necessity_score": 4},
    )


def test_italian_net_monthly_income_with_dot_grouped_thousands() -> None:
    assert _one("il mio stipendio netto è di 2.750 dollari al mese") == ("set_monthly_income", {"amount": "2750.00"})


def test_italian_goal_to_reach() -> None:
    name, args = _one("fondo di emergenza: voglio arrivare a 6.500 dollari")
    assert name == "set_goal" and args["target_amount"] == "6500.00" and "emergency" in args["name"], args


def test_italian_questions() -> None:
    assert _one("posso permettermi una bici da 600 dollari?")[0] == "check_purchase"
    assert _one("dammi qualche consiglio per risparmiare")[0] == "get_insights"
    assert _one("quali abbonamenti si rinnovano nei prossimi 10 giorni?") == ("list_subscriptions", {"within_days": 10})
    name, args = _one("quanto mi manca per il fondo vacanze?")
    assert name == "goal_progress" and "vacation" in args["name"], args
    assert _one("quanto ho speso quest'anno?")[1]["start"] == "2026-01-01"


def test_italian_corrections() -> None:
    assert _one("ah no scusa, era l'altro ieri", ["spent 30 on dinner"])[1]["date"] == "2026-12-04"
    assert _one("in realtà erano tre caffè, quindi 4,50", ["spent 3 on coffee"]) == (
        "update_transaction",
        {"transaction_id": "last", "amount": "4.50"},
    )
    assert _one("anzi no, cancellalo, ha pagato Luca", ["spent 30 on dinner"])[0] == "delete_transaction"


def test_italian_elided_articles() -> None:
    assert identify("biglietto dell'autobus 2,10") is not None
    name, args = _one("biglietto del treno 12,40")
    assert name == "log_expense" and args["amount"] == "12.40" and args["category"] == "Transport", args
    name, args = _one("taxi per l'aeroporto 35 dollari")
    assert name == "log_expense" and args["amount"] == "35.00" and args["category"] == "Transport", args


# Malaysian Malay


def test_malay_meal_with_friends_yesterday() -> None:
    name, args = _one("semalam makan roti canai dgn kawan2 6.40")
    assert name == "log_expense" and args["amount"] == "6.40" and args["category"] == "Dining", args
    assert args["date"] == "2026-12-05", args


def test_malay_two_items_in_one_line() -> None:
    calls = play({"text": "tadi beli teh tarik 2.50 and roti canai 3.00"})
    assert [(c["name"], c["args"]["amount"], c["args"]["category"]) for c in calls] == [
        ("log_expense", "2.50", "Dining"),
        ("log_expense", "3.00", "Dining"),
    ]


def test_malay_a_goal_is_not_an_expense() -> None:
    assert _one("nak simpan duit beli laptop, target 4500") == (
        "set_goal",
        {"name": "laptop", "target_amount": "4500.00"},
    )
    assert _one("masukkan 150 dalam tabung laptop") == ("contribute_to_goal", {"name": "laptop", "amount": "150.00"})


def test_malay_questions() -> None:
    name, args = _one("berapa dah habis makan luar bulan ni?")
    assert name == "spending_summary" and args["category"] == "Dining" and args["start"] == "2026-12-01", args
    assert _one("boleh ke aku beli laptop 2,400?")[0] == "check_purchase"
    assert _one("baki budget dining bulan ni berapa?") == ("budget_summary", {"month": "2026-12", "category": "Dining"})
    assert _one("total belanja minggu lepas?")[0] == "spending_summary"
    assert _one("show subscription aku") == ("list_subscriptions", {})


def test_malay_pay_day_and_monthly_income_corrected() -> None:
    name, args = _one("dapat gaji 3,200 hari ni")
    assert name == "log_income" and args["amount"] == "3200.00" and args["date"] == "2026-12-06", args
    assert _one("gaji aku sebulan 3,500") == ("set_monthly_income", {"amount": "3500.00"})
    assert _one("eh bukan, 3,650 lepas naik gaji", ["gaji aku sebulan 3,500"]) == (
        "set_monthly_income",
        {"amount": "3650.00"},
    )


def test_monthly_income_corrected_in_english() -> None:
    assert _one("no, 4,100", ["my monthly income is 3,900"]) == ("set_monthly_income", {"amount": "4100.00"})


def test_malay_subscription_reminder_and_renewal_day() -> None:
    assert _one("ingatkan aku 3 hari sebelum spotify renew") == (
        "update_subscription",
        {"name": "Spotify", "remind_days_before": 3},
    )
    name, args = _one("add spotify 17.90 sebulan, renew 12hb")
    assert name == "add_subscription" and args["cadence"] == "monthly" and args["next_renewal"] == "2026-12-12", args


def test_malay_gift_for_mom_is_the_users() -> None:
    name, args = _one("beli hadiah untuk mak 45")
    assert name == "log_expense" and args["category"] == "Gifts & Donations", args


@pytest.mark.parametrize(
    "text",
    [
        "suami aku beli kasut 200",
        "nak beli motor bulan depan 3000",
        "mio fratello ha speso 80 dollari per la cena",
        "comprerò un telefono da 900 dollari il mese prossimo",
    ],
)
def test_someone_elses_money_and_plans_write_nothing(text: str) -> None:
    assert not [c for c in play({"text": text}) if c["name"] in WRITE_TOOLS]


def test_indonesian_rupiah_stays_indonesian() -> None:
    lang = identify("beli kopi 25rb")
    assert lang is not None and lang.name == "indonesian_malay"
    calls = understand("bayar parkir 5.000 di mall", NLUContext(today=TODAY)).calls
    assert [c.args["amount"] for c in calls] == ["5000.00"]
    assert play({"text": "bayar parkir 5.000 di mall"}) == []
