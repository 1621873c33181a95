"""Reading a bank's CSV: encoding, delimiter, header row, and the date, money and kind cells.

The rules are the import's steps 1 to 5 in ``csv_io``'s docstring; this module turns text into
typed values (or a ``RowError`` naming what is wrong with one row) and writes nothing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import is_currency

from ..errors import InvalidInput
from ..models import TxKind
from ..money import parse_amount

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
_REFUND_WORDS = {"refund", "refunded", "return", "returned", "reversal", "chargeback"}
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


class RowError(Exception):
    pass


# ---------------------------------------------------------------- reading the file


def decode_text(data: bytes | str) -> str:
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


def read_records(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
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


def norm_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().strip('"').strip().lower())


def check_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
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
            out[fld] = norm_header(header)
    return out


def _columns(header: Sequence[str], mapping: dict[str, str]) -> dict[str, int] | None:
    """Field -> column index, or None when this row is not a usable header."""
    names = [norm_header(h) for h in header]
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


def find_layout(text: str, mapping: dict[str, str]) -> tuple[str, int, dict[str, int], list[str]]:
    """Delimiter, header line, columns and header cells, or InvalidInput."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    candidates = sorted([",", ";", "\t", "|"], key=lambda d: -first.count(d))
    seen_header: list[str] = []
    for delim in candidates:
        if delim != "," and first.count(delim) == 0:
            continue
        for line, rec in read_records(text, delim, limit=HEADER_SEARCH_ROWS):
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


def cell_of(rec: Sequence[str], cols: dict[str, int], name: str) -> str:
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
        raise RowError("date is missing")
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
            raise RowError(f"date {text!r} is not a real calendar date") from None
    named = _parse_named_date(text, today)
    if named is None:
        raise RowError(f"date {text!r} is not a date this importer understands (use e.g. 2026-03-14)")
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
        raise RowError(f"date {text!r} is not a real calendar date")
    return None


def decimal_comma_hint(values: Iterable[str]) -> bool | None:
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

    Raises ``RowError`` with a reason for text that is not an amount.
    """
    text = raw.strip()
    if not text:
        raise RowError("amount is missing")
    bad = RowError(f"amount {text!r} is not a number")
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


def kind_word(value: str) -> TxKind | None:
    tokens = set(re.split(r"[^a-z]+", value.lower())) - {""}
    if tokens & _REFUND_WORDS and not tokens & _EXPENSE_WORDS:
        return TxKind.REFUND  # money back lowers its category's spending; it is not income
    expense, income = bool(tokens & _EXPENSE_WORDS), bool(tokens & _INCOME_WORDS)
    if expense and not income:
        return TxKind.EXPENSE
    if income and not expense:
        return TxKind.INCOME
    return None


def money_of(raw: str, comma: bool | None) -> Decimal:
    """A positive ledger amount from a cell (sign dropped), with parse_amount's limits."""
    value, _ = parse_money_cell(raw, comma)
    try:
        return parse_amount(abs(value))
    except InvalidInput as exc:
        raise RowError(exc.message) from None
