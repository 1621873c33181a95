"""The engine's parse alone: process CPU per ``nlu.understand`` call, on four sets of sentences.

    PYTHONPATH=$PWD python bench/parse_cost.py [label]

Sets: ``bench/agent.py``'s mix, its read turns and its write turns (each 2,000 parses, the sentences
repeated), and 1,000 of the team's sentences (rounds 30-39), each parsed once, so that a cache by
text (``numbers._numbers_named``) does not hide what a new message costs. Process CPU, not wall
time: on a shared machine it moves far less with the load. Run two trees alternately to compare.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from agent import READ_TURNS, UTTERANCES, WRITE_TURNS

from assistant.nlu import NLUContext, start_warm_up, understand

ROOT = Path(__file__).resolve().parents[1]


def team_sentences(n: int = 1000) -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "tests" / "data").glob("blind3?-utterances.jsonl")):
        out += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out[:n]


def main() -> None:
    label = sys.argv[1] if len(sys.argv) > 1 else str(ROOT)
    start_warm_up().join()  # as the server does at start: the model, the dictionary (and the gates)
    ctx = NLUContext(today=dt.date(2026, 11, 22), currency="USD")
    team = team_sentences()
    for text in UTTERANCES + READ_TURNS + WRITE_TURNS:  # and the bench's own sentences once
        understand(text, ctx)
    out = []
    for name, texts, n in (
        ("mix", UTTERANCES, 2000),
        ("read", READ_TURNS, 2000),
        ("write", WRITE_TURNS, 2000),
        ("team", team, len(team)),
    ):
        start = time.process_time()
        for i in range(n):
            understand(texts[i % len(texts)], ctx)
        out.append(f"{name}={(time.process_time() - start) / n * 1000:.3f} ms")
    print(label, "  ".join(out))


if __name__ == "__main__":
    main()
