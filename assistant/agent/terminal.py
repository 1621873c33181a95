"""The assistant in a terminal: ``budgetwise chat`` (interactive) and ``budgetwise ask`` (one turn).

Why the same runner: the terminal shows exactly what the web chat shows (tool activity, then the
streamed reply), so a problem seen in one is reproducible in the other.

Whose ledger: ``--user EMAIL`` names it; without it the only user of the database is used, and
in an empty database a local user, ``you@localhost``, is created. With several users and no
``--user`` the terminal refuses and lists them rather than guess. It always says whose ledger
it uses (on stderr, so ``ask --json`` stays pure JSON lines on stdout).
"""

from __future__ import annotations

import asyncio
import json
import sys

from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..db import get_engine, unit_of_work
from ..models import User
from ..services.users import create_user, get_user_by_email
from ..settings import Settings
from .confirmations import yes_or_no
from .events import AssistantMessage, Token, ToolCall, ToolResult, TurnError
from .runner import AgentRunner

LOCAL_EMAIL = "you@localhost"
EXIT_WORDS = {"exit", "quit", "bye", ":q", "/quit", "/exit"}


class UserChoiceError(Exception):
    """No user, or no single user, fits: the message says what to pass instead."""


def resolve_user(engine: Engine, email: str | None) -> tuple[int, str]:
    """``(id, email)`` of the user the terminal acts for (see the module docstring)."""
    with unit_of_work(engine) as session:
        if email:
            user = get_user_by_email(session, email)
            if user is None:
                raise UserChoiceError(f"no user {email.strip()!r} here; {_known_users(session)}")
            assert user.id is not None
            return user.id, user.email
        users = session.exec(select(User).order_by(col(User.id)).limit(MAX_LISTED + 1)).all()
    if not users:
        return local_user_id(engine), LOCAL_EMAIL
    if len(users) == 1:
        assert users[0].id is not None
        return users[0].id, users[0].email
    names = ", ".join(u.email for u in users[:MAX_LISTED]) + (", ..." if len(users) > MAX_LISTED else "")
    raise UserChoiceError(f"there are several users here ({names}); choose one with --user EMAIL")


MAX_LISTED = 10


def _known_users(session: Session) -> str:
    rows = session.exec(select(User.email).order_by(col(User.id)).limit(MAX_LISTED)).all()
    return "users here: " + ", ".join(rows) if rows else "the database has no users yet"


def _say_whose(email: str) -> None:
    sys.stderr.write(f"Using the ledger of {email}.\n")
    sys.stderr.flush()


def local_user_id(engine: Engine) -> int:
    """The terminal's user, created (with the default categories) the first time."""
    with unit_of_work(engine) as session:
        user = get_user_by_email(session, LOCAL_EMAIL)
        if user is None:
            # "localhost" has no dot, so the sign-up check (meant for real addresses) would refuse
            # it: create through the service for the default categories, then give the local name.
            user = create_user(session, email="you@localhost.invalid", display_name="you")
            user.email = LOCAL_EMAIL
            session.add(user)
            session.flush()
        assert user.id is not None
        return user.id


def _tool_line(event: ToolResult) -> str:
    if event.ok:
        return f"[dim]  ✓ {event.name}[/dim]"
    message = (event.result.get("error") or {}).get("message", "failed")
    return f"[dim]  ✗ {event.name}: {message}[/dim]"


async def _chat(settings: Settings, console: Console, user_email: str | None = None) -> None:
    engine = get_engine(settings.database_url)
    runner = AgentRunner(engine=engine, settings=settings)
    user_id, email = await asyncio.to_thread(resolve_user, engine, user_email)
    console.print(f"[bold]BudgetWise[/bold] - the ledger of [bold]{email}[/bold].", highlight=False)
    console.print("Tell me what you spent, or ask about your budget. 'exit' leaves.")
    while True:
        try:
            text = await asyncio.to_thread(console.input, "[bold cyan]you>[/bold cyan] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not text.strip():
            continue
        if text.strip().lower() in EXIT_WORDS:
            return
        streaming = False
        async for event in runner.run_turn(user_id, text):
            if isinstance(event, ToolCall):
                console.print(f"[dim]  → {event.name} {json.dumps(event.args)}[/dim]", highlight=False)
            elif isinstance(event, ToolResult):
                console.print(_tool_line(event), highlight=False)
            elif isinstance(event, Token):
                if not streaming:
                    console.print("[bold green]budgetwise>[/bold green] ", end="")
                    streaming = True
                console.print(event.text, end="", highlight=False, markup=False)
            elif isinstance(event, AssistantMessage) and not streaming:
                console.print(f"[bold green]budgetwise>[/bold green] {event.text}", highlight=False)
            if isinstance(event, AssistantMessage) and event.confirm:
                confirm_hint(console)
            elif isinstance(event, TurnError):
                console.print(f"[red]error ({event.code}): {event.message}[/red]")
        if streaming:
            console.print()


def chat(settings: Settings, user_email: str | None = None) -> None:
    """An interactive chat in the terminal until 'exit' or Ctrl-D."""
    asyncio.run(_chat(settings, Console(), user_email))


def confirm_hint(console: Console) -> None:
    """A write waits for a yes (the contract's ``confirm``): say how to answer."""
    console.print("[dim]  (answer yes or no; anything else drops it)[/dim]", highlight=False)


async def _ask(
    text: str, as_json: bool, settings: Settings, answer: str | None = None, user_email: str | None = None
) -> int:
    """One turn; when it asks for a confirmation, ``answer`` (or, at a terminal, the user) says yes or no."""
    engine = get_engine(settings.database_url)
    runner = AgentRunner(engine=engine, settings=settings)
    user_id, email = await asyncio.to_thread(resolve_user, engine, user_email)
    _say_whose(email)
    status, confirm = 0, None
    for step in range(2):
        events = runner.run_turn(user_id, text) if step == 0 else runner.run_confirm(user_id, confirm, str(answer))
        confirm = None
        async for event in events:
            if as_json:
                sys.stdout.write(json.dumps(event.to_dict(), default=str) + "\n")
            elif isinstance(event, AssistantMessage):
                sys.stdout.write(event.text + "\n")
            if isinstance(event, AssistantMessage) and event.confirm:
                confirm = str(event.confirm["id"])
            if isinstance(event, TurnError):
                status = 1
                if not as_json:
                    sys.stderr.write(f"error ({event.code}): {event.message}\n")
        sys.stdout.flush()
        if confirm is None:
            break
        if answer is None and sys.stdin.isatty():
            reply = await asyncio.to_thread(input, "yes/no> ")
            answer = "yes" if yes_or_no(reply) == "yes" else "no"
        if answer is None:
            if not as_json:
                sys.stdout.write("(nothing was changed: run it at a terminal to answer yes or no)\n")
            break
    return status


def ask(text: str, as_json: bool, settings: Settings, user_email: str | None = None, answer: str | None = None) -> int:
    """One turn: prints the reply (or every event as a JSON line); 0 on success, 1 on an error.

    A write the assistant is not sure of asks first: at a terminal the user answers yes or no;
    otherwise ``answer`` ("yes"/"no") does, and without one nothing is written."""
    return asyncio.run(_ask(text, as_json, settings, answer, user_email))
