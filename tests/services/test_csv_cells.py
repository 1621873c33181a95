"""CSV cells: money and dates as bank exports write them, and what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.services.csv_io import (
    DateHints,
    parse_date_cell,
    parse_money_cell,
)

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("raw", "value", "currency"),
    [
        ("$1,234.56", "1234.56", None),
        ("-45.00", "-45.00", None),
        ("(12.50)", "-12.50", None),
        ("1.234,56 €", "1234.56", "EUR"),
        ("-€8", "-8", "EUR"),
        ("£ 3.10", "3.10", "GBP"),
        ("USD 12.00", "12.00", "USD"),
        ("12.00 CHF", "12.00", "CHF"),
        ("CA$5.00", "5.00", "CAD"),
        ("45.00-", "-45.00", None),
        ("−7.25", "-7.25", None),
        ("+3", "3", None),
        ("1 234,56", "1234.56", None),
        ("1'234.50", "1234.50", None),
        ("12,5", "12.5", None),
        ("1,234", "1234", None),
        ("$(4.00)", "-4.00", None),
        ("25.00 DR", "-25.00", None),
        ("25.00 CR", "25.00", None),
    ],
)
def test_money_cells(raw: str, value: str, currency: str | None) -> None:
    assert parse_money_cell(raw) == (Decimal(value), currency)


def test_money_cells_with_a_decimal_comma_file() -> None:
    assert parse_money_cell("1,234", comma_decimal=True)[0] == Decimal("1.234")
    assert parse_money_cell("1.234", comma_decimal=True)[0] == Decimal("1234")


@pytest.mark.parametrize("raw", ["abc", "12abc", "1e5", "--5", "-5-", "$", "1,2,3.4.5", "€5 $", "12.", "EUR 5 GBP"])
def test_bad_money_cells(raw: str) -> None:
    with pytest.raises(Exception) as err:
        parse_money_cell(raw)
    assert "is not a number" in str(err.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-14", dt.date(2026, 3, 14)),
        ("2026-03-14T09:30:00Z", dt.date(2026, 3, 14)),
        ("2026/03/14", dt.date(2026, 3, 14)),
        ("03/14/2026", dt.date(2026, 3, 14)),
        ("3/4/2026", dt.date(2026, 3, 4)),
        ("03/14/26", dt.date(2026, 3, 14)),
        ("14.03.2026", dt.date(2026, 3, 14)),
        ("04.03.2026", dt.date(2026, 3, 4)),
        ("20260314", dt.date(2026, 3, 14)),
        ("Mar 14, 2026", dt.date(2026, 3, 14)),
        ("March 14th, 2026", dt.date(2026, 3, 14)),
        ("14 March 2026", dt.date(2026, 3, 14)),
        ("14-Mar-26", dt.date(2026, 3, 14)),
        ("Sat, 14 Mar 2026", dt.date(2026, 3, 14)),
        ("Sept 1, 2026", dt.date(2026, 9, 1)),
        ("03/14/2026 10:32 AM", dt.date(2026, 3, 14)),
    ],
)
def test_date_cells(raw: str, expected: dt.date) -> None:
    assert parse_date_cell(raw, DateHints(), today=TODAY) == expected


@pytest.mark.parametrize("raw", ["2026-02-30", "02/30/2026", "31.04.2026", "Feb 30, 2026", "13/13/2026"])
def test_impossible_date_cells(raw: str) -> None:
    with pytest.raises(Exception) as err:
        parse_date_cell(raw, DateHints(), today=TODAY)
    assert "not a real calendar date" in str(err.value)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=3, allow_nan=False), st.booleans())
def test_formatted_amounts_parse_back(value: Decimal, european: bool) -> None:
    cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if cents == 0:
        return
    whole, frac = f"{cents:.2f}".split(".")
    grouped = f"{int(whole):,}"
    text = f"{grouped.replace(',', '.')},{frac} €" if european else f"-${grouped}.{frac}"
    parsed, currency = parse_money_cell(text)
    assert abs(parsed) == cents
    assert currency == ("EUR" if european else None)


def test_malformed_grouping_is_not_read_as_a_number() -> None:
    """'12.5.3' is a typo, not 1,253: the row must be reported, not imported as a big amount."""
    from assistant.services.csv_cells import RowError, parse_money_cell

    with pytest.raises(RowError):
        parse_money_cell("12.5.3")
    assert parse_money_cell("1.234.567")[0] == Decimal("1234567")
