"""Typed errors with a stable ``code``, translated once at the edge (HTTP status, WS ``error``).

Services raise these; the web layer maps ``code`` to a status, the agent turns them into a tool
result the model can read. Nothing below the edge knows about HTTP.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"


class BudgetWiseError(Exception):
    """Base of every error the app reports to a user."""

    code: ErrorCode = ErrorCode.INVALID

    def __init__(self, message: str, *, field: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": str(self.code), "message": self.message}
        if self.field:
            out["field"] = self.field
        if self.details is not None:
            out["details"] = self.details
        return out


class InvalidInput(BudgetWiseError):
    code = ErrorCode.INVALID


class NotFound(BudgetWiseError):
    code = ErrorCode.NOT_FOUND


class Conflict(BudgetWiseError):
    code = ErrorCode.CONFLICT


class Unauthorized(BudgetWiseError):
    code = ErrorCode.UNAUTHORIZED


class RateLimited(BudgetWiseError):
    code = ErrorCode.RATE_LIMITED


class TooLarge(BudgetWiseError):
    code = ErrorCode.TOO_LARGE


class Unavailable(BudgetWiseError):
    code = ErrorCode.UNAVAILABLE
