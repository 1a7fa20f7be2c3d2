"""Writing loads: sessions in, changed sessions rewritten, removed ones deleted, one transaction."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from bot.models import ApplyResult, FileChange, Session
from bot.store.connection import Database
from bot.store.rows import (
    PROFILE_COLUMNS,
    ChildRows,
    Existing,
    KeyAllocator,
    PreparedSession,
    Profile,
    now_iso,
    prepare_session,
    richer,
)

log = logging.getLogger(__name__)

# A write that rewrites or removes this many sessions leaves their old index entries in
# FTS5 segments until merges reach them: after a re-import of 10,000 sessions, search p99
# went from ~11 to ~20 ms. Such a write is followed by a full merge ('optimize', 0.3-0.5 s
# at 10,000 sessions), in the background; smaller writes leave it to FTS5's automerge.
FTS_OPTIMIZE_AFTER = 1000


# Ids are never given twice, even after the session that had one is removed: an id that
# reached anything outside the database must not come to name another session.
_NEXT_SESSION_ID = """
    SELECT MAX(COALESCE((SELECT MAX(id) FROM sessions), 0),
               COALESCE((SELECT CAST(value AS INTEGER) FROM meta
                         WHERE key = 'last_session_id'), 0)) + 1
"""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A file that holds a session another file already holds (same `Session.key`, from
    the session's reference): not stored; `kept` is the richer file, which is."""

    file: str
    kept: str
    key: str


@dataclass(frozen=True, slots=True)
class Quality:
    """What the stored sessions lack, for the load report's quality summary."""

    sessions: int
    without_date: int
    without_room: int
    without_people: int  # no speaker, moderator or rapporteur named (placeholders are no one)

    def line(self) -> str:
        return (
            f"quality: of {self.sessions} sessions, {self.without_date} without a date, "
            f"{self.without_room} without a room, {self.without_people} without people"
        )


@dataclass(frozen=True, slots=True)
class LoadResult(ApplyResult):
    duplicates: list[Duplicate] = field(default_factory=list)


def _prepare_all(upserts: Sequence[tuple[str, str, Session]]) -> list[PreparedSession]:
    return [prepare_session(*upsert) for upsert in upserts]


