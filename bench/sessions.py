"""Sessions and retries, measured on loopback: how fast revoked sockets close, how a copied
refresh token is caught, how one key makes concurrent retries one write, and what the sign-in
backoff lets through.

Run: ``python bench/sessions.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/DB]``. Without
``--pg`` it runs on a fresh SQLite file. The app runs in this process (uvicorn in a thread, as
the tests' live server) with a clock the script moves, so token expiry needs no waiting. Bounded:
a few hundred requests and a few sockets.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import migrate  # noqa: E402
from assistant.clock import FixedClock  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tests.e2e_server import LiveServer  # noqa: E402
from web import create_app  # noqa: E402

PASSWORD = "correct horse battery staple"
SECRET = "bench-secret-" + "s" * 60


async def register(http: httpx.AsyncClient) -> dict[str, Any]:
    email = f"b-{uuid.uuid4().hex[:12]}@example.com"
    r = await http.post("/api/auth/register", json={"email": email, "password": PASSWORD})
    r.raise_for_status()
    return dict(r.json()) | {"email": email}


async def open_socket(url: str, token: str) -> Any:
    ws = await websockets.connect(url.replace("http", "ws", 1) + "/ws/chat")
    await ws.send(json.dumps({"type": "auth", "token": token}))
    assert json.loads(await ws.recv())["type"] == "ready"
    return ws


async def closed_after(ws: Any, timeout: float = 10.0) -> tuple[float, int | None, list[str]]:
    """Seconds until the server closes ``ws``, its close code, and the event types seen first."""
    start = time.monotonic()
    seen: list[str] = []
    try:
        while True:
            seen.append(json.loads(await asyncio.wait_for(ws.recv(), timeout))["type"])
    except websockets.ConnectionClosed as closed:
        return time.monotonic() - start, closed.rcvd.code if closed.rcvd else None, seen


async def scenario(url: str, clock: FixedClock) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        # 1. Sign-out closes 10 idle sockets of the user.
        acct = await register(http)
        socks = [await open_socket(url, acct["access_token"]) for _ in range(10)]
        auth = {"Authorization": f"Bearer {acct['access_token']}"}
        start = time.monotonic()
        await http.post("/api/auth/logout", headers=auth)
        results = await asyncio.gather(*(closed_after(ws) for ws in socks))
        worst = time.monotonic() - start
        codes = {r[1] for r in results}
        rows.append(("sign-out -> 10 idle sockets closed", f"codes {sorted(codes)}, slowest {worst * 1000:.0f} ms"))

        # 2. Expiry: the clock passes the access token's end.
        acct = await register(http)
        ws = await open_socket(url, acct["access_token"])
        clock.advance(minutes=61)
        took, code, seen = await closed_after(ws)
        rows.append(("token expiry -> socket closed", f"code {code} after {took * 1000:.0f} ms, events {seen}"))

        # 3. A copied refresh token: rotation, then the reuse revokes the family.
        acct = await register(http)
        first = await http.post("/api/auth/refresh", json={"refresh_token": acct["refresh_token"]})
        clock.advance(seconds=11)
        ws = await open_socket(url, first.json()["access_token"])
        reuse = await http.post("/api/auth/refresh", json={"refresh_token": acct["refresh_token"]})
        took, code, _ = await closed_after(ws)
        newest = await http.post("/api/auth/refresh", json={"refresh_token": first.json()["refresh_token"]})
        rows.append(
            (
                "refresh reuse",
                f"rotate {first.status_code}, reuse {reuse.status_code}, family's newest {newest.status_code}, "
                f"its socket closed {code} in {took * 1000:.0f} ms",
            )
        )

        # 4. 50 concurrent copies of one write with one Idempotency-Key.
        acct = await register(http)
        auth = {"Authorization": f"Bearer {acct['access_token']}"}
        body = {"kind": "expense", "amount": "12.34", "description": "retry storm"}
        keyed = {**auth, "Idempotency-Key": "storm-1"}
        start = time.monotonic()
        answers = await asyncio.gather(*(http.post("/api/transactions", json=body, headers=keyed) for _ in range(50)))
        storm = time.monotonic() - start
        total = (await http.get("/api/transactions", headers=auth)).json()["total"]
        ids = {a.json().get("id") for a in answers if a.status_code == 201}
        statuses = sorted({a.status_code for a in answers})
        rows.append(
            ("50 concurrent, one key", f"rows {total}, statuses {statuses}, distinct ids {len(ids)}, {storm:.2f} s")
        )

        # 5. What a key costs a single write (sequential, 40 each).
        plain, with_key = [], []
        for i in range(40):
            t = time.perf_counter()
            await http.post("/api/transactions", json=body, headers=auth)
            plain.append(time.perf_counter() - t)
            t = time.perf_counter()
            await http.post("/api/transactions", json=body, headers={**auth, "Idempotency-Key": f"k{i}"})
            with_key.append(time.perf_counter() - t)
        rows.append(
            (
                "write p50 without / with key",
                f"{statistics.median(plain) * 1000:.1f} ms / {statistics.median(with_key) * 1000:.1f} ms",
            )
        )

        # 6. Sign-in flood from one address; the owner signs in from another.
        acct = await register(http)
        wrong = {"email": acct["email"], "password": "not the password"}
        attacker, owner = {"X-Forwarded-For": "203.0.113.9"}, {"X-Forwarded-For": "198.51.100.4"}
        flood = [await http.post("/api/auth/login", json=wrong, headers=attacker) for _ in range(200)]
        owner_ok = await http.post("/api/auth/login", json={**wrong, "password": PASSWORD}, headers=owner)
        spoofed = await http.post("/api/auth/login", json=wrong, headers={"X-Forwarded-For": "1.2.3.4, 203.0.113.9"})
        rows.append(
            (
                "200 wrong passwords from one address",
                f"401 x{sum(r.status_code == 401 for r in flood)}, 429 x{sum(r.status_code == 429 for r in flood)}; "
                f"owner elsewhere {owner_ok.status_code}; spoofed first hop {spoofed.status_code}",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", help="a PostgreSQL URL (an empty database); default a fresh SQLite file")
    args = parser.parse_args()
    url = args.pg or f"sqlite:///{tempfile.mkdtemp()}/sessions.db"
    migrate.upgrade(url)
    clock = FixedClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    settings = Settings(
        database_url=url,
        secret_key=SECRET,
        scheduler="off",
        pg_listen=False,
        trusted_proxies=["127.0.0.1"],
        _env_file=None,  # type: ignore[call-arg]
    )
    server = LiveServer(create_app(settings, clock=clock, warm_voice=False))
    server.start()
    try:
        rows = asyncio.run(scenario(server.url, clock))
    finally:
        server.stop()
    backend = "PostgreSQL" if args.pg else "SQLite"
    print(f"| {backend} | measured |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
