"""What the write-safety policy does to real traffic: writes run, held for a yes, or refused.

    python bench/write_safety.py [--cases ../shared/eval/public-dev.jsonl ../shared/eval/dev-utterances.jsonl]

Every case runs as a whole local turn (``AgentRunner.run_turn``, a throwaway SQLite file, one user
per file, in file order) and is counted per group: turns where a write tool ran, turns that ended
with a ``confirm``, and, for cases that expect a write, turns where it did not run at once. Then
the same cases through ``assistant.nlu.understand`` alone: the writes the engine asked for, i.e.
what would have run without the policy.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from assistant import migrate
from assistant.agent.runner import AgentRunner
from assistant.clock import FixedClock
from assistant.db import make_engine, unit_of_work
from assistant.nlu import NLUContext, understand
from assistant.services.users import create_user
from assistant.settings import Settings
from tools import WRITE_TOOLS

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "eval"


def load(path: Path) -> list[dict[str, Any]]:
    group = path.stem
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            case.setdefault("group", group)
            out.append(case)
    return out


def expects_write(case: dict[str, Any]) -> bool:
    tool = (case.get("expect") or {}).get("tool")
    tools = tool if isinstance(tool, list) else [tool]
    return any(t in WRITE_TOOLS for t in tools if t)


async def run(cases: list[dict[str, Any]]) -> None:
    tmp = tempfile.mkdtemp(prefix="bw-safety-")
    url = f"sqlite:///{tmp}/bench.db"
    migrate.upgrade(url)
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        user = create_user(session, email="bench@example.com", timezone="UTC")
        assert user.id is not None
        uid = user.id
    clock = FixedClock(dt.datetime(2026, 11, 18, 15, tzinfo=dt.UTC))
    runner = AgentRunner(engine=engine, settings=Settings(database_url=url, llm="local"), clock=clock)
    ctx = NLUContext(today=clock.now().date())
    stats: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    held: list[str] = []
    unexpected: list[str] = []
    for case in cases:
        group = str(case["group"])
        row = stats[group]
        row["cases"] += 1
        asked = [c.name for c in understand(case["text"], ctx).calls if c.name in WRITE_TOOLS]
        row["engine_write"] += bool(asked)
        events = [e.to_dict() async for e in runner.run_turn(uid, case["text"])]
        runner.pending.drop(uid)
        wrote = [e["name"] for e in events if e["type"] == "tool_call" and e["name"] in WRITE_TOOLS]
        confirm = any(e["type"] == "assistant_message" and e.get("confirm") for e in events)
        row["wrote"] += bool(wrote)
        if wrote and not expects_write(case):
            unexpected.append(f"  {case['id']}: {case['text']!r} -> {', '.join(wrote)}")
        row["confirm"] += confirm
        if expects_write(case):
            row["expects_write"] += 1
            if not wrote:
                row["write_held"] += 1
                held.append(f"  {case['id']}: {case['text']!r} -> {'confirm' if confirm else 'no write'}")
    cols = ["cases", "engine_write", "wrote", "confirm", "expects_write", "write_held"]
    print(f"{'group':18}" + "".join(f"{c:>14}" for c in cols))
    total: collections.Counter[str] = collections.Counter()
    for group, row in stats.items():
        total.update(row)
        print(f"{group:18}" + "".join(f"{row[c]:>14}" for c in cols))
    print(f"{'total':18}" + "".join(f"{total[c]:>14}" for c in cols))
    if unexpected:
        print("writes where none was expected:")
        print("\n".join(unexpected))
    if held:
        print("expected writes not run at once:")
        print("\n".join(held))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        nargs="+",
        type=Path,
        default=[SHARED / "public-dev.jsonl", SHARED / "dev-utterances.jsonl"],
    )
    args = parser.parse_args()
    cases = [c for path in args.cases for c in load(path)]
    asyncio.run(run(cases))


if __name__ == "__main__":
    main()
