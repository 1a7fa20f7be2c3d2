"""What the sources feature remembers: the fetched sources with their `SourceState`, the "new
takeaways" posts (claim before sending, confirm after: never twice), each server's news switch,
and when each session's takeaways and calls to action appeared.

Each statement sits next to the method that runs it, on the store's connection primitives
(`bot.ledger.LedgerStore`), as in `bot.digest.ledger`.
Reached as ``catalog.sources``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.ledger import Delivery, Ledger, utc_stamp
from bot.sources.state import SourceState

SourceKind = Literal["session", "list"]
NewsStatus = Literal["pending", "sent", "failed"]
_BASELINE = "sources:outcomes_baseline"  # meta key: the outcomes table has been filled once
_LAST_REFRESH = "sources:last_refresh_at"  # meta key: when the last refresh started


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    kind: SourceKind
    state: SourceState
    found_on: str | None = None  # the list page a session page was found on
    added_by: int | None = None


@dataclass(frozen=True, slots=True)
class Appeared:
    """A session whose takeaways or calls to action appeared or changed at `first_seen_at`."""

    session_key: str
    outcomes_hash: str
    first_seen_at: datetime


def _iso(moment: datetime | None) -> str | None:
    return utc_stamp(moment) if moment else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _source(row: sqlite3.Row) -> Source:
    state = SourceState(
        etag=row["etag"],
        last_modified=row["last_modified"],
        failures=row["failures"],
        next_attempt_at=_when(row["next_attempt_at"]),
        last_fetched_at=_when(row["last_fetched_at"]),
        last_changed_at=_when(row["last_changed_at"]),
        last_error=row["last_error"],
        text_sha256=row["text_sha256"],
    )
    return Source(row["url"], row["kind"], state, row["found_on"], row["added_by"])


class SourceLedger(Ledger):
    """The tables ``sources``, ``news_settings``, ``news_posts`` and ``outcomes_seen``."""

    # ----------------------------------------------------------------- sources

    _SQL_SOURCES = "SELECT * FROM sources ORDER BY found_on IS NOT NULL, found_on, url"

    async def all_sources(self) -> list[Source]:
        """Added sources first, then the pages found on list pages."""
        return [_source(row) for row in await self.store.fetchall(self._SQL_SOURCES)]

    _SQL_SOURCE = "SELECT * FROM sources WHERE url = ?"

    async def source(self, url: str) -> Source | None:
        row = await self.store.fetchone(self._SQL_SOURCE, (url,))
        return _source(row) if row else None

    _SQL_ADD = """
        INSERT INTO sources (url, kind, found_on, added_by, added_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(url) DO NOTHING
    """

    async def add_sources(
        self,
        urls: Iterable[str],
        kind: SourceKind,
        *,
        found_on: str | None = None,
        added_by: int | None = None,
    ) -> list[str]:
        """Add the URLs not yet known; returns those added."""
        added: list[str] = []
        now = utc_stamp()
        async with self.store.write() as conn:
            for url in urls:
                cursor = await conn.execute(self._SQL_ADD, (url, kind, found_on, added_by, now))
                if cursor.rowcount == 1:
                    added.append(url)
        return added

    _SQL_FOUND_ON = "SELECT COUNT(*) FROM sources WHERE found_on = ?"

    async def count_found_on(self, url: str) -> int:
        """How many session pages were found on the list page `url`."""
        row = await self.store.fetchone(self._SQL_FOUND_ON, (url,))
        return int(row[0])

    _SQL_SAVE_STATE = """
        UPDATE sources SET etag = ?, last_modified = ?, failures = ?, next_attempt_at = ?,
            last_fetched_at = ?, last_changed_at = ?, last_error = ?, text_sha256 = ?
        WHERE url = ?
    """

    async def save_states(self, states: Mapping[str, SourceState]) -> None:
        rows = [
            (
                s.etag,
                s.last_modified,
                s.failures,
                _iso(s.next_attempt_at),
                _iso(s.last_fetched_at),
                _iso(s.last_changed_at),
                s.last_error,
                s.text_sha256,
                url,
            )
            for url, s in states.items()
        ]
        async with self.store.write() as conn:
            await conn.executemany(self._SQL_SAVE_STATE, rows)

    _SQL_REMOVE = "DELETE FROM sources WHERE url = ? OR found_on = ? RETURNING url, kind"

    async def remove_source(self, url: str) -> list[Source]:
        """Remove `url` and the pages found on it; returns what was removed (states empty)."""
        async with self.store.write() as conn:
            rows = await conn.execute_fetchall(self._SQL_REMOVE, (url, url))
        return [Source(row[0], row[1], SourceState()) for row in rows]

    async def last_refresh_at(self) -> datetime | None:
        return _when(await self.store.get_meta(_LAST_REFRESH))

    async def set_last_refresh_at(self, moment: datetime) -> None:
        await self.store.set_meta(_LAST_REFRESH, _iso(moment))

    # ----------------------------------------------------------------- news switch

    _SQL_NEWS_ON = "SELECT enabled FROM news_settings WHERE guild_id = ?"

    async def news_enabled(self, guild_id: int) -> bool:
        row = await self.store.fetchone(self._SQL_NEWS_ON, (guild_id,))
        return True if row is None else bool(row[0])  # on by default

    _SQL_SET_NEWS = """
        INSERT INTO news_settings (guild_id, enabled) VALUES (?, ?)
        ON CONFLICT(guild_id) DO UPDATE SET enabled = excluded.enabled
    """

    async def set_news(self, guild_id: int, enabled: bool) -> None:
        await self.execute(self._SQL_SET_NEWS, (guild_id, int(enabled)))

    # ----------------------------------------------------------------- news posts

    _SQL_UNPOSTED = """
        SELECT o.session_key, o.outcomes_hash, o.first_seen_at FROM outcomes_seen AS o
        WHERE o.announce = 1 AND o.first_seen_at >= ? AND NOT EXISTS (
            SELECT 1 FROM news_posts AS p WHERE p.guild_id = ?
                AND p.session_key = o.session_key AND p.text_hash = o.outcomes_hash)
        ORDER BY o.first_seen_at DESC, o.session_key
    """

    async def unposted(self, guild_id: int, since: datetime) -> list[Appeared]:
        """Appearances since `since` that this server has not been told about, newest first."""
        rows = await self.store.fetchall(self._SQL_UNPOSTED, (_iso(since), guild_id))
        return [Appeared(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]

    _SQL_CLAIM_NEWS = """
        INSERT INTO news_posts (guild_id, session_key, text_hash, status, created_at)
        VALUES (?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING
    """

    async def claim_news(self, guild_id: int, items: Iterable[Appeared]) -> list[Appeared]:
        """Record the intent to announce `items` BEFORE sending; returns the ones claimed now
        (an item claimed before, in any state, is never announced again)."""
        claimed: list[Appeared] = []
        now = utc_stamp()
        async with self.store.write() as conn:
            for item in items:
                params = (guild_id, item.session_key, item.outcomes_hash, now)
                if (await conn.execute(self._SQL_CLAIM_NEWS, params)).rowcount == 1:
                    claimed.append(item)
        return claimed

    _SQL_MARK_NEWS = """
        UPDATE news_posts SET status = ?, message_id = ?, detail = ?
        WHERE guild_id = ? AND session_key = ? AND text_hash = ?
    """

    async def mark_news(
        self, guild_id: int, items: Iterable[Appeared], delivery: Delivery[NewsStatus]
    ) -> None:
        """Record how the post of the claimed `items` ended."""
        rows = [(*delivery.columns, guild_id, i.session_key, i.outcomes_hash) for i in items]
        async with self.store.write() as conn:
            await conn.executemany(self._SQL_MARK_NEWS, rows)

    _SQL_NEWS_COUNT = "SELECT status, COUNT(*) FROM news_posts WHERE guild_id = ? GROUP BY status"

    async def news_counts(self, guild_id: int) -> dict[str, int]:
        rows = await self.store.fetchall(self._SQL_NEWS_COUNT, (guild_id,))
        return {row[0]: row[1] for row in rows}

    # ----------------------------------------------------------------- when outcomes appeared

    _SQL_SEEN = "SELECT session_key, outcomes_hash FROM outcomes_seen"

    async def outcome_hashes(self) -> dict[str, str]:
        return dict(await self.store.fetchall(self._SQL_SEEN))

    async def has_baseline(self) -> bool:
        return await self.store.get_meta(_BASELINE) is not None

    _SQL_NOTE_SEEN = """
        INSERT INTO outcomes_seen (session_key, outcomes_hash, first_seen_at, announce)
        VALUES (?, ?, ?, ?)
        ON CONFLICT(session_key) DO UPDATE SET outcomes_hash = excluded.outcomes_hash,
            first_seen_at = excluded.first_seen_at, announce = excluded.announce
        WHERE outcomes_hash != excluded.outcomes_hash
    """
    _SQL_FORGET_SEEN = "DELETE FROM outcomes_seen WHERE session_key = ?"

    async def note_outcomes(
        self, hashes: Mapping[str, str], now: datetime, *, announce: bool
    ) -> list[str]:
        """Record the archive's current outcome hashes (key -> hash of takeaways and calls);
        a new or changed hash is stamped `now`. Returns the keys that changed. The first call
        (`announce=False`) is the baseline: it fills the table and announces nothing."""
        known = await self.outcome_hashes()
        changed = [key for key, digest in hashes.items() if known.get(key) != digest]
        gone = [key for key in known if key not in hashes]
        rows = [(key, hashes[key], _iso(now), int(announce)) for key in changed]
        async with self.store.write() as conn:
            await conn.executemany(self._SQL_NOTE_SEEN, rows)
            await conn.executemany(self._SQL_FORGET_SEEN, [(key,) for key in gone])
        if not announce:
            await self.store.set_meta(_BASELINE, _iso(now))
        return changed

    _SQL_NEWEST = """
        SELECT session_key FROM outcomes_seen WHERE announce = 1
        ORDER BY first_seen_at DESC, session_key LIMIT ?
    """

    async def newest_outcome_keys(self, limit: int) -> list[str]:
        """Sessions whose outcomes appeared after the baseline, the newest first."""
        return [row[0] for row in await self.store.fetchall(self._SQL_NEWEST, (limit,))]
