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
6. Categories: a Category cell is resolved like a typed name (case, synonyms, merchant memory).
   An unknown name does not reject the row: it is filed the way an uncategorised row is
   (merchant memory, else "Other" / "Other income") and a warning names the line. A known
   category of the other kind (an income category on an expense row) likewise gives a warning
   and the default category; but in an all-positive file without a type column, an income
   category makes the row income. Rows with a category teach the merchant memory (merchant,
   else a short description), as a correction in chat does.
7. Duplicates: same date, amount and description (trimmed, case-insensitive) as a transaction
   already in the ledger, or as an earlier row of the same file, are reported and not added.
   In a file with an ``id`` column (a BudgetWise export) rows with different ids are distinct
   transactions, so two identical coffees on one day both come back.
8. Bad rows are reported with their line number and reason; good rows are kept. Every row is
   validated before anything is written, and the writes run inside a SAVEPOINT, so a failure
   never leaves part of an import behind. Rows are ``source=import``.

Text is data only: a description that reads like an instruction is stored as text.
Exports escape cells that a spreadsheet would run as a formula (leading ``=``, ``+``, ``-``,
``@``) with a leading apostrophe, which the importer removes again, so an exported CSV
re-imports into an empty account with identical rows.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import is_currency
from pydantic import BaseModel
from sqlalchemy import insert
from sqlmodel import Session, col, select

from ..clock import Clock, user_today
from ..errors import InvalidInput
from ..models import Category, CategoryKind, Transaction, TxKind, TxSource, User
from ..money import check_currency, parse_amount
from .categories import find_category, merchant_category, remember_merchant
from .common import as_date
from .transactions import (
    DEFAULT_CATEGORY,
    TransactionPublic,
    check_tx_date,
    clean_description,
    clean_merchant,
    memory_key,
    public_list,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 20
FIELDS = ("date", "amount", "description", "category", "merchant", "kind", "currency", "debit", "credit")

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "transaction date",
        "trans date",
        "trans. date",
        "posted date",
        "posting date",
        "post date",
        "booking date",
        "value date",
        "date posted",
    ),
    "amount": ("amount", "transaction amount", "amt", "value"),
    "debit": ("debit", "debit amount", "debits", "withdrawal", "withdrawals", "money out", "paid out"),
    "credit": ("credit", "credit amount", "credits", "deposit", "deposits", "money in", "paid in"),
    "description": ("description", "transaction description", "memo", "details", "narrative"),
    "merchant": ("merchant", "merchant name", "payee", "name"),
    "category": ("category", "transaction category"),
    "kind": ("type", "kind", "transaction type"),
    "currency": ("currency", "currency code", "ccy"),
}

EXPORT_HEADER = ("date", "kind", "amount", "currency", "category", "description", "merchant", "source", "id")

_EXPENSE_WORDS = {
    "expense",
    "expenses",
    "debit",
    "dr",
    "withdrawal",
    "purchase",
    "sale",
    "fee",
    "charge",
    "spend",
    "spending",
    "outgoing",
    "out",
}
_INCOME_WORDS = {"income", "credit", "cr", "deposit", "refund", "return", "incoming", "in", "salary"}

_SYMBOL_CURRENCY = {
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₱": "PHP",
    "₦": "NGN",
    "₫": "VND",
    "฿": "THB",
    "₴": "UAH",
    "₸": "KZT",
}
_DOLLAR_PREFIX = {
    "US": "USD",
    "CA": "CAD",
    "C": "CAD",
    "AU": "AUD",
    "A": "AUD",
    "NZ": "NZD",
    "HK": "HKD",
    "S": "SGD",
    "R": "BRL",
    "MX": "MXN",
    "NT": "TWD",
}

_ISO_RE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T\s].*)?")
_NUM_RE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:[T\s,].*)?")
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NAMED_FORMATS = ("%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y", "%b %d %y", "%d %b %y", "%Y %b %d", "%Y %B %d")
_WEEKDAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
_NOT_NUMBER = re.compile(r"[^\d.,]")
_LAST_SEPARATOR = re.compile(r"([.,])(\d+)$")
_FORMULA_RE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_RE = re.compile(r"'+[=+\-@\t\r]")


