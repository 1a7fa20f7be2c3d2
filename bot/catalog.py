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

from bot.digest.ledger import DigestLedger
from bot.fuzzy import MAX_QUERY_CHARS, FuzzyIndex, Lookup, PeopleIndex, Query, SessionIndex
from bot.loader import Loader, LoadReport
from bot.models import Counts, PersonDetail, PersonSummary, SearchHit, Session, SessionSummary
from bot.store import OutcomeKind, Store
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

    @classmethod
    async def open(cls, db_path: Path, seeds_dir: Path) -> Catalog:
        return cls(await Store.open(db_path), seeds_dir)

    async def close(self) -> None:
        await self._store.close()

    # -- loading ------------------------------------------------------------------------------

    async def reload(self, *, prune: bool = False, force: bool = False) -> LoadReport:
        """Re-read the seeds directory (changed files only) and refresh the indexes."""
        async with self._reload_lock:
            report = await self.loader.load()
            await self.refresh_indexes()
            self.loaded_at = datetime.now(UTC)
            await self._store.set_meta("loaded_at", self.loaded_at.isoformat(timespec="seconds"))
            return report

    async def refresh_indexes(self) -> None:
        sessions = await self._store.all_sessions()
        people = await self._store.all_people()
        # Building the indexes is CPU work (about a second at 10,000 sessions): off the loop.
        self._indexes = await asyncio.to_thread(_build_indexes, sessions, people)
        log.info("indexes: %d sessions, %d people", len(sessions), len(people))

    async def add_document(self, text: str) -> tuple[str, bool, LoadReport]:
        """Save an imported page into the seeds directory and reload: (the file's name,
        whether it was there already, the load report)."""
        data = text.encode("utf-8")
        # The bot names the file: nothing the user typed reaches the file system.
        name = f"import_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        path = self.loader.directory / name
        existed = path.exists()
        await asyncio.to_thread(_write_file, path, data)
        return name, existed, await self.reload()

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

    async def search(self, text: str, filters: Filters, limit: int) -> list[SearchHit]:
        """Full-text hits, best first; snippets are plain text with match markers."""
        return await self._store.search(
            Query.of(text).text,
            year=filters.year,
            session_type=filters.session_type,
            limit=limit,
        )

    async def browse(self, filters: Filters) -> list[SessionSummary]:
        """Sessions matching `filters`, in start order."""
        return await self._store.sessions_filtered(
            year=filters.year, session_type=filters.session_type, sdg=filters.sdg, day=filters.day
        )

    async def latest_outcomes(
        self, kind: OutcomeKind, limit: int
    ) -> list[tuple[SessionSummary, list[str]]]:
        """The newest sessions with key takeaways (or calls to action), with the texts."""
        return await self._store.latest_sessions_with(kind, limit)

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
