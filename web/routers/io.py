"""Export the ledger (CSV or JSON download) and import a bank's CSV."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from assistant.clock import user_today
from assistant.db import read_only
from assistant.errors import InvalidInput, TooLarge
from assistant.services.csv_io import MAX_BYTES, ImportReport, export_csv, export_json, import_csv

from ..deps import ClockDep, CurrentUser, EngineDep, SessionDep
from ..errors import ERROR_RESPONSES

# Rows per write transaction of an import (SQLite: the one writer lock is held a short while each).
IMPORT_BATCH_ROWS = 2_000

router = APIRouter(tags=["import/export"], responses={401: ERROR_RESPONSES[401]})


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}, "description": "A file download"}},
)
def export(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    format: Literal["csv", "json"] = "csv",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Response:
    """Every transaction (or those from ``start`` to ``end``), oldest first; CSV re-imports as is."""
    today = user_today(clock, user.timezone).isoformat()
    if format == "json":
        body, media = export_json(session, user, start=start, end=end), "application/json"
    else:
        body, media = export_csv(session, user, start=start, end=end), "text/csv; charset=utf-8"
    name = f"budgetwise-{today}.{format}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/import", response_model=ImportReport, responses={413: {"description": "File too large"}})
def import_file(
    user: CurrentUser,
    session: SessionDep,
    engine: EngineDep,
    clock: ClockDep,
    file: Annotated[UploadFile, File(description="A CSV export from a bank (at most 5 MB)")],
    mapping: Annotated[
        str | None, Form(max_length=4000, description='JSON: our field -> your column, e.g. {"date": "Posted"}')
    ] = None,
) -> ImportReport:
    """Import transactions; duplicates of what is already in the ledger are skipped and reported."""
    data = file.file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    columns: dict[str, str] | None = None
    if mapping:
        try:
            parsed = json.loads(mapping)
        except ValueError:
            raise InvalidInput("mapping must be a JSON object", field="mapping") from None
        if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
            raise InvalidInput(
                'mapping must be a JSON object of column names, e.g. {"date": "Posted"}', field="mapping"
            )
        columns = parsed
    # Parse and plan on a read-only snapshot; the request's session only takes the bulk insert.
    with read_only(engine) as reader:
        return import_csv(
            session, user, data, mapping=columns, clock=clock, reader=reader, batch_rows=IMPORT_BATCH_ROWS
        )
