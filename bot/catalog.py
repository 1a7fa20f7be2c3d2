"""The one door to the bot's data: the store plus in-memory fuzzy indexes, kept in step.

Everything that answers users (answers, the console, the cogs, export) calls Catalog methods;
only the Catalog and the Loader touch the store. Every look-up takes its text through one
`Query` (stripped, capped, folded, reference parsed: once), and everything a user can pick
again later (autocomplete values, select options, button ids) is a `ChoiceValue`: a stable
key, never a row id.

Every reload builds new indexes and swaps them in one assignment, so a query sees the old
catalogue or the new one, never a mix.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiosqlite

from bot.changes.diff import ChangeSet, SessionFacts, diff, snapshot
from bot.changes.ledger import ChangeBatch, ChangeLedger
from bot.digest.ledger import DigestLedger
from bot.events.ledger import EventLedger
from bot.fuzzy import MAX_QUERY_CHARS, FuzzyIndex, Lookup, PeopleIndex, Query, SessionIndex
from bot.loader import Loader, LoadReport, content_hash
from bot.models import Counts, PersonDetail, PersonSummary, Session, SessionSummary
from bot.preflight import DatabaseHealth, check_database, check_seeds
from bot.reminders.ledger import ReminderLedger
from bot.sources.ledger import SourceLedger
from bot.store import SCHEMA_VERSION, OutcomeKind, SearchResults, Store
from bot.vocabulary import normalize_session_type

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = [
    "MAX_QUERY_CHARS",
    "Catalog",
    "ChoiceKind",
    "ChoiceValue",
    "Filters",
    "Lookup",
    "OutcomeKind",
    "Query",
]

ChoiceKind = Literal["session", "person"]
_UNLIMITED = -1  # SQLite's LIMIT -1: every row
_KINDS: tuple[ChoiceKind, ...] = ("session", "person")
# Discord caps a choice value and a custom_id at 100 characters; a button id puts up to
# 30 characters of its own in front of the value ("section:takeaways:").
MAX_CHOICE_VALUE = 64
_DIGEST_CHARS = 32


def key_digest(key: str) -> str:
    """The fixed-length stand-in for a key too long to fit in a choice value."""
    return hashlib.sha256(key.encode()).hexdigest()[:_DIGEST_CHARS]


@dataclass(frozen=True, slots=True)
class ChoiceValue:
    """What a user picked: a session or a person, by stable key.

    Encoded as ``session:<key>`` / ``person:<key>``, or, when that would pass
    MAX_CHOICE_VALUE, as ``session#<digest>`` / ``person#<digest>`` (decoded through the
    catalogue). Row ids are never used: they are reused after a removal, so a stale button
    could open another session.
    """

    kind: ChoiceKind
    key: str

    @property
    def hashed(self) -> bool:
        """Whether the value is encoded as a digest (the plain form would not fit)."""
        return len(self.kind) + 1 + len(self.key) > MAX_CHOICE_VALUE

    def encode(self) -> str:
        if self.hashed:
            return f"{self.kind}#{key_digest(self.key)}"
        return f"{self.kind}:{self.key}"

    @staticmethod
    def split(value: str) -> tuple[ChoiceKind, str, bool] | None:
        """(kind, key or digest, whether it is a digest) of an encoded value; None if the
        text is not one."""
        for kind in _KINDS:
            for separator, hashed in ((":", False), ("#", True)):
                prefix = kind + separator
                if value.startswith(prefix) and len(value) > len(prefix):
                    return kind, value[len(prefix) :], hashed
        return None


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters of `/sessions` and `/search`; the session type is canonical ("Open Forum")."""

    year: int | None = None
    session_type: str | None = None
    sdg: int | None = None
    day: date | None = None

    @classmethod
    def of(
        cls,
        *,
        year: int | None = None,
        session_type: str | None = None,
        sdg: int | None = None,
        day: date | None = None,
    ) -> Filters:
        """The one place a typed session type ("of", "WS") is normalised; unknown: no filter."""
        return cls(year, normalize_session_type(session_type), sdg, day)

    def labels(self) -> list[str]:
        parts = (self.year, self.session_type, f"SDG {self.sdg}" if self.sdg else None, self.day)
        return [str(p) for p in parts if p]


