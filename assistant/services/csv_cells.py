"""Reading a bank's CSV: the date, money and kind cells (the file itself: ``csv_file``, whose
names this module re-exports).

The rules are the import's steps 1 to 5 in ``csv_io``'s docstring; this module turns text into
typed values (or a ``RowError`` naming what is wrong with one row) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import is_currency

from ..errors import InvalidInput
from ..models import TxKind
from ..money import parse_amount
from .csv_file import (
    FIELDS,
    HEADER_ALIASES,
    HEADER_SEARCH_ROWS,
    MAX_BYTES,
    MAX_ROWS,
    check_mapping,
    decode_text,
    find_layout,
    norm_header,
    read_records,
)

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


__all__ = [
    "FIELDS",
    "HEADER_ALIASES",
    "HEADER_SEARCH_ROWS",
    "MAX_BYTES",
    "MAX_ROWS",
    "DateHints",
    "RowError",
    "cell_of",
    "check_mapping",
    "decimal_comma_hint",
    "decode_text",
    "escape_text",
    "find_layout",
    "kind_word",
    "money_of",
    "norm_header",
    "parse_date_cell",
    "parse_money_cell",
    "read_records",
    "unescape_text",
]
