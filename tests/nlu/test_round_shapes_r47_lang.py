"""Messages mostly in another language (blind rounds 47 and 48 found them refused as "English only", only asked,
or, wholly in Swedish or Czech, written as expenses): read word by word through their English gloss
(``nlu/languages.py``, ``data/languages.yaml``), in the team's own words (the rounds are not training data).

The policy under test: a write from another language runs unasked only when nearly all its words are known and
its sum is read one way (a currency read as one, no currency code left unread, no dot-grouped thousands left
ambiguous) or it corrects the entry just made; otherwise the exact action is asked. Someone else's money, a
plan, a question and a price seen write nothing, as in English. A call counts only if the write-safety policy
would let it run unasked.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu import NLUContext, understand
from assistant.nlu.languages import gloss, identify
from tests.nlu.rounds_support import TODAY, play, runs_unasked

WRITES = {"log_expense", "log_income", "update_transaction", "set_exchange_rate", "set_goal", "add_subscription"}


@pytest.mark.parametrize(
    ("text", "tool", "amount", "currency", "category"),
    [
        ("gasté 18 euros en la farmacia", "log_expense", "18.00", "EUR", "Health"),
        ("j'ai payé 12 € pour le déjeuner", "log_expense", "12.00", "EUR", "Dining"),
        ("ich habe 30 € für Tanken bezahlt", "log_expense", "30.00", "EUR", "Transport"),
        ("ho speso 20 euro per la benzina", "log_expense", "20.00", "EUR", "Transport"),
        ("paguei 35 reais no uber", "log_expense", "35.00", "BRL", "Transport"),
        ("köpte mat för 230 kr på ICA", "log_expense", "230.00", "SEK", "Groceries"),
        ("tram ke kantor $2.50 wkwk", "log_expense", "2.50", None, "Transport"),
        ("mua xang 6 usd cho xe", "log_expense", "6.00", "USD", "Transport"),
        ("Netflix me cobró 7,99 € este mes", "log_expense", "7.99", "EUR", "Subscriptions"),
        ("farmácia 42 reais, remédio pra gripe", "log_expense", "42.00", "BRL", "Health"),
        ("ICA-handling 412 kr idag", "log_expense", "412.00", "SEK", "Groceries"),
        ("me pagaron el sueldo, 2.300 €", "log_income", "2300.00", "EUR", None),
        ("me cayó la quincena, 9.500 MXN", "log_income", "9500.00", "MXN", None),
        ("recebi 1.500 reais de salário hoje", "log_income", "1500.00", "BRL", None),
    ],
)
def test_an_entry_said_in_another_language_with_its_currency_is_written(
    text: str, tool: str, amount: str, currency: str | None, category: str | None
) -> None:
    calls = runs_unasked(text)
    assert [c["name"] for c in calls] == [tool], (text, calls)
    args = calls[0]["args"]
    assert args["amount"] == amount and args.get("currency") == currency, args
    if category is not None:
        assert args["category"] == category, args


def test_a_client_paying_me_in_spanish_is_income() -> None:
    calls = runs_unasked("un cliente de Chile me pagó 950 USD por el diseño del logo")
    assert [(c["name"], c["args"]["amount"], c["args"].get("currency")) for c in calls] == [
        ("log_income", "950.00", "USD")
    ]


@pytest.mark.parametrize(
    ("before", "text", "amount"),
    [
        ("köpte mat för 230 kr på ICA", "fel, det var 120 kr", "120.00"),
        ("mua xang 6 usd cho xe", "doi thanh 7 usd", "7.00"),
        ("tram ke kantor $2.50 wkwk", "eh salah, 3.75", "3.75"),
    ],
)
def test_a_correction_in_another_language_changes_the_last_entry(before: str, text: str, amount: str) -> None:
    calls = play({"setup": [before], "text": text})
    assert [(c["name"], c["args"].get("amount")) for c in calls] == [("update_transaction", amount)], calls


def test_a_rate_said_in_spanish_reads_its_dot_grouped_thousands() -> None:
    # "3.950 pesos" is three thousand nine hundred and fifty where dots group thousands; a user with COP
    # (a rate under 0.001 keeps six significant digits: 1 / 3950)
    calls = runs_unasked("hoy el dólar está a 3.950 pesos, úsalo", frozenset({"COP"}))
    assert [(c["name"], c["args"]) for c in calls] == [
        ("set_exchange_rate", {"currency": "COP", "rate": "0.000253165"})
    ]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("beli kopi susu 28rb", "28000.00"),  # "rb" (ribu) is thousands
        ("bayar parkir 5.000 di mall", "5000.00"),
        ("pagué 45.000 COP de taxi al aeropuerto", "45000.00"),
    ],
)
def test_sums_read_the_way_the_language_writes_them(text: str, amount: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.args["amount"] for c in calls if c.name == "log_expense"] == [amount], calls


@pytest.mark.parametrize(
    "text",
    [
        # a currency code the recognisers did not read, a word several countries share, a sum with no currency
        # written with a separator where dots group thousands: asked, never written as something else
        "pagué 45.000 COP de taxi al aeropuerto",
        "me pagaron 7,500 pesos por la traducción",
        "almuerzo con el equipo 1,250",
    ],
)
def test_a_sum_that_may_be_read_two_ways_is_asked_first(text: str) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert calls, text
    assert all(c.args.get("currency") in (None, "COP") or c.confidence < 0.8 for c in calls), calls
    assert not [c for c in runs_unasked(text) if c["name"] in WRITES and c["args"].get("currency") != "COP"]


@pytest.mark.parametrize(
    "text",
    [
        # someone else's money
        "mi hermana gastó 60 € en la cena",
        "mein Mann hat 80 € für das Essen ausgegeben",
        "min fru köpte en jacka för 1 200 kr",
        "chồng tôi mua xe 30 triệu",
        "meu marido comprou um celular de 2.000 reais",
        "mon frère a payé 50 € pour le resto",
        "suami beli motor 20 juta",
        "min kompis betalade 200 kr för middagen",
        "la cena de mi amigo costó 45 €, él pagó",
        # a plan, a question, a price seen and left
        "voy a gastar 200 € en regalos",
        "¿debería comprar un coche de 15.000 €?",
        "el iPhone cuesta 1.200 €, demasiado caro",
        "ska jag lägga 300 kr i månaden på en fond?",
        "kosztuje 300 zł, za drogo, nie kupiłam",
        # a gloss can miss a verb's tense; the plan word around it still says it was not bought
        "planuję kupić rower za 2000 zł",
        "balak kong bumili ng laptop, 40,000 pesos",
        "vou comprar um notebook de 3.000 reais mês que vem",
    ],
)
def test_someone_elses_money_plans_and_questions_in_another_language_write_nothing(text: str) -> None:
    assert not [c for c in runs_unasked(text) if c["name"] in WRITES], text


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("cuánto gasté en el súper este mes", "spending_summary", {"start": "2026-12-01"}),
        ("quanto gastei este mês?", "spending_summary", {"start": "2026-12-01", "end": "2026-12-06"}),
        ("cuánto me queda en el presupuesto de transporte", "budget_summary", {"category": "Transport"}),
        ("¿debería comprar una bici de 400 €?", "check_purchase", {"amount": "400.00"}),
    ],
)
def test_a_question_in_another_language_is_answered(text: str, tool: str, args: dict[str, Any]) -> None:
    calls = understand(text, NLUContext(today=TODAY)).calls
    assert [c.name for c in calls] == [tool], calls
    assert all(calls[0].args.get(k) == v for k, v in args.items()), calls[0].args


@pytest.mark.parametrize(
    "text",
    [
        "dinner at la cocina 45",
        "can u send 20 to sam",
        "tacos de pollo for the team 38",
        "spent 20 at Café de Flore",
    ],
)
def test_english_with_a_foreign_name_in_it_stays_english(text: str) -> None:
    assert identify(text) is None


def test_the_gloss_drops_fillers_and_reads_numbers_the_languages_way() -> None:
    lang = identify("beli kopi 25rb wkwk")
    assert lang is not None and lang.name == "indonesian_malay"
    assert gloss("beli kopi 25rb wkwk", lang).split() == ["bought", "coffee", "25000"]
    es = identify("el mercado de la semana 156.800")
    assert es is not None and "156800" in gloss("el mercado de la semana 156.800", es)
