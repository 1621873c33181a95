"""The web app: REST under /api, the chat WebSocket, the browser UI, health and metrics.

``create_app`` builds everything from a ``Settings`` object; tests hand in their own engine and
clock (and migrate through their fixtures), ``budgetwise serve`` hands in nothing and gets the
configured database, migrated on start.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from assistant import migrate
from assistant.clock import Clock, SystemClock
from assistant.db import make_engine
from assistant.nlu import start_warm_up as start_nlu_warm_up
from assistant.scheduler.pubsub import PgListener
from assistant.scheduler.service import ReminderScheduler
from assistant.settings import Settings, get_settings
from assistant.voice.pipeline import Voice

from . import docs_offline, errors
from .admission import AdmissionMiddleware, FairGate
from .deps import in_one_hop
from .hardening import BodyLimits, HardeningMiddleware
from .idempotency import IdempotencyMiddleware
from .login_limits import LoginLimiter
from .metrics import Metrics, MetricsMiddleware, metrics_endpoint
from .routers import (
    auth,
    budgets,
    categories,
    chat,
    dashboard,
    goals,
    io,
    me,
    notifications,
    planning,
    purchase,
    rules,
    spending,
    subscriptions,
    transactions,
    voice,
)
from .security import admission_key
from .ws import NotificationHub
from .ws import router as ws_router

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Some systems map .js to text/plain; browsers refuse ES modules served that way.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")

API_ROUTERS: list[APIRouter] = [
    auth.router,
    me.router,
    transactions.router,
    categories.router,
    budgets.router,
    subscriptions.router,
    purchase.router,
    goals.router,
    notifications.router,
    chat.router,
    io.router,
    dashboard.router,
    spending.router,
    voice.router,
    planning.router,
    rules.router,
]


def _warm_imports() -> None:
    """Import the chat agent (and what it pulls in) before the first request needs it."""
    try:
        import assistant.agent.runner  # noqa: F401
    except ImportError:  # an installation without the assistant: chat answers "unavailable"
        logging.getLogger("budgetwise").warning("the chat assistant cannot be imported", exc_info=True)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
    warm_voice: bool | None = None,
) -> FastAPI:
    """``warm_voice`` (default: when the app owns its database, as ``budgetwise serve`` does) loads
    the speech model in a background thread at start, so the first spoken question is quick."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine if engine is not None else make_engine(settings.database_url, in_flight=settings.admission_capacity)
    clock = clock or SystemClock()
    logging.getLogger("budgetwise").setLevel(settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Chat turns reach the database through ``asyncio.to_thread`` (the loop's default executor:
        # min(32, cores + 4) = 6 threads on two cores) while REST has AnyIO's 40: under a flood
        # the REST requests held most of the threads, so most of the GIL and of SQLite's writer
        # lock. The fair gate (web/admission.py) now decides who runs: the chat side gets a thread
        # for every admission slot, plus the socket layer's two batchers and the hub's checks.
        # (40 threads here, as many as AnyIO's, measured a higher turn p99 at people's pace.)
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=settings.admission_capacity + 4, thread_name_prefix="budgetwise-work")
        )
        if owns_engine:
            await run_in_threadpool(migrate.upgrade_engine, engine)
        voice: Voice = app.state.voice
        nlu_warm = None
        if owns_engine if warm_voice is None else warm_voice:  # background threads: start is not delayed
            voice.start_warm_up()
            nlu_warm = start_nlu_warm_up()
            # The agent's imports take seconds; done here, on a worker thread, the first chat turn
            # does not import them on the event loop (which stalled every request, /healthz too).
            await run_in_threadpool(_warm_imports)
        hub: NotificationHub = app.state.hub

        async def push(user_id: int, notification: dict[str, Any]) -> None:
            await hub.publish(user_id, notification)

        listener = PgListener(engine, push) if engine.dialect.name == "postgresql" and settings.pg_listen else None
        if listener is not None:
            listener.start()
        scheduler = None
        if settings.scheduler == "on":
            sent = app.state.metrics.reminders_sent
            scheduler = ReminderScheduler(engine, settings, clock=clock, publish=push, on_sent=sent.inc)
            scheduler.start()
        app.state.scheduler = scheduler
        try:
            yield
        finally:
            await hub.aclose()
            if scheduler is not None:
                scheduler.shutdown()
            if listener is not None:
                await listener.stop()
            runner = getattr(app.state, "runner", None)
            aclose = getattr(runner, "aclose", None)
            if aclose is not None:
                await aclose()
            # The warm-ups end before the app does: a speech model still decoding when the process
            # exits aborts it (Voice.stop_warm_up). Both wait at most a step of a second or two.
            await run_in_threadpool(voice.stop_warm_up)
            if nlu_warm is not None:
                await run_in_threadpool(nlu_warm.join)
            if owns_engine:
                engine.dispose()

    app = FastAPI(
        title="BudgetWise",
        version="0.1.0",
        summary="A personal budgeting assistant: ledger, budgets, subscriptions, goals and chat.",
        lifespan=lifespan,
        docs_url=None,  # docs_offline serves /docs without a CDN or inline script
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.clock = clock
    app.state.hub = NotificationHub(engine, clock)
    app.state.metrics = Metrics()
    app.state.login_limiter = LoginLimiter(clock, engine)
    app.state.runner = None
    # Signed-in REST requests and chat turns take turns per user (web/admission.py).
    app.state.gate = FairGate(settings.admission_capacity, settings.admission_max_wait_seconds)
    app.state.voice = Voice(
        settings.stt,
        settings.tts,
        max_waiting=settings.voice_max_waiting,
        rate=settings.tts_rate,
        voice=settings.tts_voice,
    )

    errors.install(app)
    docs_offline.install(app)
    for router in API_ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):  # commit inside the endpoint's own thread hop (see web.deps)
                route.endpoint = in_one_hop(route.endpoint)
        app.include_router(router, prefix="/api")
    app.include_router(ws_router)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers (no database round trip, so probes stay cheap)."""
        return {"status": "ok"}

    app.add_api_route("/metrics", metrics_endpoint, methods=["GET"], tags=["ops"], include_in_schema=False)

    @app.get("/", include_in_schema=False, response_model=None)
    def index() -> Response:
        page = STATIC_DIR / "index.html"
        if not page.exists():
            return JSONResponse({"detail": "the web UI is not installed; the API is at /docs"}, status_code=404)
        return FileResponse(page, media_type="text/html")

    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.add_middleware(IdempotencyMiddleware)  # retried writes run once (web/idempotency.py)
    app.add_middleware(
        AdmissionMiddleware, gate=app.state.gate, key_for_token=lambda token: admission_key(settings, clock, token)
    )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type"],
        )
    # Outermost of ours: limits, bad Unicode and headers come before routing, auth and body parsing.
    limits = BodyLimits(settings.max_json_bytes, settings.max_import_bytes, settings.max_audio_bytes)
    app.add_middleware(HardeningMiddleware, limits=limits)
    return app
