"""The digest's plan, pure: from the sessions of a local day, the archive, what a server has
already seen and what is new, decide what one digest says (`select_digest` -> `DigestPlan`).

On a forum day it lists that day's sessions; on other days it features sessions "from the
archive" (those with key takeaways or calls to action), rotating through the whole archive
before any session repeats.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

from bot.models import Session
from bot.projection import ScheduledSession, utc_or_none

if TYPE_CHECKING:
    from bot.models import SessionSummary

ARCHIVE_PICKS = 3
"""Sessions featured "from the archive" in one digest."""
ADDED_KEPT = 25
"""New sessions a plan carries (the count of all of them is kept too)."""

DigestKind = Literal["forum_day", "archive"]


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class DigestSession(ScheduledSession):
    """What a digest needs to know about one session."""

    year: int | None = None
    key_takeaways: tuple[str, ...] = ()
    calls_to_action: tuple[str, ...] = ()
    source_url: str | None = None

    @classmethod
    def of(
        cls, item: DigestSession | Session | SessionSummary, key: str | None = None
    ) -> DigestSession:
        """From a `Session` (its takeaways too), a `SessionSummary` (no texts) or itself."""
        if isinstance(item, DigestSession):
            return item if key is None else replace(item, key=key)
        return cls(
            key=key or item.key,
            title=item.title,
            reference=item.reference,
            year=item.year,
            event=item.event,
            starts_at=utc_or_none(item.starts_at),
            ends_at=utc_or_none(item.ends_at),
            room=item.room,
            key_takeaways=tuple(getattr(item, "key_takeaways", ()) or ()),
            calls_to_action=tuple(getattr(item, "calls_to_action", ()) or ()),
            source_url=getattr(item, "source_url", None),
        )

    @property
    def has_outcomes(self) -> bool:
        return bool(self.key_takeaways or self.calls_to_action)

    @property
    def label(self) -> str:
        """ "IGF 2021 · Open Forum #5" or the event, for headings."""
        parts = [self.event or (f"IGF {self.year}" if self.year else None), self.reference]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """What one digest says. ``featured`` keys are to be marked once it has been sent;
    when ``new_cycle`` is set the caller resets the server's featured keys first."""

    local_date: date
    kind: DigestKind
    sessions: tuple[DigestSession, ...] = ()
    archive: tuple[DigestSession, ...] = ()
    added: tuple[DigestSession, ...] = ()
    added_total: int = 0
    new_cycle: bool = False

    @property
    def featured(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.archive)

    @property
    def is_empty(self) -> bool:
        return not (self.sessions or self.archive or self.added)


def _archive_order(session: DigestSession) -> tuple[Any, ...]:
    """Oldest first; undated sessions last; the key breaks ties (deterministic)."""
    starts = session.starts_at
    return (
        starts is None,
        starts or datetime.min.replace(tzinfo=UTC),
        session.year or 0,
        session.key,
    )


def _start_order(session: DigestSession) -> tuple[Any, ...]:
    starts = session.starts_at
    return (starts is None, starts or datetime.min.replace(tzinfo=UTC), session.key)


def _unique(items: Iterable[DigestSession | Session | SessionSummary]) -> list[DigestSession]:
    seen: dict[str, DigestSession] = {}
    for item in items:
        entry = DigestSession.of(item)
        seen.setdefault(entry.key, entry)
    return list(seen.values())


def select_digest(
    local_date: date,
    sessions_that_day: Iterable[DigestSession | Session | SessionSummary],
    archive_candidates: Iterable[DigestSession | Session | SessionSummary],
    featured_keys: Iterable[str],
    added_since_last: Iterable[DigestSession | Session | SessionSummary],
    *,
    picks: int = ARCHIVE_PICKS,
    added_total: int | None = None,
) -> DigestPlan:
    """Decide a digest.

    A day with sessions is a forum day: its sessions in start order, no archive picks.
    Otherwise up to `picks` archive sessions with key takeaways or calls to action that this
    server has not seen yet, oldest first. When every candidate has been featured, a new cycle
    starts from the oldest (``new_cycle``; the caller resets the featured keys) - so the whole
    archive is covered before anything repeats. A cycle's last digest may hold fewer picks.
    """
    day = sorted(_unique(sessions_that_day), key=_start_order)
    added = sorted(_unique(added_since_last), key=_start_order)
    total = len(added) if added_total is None else max(added_total, len(added))
    added = added[:ADDED_KEPT]
    if day:
        return DigestPlan(local_date, "forum_day", tuple(day), (), tuple(added), total)
    candidates = sorted(
        (c for c in _unique(archive_candidates) if c.has_outcomes), key=_archive_order
    )
    seen = set(featured_keys)
    fresh = [c for c in candidates if c.key not in seen]
    new_cycle = not fresh and bool(candidates)
    chosen = (fresh or candidates)[: max(0, picks)]
    return DigestPlan(local_date, "archive", (), tuple(chosen), tuple(added), total, new_cycle)
