"""Files only their owner may read: the SQLite database (with its ``-wal`` and ``-shm``) and the key file.

Why "created so", not chmodded after: between a create with the default mode (0644 under the
usual umask) and a later ``chmod`` there is a window in which another local user can open the
file and keep the descriptor. ``os.open`` with mode 0600 and ``O_EXCL`` makes the file private
from its first instant. SQLite gives the ``-wal``, ``-shm`` and journal files the database
file's own mode, so creating the database file this way covers them too.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create a directory (and parents) readable only by its owner; an existing one is left as is."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return path


def create_private_file(path: Path) -> bool:
    """Create an empty file with mode 0600 unless it exists; True when this call created it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def write_private_text(path: Path, text: str) -> str:
    """Write ``text`` to a new 0600 file and return it; if another process won the race, return theirs."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return text


def sqlite_file(url: str) -> Path | None:
    """The database file a SQLite URL names, or None (memory databases, ``file:`` URIs, other backends)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(database)


def prepare_sqlite_file(url: str) -> None:
    """Create a SQLite database file as 0600 before SQLite opens it (SQLite would create it 0644).

    An empty file is a valid new database to SQLite. An existing file keeps its mode (an upgrade
    from an older install is tightened once here, since its data is no less private).
    """
    path = sqlite_file(url)
    if path is None:
        return
    try:
        created = create_private_file(path)
    except OSError:
        return  # a missing folder or no permission: SQLite itself says so when it opens the file
    if created:
        return
    for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):  # missing, or not ours to change (another owner, read-only mount)
            if existing.stat().st_mode & 0o077:
                existing.chmod(PRIVATE_FILE)
