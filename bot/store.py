"""SQLite storage for IGF session records: atomic loads, snapshot-consistent queries.

Two aiosqlite connections share one WAL database file:

* the *writer* runs every write. A load (`Store.apply`) is ONE ``BEGIN IMMEDIATE``
  transaction, serialised by an ``asyncio.Lock``; any exception rolls it back, so a failed
  load leaves the previous data untouched. Guild/digest bookkeeping also goes through the
  writer (and the same lock, so it never lands inside - or is rolled back with - a load).
* the *reader* runs every query (``PRAGMA query_only``). Each query method reads inside one
  read transaction, so under WAL it sees one committed snapshot: the data before a load or
  after it, never half, even while an ``await``-interleaved load is in progress.

All SQL is constant text with ``?``/``:name`` parameters; user text never becomes SQL.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Self

import aiosqlite

from bot.models import (
    ApplyResult,
    Counts,
    FileChange,
    Person,
    PersonDetail,
    PersonRole,
    PersonSummary,
    SearchHit,
    Session,
    SessionSummary,
    Speaker,
)
from bot.names import fold, person_key, strip_honorifics
from bot.vocabulary import normalize_session_type, parse_reference

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- schema

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
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
    );
    CREATE TABLE IF NOT EXISTS calls_to_action (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
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
    # v4 (issue #17): pages fetched from the IGF website, the "new takeaways" posts, and when
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
)
"""Migration N (1-based) brings ``user_version`` from N-1 to N. Append, never edit.

SQLite has no ``DROP COLUMN IF EXISTS``; a migration written that way is run by
`_drop_columns`, so that every migration can run twice (see `_migrate`).
"""
_DROP_COLUMNS_RE = re.compile(r"^DROP COLUMN IF EXISTS (.+)$")

SCHEMA_VERSION = len(MIGRATIONS)

_ROLES: tuple[tuple[str, str], ...] = (
    ("speaker", "speakers"),
    ("onsite_moderator", "onsite_moderators"),
    ("online_moderator", "online_moderators"),
    ("rapporteur", "rapporteurs"),
)
_BUSY_TIMEOUT_MS = 10_000
# bm25 costs ~2.5 µs per matching session, and a query of common words matches half the
# archive. Search ranks a slice of the ids on each reader at once (SQLite releases the GIL);
# bm25 takes its IDF from the whole table, so the merged ranking is the one-reader ranking.
SEARCH_READERS = 2
# A write that rewrites or removes this many sessions leaves their old index entries in
# FTS5 segments until merges reach them: after a re-import of 10,000 sessions, search p99
# went from ~11 to ~20 ms. Such a write is followed by a full merge ('optimize', 0.3-0.5 s
# at 10,000 sessions), in the background; smaller writes leave it to FTS5's automerge.
FTS_OPTIMIZE_AFTER = 1000
_MAX_QUERY_CHARS = 500
_MAX_QUERY_TOKENS = 12
_SNIPPET_CHARS = 200
# bm25 column weights: a title match outranks everything; "people" holds speaker and
# moderator names, affiliations and organizers.
_BM25_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "w_title": 10.0,
        "w_description": 2.0,
        "w_takeaways": 4.0,
        "w_calls": 4.0,
        "w_report": 1.0,
        "w_people": 1.0,
    }
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKDOWN_RE = re.compile(r"([\\*_~`|>])")


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _utc_iso(value: datetime | None) -> str | None:
    """Fixed-width UTC ISO text, so text order is time order. Naive times are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _summary(row: sqlite3.Row) -> SessionSummary:
    return SessionSummary(
        id=row["id"],
        key=row["key"],
        heading=row["heading"],
        title=row["title"],
        event=row["event"],
        year=row["year"],
        session_type=row["session_type"],
        number=row["number"],
        starts_at=_parse_dt(row["starts_at"]),
        ends_at=_parse_dt(row["ends_at"]),
        room=row["room"],
    )


_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "which",
        "with",
    ]
)


def fts_query(text: str, operator: Literal["AND", "OR"] = "AND") -> str | None:
    """A safe FTS5 MATCH expression from arbitrary user text, or None if it has no words.

    Only letter/digit runs survive, each quoted as an FTS string, so operators, column
    filters, ``NEAR(``, ``*``, quotes and control characters in the input are inert.
    """
    tokens = re.findall(r"[^\W_]+", text[:_MAX_QUERY_CHARS])[:_MAX_QUERY_TOKENS]
    # Words on nearly every page ("the", "of") add nothing to an AND query but make it
    # rank thousands of matches; keep them only when the query has nothing else.
    meaningful = [t for t in tokens if t.casefold() not in _STOPWORDS]
    tokens = meaningful or tokens
    if not tokens:
        return None
    quoted = ['"' + token[:64].replace('"', '""') + '"' for token in tokens]
    return f" {operator} ".join(quoted)


