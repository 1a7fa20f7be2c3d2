"""The data the bot answers from: the store plus in-memory fuzzy indexes, kept in step.

Every reload builds new indexes and swaps them in one assignment, so a query sees the old
catalogue or the new one, never a mix.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from bot.digest.ledger import DigestLedger
from bot.fuzzy import PeopleIndex, SessionIndex
from bot.loader import Loader, LoadReport
from bot.models import PersonSummary, Session, SessionSummary
from bot.sources.ledger import SourceLedger
from bot.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_QUERY = 200  # user text is capped before it reaches any index or SQL
_UNLIMITED = 1_000_000  # "no limit" for Store.latest_sessions_with


@dataclass(frozen=True, slots=True)
class Lookup(Generic[T]):
    """`best` when the query clearly names one entry; `alternatives` for "did you mean"."""

    best: T | None
    alternatives: list[T]


@dataclass(frozen=True, slots=True)
class _Indexes:
    sessions: SessionIndex
    people: PeopleIndex


class Catalog:
    def __init__(self, store: Store, seeds_dir: Path):
        self.store = store
        self.loader = Loader(store, seeds_dir)
        self.digests = DigestLedger(store)
        self.sources = SourceLedger(store)
        self._indexes = _Indexes(SessionIndex([]), PeopleIndex([]))
        self._reload_lock = asyncio.Lock()
        self.loaded_at: datetime | None = None

    @classmethod
    async def open(cls, db_path: Path, seeds_dir: Path) -> Catalog:
        store = await Store.open(db_path)
        catalog = cls(store, seeds_dir)
        return catalog

    async def close(self) -> None:
        await self.store.close()

    @property
    def sessions(self) -> SessionIndex:
        return self._indexes.sessions

    @property
    def people(self) -> PeopleIndex:
        return self._indexes.people

    async def reload(self) -> LoadReport:
        """Re-read the seeds directory (changed files only) and refresh the indexes."""
        async with self._reload_lock:
            report = await self.loader.load()
            await self.refresh_indexes()
            self.loaded_at = datetime.now(UTC)
            await self.store.set_meta("loaded_at", self.loaded_at.isoformat(timespec="seconds"))
            return report

    async def refresh_indexes(self) -> None:
        sessions = await self.store.all_sessions()
        people = await self.store.all_people()
        # Building the indexes is CPU work (about a second at 10,000 sessions): off the loop.
        self._indexes = await asyncio.to_thread(
            lambda: _Indexes(SessionIndex(sessions), PeopleIndex(people))
        )
        log.info("indexes: %d sessions, %d people", len(sessions), len(people))

    # -- look-ups ---------------------------------------------------------------------------

    async def find_session(self, query: str) -> Lookup[SessionSummary]:
        query = query.strip()[:MAX_QUERY]
        if not query:
            return Lookup(None, [])
        if query.isdigit():  # autocomplete sends the session id as the value
            row = await self.store.session_row(int(query))
            if row is not None:
                return Lookup(row, [])
        by_key = await self.store.session_by_key(query)
        if by_key is not None:
            return Lookup(by_key, [])
        by_reference = await self.store.sessions_by_reference(query)
        if len(by_reference) == 1:
            return Lookup(by_reference[0], [])
        if by_reference:  # "Open Forum #5" held in several years: newest, then the others
            return Lookup(by_reference[0], by_reference[1:6])
        resolution = self.sessions.resolve(query)
        return Lookup(resolution.best, list(resolution.alternatives))

    async def find_person(self, query: str) -> Lookup[PersonSummary]:
        query = query.strip()[:MAX_QUERY]
        if not query:
            return Lookup(None, [])
        if query.startswith("person:") and query[7:].isdigit():
            match = await self.store.person_summary(int(query[7:]))
            if match is not None:
                return Lookup(match, [])
        resolution = self.people.resolve(query)
        return Lookup(resolution.best, list(resolution.alternatives))

    # -- digest reads ---------------------------------------------------------------------
    # TODO(integrator): stand-ins for i11-store's query protocol (same names); keep theirs.

    async def sessions_between(self, start: datetime, end: datetime) -> list[SessionSummary]:
        """Sessions starting in [start, end) (aware datetimes), in start order."""
        return await self.store.sessions_filtered(starts_from=start, starts_before=end)

    async def sessions_with_outcomes(self) -> list[tuple[SessionSummary, list[str], list[str]]]:
        """Every session with key takeaways or calls to action: (summary, takeaways, calls)."""
        takeaways = await self.store.latest_sessions_with("takeaways", _UNLIMITED)
        calls = {
            s.key: (s, texts)
            for s, texts in await self.store.latest_sessions_with("calls_to_action", _UNLIMITED)
        }
        found = [(s, texts, calls.pop(s.key, (s, []))[1]) for s, texts in takeaways]
        return found + [(s, [], texts) for s, texts in calls.values()]

    async def sessions_added_since(self, since: str | datetime) -> list[SessionSummary]:
        return await self.store.sessions_added_since(since)

    async def session_record(self, key: str) -> Session | None:
        summary = await self.store.session_by_key(key)
        return await self.store.session(summary.id) if summary else None

    # -- end of digest reads ---------------------------------------------------------------

    # --- sources reads (integrator: keep)

    async def newest_takeaways(self, limit: int) -> list[tuple[SessionSummary, list[str]]]:
        """Sessions with key takeaways, the newest to appear first (as the sources feature saw
        them appear), then the latest sessions for the rest of `limit`."""
        found: list[tuple[SessionSummary, list[str]]] = []
        for key in await self.sources.newest_outcome_keys(limit * 4):
            summary = await self.store.session_by_key(key)
            record = await self.store.session(summary.id) if summary else None
            if summary is not None and record is not None and record.key_takeaways:
                found.append((summary, list(record.key_takeaways)))
            if len(found) >= limit:
                return found
        seen = {summary.key for summary, _ in found}
        latest = await self.store.latest_sessions_with("takeaways", limit + len(seen))
        return found + [item for item in latest if item[0].key not in seen][: limit - len(found)]

    # --- end of sources reads

    def session_choices(self, text: str) -> list[tuple[str, str]]:
        """Autocomplete: (label ≤ 100 chars, value = session id)."""
        return [
            (_choice_label(s), str(s.id)) for s in self.sessions.autocomplete(text[:MAX_QUERY])[:25]
        ]

    def person_choices(self, text: str) -> list[tuple[str, str]]:
        return [
            (_clip(f"{p.name} ({p.session_count})"), f"person:{p.id}")
            for p in self.people.autocomplete(text[:MAX_QUERY])[:25]
        ]


def _clip(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _choice_label(summary: SessionSummary) -> str:
    prefix = " ".join(p for p in (summary.event, summary.reference) if p)
    label = f"{prefix}: {summary.title}" if prefix else summary.title
    return _clip(label or summary.heading or summary.key)
