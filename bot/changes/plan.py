"""What one server's change notice says, pure: the changes of a batch that concern sessions
not yet ended, grouped by the day they (now) take place in the server's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from bot.changes.diff import ChangeSet, SessionChange, SessionFacts


@dataclass(frozen=True, slots=True)
class NoticeDay:
    """The changes of one local day (``day`` None: sessions without a time)."""

    day: date | None
    changes: tuple[SessionChange, ...]


@dataclass(frozen=True, slots=True)
class NoticePlan:
    days: tuple[NoticeDay, ...]

    @property
    def count(self) -> int:
        return sum(len(d.changes) for d in self.days)

    def __bool__(self) -> bool:
        return bool(self.days)


def _ended(facts: SessionFacts, now: datetime) -> bool:
    end = facts.ends_at or facts.starts_at
    return end is not None and end <= now


def still_to_come(change: SessionChange, now: datetime) -> bool:
    """An addition or update whose session (at its new time) has not ended; a removal whose
    session had not ended - or an update that moved a session that had not ended yet."""
    if change.kind == "updated":
        assert change.before is not None and change.after is not None
        return not (_ended(change.after, now) and _ended(change.before, now))
    return not _ended(change.current, now)


def plan_notice(changes: ChangeSet, now: datetime, tz: tzinfo) -> NoticePlan:
    """The notice for a server in zone `tz` at `now` (empty: nothing worth announcing)."""
    days: dict[date | None, list[SessionChange]] = {}
    for change in changes.changes:  # a ChangeSet is in start order already
        if not still_to_come(change, now):
            continue
        starts = change.current.starts_at
        days.setdefault(starts.astimezone(tz).date() if starts else None, []).append(change)
    ordered = sorted(days.items(), key=lambda item: (item[0] is None, item[0] or date.min))
    return NoticePlan(tuple(NoticeDay(day, tuple(items)) for day, items in ordered))
