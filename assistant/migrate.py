"""Alembic, driven from the app: ``budgetwise serve`` upgrades on start, ``budgetwise db`` by hand.

The migration scripts live in the checkout's ``alembic/`` folder, installed as the package
``budgetwise_migrations`` so a plain ``pip install .`` carries them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import Engine

from alembic import command

from .db import normalize_url, sqlite_foreign_keys_off


def script_location() -> str:
    """The migrations that belong to this code: the checkout's ``alembic/`` folder next to the
    package when there is one (a worktree run with its own path first must not migrate with another
    checkout's editable install), else the installed ``budgetwise_migrations``."""
    here = Path(__file__).resolve().parent.parent / "alembic"
    if (here / "env.py").exists() and (here / "versions").is_dir():
        return str(here)
    spec = importlib.util.find_spec("budgetwise_migrations")
    if spec is not None and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            if (Path(loc) / "env.py").exists():
                return str(loc)
    raise RuntimeError("the migration scripts are missing from this installation")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Upgrade through an existing engine (in-memory SQLite in tests keeps its one connection)."""
    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as conn, sqlite_foreign_keys_off(conn), conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
