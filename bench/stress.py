"""Bursts, races and isolation, measured against a real server on loopback (issue 11).

Run: ``python bench/stress.py [--backend sqlite|postgres|both] [--seconds 60] [--import-rows 50000]``.
For each backend it starts ``budgetwise serve`` in a subprocess on a fresh database (a temp SQLite
file, or a throwaway PostgreSQL database created on ``--pg-admin`` and dropped afterwards), then
measures, every scenario bounded in count and time:

- burst: 200 concurrent signed-in requests (reads and writes); 100 concurrent registrations;
- soak: 100 WebSocket chat clients and 50 REST clients for ``--seconds``: errors, turn p50/p99
  and the server's CPU time per turn or call. Each client paces itself like a person: it sends a
  message, waits for the whole answer, reads it and types the next (``--ws-think``, default 3-8 s)
  or clicks to the next page (``--rest-think``, default 1-3 s). ``--ws-think 0 0 --rest-think 0 0``
  (``--saturate``) sends back to back: a saturation test, not a soak;
- races: 50 concurrent goal contributions (the sum must be exact), 10 concurrent creates of one
  subscription name (one row), 20 concurrent PUTs of one budget (no 409);
- isolation: a ``--import-rows`` CSV import by one user while another user writes every 100 ms:
  how long the import took and the other user's slowest write.

It prints one Markdown table per backend (the one kept in ``docs/performance.md``). Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import websockets
from serving import Server
from stress_table import table

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
TEXTS = ["I spent 4.50 on coffee today", "how much did I spend this month?", "what renews this week?"]
SCENARIO_TIMEOUT = 180.0  # no scenario may run longer than this, whatever the server does
# The client drops an idle pooled connection before the server's keep-alive (5 s) closes it: a
# request sent on a connection the server is closing at that moment gets no answer (a client-side
# race that any HTTP client has, not a server failure), and it was one of the "no answer" counts.
CLIENT_KEEPALIVE_SECONDS = 3.0
NO_ANSWER: Counter[str] = Counter()  # why requests got no answer (exception names), for the report


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def register(http: httpx.AsyncClient) -> dict[str, str]:
    body = {"email": f"s-{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD}
    r = await http.post("/api/auth/register", json=body)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def timed(call: Awaitable[httpx.Response]) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        r = await call
        return r.status_code, time.perf_counter() - start
    except httpx.HTTPError as exc:
        NO_ANSWER[type(exc).__name__] += 1
        return 599, time.perf_counter() - start  # no answer at all counts as a 5xx


def summarize(codes_times: list[tuple[int, float]]) -> dict[str, Any]:
    times = [t for _, t in codes_times]
    return {
        "n": len(codes_times),
        "5xx": sum(1 for c, _ in codes_times if c >= 500),
        "codes": dict(sorted(Counter(c for c, _ in codes_times).items())),
        "p50": pct(times, 0.5),
        "p99": pct(times, 0.99),
    }


async def burst_authenticated(http: httpx.AsyncClient, n: int = 200) -> dict[str, Any]:
    users = [await register(http) for _ in range(10)]
    calls = []
    for i in range(n):
        h = users[i % len(users)]
        if i % 4 == 0:
            tx = {"kind": "expense", "amount": "2.50", "description": f"burst {i}"}
            calls.append(timed(http.post("/api/transactions", headers=h, json=tx)))
        elif i % 4 == 1:
            calls.append(timed(http.get("/api/budgets/summary", headers=h)))
        elif i % 4 == 2:
            calls.append(timed(http.get("/api/transactions", headers=h)))
        else:
            calls.append(timed(http.get("/api/goals", headers=h)))
    return summarize(await asyncio.gather(*calls))


async def burst_register(http: httpx.AsyncClient, n: int = 100) -> dict[str, Any]:
    calls = [
        timed(
            http.post("/api/auth/register", json={"email": f"r-{uuid.uuid4().hex}@example.com", "password": PASSWORD})
        )
        for _ in range(n)
    ]
    return summarize(await asyncio.gather(*calls))


async def contributions(http: httpx.AsyncClient, n: int = 50) -> dict[str, Any]:
    h = await register(http)
    goal = (await http.post("/api/goals", headers=h, json={"name": "Bike", "target_amount": "5000"})).json()
    url = f"/api/goals/{goal['id']}/contributions"
    answers = await asyncio.gather(*[timed(http.post(url, headers=h, json={"amount": "1.01"})) for _ in range(n)])
    saved = Decimal(str((await http.get(f"/api/goals/{goal['id']}", headers=h)).json()["saved_amount"]))
    return {**summarize(answers), "saved": saved, "expected": Decimal("1.01") * n}


async def same_name(http: httpx.AsyncClient, n: int = 10) -> dict[str, Any]:
    h = await register(http)
    body = {"name": "Netflix", "amount": "15.49", "cadence": "monthly"}
    answers = await asyncio.gather(*[http.post("/api/subscriptions", headers=h, json=body) for _ in range(n)])
    rows = (await http.get("/api/subscriptions", headers=h)).json()["total"]
    codes = [r.status_code for r in answers]
    return {"rows": rows, "201": codes.count(201), "409": codes.count(409), "5xx": sum(c >= 500 for c in codes)}


async def budget_puts(http: httpx.AsyncClient, n: int = 20) -> dict[str, Any]:
    h = await register(http)
    answers = await asyncio.gather(
        *[http.put("/api/budgets/Dining", headers=h, json={"amount": f"{100 + i}.00"}) for i in range(n)]
    )
    codes = [r.status_code for r in answers]
    return {"200": codes.count(200), "409": codes.count(409), "5xx": sum(c >= 500 for c in codes)}


def big_csv(rows: int) -> bytes:
    merchants = [f"Shop {i}" for i in range(300)]
    lines = ["Date,Description,Amount"]
    for i in range(rows):
        day = 1 + i % 28
        lines.append(f"2025-{1 + i % 12:02d}-{day:02d},{random.choice(merchants)} #{i},-{1 + i % 97}.{i % 100:02d}")
    return ("\n".join(lines) + "\n").encode()


async def import_isolation(http: httpx.AsyncClient, rows: int) -> dict[str, Any]:
    importer, other = await register(http), await register(http)
    data = big_csv(rows)
    latencies: list[float] = []
    codes: list[int] = []
    done = asyncio.Event()

    async def writer() -> None:
        i = 0
        while not done.is_set():
            tx = {"kind": "expense", "amount": "3.00", "description": f"during import {i}"}
            code, took = await timed(http.post("/api/transactions", headers=other, json=tx))
            latencies.append(took)
            codes.append(code)
            i += 1
            await asyncio.sleep(0.1)

    task = asyncio.create_task(writer())
    await asyncio.sleep(0.3)
    start = time.perf_counter()
    files = {"file": ("big.csv", data, "text/csv")}
    r = await http.post("/api/import", headers=importer, files=files, timeout=SCENARIO_TIMEOUT)
    took = time.perf_counter() - start
    await asyncio.sleep(0.3)
    done.set()
    await task
    imported = r.json().get("imported") if r.status_code == 200 else r.text[:200]
    return {
        "status": r.status_code,
        "imported": imported,
        "import_s": took,
        "other_writes": len(latencies),
        "other_max": max(latencies, default=float("nan")),
        "other_5xx": sum(c >= 500 for c in codes),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux ``/proc``), NaN where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


async def soak(
    http: httpx.AsyncClient,
    url: str,
    seconds: float,
    ws_clients: int,
    rest_clients: int,
    ws_think: tuple[float, float] = (3.0, 8.0),
    rest_think: tuple[float, float] = (1.0, 3.0),
    server_pid: int | None = None,
) -> dict[str, Any]:
    tokens = []
    for _ in range(20):  # users shared by the clients (sign-up is measured above)
        r = await http.post(
            "/api/auth/register", json={"email": f"k-{uuid.uuid4().hex}@example.com", "password": PASSWORD}
        )
        r.raise_for_status()
        tokens.append(r.json()["access_token"])
    cpu_start = cpu_seconds(server_pid) if server_pid else float("nan")
    deadline = time.monotonic() + seconds
    turns: list[float] = []
    rest: list[tuple[int, float]] = []
    errors: list[str] = []

    async def ws_client(i: int) -> None:
        await asyncio.sleep(random.random())
        try:
            async with websockets.connect(url.replace("http", "ws", 1) + "/ws/chat", max_size=None) as ws:
                await ws.send(json.dumps({"type": "auth", "token": tokens[i % len(tokens)]}))
                ready = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if ready.get("type") != "ready":
                    errors.append(f"ws auth: {ready}")
                    return
                n = 0
                while time.monotonic() < deadline:
                    start = time.perf_counter()
                    await ws.send(json.dumps({"type": "user_message", "id": f"{i}-{n}", "text": TEXTS[n % len(TEXTS)]}))
                    while True:
                        event = json.loads(await asyncio.wait_for(ws.recv(), 60))
                        if event.get("type") == "error":
                            errors.append(f"ws turn: {event.get('code')}")
                        if event.get("type") == "turn_end":
                            break
                    turns.append(time.perf_counter() - start)
                    n += 1
                    await asyncio.sleep(random.uniform(*ws_think))
        except Exception as exc:  # a dropped socket or a timeout is an error to report, not a crash
            errors.append(f"ws: {type(exc).__name__}: {exc}"[:120])

    async def rest_client(i: int) -> None:
        h = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
        n = 0
        while time.monotonic() < deadline:
            if n % 3 == 0:
                call = http.post("/api/transactions", headers=h, json={"amount": "1.75", "description": f"rest {n}"})
            elif n % 3 == 1:
                call = http.get("/api/budgets/summary", headers=h)
            else:
                call = http.get("/api/transactions?limit=20", headers=h)
            code, took = await timed(call)
            rest.append((code, took))
            if code >= 500:
                errors.append(f"rest {code}")
            n += 1
            await asyncio.sleep(random.uniform(*rest_think))

    await asyncio.wait_for(
        asyncio.gather(*[ws_client(i) for i in range(ws_clients)], *[rest_client(i) for i in range(rest_clients)]),
        seconds + SCENARIO_TIMEOUT,
    )
    rs = summarize(rest)
    cpu = (cpu_seconds(server_pid) if server_pid else float("nan")) - cpu_start
    return {
        "server_cpu_s": cpu,
        "cpu_ms_per_op": 1000 * cpu / max(1, len(turns) + len(rest)),
        "turns": len(turns),
        "turn_p50": pct(turns, 0.5),
        "turn_p99": pct(turns, 0.99),
        "rest": rs["n"],
        "rest_p99": rs["p99"],
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
    }


async def run_all(url: str, args: argparse.Namespace, server_pid: int | None = None) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400, keepalive_expiry=CLIENT_KEEPALIVE_SECONDS)
    results: dict[str, Any] = {}
    Step = Callable[[httpx.AsyncClient], Awaitable[dict[str, Any]]]
    steps: list[tuple[str, Step]] = [
        ("burst_auth", lambda http: burst_authenticated(http, args.burst)),
        ("burst_register", lambda http: burst_register(http, args.registrations)),
        ("contributions", lambda http: contributions(http, 50)),
        ("same_name", lambda http: same_name(http, 10)),
        ("budget_puts", lambda http: budget_puts(http, 20)),
        ("import", lambda http: import_isolation(http, args.import_rows)),
        (
            "soak",
            lambda http: soak(
                http,
                url,
                args.seconds,
                args.ws_clients,
                args.rest_clients,
                tuple(args.ws_think),
                tuple(args.rest_think),
                server_pid,
            ),
        ),
    ]
    for name, step in steps:
        if args.only and name not in args.only:
            continue
        # A client of its own per scenario: the last burst's 200 idle pooled connections made the
        # next burst's client cost ~23 ms of CPU per request on the server's own two cores.
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
            t0, cpu0 = time.perf_counter(), cpu_seconds(server_pid) if server_pid else float("nan")
            client0 = time.process_time()
            results[name] = await asyncio.wait_for(step(http), SCENARIO_TIMEOUT + args.seconds)
            # The bench's own CPU: it shares the machine's cores with the server it measures.
            results[name]["client_cpu_s"] = time.process_time() - client0
            if name != "soak":  # the soak measures its own, after its sign-ups
                results[name]["server_cpu_s"] = (cpu_seconds(server_pid) if server_pid else float("nan")) - cpu0
        print(f"  {name}: {results[name]}  ({time.perf_counter() - t0:.1f} s)", flush=True)
        if NO_ANSWER:
            print(f"    no answer: {dict(NO_ANSWER)}", flush=True)
            NO_ANSWER.clear()
    return results


def pg_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"bw_stress_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.rsplit("/", 1)[0] + "/" + name, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the WebSocket + REST soak")
    parser.add_argument("--ws-clients", type=int, default=100)
    parser.add_argument("--rest-clients", type=int, default=50)
    parser.add_argument("--ws-think", type=float, nargs=2, default=[3.0, 8.0], metavar=("MIN", "MAX"))
    parser.add_argument("--rest-think", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"))
    parser.add_argument("--saturate", action="store_true", help="no think time: --ws-think 0 0 --rest-think 0 0")
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--only", nargs="*", help="run only these scenarios")
    parser.add_argument(
        "--pg-admin",
        default=os.environ.get("BUDGETWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    if args.saturate:
        args.ws_think, args.rest_think = [0.0, 0.0], [0.0, 0.0]
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    out = []
    for backend in backends:
        drop: Callable[[], None] = lambda: None  # noqa: E731
        tmp = tempfile.TemporaryDirectory()
        if backend == "sqlite":
            url = f"sqlite:///{tmp.name}/stress.db"
        else:
            url, drop = pg_database(args.pg_admin)
        server = Server(url)
        try:
            server.wait()
            print(f"{backend}: server on {server.url}", flush=True)
            results = asyncio.run(run_all(server.url, args, server.proc.pid))
            out.append(table(backend, results, args))
        finally:
            server.stop()
            drop()
            tmp.cleanup()
    print("\n".join(out))


if __name__ == "__main__":
    main()
