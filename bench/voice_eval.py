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
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import websockets
from eval_ledger import Ledger, expected_parts
from serving import own_server

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


def silence(path: Path, seconds: float = 1.0, rate: int = 22050) -> None:
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * int(rate * seconds))


def speak(text: str, fmt: str, workdir: Path, voice: list[str] | None = None, *, engine: str = "espeak") -> bytes:
    """``text`` as a recording in ``fmt`` (wav straight from the voice; webm/ogg as opus)."""
    wav = workdir / f"{uuid.uuid4().hex}.wav"
    if engine == "piper":
        try:
            piper_wav(text, wav)
        except Exception:  # nothing sayable ("……???"): what the microphone gets is a second of silence
            silence(wav)
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


class Turn:
    """What one message (and, where the server asked, the answer to its ``confirm``) did."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.heard, self.reply = "", ""
        self.confident: bool | None = None
        self.confirm: dict[str, Any] | None = None
        self.answered: str | None = None  # "yes" / "no" when the harness answered a confirm


async def collect_turn(ws: Any, reply_to: str, turn: Turn, timeout: float) -> None:
    """The events of the turn that answers ``reply_to`` (matched by its ``turn_start``), into ``turn``."""

    async def collect() -> None:
        turn_id = None
        while True:
            raw = await ws.recv()
            if isinstance(raw, bytes):
                continue
            ev = json.loads(raw)
            kind = ev.get("type")
            if kind == "turn_start" and ev.get("reply_to") == reply_to:
                turn_id = ev.get("turn_id")
            if turn_id is None or ev.get("turn_id") != turn_id:
                continue  # a late turn of an earlier case that timed out: not this case's
            if kind == "transcript":
                turn.heard, turn.confident = ev.get("text", ""), ev.get("confident")
            elif kind == "tool_call":
                turn.calls.append(ev)
            elif kind == "assistant_message":
                turn.reply = ev.get("text", "")
                if isinstance(ev.get("confirm"), dict):
                    turn.confirm = ev["confirm"]
            elif kind == "error" and not turn.reply:
                turn.reply = f"[{ev.get('code')}] {ev.get('message')}"
            elif kind == "turn_end":
                return

    await asyncio.wait_for(collect(), timeout)


async def voice_case(ws: Any, audio: bytes, fmt: str, timeout: float) -> Turn:
    """One spoken message: its tool calls, transcript, reply or error, confidence and ``confirm``."""
    rid = uuid.uuid4().hex
    await ws.send(json.dumps({"type": "audio_start", "id": rid, "format": fmt, "speak": False}))
    for i in range(0, len(audio), 256 * 1024):
        await ws.send(audio[i : i + 256 * 1024])
    await ws.send(json.dumps({"type": "audio_end"}))
    turn = Turn()
    await collect_turn(ws, rid, turn, timeout)
    return turn


async def text_case(ws: Any, text: str, timeout: float) -> Turn:
    """One typed message, as ``run_eval.py`` sends it (with an id, so its turn is matched)."""
    rid = uuid.uuid4().hex
    await ws.send(json.dumps({"type": "user_message", "id": rid, "text": text}))
    turn = Turn()
    await collect_turn(ws, rid, turn, timeout)
    return turn


def names_expected_action(case: dict[str, Any], action: dict[str, Any], today: dt.date, judge: ModuleType) -> bool:
    """Whether a ``confirm``'s action is what the case asks for: the same tool and the expected
    arguments (amount, category, name...), judged as a call of its own. A user says "yes" to that
    and "no" to anything else (a wrong amount, a write the case did not ask for)."""
    call = {"name": action.get("name"), "args": action.get("args") or {}}
    return any(judge.judge({"expect": part}, [call], today)[0] for part in expected_parts(case))


async def answer_confirm(
    ws: Any, turn: Turn, case: dict[str, Any], today: dt.date, judge: ModuleType, timeout: float
) -> None:
    """Answer the turn's ``confirm`` as the user would (contract: ``{"type":"confirm","id","answer"}``):
    "yes" only when it names the expected action, else "no". A yes's tool calls join the turn's."""
    if turn.confirm is None or not turn.confirm.get("id"):
        return
    cid = str(turn.confirm["id"])
    turn.answered = "yes" if names_expected_action(case, turn.confirm.get("action") or {}, today, judge) else "no"
    await ws.send(json.dumps({"type": "confirm", "id": cid, "answer": turn.answered}))
    after = Turn()
    await collect_turn(ws, cid, after, timeout)
    if turn.answered == "yes":
        turn.calls.extend(after.calls)
        turn.reply += f" || after yes: {after.reply}"


def load_cases(args: argparse.Namespace) -> list[dict[str, Any]]:
    files = sorted((ROOT / "tests" / "data").glob("*-utterances.jsonl")) if args.heldout else [args.cases]
    if args.heldout and args.max_round:  # the rounds as they were (a seed's sample is drawn over the files)
        files = [f for f in files if not f.stem.startswith("blind") or int(f.stem[5:].split("-")[0]) <= args.max_round]
    cases = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                case["id"] = f"{path.stem.split('-')[0]}:{case['id']}"
                cases.append(case)
    if args.sample and args.sample < len(cases):
        cases = random.Random(args.seed).sample(cases, args.sample)
    if getattr(args, "only", None):  # "blind9:b9-117,dev:d039": these cases of the sample (after the draw)
        only = set(args.only.split(","))
        cases = [c for c in cases if c["id"] in only]
    if args.limit:
        cases = cases[: args.limit]
    if args.part:  # "2/4": the second quarter, to share a long run between processes
        k, n = (int(x) for x in args.part.split("/"))
        size = -(-len(cases) // n)
        cases = cases[(k - 1) * size : k * size]
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
    today = dt.datetime.now(dt.UTC).date()
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/ws/chat"
    passed = text_passed = needed_yes = text_needed_yes = 0
    misses: list[str] = []
    seconds: list[float] = []
    causes: dict[str, int] = {}
    asked = {"yes": 0, "no": 0}
    seeded = 0
    # how the unsure flag lines up with the misses: (confident, understood) -> count
    flags: dict[tuple[bool | None, bool], int] = {}
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=30))
        socks, ledgers = [], []
        for _ in range(2 if args.text else 1):  # the text run gets its own user (same starting ledger)
            body = {
                "email": f"voice-eval-{uuid.uuid4().hex[:10]}@example.com",
                "password": "correct horse battery staple",
            }
            r = await http.post("/api/auth/register", json={**body, "timezone": "UTC", "currency": "USD"})
            r.raise_for_status()
            token = r.json()["access_token"]
            ws = await stack.enter_async_context(websockets.connect(ws_url, max_size=None))
            await ws.send(json.dumps({"type": "auth", "token": token}))
            assert json.loads(await ws.recv())["type"] == "ready"
            socks.append(ws)
            ledgers.append(Ledger(http, token))

        async def one(i: int, case: dict[str, Any]) -> tuple[bool, str, Turn]:
            """The case for user ``i`` (0 spoken, 1 typed): its ledger seeded, its setup turns typed
            first (as ``run_eval.py`` sends them; not judged), then the message, a confirm answered."""
            nonlocal seeded
            try:
                added = await ledgers[i].seed(case, today)
                seeded += bool(added) and i == 0
                for text in case.get("setup", []):
                    await text_case(socks[i], text, args.timeout)
                if i == 0:
                    turn = await voice_case(socks[0], audio[case["id"]], args.format, args.timeout)
                else:
                    turn = await text_case(socks[1], case["text"], args.timeout)
                await answer_confirm(socks[i], turn, case, today, judge, args.timeout)
                ok, why = judge.judge(case, turn.calls, today)
            except Exception as exc:  # a broken turn is a miss
                turn, ok, why = Turn(), False, f"{type(exc).__name__}: {exc}"
            finally:
                with contextlib.suppress(httpx.HTTPError):
                    await ledgers[i].clean()
            return bool(ok), why, turn

        for case in cases:
            start = time.perf_counter()
            ok, why, turn = await one(0, case)
            seconds.append(time.perf_counter() - start)
            passed += ok
            if turn.answered:
                asked[turn.answered] += 1
            needed_yes += ok and turn.answered == "yes"
            flags[(turn.confident, ok)] = flags.get((turn.confident, ok), 0) + 1
            text_ok = None
            if args.text:
                text_ok, _, tturn = await one(1, case)
                text_passed += text_ok
                text_needed_yes += text_ok and tturn.answered == "yes"
            if not ok:
                cause = miss_cause(turn, text_ok, judge)
                causes[cause] = causes.get(cause, 0) + 1
                misses.append(
                    f"miss {case['id']} [{cause}]: said {case['text']!r}, heard {turn.heard!r}: {why}"
                    + (f" (confirm {turn.confirm.get('text')!r} answered {turn.answered})" if turn.confirm else "")
                    + f" (typed: {text_ok})"
                )
            if args.verbose:
                yes = " (after a yes)" if turn.answered == "yes" else ""
                print(
                    f"{'PASS' if ok else 'FAIL'}{yes} {case['id']}: {case['text']!r} -> heard {turn.heard!r} "
                    f"| {turn.reply[:80]!r}",
                    flush=True,
                )
    for line in misses:
        print(line)
    seconds.sort()
    print(f"turn time (audio_end sent -> turn_end) p50 {seconds[len(seconds) // 2]:.2f} s, max {seconds[-1]:.2f} s")
    unsure_miss, unsure_ok = flags.get((False, False), 0), flags.get((False, True), 0)
    print(
        f"unsure transcripts (confident=false): {unsure_miss + unsure_ok}, of them misses {unsure_miss}; "
        f"misses heard as sure: {flags.get((True, False), 0)}"
    )
    print(f"ledger seeded for {seeded} case(s) (what they name: subscriptions, goals, a transaction, a budget)")
    print(
        f"confirms answered: {asked['yes']} yes (they named the expected action), {asked['no']} no; "
        f"passes that needed a yes: {needed_yes} of {passed}"
    )
    print("misses by cause: " + (", ".join(f"{k} {v}" for k, v in sorted(causes.items())) or "none"))
    if args.text:
        print(
            f"typed, same cases: {text_passed}/{len(cases)} = {text_passed / len(cases):.1%} "
            f"(needed a yes: {text_needed_yes})"
        )
    share = passed / len(cases)
    what = f"{args.voice} voice, stt={args.stt or 'server default'}, {args.format}"
    print(
        f"spoken ({what}): understood {passed}/{len(cases)} = {share:.1%}, {needed_yes} after a yes "
        f"(needs {args.min:.0%})"
    )
    return share


def miss_cause(turn: Turn, text_ok: bool | None, judge: ModuleType) -> str:
    """Why a spoken case missed: the ear (typed passes) or not, and what the turn did."""
    where = "ear" if text_ok else ("typed too" if text_ok is False else "spoken")
    if not turn.heard:
        what = "nothing heard"
    elif turn.answered == "no":
        what = "confirm named another action, answered no"
    elif any(c.get("name") in judge.WRITE_TOOLS for c in turn.calls):
        what = "wrong write"
    else:
        what = "not understood"
    return f"{where}: {what}"


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
    ap.add_argument("--max-round", type=int, default=0, help="only blind rounds up to N (seed 12 drew up to 19)")
    ap.add_argument("--only", help="ID,ID...: only these cases of the sample (e.g. a run's misses, again)")
    ap.add_argument("--part", help="K/N: only the K-th of N equal slices of the cases (run slices side by side)")
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
