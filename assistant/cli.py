"""The ``budgetwise`` command: serve, worker, chat, ask, db, demo, nlu.

This is the composition root: it is the one place that wires the web app, the agent and the
ledger together, so it may import from every layer.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .settings import get_settings

app = typer.Typer(help="BudgetWise: a personal budgeting assistant you talk to.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)
app.add_typer(db_app, name="db")
nlu_app = typer.Typer(help="The offline understanding engine's intent model.", no_args_is_help=True)
app.add_typer(nlu_app, name="nlu")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the web app, REST API, WebSocket chat and the scheduler (migrations applied first)."""
    import uvicorn

    from . import migrate

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    from web.app import create_app
    from web.http_guard import server_options

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        ws_max_size=4 * 1024 * 1024,
        ws_per_message_deflate=False,  # chat frames are small: compressing them cost more CPU than it saved
        proxy_headers=False,  # X-Forwarded-For is read by the app, from BUDGETWISE_TRUSTED_PROXIES only
        **server_options(settings),  # bounded heads, no connection held forever (web/http_guard.py)
    )


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Run one poll and delivery pass, then exit.")] = False,
) -> None:
    """Run the reminder scheduler alone (for several web instances with BUDGETWISE_SCHEDULER=off)."""
    import asyncio
    import contextlib
    import logging

    from . import migrate
    from .db import get_engine
    from .scheduler.service import ReminderScheduler, run_worker

    logging.basicConfig(level=get_settings().log_level)
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    engine = get_engine(settings.database_url)
    if once:
        report = ReminderScheduler(engine, settings).run_once()
        typer.echo(f"{len(report.notifications)} notifications, {report.renewals_recorded} renewals recorded")
        return
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the way to stop it
        asyncio.run(run_worker(engine, settings))


UserOption = Annotated[
    str | None,
    typer.Option("--user", help="Whose ledger (an email). Default: the only user (an empty database: you@localhost)."),
]


@app.command()
def chat(user: UserOption = None) -> None:
    """Talk to the assistant in the terminal (streamed replies and tool activity)."""
    from . import migrate
    from .agent.terminal import UserChoiceError
    from .agent.terminal import chat as run_chat

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    try:
        run_chat(settings, user)
    except UserChoiceError as exc:
        typer.echo(f"budgetwise chat: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def ask(
    text: Annotated[str, typer.Argument(help="What to ask, in plain words.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the turn's events as JSON lines.")] = False,
    user: UserOption = None,
) -> None:
    """Ask one question and print the answer (or the turn's events with --json)."""
    from . import migrate
    from .agent.terminal import UserChoiceError
    from .agent.terminal import ask as run_ask

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    try:
        code = run_ask(text, json_out, settings, user)
    except UserChoiceError as exc:
        typer.echo(f"budgetwise ask: {exc}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from . import migrate

    migrate.upgrade(get_settings().database_url, revision)
    typer.echo(f"database upgraded to {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1.")]) -> None:
    """Revert migrations down to REVISION."""
    from . import migrate

    migrate.downgrade(get_settings().database_url, revision)
    typer.echo(f"database downgraded to {revision}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's current revision."""
    from alembic import command

    from . import migrate

    command.current(migrate.alembic_config(get_settings().database_url))


@app.command()
def demo(
    email: Annotated[str, typer.Option(help="The demo user's email.")] = "demo@budgetwise.local",
    password: Annotated[str, typer.Option(help="The demo user's password.")] = "budgetwise-demo-2026",
    reset: Annotated[bool, typer.Option("--reset", help="Delete the demo user and load a fresh demo.")] = False,
) -> None:
    """Load a demo user with six months of transactions, budgets, subscriptions and a goal."""
    from . import migrate
    from .db import get_engine, unit_of_work
    from .demo import demo_exists, load_demo, remove_demo

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    try:
        from web.security import hash_password

        password_hash = hash_password(password)
    except ImportError:  # pragma: no cover - the web package ships with the app
        password_hash = ""
    with unit_of_work(get_engine(settings.database_url)) as session:
        if demo_exists(session, email):
            if not reset:
                typer.echo(f"The demo is loaded already: sign in as {email}.")
                typer.echo("Run `budgetwise demo --reset` to delete it and load a fresh one.")
                return
            remove_demo(session, email)
        summary = load_demo(session, email=email, password_hash=password_hash)
    typer.echo(summary)
    typer.echo(f"Sign in as {email} with password {password!r}.")


@nlu_app.command("train")
def nlu_train(
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether the shipped model matches the data.")
    ] = False,
) -> None:
    """Rebuild assistant/nlu/data/intent_model.npz from the labelled data (needs the `train` extra)."""
    from .nlu import model

    if check:
        shipped, now = model.load().data_hash, model.data_hash()
        typer.echo("the shipped model matches the data" if shipped == now else "the shipped model is out of date")
        raise typer.Exit(0 if shipped == now else 1)
    report = model.train()
    typer.echo(
        f"trained on {report['examples']} examples, {report['classes']} intents, "
        f"temperature {report['temperature']:.3f} -> {model.MODEL_PATH}"
    )


def main() -> None:
    app(prog_name="budgetwise")


if __name__ == "__main__":  # pragma: no cover
    main()
