"""Brazilian Portuguese as a first-class language, and Hinglish (romanised Hindi mixed with English), which blind
round 53 found refused ("English only") or misread: read through their English gloss (``nlu/languages.py``,
``data/languages.yaml``), in the team's own words (the rounds are not training data). Portuguese: spent, received,
a goal and money put into it, monthly income with dot-grouped thousands, a purchase check, spending questions
and its dates; Costa Rica's "rojos" (thousand-colón notes). Hinglish: spending questions with their dates, a
purchase check, money paid yesterday and a day's list; money owed tomorrow is never written. A call counts
only if the write-safety policy would let it run unasked.
"""

from __future__ import annotations

from typing import Any

from tests.nlu.rounds_support import TODAY, play, runs_unasked


def _one(text: str, setup: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    calls = play({"text": text, "setup": setup or []})
    assert len(calls) == 1, (text, calls)
    return calls[0]["name"], calls[0]["args"]


def test_portuguese_expense_in_colones_with_the_day() -> None:
    name, args = _one("paguei ₡6.200 no mercado ontem, só arroz e feijão")
    assert name == "log_expense" and args["amount"] == "6200.00" and args["currency"] == "CRC", args
    assert args["category"] == "Groceries" and args["date"] == "2026-12-05", args


def test_thousand_colon_notes_said_as_rojos_are_colones() -> None:
    name, args = _one("gastei 3 rojos num almoço em Heredia")
    assert name == "log_expense" and args["amount"] == "3000.00" and args["currency"] == "CRC", args
    assert args["category"] == "Dining", args


def test_this_morning_in_portuguese_is_today() -> None:
    name, args = _one("comprei remédio na farmácia hoje cedo, 45 dólares")
    assert name == "log_expense" and args["amount"] == "45.00" and args["date"] == TODAY.isoformat(), args


def test_portuguese_income_received_yesterday() -> None:
    name, args = _one("recebi 650 dólares de um cliente ontem")
    assert name == "log_income" and args["amount"] == "650.00" and args["date"] == "2026-12-05", args


def test_portuguese_goal_then_money_put_into_it() -> None:
    setup = "quero guardar 1.500 dólares pra viagem pro Chile em março"
    name, args = _one(setup)
    assert name == "set_goal" and args["target_amount"] == "1500.00" and "Chile" in args["name"], args
    assert _one("bota 90 nessa meta", [setup]) == ("contribute_to_goal", {"name": args["name"], "amount": "90.00"})


def test_portuguese_monthly_income_with_dot_grouped_thousands() -> None:
    assert _one("minha renda mensal é 2.750 dólares") == ("set_monthly_income", {"amount": "2750.00"})


def test_portuguese_purchase_check() -> None:
    name, args = _one("posso comprar um celular de 480 dólares ou é loucura?")
    assert name == "check_purchase" and args["amount"] == "480.00", args


def test_portuguese_spending_questions_and_their_dates() -> None:
    name, args = _one("quanto gastei com gasolina desde o começo do ano?")
    assert name == "spending_summary" and args["start"] == "2026-01-01" and args["category"] == "Transport", args
    name, args = _one("quanto gastei no mês passado?")
    assert name == "spending_summary" and args["start"] == "2026-11-01" and args["end"] == "2026-11-30", args


def test_a_portuguese_plan_writes_nothing() -> None:
    assert runs_unasked("vou comprar uma geladeira de 900 dólares mês que vem") == []


def test_hinglish_spending_questions_with_their_dates() -> None:
    name, args = _one("pichle hafte petrol pe kitna gaya?")
    assert name == "spending_summary" and args["category"] == "Transport", args
    assert args["start"] == "2026-11-29", args  # as "last week" reads in English
    name, args = _one("kal se ab tak kitna kharch hua yaar")
    assert name == "spending_summary" and args["start"] == "2026-12-05", args
    name, args = _one("is mahine khana pe kitna kharcha hua?")
    assert name == "spending_summary" and args["start"] == "2026-12-01" and args["category"] == "Dining", args


def test_hinglish_purchase_check() -> None:
    name, args = _one("kya main 1200 dollar ka laptop le sakti hoon?")
    assert name == "check_purchase" and args["amount"] == "1200.00" and "laptop" in args["item"].lower(), args


def test_hinglish_spent_yesterday_is_logged_and_money_owed_tomorrow_is_not() -> None:
    # read as English is: a sum with no currency is the user's own; "kal ... diye" (paid) is yesterday
    name, args = _one("kal chai pe 40 diye")
    assert name == "log_expense" and args["amount"] == "40.00" and args["date"] == "2026-12-05", args
    assert args["category"] == "Dining", args
    # money owed tomorrow is a plan: nothing is written
    assert runs_unasked("kal 400 dene hain kiraya ke") == []


def test_a_hinglish_list_of_the_day_s_spending_is_each_logged() -> None:
    calls = play({"text": "aaj ka hisaab: auto 60, dinner 22 aur ek pen 3"})
    assert [(c["name"], c["args"]["amount"]) for c in calls] == [
        ("log_expense", "60.00"),
        ("log_expense", "22.00"),
        ("log_expense", "3.00"),
    ], calls


def test_someone_else_s_money_in_hinglish_writes_nothing() -> None:
    assert runs_unasked("meri behan ne 250 diye bijli ke bill pe") == []
    assert runs_unasked("bhaiya ne kal 90 dollar kharch kiye") == []
