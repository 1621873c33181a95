"""Hot Core statements compiled once and run straight on the SQLite driver (``Prepared``).

Why: SQLAlchemy's own execution path cost about 150 Python calls per statement (cache-key lookup,
execution context, parameter and result set-up, event dispatch), more than SQLite took to run
most of a turn's statements, and a chat turn runs about five. A ``Prepared`` statement is compiled
once for the SQLite dialect (SQL text, the order of its parameters, their bind processors, its
columns' result processors), then each call binds its values through the same processors and runs
the SQL on the driver connection of the caller's ``Connection``: the same SQL text, the same
stored values, the same Python values back as ``Connection.execute`` would give.

It falls back to ``Connection.execute`` (and gives its rows) wherever the direct path could differ:
any database but SQLite (PostgreSQL's driver adapts its own types and its engine checks every
write), a connection with no transaction open (``execute`` would begin one), a connection whose
engine has statement-level event listeners (they would not see the statement), a statement that
needs Python-side column defaults or an IN list bound per call, rows asked of many parameter sets,
and a value missing or refused by its type (SQLAlchemy's path raises its own error). A driver
error is raised as SQLAlchemy's (``database is locked``: ``OperationalError``, answered 503; a
constraint: ``IntegrityError``), parameters hidden.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

Processor = Callable[[Any], Any] | None


class _Compiled:
    """The statement as SQLite runs it: its SQL, each positional parameter's name, default and bind
    processor, and each result column's processor (None where the driver's value is the value)."""

    __slots__ = ("binds", "returns_rows", "row", "sql")

    def __init__(self, statement: Executable, dialect: Dialect, column_keys: Sequence[str] | None, named: bool) -> None:
        compiled: Any = cast(ClauseElement, statement).compile(
            dialect=dialect, column_keys=list(column_keys) if column_keys is not None else None
        )
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            raise _NotPreparable("Python-side column defaults")
        binds = compiled.binds
        if any(bp.expanding and (bp.required or bp.value is None) for bp in binds.values()):
            raise _NotPreparable("an IN list bound per call")
        # IN lists of constants (``kind IN ('expense', 'income')``) rendered once, one parameter each
        state = compiled.construct_expanded_state({name: None for name, bp in binds.items() if bp.required})
        defaults, processors = state.parameters, {**compiled._bind_processors, **state.processors}
        self.sql = state.statement
        required = {name for name, bp in binds.items() if bp.required}
        self.binds: tuple[tuple[str, Any, Processor], ...] = tuple(
            (name, _REQUIRED if name in required else defaults.get(name), processors.get(name))
            for name in (state.positiontup or ())
        )
        columns = getattr(compiled, "_result_columns", None) or []
        self.returns_rows = bool(columns)
        result: list[Processor] = [col.type._cached_result_processor(dialect, None) for col in columns]
        self.row: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None
        procs = tuple(result)
        make: Any = tuple
        if named:
            make = namedtuple("Row", [col.keyname for col in columns])._make  # type: ignore[misc,attr-defined]
        if any(p is not None for p in procs):
            self.row = lambda raw: make(v if p is None else p(v) for p, v in zip(procs, raw, strict=True))
        elif named:
            self.row = make

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, default, process in self.binds:
            value = params.get(name, default)
            if value is _REQUIRED:
                raise _NotPreparable(f"no value for {name}")  # SQLAlchemy's path says so
            out.append(value if process is None else process(value))
        return out


class _NotPreparable(Exception):
    pass


_REQUIRED = object()  # a parameter the caller must give


class Prepared:
    """``statement`` run by ``execute(conn, params)`` (one mapping, or a list of them for many rows):
    the rows it returns as a list (none for a write without ``RETURNING``), as tuples, or with
    ``named`` as named tuples (``row.amount``). ``column_keys``: an INSERT's columns, as given."""

    __slots__ = ("_column_keys", "_named", "_sqlite", "statement")

    def __init__(self, statement: Executable, *, column_keys: Sequence[str] | None = None, named: bool = False) -> None:
        self.statement = statement
        self._column_keys = tuple(column_keys) if column_keys is not None else None
        self._named = named
        self._sqlite: _Compiled | bool | None = False  # False: not compiled yet; None: not preparable

    def _compiled(self, dialect: Dialect) -> _Compiled | None:
        found = self._sqlite
        if found is False:
            try:
                found = _Compiled(self.statement, dialect, self._column_keys, self._named)
            except _NotPreparable:
                found = None
            self._sqlite = found
        return found  # type: ignore[return-value]

    def execute(self, conn: Connection, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[Any]:
        if conn.dialect.name != "sqlite" or not conn.in_transaction() or _observed(conn):
            return _slow(conn, self.statement, params)
        compiled = self._compiled(conn.dialect)
        if compiled is None:
            return _slow(conn, self.statement, params)
        raw = conn.connection.dbapi_connection
        assert raw is not None
        many = not isinstance(params, Mapping)
        if many and compiled.returns_rows:  # the driver's executemany returns no rows
            return _slow(conn, self.statement, params)
        try:
            args = [compiled.args(p) for p in params] if many else compiled.args(params)  # type: ignore[arg-type]
        except Exception:  # a value missing, or one its type refuses: SQLAlchemy's path raises its own error
            return _slow(conn, self.statement, params)
        try:
            cursor = raw.executemany(compiled.sql, args) if many else raw.execute(compiled.sql, args)
            try:
                rows = cursor.fetchall() if compiled.returns_rows else []
            finally:
                cursor.close()
        except sqlite3.Error as err:
            raise DBAPIError.instance(
                compiled.sql, None, err, sqlite3.Error, hide_parameters=True, dialect=conn.dialect
            ) from err
        row = compiled.row
        return rows if row is None else [row(r) for r in rows]


def _observed(conn: Connection) -> bool:
    """Whether anything listens to statements on this connection's engine or dialect (a test counting
    statements, a tracer): then every statement takes SQLAlchemy's path, where they see it. Read
    from the listener lists themselves: a connection's joined event dispatcher is rebuilt per
    connection and cost more to ask than the statement's whole direct path."""
    engine: Any = conn.engine
    base = engine.__dict__.get("_budgetwise_base")
    if base is None:
        base = engine
        while (inner := getattr(base, "_proxied", None)) is not None:  # an option engine: its engine's
            base = inner
        engine.__dict__["_budgetwise_base"] = base
    e, d = base.dispatch, conn.dialect.dispatch
    return bool(
        e.before_execute.listeners
        or e.before_execute.parent_listeners
        or e.after_execute.listeners
        or e.after_execute.parent_listeners
        or e.before_cursor_execute.listeners
        or e.before_cursor_execute.parent_listeners
        or e.after_cursor_execute.listeners
        or e.after_cursor_execute.parent_listeners
        or d.do_execute.listeners
        or d.do_execute.parent_listeners
        or d.do_executemany.listeners
        or d.do_executemany.parent_listeners
        or d.handle_error.listeners
        or d.handle_error.parent_listeners
    )


def _slow(conn: Connection, statement: Executable, params: Any) -> list[Any]:
    result = conn.execute(statement, params)
    return list(result.all()) if result.returns_rows else []
