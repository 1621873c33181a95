"""Friendly replies for turns that call no tool, in varied wording from ``prompts/smalltalk.json``.

Why a data file: the wording is product copy, editable without touching the engine.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from importlib import resources
from pathlib import Path

FALLBACK = 'I\'m your budgeting assistant. Type "help" to see what I can do.'
_rng = random.Random()


def _read() -> str:
    """The packaged file; an editable install may expose ``prompts`` as a namespace, so look there too."""
    try:
        return resources.files("prompts").joinpath("smalltalk.json").read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):
        import prompts

        for base in getattr(prompts, "__path__", []):
            path = Path(str(base)) / "smalltalk.json"
            if path.is_file():
                return path.read_text(encoding="utf-8")
    return "{}"


@lru_cache(maxsize=1)
def _load() -> dict[str, list[str]]:
    data = json.loads(_read())
    return {k: [str(v) for v in vs] for k, vs in data.items() if isinstance(vs, list) and vs}


def reply_for(kind: str) -> str:
    """One variant of the reply for ``kind`` (greeting, thanks, help, refuse, unknown, ...)."""
    options = _load().get(kind) or _load().get("unknown") or [FALLBACK]
    return _rng.choice(options)