# ---------------------------------------------------------------- report


class ImportDuplicate(BaseModel):
    line: int
    date: dt.date
    amount: Decimal
    description: str
    existing_id: int | None = None
    """The ledger transaction this row repeats, or None when it repeats ``same_as_line``."""
    same_as_line: int | None = None


class ImportRowError(BaseModel):
    line: int
    error: str


class ImportWarning(BaseModel):
    line: int
    warning: str


class ImportReport(BaseModel):
    """What an import did: every data row is imported, a duplicate, or an error."""

    total_rows: int = 0
    imported: int = 0
    duplicates: list[ImportDuplicate] = []
    errors: list[ImportRowError] = []
    warnings: list[ImportWarning] = []
    imported_ids: list[int] = []


class _RowError(Exception):
    pass


@dataclass
class _Row:
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


# ---------------------------------------------------------------- reading the file


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        if len(data) > MAX_BYTES or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise InvalidInput("the file is larger than 5 MB", field="file")
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise InvalidInput("the file is larger than 5 MB", field="file")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError:
                raise InvalidInput("the file is not readable text", field="file") from None
        elif b"\x00" in data:
            raise InvalidInput("this is not a CSV file (it contains binary data)", field="file")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise InvalidInput("this is not a CSV file (it contains binary data)", field="file")
    if not text.strip():
        raise InvalidInput("the file is empty", field="file")
    return text


