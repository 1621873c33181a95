"""The sign-in backoff is shared by every app instance on one database (issue 11): failures
counted on one instance lock the same (account, address) on another, concurrent failures are all
counted, and the owner is never locked out for good, nor from another address."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.clock import FixedClock
from assistant.db import make_engine, read_only_connection
from assistant.models import LoginFailure
from tests.api_support import PASSWORD, make_settings, signup
from web import create_app
from web.login_limits import ADDRESS_BACKOFF, PAIR_BACKOFF, LoginLimiter


@pytest.fixture
def two_instances(db_url: str, clock: FixedClock) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps, each with its own engine (its own connection pool), on one database, behind a
    trusted proxy so each request can say which client address it comes from."""
    engines = [make_engine(db_url), make_engine(db_url)]
    settings = make_settings(db_url, trusted_proxies=["testclient"])
    try:
        with (
            TestClient(create_app(settings, engine=engines[0], clock=clock)) as a,
            TestClient(create_app(settings, engine=engines[1], clock=clock)) as b,
        ):
            yield a, b
    finally:
        for eng in engines:
            eng.dispose()


def _address() -> dict[str, str]:
    return {"X-Forwarded-For": f"198.51.100.{uuid.uuid4().int % 250 + 1}"}


def test_failures_on_one_instance_lock_the_pair_on_the_other(
    two_instances: tuple[TestClient, TestClient], clock: FixedClock
) -> None:
    a, b = two_instances
    acct = signup(a)
    guesser, owner = _address(), {"X-Forwarded-For": "192.0.2.77"}
    wrong = {"email": acct.email, "password": "not the password"}
    right = {"email": acct.email, "password": PASSWORD}
    start = clock.now()
    try:
        # Five failures spread over the two instances, as a load balancer would spread them.
        codes = [(a if i % 2 else b).post("/api/auth/login", json=wrong, headers=guesser).status_code for i in range(5)]
        assert codes == [401] * 5
        for instance in (a, b):  # locked on both, even with the right password
            r = instance.post("/api/auth/login", json=right, headers=guesser)
            assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        # The owner, from another address, is not locked out.
        assert b.post("/api/auth/login", json=right, headers=owner).status_code == 200
        # Never for good: the lock is bounded, and once it is over the right password works.
        clock.advance(seconds=PAIR_BACKOFF.max_lock)
        assert a.post("/api/auth/login", json=right, headers=guesser).status_code == 200
    finally:
        clock.set(start)


def test_concurrent_failures_on_two_instances_are_all_counted(
    two_instances: tuple[TestClient, TestClient], clock: FixedClock, db_url: str
) -> None:
    a, b = two_instances
    acct = signup(a)
    guesser = _address()
    wrong = {"email": acct.email, "password": "not the password"}
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(
            pool.map(
                lambda i: (a if i % 2 else b).post("/api/auth/login", json=wrong, headers=guesser).status_code,
                range(16),
            )
        )
    assert set(codes) <= {401, 429}
    pair, addr = LoginLimiter.keys(acct.email, guesser["X-Forwarded-For"])
    eng = make_engine(db_url)
    try:
        with read_only_connection(eng) as conn:
            table = LoginFailure.__table__  # type: ignore[attr-defined]
            rows = conn.execute(select(table.c.key, table.c.failures).where(table.c.key.in_([pair, addr])))
            counted = {row.key: row.failures for row in rows}
    finally:
        eng.dispose()
    # Every wrong password that was checked (a 401) was counted once, on both keys: none lost to a race.
    assert counted == {pair: codes.count(401), addr: codes.count(401)}
    assert codes.count(401) >= PAIR_BACKOFF.threshold


def test_a_spray_from_one_address_locks_that_address_on_every_instance(
    two_instances: tuple[TestClient, TestClient], clock: FixedClock
) -> None:
    a, b = two_instances
    sprayer = _address()
    start = clock.now()
    try:
        for i in range(ADDRESS_BACKOFF.threshold):
            body = {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": "guess guess"}
            assert (a if i % 2 else b).post("/api/auth/login", json=body, headers=sprayer).status_code == 401, i
        acct = signup(b)
        right = {"email": acct.email, "password": PASSWORD}
        assert a.post("/api/auth/login", json=right, headers=sprayer).status_code == 429
        assert b.post("/api/auth/login", json=right, headers=_address()).status_code == 200
    finally:
        clock.set(start)
