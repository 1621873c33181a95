"""The stress bench's report: one Markdown table per backend (the one kept in ``docs/performance.md``)."""

from __future__ import annotations

import argparse
from typing import Any


def fmt(x: Any) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def table(backend: str, r: dict[str, Any], args: argparse.Namespace) -> str:
    def lat(b: dict[str, Any]) -> str:
        return f"5xx {b['5xx']}, p50 {fmt(b['p50'])} s, p99 {fmt(b['p99'])} s"

    rows = []
    if "burst_auth" in r:
        b = r["burst_auth"]
        rows.append(f"| {args.burst} concurrent signed-in requests | {lat(b)} |")
    if "burst_register" in r:
        b = r["burst_register"]
        per = 1000 * b["server_cpu_s"] / max(1, b["n"])
        client = 1000 * b["client_cpu_s"] / max(1, b["n"])
        rows.append(
            f"| {args.registrations} concurrent registrations | {lat(b)}; CPU each: server {fmt(per)} ms, "
            f"bench client {fmt(client)} ms |"
        )
    if "soak" in r:
        s = r["soak"]
        pace = f"think {args.ws_think[0]:g}-{args.ws_think[1]:g} s / {args.rest_think[0]:g}-{args.rest_think[1]:g} s"
        rows.append(
            f"| {args.ws_clients} WS + {args.rest_clients} REST clients, {args.seconds:.0f} s, {pace} "
            f"| {s['turns']} turns, "
            f"turn p50 {fmt(s['turn_p50'])} s, p99 {fmt(s['turn_p99'])} s; "
            f"{s['rest']} REST, p99 {fmt(s['rest_p99'])} s; errors {s['errors']} {s['error_samples'] or ''}; "
            f"server CPU {fmt(s['server_cpu_s'])} s, {fmt(s['cpu_ms_per_op'])} ms per turn or call |"
        )
    if "contributions" in r:
        c = r["contributions"]
        rows.append(
            f"| 50 concurrent contributions of 1.01 | saved {c['saved']} (expected {c['expected']}), 5xx {c['5xx']} |"
        )
    if "same_name" in r:
        s = r["same_name"]
        rows.append(
            f"| 10 concurrent creates of one subscription | {s['rows']} row, {s['201']} × 201, {s['409']} × 409 |"
        )
    if "budget_puts" in r:
        p = r["budget_puts"]
        rows.append(f"| 20 concurrent budget PUTs | {p['200']} × 200, {p['409']} × 409, {p['5xx']} × 5xx |")
    if "import" in r:
        i = r["import"]
        rows.append(
            f"| {args.import_rows:,}-row import beside another user's writes | import {fmt(i['import_s'])} s "
            f"({i['imported']} rows); other user's slowest write {fmt(i['other_max'])} s of {i['other_writes']} |"
        )
    return f"\n{backend}\n\n| scenario | result |\n|---|---|\n" + "\n".join(rows)
