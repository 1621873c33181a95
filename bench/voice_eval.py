"""Spoken understanding eval: utterances said by Piper (or espeak-ng), through the voice flow.

Every case (default: the shared ``dev-utterances.jsonl``) is turned into speech, then webm/opus
with ffmpeg, as a browser would send it, sent over the WebSocket voice flow (``audio_start``,
binary frames, ``audio_end``) as a freshly registered user, and its tool calls are scored with
the shared judge from ``run_eval.py``. With ``--text`` the same cases are also sent as typed
text, so misses can be told apart: the ear (transcription) or the understanding.

Voices: ``--voice piper`` (default; ``en_US-joe-medium``, a natural voice, the primary measure)
and ``--voice espeak`` (espeak-ng's robotic voice, a robustness check). ``--stt base`` runs the
server with Whisper base instead of tiny.en. ``--heldout`` takes the team's held-out and blind
rounds in ``tests/data``; ``--sample N --seed S`` a fixed, seeded sample of the cases.
Recordings are cached (``--cache``), so two ears hear exactly the same audio.

    python bench/voice_eval.py                       # starts its own server on a temp SQLite file
    python bench/voice_eval.py --voice espeak --stt base --heldout --sample 150 --text
    python bench/voice_eval.py --url http://127.0.0.1:8000 [--format wav] [--text] [-v]

The last line printed is the score; exit status 0 when it is at least ``--min`` (0.85).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import os
import random
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


_piper: Any = None


def piper_wav(text: str, path: Path) -> None:
    """``text`` spoken by Piper's joe voice (the server's own engine class, loaded once)."""
    global _piper
    if _piper is None:
        sys.path.insert(0, str(ROOT))
        from assistant.voice.tts import PiperSpeech

        _piper = PiperSpeech()
    path.write_bytes(_piper.synthesize(text))


def speak(text: str, fmt: str, workdir: Path, voice: list[str] | None = None, *, engine: str = "espeak") -> bytes:
    """``text`` as a recording in ``fmt`` (wav straight from the voice; webm/ogg as opus)."""
    wav = workdir / f"{uuid.uuid4().hex}.wav"
    if engine == "piper":
        piper_wav(text, wav)
    else:
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
def own_server(stt: str | None = None, tts: str | None = None) -> Iterator[tuple[str, int]]:
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
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        **({"BUDGETWISE_STT": stt} if stt else {}),
        **({"BUDGETWISE_TTS": tts} if tts else {}),
    }
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
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


async def voice_case(
    ws: Any, audio: bytes, fmt: str, timeout: float
) -> tuple[list[dict[str, Any]], str, str, bool | None]:
    """One spoken message: (tool calls, transcript, reply or error, the transcript's confidence)."""
    rid = uuid.uuid4().hex
    await ws.send(json.dumps({"type": "audio_start", "id": rid, "format": fmt, "speak": False}))
    for i in range(0, len(audio), 256 * 1024):
        await ws.send(audio[i : i + 256 * 1024])
    await ws.send(json.dumps({"type": "audio_end"}))
    calls: list[dict[str, Any]] = []
    heard, reply = "", ""
    confident: bool | None = None

    async def collect() -> None:
        nonlocal heard, reply, confident
        turn = None
        while True:
            ev = json.loads(await ws.recv())
            kind = ev.get("type")
            if kind == "turn_start" and ev.get("reply_to") == rid:
                turn = ev.get("turn_id")
            if turn is None or ev.get("turn_id") != turn:
                continue  # a late turn of an earlier case that timed out: not this case's
            if kind == "transcript":
                heard, confident = ev.get("text", ""), ev.get("confident")
            elif kind == "tool_call":
                calls.append(ev)
            elif kind == "assistant_message":
                reply = ev.get("text", "")
            elif kind == "error" and not reply:
                reply = f"[{ev.get('code')}] {ev.get('message')}"
            elif kind == "turn_end":
                return

    await asyncio.wait_for(collect(), timeout)
    return calls, heard, reply, confident


def load_cases(args: argparse.Namespace) -> list[dict[str, Any]]:
    files = sorted((ROOT / "tests" / "data").glob("*-utterances.jsonl")) if args.heldout else [args.cases]
    cases = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                case["id"] = f"{path.stem.split('-')[0]}:{case['id']}"
                cases.append(case)
    if args.sample and args.sample < len(cases):
        cases = random.Random(args.seed).sample(cases, args.sample)
    if args.limit:
        cases = cases[: args.limit]
    return cases


def recording(text: str, args: argparse.Namespace, work: Path) -> bytes:
    """The case spoken, from the cache when it was made before with the same voice and format."""
    voice = args.espeak.split() if args.espeak is not None else None
    key = hashlib.sha256(json.dumps([args.voice, voice, args.format, text]).encode()).hexdigest()[:24]
    cached = args.cache / f"{key}.{args.format}" if args.cache else None
    if cached is not None and cached.exists():
        return cached.read_bytes()
    data = speak(text, args.format, work, voice, engine=args.voice)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
    return data


async def run(url: str, args: argparse.Namespace, judge: ModuleType) -> float:
    cases = load_cases(args)
    work = Path(tempfile.mkdtemp(prefix="bw-voice-audio-"))
    audio = {c["id"]: recording(c["text"], args, work) for c in cases}
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
    # how the unsure flag lines up with the misses: (confident, understood) -> count
    flags: dict[tuple[bool | None, bool], int] = {}
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
                calls, heard, reply, confident = await voice_case(
                    socks[0], audio[case["id"]], args.format, args.timeout
                )
                ok, why = judge.judge(case, calls, today)
            except Exception as exc:  # a broken turn is a miss
                ok, why, heard, reply, confident = False, f"{type(exc).__name__}: {exc}", "", "", None
            seconds.append(time.perf_counter() - start)
            passed += ok
            flags[(confident, bool(ok))] = flags.get((confident, bool(ok)), 0) + 1
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
    unsure_miss, unsure_ok = flags.get((False, False), 0), flags.get((False, True), 0)
    print(
        f"unsure transcripts (confident=false): {unsure_miss + unsure_ok}, of them misses {unsure_miss}; "
        f"misses heard as sure: {flags.get((True, False), 0)}"
    )
    if args.text:
        print(f"typed, same cases: {text_passed}/{len(cases)} = {text_passed / len(cases):.1%}")
    share = passed / len(cases)
    what = f"{args.voice} voice, stt={args.stt or 'server default'}, {args.format}"
    print(f"spoken ({what}): understood {passed}/{len(cases)} = {share:.1%} (needs {args.min:.0%})")
    return share


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a running server (default: start one on a temporary database)")
    ap.add_argument("--cases", type=Path, default=EVAL_DIR / "dev-utterances.jsonl")
    ap.add_argument("--format", choices=["wav", "webm", "ogg"], default="webm")
    ap.add_argument("--min", type=float, default=0.85)
    ap.add_argument("--timeout", type=float, default=240.0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--espeak", help=f"espeak-ng voice options (default: {' '.join(VOICE)!r}; '' for its defaults)")
    ap.add_argument("--voice", choices=["piper", "espeak"], default="piper", help="who speaks the cases")
    ap.add_argument("--stt", help="BUDGETWISE_STT for the server this starts (local = tiny.en, base)")
    ap.add_argument("--heldout", action="store_true", help="the held-out and blind rounds in tests/data")
    ap.add_argument("--sample", type=int, default=0, help="a fixed, seeded sample of this many cases")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "bw-voice-eval-cache")
    ap.add_argument("--text", action="store_true", help="also send each case as typed text, for comparison")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    judge = load_judge(args.cases.parent if (args.cases.parent / "run_eval.py").exists() else EVAL_DIR)
    if args.url:
        share = asyncio.run(run(args.url, args, judge))
    else:
        with own_server(args.stt, "off") as (url, _pid):
            share = asyncio.run(run(url, args, judge))
    return 0 if share >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
