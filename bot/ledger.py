"""What every scheduled feature's ledger (digest, changes, events, reminders, sources) stands on.

A ledger keeps its own tables and its SQL next to the method that runs it, on a few connection
primitives only (`LedgerStore`); the Catalog hands it the store. Its "never twice" rows follow
one pattern: *claim* a row BEFORE sending (an insert or a guarded update that changes exactly
one row, else someone already claimed it), then *mark* it with the outcome: for a post to a
channel (digest, change notice, news), a `Delivery`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Literal, Protocol, TypeVar

import aiosqlite

Params = Sequence[Any] | Mapping[str, Any]
S = TypeVar("S", bound=str)


class LedgerStore(Protocol):
    """The connection primitives a ledger uses: one write transaction under the write lock,
    snapshot reads, and the key/value ``meta`` table."""

    def write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None: ...

    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str | None) -> None: ...


def utc_stamp(
    moment: datetime | None = None, timespec: Literal["seconds", "microseconds"] = "seconds"
) -> str:
    """Fixed-width UTC ISO text (`moment`, default now), so text order is time order."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec=timespec)


@dataclass(frozen=True, slots=True)
class Delivery(Generic[S]):
    """How a claimed post ended, as its ledger row keeps it: the status ('sent', 'failed', ...),
    the message it became, and why it did not go (`detail`, for people)."""

    status: S
    message_id: int | None = None
    detail: str | None = None

    @property
    def columns(self) -> tuple[S, int | None, str | None]:
        """(status, message_id, detail), in the order the ledgers' tables keep them."""
        return (self.status, self.message_id, self.detail)


class Ledger:
    """The base of the feature ledgers: the store's primitives and the claim/mark steps."""

    def __init__(self, store: LedgerStore) -> None:
        self.store = store

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement in its own write transaction; returns the rows it changed."""
        async with self.store.write() as conn:
            return (await conn.execute(sql, params)).rowcount

    async def claim_row(self, sql: str, params: Params) -> bool:
        """Run a claim (it changes one row or none); True if this call claimed it."""
        return await self.execute(sql, params) == 1
