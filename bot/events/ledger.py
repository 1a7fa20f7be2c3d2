"""What scheduled events remember per server: the published scopes and, per session, the
event the bot made. Each statement sits next to the method that runs it, on the store's
connection primitives.

A ``guild_events`` row per (server, session key) is the "never twice" guarantee: `claim`
writes it 'pending' BEFORE the event is created and fails if the session already has a
published or pending event; `confirm` stores the event id ('published'). A 'pending' row left
by a crash is settled on the next sync from Discord's own list (see `bot.events.scheduler`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.events.plan import EventSpec, EventStatus, StoredEvent
from bot.ledger import Ledger, utc_stamp


@dataclass(frozen=True, slots=True)
class Scope:
    """What ``/events publish`` asked for: sessions of a year, a (UTC) day and/or a type."""

    year: int | None = None
    day: date | None = None
    session_type: str | None = None

    @property
    def name(self) -> str:
        return f"{self.year or ''}|{self.day or ''}|{self.session_type or ''}"

    def describe(self) -> str:
        parts = [str(self.year) if self.year else None, str(self.day) if self.day else None]
        parts.append(self.session_type)
        return ", ".join(p for p in parts if p) or "all sessions"


def _stored(row: sqlite3.Row) -> StoredEvent:
    spec = None
    if row["starts_at"] and row["ends_at"]:
        spec = EventSpec(
            row["session_key"],
            row["name"] or "",
            row["location"] or "",
            datetime.fromisoformat(row["starts_at"]),
            datetime.fromisoformat(row["ends_at"]),
        )
    return StoredEvent(row["session_key"], row["status"], row["event_id"], spec, row["detail"])


def _spec_values(spec: EventSpec) -> tuple[str, str, str, str]:
    return (spec.name, spec.location, spec.starts_at.isoformat(), spec.ends_at.isoformat())


class EventLedger(Ledger):
    """The tables ``event_scopes`` and ``guild_events``."""

    # ----------------------------------------------------------------- scopes

    _SQL_ADD_SCOPE = """
        INSERT INTO event_scopes (guild_id, scope, year, day, session_type, created_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id, scope) DO NOTHING
    """

    async def add_scope(self, guild_id: int, scope: Scope) -> None:
        day = scope.day.isoformat() if scope.day else None
        params = (guild_id, scope.name, scope.year, day, scope.session_type, utc_stamp())
        await self.execute(self._SQL_ADD_SCOPE, params)

    _SQL_SCOPES = "SELECT * FROM event_scopes WHERE guild_id = ? ORDER BY created_at, scope"

    async def scopes(self, guild_id: int) -> list[Scope]:
        rows = await self.store.fetchall(self._SQL_SCOPES, (guild_id,))
        return [
            Scope(r["year"], date.fromisoformat(r["day"]) if r["day"] else None, r["session_type"])
            for r in rows
        ]

    _SQL_GUILDS = """
        SELECT guild_id FROM event_scopes UNION SELECT guild_id FROM guild_events ORDER BY 1
    """

    async def guilds(self) -> list[int]:
        """Servers with scopes or events to keep in step."""
        return [row[0] for row in await self.store.fetchall(self._SQL_GUILDS)]

    _SQL_CLEAR_SCOPES = "DELETE FROM event_scopes WHERE guild_id = ?"

    async def clear_scopes(self, guild_id: int) -> None:
        await self.execute(self._SQL_CLEAR_SCOPES, (guild_id,))

    # ----------------------------------------------------------------- events

    _SQL_EVENTS = "SELECT * FROM guild_events WHERE guild_id = ? ORDER BY starts_at, session_key"

    async def events(self, guild_id: int) -> list[StoredEvent]:
        return [_stored(r) for r in await self.store.fetchall(self._SQL_EVENTS, (guild_id,))]

    _SQL_CLAIM = """
        INSERT INTO guild_events (guild_id, session_key, status, updated_at)
        VALUES (?, ?, 'pending', ?)
        ON CONFLICT(guild_id, session_key) DO UPDATE SET status = 'pending', detail = NULL,
            updated_at = excluded.updated_at
        WHERE guild_events.status = 'failed'
    """

    async def claim(self, guild_id: int, key: str) -> bool:
        """Record the intent to create `key`'s event; False if it is published or pending."""
        return await self.claim_row(self._SQL_CLAIM, (guild_id, key, utc_stamp()))

    _SQL_CONFIRM = """
        UPDATE guild_events SET status = 'published', event_id = ?, name = ?, location = ?,
            starts_at = ?, ends_at = ?, detail = NULL, updated_at = ?
        WHERE guild_id = ? AND session_key = ?
    """

    async def confirm(self, guild_id: int, event_id: int, spec: EventSpec) -> None:
        """The event exists in Discord as `spec` says (after a create or an edit)."""
        params = (event_id, *_spec_values(spec), utc_stamp(), guild_id, spec.key)
        await self.execute(self._SQL_CONFIRM, params)

    _SQL_FAIL = """
        UPDATE guild_events SET status = 'failed', detail = ?, updated_at = ?
        WHERE guild_id = ? AND session_key = ? AND status = 'pending'
    """

    async def fail(self, guild_id: int, key: str, detail: str) -> None:
        """The create was refused for good; a later sync may try again."""
        await self.execute(self._SQL_FAIL, (detail, utc_stamp(), guild_id, key))

    _SQL_FORGET = "DELETE FROM guild_events WHERE guild_id = ? AND session_key = ?"

    async def forget(self, guild_id: int, key: str) -> None:
        """No event for `key` any more (deleted, or never created)."""
        await self.execute(self._SQL_FORGET, (guild_id, key))

    _SQL_COUNTS = "SELECT status, COUNT(*) FROM guild_events WHERE guild_id = ? GROUP BY status"

    async def counts(self, guild_id: int) -> dict[EventStatus, int]:
        rows = await self.store.fetchall(self._SQL_COUNTS, (guild_id,))
        return {row[0]: row[1] for row in rows}
