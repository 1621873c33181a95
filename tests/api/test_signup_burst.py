# ruff: noqa: F811  (pytest fixtures imported from api_support are parameters here)
"""A burst of sign-ups queues for the password hash without taking the threads every other
request needs (issue 11), and the hash stays at an OWASP argon2id profile."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import anyio.to_thread
from fastapi.testclient import TestClient
from pwdlib.hashers.argon2 import Argon2Hasher

from tests.api_support import PASSWORD, app, client, signup  # noqa: F401
from web import security


def test_password_hashes_are_argon2id_at_an_owasp_profile_and_old_ones_verify() -> None:
    stored = security.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=7168,t=5,p=1$")
    assert security.verify_password(PASSWORD, stored) and not security.verify_password("wrong password!", stored)
    # Hashes made with the earlier parameters (19 MiB, t=2; argon2-cffi's 64 MiB, t=3, p=4) still verify.
    for old in (Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1), Argon2Hasher()):
        assert security.verify_password(PASSWORD, old.hash(PASSWORD))


def test_sign_ups_waiting_for_the_hash_hold_no_worker_thread(client: TestClient) -> None:
    acct = signup(client)
    portal = client.portal  # type: ignore[attr-defined]

    def limit_threads(tokens: int) -> int:
        limiter = anyio.to_thread.current_default_thread_limiter()
        before, limiter.total_tokens = limiter.total_tokens, tokens
        return int(before)

    before = portal.call(limit_threads, 2)
    gate = threading.Event()
    busy = [security._hasher.submit(gate.wait, 30) for _ in range(security._HASH_WORKERS)]  # every hasher busy
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            bodies = [{"email": f"b-{uuid.uuid4().hex[:10]}@example.com", "password": PASSWORD} for _ in range(6)]
            signups = [pool.submit(client.post, "/api/auth/register", json=b) for b in bodies]
            # Six sign-ups wait for a hasher; the app's two worker threads still serve others.
            for _ in range(3):
                assert client.get("/api/goals", headers=acct.headers).status_code == 200
            assert not any(f.done() for f in signups)
            gate.set()
            assert [f.result(timeout=60).status_code for f in signups] == [201] * 6
    finally:
        gate.set()
        for f in busy:
            f.result(timeout=30)
        portal.call(limit_threads, before)
