"""The ``/ws/chat`` route: the origin check, then one ``ChatSession`` per socket."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, WebSocket

from ..metrics import Metrics
from .connection import CLOSE_FORBIDDEN_ORIGIN, Connection
from .session import ChatSession

router = APIRouter()


def origin_allowed(ws: WebSocket) -> bool:
    """Browsers send Origin: it must be this app (or a configured one). No Origin: not a browser."""
    origin = ws.headers.get("origin")
    if not origin:
        return True
    settings = ws.app.state.settings
    allowed = {o.rstrip("/").lower() for o in [*settings.allowed_origins, *settings.cors_origins]}
    if "*" in allowed or origin.rstrip("/").lower() in allowed:
        return True
    return urlsplit(origin).netloc.lower() == ws.headers.get("host", "").lower()


@router.websocket("/ws/chat")
async def chat_socket(ws: WebSocket) -> None:
    app: FastAPI = ws.app
    metrics: Metrics = app.state.metrics
    if not origin_allowed(ws):
        metrics.ws_connections.labels("forbidden_origin").inc()
        await ws.close(code=CLOSE_FORBIDDEN_ORIGIN)
        return
    await ws.accept()
    # A client that stops reading is dropped after the admission's bounded wait (connection.py).
    conn = Connection(
        ws,
        send_timeout=app.state.settings.admission_max_wait_seconds,
        on_drop=metrics.ws_connections.labels("too_slow").inc,
    )
    session = ChatSession(app, conn)
    try:
        await session.serve()
    finally:
        await session.cleanup()
