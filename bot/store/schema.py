"""The database schema: numbered migrations, applied in one transaction when the store opens."""

from __future__ import annotations

import json
import logging
import re
import sqlite3

import aiosqlite

from bot.models import Session
from bot.store.rows import fts_columns

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS sessions (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        source_file TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        heading TEXT NOT NULL,
        title TEXT NOT NULL,
        event TEXT,
        year INTEGER,
        session_type TEXT,
        number INTEGER,
        starts_at TEXT,
        ends_at TEXT,
        start_day TEXT,
        room TEXT,
        format TEXT,
        duration_minutes INTEGER,
        format_description TEXT,
        description TEXT,
        report TEXT,
        source_url TEXT,
        data TEXT NOT NULL,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sessions_start_day ON sessions(start_day);
    CREATE INDEX IF NOT EXISTS sessions_starts_at ON sessions(starts_at);
    CREATE INDEX IF NOT EXISTS sessions_year ON sessions(year);
    CREATE INDEX IF NOT EXISTS sessions_reference ON sessions(session_type, number, year);
    CREATE VIEW IF NOT EXISTS session_summaries AS
        SELECT id, key, heading, title, event, year, session_type, number,
               starts_at, ends_at, start_day, room
        FROM sessions;
    CREATE TABLE IF NOT EXISTS people (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS session_people (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id),
        role TEXT NOT NULL CHECK (role IN
            ('speaker', 'onsite_moderator', 'online_moderator', 'rapporteur')),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        affiliation TEXT,
        segment TEXT,
        note TEXT,
        PRIMARY KEY (session_id, role, position)
    );
    CREATE INDEX IF NOT EXISTS session_people_person ON session_people(person_id);
    CREATE TABLE IF NOT EXISTS organizers (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
    );
    CREATE TABLE IF NOT EXISTS session_sdgs (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        name TEXT,
        PRIMARY KEY (session_id, number)
    );
    CREATE INDEX IF NOT EXISTS session_sdgs_number ON session_sdgs(number);
    CREATE TABLE IF NOT EXISTS takeaways (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (session_id, position)
    );
    CREATE TABLE IF NOT EXISTS calls_to_action (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (session_id, position)
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS sessions_fts USING fts5(
        title, description, takeaways, calls_to_action, report, people,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE IF NOT EXISTS guild_settings (
        guild_id INTEGER PRIMARY KEY,
        channel_id INTEGER,
        post_time TEXT NOT NULL DEFAULT '09:00',
        timezone TEXT NOT NULL DEFAULT 'UTC',
        enabled INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT
    );
    CREATE TABLE IF NOT EXISTS digest_posts (
        guild_id INTEGER NOT NULL,
        local_date TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        message_id INTEGER,
        detail TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, local_date)
    );
    CREATE TABLE IF NOT EXISTS digest_featured (
        guild_id INTEGER NOT NULL,
        session_key TEXT NOT NULL,
        local_date TEXT NOT NULL,
        PRIMARY KEY (guild_id, session_key)
    );
    CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT
    );
    """,
    # v2: the long texts were stored three times (these columns, the `data` JSON and the
    # full-text index); nothing read these columns, and writing them slowed every load.
    "DROP COLUMN IF EXISTS sessions.description, sessions.report",
    # v3: FTS5 wrote its pending index to disk every 1 MB and merged the pieces as it went;
    # every 16 MB makes a 10,000-session load ~1 s faster.
    "INSERT INTO sessions_fts (sessions_fts, rank) VALUES ('hashsize', 16777216)",
    # v4: schedule-change notices (bot.changes) and Discord scheduled events (bot.events).
    # Notices on/off is a table, not a guild_settings column: ADD COLUMN cannot run twice.
    """
    CREATE TABLE IF NOT EXISTS change_settings (
        guild_id INTEGER PRIMARY KEY,
        enabled INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS change_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        changes TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS change_batches_created ON change_batches(created_at);
    CREATE TABLE IF NOT EXISTS change_notices (
        guild_id INTEGER NOT NULL,
        batch_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
        message_id INTEGER,
        detail TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, batch_id)
    );
    CREATE TABLE IF NOT EXISTS event_scopes (
        guild_id INTEGER NOT NULL,
        scope TEXT NOT NULL,
        year INTEGER,
        day TEXT,
        session_type TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, scope)
    );
    CREATE TABLE IF NOT EXISTS guild_events (
        guild_id INTEGER NOT NULL,
        session_key TEXT NOT NULL,
        event_id INTEGER,
        status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'failed')),
        name TEXT,
        location TEXT,
        starts_at TEXT,
        ends_at TEXT,
        detail TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, session_key)
    );
    """,
    # v5: reminders (bot/reminders/ledger.py): one per user and session key.
    """
    CREATE TABLE IF NOT EXISTS reminders (
        user_id INTEGER NOT NULL,
        session_key TEXT NOT NULL,
        title TEXT NOT NULL,
        minutes_before INTEGER NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT,
        due_at TEXT NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('scheduled', 'pending', 'sent', 'missed', 'failed', 'gone')),
        detail TEXT,
        late INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, session_key)
    );
    CREATE INDEX IF NOT EXISTS reminders_due ON reminders(status, due_at);
    CREATE INDEX IF NOT EXISTS reminders_session ON reminders(session_key);
    """,
    # v6 (issue #17): pages fetched from the IGF website, the "new takeaways" posts, and when
    # each session's takeaways/calls to action last appeared or changed. See bot/sources/ledger.py.
    """
    CREATE TABLE IF NOT EXISTS sources (
        url TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('session', 'list')),
        found_on TEXT,
        added_by INTEGER,
        added_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_fetched_at TEXT,
        last_changed_at TEXT,
        last_error TEXT,
        text_sha256 TEXT
    );
    CREATE INDEX IF NOT EXISTS sources_found_on ON sources (found_on);
    CREATE TABLE IF NOT EXISTS news_settings (
        guild_id INTEGER PRIMARY KEY,
        enabled INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS news_posts (
        guild_id INTEGER NOT NULL,
        session_key TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        message_id INTEGER,
        detail TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, session_key, text_hash)
    );
    CREATE TABLE IF NOT EXISTS outcomes_seen (
        session_key TEXT PRIMARY KEY,
        outcomes_hash TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        announce INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS outcomes_seen_first ON outcomes_seen (first_seen_at);
    """,
    # v7 (issue #14): a stemmed full-text index ("shutdown" finds "Shutdowns") with prefix
    # indexes for the last word typed (3 to 5 letters, see bot.store.search), and more of
    # what a card shows in the description column (bot.store.rows.fts_columns).
    # `_REFILL_FTS` then fills it from every session's record.
    """
    DROP TABLE IF EXISTS sessions_fts;
    CREATE VIRTUAL TABLE sessions_fts USING fts5(
        title, description, takeaways, calls_to_action, report, people,
        tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3 4 5'
    );
    INSERT INTO sessions_fts (sessions_fts, rank) VALUES ('hashsize', 16777216);
    """,
    # v8 (issue #13): organisers who are people have role rows ('organizer'), and each role
    # row keeps the affiliation's organisation, stakeholder group and region apart. SQLite
    # cannot change a CHECK, so the table is made anew; emptying the content hashes makes the
    # next load re-make every session's rows (the stored rows lack both).
    """
    CREATE TABLE session_people_v8 (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id),
        role TEXT NOT NULL CHECK (role IN
            ('speaker', 'onsite_moderator', 'online_moderator', 'rapporteur', 'organizer')),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        affiliation TEXT,
        segment TEXT,
        note TEXT,
        organization TEXT,
        stakeholder_group TEXT,
        region TEXT,
        PRIMARY KEY (session_id, role, position)
    );
    INSERT INTO session_people_v8
        (session_id, person_id, role, position, name, affiliation, segment, note)
        SELECT session_id, person_id, role, position, name, affiliation, segment, note
        FROM session_people;
    DROP TABLE session_people;
    ALTER TABLE session_people_v8 RENAME TO session_people;
    CREATE INDEX IF NOT EXISTS session_people_person ON session_people(person_id);
    UPDATE sessions SET content_hash = '';
    """,
    # v9 (issue #13): the full-text index without v7's prefix indexes. They made a cold load
    # of 10,000 sessions 23% slower (8.3 s against 6.7 s, 286 MB against 228 MB) for the
    # last word typed unfinished ("cyber"), which FTS5 still matches without them, by
    # merging the word's range at query time (see bot.store.search).
    """
    DROP TABLE IF EXISTS sessions_fts;
    CREATE VIRTUAL TABLE sessions_fts USING fts5(
        title, description, takeaways, calls_to_action, report, people,
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    INSERT INTO sessions_fts (sessions_fts, rank) VALUES ('hashsize', 16777216);
    """,
)
"""Migration N (1-based) brings ``user_version`` from N-1 to N. Append, never edit.

SQLite has no ``DROP COLUMN IF EXISTS``; a migration written that way is run by
`_drop_columns`, so that every migration can run twice (see `migrate`).
"""
_DROP_COLUMNS_RE = re.compile(r"^DROP COLUMN IF EXISTS (.+)$")
# Migrations that made sessions_fts anew: after them, every session is indexed again.
_REFILL_FTS = frozenset({7, 9})

SCHEMA_VERSION = len(MIGRATIONS)


def split_sql(script: str) -> list[str]:
    """Split a script into statements (``executescript`` would COMMIT our transaction)."""
    statements: list[str] = []
    buffer = ""
    for part in script.split(";"):
        buffer += part + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                statements.append(buffer.strip())
            buffer = ""
    return statements


async def _drop_columns(conn: aiosqlite.Connection, columns: str) -> None:
    """Drop "table.column, …" where they exist."""
    for qualified in columns.split(","):
        table, column = qualified.strip().split(".")
        existing = {row[1] for row in await conn.execute_fetchall(f"PRAGMA table_info({table})")}
        if column in existing:
            await conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


async def migrate(conn: aiosqlite.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION in one transaction (no-op when current)."""
    await conn.execute("BEGIN IMMEDIATE")
    try:
        row = await (await conn.execute("PRAGMA user_version")).fetchone()
        version = int(row[0])
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema v{version} is newer than this code (v{SCHEMA_VERSION})"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            await _run_migration(conn, MIGRATIONS[number - 1])
            if number in _REFILL_FTS:
                await _refill_fts(conn)
            await conn.execute(f"PRAGMA user_version = {number:d}")
            log.info("database migrated to schema v%d", number)
        await conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise


async def _run_migration(conn: aiosqlite.Connection, migration: str) -> None:
    drop = _DROP_COLUMNS_RE.match(migration)
    if drop:
        await _drop_columns(conn, drop.group(1))
        return
    for statement in split_sql(migration):
        await conn.execute(statement)


async def _refill_fts(conn: aiosqlite.Connection) -> None:
    """Index every stored session again, from its record (the loader's own columns)."""
    rows = await conn.execute_fetchall("SELECT id, data FROM sessions")
    await conn.executemany(
        """
        INSERT INTO sessions_fts
            (rowid, title, description, takeaways, calls_to_action, report, people)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        [(row[0], *fts_columns(Session.from_json(json.loads(row[1])))) for row in rows],
    )