class Loads(Database):
    """The load path of the store, and the small `meta` key/value table."""

    async def apply(
        self,
        upserts: Sequence[tuple[str, str, Session]],
        removals: Sequence[str],
    ) -> LoadResult:
        """Add/update sessions by source file and remove others, all in one transaction.

        An updated source file keeps its session id (its child rows are rewritten).
        Removals are applied first; a source file listed twice in `upserts`: the last wins.
        Unknown removals are ignored.
        """

        prepared = await asyncio.to_thread(_prepare_all, upserts)

        async def one_batch() -> AsyncIterator[Sequence[PreparedSession]]:
            yield prepared

        return await self.apply_batches(one_batch(), removals)

    async def apply_batches(
        self,
        batches: AsyncIterable[Sequence[PreparedSession]],
        removals: Sequence[str],
        before_commit: Callable[[aiosqlite.Connection], Awaitable[None]] | None = None,
    ) -> LoadResult:
        """`apply` for a load too big to hold at once, of sessions made into rows by
        `prepare_session`: batches are written as they come, all inside one transaction, so
        readers still see the old data or the new, never half. A source file must not
        appear in two batches.

        Two files of one session (same key from the same reference) keep one session, the
        richer record (`rows.richer`; a tie keeps the one stored first); the other file is
        a `Duplicate` and is not stored.

        `before_commit(conn)` runs last inside the transaction, on the writer: it sees the
        new data before anyone else (the Catalog builds its indexes there, so that it can
        swap them in with no await after the commit)."""
        async with self.write() as conn:
            existing = {
                row[1]: Existing(row[0], row[2], row[3])
                for row in await conn.execute_fetchall(
                    "SELECT id, source_file, key, title FROM sessions"
                )
            }
            keys = KeyAllocator({e.key: e.id for e in existing.values()})
            # People who lost rows (they may now have none) and people given rows.
            removed, unlinked = await self._remove(conn, removals, existing, keys)
            linked: set[int] = set()
            spellings = Spellings(await _last_person_id(conn))
            added: list[FileChange] = []
            updated: list[FileChange] = []
            duplicates: list[Duplicate] = []
            async for batch in batches:
                latest = {prepared.source_file: prepared for prepared in batch}
                upserts, dropped = await self._drop_duplicates(
                    conn, list(latest.values()), existing, keys, duplicates
                )
                unlinked |= dropped
                new, changed, children, retouched = await self._write_sessions(
                    conn, upserts, existing, keys
                )
                added += new
                updated += changed
                unlinked |= retouched
                linked |= await self._write_children(conn, children)
                spellings.count(upserts)
            await self._tidy_people(conn, unlinked, linked, spellings)
            if added or updated or removed:  # /about: when the data last changed
                await _set_meta(conn, "loaded_at", now_iso())
            await conn.execute(
                """
                INSERT INTO meta (key, value) VALUES ('generation', 1)
                ON CONFLICT(key) DO UPDATE SET value = value + 1
                """
            )
            if before_commit is not None:
                await before_commit(conn)
        log.info("load: %d added, %d updated, %d removed", len(added), len(updated), len(removed))
        if len(updated) + len(removed) >= FTS_OPTIMIZE_AFTER:
            self._maintain_later(optimize_fts=True)
        return LoadResult(added, updated, removed, duplicates)

    async def _drop_duplicates(
        self,
        conn: aiosqlite.Connection,
        upserts: list[PreparedSession],
        existing: dict[str, Existing],
        keys: KeyAllocator,
        duplicates: list[Duplicate],
    ) -> tuple[list[PreparedSession], set[int]]:
        """`upserts` less the poorer copies of a session; the poorer copies already stored
        are deleted. Returns the upserts to write and the people the deletions touched."""
        best: dict[str, PreparedSession] = {}
        for upsert in upserts:  # copies within the batch: the richer, else the first
            if not upsert.referenced:
                continue
            rival = best.setdefault(upsert.session_key, upsert)
            if rival is not upsert and richer(upsert.profile, rival.profile):
                best[upsert.session_key] = upsert
        kept: list[PreparedSession] = []
        losers: list[str] = []
        for upsert in upserts:
            if not upsert.referenced:
                kept.append(upsert)
                continue
            winner = best[upsert.session_key]
            if winner is not upsert:
                _note(
                    duplicates,
                    Duplicate(upsert.source_file, winner.source_file, winner.session_key),
                )
                losers.append(upsert.source_file)
                continue
            stored = await self._stored_rival(conn, upsert, existing, keys)
            if stored is None:
                kept.append(upsert)
            elif richer(upsert.profile, stored[1]):
                _note(duplicates, Duplicate(stored[0], upsert.source_file, upsert.session_key))
                losers.append(stored[0])
                kept.append(upsert)
            else:
                _note(duplicates, Duplicate(upsert.source_file, stored[0], upsert.session_key))
                losers.append(upsert.source_file)
        _, touched = await self._remove(conn, losers, existing, keys)
        return kept, touched

    async def _stored_rival(
        self,
        conn: aiosqlite.Connection,
        upsert: PreparedSession,
        existing: dict[str, Existing],
        keys: KeyAllocator,
    ) -> tuple[str, Profile] | None:
        """(file, profile) of the stored session of another file with `upsert`'s key."""
        owner = keys.owner(upsert.session_key)
        own = existing.get(upsert.source_file)
        if owner is None or (own is not None and own.id == owner):
            return None
        rows = await conn.execute_fetchall(
            f"SELECT source_file, {PROFILE_COLUMNS} FROM sessions WHERE id = ?",  # noqa: S608
            (owner,),
        )
        return (rows[0][0], Profile(*rows[0][1:])) if rows else None

    async def profiles(self, files: Sequence[str]) -> dict[str, Profile]:
        """source_file -> the `Profile` of its stored session, for these files."""
        rows = await self.fetchall(
            f"""
            SELECT source_file, {PROFILE_COLUMNS} FROM sessions
            WHERE source_file IN (SELECT value FROM json_each(?))
            """,  # noqa: S608 - constant columns, parameters only
            (json.dumps(list(files)),),
        )
        return {row[0]: Profile(*row[1:]) for row in rows}

    async def file_with_hash(self, digest: str) -> str | None:
        """The source file of a stored session whose document has this content hash."""
        row = await self.fetchone(
            "SELECT source_file FROM sessions WHERE content_hash = ? LIMIT 1", (digest,)
        )
        return row[0] if row else None

    async def _remove(
        self,
        conn: aiosqlite.Connection,
        removals: Sequence[str],
        existing: dict[str, Existing],
        keys: KeyAllocator,
    ) -> tuple[list[FileChange], set[int]]:
        gone = [(f, existing.pop(f)) for f in dict.fromkeys(removals) if f in existing]
        touched = await self._clear_children(conn, [e.id for _, e in gone])
        if gone:
            await conn.execute(
                "DELETE FROM sessions WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([e.id for _, e in gone]),),
            )
        for _, entry in gone:
            keys.release(entry.key)
        return [FileChange(f, e.key, e.title) for f, e in gone], touched

    async def _clear_children(self, conn: aiosqlite.Connection, session_ids: list[int]) -> set[int]:
        """Delete the child rows of these sessions; returns the people they referenced."""
        if not session_ids:
            return set()
        ids = json.dumps(session_ids)
        people_of = """
            SELECT DISTINCT person_id FROM session_people
            WHERE session_id IN (SELECT value FROM json_each(?))
        """
        touched = {row[0] for row in await conn.execute_fetchall(people_of, (ids,))}
        for sql in (
            "DELETE FROM session_people WHERE session_id IN (SELECT value FROM json_each(?))",
            "DELETE FROM organizers WHERE session_id IN (SELECT value FROM json_each(?))",
            "DELETE FROM session_sdgs WHERE session_id IN (SELECT value FROM json_each(?))",
            "DELETE FROM takeaways WHERE session_id IN (SELECT value FROM json_each(?))",
            "DELETE FROM calls_to_action WHERE session_id IN (SELECT value FROM json_each(?))",
            "DELETE FROM sessions_fts WHERE rowid IN (SELECT value FROM json_each(?))",
        ):
            await conn.execute(sql, (ids,))
        return touched

    async def _write_sessions(
        self,
        conn: aiosqlite.Connection,
        upserts: list[PreparedSession],
        existing: dict[str, Existing],
        keys: KeyAllocator,
    ) -> tuple[list[FileChange], list[FileChange], ChildRows, set[int]]:
        """Insert or update the session rows; child rows are collected, not yet written.

        New sessions get ids here (above any id ever given, see `_NEXT_SESSION_ID`), so that
        all rows go in with executemany: one await per session made a 10,000-session load
        take ~30 s.
        Safe because BEGIN IMMEDIATE makes this the only writer. Updates run before
        inserts, in order, so a key an update gives up is free before an insert takes it.
        """
        stale = [existing[u.source_file].id for u in upserts if u.source_file in existing]
        touched = await self._clear_children(conn, stale)
        next_id = (await conn.execute_fetchall(_NEXT_SESSION_ID))[0][0]
        children = ChildRows.empty()
        added: list[FileChange] = []
        updated: list[FileChange] = []
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for upsert in upserts:
            old = existing.get(upsert.source_file)
            key = keys.claim(upsert.session_key, old.key if old else None, old.id if old else None)
            change = FileChange(upsert.source_file, key, upsert.title)
            if old is not None:
                keys.release(old.key)
                session_id = old.id
                updated.append(change)
                updates.append(upsert.params | {"id": session_id, "key": key})
            else:
                session_id, next_id = next_id, next_id + 1
                added.append(change)
                inserts.append(upsert.params | {"id": session_id, "key": key})
            keys.bind(key, session_id)
            children.add(session_id, upsert)
        await conn.executemany(
            """
            UPDATE sessions SET key = :key, content_hash = :content_hash, heading = :heading,
                title = :title, event = :event, year = :year, session_type = :session_type,
                number = :number, starts_at = :starts_at, ends_at = :ends_at,
                start_day = :start_day, room = :room, format = :format,
                duration_minutes = :duration_minutes, format_description = :format_description,
                source_url = :source_url, data = :data, updated_at = :now
            WHERE id = :id
            """,
            updates,
        )
        await conn.executemany(
            """
            INSERT INTO sessions (id, key, source_file, content_hash, heading, title, event,
                year, session_type, number, starts_at, ends_at, start_day, room, format,
                duration_minutes, format_description, source_url, data, added_at, updated_at)
            VALUES (:id, :key, :source_file, :content_hash, :heading, :title, :event, :year,
                :session_type, :number, :starts_at, :ends_at, :start_day, :room, :format,
                :duration_minutes, :format_description, :source_url, :data, :now, :now)
            """,
            inserts,
        )
        if inserts:
            await _set_meta(conn, "last_session_id", str(next_id - 1))
        return added, updated, children, touched

    async def _write_children(self, conn: aiosqlite.Connection, rows: ChildRows) -> set[int]:
        """Insert people and child rows in bulk; returns the ids of the people referenced."""
        person_ids = await _insert_people(conn, rows.people)
        await conn.executemany(
            """
            INSERT INTO session_people
                (session_id, person_id, role, position, name, affiliation, segment, note,
                 organization, stakeholder_group, region)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [(sid, person_ids[key], *rest) for sid, key, *rest in rows.session_people],
        )
        await conn.executemany(
            "INSERT INTO organizers (session_id, position, name) VALUES (?, ?, ?)",
            rows.organizers,
        )
        await conn.executemany(
            "INSERT OR IGNORE INTO session_sdgs (session_id, number, name) VALUES (?, ?, ?)",
            rows.sdgs,
        )
        await conn.executemany(
            "INSERT INTO takeaways (session_id, position, text) VALUES (?, ?, ?)", rows.takeaways
        )
        await conn.executemany(
            "INSERT INTO calls_to_action (session_id, position, text) VALUES (?, ?, ?)",
            rows.calls_to_action,
        )
        await conn.executemany(
            """
            INSERT INTO sessions_fts
                (rowid, title, description, takeaways, calls_to_action, report, people)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            rows.fts,
        )
        return set(person_ids.values())

    async def _tidy_people(
        self,
        conn: aiosqlite.Connection,
        unlinked: set[int],
        linked: set[int],
        spellings: Spellings,
    ) -> None:
        """Delete the `unlinked` people no longer referenced; re-pick the display names of
        the others and of the `linked` ones: of people new in this load from `spellings`,
        of the rest by a query. (Only people who lost rows can have none left: checking
        every person of a cold load for rows cost 0.15 s at 10,000 sessions.)"""
        new = await conn.execute_fetchall(
            "SELECT id, key, name FROM people WHERE id > ?", (spellings.last_id_before,)
        )
        picked = [(id_, key, name) for id_, key, name in new if id_ not in unlinked]
        renamed = spellings.renames(picked)
        if renamed:
            await conn.executemany("UPDATE people SET name = ? WHERE id = ?", renamed)
        linked = linked - {id_ for id_, _, _ in picked}
        if unlinked:
            await conn.execute(
                """
                DELETE FROM people WHERE id IN (SELECT value FROM json_each(?))
                    AND NOT EXISTS (SELECT 1 FROM session_people sp
                                    WHERE sp.person_id = people.id)
                """,
                (json.dumps(sorted(unlinked)),),
            )
        if not unlinked and not linked:
            return
        # Display name = the most common spelling; ties go to the newest session's spelling.
        await conn.execute(
            """
            UPDATE people SET name = (
                SELECT sp.name FROM session_people sp JOIN sessions s ON s.id = sp.session_id
                WHERE sp.person_id = people.id
                GROUP BY sp.name
                ORDER BY COUNT(*) DESC, MAX(COALESCE(s.starts_at, '')) DESC, sp.name
                LIMIT 1)
            WHERE id IN (SELECT value FROM json_each(?))
            """,
            (json.dumps(sorted(unlinked | linked)),),
        )

    @staticmethod
    async def quality(conn: aiosqlite.Connection) -> Quality:
        """How many sessions lack a date, a room, or anyone named in a role; on a load's
        writer, before its commit."""
        rows = await conn.execute_fetchall(
            """
            SELECT COUNT(*), COALESCE(SUM(starts_at IS NULL), 0),
                   COALESCE(SUM(room IS NULL), 0),
                   COALESCE(SUM(NOT EXISTS (SELECT 1 FROM session_people sp
                                            WHERE sp.session_id = s.id
                                              AND sp.role != 'organizer')), 0)
            FROM sessions s
            """
        )
        return Quality(*rows[0])

    async def file_hashes(self) -> dict[str, str]:
        """source_file -> content_hash of every stored session."""
        rows = await self.fetchall("SELECT source_file, content_hash FROM sessions")
        return {row[0]: row[1] for row in rows}

    async def set_meta(self, key: str, value: str | None) -> None:
        async with self.write() as conn:
            await _set_meta(conn, key, value)

    async def get_meta(self, key: str) -> str | None:
        row = await self.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None