def _records(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on (1-based, physical lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not any(cell.strip() for cell in rec):
                continue
            out.append((start, rec))
            if limit is not None and len(out) >= limit:
                break
            if len(out) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise InvalidInput(f"the file has more than {MAX_ROWS:,} rows", field="file")
    except csv.Error as exc:
        raise InvalidInput(f"this is not a readable CSV file (line {prev + 1}: {exc})", field="file") from None
    return out


def _norm_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().strip('"').strip().lower())


def _check_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    if not mapping:
        return {}
    out: dict[str, str] = {}
    for key, header in mapping.items():
        fld = str(key).strip().lower()
        if fld not in FIELDS:
            raise InvalidInput(
                f"unknown field {key!r} in the column mapping; fields are: {', '.join(FIELDS)}",
                field="mapping",
            )
        if not isinstance(header, str):
            raise InvalidInput(f"the column mapped to {fld!r} must be a column name", field="mapping")
        if header.strip():
            out[fld] = _norm_header(header)
    return out


def _columns(header: Sequence[str], mapping: dict[str, str]) -> dict[str, int] | None:
    """Field -> column index, or None when this row is not a usable header."""
    names = [_norm_header(h) for h in header]
    plain = [re.sub(r"\s*\(.*\)$", "", n) for n in names]
    cols: dict[str, int] = {}
    for fld, want in mapping.items():
        if want in names:
            cols[fld] = names.index(want)
        else:
            return None
    used = set(cols.values())
    for fld in FIELDS:
        if fld in cols:
            continue
        if fld == "amount" and ("debit" in mapping or "credit" in mapping):
            continue
        for alias in HEADER_ALIASES[fld]:
            idx = next((i for i, n in enumerate(names) if n == alias and i not in used), None)
            if idx is None:
                idx = next((i for i, n in enumerate(plain) if n == alias and i not in used), None)
            if idx is not None:
                cols[fld] = idx
                used.add(idx)
                break
    if "amount" in cols:
        for side in ("debit", "credit"):
            if side not in mapping:
                cols.pop(side, None)
    if "date" not in cols or not ({"amount", "debit", "credit"} & cols.keys()):
        return None
    return cols


def _find_layout(text: str, mapping: dict[str, str]) -> tuple[str, int, dict[str, int], list[str]]:
    """Delimiter, header line, columns and header cells, or InvalidInput."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    candidates = sorted([",", ";", "\t", "|"], key=lambda d: -first.count(d))
    seen_header: list[str] = []
    for delim in candidates:
        if delim != "," and first.count(delim) == 0:
            continue
        for line, rec in _records(text, delim, limit=HEADER_SEARCH_ROWS):
            if not seen_header:
                seen_header = rec
            cols = _columns(rec, mapping)
            if cols is not None:
                return delim, line, cols, rec
    shown = ", ".join(repr(h.strip()) for h in seen_header[:12] if h.strip()) or "nothing usable"
    if mapping:
        missing = ", ".join(f"{k}={v!r}" for k, v in mapping.items())
        raise InvalidInput(
            f"the mapped columns ({missing}) were not all found; the first row has: {shown}",
            field="mapping",
        )
    raise InvalidInput(
        "no date and amount columns found (expected headers such as Date and Amount, or Debit/"
        f"Credit); the first row has: {shown}",
        field="file",
    )


# ---------------------------------------------------------------- cells


def _cell(rec: Sequence[str], cols: dict[str, int], name: str) -> str:
    idx = cols.get(name)
    if idx is None or idx >= len(rec):
        return ""
    return rec[idx].strip()


def unescape_text(value: str) -> str:
    """Undo the export's formula escaping ("'=SUM(...)" -> "=SUM(...)")."""
    return value[1:] if _ESCAPED_RE.match(value) else value


def escape_text(value: str) -> str:
    """Make a cell safe for spreadsheets: text that would run as a formula gets a "'"."""
    return "'" + value if value and _FORMULA_RE.match(value) else value


def _expand_year(y: int, today: dt.date) -> int:
    if y >= 100:
        return y
    return 2000 + y if 2000 + y <= today.year + 1 else 1900 + y


@dataclass
class DateHints:
    """Per separator: True day-first, False month-first, None no evidence either way."""

    dayfirst: dict[str, bool | None] = field(default_factory=dict)

    @classmethod
    def from_values(cls, values: Iterable[str]) -> DateHints:
        day: dict[str, bool] = {}
        month: dict[str, bool] = {}
        for value in values:
            m = _NUM_RE.fullmatch(value.strip())
            if not m:
                continue
            a, sep, b = int(m.group(1)), m.group(2), int(m.group(3))
            if a > 12 >= b:
                day[sep] = True
            elif b > 12 >= a:
                month[sep] = True
        hints = cls()
        for sep in set(day) | set(month):
            if day.get(sep) and not month.get(sep):
                hints.dayfirst[sep] = True
            elif month.get(sep) and not day.get(sep):
                hints.dayfirst[sep] = False
        return hints

    def is_dayfirst(self, sep: str) -> bool:
        decided = self.dayfirst.get(sep)
        if decided is None:
            return sep == "."
        return decided


def parse_date_cell(raw: str, hints: DateHints | None = None, *, today: dt.date) -> dt.date:
    """A date cell in any of the formats the importer knows; ValueError with a reason if not."""
    text = raw.strip()
    if not text:
        raise _RowError("date is missing")
    hints = hints or DateHints()
    ymd: tuple[int, int, int] | None = None
    m = _ISO_RE.fullmatch(text)
    if m:
        ymd = (int(m.group(1)), int(m.group(3)), int(m.group(4)))
    elif (m := _NUM_RE.fullmatch(text)) is not None:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        year = _expand_year(y, today)
        if a > 12 >= b:
            dayfirst = True
        elif b > 12 >= a:
            dayfirst = False
        else:
            dayfirst = hints.is_dayfirst(sep)
        ymd = (year, b, a) if dayfirst else (year, a, b)
    elif (m := _COMPACT_RE.fullmatch(text)) is not None:
        ymd = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if ymd is not None:
        try:
            return dt.date(*ymd)
        except ValueError:
            raise _RowError(f"date {text!r} is not a real calendar date") from None
    named = _parse_named_date(text, today)
    if named is None:
        raise _RowError(f"date {text!r} is not a date this importer understands (use e.g. 2026-03-14)")
    return named


def _parse_named_date(text: str, today: dt.date) -> dt.date | None:
    """ "Mar 14, 2026", "14 March 2026", "14-Mar-26", "Sat, 14 Mar 2026": None if not like that."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    tokens = re.sub(r"[,\-/.]", " ", cleaned).split()
    if tokens and tokens[0][:3].lower() in _WEEKDAYS:
        tokens = tokens[1:]
    if len(tokens) < 3 or not any(ch.isalpha() for ch in "".join(tokens[:3])):
        return None
    candidate = " ".join("Sep" if t.lower() == "sept" else t for t in tokens[:3])
    impossible = False
    for fmt in _NAMED_FORMATS:
        try:
            parsed = dt.datetime.strptime(candidate, fmt).date()
        except ValueError as exc:
            impossible = impossible or "out of range" in str(exc)
            continue
        if fmt.endswith("%y"):
            parsed = parsed.replace(year=_expand_year(parsed.year % 100, today))
        return parsed
    if impossible:
        raise _RowError(f"date {text!r} is not a real calendar date")
    return None


def _decimal_comma_hint(values: Iterable[str]) -> bool | None:
    """True when the file writes decimals with a comma, False with a point, None unknown/mixed."""
    comma = point = False
    for value in values:
        m = _LAST_SEPARATOR.search(_NOT_NUMBER.sub("", value))
        if not m or len(m.group(2)) == 3:
            continue
        if m.group(1) == ",":
            comma = True
        else:
            point = True
    if comma and not point:
        return True
    if point and not comma:
        return False
    return None


def parse_money_cell(raw: str, comma_decimal: bool | None = None) -> tuple[Decimal, str | None]:
    """A signed amount and the currency its symbol or code names (None: not said / "$").

    Raises ``_RowError`` with a reason for text that is not an amount.
    """
    text = raw.strip()
    if not text:
        raise _RowError("amount is missing")
    bad = _RowError(f"amount {text!r} is not a number")
    s = text.replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    negative = False
    currency: str | None = None

    def set_currency(code: str) -> None:
        nonlocal currency
        if currency is not None and currency != code:
            raise bad
        currency = code

    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    words = list(re.finditer(r"[A-Za-z]+", s))
    for m in words:
        word, up = m.group(), m.group().upper()
        rest = s[m.end() :]
        if word in ("CR", "DR", "cr", "dr") and not rest.strip():
            negative = negative or up == "DR"
        elif rest.startswith("$") and up in _DOLLAR_PREFIX:
            set_currency(_DOLLAR_PREFIX[up])
        elif len(word) == 3 and is_currency(up):
            set_currency(up)
        else:
            raise bad
    s = re.sub(r"[A-Za-z]+", "", s)
    kept = []
    if sum(unicodedata.category(ch) == "Sc" for ch in s) > 1:
        raise bad
    for ch in s:
        if unicodedata.category(ch) == "Sc":
            if ch in _SYMBOL_CURRENCY:
                set_currency(_SYMBOL_CURRENCY[ch])
            continue
        if not ch.isspace():
            kept.append(ch)
    s = "".join(kept)
    if s.startswith("-(") and s.endswith(")"):
        s = s[2:-1]
        negative = True
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    parts_m = re.fullmatch(r"([+-]?)(\d(?:[\d.,']*\d)?)(-?)", s)
    if not parts_m:
        raise bad
    lead, num, trail = parts_m.groups()
    if lead == "-" and trail == "-":
        raise bad
    if "-" in (lead, trail):
        negative = True
    num = num.replace("'", "")
    has_comma, has_point = "," in num, "." in num
    dec: str | None
    if has_comma and has_point:
        dec = "," if num.rfind(",") > num.rfind(".") else "."
    elif has_comma:
        parts = num.split(",")
        if len(parts) > 2:
            dec = None
        elif len(parts[1]) == 3:
            dec = "," if comma_decimal else None
        else:
            dec = ","
    elif has_point:
        parts = num.split(".")
        if len(parts) > 2:
            dec = None
        elif len(parts[1]) == 3:
            dec = None if comma_decimal else "."
        else:
            dec = "."
    else:
        dec = None
    if dec is not None:
        whole, frac = num.rsplit(dec, 1)
        if dec in whole or not frac.isdigit():
            raise bad
        whole = whole.replace(",", "").replace(".", "")
        num = f"{whole}.{frac}"
    else:
        groups = re.split(r"[.,]", num)
        # thousands grouping must look like it: "1.234.567" yes, "12.5.3" no
        if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
            raise bad
        num = "".join(groups)
    try:
        value = Decimal(num)
    except InvalidOperation:
        raise bad from None
    return (-value if negative else value), currency


def _kind_word(value: str) -> TxKind | None:
    tokens = set(re.split(r"[^a-z]+", value.lower())) - {""}
    expense, income = bool(tokens & _EXPENSE_WORDS), bool(tokens & _INCOME_WORDS)
    if expense and not income:
        return TxKind.EXPENSE
    if income and not expense:
        return TxKind.INCOME
    return None


def _money(raw: str, comma: bool | None) -> Decimal:
    """A positive ledger amount from a cell (sign dropped), with parse_amount's limits."""
    value, _ = parse_money_cell(raw, comma)
    try:
        return parse_amount(abs(value))
    except InvalidInput as exc:
        raise _RowError(exc.message) from None


# ---------------------------------------------------------------- import


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
) -> ImportReport:
    """Import a CSV of transactions for ``user``; see the module docstring for every rule."""
    today = user_today(clock, user.timezone)
    wanted = _check_mapping(mapping)
    text = _decode(data)
    delim, header_line, cols, header = _find_layout(text, wanted)
    records = [(ln, rec) for ln, rec in _records(text, delim) if ln > header_line]
    if len(records) > MAX_ROWS:
        raise InvalidInput(f"the file has more than {MAX_ROWS:,} rows", field="file")

    report = ImportReport(total_rows=len(records))
    date_hints = DateHints.from_values(_cell(rec, cols, "date") for _, rec in records)
    comma = _decimal_comma_hint(_cell(rec, cols, name) for _, rec in records for name in ("amount", "debit", "credit"))
    has_desc_col = "description" in cols
    header_names = [_norm_header(h) for h in header]
    id_idx = header_names.index("id") if "id" in header_names else None

    parsed: list[_Row] = []
    for line, rec in records:
        try:
            parsed.append(_parse_row(line, rec, cols, header, user, today, date_hints, comma, has_desc_col, id_idx))
        except _RowError as exc:
            report.errors.append(ImportRowError(line=line, error=str(exc)))

    has_type_values = "kind" in cols and any(_cell(rec, cols, "kind") for _, rec in records)
    any_negative = any(r.signed is not None and r.signed < 0 for r in parsed)
    positives_are_expenses = "amount" in cols and not has_type_values and not any_negative

    # Existing rows over the file's dates, for duplicate detection.
    existing: dict[tuple[dt.date, Decimal, str], int] = {}
    if parsed:
        lo, hi = min(r.date for r in parsed), max(r.date for r in parsed)
        for tx_id, day, amount, desc in session.exec(
            select(
                col(Transaction.id), col(Transaction.date), col(Transaction.amount), col(Transaction.description)
            ).where(Transaction.user_id == user.id, col(Transaction.date) >= lo, col(Transaction.date) <= hi)
        ).all():
            assert tx_id is not None
            existing.setdefault(_dedupe_key(day, amount, desc), tx_id)

    cat_cache: dict[str, Category | None] = {}
    memory: dict[str, Category | None] = {}
    teach: dict[str, tuple[str, Category]] = {}
    defaults = {k: _default(session, user, k) for k in TxKind}
    seen: dict[tuple[Any, ...], int] = {}
    to_add: list[tuple[_Row, TxKind, Category | None]] = []

    for row in parsed:
        kind, explicit = _row_kind(row, positives_are_expenses)
        key = _dedupe_key(row.date, row.amount, row.description)
        file_key = (*key, row.file_id)
        if key in existing or file_key in seen:
            # the same row is in the ledger already, or earlier in this file: reported, not added
            report.duplicates.append(
                ImportDuplicate(
                    line=row.line,
                    date=row.date,
                    amount=row.amount,
                    description=row.description,
                    existing_id=existing.get(key),
                    same_as_line=None if key in existing else seen[file_key],
                )
            )
            continue
        seen[file_key] = row.line

        cat: Category | None = None
        taught = False
        pending: str | None = None  # a category warning, finished once the category is known
        if row.category:
            name = row.category
            if name not in cat_cache:
                cat_cache[name] = find_category(session, user, name)
            found = cat_cache[name]
            if found is None:
                pending = f"unknown category {name!r}; filed under {{cat}}"
            elif found.kind == CategoryKind(kind.value):
                cat, taught = found, True
            elif not explicit:
                kind, cat, taught = TxKind(str(found.kind)), found, True
            else:
                pending = (
                    f"category {found.name!r} is for {found.kind} but this row is {kind.value}; filed under {{cat}}"
                )
        mkey = memory_key(row.merchant, row.description)
        if cat is None and mkey:
            norm = _mkey(mkey)
            remembered = teach[norm][1] if norm in teach else None
            if remembered is None:
                if norm not in memory:
                    memory[norm] = merchant_category(session, user, mkey)
                remembered = memory[norm]
            if remembered is not None and remembered.kind == CategoryKind(kind.value):
                cat = remembered
        if cat is None:
            cat = defaults[kind]
        if taught and mkey and cat is not None:
            teach[_mkey(mkey)] = (mkey, cat)
        if pending:
            row.warnings.append(pending.format(cat=repr(cat.name) if cat else "no category"))
        for warning in row.warnings:
            report.warnings.append(ImportWarning(line=row.line, warning=warning))
        to_add.append((row, kind, cat))

    if to_add:
        now = clock.now()
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
                "created_at": now,
                "updated_at": now,
            }
            for row, kind, cat in to_add
        ]
        table = Transaction.__table__  # type: ignore[attr-defined]
        # One multi-row INSERT ... RETURNING (batched by SQLAlchemy) inside a SAVEPOINT: all
        # rows and the merchant memory go in together or not at all.
        with session.begin_nested():
            result = session.connection().execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), values
            )
            report.imported_ids = [int(r[0]) for r in result]
            for original, cat in teach.values():
                remember_merchant(session, user, original, cat)
        report.imported = len(report.imported_ids)
    report.errors.sort(key=lambda e: e.line)
    return report


