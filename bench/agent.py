"""Local-engine turn latency and memory, in process, on a throwaway SQLite file.

    python bench/agent.py [--turns 400] [--db /tmp/bw-bench.db] [--calls]

The understanding engine is warmed up first, as the server does at start.
Prints p50/p99 per stage (parse = ``assistant.nlu.understand``, tool = ``tools.run_tool`` with
its own commit, reply = ``compose_reply``) and for whole ``AgentRunner.run_turn`` turns
(setup read, tools, reply, chat history write): the mix below, then read-only turns and write
turns apart (a write turn commits once: its tool call's transaction takes the chat rows too; a
read turn once, the chat), each with the process CPU time it took, plus the memory the run
held. ``--calls`` adds the function calls (Python and C) per turn of the mix, per read and per write turn: a figure
that does not move with the machine's load, unlike the times.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from assistant import migrate
from assistant.agent.replies import compose_reply
from assistant.agent.runner import AgentRunner
from assistant.clock import FixedClock
from assistant.db import make_engine, unit_of_work
from assistant.nlu import NLUContext, start_warm_up, understand
from assistant.nlu import model as intent_model
from assistant.services.users import create_user
from assistant.settings import Settings
from tools import ToolContext, run_tool

UTTERANCES = [
    "I spent 12.50 on lunch at Chipotle yesterday",
    "make that 20 instead",
    "how much is left for dining?",
    "groceries 87.20 at Aldi",
    "what did I spend this month",
    "can I afford a 300 dollar jacket?",
    "show my last 5 transactions",
    "hi there",
    "took a taxi for 18 dollars",
    "any insights?",
]
READ_TURNS = ["budget status", "how much is left for dining?", "how much did I spend this month?"]
WRITE_TURNS = ["spent 5 on coffee", "I spent 12.50 on lunch today", "groceries 87.20 at Aldi"]


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(name: str, samples: list[float], cpu: float | None = None) -> None:
    ms = [s * 1000 for s in samples]
    extra = f"  cpu={cpu * 1000 / len(ms):7.3f} ms/turn" if cpu is not None else ""
    print(
        f"{name:<7} n={len(ms):<5} p50={pct(ms, 0.5):7.3f} ms  p99={pct(ms, 0.99):7.3f} ms  "
        f"mean={statistics.fmean(ms):7.3f} ms{extra}"
    )


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


async def turns(runner: AgentRunner, user_id: int, n: int, texts: list[str] = UTTERANCES) -> list[float]:
    out = []
    for i in range(n):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        async for _ in runner.run_turn(user_id, text):
            pass
        out.append(time.perf_counter() - start)
    return out


def calls_per_turn(runner: AgentRunner, user_id: int, texts: list[str], n: int = 30) -> float:
    """Function calls (Python and C) per turn, on every thread: the turn runs on a worker thread,
    so the hook is set for the threads of a fresh event loop's executor too."""
    count = [0]

    def hook(frame: Any, event: str, arg: Any) -> None:
        if event == "call" or event == "c_call":
            count[0] += 1

    threading.setprofile(hook)
    sys.setprofile(hook)
    try:
        asyncio.run(turns(runner, user_id, n, texts))
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    return count[0] / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--db", default=None, help="SQLite file (default: a temporary one)")
    parser.add_argument("--calls", action="store_true", help="also count Python function calls per turn")
    args = parser.parse_args()
    tracemalloc.start()
    t0 = time.perf_counter()
    intent_model.load()  # the shipped intent model, loaded once per process
    load_s = time.perf_counter() - t0
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"intent model: loaded in {load_s * 1000:.0f} ms, holds {held / 2**20:.1f} MiB")
    # As the server does at start (``web.create_app``): the language data, the shape gates, the dictionary.
    # Without it the first parse paid some 0.75 s of it, which made the parse's mean three times its p50.
    t0 = time.perf_counter()
    start_warm_up().join()
    warm_s = time.perf_counter() - t0
    path = args.db or os.path.join(tempfile.mkdtemp(prefix="bw-bench-"), "bench.db")
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    engine = make_engine(url)
    clock = FixedClock(dt.datetime(2026, 11, 22, 17, 0, tzinfo=dt.UTC))
    with unit_of_work(engine) as s:
        user = create_user(s, email=f"bench-{time.time_ns()}@example.com", timezone="America/New_York")
        assert user.id is not None
        uid = user.id
    ctx = ToolContext(engine=engine, user_id=uid, clock=clock, timezone="America/New_York")
    for cat, amount in [("Dining", 200), ("Groceries", 400), ("Transport", 150), ("Shopping", 100)]:
        run_tool(ctx, "set_budget", {"category": cat, "amount": amount})

    nlu = NLUContext(today=dt.date(2026, 11, 22), currency="USD")
    first_s, _ = timed(lambda: understand("hi there", nlu))
    print(f"warm-up: {warm_s * 1000:.0f} ms; the first parse after it {first_s * 1000:.1f} ms")
    parse, tool, reply = [], [], []
    for i in range(args.turns):
        text = UTTERANCES[i % len(UTTERANCES)]
        t_parse, understood = timed(lambda text=text: understand(text, nlu))  # type: ignore[misc]
        parse.append(t_parse)
        for call in understood.calls:
            t_tool, (_, result) = timed(lambda call=call: run_tool(ctx, call.name, call.args))  # type: ignore[misc]
            tool.append(t_tool)
            t_reply, _ = timed(
                lambda call=call, result=result, i=i: compose_reply(
                    call.name, call.args, result, currency="USD", seed=i
                )  # type: ignore[misc]
            )
            reply.append(t_reply)
    runner = AgentRunner(engine=engine, settings=Settings(database_url=url, llm="local"), clock=clock)
    asyncio.run(turns(runner, uid, 20))  # warm up
    cpu = time.process_time()
    whole = asyncio.run(turns(runner, uid, args.turns))
    whole_cpu = time.process_time() - cpu
    split: dict[str, tuple[list[float], float]] = {}
    for name, texts in (("read", READ_TURNS), ("write", WRITE_TURNS)):
        cpu = time.process_time()
        split[name] = (asyncio.run(turns(runner, uid, args.turns, texts)), time.process_time() - cpu)
    tracemalloc.start()  # a separate pass: tracing slows every allocation down
    asyncio.run(turns(runner, uid, 50))
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"SQLite file: {path}")
    report("parse", parse)
    report("tool", tool)
    report("reply", reply)
    report("turn", whole, whole_cpu)
    report("read", *split["read"])
    report("write", *split["write"])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.calls:
        for name, texts in (("mixed", UTTERANCES), ("read", READ_TURNS), ("write", WRITE_TURNS)):
            print(f"calls   {name:<5} {calls_per_turn(runner, uid, texts):8.0f} function calls/turn")
    print(f"memory over 50 turns: traced {current / 1e6:.2f} MB held, {peak / 1e6:.2f} MB peak; max RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