@dataclass(frozen=True, slots=True)
class _Indexes:
    sessions: SessionIndex
    people: PeopleIndex
    digests: dict[tuple[ChoiceKind, str], str]  # (kind, key digest) -> key, long keys only


def _build_indexes(sessions: list[SessionSummary], people: list[PersonSummary]) -> _Indexes:
    digests: dict[tuple[ChoiceKind, str], str] = {}
    keyed: list[tuple[ChoiceKind, list[str]]] = [
        ("session", [s.key for s in sessions]),
        ("person", [p.key for p in people]),
    ]
    for kind, keys in keyed:
        for key in keys:
            if ChoiceValue(kind, key).hashed:
                digests[kind, key_digest(key)] = key
    return _Indexes(SessionIndex(sessions), PeopleIndex(people), digests)


class Catalog:
    def __init__(self, store: Store, seeds_dir: Path):
        # The store is the Catalog's and the Loader's alone (and feature ledgers', given here).
        self._store = store
        self.loader = Loader(store, seeds_dir)
        self._indexes = _build_indexes([], [])
        self._reload_lock = asyncio.Lock()
        self.loaded_at: datetime | None = None
        # Feature ledgers keep their own SQL next to their feature and run it on this store.
        self.digests = DigestLedger(store)
        self.changes = ChangeLedger(store)
        self.events = EventLedger(store)
        self.reminders = ReminderLedger(store)
        self.sources = SourceLedger(store)
        self._schedule: dict[str, SessionFacts] | None = None  # as of the last reload

    @staticmethod
    def check(db_path: Path) -> DatabaseHealth:
        """The read-only preflight of the database against the schema this code writes
        (`bot.preflight.StartupError` when it cannot be used), before anything opens it."""
        return check_database(db_path, SCHEMA_VERSION)

    @classmethod
    async def open(cls, db_path: Path, seeds_dir: Path) -> Catalog:
        return cls(await Store.open(db_path), seeds_dir)

    async def close(self) -> None:
        await self._store.close()

    async def __aenter__(self) -> Catalog:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- loading ------------------------------------------------------------------------------

    async def reload(self, *, prune: bool = False, force: bool = False) -> LoadReport:
        """Re-read the seeds directory (changed files only) and refresh the indexes.

        Raises `SeedsError` (one line) when the seeds directory is missing or not one. A
        load that would remove all sessions or more than half of them applies nothing and
        returns a report with `refused` and `would_remove`, unless `prune`; an update that
        lost most of its previous version is kept out (reported suspicious) unless `force`.
        """
        async with self._reload_lock:
            before = await self._schedule_before()
            built: list[_Indexes] = []

            async def build(conn: aiosqlite.Connection) -> None:
                indexes = await self._build_indexes(conn)
                await self._store.pause_reads()  # until the new indexes are in place
                built.append(indexes)

            try:
                report = await self.loader.load(prune=prune, force=force, before_commit=build)
                if report.refused is not None:
                    return report
                # Reads were held back from before the commit until now: a query sees the old
                # catalogue (SQL and indexes) or the new one, never new rows with old indexes.
                self._indexes = built[0]
            finally:
                if built:
                    self._store.resume_reads()
            report.changes = await self._record_changes(before, report)
            # When this catalogue last reloaded (features compare it); the database's
            # `loaded_at`, which /about shows, moves only when the data changed.
            self.loaded_at = datetime.now(UTC)
            return report

    async def refresh_indexes(self) -> None:
        self._indexes = await self._build_indexes()

    async def _build_indexes(self, conn: aiosqlite.Connection | None = None) -> _Indexes:
        sessions = await self._store.all_sessions(conn)
        people = await self._store.all_people(conn)
        log.info("indexes: %d sessions, %d people", len(sessions), len(people))
        # Building the indexes is CPU work (about a second at 10,000 sessions): off the loop.
        return await asyncio.to_thread(_build_indexes, sessions, people)

    async def add_document(self, text: str) -> tuple[str, bool, LoadReport]:
        """Save an imported page into the seeds directory and reload: (the file's name,
        whether it was there already, the load report).

        A page already loaded, under any name, is not saved again: (that file, True, a
        report of no change). A copy of a loaded session from another page is reported in
        `LoadReport.duplicates` (only the richer of the two is kept)."""
        check_seeds(self.loader.directory)  # never create a seeds folder that was not there
        data = text.encode("utf-8")
        digest = content_hash(data)
        same = await self._store.file_with_hash(digest)
        if same is not None:
            return same, True, LoadReport(unchanged=(await self.counts()).sessions)
        # The bot names the file: nothing the user typed reaches the file system.
        name = f"import_{digest[:16]}.txt"
        path = self.loader.directory / name
        existed = path.exists()
        await asyncio.to_thread(_write_file, path, data)
        return name, existed, await self.reload()

    # -- schedule changes: the schedule before/after a load, one durable batch per reload --

    async def _schedule_before(self) -> dict[str, SessionFacts]:
        """The schedule before this load: the last reload's, or the database's (first load)."""
        if self._schedule is None:
            self._schedule = snapshot(await self._store.all_sessions())
        return self._schedule

    async def _record_changes(
        self, before: dict[str, SessionFacts], report: LoadReport
    ) -> ChangeSet | None:
        """Diff the schedule and store a non-empty change set as a durable change batch. The
        first import into an empty database announces nothing."""
        if not (report.added or report.updated or report.removed):
            return None
        self._schedule = after = snapshot(await self._store.all_sessions())
        changes = diff(before, after)
        if before and changes:
            batch: ChangeBatch = await self.changes.record_batch(changes)
            log.info("changes: batch %d, %d sessions", batch.id, len(changes.changes))
        return changes

    async def meta(self, key: str) -> str | None:
        """A value of the database's key/value table (`loaded_at`, command hashes)."""
        return await self._store.get_meta(key)

    async def set_meta(self, key: str, value: str | None) -> None:
        await self._store.set_meta(key, value)

    # -- look-ups -----------------------------------------------------------------------------

    async def find_session(self, text: str) -> Lookup[SessionSummary]:
        """A picked value, a key, a reference ("Open Forum #5") or words of a title."""
        return self._find(Query.of(text), "session", self._indexes.sessions)

    async def find_person(self, text: str) -> Lookup[PersonSummary]:
        """A picked value, a key or a name (honorifics and accents do not matter)."""
        return self._find(Query.of(text), "person", self._indexes.people)

    def decode_choice(self, value: str) -> ChoiceValue | None:
        """The session or person a choice value names; None when it is malformed, stale
        (no longer in the catalogue) or unknown."""
        split = ChoiceValue.split(value)
        if split is None:
            return None
        kind, token, hashed = split
        key = self._indexes.digests.get((kind, token)) if hashed else token
        index: FuzzyIndex[Any] = (
            self._indexes.sessions if kind == "session" else self._indexes.people
        )
        if key is None or index.by_key(key) is None:
            return None
        return ChoiceValue(kind, key)

    def _find(self, query: Query, kind: ChoiceKind, index: FuzzyIndex[T]) -> Lookup[T]:
        if not query.text:
            return Lookup.none()
        split = ChoiceValue.split(query.text)
        if split is not None and split[0] == kind:
            # A picked value names one entry or nothing (stale, malformed): no text search.
            choice = self.decode_choice(query.text)
            return _only(index.by_key(choice.key) if choice is not None else None)
        by_key = index.by_key(query.folded)
        if by_key is not None:
            return Lookup(by_key, [], exact=True)
        return index.resolve(query)

    def suggest_sessions(self, text: str, limit: int = 5) -> list[SessionSummary]:
        return self._indexes.sessions.autocomplete(Query.of(text), limit=limit)

    def session_choices(self, text: str) -> list[tuple[str, str]]:
        """Autocomplete: (label ≤ 100 chars, encoded `ChoiceValue`)."""
        return [
            (choice_label(s), ChoiceValue("session", s.key).encode())
            for s in self._indexes.sessions.autocomplete(Query.of(text))
        ]

    def person_choices(self, text: str) -> list[tuple[str, str]]:
        return [
            (clip(f"{p.name} ({p.session_count})"), ChoiceValue("person", p.key).encode())
            for p in self._indexes.people.autocomplete(Query.of(text))
        ]

    # -- records ------------------------------------------------------------------------------

    async def session_record(self, key: str) -> Session | None:
        """The full record of the session with this stable key."""
        return await self._store.session_record(key)

    async def person(self, key: str) -> PersonDetail | None:
        """A person by stable key, with every role they had, newest session first."""
        return await self._store.person(key)

    async def all_records(self) -> list[Session]:
        """Every full record, newest first (for export)."""
        return await self._store.all_records()

    # -- lists --------------------------------------------------------------------------------

    async def search(self, text: str, filters: Filters, limit: int) -> SearchResults:
        """Full-text hits, best first, and the number of matches in all (`total`); snippets
        are plain text with match markers."""
        return await self._store.search(
            Query.of(text).text,
            year=filters.year,
            session_type=filters.session_type,
            limit=limit,
        )

    async def browse(
        self, filters: Filters, *, starts_from: datetime | None = None
    ) -> list[SessionSummary]:
        """Sessions matching `filters` (``/sessions``; a year or type for calendars; an events
        scope, from `starts_from` on), in start order."""
        return await self._store.sessions_filtered(
            year=filters.year,
            session_type=filters.session_type,
            sdg=filters.sdg,
            day=filters.day,
            starts_from=starts_from,
        )

    async def latest_outcomes(
        self, kind: OutcomeKind, limit: int
    ) -> list[tuple[SessionSummary, list[str]]]:
        """The newest sessions with key takeaways (or calls to action), with the texts. Key
        takeaways come newest first by when they appeared (as fetched sources saw them
        appear), then the newest sessions for the rest of `limit`."""
        if kind != "takeaways":
            return await self._store.latest_sessions_with(kind, limit)
        found: list[tuple[SessionSummary, list[str]]] = []
        for key in await self.sources.newest_outcome_keys(limit * 4):
            summary = await self._store.session_by_key(key)
            record = await self._store.session_record(key) if summary else None
            if summary is not None and record is not None and record.key_takeaways:
                found.append((summary, list(record.key_takeaways)))
            if len(found) >= limit:
                return found
        seen = {summary.key for summary, _ in found}
        latest = await self._store.latest_sessions_with("takeaways", limit + len(seen))
        return found + [item for item in latest if item[0].key not in seen][: limit - len(found)]

    async def counts(self) -> Counts:
        return await self._store.counts()

    # -- for the digest -----------------------------------------------------------------------

    async def sessions_between(self, start: datetime, end: datetime) -> list[SessionSummary]:
        """Sessions starting in [start, end), by start time."""
        return await self._store.sessions_filtered(starts_from=start, starts_before=end)

    async def sessions_with_outcomes(self) -> list[tuple[SessionSummary, list[str], list[str]]]:
        """Every session with key takeaways or calls to action, newest first:
        (summary, takeaways, calls to action)."""
        takeaways = await self._store.latest_sessions_with("takeaways", _UNLIMITED)
        calls = {
            s.key: (s, texts)
            for s, texts in await self._store.latest_sessions_with("calls_to_action", _UNLIMITED)
        }
        found = [(s, texts, calls.pop(s.key, (s, []))[1]) for s, texts in takeaways]
        return found + [(s, [], texts) for s, texts in calls.values()]

    async def session_summary(self, key: str) -> SessionSummary | None:
        """The session with this stable key, if it is still in the catalogue."""
        return await self._store.session_by_key(key)

    async def next_session_after(self, moment: datetime) -> SessionSummary | None:
        """For /now and /next: the first session starting at or after `moment` (aware)."""
        found = await self._store.sessions_filtered(starts_from=moment, limit=1)
        return found[0] if found else None

    async def sessions_added_since(self, since: str | datetime) -> list[SessionSummary]:
        """Sessions first stored after `since` (updates do not count), in start order."""
        return await self._store.sessions_added_since(since)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _only(found: T | None) -> Lookup[T]:
    return Lookup(found, [], exact=True) if found is not None else Lookup.none()


def clip(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def choice_label(summary: SessionSummary) -> str:
    prefix = " ".join(p for p in (summary.event, summary.reference) if p)
    label = f"{prefix}: {summary.title}" if prefix else summary.title
    return clip(label or summary.heading or summary.key)
