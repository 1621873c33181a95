"""The kinds of money blind round 57 found written the local way (Angolan kwanzas with a thousands dot and
Portuguese "mil", Mozambican meticais "MT", Malawian "MK", Armenian drams, Namibian dollars and any sum
grouped with a space after a money verb or a dollar sign), in the team's own words (the round itself is not
training data). A call counts only if the write-safety policy would let it run unasked."""

from __future__ import annotations

import pytest

from assistant.nlu.amounts import find_amounts
from tests.nlu.rounds_support import only, play


def _money(text: str) -> tuple[str, str | None]:
    call = only(text)
    assert call["name"] == "log_expense", call
    return call["args"]["amount"], call["args"].get("currency")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("taxi 24 mil kz", "24000.00"),
        ("supermarket 41.750 Kz", "41750.00"),
        ("Kz 9.200 team dinner", "9200.00"),
        ("bread 650 Kz", "650.00"),
    ],
)
def test_kwanzas_with_a_thousands_dot_or_mil_are_whole_thousands(text: str, amount: str) -> None:
    assert _money(text) == (amount, "AOA")


def test_two_kwanza_sums_in_one_message_are_each_in_thousands() -> None:
    calls = play({"text": "bus 1.200 Kz, tyre repair 4.800 Kz"})
    assert [(c["args"]["amount"], c["args"].get("currency")) for c in calls] == [
        ("1200.00", "AOA"),
        ("4800.00", "AOA"),
    ]


def test_mil_alone_stays_a_number_where_no_lusophone_mark_follows() -> None:
    assert all(a.value < 1000 for a in find_amounts("the house went for 3 mil in the end"))


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("airtime top-up 300 MT", "300.00"),
        ("filled the tank 3.400 MT", "3400.00"),
        ("dinner at the marisqueira 1.780,50 MT", "1780.50"),
    ],
)
def test_meticais_written_mt_after_the_sum(text: str, amount: str) -> None:
    assert _money(text) == (amount, "MZN")


def test_mt_after_a_small_number_is_tonnes_not_money() -> None:
    assert all(a.currency != "MZN" for a in find_amounts("ordered 3 mt of sand, delivery 450"))


@pytest.mark.parametrize(
    ("text", "amount"),
    [("MK 12,600 for the market in Zomba", "12600.00"), ("paid MK 4,500 for the bus ticket", "4500.00")],
)
def test_malawian_kwacha_written_mk(text: str, amount: str) -> None:
    assert _money(text) == (amount, "MWK")


def test_a_car_models_mark_is_no_kwacha() -> None:
    assert all(c["args"].get("currency") != "MWK" for c in play({"text": "golf mk 6 service 420"}))


@pytest.mark.parametrize(
    ("text", "amount"),
    [("museum entry 2 500 dram", "2500.00"), ("taxi across town 2800 dram", "2800.00")],
)
def test_armenian_drams_said_by_name(text: str, amount: str) -> None:
    assert _money(text) == (amount, "AMD")


def test_a_dram_of_whisky_is_no_money() -> None:
    assert all(a.currency != "AMD" for a in find_amounts("poured a 2 dram glass"))


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("i paid 1 350 for the new fridge", "1350.00", None),
        ("spent $2 250 on the flights", "2250.00", None),
        ("the braai at the lodge came to N$2 340 with drinks", "2340.00", "NAD"),
        ("the plumber's bill was 4 800", "4800.00", None),
    ],
)
def test_space_thousands_after_a_money_verb_or_a_sign_are_one_sum(text: str, amount: str, currency: str | None) -> None:
    assert _money(text) == (amount, currency)


@pytest.mark.parametrize("text", ["paid $3 100 times over", "paid 2 150 each", "dinner for 2 150"])
def test_space_numbers_followed_by_a_count_stay_apart(text: str) -> None:
    assert all(c["args"].get("amount") not in ("3100.00", "2150.00") for c in play({"text": text}))


def test_a_named_place_someone_went_to_is_the_merchant_and_no_country_letter_joins_it() -> None:
    call = only("we went to Ana's Grillhouse for my son's birthday dinner and it came to N$2 340 with the tip")
    assert (call["args"]["amount"], call["args"]["currency"], call["args"].get("merchant")) == (
        "2340.00",
        "NAD",
        "Ana's Grillhouse",
    )
    assert only("bought shoes at Grove Mall N$ 640")["args"].get("merchant") == "Grove Mall"
