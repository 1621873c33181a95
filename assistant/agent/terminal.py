"""The assistant in a terminal: ``budgetwise chat`` (interactive) and ``budgetwise ask`` (one turn).

Why the same runner: the terminal shows exactly what the web chat shows (tool activity, then the
streamed reply), so a problem seen in one is reproducible in the other. Without a signed-in web
account the terminal acts for a local user, ``you@localhost``, created on first use.
"""

from __future__ import annotations

import asyncio
import json
import sys

from rich.console import Console
from sqlalchemy.engine import Engine

from ..db import get_engine, unit_of_work
from ..services.users import create_user, get_user_by_email
from ..settings import Settings
from .events import AssistantMessage, Token, ToolCall, ToolResult, TurnError
from .runner import AgentRunner
from .safety import yes_or_no

LOCAL_EMAIL = "you@localhost"
EXIT_WORDS = {"exit", "quit", "bye", ":q", "/quit", "/exit"}


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


async def _chat(settings: Settings, console: Console) -> None:
    engine = get_engine(settings.database_url)
    runner = AgentRunner(engine=engine, settings=settings)
    user_id = await asyncio.to_thread(local_user_id, engine)
    console.print("[bold]BudgetWise[/bold] - tell me what you spent, or ask about your budget. 'exit' leaves.")
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


def chat(settings: Settings) -> None:
    """An interactive chat in the terminal until 'exit' or Ctrl-D."""
    asyncio.run(_chat(settings, Console()))


def confirm_hint(console: Console) -> None:
    """A write waits for a yes (the contract's ``confirm``): say how to answer."""
    console.print("[dim]  (answer yes or no; anything else drops it)[/dim]", highlight=False)


async def _ask(text: str, as_json: bool, settings: Settings, answer: str | None = None) -> int:
    """One turn; when it asks for a confirmation, ``answer`` (or, at a terminal, the user) says yes or no."""
    engine = get_engine(settings.database_url)
    runner = AgentRunner(engine=engine, settings=settings)
    user_id = await asyncio.to_thread(local_user_id, engine)
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


def ask(text: str, as_json: bool, settings: Settings, answer: str | None = None) -> int:
    """One turn: prints the reply (or every event as a JSON line); 0 on success, 1 on an error.

    A write the assistant is not sure of asks first: at a terminal the user answers yes or no;
    otherwise ``answer`` ("yes"/"no") does, and without one nothing is written."""
    return asyncio.run(_ask(text, as_json, settings, answer))
