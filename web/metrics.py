"""Prometheus metrics on the app's own registry, and the request middleware that feeds them.

Why an own ``CollectorRegistry``: several apps in one process (tests, benchmarks) must not
collide on the global registry. Routes are labelled by their template (``/api/goals/{goal_id}``),
never the raw path, so the label set stays small.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("budgetwise.web")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "budgetwise_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "budgetwise_http_request_seconds", "HTTP request latency", ["route"], registry=self.registry
        )
        self.turn_seconds = Histogram(
            "budgetwise_turn_seconds",
            "Chat turn latency, first event to turn_end",
            ["engine"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.tool_calls = Counter(
            "budgetwise_tool_calls", "Tool calls by name and outcome", ["name", "ok"], registry=self.registry
        )
        self.reminders_sent = Counter(
            "budgetwise_reminders_sent",
            "Reminders delivered by the scheduler",
            ["channel"],
            registry=self.registry,
        )
        self.ws_connections = Counter(
            "budgetwise_ws_connections", "WebSocket connections by outcome", ["outcome"], registry=self.registry
        )

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def route_label(scope: Scope) -> str:
    # FastAPI >= 0.16x keeps the full template (prefix included) on its route context.
    ctx = (scope.get("fastapi") or {}).get("effective_route_context")
    path = getattr(ctx, "path", None) or getattr(scope.get("route"), "path", None)
    return str(path) if path else "unmatched"


class MetricsMiddleware:
    """Counts and times each HTTP request and writes one structured (JSON) log line for it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            route = route_label(scope)
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.request_seconds.labels(route).observe(elapsed)
            log_event(
                "request",
                method=scope["method"],
                route=route,
                path=scope["path"],
                status=status,
                ms=round(elapsed * 1000, 1),
            )


def log_event(event: str, **fields: Any) -> None:
    """One JSON object per line: easy to grep, easy to ship to a log store."""
    if log.isEnabledFor(logging.INFO):
        log.info(json.dumps({"event": event, **fields}, default=str))


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    return metrics.render()