class Spellings:
    """The names each person was written under in this load, to pick the display names of
    the people new in it without a query per person (all a new person's rows are this
    load's): the most common spelling; a tie goes to the newest session's, then to the first
    in code-point order, as the query's. At 10,000 sessions that query took 0.49 s at the end
    of a cold load, when nothing else runs; this tally takes 0.06 s, spread over the batches.

    A new person who lost rows within the load (a richer duplicate replaced a file written
    earlier in it) is left to the query."""

    def __init__(self, last_id_before: int) -> None:
        self.last_id_before = last_id_before
        self._seen: dict[str, dict[str, list[Any]]] = {}  # key -> name -> [rows, latest start]

    def count(self, written: Sequence[PreparedSession]) -> None:
        seen = self._seen
        for prepared in written:
            start = prepared.params["starts_at"] or ""
            for key, _role, _position, name, *_ in prepared.session_people:
                tally = seen.setdefault(key, {}).setdefault(name, [0, ""])
                tally[0] += 1
                tally[1] = max(tally[1], start)

    def renames(self, people: Sequence[tuple[int, str, str]]) -> list[tuple[str, int]]:
        """(name, id) for each of these (id, key, name) whose pick is not its name."""
        renamed: list[tuple[str, int]] = []
        for person_id, key, name in people:
            names = self._seen.get(key)
            if not names:
                continue
            # By name, then (stable) by rows and newest start, both descending.
            best = sorted(sorted(names), key=lambda n: tuple(names[n]), reverse=True)[0]
            if best != name:
                renamed.append((best, person_id))
        return renamed


