"""All configuration, read in one place from the environment (and `.env`, if present).

Relative paths (`DATABASE_PATH`, `SEEDS_DIR`) are resolved against the folder of the `.env`
file, the project root, never the current directory: starting the bot from another folder
must not give it an empty archive and a new database there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

from bot.discord_api import DEFAULT_API_BASE
from bot.sources.policy import DEFAULT_HOSTS, DEFAULT_USER_AGENT

ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = ROOT / ".env"


class ConfigError(ValueError):
    """A setting has a value we cannot use; the message names the setting."""


def _ids(name: str, raw: str | None) -> frozenset[int]:
    if not raw or not raw.strip():
        return frozenset()
    try:
        return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(f"{name} must be a comma-separated list of numeric ids") from None


def _path(raw: str | None, default: Path, base: Path) -> Path:
    """`raw` as a path; a relative one is taken from `base` (the `.env` file's folder)."""
    if not raw or not raw.strip():
        return default
    path = Path(raw.strip()).expanduser()
    return path if path.is_absolute() else base / path


def _optional_int(name: str, raw: str | None) -> int | None:
    if not raw or not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number") from None


def _hosts(raw: str | None) -> frozenset[str]:
    return frozenset(h.strip().lower() for h in (raw or "").split(",") if h.strip())


def _positive(name: str, raw: str | None, default: int) -> int:
    value = _optional_int(name, raw)
    if value is not None and value < 1:
        raise ConfigError(f"{name} must be at least 1")
    return default if value is None else value


@dataclass(frozen=True)
class Config:
    token: str | None = field(default=None, repr=False)  # never printed
    database: Path = ROOT / "data" / "igf.db"
    seeds_dir: Path = ROOT / "seeds"
    dev_guild_id: int | None = None
    owner_ids: frozenset[int] = frozenset()
    api_base: str = DEFAULT_API_BASE
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    log_level: str = "INFO"
    source_hosts: frozenset[str] = DEFAULT_HOSTS  # SOURCE_HOSTS: where /source may fetch
    source_user_agent: str = DEFAULT_USER_AGENT  # SOURCE_USER_AGENT
    refresh_minutes: int = 30  # REFRESH_MINUTES: refresh interval on forum days (else daily)

    @classmethod
    def from_env(
        cls, env: dict[str, str] | None = None, *, dotenv: bool = True, base: Path = ROOT
    ) -> Config:
        if env is None:
            if dotenv:
                load_dotenv(ENV_FILE, override=False)
            env = dict(os.environ)
        shard_ids = _ids("SHARD_IDS", env.get("SHARD_IDS"))
        return cls(
            token=(env.get("DISCORD_TOKEN") or "").strip() or None,
            database=_path(env.get("DATABASE_PATH"), cls.database, base),
            seeds_dir=_path(env.get("SEEDS_DIR"), cls.seeds_dir, base),
            dev_guild_id=_optional_int("DEV_GUILD_ID", env.get("DEV_GUILD_ID")),
            owner_ids=_ids("OWNER_IDS", env.get("OWNER_IDS")),
            api_base=(env.get("DISCORD_API_BASE") or DEFAULT_API_BASE).rstrip("/"),
            shard_count=_optional_int("SHARD_COUNT", env.get("SHARD_COUNT")),
            shard_ids=tuple(sorted(shard_ids)) or None,
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            source_hosts=_hosts(env.get("SOURCE_HOSTS")) or DEFAULT_HOSTS,
            source_user_agent=(env.get("SOURCE_USER_AGENT") or "").strip() or DEFAULT_USER_AGENT,
            refresh_minutes=_positive("REFRESH_MINUTES", env.get("REFRESH_MINUTES"), 30),
        )
