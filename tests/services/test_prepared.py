"""The hot statements run straight on the SQLite driver (``assistant.db.Prepared``) read and write
exactly what SQLAlchemy's own path does, raise the same errors, and step aside for listeners."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant.clock import FixedClock
from assistant.db import Prepared, read_only_connection, unit_of_work, write_connection
from assistant.models import Category, ChatMessage, TxKind
from assistant.services import amount_history, budgets, conversations, pace, subscription_lists, totals
from assistant.services.budgets import set_budget
from assistant.services.subscriptions import add_subscription
from assistant.services.transactions import add_transaction
from assistant.services.users import create_user


@pytest.fixture
def ledger(engine: Engine, clock: FixedClock) -> int:
    """A user with budgets, a subscription, and expenses, refunds and income over two months."""
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"p-{uuid.uuid4().hex[:10]}@example.com", timezone="America/New_York")
        set_budget(s, user, "Dining", 200, clock=clock)
        set_budget(s, user, "Groceries", "410.50", clock=clock)
        add_subscription(s, user, name="Netflix", amount="15.49", cadence="monthly", clock=clock)
        for i, (kind, amount, category, day) in enumerate(
            [
                (TxKind.EXPENSE, "12.50", "Dining", "2026-11-21"),
                (TxKind.EXPENSE, "87.20", "Groceries", "2026-11-02"),
                (TxKind.REFUND, "5.25", "Dining", "2026-11-03"),
                (TxKind.INCOME, "3200", None, "2026-11-01"),
                (TxKind.EXPENSE, "40", "Dining", "2026-10-12"),
            ]
        ):
            add_transaction(
                s, user, kind=kind, amount=amount, category=category, date=day, description=f"row {i}", clock=clock
            )
        assert user.id is not None
        return user.id


def _cases(engine: Engine, uid: int) -> list[tuple[Prepared, dict[str, object]]]:
    with read_only_connection(engine) as conn:
        c = Category.__table__.c  # type: ignore[attr-defined]
        dining = conn.execute(select(c.id).where(c.user_id == uid, c.name == "Dining")).scalar_one()
    nov = {"first": dt.date(2026, 11, 1), "last": dt.date(2026, 11, 30)}
    two = {"b0": "oct", "f0": dt.date(2026, 10, 1), "l0": dt.date(2026, 10, 31), "b1": "nov", "f1": nov["first"]}
    return [
        (conversations._HEAD, {"uid": uid}),
        (budgets._EFFECTIVE, {"uid": uid, "month": "2026-11"}),
        (budgets._LINE_ONE, {"uid": uid, "month": "2026-11", "cid": dining, "ucur": "USD", **nov}),
        (
            totals._totals_statement(1, False),
            {"uid": uid, "ucur": "USD", "lo": nov["first"], "hi": nov["last"], "b0": "nov"},
        ),
        (
            totals._totals_statement(2, False),
            {"uid": uid, "ucur": "USD", "lo": two["f0"], "hi": nov["last"], **two, "l1": nov["last"]},
        ),
        (pace._FIXED_IDS, {"uid": uid}),
        (pace._PAID, {"uid": uid, "start": dt.date(2026, 8, 1), "end": dt.date(2026, 11, 30)}),
        (subscription_lists._ACTIVE, {"uid": uid}),
        (
            amount_history._IN_CATEGORY,
            {
                "uid": uid,
                "kind": TxKind.EXPENSE,
                "currency": "USD",
                "threshold": Decimal("10"),
                "start": dt.date(2026, 9, 1),
                "end": dt.date(2026, 11, 22),
                "category": "dining",
            },
        ),
    ]


def test_prepared_reads_give_what_sqlalchemy_gives(engine: Engine, ledger: int) -> None:
    for prepared, params in _cases(engine, ledger):
        with read_only_connection(engine) as conn:
            fast = prepared.execute(conn, params)
            slow = conn.execute(prepared.statement, params).all()
        assert [tuple(r) for r in fast] == [tuple(r) for r in slow], prepared.statement
        assert fast, "every case reads something"
        if prepared is subscription_lists._ACTIVE:  # rows read by name
            assert fast[0].name == "Netflix" and fast[0].amount == Decimal("15.49")
        for mine, theirs in zip(fast, slow, strict=True):  # the same Python types (money as Decimal, days as dates)
            assert [type(v) for v in mine] == [type(v) for v in theirs]


def test_prepared_writes_store_what_sqlalchemy_stores(engine: Engine, ledger: int) -> None:
    when = dt.datetime(2026, 11, 22, 17, 0, 1, 250, tzinfo=dt.UTC)
    calls = [{"name": "log_expense", "args": {"amount": "5.00"}, "ok": True, "result": {"ok": True, "n": "1.00"}}]
    rows = []
    for turn, run in (("fast", conversations._SAVE.execute), ("slow", None)):
        common = {"user_id": ledger, "turn_id": turn, "created_at": when}
        values = [
            {"role": "user", "content": "spent 5", "tool_calls": [], **common},
            {"role": "assistant", "content": "Done.", "tool_calls": calls, **common},
        ]
        with write_connection(engine) as conn:
            if run is not None:
                run(conn, values)
            else:
                conn.execute(insert(ChatMessage.__table__), values)  # type: ignore[attr-defined]
        m = ChatMessage.__table__.c  # type: ignore[attr-defined]
        with read_only_connection(engine) as conn:
            query = select(m.role, m.content, m.tool_calls, m.created_at).where(m.turn_id == turn).order_by(m.id)
            rows.append([tuple(r) for r in conn.execute(query)])
    assert rows[0] == rows[1] and len(rows[0]) == 2


def test_a_constraint_broken_on_the_direct_path_is_sqlalchemys_error(engine: Engine, ledger: int) -> None:
    bad = {"role": "user", "content": "x", "tool_calls": [], "user_id": 2**31 - 7, "turn_id": "t", "created_at": None}
    with pytest.raises(IntegrityError), write_connection(engine) as conn:
        conversations._SAVE.execute(conn, [bad])


def test_statements_take_sqlalchemys_path_while_something_listens(engine: Engine, ledger: int) -> None:
    seen: list[str] = []

    def listen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        with read_only_connection(engine) as conn:
            rows = conversations._HEAD.execute(conn, {"uid": ledger})
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert rows and any("context_version" in s for s in seen)
