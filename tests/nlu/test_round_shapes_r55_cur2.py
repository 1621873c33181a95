"""The currencies and number groupings blind round 55 found, said in the team's own words (the rounds are not
training data): thousands grouped with a space before any currency's name or mark ("2 350 dollars" is one sum, in
English too); "dollars and 50" cents; Ethiopia's birr, Laos's kip (a plain price), Algeria's "DA" and dinars
settled by an Algerian word, Bahrain's "BD" and its fils, Honduras's "Lps." and "L.", Zambia's "K" glued to the
sum (settled by a Zambian word, else asked); a correction said with "pardon me" and a currency's name. A call
counts only if the write-safety policy would let it run unasked (``play``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.nlu.rounds_support import play


def _entries(text: str, setup: tuple[str, ...] = ()) -> list[tuple[str, Decimal, str | None]]:
    return [
        (c["name"], Decimal(str(c["args"].get("amount") or c["args"].get("rate"))), c["args"].get("currency"))
        for c in play({"text": text, "setup": list(setup)})
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my paycheck landed this morning, 2 350 dollars", [("log_income", Decimal("2350"), None)]),
        ("couch from the thrift store 1 275 dollars", [("log_expense", Decimal("1275"), None)]),
        ("groceries at the superette 3 450 DA", [("log_expense", Decimal("3450"), "DZD")]),
        ("paid 12 000 dinars for the Djezzy and Sonelgaz bills", [("log_expense", Decimal("12000"), "DZD")]),
        ("bought new brake pads for 6 500 DA", [("log_expense", Decimal("6500"), "DZD")]),
    ],
)
def test_space_grouped_thousands_before_a_money_word(
    text: str, expected: list[tuple[str, Decimal, str | None]]
) -> None:
    assert _entries(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ordered 2 500 sheets of paper for 40",
        "a 1 850ml bottle of shampoo for 9",
        "got 2 100 dollar bills from the atm",
        "rent for Nov 1 950 dollars",  # the 1st of November, then the sum
    ],
)
def test_space_grouped_counts_stay_counts(text: str) -> None:
    assert all(Decimal(str(c["args"].get("amount", 0))) < 1000 for c in play({"text": text, "setup": []}))


def test_dollars_and_cents_said_after() -> None:
    assert _entries("picked up cough syrup at Walgreens 14 dollars and 75") == [("log_expense", Decimal("14.75"), None)]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Paid 120 birr for a bajaj ride", Decimal("120")),
        ("my monthly wage came in, 31,000 birr", Decimal("31000")),
        ("bought coffee beans at Merkato for 640 birr", Decimal("640")),
    ],
)
def test_ethiopian_birr(text: str, amount: Decimal) -> None:
    assert [(a, c) for _, a, c in _entries(text)] == [(amount, "ETB")]


def test_birr_rate() -> None:
    assert _entries("1 dollar is roughly 150 birr now, use that rate")[0][0::2] == ("set_exchange_rate", "ETB")


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("noodle soup 45.000 kip and a tuk-tuk 70.000 kip", [Decimal("45000"), Decimal("70000")]),
        ("fruit at the night market 25k kip", [Decimal("25000")]),
    ],
)
def test_lao_kip_as_a_plain_price(text: str, amounts: list[Decimal]) -> None:
    calls = play({"text": text, "setup": []})
    assert [Decimal(str(c["args"]["amount"])) for c in calls] == amounts
    assert {c["args"].get("currency") for c in calls} == {"LAK"}


def test_kip_alone_is_no_money() -> None:
    calls = play({"text": "grabbed 2 kip on the train, then dinner 20", "setup": []})
    assert all(c["args"].get("currency") != "LAK" for c in calls)


def test_bahraini_dinar_and_fils() -> None:
    assert _entries("tea 400 fils then a wrap BD 1.750") == [
        ("log_expense", Decimal("0.4"), "BHD"),
        ("log_expense", Decimal("1.75"), "BHD"),
    ]
    assert _entries("BD 9.250 for groceries at the Seef mall") == [("log_expense", Decimal("9.25"), "BHD")]
    assert _entries("1 BD = 2.66 USD, set it as the rate") == [("set_exchange_rate", Decimal("2.66"), "BHD")]


def test_a_bedroom_is_no_bahraini_dinar() -> None:
    assert all(c["args"].get("currency") != "BHD" for c in play({"text": "rent for the 2 bd flat 1100", "setup": []}))


def test_fils_alone_is_asked() -> None:
    assert play({"text": "parking meter 700 fils", "setup": []}) == []


def test_honduran_lempiras() -> None:
    assert _entries("bus ticket in Tegucigalpa L. 85.00") == [("log_expense", Decimal("85"), "HNL")]
    assert _entries("Lps. 240 at the pulperia for rice and beans") == [("log_expense", Decimal("240"), "HNL")]
    assert play({"text": "the cab was L. 300", "setup": []}) == []  # whose "L."? asked
    # the pulperia is Central America's corner shop: what is bought there is groceries, coffee too
    assert (
        play({"text": "at the pulperia I got coffee and eggs for Lps. 95", "setup": []})[0]["args"]["category"]
        == "Groceries"
    )


def test_zambian_kwacha_glued() -> None:
    assert _entries("nshima and beans K45 and a bus to Kitwe K120") == [
        ("log_expense", Decimal("45"), "ZMW"),
        ("log_expense", Decimal("120"), "ZMW"),
    ]
    assert play({"text": "K40 data bundle", "setup": []}) == []  # kwacha, kina or kyat: asked
    assert _entries("K12 school supplies 85") == [("log_expense", Decimal("85"), None)]  # a grade, not money


def test_correction_with_pardon_and_a_currency_name() -> None:
    setup = ("Lps. 300 at the pulperia for eggs and tortillas",)
    assert _entries("Pardon, it was 340 lempiras, I forgot the butter", setup) == [
        ("update_transaction", Decimal("340"), None)
    ]