def _note(duplicates: list[Duplicate], duplicate: Duplicate) -> None:
    """Record `duplicate`; a file kept now is no longer a duplicate of an earlier batch's."""
    duplicates[:] = [d for d in duplicates if d.file != duplicate.kept]
    duplicates.append(duplicate)


async def _insert_people(conn: aiosqlite.Connection, people: dict[str, str]) -> dict[str, int]:
    """Insert people not yet known (person key -> display name); returns key -> id."""
    if not people:
        return {}
    await conn.executemany(
        "INSERT INTO people (key, name) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
        list(people.items()),
    )
    found = await conn.execute_fetchall(
        "SELECT id, key FROM people WHERE key IN (SELECT value FROM json_each(?))",
        (json.dumps(list(people)),),
    )
    return {key: person_id for person_id, key in found}


async def _last_person_id(conn: aiosqlite.Connection) -> int:
    """People inserted from now on in this transaction have greater ids (`Spellings`)."""
    return (await conn.execute_fetchall("SELECT COALESCE(MAX(id), 0) FROM people"))[0][0]


async def _set_meta(conn: aiosqlite.Connection, key: str, value: str | None) -> None:
    await conn.execute(
        """
        INSERT INTO meta (key, value) VALUES (?, ?)
        ON CONFLICT(key) DO UPDATE SET value = excluded.value
        """,
        (key, value),
    )
