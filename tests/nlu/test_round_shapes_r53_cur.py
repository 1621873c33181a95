"""The currencies blind round 53 found, said in the team's own words (the rounds are not training data; these keep
the general fixes from sliding back): Jordan's dinar written "JD" (three decimal places: "12.750 JD" is twelve and
three quarters); Serbia's "din." and "dinars", settled by a Serbian place or shop (else asked, never Kuwait's on a
guess), with the dot grouping its thousands; a correction's sum read the way the entry it corrects was written;
Guatemala's quetzal glued to the number ("Q75", but "Q3" alone is a quarter); "lari" and "₾" for Georgia; East
Africa's "shs", asked unless the place or the user says whose. A call counts only if the write-safety policy would
let it run unasked (``play``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.nlu.rounds_support import play, runs_unasked


def _entries(text: str, setup: tuple[str, ...] = ()) -> list[tuple[str, Decimal, str | None]]:
    return [
        (c["name"], Decimal(str(c["args"]["amount"])), c["args"].get("currency"))
        for c in play({"text": text, "setup": list(setup)})
    ]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("minibus to campus 0.90 JD", Decimal("0.90")),
        ("falafel sandwiches 1.500 JD", Decimal("1.5")),
        ("paid the water bill, 17.650 JD", Decimal("17.65")),
        ("new sim card 5 JD", Decimal("5")),
    ],
)
def test_jordanian_dinar_letters(text: str, amount: Decimal) -> None:
    assert _entries(text) == [("log_expense", amount, "JOD")]


def test_jordanian_dinar_income_and_rate() -> None:
    assert [(c["name"], c["args"].get("currency")) for c in play({"text": "my uncle gave me 30 JD for eid"})] == [
        ("log_income", "JOD")
    ]
    assert play({"text": "note it: 1 JD = 1.40 usd"}) == [
        {"name": "set_exchange_rate", "args": {"currency": "JOD", "rate": "1.40"}}
    ]


def test_serbian_dinar_marks_and_grouping() -> None:
    assert _entries("paid the EPS electricity 4.780,40 din.") == [("log_expense", Decimal("4780.40"), "RSD")]
    assert _entries("groceries at Idea 2.350 din") == [("log_expense", Decimal("2350"), "RSD")]


def test_dinars_settled_by_a_serbian_word_in_another_piece() -> None:
    calls = _entries("spent 3.100 din. on shoes in Novi Sad and 450 dinars on lunch after")
    assert calls == [("log_expense", Decimal("3100"), "RSD"), ("log_expense", Decimal("450"), "RSD")]


@pytest.mark.parametrize("text", ["coffee with Jelena 320 dinars", "400 dinars for the cinema"])
def test_dinars_with_no_country_are_asked_or_the_users(text: str) -> None:
    assert play({"text": text}) == []  # Kuwait's, Serbia's, Jordan's ...: never written on a guess
    assert [c["args"].get("currency") for c in runs_unasked(text, frozenset({"RSD"}))] == ["RSD"]


@pytest.mark.parametrize(
    ("setup", "text", "amount"),
    [
        (("haircut at the salon 1.600 din.",), "sorry it was 1.800 not 1.600", "1800.00"),
        (("taxi home 2.900 din",), "oops it was 2.600", "2600.00"),
        (("parking in Jakarta Rp 15.000",), "it was 12.000 not 15.000", "12000.00"),
        (("cab in Amman 3.250 JD",), "it was 3.750 not 3.250", "3.75"),  # a third decimal place: as written
        (("snacks 4.50",), "it was 4.250 not 4.50", "4.25"),  # the user's dollars: as written
    ],
)
def test_a_correction_reads_the_sum_as_the_entry_was_written(setup: tuple[str, ...], text: str, amount: str) -> None:
    assert play({"text": text, "setup": list(setup)}) == [
        {"name": "update_transaction", "args": {"transaction_id": "last", "amount": amount}}
    ]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("chicken bus to antigua Q18", Decimal("18")),
        ("Q95 for groceries at la despensa", Decimal("95")),
        ("pupusas Q40", Decimal("40")),
    ],
)
def test_quetzal_glued_to_the_number(text: str, amount: Decimal) -> None:
    assert _entries(text) == [("log_expense", amount, "GTQ")]


def test_quetzal_list_and_correction() -> None:
    assert _entries("Q35 eggs at the market, Q80 phone credit") == [
        ("log_expense", Decimal("35"), "GTQ"),
        ("log_expense", Decimal("80"), "GTQ"),
    ]
    assert play({"text": "nah make it Q45 forgot the tip", "setup": ["pupusas Q40"]}) == [
        {"name": "update_transaction", "args": {"transaction_id": "last", "amount": "45.00"}}
    ]


@pytest.mark.parametrize(
    "text", ["Q4 estimated taxes paid 1200", "paid q2 taxes 800", "Audi Q7 brake pads 380", "Q8 oil change 300"]
)
def test_a_quarter_or_a_car_is_no_quetzal(text: str) -> None:
    assert all(c["args"].get("currency") != "GTQ" for c in play({"text": text}))


@pytest.mark.parametrize("text", ["bus fare Q5", "Q70 eggs and 2 avocados"])
def test_a_one_digit_quetzal_or_one_beside_another_number_is_asked(text: str) -> None:
    assert play({"text": text}) == []
    assert [c["args"].get("currency") for c in runs_unasked(text, frozenset({"GTQ"}))] == ["GTQ"]


def test_jd_before_a_number_is_the_shop() -> None:
    assert all(c["args"].get("currency") != "JOD" for c in play({"text": "new trainers at JD 60"}))


def test_quetzales_rate() -> None:
    [call] = play({"text": "1 dollar = 7.80 quetzales today"})
    assert call["name"] == "set_exchange_rate" and call["args"]["currency"] == "GTQ"


def test_georgian_lari() -> None:
    assert _entries("khinkali and lemonade 38 lari") == [("log_expense", Decimal("38"), "GEL")]
    assert _entries("₾12 for the metro card") == [("log_expense", Decimal("12"), "GEL")]
    assert play({"text": "for the record, 1 lari is now 0.36 US dollars"}) == [
        {"name": "set_exchange_rate", "args": {"currency": "GEL", "rate": "0.36"}}
    ]


def test_colones_sign_with_a_thousands_dot() -> None:
    assert _entries("gallo pinto breakfast ₡2.700") == [("log_expense", Decimal("2700"), "CRC")]


def test_shillings_written_shs() -> None:
    assert _entries("paid 2,500 shs for chapati in Kampala") == [("log_expense", Decimal("2500"), "UGX")]
    assert play({"text": "boda to work 4,000 shs"}) == []  # Kenya's, Uganda's or Tanzania's: asked
    assert [c["args"].get("currency") for c in runs_unasked("boda to work 4,000 shs", frozenset({"UGX"}))] == ["UGX"]
