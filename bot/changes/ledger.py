"""What schedule-change notices remember: the durable change batches and the notices ledger.

Each statement sits next to the method that runs it, on the store's connection primitives.

A *change batch* is one reload's `ChangeSet`, stored as JSON (``change_batches``: id,
created_at, changes) right after the load, so notices survive a restart. The
``change_notices`` row per (server, batch) is the "never twice" guarantee: `claim_notice`
inserts it 'pending' BEFORE sending and fails if any row exists; `mark_notice` confirms
('sent'), records why not ('failed') or that there was nothing to say ('skipped').
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.changes.diff import ChangeSet
from bot.ledger import Delivery, Ledger, utc_stamp

NoticeStatus = Literal["pending", "sent", "failed", "skipped"]


def _now() -> str:
    return utc_stamp(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    id: int
    created_at: str
    changes: ChangeSet


class ChangeLedger(Ledger):
    """The tables ``change_batches`` and ``change_notices``."""

    # ----------------------------------------------------------------- batches

    _SQL_ADD_BATCH = "INSERT INTO change_batches (created_at, changes) VALUES (?, ?)"

    async def record_batch(self, changes: ChangeSet) -> ChangeBatch:
        """Store one reload's changes; returns the batch with its id."""
        now = _now()
        async with self.store.write() as conn:
            cursor = await conn.execute(self._SQL_ADD_BATCH, (now, changes.dumps()))
            batch_id = cursor.lastrowid
        assert batch_id is not None
        return ChangeBatch(batch_id, now, changes)

    _SQL_BATCHES_AFTER = "SELECT * FROM change_batches WHERE id > ? ORDER BY id"

    async def batches_after(self, batch_id: int) -> list[ChangeBatch]:
        rows = await self.store.fetchall(self._SQL_BATCHES_AFTER, (batch_id,))
        return [ChangeBatch(r["id"], r["created_at"], ChangeSet.loads(r["changes"])) for r in rows]

    _SQL_LAST_BEFORE = "SELECT COALESCE(MAX(id), 0) FROM change_batches WHERE created_at < ?"

    async def last_batch_before(self, moment: str) -> int:
        """The newest batch made before `moment` (UTC ISO to the second, as settings store
        it: a batch of the same second counts as after); 0 when there is none."""
        row = await self.store.fetchone(self._SQL_LAST_BEFORE, (moment,))
        return int(row[0])

    # ----------------------------------------------------------------- notices

    _SQL_LAST_NOTICE = "SELECT MAX(batch_id) FROM change_notices WHERE guild_id = ?"

    async def last_notice_batch(self, guild_id: int) -> int | None:
        """The newest batch this server has a notice row for (any status); None: never."""
        row = await self.store.fetchone(self._SQL_LAST_NOTICE, (guild_id,))
        return row[0] if row and row[0] is not None else None

    _SQL_CLAIM = """
        INSERT INTO change_notices (guild_id, batch_id, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT(guild_id, batch_id) DO NOTHING
    """

    async def claim_notice(
        self, guild_id: int, batch_id: int, status: NoticeStatus = "pending"
    ) -> bool:
        """Insert the (server, batch) row; False if one (any status) already exists."""
        now = _now()
        return await self.claim_row(self._SQL_CLAIM, (guild_id, batch_id, status, now, now))

    _SQL_MARK = """
        UPDATE change_notices SET status = ?, message_id = ?, detail = ?, updated_at = ?
        WHERE guild_id = ? AND batch_id = ?
    """

    async def mark_notice(
        self, guild_id: int, batch_id: int, delivery: Delivery[NoticeStatus]
    ) -> None:
        """Record how the claimed notice ended."""
        await self.execute(self._SQL_MARK, (*delivery.columns, _now(), guild_id, batch_id))