def discord_snippet(raw: str, limit: int = _SNIPPET_CHARS) -> str:
    """FTS snippet (match markers \\x02/\\x03) -> escaped Discord markdown with ``**`` bold."""
    text = _MARKDOWN_RE.sub(r"\\\1", " ".join(raw.split()))
    text = text.replace("\x02", "**").replace("\x03", "**")
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip("\\")
        if text.count("**") % 2:
            text += "**"
        text += "…"
    return text


async def _rank(readers: Sequence[aiosqlite.Connection], params: dict[str, Any]) -> list:
    """The best `limit` matches: each reader ranks one slice of the ids, then one merge."""
    filtered = params["year"] is not None or params["session_type"] is not None
    sql = _SQL_SEARCH_RANK if filtered else _SQL_SEARCH_RANK_UNFILTERED
    first, last = (await readers[0].execute_fetchall(_SQL_ID_RANGE))[0]
    if first is None:
        return []
    slices = _id_slices(first, last, len(readers))
    parts = await asyncio.gather(
        *(
            conn.execute_fetchall(sql, params | {"first": a, "last": b})
            for conn, (a, b) in zip(readers, slices, strict=True)
        )
    )
    return sorted((row for part in parts for row in part), key=_rank_order)[: params["limit"]]


async def _snippet_rows(conn: aiosqlite.Connection, match: str, ranked: list) -> list:
    if not ranked:
        return []
    ids = json.dumps([row["id"] for row in ranked])
    return list(await conn.execute_fetchall(_SQL_SEARCH_SNIPPETS, {"match": match, "ids": ids}))


def _id_slices(first: int, last: int, count: int) -> list[tuple[int, int]]:
    """`count` contiguous id ranges covering first..last."""
    step = (last - first) // count + 1
    return [(first + i * step, min(last, first + (i + 1) * step - 1)) for i in range(count)]


def _rank_order(row: sqlite3.Row) -> tuple[float, int]:
    """The ranking queries' ORDER BY: best bm25 first, then the newest id."""
    return row["score"], -row["id"]


def _fts_text(values: Iterable[str | None]) -> str:
    return _CONTROL_RE.sub(" ", "\n".join(v for v in values if v))


# --------------------------------------------------------------------------- SQL

_SQL_EXISTING = "SELECT id, source_file, key, title FROM sessions"
_SQL_ALL_KEYS = "SELECT key, id FROM sessions"
_SQL_NEXT_ID = "SELECT COALESCE(MAX(id), 0) + 1 FROM sessions"
_SQL_INSERT_SESSION = """
    INSERT INTO sessions (id, key, source_file, content_hash, heading, title, event, year,
        session_type, number, starts_at, ends_at, start_day, room, format, duration_minutes,
        format_description, source_url, data, added_at, updated_at)
    VALUES (:id, :key, :source_file, :content_hash, :heading, :title, :event, :year,
        :session_type, :number, :starts_at, :ends_at, :start_day, :room, :format,
        :duration_minutes, :format_description, :source_url, :data, :now, :now)
"""
_SQL_UPDATE_SESSION = """
    UPDATE sessions SET key = :key, content_hash = :content_hash, heading = :heading,
        title = :title, event = :event, year = :year, session_type = :session_type,
        number = :number, starts_at = :starts_at, ends_at = :ends_at, start_day = :start_day,
        room = :room, format = :format, duration_minutes = :duration_minutes,
        format_description = :format_description, source_url = :source_url, data = :data,
        updated_at = :now
    WHERE id = :id
"""
_SQL_PEOPLE_OF = """
    SELECT DISTINCT person_id FROM session_people
    WHERE session_id IN (SELECT value FROM json_each(?))
"""
_SQL_DELETE_CHILDREN = (
    "DELETE FROM session_people WHERE session_id IN (SELECT value FROM json_each(?))",
    "DELETE FROM organizers WHERE session_id IN (SELECT value FROM json_each(?))",
    "DELETE FROM session_sdgs WHERE session_id IN (SELECT value FROM json_each(?))",
    "DELETE FROM takeaways WHERE session_id IN (SELECT value FROM json_each(?))",
    "DELETE FROM calls_to_action WHERE session_id IN (SELECT value FROM json_each(?))",
    "DELETE FROM sessions_fts WHERE rowid IN (SELECT value FROM json_each(?))",
)
_SQL_DELETE_SESSIONS = "DELETE FROM sessions WHERE id IN (SELECT value FROM json_each(?))"
_SQL_INSERT_PERSON = "INSERT INTO people (key, name) VALUES (?, ?) ON CONFLICT(key) DO NOTHING"
_SQL_PERSON_IDS = "SELECT id, key FROM people WHERE key IN (SELECT value FROM json_each(?))"
_SQL_INSERT_SESSION_PERSON = """
    INSERT INTO session_people
        (session_id, person_id, role, position, name, affiliation, segment, note)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
_SQL_INSERT_ORGANIZER = "INSERT INTO organizers (session_id, position, name) VALUES (?, ?, ?)"
_SQL_INSERT_SDG = "INSERT OR IGNORE INTO session_sdgs (session_id, number, name) VALUES (?, ?, ?)"
_SQL_INSERT_TAKEAWAY = "INSERT INTO takeaways (session_id, position, text) VALUES (?, ?, ?)"
_SQL_INSERT_CALL = "INSERT INTO calls_to_action (session_id, position, text) VALUES (?, ?, ?)"
_SQL_INSERT_FTS = """
    INSERT INTO sessions_fts
        (rowid, title, description, takeaways, calls_to_action, report, people)
    VALUES (?, ?, ?, ?, ?, ?, ?)
