"""Connections to the one WAL database: the single writer, snapshot readers, upkeep.

Two kinds of aiosqlite connection share one WAL database file:

* the *writer* runs every write. `Database.write()` is ONE ``BEGIN IMMEDIATE`` transaction,
  serialised by an ``asyncio.Lock``; any exception rolls it back, so a failed load leaves
  the previous data untouched. Feature ledgers write through the same lock, so their rows
  never land inside - or are rolled back with - a load.
* the *readers* run every query (``PRAGMA query_only``). `Database.read()` is one read
  transaction, so under WAL it sees one committed snapshot: the data before a load or
  after it, never half, even while an ``await``-interleaved load is in progress.

All SQL is constant text with ``?``/``:name`` parameters; user text never becomes SQL.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.store.schema import migrate

log = logging.getLogger(__name__)

Params = Sequence[Any] | Mapping[str, Any]

_BUSY_TIMEOUT_MS = 10_000
# bm25 costs ~2.5 µs per matching session, and a query of common words matches half the
# archive. Search ranks a slice of the ids on each reader at once (SQLite releases the GIL);
# bm25 takes its IDF from the whole table, so the merged ranking is the one-reader ranking.
SEARCH_READERS = 2


class Database:
    """The connections and transactions every part of the store runs on.

    Create with ``await Store.open(path)``; see the module docstring.
    """

    def __init__(
        self, path: Path, writer: aiosqlite.Connection, readers: Sequence[aiosqlite.Connection]
    ):
        self.path = path
        self._writer = writer
        self._readers = list(readers)
        self._reader = self._readers[0]
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._maintenance: asyncio.Task[None] | None = None
        self._checkpoint_wanted = False
        self._optimize_wanted = False
        self.last_checkpoint_s: float | None = None
        self.last_optimize_s: float | None = None

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    async def open(cls, path: str | Path) -> Self:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(path)
        try:
            await writer.execute("PRAGMA journal_mode = WAL")
            await writer.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints run after the commit, off the caller's path (see `_maintain_later`).
            await writer.execute("PRAGMA wal_autocheckpoint = 0")
            await migrate(writer)
        except BaseException:
            await writer.close()
            raise
        readers: list[aiosqlite.Connection] = []
        try:
            for _ in range(SEARCH_READERS):
                readers.append(await _connect(path))
                await readers[-1].execute("PRAGMA query_only = ON")
        except BaseException:
            for conn in [*readers, writer]:
                await conn.close()
            raise
        return cls(path, writer, readers)

    async def close(self) -> None:
        """Close every connection once in-flight loads and queries have finished."""
        await self.settle()
        async with self._write_lock, self._read_lock:
            try:
                for reader in self._readers:
                    await reader.close()
            finally:
                await self._writer.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ----------------------------------------------------------------- transactions

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """The writer inside one ``BEGIN IMMEDIATE`` transaction under the write lock;
        committed on exit, rolled back on any exception."""
        async with self._write_lock:
            conn = self._writer
            if conn.in_transaction:  # left open by a cancellation during ROLLBACK
                log.warning("rolling back a write transaction left open")
                await conn.execute("ROLLBACK")
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                await conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        await conn.execute("ROLLBACK")
                    except sqlite3.OperationalError:
                        # Cancelled while COMMIT ran in aiosqlite's thread: it had finished,
                        # so there is nothing to roll back. Re-raise what stopped us.
                        log.debug("no transaction left to roll back", exc_info=True)
                raise
            self._maintain_later()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """A reader inside one read transaction: every statement sees the same commit."""
        async with self._read_lock:
            conn = self._reader
            if conn.in_transaction:  # a reader cancelled before its COMMIT
                await conn.execute("ROLLBACK")
            await conn.execute("BEGIN")
            try:
                yield conn
            finally:
                await conn.execute("COMMIT")

    @asynccontextmanager
    async def _snapshots(self) -> AsyncIterator[list[aiosqlite.Connection]]:
        """Read transactions on every reader that see the same load, for work split across
        them. If a load committed between their starts, only the first reader is given."""
        async with self._read_lock:
            try:
                generations = await asyncio.gather(*map(_begin_read, self._readers))
                yield self._readers if len(set(generations)) == 1 else self._readers[:1]
            finally:
                await asyncio.gather(
                    *(conn.execute("COMMIT") for conn in self._readers if conn.in_transaction)
                )

    async def pause_reads(self) -> None:
        """Hold back every read (they all take the read lock) until `resume_reads`: a load's
        commit and the Catalog's swap of its in-memory indexes then happen with no query in
        between, so no query sees new rows with old indexes. Reads already running finish."""
        await self._read_lock.acquire()

    def resume_reads(self) -> None:
        self._read_lock.release()

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Every row of one query, read in its own snapshot."""
        async with self.read() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of one query (or None), read in its own snapshot."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    # ----------------------------------------------------------------- background upkeep

    async def settle(self) -> None:
        """Wait until the background upkeep after the last write (see `_maintain_later`)
        has finished."""
        while self._maintenance is not None and not self._maintenance.done():
            await self._maintenance

    def _maintain_later(self, *, optimize_fts: bool = False) -> None:
        """After a commit, in the background: merge the full-text index if asked, then copy
        the committed pages from the WAL into the database file.

        SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 pages: after
        a full load that is ~2 s of copying before the new data can be served, though
        readers already see it in the WAL. A PASSIVE checkpoint never blocks readers, nor
        does the merge (a write transaction under WAL); a write that comes meanwhile
        queues behind them. The merge changes no search result, only how fast it comes.
        """
        self._checkpoint_wanted = True
        self._optimize_wanted |= optimize_fts
        if self._maintenance is None or self._maintenance.done():
            self._maintenance = asyncio.create_task(self._maintain())

    async def _maintain(self) -> None:
        while self._checkpoint_wanted:  # commits made meanwhile need another checkpoint
            if self._optimize_wanted:
                self._optimize_wanted = False
                await self._optimize_fts()
            self._checkpoint_wanted = False
            start = time.perf_counter()
            # Under the write lock: on the writer while another write's transaction is open,
            # the checkpoint fails ("database table is locked") and is only retried later.
            async with self._write_lock:
                try:
                    await self._writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except (sqlite3.Error, ValueError) as exc:  # ValueError: closed under us
                    log.warning("WAL checkpoint failed: %s", exc)
            self.last_checkpoint_s = time.perf_counter() - start

    async def _optimize_fts(self) -> None:
        start = time.perf_counter()
        try:
            async with self.write() as conn:
                await conn.execute("INSERT INTO sessions_fts (sessions_fts) VALUES ('optimize')")
        except (sqlite3.Error, ValueError) as exc:
            log.warning("full-text index merge failed: %s", exc)
            return
        self.last_optimize_s = time.perf_counter() - start
        log.info("full-text index merged in %.2f s", self.last_optimize_s)


async def _connect(path: Path) -> aiosqlite.Connection:
    # isolation_level=None: no implicit transactions; we issue BEGIN/COMMIT ourselves.
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS:d}")
        await conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        # An aiosqlite connection left open is a thread that keeps the process alive.
        await conn.close()
        raise
    return conn


async def _begin_read(conn: aiosqlite.Connection) -> str | None:
    """Start a read transaction (WAL fixes its snapshot at the first read) and return the
    generation of the sessions it sees (every load moves it, see `Loads.apply_batches`)."""
    if conn.in_transaction:  # a reader cancelled before its COMMIT
        await conn.execute("ROLLBACK")
    await conn.execute("BEGIN")
    rows = await conn.execute_fetchall("SELECT value FROM meta WHERE key = 'generation'")
    return rows[0][0] if rows else None
