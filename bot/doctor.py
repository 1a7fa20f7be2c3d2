"""What a start uses and whether it can work: the start-up line and `python -m bot doctor`.

Everything here reads only: the checks of `bot.preflight` (read-only sqlite3) and a parse of
the seeds, so `doctor` can run beside a running bot and never changes the archive.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.catalog import Catalog
from bot.config import ENV_FILE, Config
from bot.loader import parse_documents
from bot.preflight import DatabaseHealth, StartupError, check_seeds


def start_line(config: Config, sessions: int, documents: int) -> str:
    """The one line every start says: which database and seeds, and what they hold."""
    return (
        f"using database {config.database} ({sessions} sessions) and seeds "
        f"{config.seeds_dir} ({documents} documents)"
    )


@dataclass(frozen=True, slots=True)
class Item:
    ok: bool
    text: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.text}"


def diagnose(config: Config) -> list[Item]:
    """One item per thing a start needs: the configuration, the database, the seeds."""
    return [*_configuration(config), _database(config.database), *_seeds(config.seeds_dir)]


def _configuration(config: Config) -> list[Item]:
    env = f"{ENV_FILE} ({'found' if ENV_FILE.is_file() else 'not found; environment only'})"
    return [
        Item(True, f"configuration: {env}"),
        Item(True, f"DATABASE_PATH: {config.database}"),
        Item(True, f"SEEDS_DIR: {config.seeds_dir}"),
        # Whether a token is set, never any of it.
        Item(True, f"DISCORD_TOKEN: {'set' if config.token else 'not set (console only)'}"),
        Item(True, f"DISCORD_API_BASE: {config.api_base}"),
    ]


def _database(path: Path) -> Item:
    try:
        health = Catalog.check(path)
    except StartupError as exc:
        return Item(False, str(exc))
    return Item(True, _describe(health))


def _describe(health: DatabaseHealth) -> str:
    if not health.exists or not health.size_bytes:
        return f"database {health.path}: not created yet (the first load creates it)"
    return (
        f"database {health.path}: {health.size_bytes:,} bytes, schema v{health.schema_version}, "
        f"integrity ok, {health.sessions or 0} sessions"
    )


def _seeds(directory: Path) -> list[Item]:
    try:
        documents = check_seeds(directory)
    except StartupError as exc:
        return [Item(False, str(exc))]
    files = {}
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if entry.name.lower().endswith(".txt") and entry.is_file():
            files[entry.name] = (Path(entry.path).read_bytes(), "")
    parsed, failed = parse_documents(files)
    items = [
        Item(
            bool(documents) and not failed,
            f"seeds {directory}: {documents} documents, {len(parsed)} parse",
        )
    ]
    items += [Item(False, f"{name}: {reason}") for name, reason in sorted(failed.items())]
    return items
