"""Spanish and French read as first-class languages (blind round 49 found Peruvian, Latin-American and Moroccan
requests answered "English only" or only asked): every tool's request shape, dates and chat fillers glossed
(``data/languages.yaml``), and a sum said with no currency is the user's own, as in English. Sentences in the
team's own words. The same safety: someone else's money, a plan, a short mark the recognisers do not read
("dh") and a cancellation said about someone else never write unasked.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.languages import gloss, identify
from tests.nlu.rounds_support import TODAY, play, runs_unasked

WRITES = {
    "log_expense",
    "log_income",
    "update_transaction",
    "delete_transaction",
    "set_budget",
    "set_goal",
    "add_subscription",
    "update_subscription",
    "cancel_subscription",
    "set_monthly_income",
}


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("pagué 42 de luz", "log_expense", {"amount": "42.00", "category": "Utilities"}),
        ("taxi al aeropuerto 30 dólares, q caro pe", "log_expense", {"amount": "30.00", "category": "Transport"}),
        ("hier j'ai payé 15 au coiffeur", "log_expense", {"amount": "15.00", "date": "2026-12-05"}),
        ("anteayer almuerzo 18 porfa", "log_expense", {"amount": "18.00", "date": "2026-12-04"}),
        ("avant-hier j'ai payé 22 au resto", "log_expense", {"amount": "22.00", "date": "2026-12-04"}),
        ("j'ai payé 1 500 € de loyer", "log_expense", {"amount": "1500.00", "currency": "EUR"}),
        ("me depositaron 640 por un cachuelo", "log_income", {"amount": "640.00"}),
        ("gano como 3100 al mes en el trabajo", "set_monthly_income", {"amount": "3100.00"}),
        ("pon un presupuesto de 90 pa transporte", "set_budget", {"amount": "90.00", "category": "Transport"}),
        ("ponme 75 de presupuesto pa entretenimiento", "set_budget", {"category": "Entertainment"}),
        ("quiero ahorrar 2000 pa un viaje", "set_goal", {"target_amount": "2000.00"}),
        (
            "agrega disney plus 8.99 mensual, se renueva el 20",
            "add_subscription",
            {"amount": "8.99", "cadence": "monthly", "next_renewal": "2026-12-20"},
        ),
        ("avísame 2 días antes de que se renueve netflix", "update_subscription", {"remind_days_before": 2}),
        ("mi netflix ahora se cobra el 28, cámbialo", "update_subscription", {"next_renewal": "2026-12-28"}),
    ],
)
def test_a_spanish_or_french_write_runs_as_english_would(text: str, tool: str, args: dict[str, Any]) -> None:
    calls = runs_unasked(text)
    assert [c["name"] for c in calls] == [tool], (text, calls)
    assert all(calls[0]["args"].get(k) == v for k, v in args.items()), calls[0]["args"]


@pytest.mark.parametrize(
    ("text", "tool", "amount"),
    [
        ("no era 45.50", "update_transaction", "45.50"),
        ("noo era 47", "update_transaction", "47.00"),
        ("non c'était 61,20", "update_transaction", "61.20"),
        ("bórralo, estaba repetido", "delete_transaction", None),
    ],
)
def test_a_correction_or_a_deletion_changes_the_entry_just_made(text: str, tool: str, amount: str | None) -> None:
    calls = play({"setup": ["spent 52 on groceries at Kroger"], "text": text})
    assert [c["name"] for c in calls] == [tool], calls
    assert calls[0]["args"].get("amount") == amount, calls


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("cuánto gasté en comida el mes pasado", "spending_summary", {"start": "2026-11-01", "end": "2026-11-30"}),
        ("cuanto llevo gastado este año", "spending_summary", {"start": "2026-01-01"}),
        ("cuánto gasté en uber desde el jueves", "spending_summary", {"start": "2026-12-03"}),
        ("combien j'ai dépensé depuis le début de l'année", "spending_summary", {"start": "2026-01-01"}),
        ("cual fue mi ultimo gasto", "list_transactions", {}),
        ("¿cómo voy esta semana?", "budget_summary", {}),
        ("donne-moi un résumé de mes dépenses", "get_insights", {}),
        ("¿puedo comprarme unos audífonos de 150 o mejor no?", "check_purchase", {"amount": "150.00"}),
    ],
)
def test_a_question_in_spanish_or_french_is_answered(text: str, tool: str, args: dict[str, Any]) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    overview = {"get_insights", "budget_summary"}  # "how am I doing" is answered by either
    assert [c.name for c in calls] == [tool] or (tool in overview and [c.name for c in calls][:1] <= [*overview]), calls
    assert all(calls[0].args.get(k) == v for k, v in args.items()), calls[0].args


@pytest.mark.parametrize(
    "text",
    [
        "mi tío pagó 300 por la cena",
        "mi hermana canceló netflix",
        "quiero comprar una bici de 400",
        "la vi a 90 pero al final no la compré",
        "vi unas botas a 120 pero no las compré",
        "voy a pagar 70 de gas mañana",
        "mon cousin a payé 80 pour le resto",
        "j'ai payé 300 dh au marché",  # a mark the recognisers do not read: asked, never dollars unasked
    ],
)
def test_someone_elses_money_plans_and_unread_marks_write_nothing_unasked(text: str) -> None:
    assert not [c for c in runs_unasked(text) if c["name"] in WRITES], text


def test_the_gloss_reads_dates_fillers_and_days_of_the_month() -> None:
    es = identify("pagué 20 el sabado pe")
    assert es is not None and es.name == "spanish"
    assert gloss("pagué 20 el sabado pe", es).split() == ["paid", "20", "on", "saturday"]
    assert "renews on the 5th" in gloss("se cobra el 5", es)
    fr = identify("j'ai payé 2 000 dh à mon cousin")
    assert fr is not None and gloss("j'ai payé 2 000 dh", fr) == "i paid 2000 dh"


@pytest.mark.parametrize(
    "text",
    [
        "Mi hermano paid $300 for his car insurance, wow",
        "mi tía spent $80 at Target yesterday",
        "mon frère a payé 40 € le resto",
    ],
)
def test_a_spanish_or_french_word_for_someone_in_english_is_still_someone_else(text: str) -> None:
    assert not [c for c in runs_unasked(text) if c["name"] in WRITES], text


@pytest.mark.parametrize("text", ["hei hei, snakkes i morgen da", "takk for hjelpen, jeg kjøpte den ikke"])
def test_norwegian_small_talk_is_told_english_only_and_reads_nothing(text: str) -> None:
    out = understand(text, NLUContext(today=TODAY))
    assert not out.calls and "English only" in (out.reply or ""), out


def test_a_merchant_said_in_english_keeps_its_case_beside_a_spanish_word() -> None:
    calls = runs_unasked("Dinner at Nobu with mi novia $120")
    assert [(c["name"], c["args"].get("merchant")) for c in calls] == [("log_expense", "Nobu")], calls


@pytest.mark.parametrize(
    ("text", "amount"), [("taxi to south station 22 dolares", "22.00"), ("lunch 14 dólares", "14.00")]
)
def test_a_spanish_currency_name_in_english_is_money(text: str, amount: str) -> None:
    calls = runs_unasked(text)
    assert [(c["name"], c["args"]["amount"]) for c in calls] == [("log_expense", amount)], calls
