"""Group commit for the socket's own database work: many sockets, one transaction, one hop.

Why: every chat message is checked against the database (the token still holds), and a message
with an id is claimed before its turn and keeps its reply after it. Done one by one, each is a
worker-thread hop, a pooled connection and, for the writes, a transaction of its own: on SQLite
one writer at a time, each commit an fsync, so 50 busy sockets queued behind each other's
commits. Here jobs that arrive while a batch is in the database wait for the next one, which
runs them all in one transaction (one ``BEGIN IMMEDIATE``/commit for the writes). Each job still
gets its own answer (or its own exception, when the whole batch fails), and a caller awaits its
job before it goes on, so the order of one socket's messages, claims and replies is unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

from assistant.db import read_only_connection, write_connection

T = TypeVar("T")
Job = Callable[[Connection], Any]


class Batcher:
    """Jobs (functions of a connection) run together, in one transaction in one worker thread."""

    def __init__(self, connect: Callable[[], AbstractContextManager[Connection]], max_batch: int = 200) -> None:
        self._connect = connect
        self._max = max_batch
        self._jobs: list[tuple[Job, asyncio.Future[Any]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def run(self, job: Callable[[Connection], T]) -> T:
        """``job(conn)`` in the next batch's transaction; its result, or what it raised."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.append((job, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = loop.create_task(self._drain(), name="ws-db-batch")
        return await future

    async def _drain(self) -> None:
        while self._jobs:
            batch, self._jobs = self._jobs[: self._max], self._jobs[self._max :]
            live = [(job, fut) for job, fut in batch if not fut.done()]  # a closed socket's job is dropped
            if not live:
                continue
            try:
                results = await asyncio.to_thread(self._run_all, [job for job, _ in live])
            except Exception as exc:  # the transaction failed: every job in it did
                for _, fut in live:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for (_, fut), (ok, value) in zip(live, results, strict=True):
                if fut.done():
                    continue
                if ok:
                    fut.set_result(value)
                else:
                    fut.set_exception(value)

    def _run_all(self, jobs: list[Job]) -> list[tuple[bool, Any]]:
        out: list[tuple[bool, Any]] = []
        with self._connect() as conn:
            for job in jobs:
                try:
                    out.append((True, job(conn)))
                except _JobRefused as refused:  # the job's own answer, not a database failure
                    out.append((False, refused.error))
        return out


class _JobRefused(Exception):
    def __init__(self, error: Exception) -> None:
        self.error = error


def refuse(error: Exception) -> _JobRefused:
    """Raise this from a job to fail that job alone (its queries so far changed nothing)."""
    return _JobRefused(error)


class SocketDatabase:
    """The socket layer's two batchers on one engine: reads (snapshots) and writes (commits)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.reads = Batcher(lambda: read_only_connection(engine))
        self.writes = Batcher(lambda: write_connection(engine))
