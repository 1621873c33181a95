"""Dump the engine's parse of every known sentence, to prove a speed change changed no result.

    PYTHONPATH=/work/main python bench/parse_dump.py /tmp/before.txt
    PYTHONPATH=$PWD python bench/parse_dump.py /tmp/after.txt
    diff /tmp/before.txt /tmp/after.txt && echo identical

Sentences: ``tests/data/*.jsonl``, ``../shared/eval/*.jsonl`` (where the shared folder is beside the
tree), every ``tests/data/phrases/*.yaml`` sentence with its block's today and context, and the
recognisers' texts (``tests/data/recognisers.yaml``). Each jsonl sentence is parsed on three todays
(month, year and leap-day ends) and after a few last calls, so the follow-up paths run too. A line
holds the case, then the whole ``Understanding`` (calls with arguments and confidences, intent,
reply); the reply's random variant is seeded per sentence, so two runs of one tree are identical.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from assistant.nlu import NLUContext, replies, understand

ROOT = Path(__file__).resolve().parents[1]
TODAYS = [dt.date(2026, 1, 1), dt.date(2027, 3, 1), dt.date(2028, 2, 29)]
LAST_CALLS: list[dict[str, Any]] = [
    {"last_tool": "budget_summary", "last_args": {"category": "Dining"}},
    {"last_tool": "log_expense", "last_args": {"amount": 12.5, "category": "Dining", "description": "lunch"}},
    {"last_tool": "check_purchase", "last_args": {"amount": 300, "item": "jacket"}},
    {"last_tool": "list_subscriptions", "last_args": {"within_days": 30}},
    {"last_tool": "add_subscription", "last_args": {"name": "Netflix", "amount": 15.99, "cadence": "monthly"}},
]


def _texts_jsonl() -> list[str]:
    files = sorted((ROOT / "tests" / "data").glob("*.jsonl"))
    shared = ROOT.parent / "shared" / "eval"
    if not shared.is_dir():
        shared = Path("/work/wt/shared/eval")
    files += sorted(shared.glob("*.jsonl"))
    out: list[str] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(str(json.loads(line)["text"]))
    return out


def _phrase_cases() -> list[tuple[str, dt.date, dict[str, Any]]]:
    out = []
    for path in sorted((ROOT / "tests" / "data" / "phrases").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in doc["tests"]:
            today = dt.date.fromisoformat(str(block.get("today", "2026-12-06")))
            out += [(str(t), today, block.get("context") or {}) for t in block["sentences"]]
    return out


def _recogniser_texts() -> list[str]:
    doc = yaml.safe_load((ROOT / "tests" / "data" / "recognisers.yaml").read_text(encoding="utf-8"))
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str) and " " in node:
            out.append(node)

    walk(doc)
    return out


def _line(tag: str, text: str, ctx: NLUContext) -> str:
    replies._rng.seed(text)
    try:
        got = repr(understand(text, ctx))
    except Exception as exc:  # an error is a result too, and must not change
        got = f"ERROR {type(exc).__name__}: {exc}"
    return f"{tag}\t{text!r}\t{got}"


def main() -> None:
    out = open(sys.argv[1], "w", encoding="utf-8") if len(sys.argv) > 1 else sys.stdout  # noqa: SIM115
    texts = list(dict.fromkeys(_texts_jsonl() + _recogniser_texts()))
    for text in texts:
        for today in TODAYS:
            print(_line(str(today), text, NLUContext(today=today)), file=out)
        for last in LAST_CALLS:
            print(_line(last["last_tool"], text, NLUContext(today=TODAYS[0], **last)), file=out)
    for text, today, context in _phrase_cases():
        print(_line(f"phrase {today} {context}", text, NLUContext(today=today, **context)), file=out)
    out.close()


if __name__ == "__main__":
    main()
