"""What reminders remember: one ``reminders`` row per (user, session key).

Each statement sits next to the method that runs it, on the store's connection primitives
(`bot.ledger.LedgerStore`: one write transaction under the write lock, snapshot reads).
Times are fixed-width UTC ISO text, so text order is time order.

The row's ``status`` is the "never twice" guarantee, as the digest's ledger row is:
'scheduled' -> `claim` sets 'pending' BEFORE the DM is sent (and fails unless the row was
still 'scheduled') -> `mark` confirms 'sent', or records 'failed' (with why), 'missed' or
'gone'. A 'pending' row left by a crash is never sent again (the DM may have gone out).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.ledger import Ledger, LedgerStore, utc_stamp
from bot.reminders.plan import REMINDER_LIMIT, Reminder, ReminderStatus

STATUSES = ("scheduled", "pending", "sent", "missed", "failed", "gone")


class ReminderLimitError(Exception):
    """The user already holds `REMINDER_LIMIT` reminders."""


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else utc_stamp(moment)


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _reminder(row: sqlite3.Row) -> Reminder:
    starts = _dt(row["starts_at"])
    due = _dt(row["due_at"])
    assert starts is not None and due is not None
    return Reminder(
        row["user_id"],
        row["session_key"],
        row["title"],
        row["minutes_before"],
        starts,
        _dt(row["ends_at"]),
        due,
        row["status"],
        row["detail"],
        bool(row["late"]),
    )


class ReminderLedger(Ledger):
    """The ``reminders`` table."""

    def __init__(self, store: LedgerStore, limit: int = REMINDER_LIMIT) -> None:
        super().__init__(store)
        self.limit = limit

    # ----------------------------------------------------------------- a user's reminders

    _SQL_EXISTS = "SELECT 1 FROM reminders WHERE user_id = ? AND session_key = ?"
    _SQL_COUNT = "SELECT COUNT(*) FROM reminders WHERE user_id = ?"
    _SQL_UPSERT = """
        INSERT INTO reminders (user_id, session_key, title, minutes_before, starts_at, ends_at,
                               due_at, status, detail, late, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', NULL, 0, ?, ?)
        ON CONFLICT(user_id, session_key) DO UPDATE SET title = excluded.title,
            minutes_before = excluded.minutes_before, starts_at = excluded.starts_at,
            ends_at = excluded.ends_at, due_at = excluded.due_at, status = 'scheduled',
            detail = NULL, late = 0, updated_at = excluded.updated_at
    """

    async def upsert(self, reminder: Reminder, now: datetime) -> bool:
        """Store `reminder` as scheduled; True if new, False if it replaced the user's
        reminder for that session. `ReminderLimitError` when a new one would pass the limit."""
        stamp = _iso(now)
        async with self.store.write() as conn:
            key = (reminder.user_id, reminder.session_key)
            exists = await conn.execute_fetchall(self._SQL_EXISTS, key)
            if not exists:
                ((count,),) = await conn.execute_fetchall(self._SQL_COUNT, (reminder.user_id,))
                if count >= self.limit:
                    raise ReminderLimitError(f"at most {self.limit} reminders")
            await conn.execute(
                self._SQL_UPSERT,
                (
                    *key,
                    reminder.title,
                    reminder.minutes_before,
                    _iso(reminder.starts_at),
                    _iso(reminder.ends_at),
                    _iso(reminder.due_at),
                    stamp,
                    stamp,
                ),
            )
        return not exists

    _SQL_REMOVE = "DELETE FROM reminders WHERE user_id = ? AND session_key = ?"

    async def remove(self, user_id: int, session_key: str) -> bool:
        return await self.execute(self._SQL_REMOVE, (user_id, session_key)) == 1

    _SQL_FOR_USER = """
        SELECT * FROM reminders WHERE user_id = ? ORDER BY starts_at, session_key
    """

    async def for_user(self, user_id: int) -> list[Reminder]:
        """The user's reminders in session start order."""
        return [_reminder(r) for r in await self.store.fetchall(self._SQL_FOR_USER, (user_id,))]

    # ----------------------------------------------------------------- due, claim, confirm

    _SQL_DUE = """
        SELECT * FROM reminders WHERE status = 'scheduled' AND due_at <= ?
        ORDER BY due_at, starts_at, user_id, session_key LIMIT ?
    """

    async def due(self, now: datetime, limit: int = 1000) -> list[Reminder]:
        """Scheduled reminders due at `now`, in time order."""
        rows = await self.store.fetchall(self._SQL_DUE, (_iso(now), limit))
        return [_reminder(r) for r in rows]

    _SQL_CLAIM = """
        UPDATE reminders SET status = 'pending', updated_at = ?
        WHERE user_id = ? AND session_key = ? AND status = 'scheduled'
    """

    async def claim(self, user_id: int, session_key: str, now: datetime) -> bool:
        """'scheduled' -> 'pending', before sending; False if it was not scheduled."""
        return await self.claim_row(self._SQL_CLAIM, (_iso(now), user_id, session_key))

    _SQL_MARK = """
        UPDATE reminders SET status = ?, detail = ?, late = ?, updated_at = ?
        WHERE user_id = ? AND session_key = ?
    """

    async def mark(
        self,
        user_id: int,
        session_key: str,
        status: ReminderStatus,
        now: datetime,
        *,
        detail: str | None = None,
        late: bool = False,
    ) -> None:
        if status not in STATUSES:
            raise ValueError(f"bad reminder status {status!r}")
        await self.execute(
            self._SQL_MARK, (status, detail, int(late), _iso(now), user_id, session_key)
        )

    _SQL_MISS = """
        UPDATE reminders SET status = 'missed', detail = ?, updated_at = ?
        WHERE user_id = ? AND session_key = ? AND status = 'scheduled'
    """

    async def miss(self, user_id: int, session_key: str, now: datetime, detail: str) -> None:
        """A scheduled reminder whose session ended before it could be sent."""
        await self.execute(self._SQL_MISS, (detail, _iso(now), user_id, session_key))

    # ----------------------------------------------------------------- following the programme

    _SQL_TIMES = """
        SELECT DISTINCT session_key, starts_at, ends_at FROM reminders WHERE status != 'pending'
    """

    async def session_times(self) -> list[tuple[str, datetime, datetime | None]]:
        """(key, start, end) as the reminders hold them, for every session with reminders."""
        rows = await self.store.fetchall(self._SQL_TIMES)
        return [(r[0], _dt(r[1]), _dt(r[2])) for r in rows]  # type: ignore[misc]

    _SQL_FOLLOW = """
        UPDATE reminders SET starts_at = :starts, ends_at = :ends, status = 'scheduled',
            detail = NULL, late = 0, updated_at = :now,
            due_at = MAX(:now, strftime('%Y-%m-%dT%H:%M:%S+00:00', :starts,
                                        '-' || minutes_before || ' minutes'))
        WHERE session_key = :key AND status != 'pending'
          AND (starts_at != :starts OR ends_at IS NOT :ends OR status = 'gone')
    """

    async def follow(
        self, session_key: str, starts_at: datetime, ends_at: datetime | None, now: datetime
    ) -> int:
        """The session moved (or came back): its reminders follow the new time, scheduled
        again (due at once when the new due time has passed). Returns the rows changed."""
        params = {
            "key": session_key,
            "starts": _iso(starts_at),
            "ends": _iso(ends_at),
            "now": _iso(now),
        }
        return await self.execute(self._SQL_FOLLOW, params)

    _SQL_GONE_QUIET = """
        UPDATE reminders SET status = 'gone', updated_at = ?
        WHERE session_key = ? AND status IN ('sent', 'missed', 'failed')
    """

    async def gone_quietly(self, session_keys: Sequence[str], now: datetime) -> None:
        """Reminders already over whose session left the programme: marked, no DM."""
        async with self.store.write() as conn:
            await conn.executemany(self._SQL_GONE_QUIET, [(_iso(now), k) for k in session_keys])

    _SQL_SCHEDULED_FOR = """
        SELECT * FROM reminders WHERE status = 'scheduled' AND session_key = ?
        ORDER BY user_id
    """

    async def scheduled_for(self, session_key: str) -> list[Reminder]:
        rows = await self.store.fetchall(self._SQL_SCHEDULED_FOR, (session_key,))
        return [_reminder(r) for r in rows]
