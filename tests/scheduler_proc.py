"""A scheduler process for the multi-process test: one subscriptions pass at a given time."""

from __future__ import annotations

import datetime as dt
import sys

from assistant.db import make_engine
from assistant.scheduler.poll import PollReport, process_subscriptions

if __name__ == "__main__":
    url, now_iso, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    engine = make_engine(url)
    report = PollReport()
    process_subscriptions(engine, dt.datetime.fromisoformat(now_iso), report, batch=batch)
    print(len(report.notifications), flush=True)
