"""What the digest remembers per server: its settings, the claim/confirm ledger of posts, and
the featured rotation through the archive.

Each statement sits next to the method that runs it, on the store's connection primitives
(`bot.ledger.LedgerStore`: one write transaction under the write lock, snapshot reads), so
this bookkeeping never lands inside - or is rolled back with - a load.

The ``digest_posts`` row is the "never twice" guarantee: `claim_digest` inserts it 'pending'
BEFORE sending and fails if any row exists; `mark_digest` confirms ('sent') or records why not
('failed'). See `bot.digest.scheduler`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.ledger import Delivery, Ledger, utc_stamp
from bot.models import GuildSettings

_HHMM_RE = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")

DigestStatus = Literal["pending", "sent", "failed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestPost(Delivery[DigestStatus]):
    """A server's digest for one local date, as its ``digest_posts`` row keeps it."""

    guild_id: int
    local_date: date
    created_at: str
    updated_at: str


def _validate_settings(settings: GuildSettings) -> None:
    if not _HHMM_RE.match(settings.post_time):
        raise ValueError(f"post_time must be HH:MM, got {settings.post_time!r}")
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {settings.timezone!r}") from exc


def _guild(row: sqlite3.Row) -> GuildSettings:
    return GuildSettings(
        row["guild_id"],
        row["channel_id"],
        row["post_time"],
        row["timezone"],
        bool(row["enabled"]),
        row["updated_at"],
    )


