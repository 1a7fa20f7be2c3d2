"""Checks made before the bot opens anything: a start that cannot work says so in one line.

Each check raises `StartupError` whose message names the path and what to do. They use plain
`sqlite3`, read-only, so a damaged or foreign file is never modified, and nothing waits on a
lock or a background thread: a bad database cannot make a command hang.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
DOCUMENT_SUFFIXES = (".txt",)


class StartupError(Exception):
    """One line for the terminal: what is wrong, with which file, and what to do."""


class SeedsError(StartupError):
    """The seeds directory is missing, not a directory or unreadable: nothing is loaded."""


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    path: Path
    exists: bool
    size_bytes: int = 0
    schema_version: int = 0
    sessions: int | None = None


def check_database(path: Path, schema_version: int) -> DatabaseHealth:
    """The database at `path` can be opened and written by this code, or `StartupError`."""
    if path.is_dir():
        raise StartupError(f"database {path} is a directory: set DATABASE_PATH to a file path")
    folder = path.parent
    if not path.exists():
        _check_writable_folder(folder)
        return DatabaseHealth(path, exists=False)
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        raise StartupError(
            f"database {path} (or its folder) is not writable: the bot needs to write both "
            "(fix the permissions or set DATABASE_PATH)"
        )
    size = path.stat().st_size
    if size == 0:
        return DatabaseHealth(path, exists=True)
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StartupError(
            f"database {path} is not an SQLite database: move it away or set DATABASE_PATH"
        )
    try:
        version, sessions = _inspect(path)
    except sqlite3.DatabaseError as exc:
        detail = " ".join(str(exc).split())[:160]  # one line, whatever SQLite reported
        raise StartupError(
            f"database {path} is damaged ({detail}): restore a backup, or move it away and "
            "reload from the seeds"
        ) from None
    if version > schema_version:
        raise StartupError(
            f"database {path} has schema v{version}, newer than this version of the bot "
            f"(v{schema_version}): upgrade the bot or use another DATABASE_PATH"
        )
    return DatabaseHealth(path, True, size, version, sessions)


def _check_writable_folder(folder: Path) -> None:
    existing = folder
    while not existing.exists():  # the store creates missing folders: check the first that exists
        existing = existing.parent
    if not existing.is_dir():
        raise StartupError(f"database folder {folder} cannot be created: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise StartupError(
            f"database folder {existing} is not writable: fix its permissions or set DATABASE_PATH"
        )


def _inspect(path: Path) -> tuple[int, int | None]:
    """(schema version, session count); raises sqlite3.DatabaseError on damage."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("; ".join(problems)[:300])
        has_sessions = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'"
        ).fetchone()
        sessions = (
            conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] if has_sessions else None
        )
        return int(version), sessions
    finally:
        conn.close()


def check_seeds(directory: Path) -> int:
    """How many documents `directory` holds; `StartupError` when it is missing or a file."""
    if not directory.exists():
        raise SeedsError(
            f"seeds directory {directory} does not exist: set SEEDS_DIR (or --seeds) to the folder "
            "of session documents"
        )
    if not directory.is_dir():
        raise SeedsError(f"seeds directory {directory} is not a directory: set SEEDS_DIR")
    try:
        with os.scandir(directory) as entries:
            return sum(
                1 for e in entries if e.name.lower().endswith(DOCUMENT_SUFFIXES) and e.is_file()
            )
    except OSError as exc:
        raise SeedsError(f"seeds directory {directory} cannot be read: {exc.strerror}") from None
