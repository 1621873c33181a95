"""What the blind-round tests share: the rounds' files, the day they were written, and a case played
through the engine and the write-safety policy's text checks, in process."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from assistant.agent.safety import CallFacts, screen_call
from assistant.nlu import NLUContext, understand
from assistant.nlu.judge import load_judge

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TODAY = dt.date(2026, 12, 6)  # the day the rounds were written ("last night", "since January")


JUDGE = load_judge()


def round_cases(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def unasked_calls(text: str, ctx: NLUContext) -> list[dict[str, Any]]:
    """The calls that would run unasked: the engine's plan after the policy's text-only screen."""
    out: list[dict[str, Any]] = []
    for call in understand(text, ctx).calls:
        facts = CallFacts(text=text, confidence=call.confidence, amount_is_money=call.amount_is_money)
        verdict = screen_call(call.name, call.args, facts)
        if verdict.action == "run":
            out.append({"name": call.name, "args": call.args})
        elif verdict.action == "replace" and verdict.replacement is not None:
            out.append({"name": verdict.replacement[0], "args": verdict.replacement[1]})
    return out


def runs_unasked(text: str, own: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """``unasked_calls`` for a user whose foreign currencies (rates set, entries made) are ``own``."""
    return unasked_calls(text, NLUContext(today=TODAY, own_currencies=lambda: own))


def play(case: dict[str, Any]) -> list[dict[str, Any]]:
    ctx = NLUContext(today=TODAY)
    for before in case.get("setup", []):
        calls = unasked_calls(before, ctx)
        if calls:
            ctx = NLUContext(today=TODAY, last_tool=calls[-1]["name"], last_args=calls[-1]["args"])
    return unasked_calls(case["text"], ctx)


def only(text: str) -> dict[str, Any]:
    """The one call ``text`` makes that the policy would run unasked."""
    calls = play({"text": text})
    assert len(calls) == 1, calls
    return calls[0]
