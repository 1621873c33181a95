"""Engines and units of work.

SQLite gets WAL and ``synchronous=FULL`` (durable on power loss, readers never block the
writer); PostgreSQL goes through psycopg 3. One transaction per request, tool call or job:
``unit_of_work`` commits at the end or rolls everything back, so a service never leaves a
half-written row.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError, InvalidRequestError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from ..private_files import prepare_sqlite_file
from .reads import (
    DEFERRED_SYNC_OPTION as DEFERRED_SYNC_OPTION,
)
from .reads import (
    READ_ONLY_OPTION as READ_ONLY_OPTION,
)
from .reads import (
    READ_ONLY_SESSION as READ_ONLY_SESSION,
)
from .reads import (
    ROLLED_BACK_OPTION as ROLLED_BACK_OPTION,
)
from .reads import (
    _driver_begin,
    _flagged,
    _pg_reads_without_transaction,
)
from .reads import (
    read_only_engine as read_only_engine,
)
from .reads import (
    rolled_back_engine as rolled_back_engine,
)

# How long a request waits for a pooled connection (or, on SQLite, for the writer lock) before
# it is answered 503 with Retry-After: long enough to ride out a burst, short enough that a
# truly saturated database is a quick "try again", never a 30-second hang.
POOL_TIMEOUT_SECONDS = 2.0
WRITER_TIMEOUT_SECONDS = 5.0
# A pooled PostgreSQL connection idle longer than this is pinged before use (see _ping_when_idle).
PING_AFTER_IDLE_SECONDS = 10.0
# Connections the pool keeps open: the units of work running at once (the web app's admission
# slots, 12 by default) plus the few that run outside them (the chat socket layer's two group
# commits, the session sweep, sign-ins and sign-ups). Any beyond are opened for one unit of work
# and closed when it ends; with 10 kept, a saturated PostgreSQL server forked a new backend
# (cold caches, no prepared statements) about twice a second. Up to 40 in all, as many as AnyIO
# has worker threads: a thread never waits for a connection another request's thread holds.
OUTSIDE_ADMISSION = 8
DEFAULT_IN_FLIGHT = 12
MAX_CONNECTIONS = 40


def normalize_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` and route both through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class _WriterQueue:
    """This process's writers to one SQLite file, one at a time, served first come, first served.

    SQLite lets one writer in at a time anyway (``BEGIN IMMEDIATE``); a writer that finds the
    lock taken sleeps in its busy handler and polls, with sleeps of up to 100 ms, so under
    load most of a write's latency was sleeping after the lock had already come free. Taking
    this queue first lines the process's writers up and hands the lock to the next one as soon
    as the last one's connection is back in the pool (after its commit or rollback). Other
    processes still meet at ``BEGIN IMMEDIATE`` as before; durability is unchanged (WAL,
    ``synchronous=FULL``).

    The hand-over is in arrival order. A plain ``threading.Lock`` lets whichever waiter the OS
    wakes first (or the releasing thread itself) take it: under a flood of REST writes a chat
    turn, which enters three or four times, lost that lottery again and again (turn p99 16 s with
    REST p99 1 s). A writer that has waited ``timeout`` seconds gives up its place; the caller
    then answers 503 with Retry-After rather than wait longer.
    """

    def __init__(self, timeout: float = WRITER_TIMEOUT_SECONDS) -> None:
        self._mutex = threading.Lock()
        self._holder: Any = None
        self._waiting: deque[tuple[threading.Lock, Any]] = deque()
        self._timeout = timeout

    def enter(self, dbapi_conn: Any) -> None:
        with self._mutex:
            if self._holder is dbapi_conn:  # a second transaction on the same checked-out connection
                return
            if self._holder is None and not self._waiting:
                self._holder = dbapi_conn
                return
            turn = threading.Lock()
            turn.acquire()
            entry = (turn, dbapi_conn)
            self._waiting.append(entry)
        if turn.acquire(timeout=self._timeout):
            return  # ``leave_event`` made this connection the holder before waking it
        with self._mutex:
            if self._holder is dbapi_conn:  # handed over just as the wait ran out
                return
            self._waiting.remove(entry)
        raise WriterBusy(f"waited {self._timeout:g} s for the SQLite writer lock")

    def leave_event(self, dbapi_conn: Any, *_: Any) -> None:
        """Pool events (checkin, close, detach, invalidate): the holder's transaction is over."""
        if dbapi_conn is None:
            return
        with self._mutex:
            if self._holder is not dbapi_conn:
                return
            if self._waiting:
                turn, self._holder = self._waiting.popleft()
                turn.release()
            else:
                self._holder = None


