"""Voice figures: speech-to-text real-time factor (tiny.en and base), text-to-speech time per
sentence (Piper and espeak-ng), the voice round trip (audio in -> first audio out) for a 3-second
question, the server's memory with each model, and a typed chat turn with 8 voice uploads in flight.

    python bench/voice.py [--runs 10] [--skip-base]

STT and TTS are timed in this process on Piper speech (models loaded and warmed first): the
single transcript (``transcribe_samples``) and what a voice turn uses, the n-best readings plus
the understanding engine's choice among them (``transcribe_nbest`` + ``choose_transcript``).
The round trip runs against ``budgetwise serve`` on a temporary SQLite file: a signed-in user
sends a 3-second spoken question (webm/opus, as a browser does) over the WebSocket with
``speak: true``; the time is from the last byte sent (``audio_end``) to the first ``audio_reply``
event (the first sentence, Piper). RSS is the server's resident memory after those turns. Then
8 clients post recordings to ``/api/voice`` without pause while another user's typed turns are
timed over the WebSocket (busy answers, 503, are counted).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serving import own_server  # noqa: E402
from voice_eval import speak  # noqa: E402

from assistant.voice.audio import decode, duration  # noqa: E402
from assistant.voice.pipeline import choose_transcript  # noqa: E402
from assistant.voice.stt import get_stt  # noqa: E402
from assistant.voice.tts import get_tts  # noqa: E402

QUESTION = "Should I buy new headphones for two hundred and fifty dollars this week?"  # about 3 s by Piper
STT_CLIPS = [
    "I spent 12.50 on lunch at Chipotle yesterday",
    "Should I buy headphones for 250 dollars?",
    "Set my dining budget to 300 a month",
    "How much did I spend on groceries last month?",
    "Add Netflix 15.99 monthly, renews on the 5th",
]
REPLIES = [
    "Logged $12.50 for lunch at Chipotle under Dining, yesterday.",
    "I'd wait on headphones ($250.00): Shopping has $120.00 left this month.",
    "Your Dining budget is now $300.00 a month.",
    "You spent $412.30 on Groceries in October, 8% less than September.",
    "Added Netflix, $15.99 monthly; it renews on the 5th and I'll remind you 7 days before.",
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def bench_stt(work: Path, spec: str) -> dict[str, float]:
    stt = get_stt(spec)
    t = time.perf_counter()
    stt.warm_up()
    load = time.perf_counter() - t
    audio_s = compute_s = nbest_s = 0.0
    clips = [decode(speak(text, "webm", work, engine="piper")) for text in STT_CLIPS]
    for _ in range(2):
        for samples in clips:  # the two paths alternate, so a busy moment hits both alike
            t = time.perf_counter()
            stt.transcribe_samples(samples)
            compute_s += time.perf_counter() - t
            t = time.perf_counter()
            choose_transcript(stt.transcribe_nbest(samples).readings)
            nbest_s += time.perf_counter() - t
            audio_s += duration(samples)
    runs = 2 * len(STT_CLIPS)
    return {
        "load_and_warm_s": load,
        "rtf": compute_s / audio_s,
        "per_clip_s": compute_s / runs,
        "nbest_rtf": nbest_s / audio_s,
        "nbest_per_clip_s": nbest_s / runs,
    }


def bench_tts(kind: str) -> dict[str, float]:
    tts = get_tts(kind)
    tts.synthesize("Warming up.")
    times = []
    for _ in range(3):
        for text in REPLIES:
            t = time.perf_counter()
            tts.synthesize(text)
            times.append(time.perf_counter() - t)
    return {"per_sentence_p50_s": statistics.median(times), "per_sentence_max_s": max(times)}


async def register(http: httpx.AsyncClient) -> str:
    body = {"email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "correct horse battery staple"}
    r = await http.post("/api/auth/register", json=body)
    r.raise_for_status()
    return str(r.json()["access_token"])


async def chat_under_voice_load(url: str, audio: bytes, turns: int, uploads: int = 8) -> dict[str, float]:
    """Typed chat turn times, alone and while ``uploads`` clients keep posting voice."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        tokens = [await register(http) for _ in range(uploads + 1)]

    async def typed(n: int) -> list[float]:
        out = []
        async with websockets.connect(url.replace("http", "ws", 1) + "/ws/chat") as ws:
            await ws.send(json.dumps({"type": "auth", "token": tokens[0]}))
            await ws.recv()
            for i in range(n):
                t = time.perf_counter()
                await ws.send(json.dumps({"type": "user_message", "id": str(i), "text": "how much is left in dining?"}))
                while json.loads(await ws.recv())["type"] != "turn_end":
                    pass
                out.append(time.perf_counter() - t)
        return out

    alone = await typed(turns)
    stop = asyncio.Event()
    counts = {"ok": 0, "busy": 0}

    async def uploader(token: str) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            while not stop.is_set():
                r = await http.post(
                    "/api/voice",
                    headers={"Authorization": f"Bearer {token}"},
                    files={"audio": ("q.webm", audio, "audio/webm")},
                )
                key = "ok" if r.status_code == 200 else "busy" if r.status_code == 503 else "other"
                counts[key] = counts.get(key, 0) + 1
                if r.status_code == 503:
                    await asyncio.sleep(float(r.headers.get("Retry-After", "1")) / 4)

    tasks = [asyncio.create_task(uploader(t)) for t in tokens[1:]]
    await asyncio.sleep(1.0)
    loaded = await typed(turns)
    stop.set()
    await asyncio.gather(*tasks)
    return {
        "alone_p50_s": statistics.median(alone),
        "loaded_p50_s": statistics.median(loaded),
        "loaded_max_s": max(loaded),
        "voice_ok": counts["ok"],
        "voice_busy": counts["busy"],
    }