def _post(row: sqlite3.Row) -> DigestPost:
    return DigestPost(
        row["status"],
        row["message_id"],
        row["detail"],
        guild_id=row["guild_id"],
        local_date=date.fromisoformat(row["local_date"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class DigestLedger(Ledger):
    """The digest's tables (``guild_settings``, ``digest_posts``, ``digest_featured``,
    ``change_settings``)."""

    # ----------------------------------------------------------------- settings

    _SQL_GUILD = "SELECT * FROM guild_settings WHERE guild_id = ?"

    async def guild_settings(self, guild_id: int) -> GuildSettings | None:
        row = await self.store.fetchone(self._SQL_GUILD, (guild_id,))
        return _guild(row) if row else None

    _SQL_GUILDS = "SELECT * FROM guild_settings WHERE (? = 0 OR enabled = 1) ORDER BY guild_id"

    async def all_guild_settings(self, *, enabled_only: bool = False) -> list[GuildSettings]:
        rows = await self.store.fetchall(self._SQL_GUILDS, (int(enabled_only),))
        return [_guild(row) for row in rows]

    _SQL_UPSERT_GUILD = """
        INSERT INTO guild_settings (guild_id, channel_id, post_time, timezone, enabled, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(guild_id) DO UPDATE SET channel_id = excluded.channel_id,
            post_time = excluded.post_time, timezone = excluded.timezone,
            enabled = excluded.enabled, updated_at = excluded.updated_at
    """

    async def upsert_guild_settings(self, settings: GuildSettings) -> GuildSettings:
        """Write every field of `settings` (build it with `dataclasses.replace`)."""
        _validate_settings(settings)
        now = utc_stamp()
        saved = GuildSettings(
            settings.guild_id,
            settings.channel_id,
            settings.post_time,
            settings.timezone,
            settings.enabled,
            now,
        )
        await self.execute(
            self._SQL_UPSERT_GUILD,
            (
                saved.guild_id,
                saved.channel_id,
                saved.post_time,
                saved.timezone,
                int(saved.enabled),
                now,
            ),
        )
        return saved

    # ----------------------------------------------------------------- change notices
    # Schedule-change notices (bot.changes) go to the digest channel; on unless turned off.

    _SQL_SET_CHANGES = """
        INSERT INTO change_settings (guild_id, enabled) VALUES (?, ?)
        ON CONFLICT(guild_id) DO UPDATE SET enabled = excluded.enabled
    """

    async def set_changes(self, guild_id: int, enabled: bool) -> None:
        await self.execute(self._SQL_SET_CHANGES, (guild_id, int(enabled)))

    _SQL_CHANGES_OFF = "SELECT guild_id FROM change_settings WHERE enabled = 0"

    async def guilds_without_changes(self) -> set[int]:
        """Servers that turned change notices off."""
        return {row[0] for row in await self.store.fetchall(self._SQL_CHANGES_OFF)}

    # ----------------------------------------------------------------- the posts ledger

    _SQL_CLAIM_DIGEST = """
        INSERT INTO digest_posts (guild_id, local_date, status, created_at, updated_at)
        VALUES (?, ?, 'pending', ?, ?) ON CONFLICT(guild_id, local_date) DO NOTHING
    """

    async def claim_digest(self, guild_id: int, local_date: date) -> bool:
        """Insert a 'pending' digest row; False if one (any status) already exists."""
        now = utc_stamp()
        async with self.store.write() as conn:
            cursor = await conn.execute(
                self._SQL_CLAIM_DIGEST, (guild_id, local_date.isoformat(), now, now)
            )
            return cursor.rowcount == 1

    _SQL_MARK_DIGEST = """
        INSERT INTO digest_posts
            (guild_id, local_date, status, message_id, detail, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(guild_id, local_date) DO UPDATE SET status = excluded.status,
            message_id = excluded.message_id, detail = excluded.detail,
            updated_at = excluded.updated_at
    """

    async def mark_digest(
        self, guild_id: int, local_date: date, delivery: Delivery[DigestStatus]
    ) -> None:
        """Set the digest row's status (creating the row if needed)."""
        if delivery.status not in ("pending", "sent", "failed"):
            raise ValueError(f"bad digest status {delivery.status!r}")
        now = utc_stamp()
        params = (guild_id, local_date.isoformat(), *delivery.columns, now, now)
        await self.execute(self._SQL_MARK_DIGEST, params)

    _SQL_DIGEST = "SELECT * FROM digest_posts WHERE guild_id = ? AND local_date = ?"

    async def digest_post(self, guild_id: int, local_date: date) -> DigestPost | None:
        row = await self.store.fetchone(self._SQL_DIGEST, (guild_id, local_date.isoformat()))
        return _post(row) if row else None

    _SQL_LAST_SENT = """
        SELECT created_at FROM digest_posts WHERE guild_id = ? AND status = 'sent'
        ORDER BY local_date DESC, created_at DESC LIMIT 1
    """

    async def last_sent_digest_at(self, guild_id: int) -> str | None:
        """`created_at` (UTC ISO) of the guild's latest digest with status 'sent'."""
        row = await self.store.fetchone(self._SQL_LAST_SENT, (guild_id,))
        return row[0] if row else None

    # ----------------------------------------------------------------- featured rotation

    _SQL_FEATURED = "SELECT session_key FROM digest_featured WHERE guild_id = ?"

    async def featured_keys(self, guild_id: int) -> set[str]:
        """Session keys already featured in this guild's digests (since the last reset)."""
        return {row[0] for row in await self.store.fetchall(self._SQL_FEATURED, (guild_id,))}

    _SQL_MARK_FEATURED = """
        INSERT INTO digest_featured (guild_id, session_key, local_date) VALUES (?, ?, ?)
        ON CONFLICT(guild_id, session_key) DO UPDATE SET local_date = excluded.local_date
    """

    async def mark_featured(self, guild_id: int, keys: Iterable[str], local_date: date) -> None:
        rows = [(guild_id, key, local_date.isoformat()) for key in keys]
        async with self.store.write() as conn:
            await conn.executemany(self._SQL_MARK_FEATURED, rows)

    _SQL_RESET_FEATURED = "DELETE FROM digest_featured WHERE guild_id = ?"

    async def reset_featured(self, guild_id: int) -> None:
        await self.execute(self._SQL_RESET_FEATURED, (guild_id,))
