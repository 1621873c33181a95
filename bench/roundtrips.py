"""Round trips to the database per chat turn and per REST call, as the soak sends them (issue 11).

Run: ``python bench/roundtrips.py [--backend postgres|sqlite] [--turns 30]``. Serves the app
in process (uvicorn in a thread, on a throwaway database: a ``bw_rt_<random>`` PostgreSQL
database dropped at the end, or a temp SQLite file), then sends ``bench/stress.py``'s soak
traffic from one client: remembered chat messages (the three soak texts in turn) and the soak's
three REST calls. It counts, per operation:

- ``round_trips``: on PostgreSQL each wait of psycopg for the server (``Connection.wait``: a
  statement, ``BEGIN``, ``COMMIT``, ``ROLLBACK``; a statement prepared on the way counts once);
  on SQLite the statements and transaction commands sent to the driver;
- ``statements``: SQL statements (``before_cursor_execute``), ``BEGIN``/``COMMIT`` not counted;
- ``commits``, ``checkouts`` (pool connections taken).

One client, one operation at a time, so every count belongs to that operation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import free_port
from stress import PASSWORD, TEXTS, pg_database

COUNTS: Counter[str] = Counter()
TRACE: list[str] | None = None  # --trace: what each round trip was


def count_psycopg() -> None:
    """Count what goes to the server: each statement (one wait of the cursor; an ``executemany``
    in a pipeline is one), and each transaction command (``BEGIN``, ``COMMIT``, ``ROLLBACK``:
    ``_exec_command``, which psycopg runs inside the first statement's wait for ``BEGIN``).
    A ``ROLLBACK`` of a connection with no transaction open sends nothing and is not counted."""
    import psycopg

    wait = psycopg.Connection.wait
    exec_command = psycopg.Connection._exec_command
    statements = {"_execute_gen", "_executemany_gen_pipeline", "_executemany_gen_no_pipeline"}

    def counted(self: Any, gen: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(gen, "__name__", "") in statements:
            COUNTS["round_trips"] += 1
        return wait(self, gen, *args, **kwargs)

    def command(self: Any, cmd: Any, *args: Any, **kwargs: Any) -> Any:
        COUNTS["round_trips"] += 1
        if TRACE is not None:
            TRACE.append(f"  {bytes(cmd).decode()[:60]}")
        return exec_command(self, cmd, *args, **kwargs)

    psycopg.Connection.wait = counted  # type: ignore[method-assign]
    psycopg.Connection._exec_command = command  # type: ignore[method-assign]


def count_engine(engine: Any, sqlite: bool) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _stmt(_conn: Any, _cur: Any, statement: str, *_: Any) -> None:
        COUNTS["statements"] += 1
        if TRACE is not None:
            TRACE.append(f"  [{threading.current_thread().name}] " + " ".join(statement.split())[:150])
        if sqlite:
            COUNTS["round_trips"] += 1

    @event.listens_for(engine, "commit")
    def _commit(*_: Any) -> None:
        COUNTS["commits"] += 1

    @event.listens_for(engine, "checkout")
    def _checkout(*_: Any) -> None:
        COUNTS["checkouts"] += 1
        if TRACE is not None:
            TRACE.append(f"  checkout [{threading.current_thread().name}]")


async def drive(url: str, turns: int, rest_calls: int) -> dict[str, list[Counter[str]]]:
    per: dict[str, list[Counter[str]]] = {}

    def took(kind: str, before: Counter[str]) -> None:
        per.setdefault(kind, []).append(COUNTS - before)
        if TRACE is not None and len(per[kind]) == 1:
            print(kind, *TRACE, sep="\n")
        if TRACE is not None:
            TRACE.clear()

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        body = {"email": f"rt-{uuid.uuid4().hex}@example.com", "password": PASSWORD}
        r = await http.post("/api/auth/register", json=body)
        r.raise_for_status()
        token = r.json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        async with websockets.connect(url.replace("http", "ws", 1) + "/ws/chat") as ws:
            await ws.send(json.dumps({"type": "auth", "token": token}))
            assert json.loads(await ws.recv())["type"] == "ready"
            for n in range(turns):
                text = TEXTS[n % len(TEXTS)]
                await asyncio.sleep(0.05)  # let the last turn's group commits settle
                before = COUNTS.copy()
                if TRACE is not None:
                    TRACE.clear()
                await ws.send(json.dumps({"type": "user_message", "id": f"rt-{n}", "text": text}))
                while json.loads(await ws.recv()).get("type") != "turn_end":
                    pass
                await asyncio.sleep(0.05)  # the reply record may land after turn_end
                if n >= len(TEXTS):  # the first round warms the caches
                    took(f"turn: {text}", before)
        for n in range(rest_calls):
            before = COUNTS.copy()
            if TRACE is not None:
                TRACE.clear()
            if n % 3 == 0:
                name = "REST POST /api/transactions"
                r = await http.post("/api/transactions", headers=h, json={"amount": "1.75", "description": f"rest {n}"})
            elif n % 3 == 1:
                name = "REST GET /api/budgets/summary"
                r = await http.get("/api/budgets/summary", headers=h)
            else:
                name = "REST GET /api/transactions?limit=20"
                r = await http.get("/api/transactions?limit=20", headers=h)
            assert r.status_code < 300, r.text
            if n >= 3:
                took(name, before)
    return per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--rest", type=int, default=30)
    parser.add_argument(
        "--pg-admin",
        default=os.environ.get("BUDGETWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--trace", action="store_true", help="print what the first of each operation sent")
    args = parser.parse_args()
    if args.trace:
        global TRACE
        TRACE = []
    tmp = tempfile.TemporaryDirectory()
    drop: Any = lambda: None  # noqa: E731
    if args.backend == "postgres":
        db_url, drop = pg_database(args.pg_admin)
        count_psycopg()
    else:
        db_url = f"sqlite:///{tmp.name}/rt.db"
    os.environ.update(
        {
            "BUDGETWISE_DATABASE_URL": db_url,
            "BUDGETWISE_SECRET_KEY": "roundtrips-" + "k" * 40,
            "BUDGETWISE_SCHEDULER": "off",
            "BUDGETWISE_STT": "off",
            "BUDGETWISE_TTS": "off",
            "BUDGETWISE_LLM": "local",
        }
    )
    import uvicorn

    from assistant import migrate
    from assistant.db import make_engine
    from assistant.settings import get_settings
    from web.app import create_app

    try:
        settings = get_settings()
        migrate.upgrade(settings.database_url)
        engine = make_engine(settings.database_url, in_flight=settings.admission_capacity)
        count_engine(engine, args.backend == "sqlite")
        app = create_app(settings, engine=engine, warm_voice=False)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", ws_per_message_deflate=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        per = asyncio.run(drive(f"http://127.0.0.1:{port}", args.turns, args.rest))
        server.should_exit = True
        thread.join(10)
        engine.dispose()
    finally:
        drop()
        tmp.cleanup()
    print(f"{args.backend}: per operation, mean over the measured ones")
    print("| operation | n | round trips | statements | commits | checkouts |")
    print("|---|---|---|---|---|---|")
    for kind, rows in per.items():
        n = len(rows)

        def mean(key: str, rows: list[Counter[str]] = rows, n: int = n) -> str:
            return f"{sum(r[key] for r in rows) / n:.1f}"

        cells = " | ".join(mean(key) for key in ("round_trips", "statements", "commits", "checkouts"))
        print(f"| {kind} | {n} | {cells} |")


if __name__ == "__main__":
    main()
