"""Spoken understanding eval: the shared dev utterances, said by espeak-ng, through the voice flow.

Every case of ``dev-utterances.jsonl`` is turned into speech (``espeak-ng -w``, then webm/opus
with ffmpeg, as a browser would send it), sent over the WebSocket voice flow (``audio_start``,
binary frames, ``audio_end``) as a freshly registered user, and its tool calls are scored with
the shared judge from ``run_eval.py``. With ``--text`` the same cases are also sent as typed
text, so misses can be told apart: the ear (transcription) or the understanding.

    python bench/voice_eval.py                       # starts its own server on a temp SQLite file
    python bench/voice_eval.py --url http://127.0.0.1:8000 [--format wav] [--text] [-v]

The last line printed is the score; exit status 0 when it is at least ``--min`` (0.85).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = Path(os.environ.get("BUDGETWISE_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def load_judge(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_eval", eval_dir / "run_eval.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no run_eval.py in {eval_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The eval's speaker: espeak-ng's American voice, a little slower than its default 175 words a
# minute, with a 30 ms gap between words (a person asking an app speaks about that clearly).
# Other settings measured (docs/voice.md, "Spoken eval"): the default voice at 175 scores lower.
VOICE = ["-v", "en-us", "-s", "140", "-g", "3"]


def speak(text: str, fmt: str, workdir: Path, voice: list[str] | None = None) -> bytes:
    """``text`` as a recording in ``fmt`` (wav straight from espeak-ng; webm/ogg as opus)."""
    wav = workdir / f"{uuid.uuid4().hex}.wav"
    args = VOICE if voice is None else voice
    subprocess.run(["espeak-ng", *args, "-w", str(wav), text], check=True, capture_output=True)
    if fmt == "wav":
        return wav.read_bytes()
    out = wav.with_suffix(f".{fmt}")
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", "-b:a", "32k", str(out)],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def own_server() -> Iterator[tuple[str, int]]:
    """``budgetwise serve`` on a fresh SQLite file (voice is warmed at start, as in production):
    yields its URL and process id."""
    tmp = tempfile.mkdtemp(prefix="bw-voice-eval-")
    port = free_port()
    env = {
        **os.environ,
        "BUDGETWISE_DATABASE_URL": f"sqlite:///{tmp}/eval.db",
        "BUDGETWISE_SECRET_KEY": "voice-eval-" + "k" * 40,
        "BUDGETWISE_SCHEDULER": "off",
        "BUDGETWISE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)


async def voice_case(ws: Any, audio: bytes, fmt: str, timeout: float) -> tuple[list[dict[str, Any]], str, str]:
    """One spoken message: (tool calls, transcript, reply or error)."""
    await ws.send(json.dumps({"type": "audio_start", "id": uuid.uuid4().hex, "format": fmt, "speak": False}))
    for i in range(0, len(audio), 256 * 1024):
        await ws.send(audio[i : i + 256 * 1024])
    await ws.send(json.dumps({"type": "audio_end"}))
    calls: list[dict[str, Any]] = []
    heard, reply = "", ""

    async def collect() -> None:
        nonlocal heard, reply
        while True:
            ev = json.loads(await ws.recv())
            kind = ev.get("type")
            if kind == "transcript":
                heard = ev.get("text", "")
            elif kind == "tool_call":
                calls.append(ev)
            elif kind == "assistant_message":
                reply = ev.get("text", "")
            elif kind == "error" and not reply:
                reply = f"[{ev.get('code')}] {ev.get('message')}"
            elif kind == "turn_end":
                return

    await asyncio.wait_for(collect(), timeout)
    return calls, heard, reply


async def run(url: str, args: argparse.Namespace, judge: ModuleType) -> float:
    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        cases = cases[: args.limit]
    work = Path(tempfile.mkdtemp(prefix="bw-voice-audio-"))
    voice = args.espeak.split() if args.espeak is not None else None
    audio = {c["id"]: speak(c["text"], args.format, work, voice) for c in cases}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        tokens = []
        for _ in range(2 if args.text else 1):  # the text run gets its own user (same starting ledger)
            body = {
                "email": f"voice-eval-{uuid.uuid4().hex[:10]}@example.com",
                "password": "correct horse battery staple",
            }
            r = await http.post("/api/auth/register", json={**body, "timezone": "UTC", "currency": "USD"})
            r.raise_for_status()
            tokens.append(r.json()["access_token"])
    today = dt.datetime.now(dt.UTC).date()
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/ws/chat"
    passed = text_passed = 0
    misses: list[str] = []
    seconds: list[float] = []
    async with contextlib.AsyncExitStack() as stack:
        socks = []
        for token in tokens:
            ws = await stack.enter_async_context(websockets.connect(ws_url, max_size=None))
            await ws.send(json.dumps({"type": "auth", "token": token}))
            assert json.loads(await ws.recv())["type"] == "ready"
            socks.append(ws)
        for case in cases:
            start = time.perf_counter()
            try:
                calls, heard, reply = await voice_case(socks[0], audio[case["id"]], args.format, args.timeout)
                ok, why = judge.judge(case, calls, today)
            except Exception as exc:  # a broken turn is a miss
                ok, why, heard, reply = False, f"{type(exc).__name__}: {exc}", "", ""
            seconds.append(time.perf_counter() - start)
            passed += ok
            text_ok = None
            if args.text:
                tcalls, _ = await judge.run_case(socks[1], case["text"], args.timeout)
                text_ok, _ = judge.judge(case, tcalls, today)
                text_passed += text_ok
            if not ok:
                misses.append(f"miss {case['id']}: said {case['text']!r}, heard {heard!r}: {why} (typed: {text_ok})")
            if args.verbose:
                print(f"{'PASS' if ok else 'FAIL'} {case['id']}: {case['text']!r} -> heard {heard!r} | {reply[:80]!r}")
    for line in misses:
        print(line)
    seconds.sort()
    print(f"turn time (audio_end sent -> turn_end) p50 {seconds[len(seconds) // 2]:.2f} s, max {seconds[-1]:.2f} s")
    if args.text:
        print(f"typed, same cases: {text_passed}/{len(cases)} = {text_passed / len(cases):.1%}")
    share = passed / len(cases)
    print(f"spoken ({args.format}): understood {passed}/{len(cases)} = {share:.1%} (needs {args.min:.0%})")
    return share


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a running server (default: start one on a temporary database)")
    ap.add_argument("--cases", type=Path, default=EVAL_DIR / "dev-utterances.jsonl")
    ap.add_argument("--format", choices=["wav", "webm", "ogg"], default="webm")
    ap.add_argument("--min", type=float, default=0.85)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--espeak", help=f"espeak-ng voice options (default: {' '.join(VOICE)!r}; '' for its defaults)")
    ap.add_argument("--text", action="store_true", help="also send each case as typed text, for comparison")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    judge = load_judge(args.cases.parent if (args.cases.parent / "run_eval.py").exists() else EVAL_DIR)
    if args.url:
        share = asyncio.run(run(args.url, args, judge))
    else:
        with own_server() as (url, _pid):
            share = asyncio.run(run(url, args, judge))
    return 0 if share >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
