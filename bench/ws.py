"""WebSocket chat throughput: N concurrent clients doing local-engine turns, beside a bare echo.

Run: ``python bench/ws.py [--clients 50] [--turns 10] [--workers 1,2] [--profile FILE]``. For each worker count the
app is served by uvicorn in a subprocess on a fresh SQLite file (migrated first, so several workers
do not race to create it); the same clients then talk to a bare echo WebSocket app served the same
way (same worker count, same uvicorn options: no permessage-deflate, as ``budgetwise serve``), so
the ratio shows what the assistant (parsing, tools, database, streaming) costs over the transport
alone. Server CPU is the whole process tree's (the workers and their supervisor).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import websockets
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ["I spent 12.50 on lunch today", "how much did I spend this month?", "what renews this week?"]


def app_factory() -> object:
    """The real app on the database named by BUDGETWISE_DATABASE_URL (uvicorn --factory)."""
    sys.path.insert(0, str(ROOT))
    from web import create_app

    return create_app()


class _FloorRunner:
    """The agent's place taken by the floor's turn: the same five events, no understanding, no
    ledger. The app served with it shows what the socket layer itself costs (sign-in, the token
    check before every message, the message id's claim and kept reply, the outbox)."""

    async def run_turn(self, user_id: int, text: str, reply_to: str | None = None) -> AsyncIterator[object]:
        from assistant.agent.events import AssistantMessage, ToolCall, ToolResult, TurnEnd, TurnStart

        turn_id = uuid.uuid4().hex
        yield TurnStart(turn_id, reply_to=reply_to)
        yield ToolCall(turn_id, name="budget_summary", args={})
        yield ToolResult(turn_id, name="budget_summary", ok=True, result={})
        yield AssistantMessage(turn_id, text="You have $120.00 left.", engine="local")
        yield TurnEnd(turn_id)


def socket_layer_factory() -> object:
    """The real app with ``_FloorRunner`` as its agent: the socket layer's own cost per turn."""
    app = app_factory()
    app.state.runner = _FloorRunner()  # type: ignore[attr-defined]
    return app


async def _echo(ws: WebSocket) -> None:
    await ws.accept()
    async for text in ws.iter_text():
        await ws.send_text(text)


def echo_factory() -> object:
    return Starlette(routes=[WebSocketRoute("/ws/chat", _echo)])


def _turn_frames(data: dict[str, object]) -> list[str]:
    """The fewest frames a contract turn with one tool call can be (no tokens), pre-encoded."""
    turn_id = uuid.uuid4().hex
    return [
        json.dumps(event)
        for event in (
            {"type": "turn_start", "turn_id": turn_id, "reply_to": data.get("id")},
            {"type": "tool_call", "turn_id": turn_id, "name": "budget_summary", "args": {}},
            {"type": "tool_result", "turn_id": turn_id, "name": "budget_summary", "ok": True, "result": {}},
            {"type": "assistant_message", "turn_id": turn_id, "text": "You have $120.00 left.", "engine": "local"},
            {"type": "turn_end", "turn_id": turn_id},
        )
    ]


async def _floor(ws: WebSocket) -> None:
    await ws.accept()
    async for text in ws.iter_text():
        for frame in _turn_frames(json.loads(text)):
            await ws.send_text(frame)


def floor_factory() -> object:
    """A server that does no work but speaks the contract: five frames per turn (the floor)."""
    return Starlette(routes=[WebSocketRoute("/ws/chat", _floor)])


def floor_db_factory() -> object:
    """The floor plus one durable SQLite write per turn (WAL, synchronous=FULL, in a thread)."""
    import sqlite3
    import threading

    path = os.environ["BENCH_FLOOR_DB"]
    local = threading.local()
    lock = threading.Lock()

    def write(text: str) -> None:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, text TEXT)")
        with lock:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO log (text) VALUES (?)", (text,))
            conn.execute("COMMIT")

    async def handler(ws: WebSocket) -> None:
        await ws.accept()
        async for text in ws.iter_text():
            await asyncio.to_thread(write, text)
            for frame in _turn_frames(json.loads(text)):
                await ws.send_text(frame)

    return Starlette(routes=[WebSocketRoute("/ws/chat", handler)])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(factory: str, env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        f"ws:{factory}",
        "--factory",
        "--app-dir",
        str(ROOT / "bench"),
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--ws-max-size",
        str(4 * 1024 * 1024),
        "--ws-per-message-deflate",
        "False",
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, env={**os.environ, **env, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def profile(pid: int, path: str) -> subprocess.Popen[bytes]:
    """py-spy sampling the app server (and its workers) while the clients run, into ``path``.

    Raw stacks (``stack;frames count`` per line): a flame graph tool or a few lines of Python
    sum them by function. Only the measured turns are sampled, not start-up or sign-up.
    """
    cmd = ["py-spy", "record", "--pid", str(pid), "--subprocesses", "--nonblocking", "--gil", "-r", "200", "-f", "raw"]
    spy = subprocess.Popen([*cmd, "-o", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # attached before the first turn
    return spy


async def register(url: str, n: int) -> list[str]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:

        async def one(i: int) -> str:
            body = {
                "email": f"bench-{i}-{uuid.uuid4().hex[:6]}@example.com",
                "password": "correct horse battery staple",
            }
            r = await http.post("/api/auth/register", json=body)
            r.raise_for_status()
            return str(r.json()["access_token"])

        return [await one(i) for i in range(n)]  # one by one: sign-up is not what is measured


async def client(
    url: str, token: str | None, turns: int, latencies: list[float], errors: list[str], run: str = "run"
) -> None:
    async with websockets.connect(url.replace("http", "ws", 1) + "/ws/chat", max_size=None) as ws:
        if token is not None:
            await ws.send(json.dumps({"type": "auth", "token": token}))
            assert json.loads(await ws.recv())["type"] == "ready"
        for i in range(turns):
            msg = json.dumps({"type": "user_message", "id": f"{run}-{i}", "text": TEXTS[i % len(TEXTS)]})
            start = time.perf_counter()
            await ws.send(msg)
            while True:
                event = json.loads(await ws.recv())
                if event.get("type") == "error":
                    errors.append(str(event.get("code")))
                if event.get("type") in ("turn_end", "user_message"):  # a turn's end, or the echo
                    break
            latencies.append(time.perf_counter() - start)


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its children (Linux /proc; 0 elsewhere)."""
    pids = [pid]
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and int(fields[1]) == pid:
            pids.append(int(entry.name))
    total = 0
    for p in pids:
        fields = _stat(p)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def warm_up(url: str, token: str | None) -> None:
    """One client's few turns before the clock starts: the first socket's route lookup and the
    first turn's lazy loads are start-up, not the steady state measured."""
    asyncio.run(client(url, token, len(TEXTS), [], [], run="warm-up"))


async def measure(url: str, tokens: list[str | None], turns: int, pid: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    await asyncio.gather(*(client(url, t, turns, latencies, errors) for t in tokens))
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu
    q = statistics.quantiles(latencies, n=100)
    return {
        "turns": len(latencies),
        "per_s": len(latencies) / elapsed,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "errors": len(errors),
        "cpu_ms": cpu * 1000 / max(1, len(latencies)),
        "cpu_share": cpu / elapsed,
    }


def run_config(args: argparse.Namespace, workers: int) -> dict[str, dict[str, float]]:
    """The app, then the echo app (and the floors), each served with ``workers`` uvicorn workers."""
    sys.path.insert(0, str(ROOT))
    from assistant import migrate

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        env = {
            "BUDGETWISE_DATABASE_URL": url,
            "BUDGETWISE_SECRET_KEY": "b" * 64,
            "BUDGETWISE_LLM": "local",
            "BUDGETWISE_SCHEDULER": "off",
            "BUDGETWISE_LOG_LEVEL": "WARNING",
        }
        proc, url = serve("app_factory", env, workers)
        try:
            tokens: list[str | None] = list(asyncio.run(register(url, args.clients)))
            warm_up(url, tokens[0])
            spy = profile(proc.pid, args.profile) if args.profile else None
            app = asyncio.run(measure(url, tokens, args.turns, proc.pid))
            if spy is not None:  # py-spy writes its file on SIGINT
                spy.send_signal(signal.SIGINT)
                spy.wait()
        finally:
            proc.terminate()
            proc.wait()
        results = {"app turns": app}
        if args.socket_layer:
            proc, url = serve("socket_layer_factory", env, workers)
            try:
                tokens = list(asyncio.run(register(url, args.clients)))
                warm_up(url, tokens[0])
                spy = profile(proc.pid, args.profile + ".ws-layer") if args.profile else None
                results["ws layer"] = asyncio.run(measure(url, tokens, args.turns, proc.pid))
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait()
            finally:
                proc.terminate()
                proc.wait()
        references = (("bare echo", "echo_factory"), ("floor", "floor_factory"), ("floor+db", "floor_db_factory"))
        for name, factory in references:
            if name != "bare echo" and args.no_floors:
                continue
            proc, url = serve(factory, {**env, "BENCH_FLOOR_DB": f"{tmp}/floor.db"}, workers)
            try:
                warm_up(url, None)
                results[name] = asyncio.run(measure(url, [None] * args.clients, args.turns, proc.pid))
            finally:
                proc.terminate()
                proc.wait()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--turns", type=int, default=10, help="turns per client")
    ap.add_argument("--workers", default="1,2", help="uvicorn worker counts to run, comma-separated")
    ap.add_argument(
        "--no-floors",
        action="store_true",
        help="skip the two reference servers: the contract's five frames of a one-tool turn and no "
        "work ('floor'), and that plus one durable SQLite write per turn ('floor+db', the goal's 100%%)",
    )
    ap.add_argument(
        "--socket-layer",
        action="store_true",
        help="also serve the app with the floor's turn in place of the agent ('ws layer'): what the "
        "socket layer (auth, token checks, message ids, outbox) costs without understanding or ledger",
    )
    ap.add_argument(
        "--profile",
        metavar="FILE",
        help="sample the app server with py-spy into FILE (raw stacks; the ws layer's into FILE.ws-layer)",
    )
    args = ap.parse_args()
    for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
        results = run_config(args, workers)
        print(f"{args.clients} clients x {args.turns} turns, SQLite, local engine, {workers} uvicorn worker(s)")
        echo = results["bare echo"]
        for name, r in results.items():
            line = f"{name:10} {r['per_s']:9.1f}/s   p50 {r['p50_ms']:8.1f} ms   p99 {r['p99_ms']:8.1f} ms"
            print(
                f"{line}   server CPU {r['cpu_ms']:.2f} ms/turn ({r['cpu_share']:.0%} of a core)"
                f"   failed {r['errors']:.0f}   {r['per_s'] / echo['per_s']:6.1%} of echo"
            )
        app = results["app turns"]["per_s"]
        print(f"app/echo throughput: {app / echo['per_s']:.1%}")
        if "floor+db" in results:
            floor_db = results["floor+db"]
            print(f"app/floor+db throughput: {app / floor_db['per_s']:.1%} (goal 50%)")
            if "ws layer" in results:
                print(f"ws layer/floor+db throughput: {results['ws layer']['per_s'] / floor_db['per_s']:.1%}")
            share = floor_db["cpu_ms"] / results["app turns"]["cpu_ms"]
            print(f"floor+db/app server CPU per turn: {share:.1%} (the share a CPU-bound server reaches)")


if __name__ == "__main__":
    main()
