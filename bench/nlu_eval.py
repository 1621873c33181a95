#!/usr/bin/env python3
"""Score the offline understanding engine on a jsonl of cases, with the shared judge.

    python bench/nlu_eval.py [--cases PATH] [--today YYYY-MM-DD] [-v]

Why: the chat eval needs a running server; this runs the same judge on ``understand`` alone,
in a second, and also times each call (p50/p99). The judge is ``assistant.nlu.judge``: the shared
one (``../shared/eval/run_eval.py``) when that file exists, else its faithful copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.nlu import NLUContext, understand
from assistant.nlu.judge import (  # noqa: F401 (re-exported for scripts that load this file)
    DEV_CASES,
    HELDOUT_CASES,
    SHARED_JUDGE,
    Judge,
    copied_judge,
    load_cases,
    load_judge,
    score,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--cases", type=Path, default=DEV_CASES)
    ap.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    ap.add_argument("--min", type=float, default=0.0)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    cases = load_cases(a.cases)
    understand("warm up: spent 12.50 on lunch yesterday", NLUContext(today=a.today))
    share, misses, timings = score(cases, a.today)
    for cid, text, why in misses:
        print(f"miss {cid}: {text!r}: {why}")
    if a.verbose:
        for case in cases:
            r = understand(case["text"], NLUContext(today=a.today))
            print(case["id"], case["text"], "->", r.intent, [(c.name, c.args) for c in r.calls])
    ms = sorted(t * 1000 for t in timings)
    p50, p99 = ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"latency per call: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {ms[-1]:.2f} ms")
    print(f"understood {len(cases) - len(misses)}/{len(cases)} = {share:.1%} ({a.cases.name}, today {a.today})")
    return 0 if share >= a.min else 1


if __name__ == "__main__":
    sys.exit(main())