def _default(session: Session, user: User, kind: TxKind) -> Category | None:
    cat = find_category(session, user, DEFAULT_CATEGORY[kind])
    return cat if cat is not None and cat.kind == CategoryKind(kind.value) else None


def _row_kind(row: _Row, positives_are_expenses: bool) -> tuple[TxKind, bool]:
    """The row's kind and whether the file said so (type, sign, debit/credit column)."""
    if row.kind is not None:
        return row.kind, True
    assert row.signed is not None
    if row.signed < 0:
        return TxKind.EXPENSE, True
    if positives_are_expenses:
        return TxKind.EXPENSE, False
    return TxKind.INCOME, True


def _parse_row(
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
) -> _Row:
    problems: list[str] = []
    warnings: list[str] = []
    extra = rec[len(header) :]
    if any(cell.strip() for cell in extra):
        raise _RowError(f"has {len(rec)} fields but the header has {len(header)} (an unquoted comma or delimiter?)")

    day: dt.date | None = None
    try:
        day = parse_date_cell(_cell(rec, cols, "date"), hints, today=today)
        check_tx_date(day, today)
    except _RowError as exc:
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
        raw_amount = _cell(rec, cols, "amount") if "amount" in cols else ""
        if "amount" in cols and (raw_amount or not ({"debit", "credit"} & cols.keys())):
            signed, symbol_currency = parse_money_cell(raw_amount, comma)
            try:
                amount = parse_amount(abs(signed))
            except InvalidInput as exc:
                raise _RowError(exc.message) from None
            type_text = _cell(rec, cols, "kind")
            kind = _kind_word(type_text) if type_text else None
            if type_text and kind is None:
                warnings.append(f"type {type_text!r} not understood; the amount's sign decided the kind")
        else:
            debit_raw, credit_raw = _cell(rec, cols, "debit"), _cell(rec, cols, "credit")
            debit = parse_money_cell(debit_raw, comma) if debit_raw else None
            credit = parse_money_cell(credit_raw, comma) if credit_raw else None
            has_debit = debit is not None and debit[0] != 0
            has_credit = credit is not None and credit[0] != 0
            if has_debit and has_credit:
                raise _RowError("both the debit and the credit column have an amount")
            if has_debit:
                assert debit is not None
                kind, symbol_currency = TxKind.EXPENSE, debit[1]
                amount = _money(debit_raw, comma)
            elif has_credit:
                assert credit is not None
                kind, symbol_currency = TxKind.INCOME, credit[1]
                amount = _money(credit_raw, comma)
            elif debit is not None or credit is not None:
                raise _RowError("amount must be greater than 0")
            else:
                raise _RowError("amount is missing")
    except _RowError as exc:
        problems.append(str(exc))

    currency = user.currency
    raw_currency = _cell(rec, cols, "currency")
    try:
        if raw_currency:
            currency = check_currency(raw_currency)
        elif symbol_currency:
            currency = symbol_currency
    except InvalidInput as exc:
        problems.append(exc.message)

    description = merchant = None
    try:
        desc_text = unescape_text(_cell(rec, cols, "description"))
        merchant_text = unescape_text(_cell(rec, cols, "merchant"))
        merchant = clean_merchant(merchant_text)
        description = clean_description(desc_text if has_desc_col else (merchant or ""))
    except InvalidInput as exc:
        problems.append(exc.message)

    if problems or day is None:
        raise _RowError("; ".join(problems) or "unreadable row")
    assert description is not None
    return _Row(
        line=line,
        date=day,
        signed=signed,
        kind=kind,
        amount=amount,
        currency=currency,
        description=description,
        merchant=merchant,
        category=unescape_text(_cell(rec, cols, "category")),
        file_id=rec[id_idx].strip() if id_idx is not None and id_idx < len(rec) else "",
        warnings=warnings,
    )


