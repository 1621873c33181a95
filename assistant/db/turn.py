"""One connection for a whole chat turn (``TurnConnection``), kept apart from the engines and
units of work in ``assistant.db`` that it builds on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from . import READ_ONLY_OPTION, READ_ONLY_SESSION, ROLLED_BACK_OPTION, rolled_back_engine


class TurnConnection:
    """One pooled connection for a chat turn that runs whole on one worker thread (no network).

    Its reads (the context, the policy's ledger checks, read-only tools) share one read-only
    transaction, a snapshot: a deferred ``BEGIN`` on SQLite, as ``read_only`` takes. A write ends
    the snapshot and runs its own transaction on the same connection (``BEGIN IMMEDIATE`` on
    SQLite, as ``unit_of_work``); a read after the write's commit takes a new connection (so the
    written one goes back to the pool, which hands SQLite's writer queue on) and a new snapshot,
    which sees the write. ``close`` rolls back whatever is still open and hands the connection
    back; the turn's owner calls it on every path.
    """

    __slots__ = ("_conn", "_wrote", "engine")

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._wrote = False

    def reading(self) -> Connection:
        """The connection in a read-only transaction (the turn's snapshot, begun if none is open)."""
        conn = self._conn
        if conn is not None and self._wrote and not conn.in_transaction():
            self.close()
            conn = None
        if conn is None:
            conn = self._conn = rolled_back_engine(self.engine).connect()
        if not conn.in_transaction():
            conn.begin()
        return conn

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """``read_only`` on the turn's snapshot: the session ends, the snapshot stays (rolled back,
        for a fresh one, when the block raised)."""
        session = Session(bind=self.reading(), join_transaction_mode="rollback_only", expire_on_commit=False)
        session.info[READ_ONLY_SESSION] = True
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """``read_session`` without the ORM session, for Core reads (the snapshot rolled back, for a
        fresh one, when the block raised)."""
        conn = self.reading()
        try:
            yield conn
        except BaseException:
            if conn.in_transaction():
                conn.rollback()
            raise

    def writing(self) -> Connection:
        """The connection with no transaction open, set for a write: its next ``begin`` (or a
        session bound to it) is a write transaction. The snapshot, if any, ends here."""
        conn = self._conn
        if conn is None:
            conn = self._conn = self.engine.connect()
        elif conn.in_transaction():
            conn.rollback()
        conn.execution_options(**{READ_ONLY_OPTION: False, ROLLED_BACK_OPTION: False})
        self._wrote = True
        return conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """``write_connection`` on the turn's connection."""
        conn = self.writing()
        with conn.begin():
            yield conn

    def close(self) -> None:
        """Roll back what is open and hand the connection back to the pool."""
        conn, self._conn, self._wrote = self._conn, None, False
        if conn is not None:
            conn.close()


class KeepReply:
    """Where the caller keeps a turn's reply (a remembered chat message's, with its id): ``write``
    runs inside the transaction that stores the turn's chat rows (and a write turn's held write),
    so keeping it costs no transaction of its own. ``kept`` is True once that transaction has
    committed; while it is False (a turn that failed, a confirmation, a commit that failed) the
    caller keeps the reply itself."""

    __slots__ = ("kept", "write")

    def __init__(self, write: Callable[[Connection, dict[str, Any]], None]) -> None:
        self.write = write
        self.kept = False
