"""What a CSV import reports back: each data row imported, a duplicate, or an error, and what
categorised it. ``assistant.services.csv_io`` re-exports these names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel


class ImportDuplicate(BaseModel):
    line: int
    date: dt.date
    amount: Decimal
    description: str
    existing_id: int
    """The ledger transaction this row repeats."""


class ImportRowError(BaseModel):
    line: int
    error: str


class ImportWarning(BaseModel):
    line: int
    warning: str


class ImportCategorised(BaseModel):
    line: int
    category: str
    how: str  # "rule", "merchant memory", "recognised", "category column" or "default"
    detail: str = ""  # the rule's text, the merchant, the recognised words or the category cell


class ImportReport(BaseModel):
    """What an import did: every data row is imported, a duplicate, or an error."""

    total_rows: int = 0
    imported: int = 0
    duplicates: list[ImportDuplicate] = []
    errors: list[ImportRowError] = []
    warnings: list[ImportWarning] = []
    imported_ids: list[int] = []
    categorised: list[ImportCategorised] = []
    """Each imported row's category and what decided it (see ``services.rules``)."""
    by_how: dict[str, int] = {}
    """How many rows each step categorised: rule, merchant memory, recognised, category column, default."""