async def round_trips(url: str, audio: bytes, runs: int) -> list[float]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        token = await register(http)
    out = []
    async with websockets.connect(url.replace("http", "ws", 1) + "/ws/chat", max_size=None) as ws:
        await ws.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(await ws.recv())["type"] == "ready"
        for _ in range(runs + 1):  # the first one is a warm-up
            await ws.send(json.dumps({"type": "audio_start", "id": "b", "format": "webm", "speak": True}))
            await ws.send(audio)
            t = time.perf_counter()
            await ws.send(json.dumps({"type": "audio_end"}))
            first_audio = None
            while True:
                ev = json.loads(await ws.recv())
                if ev["type"] == "audio_reply" and first_audio is None:
                    first_audio = time.perf_counter() - t
                if ev["type"] == "turn_end":
                    break
            assert first_audio is not None, "no audio_reply (is the Piper voice installed?)"
            out.append(first_audio)
    return out[1:]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--skip-base", action="store_true", help="tiny.en only")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bw-voice-bench-"))
    specs = ["local"] if args.skip_base else ["local", "base"]
    for spec in specs:
        stt = bench_stt(work, spec)
        model = get_stt(spec)
        name = "tiny.en" if spec == "local" else spec
        print(
            f"STT {name} (int8, beam {model.beam_size}): load+warm {stt['load_and_warm_s']:.2f} s, "
            f"real-time factor {stt['rtf']:.3f}, {stt['per_clip_s']:.2f} s per clip"
        )
        print(
            f"STT {name} {model.nbest}-best readings + choice (beam {max(model.beam_size, model.nbest)}): "
            f"real-time factor {stt['nbest_rtf']:.3f}, {stt['nbest_per_clip_s']:.2f} s per clip"
        )
    for kind in ("piper", "espeak"):
        tts = bench_tts(kind)
        print(
            f"TTS {kind}: {tts['per_sentence_p50_s'] * 1000:.0f} ms per sentence p50, "
            f"max {tts['per_sentence_max_s'] * 1000:.0f} ms"
        )
    audio = speak(QUESTION, "webm", work, engine="piper")
    seconds = duration(decode(audio))
    for spec in specs:
        with own_server(spec, "local") as (url, pid):
            time.sleep(5)  # the server warms voice in the background at start
            base = rss_mib(pid)
            trips = asyncio.run(round_trips(url, audio, args.runs))
            rss = rss_mib(pid)
            load = asyncio.run(chat_under_voice_load(url, audio, args.runs)) if spec == "local" else None
        name = "tiny.en" if spec == "local" else spec
        print(
            f"round trip {name} + Piper, {seconds:.1f} s question (audio_end -> first audio_reply) over "
            f"{args.runs} runs: p50 {statistics.median(trips):.2f} s, p90 {pct(trips, 0.9):.2f} s, "
            f"max {max(trips):.2f} s"
        )
        print(f"server RSS ({name} + Piper): {base:.0f} MiB after start (voice warmed), {rss:.0f} MiB after the turns")
        if load:
            print(
                f"typed chat turn p50 {load['alone_p50_s']:.3f} s alone, {load['loaded_p50_s']:.3f} s "
                f"(max {load['loaded_max_s']:.2f} s) with 8 voice uploads in flight "
                f"({load['voice_ok']} answered, {load['voice_busy']} told busy)"
            )


if __name__ == "__main__":
    main()
