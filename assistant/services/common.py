"""Shared service shapes and argument helpers.

``Page[T]`` is every list's answer (``{"items": [...], "total": n}`` in JSON, as the contract
says); ``total`` is the count of all matching rows, not just the page. ``check_paging`` and
``as_date`` validate the arguments lists and filters take, with the same messages everywhere;
``only_match`` is the one answer to a name that matched several rows or none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from ..errors import Conflict, InvalidInput, NotFound

T = TypeVar("T")
U = TypeVar("U")


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)

MAX_LIMIT = 500

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items and how many match in all."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    items: list[T]
    total: int

    def map(self, fn: Callable[[T], U]) -> Page[U]:
        """The same page with each item converted (rows to public shapes)."""
        return Page[Any](items=[fn(item) for item in self.items], total=self.total)  # type: ignore[return-value]


def check_paging(limit: Any, offset: Any) -> tuple[int, int]:
    """``limit`` 1..500 and ``offset`` >= 0, as integers, or InvalidInput."""
    try:
        if isinstance(limit, bool) or isinstance(offset, bool):
            raise ValueError
        lim, off = int(limit), int(offset)
    except (TypeError, ValueError):
        raise InvalidInput("limit and offset must be whole numbers", field="limit") from None
    if not 1 <= lim <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if off < 0:
        raise InvalidInput("offset must be 0 or more", field="offset")
    return lim, off


def as_date(value: Any, *, field: str = "date", timezone: str | None = None) -> dt.date:
    """A ``date`` from a date, a datetime or an ISO string ("2026-03-14", "2026-03-14T09:30").

    Aware datetimes are read in ``timezone`` (the user's) when given. Impossible dates such as
    "2026-02-30" are refused with a message that says so.
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and timezone:
            value = value.astimezone(ZoneInfo(timezone))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{field} must be a date in the form YYYY-MM-DD", field=field)
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if _ISO_DAY.fullmatch(text):
        raise InvalidInput(f"{field} {text!r} is not a real calendar date", field=field)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        if _ISO_DAY.match(text):
            raise InvalidInput(f"{field} {text!r} is not a real calendar date", field=field) from None
        raise InvalidInput(f"{field} must be a date in the form YYYY-MM-DD, got {text!r}", field=field) from None
    return as_date(moment, field=field, timezone=timezone)


def flush_unique(session: Session, obj: SQLModel, conflict: str, *, field: str = "name") -> None:
    """Write ``obj`` now, in a savepoint: a unique constraint lost to a concurrent request is a
    ``Conflict`` (409) with a clear message, and the rest of the transaction stays usable.

    The Python check before it answers the common case; the database decides the race.
    """
    try:
        with session.begin_nested():
            session.add(obj)
            session.flush()
    except IntegrityError:
        raise Conflict(conflict, field=field) from None


def only_match(matches: list[N], said: str, plural: str, missing: str) -> N:
    """The row a person meant by the name ``said``: the one match; several: which one? (by name);
    none: ``missing`` (NotFound, naming what there is)."""
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(m.name for m in matches)
        raise InvalidInput(f"{said!r} matches several {plural}: {names}; which one?", field="name")
    raise NotFound(missing, field="name")