class WriterBusy(OperationalError):
    """Every writer ahead in SQLite's queue took longer than the wait allows: answered 503."""

    def __init__(self, message: str) -> None:
        super().__init__(message, None, Exception(message))


def _pool_sizes(kwargs: dict[str, Any], in_flight: int) -> None:
    keep = in_flight + OUTSIDE_ADMISSION
    kwargs.setdefault("pool_size", keep)
    kwargs.setdefault("max_overflow", max(0, MAX_CONNECTIONS - keep))
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT_SECONDS)


def make_engine(
    url: str, *, writer_timeout: float = WRITER_TIMEOUT_SECONDS, in_flight: int = DEFAULT_IN_FLIGHT, **kwargs: Any
) -> Engine:
    """An engine for ``url``; ``writer_timeout``: how long a SQLite writer queues before a 503;
    ``in_flight``: units of work run at once (the admission slots), which the pool keeps open."""
    url = normalize_url(url)
    # Errors never quote a statement's values: they are user input (descriptions, emails) and end up in logs.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        prepare_sqlite_file(url)  # 0600 from the first instant; -wal and -shm inherit its mode
        connect_args = {"check_same_thread": False, "timeout": WRITER_TIMEOUT_SECONDS}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        elif "poolclass" not in kwargs:
            _pool_sizes(kwargs, in_flight)
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy own BEGIN so SAVEPOINTs and rollbacks behave (pysqlite quirk).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(WRITER_TIMEOUT_SECONDS * 1000)}")
            cur.close()

        writers = _WriterQueue(writer_timeout) if kwargs.get("poolclass") is not StaticPool else None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front: a transaction that reads and then writes
            # cannot be refused half-way ("database is locked") when another writer committed
            # in between; busy_timeout makes it wait its turn instead.
            # A read-only session (``read_only``) never writes, so it takes a plain deferred
            # BEGIN: a WAL snapshot that neither waits for the writer nor holds it up.
            options = conn.get_execution_options()
            if options.get(READ_ONLY_OPTION):
                _driver_begin(conn, "BEGIN")
                return
            # A bookkeeping write (``unit_of_work(durable=False)``) commits without its own fsync;
            # every other write keeps synchronous=FULL. Set per transaction, before it begins.
            info = conn.connection.info
            want = "NORMAL" if options.get(DEFERRED_SYNC_OPTION) else "FULL"
            if info.get("budgetwise_synchronous", "FULL") != want:
                conn.exec_driver_sql(f"PRAGMA synchronous={want}")
                info["budgetwise_synchronous"] = want
            if writers is not None:
                writers.enter(conn.connection.dbapi_connection)
            _driver_begin(conn, "BEGIN IMMEDIATE")

        if writers is not None:
            for name in ("checkin", "close", "detach", "invalidate"):
                event.listen(engine, name, writers.leave_event)

        return engine
    ping_idle = "pool_pre_ping" not in kwargs
    if "poolclass" not in kwargs:
        _pool_sizes(kwargs, in_flight)
    engine = create_engine(url, **kwargs)
    if ping_idle:
        _ping_when_idle(engine)
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "begin")
        def _pg_begin(conn: Any) -> None:
            options = conn.get_execution_options()
            _pg_reads_without_transaction(conn, bool(options.get(ROLLED_BACK_OPTION)))
            # A bookkeeping write (``unit_of_work(durable=False)``) does not wait for its WAL flush.
            if options.get(DEFERRED_SYNC_OPTION):
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")

        @event.listens_for(engine, "before_cursor_execute")
        def _no_writes_in_autocommit(
            _conn: Any, cursor: Any, _statement: str, _params: Any, context: Any, _many: bool
        ) -> None:
            # A unit of work that is rolled back never wrote anything; in autocommit a write
            # would stay, so it is refused (a bug, never a user's input). Text SQL is not checked.
            writes = context is not None and (context.isinsert or context.isupdate or context.isdelete)
            if writes and cursor.connection.autocommit:
                raise InvalidRequestError("a write in a read-only unit of work (it is never committed)")

    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for a while.

    ``pool_pre_ping`` sends a ``SELECT 1`` at every checkout: a round trip per unit of work, and
    a REST request or a chat turn takes two to six of them. A connection handed back less than
    ``PING_AFTER_IDLE_SECONDS`` ago was just working; one idle longer (the server may have
    restarted, a proxy may have dropped it) is pinged and, if dead, replaced before use, as
    ``pool_pre_ping`` would. A server that dies while connections are busy is met by
    SQLAlchemy's disconnect handling: that unit of work fails (a 503) and the pool is refreshed.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["budgetwise_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("budgetwise_idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("the pooled connection is gone") from exc