"""
_SQL_DELETE_ORPHANS = """
    DELETE FROM people WHERE id IN (SELECT value FROM json_each(?))
        AND NOT EXISTS (SELECT 1 FROM session_people sp WHERE sp.person_id = people.id)
"""
# Display name = the most common spelling; ties go to the newest session's spelling.
_SQL_RENAME_PEOPLE = """
    UPDATE people SET name = (
        SELECT sp.name FROM session_people sp JOIN sessions s ON s.id = sp.session_id
        WHERE sp.person_id = people.id
        GROUP BY sp.name
        ORDER BY COUNT(*) DESC, MAX(COALESCE(s.starts_at, '')) DESC, sp.name
        LIMIT 1)
    WHERE id IN (SELECT value FROM json_each(?))
"""
_SQL_SET_META = """
    INSERT INTO meta (key, value) VALUES (?, ?)
    ON CONFLICT(key) DO UPDATE SET value = excluded.value
"""
_SQL_SESSION_DATA = "SELECT data FROM sessions WHERE id = ?"
_SQL_SUMMARY_BY_ID = "SELECT * FROM session_summaries WHERE id = ?"
_SQL_SUMMARY_BY_KEY = "SELECT * FROM session_summaries WHERE key = ?"
_SQL_BY_REFERENCE = """
    SELECT * FROM session_summaries
    WHERE session_type = ? COLLATE NOCASE AND number = ? AND (? IS NULL OR year = ?)
    ORDER BY year DESC NULLS LAST, starts_at DESC NULLS LAST, id DESC
"""
_SQL_ALL_SESSIONS = """
    SELECT * FROM session_summaries
    ORDER BY starts_at DESC NULLS LAST, year DESC NULLS LAST, id DESC
"""
_SQL_ALL_PEOPLE = """
    SELECT p.id, p.key, p.name, COUNT(DISTINCT sp.session_id) AS session_count
    FROM people p JOIN session_people sp ON sp.person_id = p.id
    GROUP BY p.id
    ORDER BY session_count DESC, p.name COLLATE NOCASE, p.id
"""
_SQL_PERSON = "SELECT id, key, name FROM people WHERE id = ?"
_SQL_PERSON_SUMMARY = """
    SELECT p.id, p.key, p.name, COUNT(DISTINCT sp.session_id) AS session_count
    FROM people p JOIN session_people sp ON sp.person_id = p.id
    WHERE p.id = ?
    GROUP BY p.id
"""
_SQL_ADDED_SINCE = """
    SELECT * FROM session_summaries
    WHERE id IN (SELECT id FROM sessions WHERE added_at > ?)
    ORDER BY starts_at NULLS LAST, id
"""
_SQL_PERSON_ROLES = """
    SELECT v.*, sp.role AS role, sp.affiliation AS affiliation, sp.segment AS segment,
           sp.note AS note
    FROM session_people sp JOIN session_summaries v ON v.id = sp.session_id
    WHERE sp.person_id = ?
    ORDER BY v.starts_at DESC NULLS LAST, v.year DESC NULLS LAST, v.id DESC,
             sp.role, sp.position
"""
# Search is two queries: rank every match (bm25), then make snippets for the top few only;
# snippet() in the ranking query ran for every match (~100 ms at 10k). Both run on every
# reader at once, each on a share of the work (see SEARCH_READERS).
_SQL_SEARCH_RANK = """
    SELECT sessions_fts.rowid AS id,
           bm25(sessions_fts, :w_title, :w_description, :w_takeaways, :w_calls, :w_report,
                :w_people) AS score
    FROM sessions_fts JOIN session_summaries v ON v.id = sessions_fts.rowid
    WHERE sessions_fts MATCH :match AND sessions_fts.rowid BETWEEN :first AND :last
      AND (:year IS NULL OR v.year = :year)
      AND (:session_type IS NULL OR v.session_type = :session_type COLLATE NOCASE)
    ORDER BY score, id DESC
    LIMIT :limit
"""
# Without filters, rank inside the full-text table alone: joining every match to the
# sessions view before the LIMIT made common-word queries ~2x slower at 10,000 sessions.
_SQL_SEARCH_RANK_UNFILTERED = """
    SELECT rowid AS id,
           bm25(sessions_fts, :w_title, :w_description, :w_takeaways, :w_calls, :w_report,
                :w_people) AS score
    FROM sessions_fts
    WHERE sessions_fts MATCH :match AND rowid BETWEEN :first AND :last
    ORDER BY score, rowid DESC
    LIMIT :limit
