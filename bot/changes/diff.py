"""What a reload changed, pure: the difference between two snapshots of the schedule.

A snapshot maps each session's stable ``key`` to the facts a notice is about (`SessionFacts`:
title, times, room, plus what names the session). `diff` compares two of them; the result is
a `ChangeSet` that round-trips through JSON, so it can be stored as a durable change batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from bot.projection import ScheduledSession, utc_or_none

if TYPE_CHECKING:
    from bot.models import SessionSummary

ChangeKind = Literal["added", "updated", "removed"]
FieldName = Literal["title", "time", "room"]
FIELDS: tuple[FieldName, ...] = ("time", "room", "title")
"""The fields a change can touch, in the order change lines list them."""


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parsed(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True, slots=True)
class SessionFacts(ScheduledSession):
    """What a change notice knows about one session at one moment."""

    @classmethod
    def of(cls, summary: SessionSummary) -> SessionFacts:
        return cls(
            summary.key,
            summary.title,
            summary.reference,
            summary.event,
            utc_or_none(summary.starts_at),
            utc_or_none(summary.ends_at),
            summary.room,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "reference": self.reference,
            "event": self.event,
            "starts_at": _iso(self.starts_at),
            "ends_at": _iso(self.ends_at),
            "room": self.room,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SessionFacts:
        return cls(
            data["key"],
            data["title"],
            data.get("reference"),
            data.get("event"),
            _parsed(data.get("starts_at")),
            _parsed(data.get("ends_at")),
            data.get("room"),
        )

    def value(self, name: FieldName) -> tuple[Any, ...]:
        if name == "time":
            return (self.starts_at, self.ends_at)
        return (getattr(self, name),)


Snapshot = Mapping[str, SessionFacts]


def snapshot(summaries: Iterable[SessionSummary]) -> dict[str, SessionFacts]:
    """The schedule as `diff` compares it, keyed by the stable session key."""
    return {s.key: SessionFacts.of(s) for s in summaries}


@dataclass(frozen=True, slots=True)
class SessionChange:
    """One session's change. ``before`` is None when added, ``after`` when removed."""

    kind: ChangeKind
    before: SessionFacts | None = None
    after: SessionFacts | None = None

    @property
    def current(self) -> SessionFacts:
        """The newest facts (the removed session's last ones)."""
        facts = self.after or self.before
        assert facts is not None
        return facts

    @property
    def key(self) -> str:
        return self.current.key

    @property
    def fields(self) -> tuple[FieldName, ...]:
        """What an update changed (empty for additions and removals)."""
        if self.before is None or self.after is None:
            return ()
        return tuple(f for f in FIELDS if self.before.value(f) != self.after.value(f))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SessionChange:
        before, after = data.get("before"), data.get("after")
        return cls(
            data["kind"],
            SessionFacts.from_json(before) if before else None,
            SessionFacts.from_json(after) if after else None,
        )


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Everything one reload changed in the schedule, in a stable order."""

    changes: tuple[SessionChange, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: ChangeKind) -> list[SessionChange]:
        return [c for c in self.changes if c.kind == kind]

    def for_key(self, key: str) -> SessionChange | None:
        return next((c for c in self.changes if c.key == key), None)

    def dumps(self) -> str:
        return json.dumps([c.to_json() for c in self.changes], ensure_ascii=False)

    @classmethod
    def loads(cls, text: str) -> ChangeSet:
        return cls(tuple(SessionChange.from_json(item) for item in json.loads(text)))


def _order(change: SessionChange) -> tuple[Any, ...]:
    facts = change.current
    starts = facts.starts_at
    return (starts is None, starts or datetime.min.replace(tzinfo=UTC), facts.key)


def diff(before: Snapshot, after: Snapshot) -> ChangeSet:
    """What changed from `before` to `after`: sessions added, removed, and updated in their
    time, room or title (changes to anything else are not schedule changes)."""
    changes = [SessionChange("added", None, after[k]) for k in after.keys() - before.keys()]
    changes += [SessionChange("removed", before[k], None) for k in before.keys() - after.keys()]
    for key in before.keys() & after.keys():
        update = SessionChange("updated", before[key], after[key])
        if update.fields:
            changes.append(update)
    return ChangeSet(tuple(sorted(changes, key=_order)))
