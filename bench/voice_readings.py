"""The offline proxy of the spoken eval: each case's ten readings saved once, then the choice scored.

``dump`` speaks the cases with Piper (the same cache as ``voice_eval.py``, so both hear the same audio),
runs the server's own speech model on each recording (``transcribe_nbest``) and saves every reading with
its score. ``score`` runs the choice (``choose_transcript``), the offline engine (``understand``, a neutral
context: no ledger, no write-safety policy) and the shared judge on them, and the typed text beside it;
a change to the choice or the normaliser is measured in seconds, on exactly the same readings.

    python bench/voice_readings.py dump --out readings.jsonl                      # the dev set
    python bench/voice_readings.py dump --out r99.jsonl --heldout --sample 300 --seed 99 \\
        --exclude 12:19 --exclude 31:25 --exclude 57:40                           # never the reported seeds
    python bench/voice_readings.py score readings.jsonl r99.jsonl [-v]

Tune on dev and seed 99 only (docs/voice.md): the seeds reported as held-out are never dumped here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from voice_eval import EVAL_DIR, ROOT, load_cases, load_judge, recording

sys.path.insert(0, str(ROOT))


def _heldout_cases(max_round: int) -> list[dict[str, Any]]:
    args = argparse.Namespace(heldout=True, max_round=max_round, sample=0, seed=0, limit=0, part=None, cases=None)
    return load_cases(args)


def excluded(specs: list[str]) -> tuple[set[str], set[str]]:
    """The ids and texts of the reported seeds' samples (``SEED:MAX_ROUND``, 0 for every round)."""
    ids: set[str] = set()
    texts: set[str] = set()
    for spec in specs:
        seed, max_round = (int(x) for x in spec.split(":"))
        drawn = random.Random(seed).sample(_heldout_cases(max_round), 200)
        ids.update(c["id"] for c in drawn)
        texts.update(c["text"].strip().lower() for c in drawn)
    return ids, texts


def dump(args: argparse.Namespace) -> None:
    from assistant.voice.audio import decode
    from assistant.voice.stt import get_stt

    cases = load_cases(args)
    ids, texts = excluded(args.exclude)
    cases = [c for c in cases if c["id"] not in ids and c["text"].strip().lower() not in texts]
    stt = get_stt("local")
    stt.load()
    work = Path(tempfile.mkdtemp(prefix="bw-voice-readings-"))
    with args.out.open("w", encoding="utf-8") as out:
        for i, case in enumerate(cases):
            audio = recording(case["text"], args, work)
            try:
                result = stt.transcribe_nbest(decode(audio))
                readings = [[r.text, r.score] for r in result.readings]
                confident = result.confident
            except Exception as exc:  # no speech heard: no readings
                readings, confident = [], None
                print(f"{case['id']}: {type(exc).__name__}", file=sys.stderr)
            out.write(json.dumps({**case, "readings": readings, "confident": confident}) + "\n")
            out.flush()
            if (i + 1) % 25 == 0:
                print(f"{i + 1}/{len(cases)}", file=sys.stderr, flush=True)


def score(args: argparse.Namespace) -> None:
    from assistant.nlu import NLUContext, understand
    from assistant.voice.choice import choose_transcript
    from assistant.voice.stt import Hypothesis

    judge = load_judge(EVAL_DIR)
    today = dt.date(2026, 12, 6)  # the judge's dates and the engine's read against one fixed day
    ctx = NLUContext(today=today)
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        passed = typed = 0
        writes = {"right": 0, "wrong": 0}  # turns that write (no ledger and no write-safety policy here)
        for row in rows:
            readings = [Hypothesis(text=t, score=s) for t, s in row["readings"]]
            heard = choose_transcript(readings, today=today) if readings else ""
            calls = [{"name": c.name, "args": c.args} for c in understand(heard, ctx).calls] if heard else []
            ok, why = judge.judge(row, calls, today)
            typed_ok, _ = judge.judge(
                row, [{"name": c.name, "args": c.args} for c in understand(row["text"], ctx).calls], today
            )
            passed += ok
            typed += typed_ok
            if any(c["name"] in judge.WRITE_TOOLS for c in calls):
                writes["right" if ok else "wrong"] += 1
            if args.verbose and not ok:
                print(f"FAIL {row['id']}: {row['text']!r} -> {heard!r} (typed {typed_ok}): {why}")
            elif args.verbose > 1:
                print(f"PASS {row['id']}: {row['text']!r} -> {heard!r}")
        print(
            f"{path.name}: {passed}/{len(rows)} spoken, {typed}/{len(rows)} typed; "
            f"turns that write: {writes['right']} right, {writes['wrong']} wrong"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--cases", type=Path, default=EVAL_DIR / "dev-utterances.jsonl")
    d.add_argument("--heldout", action="store_true")
    d.add_argument("--sample", type=int, default=0)
    d.add_argument("--seed", type=int, default=99)
    d.add_argument("--max-round", type=int, default=0)
    d.add_argument("--limit", type=int, default=0)
    d.add_argument("--part")
    d.add_argument("--only", help="ID,ID...: only these cases of the sample")
    d.add_argument("--exclude", action="append", default=[], help="SEED:MAX_ROUND of a reported sample")
    d.add_argument("--voice", default="piper")
    d.add_argument("--espeak")
    d.add_argument("--format", default="webm")
    d.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "bw-voice-eval-cache")
    s = sub.add_parser("score")
    s.add_argument("files", type=Path, nargs="+")
    s.add_argument("-v", "--verbose", action="count", default=0)
    args = ap.parse_args()
    dump(args) if args.cmd == "dump" else score(args)


if __name__ == "__main__":
    main()
