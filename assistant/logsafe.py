"""Logging an unexpected error without the input that caused it.

Why: exception messages quote their input. A ``UnicodeEncodeError`` shows the string, a pydantic
``ValidationError`` shows ``input_value=...``, a database error shows the statement's values; on
the sign-in path that was the password, on the chat path what the user said. The type and the
stack frames are enough to find the bug, so that is all these helpers write.
"""

from __future__ import annotations

import logging
import traceback


def redacted_traceback(exc: BaseException) -> str:
    """The chain's exception types and stack frames, oldest first, without any exception message."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        name = f"{type(current).__module__}.{type(current).__qualname__} (message withheld)\n"
        parts.insert(0, frames + name)
        current = current.__cause__ or current.__context__
    return "Traceback (most recent call last):\n" + "\nwhich led to:\n".join(parts)


def log_exception_safely(logger: logging.Logger, what: str, *args: object, exc: BaseException) -> None:
    """``logger.exception(what, *args)`` without the exception's message."""
    if logger.isEnabledFor(logging.ERROR):
        logger.error(what % args + ": %s\n%s", type(exc).__name__, redacted_traceback(exc))
