"""Transactions: add, read, correct, delete and list the user's ledger rows.

Signatures (all act for ``user`` only; another user's row is ``NotFound``)::

    add_transaction(session, user, *, kind=TxKind.EXPENSE, amount, description="", category=None,
                    date=None, currency=None, merchant=None, source=TxSource.UI, clock) -> Transaction
    get_transaction(session, user, tx_id) -> Transaction
    last_transaction(session, user) -> Transaction            # the most recently created
    resolve_transaction_id(session, user, ref) -> Transaction  # an id, "#12", "12" or "last"
    update_transaction(session, user, tx_id, *, amount=None, category=None, date=None,
                       description=None, merchant=None, kind=None, currency=None, clock) -> Transaction
    delete_transaction(session, user, tx_id) -> dict           # JSON snapshot, for undo messages
    list_transactions(session, user, *, start=None, end=None, category=None, kind=None, q=None,
                      limit=50, offset=0) -> Page[Transaction]
    to_public(tx, category_name) -> TransactionPublic ; transaction_dict(tx, category_name) -> dict
    category_names(session, txs) -> {category_id: name} ; public_page(session, page)

Rules:

- ``amount`` goes through ``parse_amount`` (> 0, <= 1,000,000, rounded half up to the cent); the
  sign never carries meaning, ``kind`` does.
- ``date`` defaults to the user's today (``user_today``); ISO strings are accepted; impossible
  dates, dates before 1900 and dates more than a year after today are refused.
- ``currency`` defaults to the user's and must be an ISO 4217 code.
- ``category`` is a name (case-insensitive, synonyms, merchant memory: ``resolve_category``) or
  the id of one of the user's categories; its kind must match the transaction's. Without one,
  the merchant memory decides (by merchant, else by a short description), else "Other" for
  expenses and "Other income" for income.
- ``description`` is trimmed (control characters become spaces) and at most 500 characters;
  ``merchant`` likewise, at most 200 (empty means none). Longer text is refused, not cut.
- Correcting a transaction's category teaches the merchant memory (``remember_merchant``) for
  its merchant, or else for its description when that is short, so the next one lands right.

Services flush and never commit: the caller's unit of work owns the transaction. Field
validation lives in ``transaction_fields``, the public shape in ``transaction_shapes``; this module
re-exports both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, func, insert, or_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from ..clock import Clock
from ..db import Prepared
from ..errors import InvalidInput, NotFound
from ..models import Category, Transaction, TxKind, TxSource, User
from ..money import check_currency, parse_amount, quantize
from .categories import get_category, remember_merchant, resolve_category
from .common import Page, as_date, check_paging
from .currency import rate_for
from .transaction_fields import (
    DEFAULT_CATEGORY,
    EARLIEST,
    FUTURE_DAYS,
    MAX_DESCRIPTION,
    MAX_MERCHANT,
    SHORT_DESCRIPTION,
    as_kind,
    as_source,
    check_tx_date,
    choose_category,
    clean_description,
    clean_merchant,
    clean_text,
    default_category,
    memory_key,
    tx_date,
)
from .transaction_shapes import TransactionPublic, category_names, public_list, public_page, to_public, transaction_dict

_LAST_WORDS = {"last", "latest", "last one", "the last one", "previous", "most recent"}

# Held here: pydantic keeps parametrized generics only weakly and rebuilt this per call.
_TxPage = Page[Transaction]


# ---------------------------------------------------------------- create, read


def add_transaction(
    session: Session,
    user: User,
    *,
    kind: TxKind | str = TxKind.EXPENSE,
    amount: Any,
    description: str = "",
    category: str | int | None = None,
    date: dt.date | str | None = None,
    currency: str | None = None,
    merchant: str | None = None,
    source: TxSource | str = TxSource.UI,
    clock: Clock,
) -> Transaction:
    """Record one expense or income for ``user`` (validated, flushed, not committed)."""
    tx_kind = as_kind(kind)
    value = parse_amount(amount)
    day = tx_date(date, user, clock)
    cur = check_currency(currency, default=user.currency)
    desc = clean_description(description)
    merch = clean_merchant(merchant)
    src = as_source(source)
    cat = choose_category(session, user, tx_kind, category, merch, desc)
    now = clock.now()
    assert user.id is not None
    rate = rate_for(session, user, cur)
    # made as the ORM's loader makes a row's object (every column set, no ``__init__``: the values
    # are checked above), then written by ``_insert``
    tx: Transaction = Transaction.__mapper__.class_manager.new_instance()  # type: ignore[attr-defined]
    tx.__dict__.update(
        id=None,
        user_id=user.id,
        kind=tx_kind,
        amount=value,
        currency=cur,
        date=day,
        description=desc,
        merchant=merch,
        category_id=cat.id if cat else None,
        source=src,
        subscription_id=None,
        home_amount=None if rate is None else quantize(value * rate),
        fx_rate=rate,
        created_at=now,
        updated_at=now,
    )
    return _insert(session, tx)


# One Core INSERT ... RETURNING id, built once (the ORM's flush of one new row cost more than the
# rest of recording it): the columns a new row sets, all of them known here.
_TX_COLS = tuple(c.key for c in Transaction.__table__.columns if c.key != "id")  # type: ignore[attr-defined]
_INSERT_Q = insert(Transaction.__table__).returning(Transaction.__table__.c.id)  # type: ignore[attr-defined]
_INSERT = Prepared(_INSERT_Q, column_keys=_TX_COLS)


def _insert(session: Session, tx: Transaction) -> Transaction:
    """``tx`` written now and made part of ``session`` as if flushed (persistent, nothing pending).

    The same row and the same errors as ``session.add(tx); session.flush()`` (an ``IntegrityError``
    at once); ``add_transaction`` has fixed the home amount the ``before_flush`` hook would."""
    session.flush()  # what the caller left pending goes first, as the ORM's flush would send it
    (tx.id,) = _INSERT.execute(session.connection(), {k: getattr(tx, k) for k in _TX_COLS})[0]
    make_transient_to_detached(tx)
    session.add(tx)
    return tx


def _as_id(tx_id: Any) -> int:
    if isinstance(tx_id, bool):
        raise InvalidInput("a transaction id is a whole number", field="transaction_id")
    if isinstance(tx_id, float) and tx_id.is_integer():
        tx_id = int(tx_id)
    if not isinstance(tx_id, int):
        raise InvalidInput("a transaction id is a whole number", field="transaction_id")
    return tx_id


MAX_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL; a bigger id can only be "not found"


def get_transaction(session: Session, user: User, tx_id: int) -> Transaction:
    wanted = _as_id(tx_id)
    if not 1 <= wanted <= MAX_ID:
        raise NotFound(f"no transaction with id {tx_id}")
    tx = session.get(Transaction, wanted)
    if tx is None or tx.user_id != user.id:
        raise NotFound(f"no transaction with id {tx_id}")
    return tx


# Built once (a correction looks its row up twice a turn: the policy, then the tool; building the
# statement cost more than running it): a call only binds the user.
_tx = Transaction.__table__.c  # type: ignore[attr-defined]
_NEWEST = (_tx.created_at.desc(), _tx.id.desc())
_LAST_Q = select(Transaction).where(_tx.user_id == bindparam("uid")).order_by(*_NEWEST).limit(1)
_LAST_REF_Q = sa_select(_tx.id, _tx.currency).where(_tx.user_id == bindparam("uid")).order_by(*_NEWEST).limit(1)
_REF_Q = sa_select(_tx.id, _tx.currency).where(_tx.id == bindparam("id"), _tx.user_id == bindparam("uid"))
_LAST_REF, _REF = Prepared(_LAST_REF_Q), Prepared(_REF_Q)


def last_transaction(session: Session, user: User) -> Transaction:
    """The transaction created most recently (not the one with the latest date)."""
    tx = session.exec(_LAST_Q, params={"uid": user.id}).first()
    if tx is None:
        raise NotFound("there are no transactions yet")
    return tx


def _ref(ref: int | str) -> int | None:
    """The id a reference names, None for "last" (InvalidInput when it names neither)."""
    if isinstance(ref, str):
        text = ref.strip().lower()
        if text in _LAST_WORDS:
            return None
        text = text.lstrip("#")
        if not text.isdigit():
            raise InvalidInput(f"transaction_id must be an id or 'last', got {ref!r}", field="transaction_id")
        return int(text)
    return _as_id(ref)


def resolve_transaction_id(session: Session, user: User, ref: int | str) -> Transaction:
    """An id (``12``, ``"12"``, ``"#12"``) or ``"last"`` (the most recently created one)."""
    wanted = _ref(ref)
    return last_transaction(session, user) if wanted is None else get_transaction(session, user, wanted)


def transaction_ref(conn: Connection, user_id: int, ref: int | str) -> tuple[int, str]:
    """``resolve_transaction_id``'s row as ``(id, currency)`` only, with the same errors: one Core
    read on ``conn``, no session or ORM object (the write policy only asks whether the row is
    there, and its currency)."""
    wanted = _ref(ref)
    if wanted is None:
        row = next(iter(_LAST_REF.execute(conn, {"uid": user_id})), None)
        if row is None:
            raise NotFound("there are no transactions yet")
    else:
        row = None
        if 1 <= wanted <= MAX_ID:
            row = next(iter(_REF.execute(conn, {"id": wanted, "uid": user_id})), None)
        if row is None:
            raise NotFound(f"no transaction with id {wanted}")
    return int(row[0]), str(row[1] or "")


# ---------------------------------------------------------------- change, delete


def update_transaction(
    session: Session,
    user: User,
    tx_id: int | str,
    *,
    amount: Any = None,
    category: str | int | None = None,
    date: dt.date | str | None = None,
    description: str | None = None,
    merchant: str | None = None,
    kind: TxKind | str | None = None,
    currency: str | None = None,
    clock: Clock,
) -> Transaction:
    """Change the given fields (None leaves a field alone; merchant "" clears it).

    A new category teaches the merchant memory; switching ``kind`` without naming a category
    moves the row to the new kind's default category when its old one no longer fits.
    """
    tx = (
        resolve_transaction_id(session, user, tx_id)
        if isinstance(tx_id, str)
        else get_transaction(session, user, tx_id)
    )
    new_kind = as_kind(kind if kind is not None else tx.kind)
    new_amount = parse_amount(amount) if amount is not None else None
    new_date = tx_date(date, user, clock) if date is not None else None
    new_currency = check_currency(currency) if currency is not None else None
    new_desc = clean_description(description) if description is not None else None
    merch = tx.merchant
    if merchant is not None:
        merch = clean_merchant(merchant)
    desc = new_desc if new_desc is not None else tx.description

    old_category_id = tx.category_id
    new_cat: Category | None = None
    category_given = category is not None and not (isinstance(category, str) and not category.strip())
    if category_given:
        new_cat = choose_category(session, user, new_kind, category, merch, desc)
    elif new_kind != tx.kind:
        current = session.get(Category, tx.category_id) if tx.category_id else None
        if current is None or current.kind != new_kind.category_kind:
            new_cat = default_category(session, user, new_kind)
            tx.category_id = new_cat.id if new_cat else None

    tx.kind = new_kind
    if new_amount is not None:
        tx.amount = new_amount
    if new_date is not None:
        tx.date = new_date
    if new_currency is not None and new_currency != tx.currency:
        tx.currency = new_currency
        tx.fx_rate = rate_for(session, user, new_currency)
    if new_amount is not None or new_currency is not None:
        # The rate stays the one fixed when recorded; a new currency takes today's rate for it.
        if tx.fx_rate is None:
            tx.fx_rate = rate_for(session, user, tx.currency)
        tx.home_amount = None if tx.fx_rate is None else quantize(tx.amount * tx.fx_rate)
    if new_desc is not None:
        tx.description = new_desc
    tx.merchant = merch
    if category_given and new_cat is not None:
        tx.category_id = new_cat.id
        key = memory_key(merch, desc)
        if key and new_cat.id != old_category_id:
            remember_merchant(session, user, key, new_cat)
    tx.updated_at = clock.now()
    session.add(tx)
    session.flush()
    return tx


def delete_transaction(session: Session, user: User, tx_id: int | str) -> dict[str, Any]:
    """Delete one transaction; returns what it was (JSON-ready) for an undo message."""
    tx = (
        resolve_transaction_id(session, user, tx_id)
        if isinstance(tx_id, str)
        else get_transaction(session, user, tx_id)
    )
    cat = session.get(Category, tx.category_id) if tx.category_id else None
    snapshot = transaction_dict(tx, cat.name if cat else None)
    session.delete(tx)
    session.flush()
    return snapshot


# ---------------------------------------------------------------- listing


def _category_filter(session: Session, user: User, category: str | int) -> int:
    if isinstance(category, bool):
        raise InvalidInput("category must be a name or an id", field="category")
    if isinstance(category, int):
        cat = get_category(session, user, category)
    else:
        cat = resolve_category(session, user, str(category))
    assert cat.id is not None
    return cat.id


def _like_pattern(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def merchant_match(text: str) -> Any:
    """Rows whose merchant or description contains ``text``, ignoring case (LIKE wildcards escaped)."""
    pattern = _like_pattern(text.strip())
    return or_(
        col(Transaction.description).ilike(pattern, escape="\\"),
        col(Transaction.merchant).ilike(pattern, escape="\\"),
    )


_LIST_STATEMENTS: dict[tuple[bool, bool, bool, bool, int], tuple[Any, Any]] = {}


def _list_statements(start: bool, end: bool, category: bool, kind: bool, texts: int) -> tuple[Any, Any]:
    """``list_transactions``' count and page statements for one set of filters, built once per set
    (at most 32) and bound per call: ``uid``, ``lim``, ``off`` and, for the filters given,
    ``start``, ``end``, ``cat``, ``kind``, ``t0``/``t1`` (LIKE patterns, ``_like_pattern``)."""
    key = (start, end, category, kind, texts)
    found = _LIST_STATEMENTS.get(key)
    if found is not None:
        return found
    conds: list[Any] = [_tx.user_id == bindparam("uid")]
    if start:
        conds.append(_tx.date >= bindparam("start", type_=_tx.date.type))
    if end:
        conds.append(_tx.date <= bindparam("end", type_=_tx.date.type))
    if category:
        conds.append(_tx.category_id == bindparam("cat"))
    if kind:
        conds.append(_tx.kind == bindparam("kind", type_=_tx.kind.type))
    for i in range(texts):
        pattern = bindparam(f"t{i}", type_=_tx.description.type)
        conds.append(or_(_tx.description.ilike(pattern, escape="\\"), _tx.merchant.ilike(pattern, escape="\\")))
    count_q = select(func.count()).select_from(Transaction).where(*conds)
    page_q = (
        select(Transaction)
        .where(*conds)
        .order_by(_tx.date.desc(), _tx.id.desc())
        .offset(bindparam("off"))
        .limit(bindparam("lim"))
    )
    found = _LIST_STATEMENTS[key] = (count_q, page_q)
    return found


def list_transactions(
    session: Session,
    user: User,
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    category: str | int | None = None,
    kind: TxKind | str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    merchant: str | None = None,
) -> Page[Transaction]:
    """The user's transactions, newest first (by date, then id), with the total that match.

    ``start``/``end`` are inclusive; ``q`` and ``merchant`` each find text in the merchant or
    the description, ignoring case ("starbucks" finds "Starbucks Reserve" and "coffee at
    Starbucks"); given both, a row must match both.
    """
    lim, off = check_paging(limit, offset)
    params: dict[str, Any] = {"uid": user.id, "lim": lim, "off": off}
    start_day = as_date(start, field="start", timezone=user.timezone) if start not in (None, "") else None
    end_day = as_date(end, field="end", timezone=user.timezone) if end not in (None, "") else None
    if start_day and end_day and start_day > end_day:
        raise InvalidInput("start must not be after end", field="start")
    if start_day:
        params["start"] = start_day
    if end_day:
        params["end"] = end_day
    if category is not None and not (isinstance(category, str) and not category.strip()):
        params["cat"] = _category_filter(session, user, category)
    if kind is not None and not (isinstance(kind, str) and not kind.strip()):
        params["kind"] = as_kind(kind).value
    texts = [_like_pattern(text.strip()) for text in (q, merchant) if text is not None and text.strip()]
    for i, pattern in enumerate(texts):
        params[f"t{i}"] = pattern
    count_q, page_q = _list_statements(bool(start_day), bool(end_day), "cat" in params, "kind" in params, len(texts))
    total = session.exec(count_q, params=params).one()
    rows = session.exec(page_q, params=params).all()
    return _TxPage(items=list(rows), total=int(total))


__all__ = [
    "DEFAULT_CATEGORY",
    "EARLIEST",
    "FUTURE_DAYS",
    "MAX_DESCRIPTION",
    "MAX_ID",
    "MAX_MERCHANT",
    "SHORT_DESCRIPTION",
    "TransactionPublic",
    "add_transaction",
    "as_kind",
    "as_source",
    "category_names",
    "check_tx_date",
    "choose_category",
    "clean_description",
    "clean_merchant",
    "clean_text",
    "default_category",
    "delete_transaction",
    "get_transaction",
    "last_transaction",
    "list_transactions",
    "memory_key",
    "merchant_match",
    "public_list",
    "public_page",
    "resolve_transaction_id",
    "to_public",
    "transaction_dict",
    "tx_date",
    "update_transaction",
]
