"""Engine helpers: transactions begun on the driver, PostgreSQL reads in autocommit, pings after idle, and
the read-only / rolled-back / deferred-sync engine flags.

Why apart from db/__init__.py: how a connection is begun and flagged is one job; making engines and units of
work is another.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

_PG_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE (not imported: psycopg is only needed for PostgreSQL)


def _driver_begin(conn: Any, sql: str) -> None:
    """``BEGIN``/``BEGIN IMMEDIATE`` straight on the SQLite driver connection (a statement through
    SQLAlchemy's execution path cost ten times the driver's; every transaction begins so). A
    driver error is raised as SQLAlchemy's (``database is locked``: ``OperationalError``, a 503)."""
    try:
        conn.connection.dbapi_connection.execute(sql)
    except sqlite3.Error as err:
        raise DBAPIError.instance(sql, None, err, sqlite3.Error, hide_parameters=True, dialect=conn.dialect) from err


def _pg_reads_without_transaction(conn: Any, rolled_back: bool) -> None:
    """A unit of work that only reads and is always rolled back (``read_only``,
    ``read_only_connection``, a turn's snapshot) runs its statements in autocommit on PostgreSQL:
    no ``BEGIN``, no ``ROLLBACK``, and the connection's prepared statements survive it.

    At PostgreSQL's READ COMMITTED (its default, and this app's) every statement of a transaction
    takes a snapshot of its own, so wrapping reads in ``BEGIN`` ... ``ROLLBACK`` made them no
    more consistent with each other; it cost two round trips per unit of work, and psycopg's
    ``ROLLBACK`` also forgets every statement it had prepared on that connection (``DEALLOCATE
    ALL``, one more round trip), so the hot statements were prepared again and again and the
    counts towards preparing them (``prepare_threshold``) started over at every read. Under a
    stricter default isolation level (set on the server or the role) reads keep their
    transaction, whose snapshot then does hold across statements. Writes always get one, and so
    does a request's read-only unit of work (``read_only_engine``: a GET), which commits whatever
    it did write. What was rolled back is never written: ``_no_writes_in_autocommit`` refuses an
    INSERT, UPDATE or DELETE there, where it would have been committed at once. Set per unit of
    work, before its first statement (the connection is idle between units of work).
    """
    dbapi_conn = conn.connection.dbapi_connection
    want = rolled_back and conn.dialect.default_isolation_level == "READ COMMITTED"
    if dbapi_conn.autocommit != want and dbapi_conn.info.transaction_status == _PG_IDLE:
        dbapi_conn.autocommit = want


READ_ONLY_OPTION = "budgetwise_read_only"
READ_ONLY_SESSION = "budgetwise.read_only"
"""``Session.info`` key: the session never writes (``read_only``, a turn's read session), so what it
read once may stand for the rest of its short life instead of a second query (``services.totals``,
``services.budgets``); on PostgreSQL, whose read-committed statements could each see a later
commit, the repeats then agree with the first."""
DEFERRED_SYNC_OPTION = "budgetwise_deferred_sync"


def _flagged(engine: Engine, option: str) -> Engine:
    """``engine`` (same pool) with the execution option ``option`` set, made once and kept on it."""
    flagged: Engine | None = engine.__dict__.get("_" + option)
    if flagged is None:
        flagged = engine.execution_options(**{option: True})
        engine.__dict__["_" + option] = flagged
    return flagged


def read_only_engine(engine: Engine) -> Engine:
    """``engine`` (same pool) for sessions that only read: see ``read_only``."""
    return _flagged(engine, READ_ONLY_OPTION)


ROLLED_BACK_OPTION = "budgetwise_rolled_back"


def rolled_back_engine(engine: Engine) -> Engine:
    """``read_only_engine`` for units of work that are always rolled back (``read_only_connection``,
    a turn's snapshot): on PostgreSQL their statements run in autocommit
    (``_pg_reads_without_transaction``)."""
    flagged: Engine | None = engine.__dict__.get("_" + ROLLED_BACK_OPTION)
    if flagged is None:
        flagged = read_only_engine(engine).execution_options(**{ROLLED_BACK_OPTION: True})
        engine.__dict__["_" + ROLLED_BACK_OPTION] = flagged
    return flagged