_engines: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for a URL (the configured one by default)."""
    if url is None:
        from .settings import get_settings

        url = get_settings().database_url
    url = normalize_url(url)
    if url not in _engines:
        _engines[url] = make_engine(url)
    return _engines[url]


def deferred_sync_engine(engine: Engine) -> Engine:
    """``engine`` (same pool) for bookkeeping writes: see ``unit_of_work(durable=False)``."""
    return _flagged(engine, DEFERRED_SYNC_OPTION)


@contextmanager
def unit_of_work(engine: Engine, *, durable: bool = True) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back on any error.

    ``durable=False`` is for bookkeeping that a later durable commit covers, never for anything
    acknowledged to the user on its own: its commit does not wait for the disk (SQLite
    ``synchronous=NORMAL`` for that transaction, PostgreSQL ``synchronous_commit=off``). Both
    logs are written in order and a durable commit flushes everything before it, so after a power
    cut such a write is either on disk or lost together with every later write; it can never
    survive without what came before it, nor can a later durable write survive without it. The
    sign-in backoff's failure counts are the user (a power cut forgets a few failures).
    """
    with Session(engine if durable else deferred_sync_engine(engine), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_only(engine: Engine) -> Iterator[Session]:
    """A session that only reads and is always rolled back.

    On SQLite it begins with a deferred ``BEGIN`` instead of ``BEGIN IMMEDIATE``: WAL gives it a
    consistent snapshot without the write lock, so reads never queue behind a writer's fsync.
    It is an ORM session over ``read_only_connection``, whose transaction is always rolled back.
    """
    with (
        read_only_connection(engine) as conn,
        Session(conn, expire_on_commit=False, join_transaction_mode="rollback_only") as session,
    ):
        session.info[READ_ONLY_SESSION] = True
        yield session


@contextmanager
def read_only_connection(engine: Engine) -> Iterator[Connection]:
    """``read_only`` without the ORM session, for hot paths that read with Core statements."""
    with rolled_back_engine(engine).connect() as conn:
        conn.begin()
        try:
            yield conn
        finally:
            conn.rollback()


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """``unit_of_work`` without the ORM session: one transaction (``BEGIN IMMEDIATE`` on SQLite)
    on a Core connection, committed when the block ends, rolled back on any error."""
    with engine.begin() as conn:
        yield conn


@contextmanager
def sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """Foreign-key enforcement off on a SQLite connection for a migration, then on again.

    Rebuilding a table (Alembic's batch mode) drops the old one, and with enforcement on that drop
    would run the ``ON DELETE`` actions of every table that points at it (cascading deletes, ids
    set to NULL). The pragma is ignored inside a transaction, so it is set on the driver
    connection before the migration begins its own.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    if conn.in_transaction():
        raise RuntimeError("turn SQLite foreign keys off before the migration's transaction begins")
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        bad = raw.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise RuntimeError(f"the migration left rows that point nowhere: {bad[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


from .prepared import Prepared as Prepared  # noqa: E402
from .turn import KeepReply as KeepReply  # noqa: E402  (builds on the helpers above)
from .turn import TurnConnection as TurnConnection  # noqa: E402  (builds on the helpers above)
