"""Taglish (Tagalog mixed with English, the way Filipinos text), which blind round 55 found refused ("English only")
or only asked: read through its English gloss as Hinglish is (``nlu/languages.py``, ``data/languages.yaml``), in
the team's own words (the rounds are not training data). Money paid, eaten, ridden and received; a subscription
added, cancelled, its reminder set and its plan changed; a purchase check and the purchase made after it; a goal
and money put into it; corrections said around their sum ("ay 45 pala"); spending questions and tips. Questions
never write; someone else's money, plans and a sum whose currency is not read write nothing unasked. A call counts
only if the write-safety policy would let it run unasked.
"""

from __future__ import annotations

from typing import Any

from tests.nlu.rounds_support import play, runs_unasked


def _one(text: str, setup: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    calls = play({"text": text, "setup": setup or []})
    assert len(calls) == 1, (text, calls)
    return calls[0]["name"], calls[0]["args"]


def test_taglish_bills_meals_rides_and_a_haircut_are_logged() -> None:
    name, args = _one("bayad sa tubig kanina, 18.20 dollars")
    assert name == "log_expense" and args["amount"] == "18.20" and args["category"] == "Utilities", args
    name, args = _one("kumain kami sa Mang Inasal, 22 dollars for 3 pax")
    assert name == "log_expense" and args["amount"] == "22.00" and args["category"] == "Dining", args
    name, args = _one("nag-grab ako papunta sa office, 9 dollars")
    assert name == "log_expense" and args["amount"] == "9.00" and args["category"] == "Transport", args
    name, args = _one("nagpagupit ako kahapon sa barberya, 12 dollars")
    assert name == "log_expense" and args["amount"] == "12.00" and args["date"] == "2026-12-05", args


def test_taglish_salary_came_in() -> None:
    name, args = _one("pumasok na yung sweldo ko, 1,150 dollars")
    assert name == "log_income" and args["amount"] == "1150.00", args


def test_taglish_correction_is_a_change_not_a_new_entry() -> None:
    setup = ["nagpagupit ako kanina, 10 dollars"]
    assert _one("ay 12 pala with tip", setup) == ("update_transaction", {"transaction_id": "last", "amount": "12.00"})
    assert _one("ay mali pala, 8.50 lang pala yun", setup) == (
        "update_transaction",
        {"transaction_id": "last", "amount": "8.50"},
    )


def test_taglish_purchase_check_then_bought() -> None:
    check = "pwede ko bang bilhin yung rice cooker, 85 dollars?"
    name, args = _one(check)
    assert name == "check_purchase" and args["amount"] == "85.00", args
    name, args = _one("sige bibilhin ko na, log mo na", [check])
    assert name == "log_expense" and args["amount"] == "85.00", args


def test_taglish_subscription_added_its_plan_changed_reminded_and_cancelled() -> None:
    add = "add ko yung Disney Plus 10.99 monthly, sa 15th nagre-renew"
    name, args = _one(add)
    assert name == "add_subscription" and args["amount"] == "10.99" and args["next_renewal"] == "2026-12-15", args
    name, args = _one("gawin mo na lang yearly, 109.99 per year", [add])
    assert name == "update_subscription" and args["cadence"] == "yearly" and args["amount"] == "109.99", args
    name, args = _one("paki-remind ako 3 days bago mag-renew si Spotify")
    assert name == "update_subscription" and args["remind_days_before"] == 3, args
    assert _one("cancel ko na yung Hulu, hindi ko na ginagamit") == ("cancel_subscription", {"name": "Hulu"})


def test_make_it_yearly_after_a_subscription_is_a_change_of_plan_not_a_new_one() -> None:
    add = "add Crunchyroll 7.99 monthly"
    name, args = _one("switch it to yearly, 79.99 a year", [add])
    assert name == "update_subscription" and args["cadence"] == "yearly" and args["amount"] == "79.99", args


def test_taglish_goal_then_money_put_into_it() -> None:
    goal = "mag-iipon ako ng 3000 dollars pang-tuition sa college"
    name, args = _one(goal)
    assert name == "set_goal" and args["target_amount"] == "3000.00", args
    name, args = _one("lagyan mo ng 120 ngayon", [goal])
    assert name == "contribute_to_goal" and args["amount"] == "120.00", args


def test_taglish_questions_answer_and_never_write() -> None:
    name, args = _one("magkano na nagastos ko sa Grab ngayong buwan?")
    assert name == "spending_summary" and args["start"] == "2026-12-01", args
    assert _one("anong tips mo para makatipid ngayong buwan?")[0] == "get_insights"


def test_taglish_that_is_not_the_user_s_own_writes_nothing() -> None:
    assert runs_unasked("bumili ng sapatos yung kapatid ko, 60 dollars") == []
    assert runs_unasked("balak kong bumili ng laptop, 900 dollars") == []
    # a sum marked with a currency the recognisers do not read is asked, never written in the user's own
    assert runs_unasked("bayad sa kuryente, QD 31.500") == []


def test_pesos_in_an_english_message_are_not_said_to_be_philippine() -> None:
    _, args = _one("tacos 85 pesos")
    assert args.get("currency") != "PHP", args


def test_make_it_yearly_with_no_subscription_just_added_adds_none() -> None:
    assert runs_unasked("change it to yearly, 59.99 a year") == []
    assert runs_unasked("ay gawin mo na lang monthly, 6.99") == []
