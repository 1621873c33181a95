"""CSV export: its shape, one user's rows only, and the round trip back through the import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sqlmodel import Session

from assistant.clock import FixedClock
from assistant.models import Category, TxKind, User
from assistant.services.csv_io import (
    EXPORT_HEADER,
    export_csv,
    export_json,
    import_csv,
)
from assistant.services.transactions import add_transaction
from tests.services.ledger_support import fresh_user, rows_of

# Every kind of cell the export must write safely: quotes and commas, accents, a formula, a leading
# minus or @, a foreign currency, an empty description, a row from the month before.
LEDGER: list[dict[str, str]] = [
    {"amount": "12.50", "description": 'Lunch, with "Sam"', "category": "Dining", "date": "2026-03-01",
     "merchant": "Café Zoë"},
    {"amount": "4.50", "description": "Coffee", "date": "2026-03-02"},
    {"amount": "4.50", "description": "Coffee", "date": "2026-03-02"},
    {"kind": "income", "amount": "3200", "description": "Pay", "category": "Salary", "date": "2026-03-05"},
    {"amount": "1000000", "description": '=HYPERLINK("http://evil")', "date": "2026-03-06"},
    {"amount": "0.01", "description": "-minus first", "merchant": "@handle", "date": "2026-03-07"},
    {"amount": "99.99", "currency": "EUR", "description": "", "merchant": "Bahn", "category": "Transport",
     "date": "2026-03-08"},
    {"amount": "7", "description": "'=quoted already", "date": "2026-03-09"},
    {"amount": "1234.56", "description": "Rent", "category": "Housing", "date": "2026-02-28"},
]  # fmt: skip


def build_ledger(session: Session, user: User, clock: FixedClock) -> None:
    for row in LEDGER:
        add_transaction(session, user, clock=clock, **row)  # type: ignore[arg-type]


def test_export_csv_shape(session: Session, user: User, clock: FixedClock) -> None:
    build_ledger(session, user, clock)
    text = export_csv(session, user)
    lines = text.splitlines()
    assert lines[0] == ",".join(EXPORT_HEADER)
    assert lines[1].startswith("2026-02-28,expense,1234.56,USD,Housing,Rent,,ui,")
    cells = list(csv.reader(io.StringIO(text)))
    descriptions = {row[5] for row in cells[1:]}
    assert '\'=HYPERLINK("http://evil")' in descriptions  # formulas are defused for spreadsheets
    assert "'-minus first" in descriptions and "''=quoted already" in descriptions
    assert "'@handle" in {row[6] for row in cells[1:]}
    assert len(lines) == 10
    march_only = export_csv(session, user, start="2026-03-01", end="2026-03-02").splitlines()
    assert len(march_only) == 4


def test_export_json_shape(session: Session, user: User, clock: FixedClock) -> None:
    build_ledger(session, user, clock)
    items = json.loads(export_json(session, user, start=dt.date(2026, 3, 5), end="2026-03-05"))
    assert len(items) == 1
    assert items[0]["amount"] == "3200.00" and items[0]["category"] == "Salary" and items[0]["kind"] == "income"
    assert {"id", "date", "currency", "description", "merchant", "source", "created_at"} <= set(items[0])


def test_export_import_round_trip(session: Session, user: User, clock: FixedClock) -> None:
    build_ledger(session, user, clock)
    exported = export_csv(session, user)
    empty = fresh_user(session)
    report = import_csv(session, empty, exported, clock=clock)
    assert report.errors == [] and report.duplicates == [] and report.warnings == []
    assert report.imported == 9
    assert rows_of(session, empty) == rows_of(session, user)

    # And the re-export is the same file but for ids and sources.
    def strip(text: str) -> list[list[str]]:
        return [ln.split(",")[:-2] for ln in text.splitlines()]

    assert strip(export_csv(session, empty)) == strip(exported)
    # Into the same account again: everything is a duplicate, nothing is added.
    again = import_csv(session, user, exported, clock=clock)
    assert again.imported == 0 and len(again.duplicates) == 9


def test_export_is_per_user(session: Session, user: User, clock: FixedClock) -> None:
    build_ledger(session, user, clock)
    stranger = fresh_user(session)
    assert export_csv(session, stranger).splitlines() == [",".join(EXPORT_HEADER)]
    assert json.loads(export_json(session, stranger)) == []


def test_category_names_survive_odd_characters(session: Session, user: User, clock: FixedClock) -> None:
    odd = Category(user_id=user.id or 0, name='=Weird, "quoted"', necessity_score=5)
    session.add(odd)
    session.flush()
    add_transaction(session, user, amount=1, category=odd.id, description="x", date="2026-03-01", clock=clock)
    exported = export_csv(session, user)
    twin = fresh_user(session)
    session.add(Category(user_id=twin.id or 0, name='=Weird, "quoted"', necessity_score=5))
    session.flush()
    report = import_csv(session, twin, exported, clock=clock)
    assert report.warnings == []
    assert rows_of(session, twin) == rows_of(session, user)
    assert rows_of(session, twin)[0][1] == TxKind.EXPENSE.value
