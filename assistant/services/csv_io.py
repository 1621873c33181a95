"""CSV import (bank exports, our own exports) and CSV/JSON export of the user's ledger.

Signatures::

    import_csv(session, user, data: bytes | str, *, mapping=None, clock) -> ImportReport
    export_csv(session, user, *, start=None, end=None) -> str
    export_json(session, user, *, start=None, end=None) -> str

Import, step by step:

1. The file: at most 5 MB and 50,000 data rows; UTF-8 (with or without BOM), UTF-16 with BOM,
   else Windows-1252. The delimiter (``,`` ``;`` tab ``|``) is detected. A file that is empty,
   binary, not CSV, or has no recognisable date and amount columns is ``InvalidInput`` and
   nothing is written.
2. Columns: ``mapping`` maps our fields (date, amount, description, category, merchant, kind,
   currency, debit, credit) to the file's header names; fields it leaves out are detected from
   common headers, case-insensitively ("Date", "Transaction Date", "Posted Date", "Amount",
   "Debit", "Credit", "Description", "Memo", "Payee", "Merchant", "Category", "Type",
   "Currency", ...). The header is the first row (within the first 20) that names a date and
   an amount column; lines are numbered from 1 as in a text editor, so the header is line 1.
3. Dates: ISO (2026-03-14, also with a time), 2026/03/14, 03/14/2026, 14.03.2026, 20260314,
   "Mar 14, 2026", "14 March 2026", "14-Mar-26". Ambiguous d/m vs m/d is decided per file and
   per separator from the values (a first number over 12 means day-first, a second over 12
   means month-first); with no evidence, "/" and "-" dates are month-first (US) and "."
   dates day-first. Impossible dates and dates more than a year ahead are row errors.
4. Amounts: currency symbols and codes, signs, trailing minus, parentheses for negatives,
   CR/DR suffixes, thousands separators, decimal commas ("$1,234.56", "-45.00", "(12.50)",
   "1.234,56 €"). A symbol or code that names one currency (€, £, EUR, CHF...) sets the row's
   currency; "$" alone means the user's currency. A Currency column wins over both.
5. Kind: a Type/Kind column that says expense/debit/purchase/withdrawal... or
   income/credit/deposit/refund... decides; otherwise a negative amount (or a Debit column) is
   an expense and a positive one (or a Credit column) income; when the whole file has only
   positive amounts and no type column, every row is an expense.
6. Categories: rows without a Category cell are categorised the way chat does
   (``services.rules.Categorizer``: the user's rules, the merchant memory, the engine's
   recognisers, else the default) and the report says which step decided each row.
   A Category cell is resolved like a typed name (case, synonyms, merchant memory).
   An unknown name does not reject the row: it is filed the way an uncategorised row is
   (merchant memory, else "Other" / "Other income") and a warning names the line. A known
   category of the other kind (an income category on an expense row) likewise gives a warning
   and the default category; but in an all-positive file without a type column, an income
   category makes the row income. Rows with a category teach the merchant memory (merchant,
   else a short description), as a correction in chat does.
7. Duplicates: same date, amount and description (trimmed, case-insensitive) as a transaction
   already in the ledger are reported and not added; each ledger row matches one file row, so
   two identical coffees on one day in a file are two rows (checked against the ledger, never
   within the file).
8. Bad rows are reported with their line number and reason; good rows are kept. Every row is
   validated before anything is written, and the writes run inside a SAVEPOINT, so a failure
   never leaves part of an import behind. Rows are ``source=import``.

Text is data only: a description that reads like an instruction is stored as text.
Exports escape cells that a spreadsheet would run as a formula (leading ``=``, ``+``, ``-``,
``@``) with a leading apostrophe, which the importer removes again, so an exported CSV
re-imports into an empty account with identical rows.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from ..clock import Clock, user_today
from ..errors import InvalidInput
from ..models import Category, Transaction, TxKind, TxSource, User
from .categories import find_category, remember_merchant
from .csv_cells import (
    FIELDS,
    MAX_BYTES,
    MAX_ROWS,
    DateHints,
    RowError,
    cell_of,
    check_mapping,
    decimal_comma_hint,
    decode_text,
    escape_text,
    find_layout,
    norm_header,
    parse_date_cell,
    parse_money_cell,
    read_records,
    unescape_text,
)
from .csv_export import EXPORT_HEADER, export_csv, export_json
from .csv_report import ImportCategorised, ImportDuplicate, ImportReport, ImportRowError, ImportWarning
from .csv_rows import ParsedRow, parse_row, row_kind
from .currency import home_value, list_rates
from .rules import Categorizer
from .transaction_fields import DEFAULT_CATEGORY, memory_key

# ---------------------------------------------------------------- import


_REFUND_TEXT = re.compile(r"\b(?:refund(?:ed)?|return(?:ed)?|reversal|chargeback)\b", re.IGNORECASE)


def _dedupe_key(day: dt.date, amount: Decimal, description: str) -> tuple[dt.date, Decimal, str]:
    return day, amount, " ".join(description.split()).casefold()


def _mkey(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("&", "and"))


def import_csv(
    session: Session,
    user: User,
    data: bytes | str,
    *,
    mapping: dict[str, str] | None = None,
    clock: Clock,
    reader: Session | None = None,
    batch_rows: int | None = None,
) -> ImportReport:
    """Import a CSV of transactions for ``user``; see the module docstring for every rule.

    ``reader`` (a read-only session; default ``session``) does every lookup, so parsing and
    planning a big file hold no write lock: ``session`` is first used by the one bulk insert at
    the end, a short transaction that keeps other users' writes flowing (SQLite has one writer).
    ``batch_rows`` (SQLite; default: all at once) commits the insert every so many rows, so even a
    50,000-row file holds the one writer lock for a fraction of a second at a time.
    """
    read = reader if reader is not None else session
    today = user_today(clock, user.timezone)
    wanted = check_mapping(mapping)
    text = decode_text(data)
    delim, header_line, cols, header = find_layout(text, wanted)
    records = [(ln, rec) for ln, rec in read_records(text, delim) if ln > header_line]
    if len(records) > MAX_ROWS:
        raise InvalidInput(f"the file has more than {MAX_ROWS:,} rows", field="file")

    report = ImportReport(total_rows=len(records))
    date_hints = DateHints.from_values(cell_of(rec, cols, "date") for _, rec in records)
    comma = decimal_comma_hint(cell_of(rec, cols, name) for _, rec in records for name in ("amount", "debit", "credit"))
    has_desc_col = "description" in cols
    header_names = [norm_header(h) for h in header]
    id_idx = header_names.index("id") if "id" in header_names else None

    parsed: list[ParsedRow] = []
    for line, rec in records:
        try:
            parsed.append(parse_row(line, rec, cols, header, user, today, date_hints, comma, has_desc_col, id_idx))
        except RowError as exc:
            report.errors.append(ImportRowError(line=line, error=str(exc)))

    has_type_values = "kind" in cols and any(cell_of(rec, cols, "kind") for _, rec in records)
    any_negative = any(r.signed is not None and r.signed < 0 for r in parsed)
    positives_are_expenses = "amount" in cols and not has_type_values and not any_negative

    # Existing rows over the file's dates, for duplicate detection. Each ledger row can be the
    # duplicate of one file row only: two coffees on one day in the file are two rows, and a
    # file whose one coffee is already in the ledger adds the second.
    existing: dict[tuple[dt.date, Decimal, str], list[int]] = {}
    if parsed:
        lo, hi = min(r.date for r in parsed), max(r.date for r in parsed)
        for tx_id, day, amount, desc in read.exec(
            select(col(Transaction.id), col(Transaction.date), col(Transaction.amount), col(Transaction.description))
            .where(Transaction.user_id == user.id, col(Transaction.date) >= lo, col(Transaction.date) <= hi)
            .order_by(col(Transaction.id))
        ).all():
            assert tx_id is not None
            existing.setdefault(_dedupe_key(day, amount, desc), []).append(tx_id)

    cat_cache: dict[str, Category | None] = {}
    teach: dict[str, tuple[str, Category]] = {}
    defaults = {k: _default(read, user, k) for k in TxKind}
    categorizer = Categorizer(read, user)  # rules, the merchant memory and names: a few queries, once
    to_add: list[tuple[ParsedRow, TxKind, Category | None]] = []

    for row in parsed:
        kind, explicit = row_kind(row, positives_are_expenses)
        if kind == TxKind.INCOME and row.kind is None and _REFUND_TEXT.search(row.description):
            kind = TxKind.REFUND  # "Refund from Amazon" lowers Shopping; it is not income
        key = _dedupe_key(row.date, row.amount, row.description)
        if existing.get(key):
            # the same row is in the ledger already: reported, not added
            report.duplicates.append(
                ImportDuplicate(
                    line=row.line,
                    date=row.date,
                    amount=row.amount,
                    description=row.description,
                    existing_id=existing[key].pop(0),
                )
            )
            continue

        cat: Category | None = None
        taught = False
        pending: str | None = None  # a category warning, finished once the category is known
        if row.category:
            name = row.category
            if name not in cat_cache:
                cat_cache[name] = find_category(read, user, name)
            found = cat_cache[name]
            if found is None:
                pending = f"unknown category {name!r}; filed under {{cat}}"
            elif found.kind == kind.category_kind:
                cat, taught = found, True
            elif not explicit:
                kind, cat, taught = TxKind(str(found.kind)), found, True
            else:
                pending = (
                    f"category {found.name!r} is for {found.kind} but this row is {kind.value}; filed under {{cat}}"
                )
        mkey = memory_key(row.merchant, row.description)
        how, detail = ("category column", row.category) if cat is not None else ("default", "")
        if cat is None:
            decision = categorizer.decide(kind, row.merchant, row.description, mkey)
            cat, how, detail = decision.category, decision.how, decision.detail
        if cat is None:
            cat = defaults[kind]
        if taught and mkey and cat is not None:
            teach[_mkey(mkey)] = (mkey, cat)
            categorizer.teach(mkey, cat)
        if cat is not None:
            report.categorised.append(ImportCategorised(line=row.line, category=cat.name, how=how, detail=detail))
        if pending:
            row.warnings.append(pending.format(cat=repr(cat.name) if cat else "no category"))
        for warning in row.warnings:
            report.warnings.append(ImportWarning(line=row.line, warning=warning))
        to_add.append((row, kind, cat))

    if to_add:
        now = clock.now()
        rates = list_rates(session, user)
        homes = [home_value(row.amount, row.currency, user, rates) for row, _, _ in to_add]
        values = [
            {
                "user_id": user.id,
                "kind": kind.value,
                "amount": row.amount,
                "currency": row.currency,
                "date": row.date,
                "description": row.description,
                "merchant": row.merchant,
                "category_id": cat.id if cat is not None else None,
                "source": TxSource.IMPORT.value,
                "home_amount": home,
                "fx_rate": fx,
                "created_at": now,
                "updated_at": now,
            }
            for (row, kind, cat), (home, fx) in zip(to_add, homes, strict=True)
        ]
        table = Transaction.__table__  # type: ignore[attr-defined]
        dialect = read.get_bind().dialect
        # SQLite: the rows are turned into driver values here, before the write lock is taken.
        prepared = _driver_rows(table, values, dialect) if dialect.name == "sqlite" else None
        # One multi-row INSERT inside a SAVEPOINT: all rows and the merchant memory go in together
        # or not at all. This is the request session's first statement, so the write transaction
        # (SQLite's one writer) lasts only as long as the insert itself.
        if prepared is not None:
            sql, rows = prepared
            step = batch_rows or len(rows)
            for first in range(0, len(rows), step):
                if first:
                    # Short write transactions, one per batch: another user's write goes in
                    # between (a retried file skips what is in as duplicates).
                    session.commit()
                    time.sleep(BATCH_PAUSE_SECONDS)
                with session.begin_nested():
                    conn = session.connection()
                    # SQLite answers RETURNING in parameter order one row per statement; one
                    # executemany of ready values is a C loop. The writer lock is ours and ids only
                    # grow (AUTOINCREMENT): the new ids are those above the highest before.
                    before = conn.execute(select(func.max(table.c.id))).scalar() or 0
                    conn.exec_driver_sql(sql, rows[first : first + step])
                    new_ids = select(table.c.id).where(table.c.id > before, table.c.user_id == user.id)
                    report.imported_ids += [int(i) for i in conn.execute(new_ids.order_by(table.c.id)).scalars()]
                    if first + step >= len(rows):
                        for original, cat in teach.values():
                            remember_merchant(session, user, original, cat)
        else:
            with session.begin_nested():
                conn = session.connection()
                result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values)
                report.imported_ids = [int(r[0]) for r in result]
                for original, cat in teach.values():
                    remember_merchant(session, user, original, cat)
        report.imported = len(report.imported_ids)
        for item in report.categorised:
            report.by_how[item.how] = report.by_how.get(item.how, 0) + 1
    report.errors.sort(key=lambda e: e.line)
    return report


BATCH_PAUSE_SECONDS = 0.01  # between batches: a writer waiting for the lock gets it first


def _driver_rows(table: Any, values: list[dict[str, Any]], dialect: Any) -> tuple[str, list[tuple[Any, ...]]]:
    """An INSERT's SQL and its rows as driver values (each column type's own bind processing)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(values[0]))
    names = list(compiled.positiontup or [])
    procs = [(name, table.c[name].type.bind_processor(dialect)) for name in names]
    rows = [tuple(proc(v[name]) if proc else v[name] for name, proc in procs) for v in values]
    return str(compiled), rows


def _default(session: Session, user: User, kind: TxKind) -> Category | None:
    cat = find_category(session, user, DEFAULT_CATEGORY[kind])
    return cat if cat is not None and cat.kind == kind.category_kind else None


__all__ = [
    "EXPORT_HEADER",
    "FIELDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "DateHints",
    "ImportCategorised",
    "ImportDuplicate",
    "ImportReport",
    "ImportRowError",
    "ImportWarning",
    "escape_text",
    "export_csv",
    "export_json",
    "import_csv",
    "parse_date_cell",
    "parse_money_cell",
    "unescape_text",
]
