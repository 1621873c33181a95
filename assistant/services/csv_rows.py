"""One data row of an imported CSV file read into its fields (``parse_row``), and its kind
(``row_kind``): steps 3 to 5 of ``csv_io``'s docstring, row by row. A problem is a ``RowError``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import InvalidInput
from ..models import TxKind, User
from ..money import check_currency, parse_amount
from .csv_cells import (
    DateHints,
    RowError,
    cell_of,
    kind_word,
    money_of,
    parse_date_cell,
    parse_money_cell,
    unescape_text,
)
from .transaction_fields import check_tx_date, clean_description, clean_merchant


@dataclass
class ParsedRow:
    line: int
    date: dt.date
    signed: Decimal | None = None  # from an amount column; None when debit/credit decided
    kind: TxKind | None = None  # decided by a type column or a debit/credit column
    amount: Decimal = Decimal("0")
    currency: str = "USD"
    description: str = ""
    merchant: str | None = None
    category: str = ""
    file_id: str = ""
    warnings: list[str] = field(default_factory=list)


def row_kind(row: ParsedRow, positives_are_expenses: bool) -> tuple[TxKind, bool]:
    """The row's kind and whether the file said so (type, sign, debit/credit column)."""
    if row.kind is not None:
        return row.kind, True
    assert row.signed is not None
    if row.signed < 0:
        return TxKind.EXPENSE, True
    if positives_are_expenses:
        return TxKind.EXPENSE, False
    return TxKind.INCOME, True


def parse_row(
    line: int,
    rec: list[str],
    cols: dict[str, int],
    header: list[str],
    user: User,
    today: dt.date,
    hints: DateHints,
    comma: bool | None,
    has_desc_col: bool,
    id_idx: int | None,
) -> ParsedRow:
    problems: list[str] = []
    warnings: list[str] = []
    extra = rec[len(header) :]
    if any(cell.strip() for cell in extra):
        raise RowError(f"has {len(rec)} fields but the header has {len(header)} (an unquoted comma or delimiter?)")

    day: dt.date | None = None
    try:
        day = parse_date_cell(cell_of(rec, cols, "date"), hints, today=today)
        check_tx_date(day, today)
    except RowError as exc:
        problems.append(str(exc))
        day = None
    except InvalidInput as exc:
        problems.append(exc.message)
        day = None

    signed: Decimal | None = None
    kind: TxKind | None = None
    amount = Decimal("0")
    symbol_currency: str | None = None
    try:
        raw_amount = cell_of(rec, cols, "amount") if "amount" in cols else ""
        if "amount" in cols and (raw_amount or not ({"debit", "credit"} & cols.keys())):
            signed, symbol_currency = parse_money_cell(raw_amount, comma)
            try:
                amount = parse_amount(abs(signed))
            except InvalidInput as exc:
                raise RowError(exc.message) from None
            type_text = cell_of(rec, cols, "kind")
            kind = kind_word(type_text) if type_text else None
            if type_text and kind is None:
                warnings.append(f"type {type_text!r} not understood; the amount's sign decided the kind")
        else:
            debit_raw, credit_raw = cell_of(rec, cols, "debit"), cell_of(rec, cols, "credit")
            debit = parse_money_cell(debit_raw, comma) if debit_raw else None
            credit = parse_money_cell(credit_raw, comma) if credit_raw else None
            has_debit = debit is not None and debit[0] != 0
            has_credit = credit is not None and credit[0] != 0
            if has_debit and has_credit:
                raise RowError("both the debit and the credit column have an amount")
            if has_debit:
                assert debit is not None
                kind, symbol_currency = TxKind.EXPENSE, debit[1]
                amount = money_of(debit_raw, comma)
            elif has_credit:
                assert credit is not None
                kind, symbol_currency = TxKind.INCOME, credit[1]
                amount = money_of(credit_raw, comma)
            elif debit is not None or credit is not None:
                raise RowError("amount must be greater than 0")
            else:
                raise RowError("amount is missing")
    except RowError as exc:
        problems.append(str(exc))

    currency = user.currency
    raw_currency = cell_of(rec, cols, "currency")
    try:
        if raw_currency:
            currency = check_currency(raw_currency)
        elif symbol_currency:
            currency = symbol_currency
    except InvalidInput as exc:
        problems.append(exc.message)

    description = merchant = None
    try:
        desc_text = unescape_text(cell_of(rec, cols, "description"))
        merchant_text = unescape_text(cell_of(rec, cols, "merchant"))
        merchant = clean_merchant(merchant_text)
        description = clean_description(desc_text if has_desc_col else (merchant or ""))
    except InvalidInput as exc:
        problems.append(exc.message)

    if problems or day is None:
        raise RowError("; ".join(problems) or "unreadable row")
    assert description is not None
    return ParsedRow(
        line=line,
        date=day,
        signed=signed,
        kind=kind,
        amount=amount,
        currency=currency,
        description=description,
        merchant=merchant,
        category=unescape_text(cell_of(rec, cols, "category")),
        file_id=rec[id_idx].strip() if id_idx is not None and id_idx < len(rec) else "",
        warnings=warnings,
    )
