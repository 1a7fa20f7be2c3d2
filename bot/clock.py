"""Clocks: the one place the bot asks what time it is.

Everything that depends on the time (the digest scheduler above all) takes a `Clock`, so tests
can run a whole day - or a DST change - in milliseconds with a `FrozenClock`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """A source of the current time."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


def _aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"clock times must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC)


class FrozenClock:
    """A clock that only moves when told to (for tests)."""

    def __init__(self, now: datetime) -> None:
        self._now = _aware_utc(now)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (aware; any zone, stored as UTC). Backwards is allowed."""
        self._now = _aware_utc(moment)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward (or back, with a negative delta); returns the new time."""
        self._now += delta
        return self._now

    def __repr__(self) -> str:
        return f"FrozenClock({self._now.isoformat()})"