# ---------------------------------------------------------------- export


def _export_rows(
    session: Session, user: User, start: dt.date | str | None, end: dt.date | str | None
) -> list[TransactionPublic]:
    stmt = select(Transaction).where(Transaction.user_id == user.id)
    if start not in (None, ""):
        stmt = stmt.where(col(Transaction.date) >= as_date(start, field="start", timezone=user.timezone))
    if end not in (None, ""):
        stmt = stmt.where(col(Transaction.date) <= as_date(end, field="end", timezone=user.timezone))
    txs = list(session.exec(stmt.order_by(col(Transaction.date), col(Transaction.id))).all())
    return public_list(session, txs)


def export_csv(
    session: Session, user: User, *, start: dt.date | str | None = None, end: dt.date | str | None = None
) -> str:
    """The user's transactions (oldest first) as CSV; re-importable with ``import_csv``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for tx in _export_rows(session, user, start, end):
        writer.writerow(
            [
                tx.date.isoformat(),
                tx.kind.value,
                f"{tx.amount:.2f}",
                tx.currency,
                escape_text(tx.category or ""),
                escape_text(tx.description),
                escape_text(tx.merchant or ""),
                tx.source.value,
                tx.id,
            ]
        )
    return out.getvalue()


def export_json(
    session: Session, user: User, *, start: dt.date | str | None = None, end: dt.date | str | None = None
) -> str:
    """The user's transactions (oldest first) as a JSON list, money as decimal strings."""
    rows = [tx.model_dump(mode="json") for tx in _export_rows(session, user, start, end)]
    return json.dumps(rows, ensure_ascii=False, indent=2)


__all__ = [
    "EXPORT_HEADER",
    "FIELDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "DateHints",
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
