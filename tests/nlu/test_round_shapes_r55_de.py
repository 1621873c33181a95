"""German as a first-class language, which blind round 55 found refused ("English only") or asked: read through its
English gloss (``nlu/languages.py``, ``data/languages.yaml``), in the team's own words (the rounds are not training
data). Spending with comma decimals and the day, income arrived, a budget and a goal named by a hyphened compound,
a subscription with its yearly price and renewal day ("15. März"), a reminder's lead time, the spending and budget
questions with their dates, a purchase check, a new category, monthly income with dot-grouped thousands and a
correction. Someone else's money and a plan in German write nothing. A call counts only if the write-safety policy
would let it run unasked.
"""

from __future__ import annotations

from typing import Any

from tests.nlu.rounds_support import TODAY, play


def _one(text: str, setup: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    calls = play({"text": text, "setup": setup or []})
    assert len(calls) == 1, (text, calls)
    return calls[0]["name"], calls[0]["args"]


def test_german_expense_with_comma_decimals_and_the_day() -> None:
    name, args = _one("Hab gestern 27,35 $ bei Trader Joe's gelassen, Lebensmittel")
    assert name == "log_expense" and args["amount"] == "27.35" and args["category"] == "Groceries", args
    assert args["date"] == "2026-12-05", args


def test_german_expense_led_by_the_shop_kind() -> None:
    name, args = _one("Apotheke: 9,40 $ für Nasenspray und Pflaster")
    assert name == "log_expense" and args["amount"] == "9.40" and args["category"] == "Health", args


def test_german_last_night_is_yesterday() -> None:
    name, args = _one("Gestern Abend Pizza mit Freunden, 31,50 $ mit Trinkgeld")
    assert name == "log_expense" and args["amount"] == "31.50" and args["date"] == "2026-12-05", args


def test_german_income_arrived() -> None:
    name, args = _one("Die Steuerrückerstattung ist eingegangen: 1.180 $")
    assert name == "log_income" and args["amount"] == "1180.00", args


def test_german_budget_named_by_a_compound() -> None:
    assert _one("setz mein Groceries-Budget auf 420 Dollar pro Monat") == (
        "set_budget",
        {"category": "Groceries", "amount": "420.00"},
    )


def test_german_yearly_subscription_with_its_renewal_day() -> None:
    name, args = _one("Trag mein Audible-Abo ein: 150 $ im Jahr, nächste Verlängerung am 15. März")
    assert name == "add_subscription" and args["name"].startswith("Audible") and args["amount"] == "150.00", args
    assert args["cadence"] == "yearly" and args["next_renewal"] == "2027-03-15", args


def test_german_subscription_price_now() -> None:
    name, args = _one("Spotify kostet jetzt 12,99 statt 10,99")
    assert name == "update_subscription" and args == {"name": "Spotify", "amount": "12.99"}, args


def test_german_reminder_lead_time_for_a_subscription() -> None:
    assert _one("Erinnere mich beim Netflix bitte zwei Tage vorher") == (
        "update_subscription",
        {"name": "Netflix", "remind_days_before": 2},
    )


def test_a_reminder_for_a_named_bill_said_before_the_lead_time_in_english() -> None:
    assert _one("remind me about the gym please just 3 days before") == (
        "update_subscription",
        {"name": "gym", "remind_days_before": 3},
    )


def test_german_goal_then_money_put_into_it() -> None:
    setup = "Setz ein Sparziel: 2.500 $ für die Japan-Reise"
    name, args = _one(setup)
    assert name == "set_goal" and args["target_amount"] == "2500.00" and "Japan" in args["name"], args
    assert _one("und pack noch 120 drauf", [setup]) == (
        "contribute_to_goal",
        {"name": args["name"], "amount": "120.00"},
    )


def test_german_goal_progress_named_by_a_compound() -> None:
    assert _one("Wie weit bin ich beim Fahrrad-Ziel?") == ("goal_progress", {"name": "Fahrrad"})


def test_german_spending_questions_with_their_dates() -> None:
    name, args = _one("Was habe ich letzten Monat insgesamt ausgegeben?")
    assert name == "spending_summary" and args["start"] == "2026-11-01" and args["end"] == "2026-11-30", args
    name, args = _one("Wie viel hab ich seit letztem Montag fürs Essengehen ausgegeben?")
    assert name == "spending_summary" and args["start"] == "2026-11-30" and args["category"] == "Dining", args


def test_german_budget_question_and_insights() -> None:
    assert _one("Wie sieht mein Budget für Lebensmittel diesen Monat aus?") == (
        "budget_summary",
        {"month": TODAY.strftime("%Y-%m"), "category": "Groceries"},
    )
    assert _one("Zeig mir mal ein paar Insights zu diesem Monat") == ("get_insights", {"month": "2026-12"})


def test_german_purchase_checks() -> None:
    name, args = _one("Kann ich mir ein neues Tablet für 450 $ leisten?")
    assert name == "check_purchase" and args["amount"] == "450.00", args
    name, args = _one("Soll ich mir die Kopfhörer für 180 $ kaufen oder lieber warten?")
    assert name == "check_purchase" and args["amount"] == "180.00", args


def test_german_last_expense_new_category_and_monthly_income() -> None:
    assert _one("Was war meine letzte Ausgabe?") == ("list_transactions", {"limit": 1})
    assert _one("Neue Kategorie 'Garten' bitte, Notwendigkeit 4") == (
        "create_category",
        {"name": "Garten", "necessity_score": 4},
    )
    assert _one("Mein Nettoeinkommen liegt bei 3.650 $ im Monat") == ("set_monthly_income", {"amount": "3650.00"})


def test_german_correction_of_the_last_entry() -> None:
    name, args = _one("Falsch, das waren 64, nicht 46", ["Hab heute 46 $ für Bücher ausgegeben"])
    assert name == "update_transaction" and args["amount"] == "64.00", args


def test_someone_elses_money_and_plans_in_german_write_nothing() -> None:
    assert play({"text": "Mein Bruder hat gestern 90 $ im Baumarkt ausgegeben"}) == []
    assert play({"text": "Meine Freundin hat 45 $ für Kino bezahlt"}) == []
    assert play({"text": "Ich will nächsten Monat ein Sofa für 900 $ kaufen"}) == []
    assert play({"text": "Ich werde morgen 60 $ für Tanken ausgeben"}) == []


def test_german_subscriptions_list() -> None:
    assert _one("Welche Abonnements laufen bei mir gerade?") == ("list_subscriptions", {})
