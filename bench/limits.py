"""Hostile uploads against a real ``budgetwise serve``: server memory (RSS) and how fast each is refused.

    PYTHONPATH=$PWD python bench/limits.py [--mb 250] [--port 0]

Starts ``budgetwise serve`` (loopback, a throwaway SQLite file, scheduler off), then sends, three at
a time and unauthenticated, uploads of ``--mb`` MB each: multipart imports with a true
Content-Length (with no token, and with a made-up one), chunked imports (no length, made-up
token), and JSON bodies. Each client streams until the
server answers or closes. Prints the server's RSS before, its peak (sampled every 20 ms) and
after, the answers, the seconds to each answer and the bytes the server let in. Loopback only,
bounded in count and time (each upload stops at its size or 60 s).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CHUNK = 256 * 1024
# multipart/chunked: an import with or without Content-Length; "+token": with a made-up bearer token.
KINDS = ("multipart", "multipart+token", "chunked+token", "json")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def upload(port: int, kind: str, size: int) -> tuple[int, float, int]:
    """One upload; (status, seconds to the answer, bytes sent before the server stopped us).

    Status 0: the server answered and closed while we were still sending, and the reset dropped
    its answer before we read it (the usual fate of an early answer to a large upload)."""
    boundary = "bwbench"
    if kind == "json":
        path, ctype, first = "/api/transactions", "application/json", b'{"amount": "1", "description": "'
    else:
        path, ctype = "/api/import", f"multipart/form-data; boundary={boundary}"
        first = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'.encode()
    chunked = kind.startswith("chunked")
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\n"
    if kind.endswith("+token"):  # a made-up token: checked only once the body is in, so the size limit answers
        head += "Authorization: Bearer not-a-real-token\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {size}\r\n\r\n"
    start = time.monotonic()
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
        conn.setblocking(True)
        conn.sendall(head.encode())
        block = b"x" * CHUNK
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            payload = first
            while sent < size and time.monotonic() - start < 60:
                piece = payload or block
                payload = b""
                conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                sent += len(piece)
                conn.setblocking(False)  # an answer may already be waiting: stop as soon as there is one
                try:
                    answer = conn.recv(65536)
                    if answer:
                        break
                except BlockingIOError:
                    pass
                finally:
                    conn.setblocking(True)
            if not answer:
                if chunked:
                    conn.sendall(b"0\r\n\r\n")
                answer = conn.recv(65536)
        if not answer:  # the server answered and closed while we were still sending: read what arrived
            with contextlib.suppress(OSError):
                answer = conn.recv(65536)
    elapsed = time.monotonic() - start
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, elapsed, sent


def one_round(pid: int, port: int, kind: str, size: int, mb: int) -> dict[str, object]:
    """Three uploads of one kind at once, with the server's RSS sampled every 20 ms."""
    before = rss_mb(pid)
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_mb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    answers: list[tuple[int, float, int]] = []

    def one() -> None:
        answers.append(upload(port, kind, size))

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(0.3)
    done.set()
    sampler.join()
    after = rss_mb(pid)
    return {
        "upload": f"3 x {mb} MB {kind}",
        "answers": sorted(str(a[0] or "reset after answering") for a in answers),
        "answer_s_max": round(max(a[1] for a in answers), 2),
        "sent_mb_max": round(max(a[2] for a in answers) / 2**20, 1),
        "rss_before_mb": round(before, 1),
        "rss_peak_growth_mb": round(peak - before, 1),
        "rss_after_growth_mb": round(after - before, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=250)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    size = args.mb * 1024 * 1024
    port = args.port or free_port()
    tmp = tempfile.mkdtemp(prefix="bw-limits-")
    env = {
        **os.environ,
        "BUDGETWISE_DATABASE_URL": f"sqlite:///{tmp}/limits.db",
        "BUDGETWISE_SECRET_KEY": "bench-secret-" + "k" * 40,
        "BUDGETWISE_SCHEDULER": "off",
    }
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if c.recv(100).startswith(b"HTTP/1.1 200"):
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        settle = time.monotonic() + 90  # background warm-up (speech, understanding) settles first
        readings = [rss_mb(server.pid)]
        while time.monotonic() < settle and not (len(readings) > 4 and max(readings[-4:]) - min(readings[-4:]) < 2):
            time.sleep(1.0)
            readings.append(rss_mb(server.pid))
        results = [one_round(server.pid, port, kind, size, args.mb) for kind in KINDS]
        for row in results:
            print(json.dumps(row))
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
