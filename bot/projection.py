"""The one projection of a session the scheduled features (digest, changes, reminders) share:
what it is, where and when. Each feature's own record adds its fields to `ScheduledSession`
and builds itself with its own `of`, in its folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


def utc(moment: datetime) -> datetime:
    """Aware UTC (naive times are taken as UTC, as the store does)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


@dataclass(frozen=True, slots=True)
class ScheduledSession:
    """One session as a scheduled feature sees it (times aware). Every field is given, as in
    the `SessionSummary` it is read from: no default None hides a field a record forgot."""

    key: str
    title: str
    reference: str | None
    event: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    room: str | None
