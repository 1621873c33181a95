"""Voice figures: speech-to-text real-time factor, text-to-speech time per sentence, the voice
round trip (audio in -> first audio out) for a 3-second question, and the server's memory.

    python bench/voice.py [--runs 10]

STT and TTS are timed in this process on espeak-ng speech (the model loaded and warmed first):
the single transcript (``transcribe_samples``) and what a voice turn uses, the n-best readings
plus the understanding engine's choice among them (``transcribe_nbest`` + ``choose_transcript``).
The round trip runs against ``budgetwise serve`` on a temporary SQLite file: a signed-in user
sends a 3-second spoken question (webm/opus, as a browser does) over the WebSocket with
``speak: true``; the time is from the last byte sent (``audio_end``) to the ``audio_reply``
event. RSS is the server's resident memory after those turns (voice loaded and used).
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

from voice_eval import own_server, speak  # noqa: E402

from assistant.voice.audio import decode, duration  # noqa: E402
from assistant.voice.pipeline import choose_transcript  # noqa: E402
from assistant.voice.stt import get_stt  # noqa: E402
from assistant.voice.tts import get_tts  # noqa: E402

QUESTION = "Should I buy headphones for 250 dollars?"  # about 3 seconds spoken by espeak-ng
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


def bench_stt(work: Path) -> dict[str, float]:
    stt = get_stt("local")
    t = time.perf_counter()
    stt.warm_up()
    load = time.perf_counter() - t
    audio_s = compute_s = nbest_s = 0.0
    clips = [decode(speak(text, "webm", work, [])) for text in STT_CLIPS]
    for _ in range(2):
        for samples in clips:  # the two paths alternate, so a busy moment hits both alike
            t = time.perf_counter()
            stt.transcribe_samples(samples)
            compute_s += time.perf_counter() - t
            t = time.perf_counter()
            choose_transcript(stt.transcribe_nbest(samples))
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


def bench_tts() -> dict[str, float]:
    tts = get_tts()
    tts.synthesize("Warming up.")
    times = []
    for _ in range(3):
        for text in REPLIES:
            t = time.perf_counter()
            tts.synthesize(text)
            times.append(time.perf_counter() - t)
    return {"per_sentence_p50_s": statistics.median(times), "per_sentence_max_s": max(times)}


async def round_trips(url: str, audio: bytes, runs: int) -> list[float]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        body = {"email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "correct horse battery staple"}
        r = await http.post("/api/auth/register", json=body)
        r.raise_for_status()
        token = r.json()["access_token"]
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
            assert first_audio is not None, "no audio_reply (is espeak-ng installed?)"
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
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bw-voice-bench-"))
    stt = bench_stt(work)
    model = get_stt("local")
    print(
        f"STT (tiny.en int8, beam {model.beam_size}): load+warm {stt['load_and_warm_s']:.2f} s, "
        f"real-time factor {stt['rtf']:.3f}, {stt['per_clip_s']:.2f} s per clip"
    )
    print(
        f"STT {model.nbest}-best readings + choice (beam {max(model.beam_size, model.nbest)}): "
        f"real-time factor {stt['nbest_rtf']:.3f}, {stt['nbest_per_clip_s']:.2f} s per clip"
    )
    tts = bench_tts()
    print(
        f"TTS (pyttsx3/espeak-ng): {tts['per_sentence_p50_s'] * 1000:.0f} ms per sentence p50, "
        f"max {tts['per_sentence_max_s'] * 1000:.0f} ms"
    )
    audio = speak(QUESTION, "webm", work, [])  # espeak-ng defaults: 3 s
    seconds = duration(decode(audio))
    with own_server() as (url, pid):
        time.sleep(3)  # the server warms voice in the background at start
        base = rss_mib(pid)
        trips = asyncio.run(round_trips(url, audio, args.runs))
        rss = rss_mib(pid)
    print(
        f"round trip, {seconds:.1f} s question (audio_end -> audio_reply) over {args.runs} runs: "
        f"p50 {statistics.median(trips):.2f} s, p90 {pct(trips, 0.9):.2f} s, max {max(trips):.2f} s"
    )
    print(f"server RSS: {base:.0f} MiB after start (voice warmed), {rss:.0f} MiB after the voice turns")


if __name__ == "__main__":
    main()