"""
_SQL_SEARCH_SNIPPETS = """
    SELECT v.*, snippet(sessions_fts, -1, char(2), char(3), '…', 24) AS snippet
    FROM sessions_fts JOIN session_summaries v ON v.id = sessions_fts.rowid
    WHERE sessions_fts MATCH :match
      AND sessions_fts.rowid IN (SELECT value FROM json_each(:ids))
"""
# Two subqueries: SQLite reads MIN or MAX of a primary key from the index only when it is
# alone in its query; together they scanned the table.
_SQL_ID_RANGE = "SELECT (SELECT MIN(id) FROM sessions), (SELECT MAX(id) FROM sessions)"
_SQL_FTS_OPTIMIZE = "INSERT INTO sessions_fts (sessions_fts) VALUES ('optimize')"
_SQL_GENERATION = "SELECT value FROM meta WHERE key = 'generation'"
_SQL_NEXT_GENERATION = """
    INSERT INTO meta (key, value) VALUES ('generation', 1)
    ON CONFLICT(key) DO UPDATE SET value = value + 1
"""
_SQL_FILTERED = """
    SELECT v.* FROM session_summaries v
    WHERE (:year IS NULL OR v.year = :year)
      AND (:session_type IS NULL OR v.session_type = :session_type COLLATE NOCASE)
      AND (:sdg IS NULL OR EXISTS
            (SELECT 1 FROM session_sdgs g WHERE g.session_id = v.id AND g.number = :sdg))
      AND (:day IS NULL OR v.start_day = :day)
      AND (:starts_from IS NULL OR v.starts_at >= :starts_from)
      AND (:starts_before IS NULL OR v.starts_at < :starts_before)
    ORDER BY v.starts_at NULLS LAST, v.id
    LIMIT :limit
"""
_SQL_LATEST_WITH: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "takeaways": (
            """
            SELECT v.* FROM session_summaries v
            WHERE EXISTS (SELECT 1 FROM takeaways t WHERE t.session_id = v.id)
            ORDER BY v.starts_at DESC NULLS LAST, v.year DESC NULLS LAST, v.id DESC
            LIMIT ?
            """,
            """
            SELECT session_id, text FROM takeaways
            WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY session_id, position
            """,
        ),
        "calls_to_action": (
            """
            SELECT v.* FROM session_summaries v
            WHERE EXISTS (SELECT 1 FROM calls_to_action t WHERE t.session_id = v.id)
            ORDER BY v.starts_at DESC NULLS LAST, v.year DESC NULLS LAST, v.id DESC
            LIMIT ?
            """,
            """
            SELECT session_id, text FROM calls_to_action
            WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY session_id, position
            """,
        ),
    }
)
_SQL_COUNTS = (
    "SELECT COUNT(*) FROM sessions",
    "SELECT COUNT(*) FROM people",
    "SELECT COUNT(*) FROM takeaways",
    "SELECT COUNT(*) FROM calls_to_action",
)
_SQL_YEARS = "SELECT DISTINCT year FROM sessions WHERE year IS NOT NULL ORDER BY year DESC"
_SQL_TYPES = """
    SELECT DISTINCT session_type FROM sessions WHERE session_type IS NOT NULL
    ORDER BY session_type
