"""The one place where service errors become HTTP answers.

Services raise ``BudgetWiseError`` with a stable ``code``; here each code gets its status.
Invalid input answers 422 in the same shape as FastAPI's own validation errors
(``{"detail": [{"loc", "msg", "type"}]}``) so a client handles both the same way.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from assistant.errors import BudgetWiseError, ErrorCode

from .hardening import snippet

log = logging.getLogger("budgetwise.web")

STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.UNAVAILABLE: 503,
}


class ErrorOut(BaseModel):
    """Every non-validation error: a human sentence and the stable code."""

    detail: str
    code: str | None = None


# Documented on routers so the OpenAPI schema (and schemathesis) know these answers.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing, invalid, expired or revoked token"},
    404: {"model": ErrorOut, "description": "No such object for this user"},
    409: {"model": ErrorOut, "description": "Conflicts with existing data"},
}


def error_body(exc: BudgetWiseError) -> dict[str, Any]:
    if exc.code == ErrorCode.INVALID:
        loc: list[str] = ["body", exc.field] if exc.field else ["body"]
        item: dict[str, Any] = {"loc": loc, "msg": exc.message, "type": str(exc.code)}
        if exc.details is not None:
            item["ctx"] = {"details": exc.details}
        return {"detail": [item]}
    return {"detail": exc.message, "code": str(exc.code)}


async def budgetwise_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BudgetWiseError)
    status = STATUS.get(exc.code, 400)
    headers: dict[str, str] = {}
    if exc.code == ErrorCode.UNAUTHORIZED:
        headers["WWW-Authenticate"] = "Bearer"
    if exc.code in (ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE):
        details = exc.details if isinstance(exc.details, dict) else {}
        headers["Retry-After"] = str(details.get("retry_after", 1))
    return JSONResponse(error_body(exc), status_code=status, headers=headers)


def db_error_summary(exc: Exception) -> str:
    """What a database error was, without its SQL parameters or DETAIL line (both quote user input)."""
    orig = getattr(exc, "orig", None) or exc
    diag = getattr(orig, "diag", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:  # PostgreSQL: the state and the constraint name say it all
        constraint = getattr(diag, "constraint_name", None)
        return f"{type(orig).__name__} sqlstate={sqlstate} constraint={constraint}"
    # SQLite's messages name tables and columns, never values ("UNIQUE constraint failed: goal.name").
    return f"{type(orig).__name__}: {str(orig).splitlines()[0] if str(orig) else ''}"


async def integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    # A race two requests lost to a unique constraint: the row exists, nothing was half-written.
    log.info("integrity error: %s", db_error_summary(exc))
    return JSONResponse({"detail": "that conflicts with existing data", "code": "conflict"}, status_code=409)


async def database_busy(_request: Request, exc: Exception) -> JSONResponse:
    # Lock timeouts (SQLite under concurrent writers) or a lost connection: nothing was written.
    log.warning("database unavailable: %s", db_error_summary(exc))
    return JSONResponse(
        {"detail": "the database is busy; try again in a moment", "code": "unavailable"},
        status_code=503,
        headers={"Retry-After": "1"},
    )


def _json_safe(value: Any) -> Any:
    """NaN and infinities are not JSON: echo them back as text instead of failing the answer."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _short_inputs(errors: Sequence[Any]) -> list[Any]:
    """Each error's ``input`` cut to a snippet: a 20 MB description is not sent back to its sender."""
    out: list[Any] = []
    for error in errors:
        if isinstance(error, dict) and "input" in error:
            error = {**error, "input": snippet(error["input"])}
        out.append(error)
    return out


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": _json_safe(jsonable_encoder(_short_inputs(exc.errors())))}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(BudgetWiseError, budgetwise_error)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(OperationalError, database_busy)
    app.add_exception_handler(PoolTimeout, database_busy)  # every pooled connection busy for 2 s: saturated
