"""What a transaction's fields may hold, and which category it lands in when none is given:
the validation the ledger's writers share (``transactions``, the CSV import).
``assistant.services.transactions`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlmodel import Session

from ..clock import Clock, user_today
from ..errors import InvalidInput
from ..models import Category, TxKind, TxSource, User
from .categories import find_category, get_category, merchant_category, resolve_category
from .common import as_date

MAX_DESCRIPTION = 500
MAX_MERCHANT = 200
SHORT_DESCRIPTION = 40
"""A description this short (and no merchant) is treated as the merchant for the memory."""
FUTURE_DAYS = 366
EARLIEST = dt.date(1900, 1, 1)
DEFAULT_CATEGORY = {TxKind.EXPENSE: "Other", TxKind.INCOME: "Other income", TxKind.REFUND: "Other"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_SPACES = re.compile(r"[ \u00a0]{2,}")


def as_kind(value: Any) -> TxKind:
    if isinstance(value, TxKind):
        return value
    try:
        return TxKind(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(f"kind must be 'expense', 'income' or 'refund', got {value!r}", field="kind") from None


def as_source(value: Any) -> TxSource:
    try:
        return TxSource(value)
    except ValueError:
        valid = ", ".join(s.value for s in TxSource)
        raise InvalidInput(f"source must be one of: {valid}", field="source") from None


def clean_text(value: Any, *, field: str, max_len: int) -> str:
    """Trimmed text with control characters turned into spaces; too long is an error."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text", field=field)
    text = _SPACES.sub(" ", _CONTROL.sub(" ", value)).strip()
    if len(text) > max_len:
        raise InvalidInput(f"{field} is too long ({len(text)} characters, at most {max_len})", field=field)
    return text


def clean_description(value: Any) -> str:
    return clean_text(value, field="description", max_len=MAX_DESCRIPTION)


def clean_merchant(value: Any) -> str | None:
    return clean_text(value, field="merchant", max_len=MAX_MERCHANT) or None


def check_tx_date(day: dt.date, today: dt.date, *, field: str = "date") -> dt.date:
    """A ledger date: not before 1900 and at most about a year after today."""
    if day < EARLIEST:
        raise InvalidInput(f"{field} {day.isoformat()} is too far in the past", field=field)
    if day > today + dt.timedelta(days=FUTURE_DAYS):
        raise InvalidInput(
            f"{field} {day.isoformat()} is more than a year in the future (today is {today.isoformat()})",
            field=field,
        )
    return day


def tx_date(value: Any, user: User, clock: Clock) -> dt.date:
    today = user_today(clock, user.timezone)
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "today")):
        return today
    return check_tx_date(as_date(value, timezone=user.timezone), today)


def memory_key(merchant: str | None, description: str) -> str | None:
    """What the merchant memory is keyed by: the merchant, else a short description."""
    if merchant and merchant.strip():
        return merchant
    if description and len(description) <= SHORT_DESCRIPTION:
        return description
    return None


def default_category(session: Session, user: User, kind: TxKind) -> Category | None:
    cat = find_category(session, user, DEFAULT_CATEGORY[kind])
    return cat if cat is not None and cat.kind == kind.category_kind else None


def choose_category(
    session: Session,
    user: User,
    kind: TxKind,
    category: str | int | None,
    merchant: str | None,
    description: str,
) -> Category | None:
    """The category a new or changed transaction gets (see the module docstring)."""
    want = kind.category_kind
    if category is not None and not (isinstance(category, str) and not category.strip()):
        if isinstance(category, bool):
            raise InvalidInput("category must be a name or an id", field="category")
        if isinstance(category, int):
            cat = get_category(session, user, category)
            if cat.kind != want:
                raise InvalidInput(f"category {cat.name!r} is for {cat.kind}, not {kind}", field="category")
            return cat
        if not isinstance(category, str):
            raise InvalidInput("category must be a name or an id", field="category")
        return resolve_category(session, user, category, want)
    key = memory_key(merchant, description)
    if key:
        remembered = merchant_category(session, user, key)
        if remembered is not None and remembered.kind == want:
            return remembered
    return default_category(session, user, kind)
