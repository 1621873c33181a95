"""Reading a bank's CSV file: its encoding, delimiter, records and header row (steps 1 and 2 of
``csv_io``'s docstring). ``csv_cells`` reads the cells of each row; both write nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence

from ..errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 20
FIELDS = ("date", "amount", "description", "category", "merchant", "kind", "currency", "debit", "credit")

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "transaction date",
        "trans date",
        "trans. date",
        "posted date",
        "posting date",
        "post date",
        "booking date",
        "value date",
        "date posted",
    ),
    "amount": ("amount", "transaction amount", "amt", "value"),
    "debit": ("debit", "debit amount", "debits", "withdrawal", "withdrawals", "money out", "paid out"),
    "credit": ("credit", "credit amount", "credits", "deposit", "deposits", "money in", "paid in"),
    "description": ("description", "transaction description", "memo", "details", "narrative"),
    "merchant": ("merchant", "merchant name", "payee", "name"),
    "category": ("category", "transaction category"),
    "kind": ("type", "kind", "transaction type"),
    "currency": ("currency", "currency code", "ccy"),
}


def decode_text(data: bytes | str) -> str:
    if isinstance(data, str):
        if len(data) > MAX_BYTES or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise InvalidInput("the file is larger than 5 MB", field="file")
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise InvalidInput("the file is larger than 5 MB", field="file")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError:
                raise InvalidInput("the file is not readable text", field="file") from None
        elif b"\x00" in data:
            raise InvalidInput("this is not a CSV file (it contains binary data)", field="file")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise InvalidInput("this is not a CSV file (it contains binary data)", field="file")
    if not text.strip():
        raise InvalidInput("the file is empty", field="file")
    return text


def read_records(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on (1-based, physical lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not any(cell.strip() for cell in rec):
                continue
            out.append((start, rec))
            if limit is not None and len(out) >= limit:
                break
            if len(out) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise InvalidInput(f"the file has more than {MAX_ROWS:,} rows", field="file")
    except csv.Error as exc:
        raise InvalidInput(f"this is not a readable CSV file (line {prev + 1}: {exc})", field="file") from None
    return out


def norm_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().strip('"').strip().lower())


def check_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    if not mapping:
        return {}
    out: dict[str, str] = {}
    for key, header in mapping.items():
        fld = str(key).strip().lower()
        if fld not in FIELDS:
            raise InvalidInput(
                f"unknown field {key!r} in the column mapping; fields are: {', '.join(FIELDS)}",
                field="mapping",
            )
        if not isinstance(header, str):
            raise InvalidInput(f"the column mapped to {fld!r} must be a column name", field="mapping")
        if header.strip():
            out[fld] = norm_header(header)
    return out


def _columns(header: Sequence[str], mapping: dict[str, str]) -> dict[str, int] | None:
    """Field -> column index, or None when this row is not a usable header."""
    names = [norm_header(h) for h in header]
    plain = [re.sub(r"\s*\(.*\)$", "", n) for n in names]
    cols: dict[str, int] = {}
    for fld, want in mapping.items():
        if want in names:
            cols[fld] = names.index(want)
        else:
            return None
    used = set(cols.values())
    for fld in FIELDS:
        if fld in cols:
            continue
        if fld == "amount" and ("debit" in mapping or "credit" in mapping):
            continue
        for alias in HEADER_ALIASES[fld]:
            idx = next((i for i, n in enumerate(names) if n == alias and i not in used), None)
            if idx is None:
                idx = next((i for i, n in enumerate(plain) if n == alias and i not in used), None)
            if idx is not None:
                cols[fld] = idx
                used.add(idx)
                break
    if "amount" in cols:
        for side in ("debit", "credit"):
            if side not in mapping:
                cols.pop(side, None)
    if "date" not in cols or not ({"amount", "debit", "credit"} & cols.keys()):
        return None
    return cols


def find_layout(text: str, mapping: dict[str, str]) -> tuple[str, int, dict[str, int], list[str]]:
    """Delimiter, header line, columns and header cells, or InvalidInput."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    candidates = sorted([",", ";", "\t", "|"], key=lambda d: -first.count(d))
    seen_header: list[str] = []
    for delim in candidates:
        if delim != "," and first.count(delim) == 0:
            continue
        for line, rec in read_records(text, delim, limit=HEADER_SEARCH_ROWS):
            if not seen_header:
                seen_header = rec
            cols = _columns(rec, mapping)
            if cols is not None:
                return delim, line, cols, rec
    shown = ", ".join(repr(h.strip()) for h in seen_header[:12] if h.strip()) or "nothing usable"
    if mapping:
        missing = ", ".join(f"{k}={v!r}" for k, v in mapping.items())
        raise InvalidInput(
            f"the mapped columns ({missing}) were not all found; the first row has: {shown}",
            field="mapping",
        )
    raise InvalidInput(
        "no date and amount columns found (expected headers such as Date and Amount, or Debit/"
        f"Credit); the first row has: {shown}",
        field="file",
    )