"""


# --------------------------------------------------------------------------- load plan


@dataclass(slots=True)
class _Existing:
    id: int
    key: str
    title: str


@dataclass(slots=True)
class PreparedSession:
    """One session turned into rows, without session id or key (assigned in the transaction).

    Built by `prepare_session` away from the event loop: `Session.to_json`, name folding and
    FTS text are ~0.3 ms a session. The loader builds them in its parser worker processes,
    so that a full load's main process only writes.
    """

    source_file: str
    title: str
    session_key: str
    params: dict[str, Any]  # the sessions row
    people: list[tuple[str, str]]  # (person key, display name)
    session_people: list[tuple[Any, ...]]  # (person key, role, position, name, aff., …)
    organizers: list[tuple[Any, ...]]
    sdgs: list[tuple[Any, ...]]
    takeaways: list[tuple[Any, ...]]
    calls: list[tuple[Any, ...]]
    fts: tuple[Any, ...]

    def __reduce__(self) -> tuple[type[PreparedSession], tuple[Any, ...]]:
        # Worker processes send these to the main process. A slotted dataclass pickles
        # through Python-level __getstate__/__setstate__: 0.84 s out and 1.6 s in for
        # 10,000 sessions, against 0.40 s and 0.68 s as plain constructor arguments.
        return PreparedSession, tuple(getattr(self, name) for name in _PREPARED_FIELDS)


_PREPARED_FIELDS = tuple(f.name for f in fields(PreparedSession))


def prepare_session(source_file: str, content_hash: str, session: Session) -> PreparedSession:
    session_people: list[tuple[Any, ...]] = []
    for role, attribute in _ROLES:
        entries: list[Person] | list[Speaker] = getattr(session, attribute)
        for position, entry in enumerate(entries):
            key = person_key(entry.name)
            if key:  # a name of punctuation only stays in `data` but is not a person
                display = strip_honorifics(entry.name)
                segment, note = getattr(entry, "segment", None), getattr(entry, "note", None)
                session_people.append(
                    (key, role, position, display, entry.affiliation, segment, note)
                )
    return PreparedSession(
        source_file=source_file,
        title=session.title,
        session_key=session.key,
        params=_session_params(source_file, content_hash, session),
        people=[(row[0], row[3]) for row in session_people],
        session_people=session_people,
        organizers=list(enumerate(session.organizers)),
        sdgs=[(g.number, g.name) for g in session.sdgs],
        takeaways=list(enumerate(session.key_takeaways)),
        calls=list(enumerate(session.calls_to_action)),
        fts=_fts_columns(session),
    )


def _prepare_all(upserts: Sequence[tuple[str, str, Session]]) -> list[PreparedSession]:
    return [prepare_session(*upsert) for upsert in upserts]


@dataclass(slots=True)
class _ChildRows:
    """Child rows of the sessions written by one `apply`, inserted with executemany."""

    people: dict[str, str]  # person key -> a display name (placeholder until renamed)
    session_people: list[tuple[Any, ...]]
    organizers: list[tuple[Any, ...]]
    sdgs: list[tuple[Any, ...]]
    takeaways: list[tuple[Any, ...]]
    calls: list[tuple[Any, ...]]
    fts: list[tuple[Any, ...]]

    @classmethod
    def empty(cls) -> _ChildRows:
        return cls({}, [], [], [], [], [], [])

    def add(self, session_id: int, prepared: PreparedSession) -> None:
        for key, display in prepared.people:
            self.people.setdefault(key, display)
        # session_people keeps the person key until people are inserted and have ids.
        self.session_people += [(session_id, *row) for row in prepared.session_people]
        self.organizers += [(session_id, *row) for row in prepared.organizers]
        self.sdgs += [(session_id, *row) for row in prepared.sdgs]
        self.takeaways += [(session_id, *row) for row in prepared.takeaways]
        self.calls += [(session_id, *row) for row in prepared.calls]
        self.fts.append((session_id, *prepared.fts))


def _fts_columns(session: Session) -> tuple[str, ...]:
    people: list[Person | Speaker] = [
        *session.speakers,
        *session.onsite_moderators,
        *session.online_moderators,
        *session.rapporteurs,
    ]
    return (
        _fts_text([session.title]),
        _fts_text([session.description]),
        _fts_text(session.key_takeaways),
        _fts_text(session.calls_to_action),
        _fts_text([session.report]),
        _fts_text([*(f"{p.name} {p.affiliation or ''}" for p in people), *session.organizers]),
    )


def _session_params(source_file: str, content_hash: str, session: Session) -> dict[str, Any]:
    starts_at = _utc_iso(session.starts_at)
    return {
        "source_file": source_file,
        "content_hash": content_hash,
        "heading": session.heading,
        "title": session.title,
        "event": session.event,
        "year": session.year,
        "session_type": session.session_type,
        "number": session.number,
        "starts_at": starts_at,
        "ends_at": _utc_iso(session.ends_at),
        "start_day": starts_at[:10] if starts_at else None,
        "room": session.room,
        "format": session.format,
        "duration_minutes": session.duration_minutes,
        "format_description": session.format_description,
        "source_url": session.source_url,
        "data": json.dumps(session.to_json(), ensure_ascii=False),
        "now": _now(),
    }


class _KeyAllocator:
    """Unique session keys within one load: a duplicate `Session.key` gets -2, -3, …"""

    def __init__(self, owners: dict[str, int]) -> None:
        self._owners = owners  # key -> session id

    def release(self, key: str) -> None:
        self._owners.pop(key, None)

    def claim(self, base: str, current: str | None, owner: int | None) -> str:
        # Keep an existing key that still derives from the same base: keys must stay stable
        # (digests remember featured keys), even if a lower suffix became free.
        if (
            current is not None
            and re.fullmatch(re.escape(base) + r"(?:-\d+)?", current)
            and self._owners.get(current) in (None, owner)
        ):
            return current
        candidate, n = base, 1
        while self._owners.get(candidate) not in (None, owner):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def bind(self, key: str, owner: int) -> None:
        self._owners[key] = owner


# --------------------------------------------------------------------------- store


class Store:
    """The bot's database. Create with ``await Store.open(path)``; see module docstring."""

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
    async def open(cls, path: str | Path) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(path)
        try:
            await writer.execute("PRAGMA journal_mode = WAL")
            await writer.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints run after the commit, off the caller's path (see `_maintain_later`).
            await writer.execute("PRAGMA wal_autocheckpoint = 0")
            await _migrate(writer)
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
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction on the writer; rolled back on any exception."""
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
                    await conn.execute("ROLLBACK")
                raise
            self._maintain_later()

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
            try:
                await self._writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except (sqlite3.Error, ValueError) as exc:  # ValueError: closed under us
                log.warning("WAL checkpoint failed: %s", exc)
            self.last_checkpoint_s = time.perf_counter() - start

    async def _optimize_fts(self) -> None:
        start = time.perf_counter()
        try:
            async with self._transaction() as conn:
                await conn.execute(_SQL_FTS_OPTIMIZE)
        except (sqlite3.Error, ValueError) as exc:
            log.warning("full-text index merge failed: %s", exc)
            return
        self.last_optimize_s = time.perf_counter() - start
        log.info("full-text index merged in %.2f s", self.last_optimize_s)

    @asynccontextmanager
    async def _snapshot(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read transaction on the reader: every statement sees the same commit."""
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

    async def _fetchall(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list:
        async with self._snapshot() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def _fetchone(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    # Public connection primitives for modules that keep their SQL next to their own
    # methods (bot/digest/ledger.py). Stand-ins: i11-store provides the same names.
    def write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """The writer connection in one BEGIN IMMEDIATE transaction, under the write lock."""
        return self._transaction()

    def read(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """The reader connection in one snapshot."""
        return self._snapshot()

    async def fetchall(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list:
        return await self._fetchall(sql, params)

    async def fetchone(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        return await self._fetchone(sql, params)

    # ----------------------------------------------------------------- loading

    async def apply(
        self,
        upserts: Sequence[tuple[str, str, Session]],
        removals: Sequence[str],
    ) -> ApplyResult:
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
    ) -> ApplyResult:
        """`apply` for a load too big to hold at once, of sessions made into rows by
        `prepare_session`: batches are written as they come, all inside one transaction, so
        readers still see the old data or the new, never half. A source file must not
        appear in two batches."""
        async with self._transaction() as conn:
            existing = {
                row[1]: _Existing(row[0], row[2], row[3])
                for row in await conn.execute_fetchall(_SQL_EXISTING)
            }
            owners = {row[0]: row[1] for row in await conn.execute_fetchall(_SQL_ALL_KEYS)}
            keys = _KeyAllocator(owners)
            removed, touched = await self._remove(conn, removals, existing, keys)
            added: list[FileChange] = []
            updated: list[FileChange] = []
            async for batch in batches:
                latest = {prepared.source_file: prepared for prepared in batch}
                new, changed, children, retouched = await self._write_sessions(
                    conn, list(latest.values()), existing, keys
                )
                added += new
                updated += changed
                touched |= retouched
                touched |= await self._write_children(conn, children)
            await self._tidy_people(conn, touched)
            await conn.execute(_SQL_SET_META, ("loaded_at", _now()))
            await conn.execute(_SQL_NEXT_GENERATION)
        log.info("load: %d added, %d updated, %d removed", len(added), len(updated), len(removed))
        if len(updated) + len(removed) >= FTS_OPTIMIZE_AFTER:
            self._maintain_later(optimize_fts=True)
        return ApplyResult(added, updated, removed)

    async def _remove(
        self,
        conn: aiosqlite.Connection,
        removals: Sequence[str],
        existing: dict[str, _Existing],
        keys: _KeyAllocator,
    ) -> tuple[list[FileChange], set[int]]:
        gone = [(f, existing.pop(f)) for f in dict.fromkeys(removals) if f in existing]
        touched = await self._clear_children(conn, [e.id for _, e in gone])
        if gone:
            await conn.execute(_SQL_DELETE_SESSIONS, (json.dumps([e.id for _, e in gone]),))
        for _, entry in gone:
            keys.release(entry.key)
        return [FileChange(f, e.key, e.title) for f, e in gone], touched

    async def _clear_children(self, conn: aiosqlite.Connection, session_ids: list[int]) -> set[int]:
        """Delete the child rows of these sessions; returns the people they referenced."""
        if not session_ids:
            return set()
        ids = json.dumps(session_ids)
        touched = {row[0] for row in await conn.execute_fetchall(_SQL_PEOPLE_OF, (ids,))}
        for sql in _SQL_DELETE_CHILDREN:
            await conn.execute(sql, (ids,))
        return touched

    async def _write_sessions(
        self,
        conn: aiosqlite.Connection,
        upserts: list[PreparedSession],
        existing: dict[str, _Existing],
        keys: _KeyAllocator,
    ) -> tuple[list[FileChange], list[FileChange], _ChildRows, set[int]]:
        """Insert or update the session rows; child rows are collected, not yet written.

        New sessions get ids here (MAX(id)+1 upward, as SQLite would), so that all rows go
        in with executemany: one await per session made a 10,000-session load take ~30 s.
        Safe because BEGIN IMMEDIATE makes this the only writer. Updates run before
        inserts, in order, so a key an update gives up is free before an insert takes it.
        """
        stale = [existing[u.source_file].id for u in upserts if u.source_file in existing]
        touched = await self._clear_children(conn, stale)
        next_id = (await conn.execute_fetchall(_SQL_NEXT_ID))[0][0]
        children = _ChildRows.empty()
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
        await conn.executemany(_SQL_UPDATE_SESSION, updates)
        await conn.executemany(_SQL_INSERT_SESSION, inserts)
        return added, updated, children, touched

    async def _write_children(self, conn: aiosqlite.Connection, rows: _ChildRows) -> set[int]:
        """Insert people and child rows in bulk; returns the ids of the people referenced."""
        person_ids: dict[str, int] = {}
        if rows.people:
            await conn.executemany(_SQL_INSERT_PERSON, list(rows.people.items()))
            found = await conn.execute_fetchall(_SQL_PERSON_IDS, (json.dumps(list(rows.people)),))
            person_ids = {key: person_id for person_id, key in found}
        await conn.executemany(
            _SQL_INSERT_SESSION_PERSON,
            [(sid, person_ids[key], *rest) for sid, key, *rest in rows.session_people],
        )
        await conn.executemany(_SQL_INSERT_ORGANIZER, rows.organizers)
        await conn.executemany(_SQL_INSERT_SDG, rows.sdgs)
        await conn.executemany(_SQL_INSERT_TAKEAWAY, rows.takeaways)
        await conn.executemany(_SQL_INSERT_CALL, rows.calls)
        await conn.executemany(_SQL_INSERT_FTS, rows.fts)
        return set(person_ids.values())

    async def _tidy_people(self, conn: aiosqlite.Connection, touched: set[int]) -> None:
        """Delete people no longer referenced; re-pick display names of the others."""
        if touched:
            ids = json.dumps(sorted(touched))
            await conn.execute(_SQL_DELETE_ORPHANS, (ids,))
            await conn.execute(_SQL_RENAME_PEOPLE, (ids,))

    async def file_hashes(self) -> dict[str, str]:
        """source_file -> content_hash of every stored session."""
        rows = await self._fetchall("SELECT source_file, content_hash FROM sessions")
        return {row[0]: row[1] for row in rows}

    async def set_meta(self, key: str, value: str | None) -> None:
        async with self._transaction() as conn:
            await conn.execute(_SQL_SET_META, (key, value))

    async def get_meta(self, key: str) -> str | None:
        row = await self._fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    # ----------------------------------------------------------------- sessions

    async def session(self, session_id: int) -> Session | None:
        """The full record, exactly as loaded (from the stored JSON)."""
        row = await self._fetchone(_SQL_SESSION_DATA, (session_id,))
        return Session.from_json(json.loads(row[0])) if row else None

    async def session_row(self, session_id: int) -> SessionSummary | None:
        row = await self._fetchone(_SQL_SUMMARY_BY_ID, (session_id,))
        return _summary(row) if row else None

    async def session_by_key(self, key: str) -> SessionSummary | None:
        row = await self._fetchone(_SQL_SUMMARY_BY_KEY, (key,))
        return _summary(row) if row else None

    async def sessions_by_reference(self, text: str) -> list[SessionSummary]:
        """Sessions matching "Open Forum #5", "OF5", "2021 ws 100"…; newest first."""
        ref = parse_reference(text)
        if ref is None:
            return []
        rows = await self._fetchall(
            _SQL_BY_REFERENCE, (ref.session_type, ref.number, ref.year, ref.year)
        )
        return [_summary(row) for row in rows]

    async def sessions_added_since(self, since: str | datetime) -> list[SessionSummary]:
        """Sessions first stored after `since` (updates do not count), in start order."""
        since_text = _utc_iso(since) if isinstance(since, datetime) else since
        return [_summary(row) for row in await self._fetchall(_SQL_ADDED_SINCE, (since_text,))]

    async def all_sessions(self) -> list[SessionSummary]:
        """Every session, newest first (the fuzzy index's rank order)."""
        return [_summary(row) for row in await self._fetchall(_SQL_ALL_SESSIONS)]

    async def sessions_filtered(
        self,
        *,
        year: int | None = None,
        session_type: str | None = None,
        sdg: int | None = None,
        day: date | None = None,
        starts_from: datetime | None = None,
        starts_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[SessionSummary]:
        """Sessions in start order. `day` is a UTC day; for a local day pass a
        `starts_from`/`starts_before` range of aware datetimes instead."""
        params = {
            "year": year,
            "session_type": normalize_session_type(session_type) or session_type,
            "sdg": sdg,
            "day": day.isoformat() if day else None,
            "starts_from": _utc_iso(starts_from),
            "starts_before": _utc_iso(starts_before),
            "limit": -1 if limit is None else max(0, limit),
        }
        return [_summary(row) for row in await self._fetchall(_SQL_FILTERED, params)]

    async def latest_sessions_with(
        self, kind: Literal["takeaways", "calls_to_action"], limit: int
    ) -> list[tuple[SessionSummary, list[str]]]:
        """The newest sessions that have key takeaways (or calls to action), with the texts."""
        sessions_sql, texts_sql = _SQL_LATEST_WITH[kind]
        async with self._snapshot() as conn:
            sessions = [_summary(r) for r in await conn.execute_fetchall(sessions_sql, (limit,))]
            ids = json.dumps([s.id for s in sessions])
            texts: dict[int, list[str]] = {}
            for session_id, text in await conn.execute_fetchall(texts_sql, (ids,)):
                texts.setdefault(session_id, []).append(text)
        return [(s, texts.get(s.id, [])) for s in sessions]

    async def counts(self) -> Counts:
        async with self._snapshot() as conn:
            numbers = [(await (await conn.execute(sql)).fetchone())[0] for sql in _SQL_COUNTS]
            years = [row[0] for row in await conn.execute_fetchall(_SQL_YEARS)]
        return Counts(*numbers, years=years)

    async def years(self) -> list[int]:
        """Years with sessions, newest first."""
        return [row[0] for row in await self._fetchall(_SQL_YEARS)]

    async def session_types(self) -> list[str]:
        return [row[0] for row in await self._fetchall(_SQL_TYPES)]

    # ----------------------------------------------------------------- search

    async def search(
        self,
        text: str,
        *,
        year: int | None = None,
        session_type: str | None = None,
        limit: int = 10,
    ) -> list[SearchHit]:
        """Full-text search, best first; safe for any input (see `fts_query`).

        All words must match; if that finds nothing, any word may match.
        """
        for operator in ("AND", "OR"):
            match = fts_query(text, operator)
            if match is None:
                return []
            params = {
                "match": match,
                "year": year,
                "session_type": normalize_session_type(session_type) or session_type,
                "limit": max(1, min(limit, 50)),
                **_BM25_WEIGHTS,
            }
            hits = await self._search(params)
            if hits:
                return hits
        return []

    async def _search(self, params: dict[str, Any]) -> list[SearchHit]:
        async with self._snapshots() as readers:
            ranked = await _rank(readers, params)
            if not ranked:
                return []
            # Snippets cost ~0.3 ms a hit: they are split across the readers too.
            groups = [ranked[i :: len(readers)] for i in range(len(readers))]
            parts = await asyncio.gather(
                *(
                    _snippet_rows(conn, params["match"], group)
                    for conn, group in zip(readers, groups, strict=True)
                )
            )
        by_id = {row["id"]: row for rows in parts for row in rows}
        return [
            SearchHit(
                _summary(by_id[r["id"]]),
                discord_snippet(by_id[r["id"]]["snippet"] or ""),
                -r["score"],
            )
            for r in ranked
            if r["id"] in by_id
        ]

    # ----------------------------------------------------------------- people

    async def all_people(self) -> list[PersonSummary]:
        """Everyone, most sessions first (the fuzzy index's rank order)."""
        return [PersonSummary(*row) for row in await self._fetchall(_SQL_ALL_PEOPLE)]

    async def person_summary(self, person_id: int) -> PersonSummary | None:
        row = await self._fetchone(_SQL_PERSON_SUMMARY, (person_id,))
        return PersonSummary(*row) if row else None

    async def person(self, person_id: int) -> PersonDetail | None:
        async with self._snapshot() as conn:
            person = await (await conn.execute(_SQL_PERSON, (person_id,))).fetchone()
            if person is None:
                return None
            rows = await conn.execute_fetchall(_SQL_PERSON_ROLES, (person_id,))
        roles = [
            PersonRole(_summary(r), r["role"], r["affiliation"], r["segment"], r["note"])
            for r in rows
        ]
        affiliations: dict[str, str] = {}
        for role in roles:
            if role.affiliation:
                affiliations.setdefault(fold(role.affiliation), role.affiliation)
        return PersonDetail(
            person["id"], person["key"], person["name"], list(affiliations.values()), roles
        )


async def _connect(path: Path) -> aiosqlite.Connection:
    # isolation_level=None: no implicit transactions; we issue BEGIN/COMMIT ourselves.
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS:d}")
    await conn.execute("PRAGMA foreign_keys = ON")
    return conn


async def _begin_read(conn: aiosqlite.Connection) -> str | None:
    """Start a read transaction (WAL fixes its snapshot at the first read) and return the
    generation of the sessions it sees."""
    if conn.in_transaction:  # a reader cancelled before its COMMIT
        await conn.execute("ROLLBACK")
    await conn.execute("BEGIN")
    rows = await conn.execute_fetchall(_SQL_GENERATION)
    return rows[0][0] if rows else None


async def _drop_columns(conn: aiosqlite.Connection, columns: str) -> None:
    """Drop "table.column, …" where they exist."""
    for qualified in columns.split(","):
        table, column = qualified.strip().split(".")
        existing = {row[1] for row in await conn.execute_fetchall(f"PRAGMA table_info({table})")}
        if column in existing:
            await conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


async def _migrate(conn: aiosqlite.Connection) -> None:
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
            migration = MIGRATIONS[number - 1]
            drop = _DROP_COLUMNS_RE.match(migration)
            if drop:
                await _drop_columns(conn, drop.group(1))
            else:
                for statement in split_sql(migration):
                    await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number:d}")
            log.info("database migrated to schema v%d", number)
        await conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise
