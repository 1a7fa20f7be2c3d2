"""The events plan, pure: given what the schedule says, what the bot has published in a
server and the time, which scheduled events to create, edit and delete (`plan_events`).

* every session in the server's published scopes that starts in the future gets one event;
* soonest first, as many as the server has room for (Discord keeps at most 100 uncompleted
  events per server); the others are counted as left out and created as earlier ones end;
* an event whose session moved or was renamed is edited while it has not started; one whose
  session was removed (or moved into the past) is deleted; an ended one is forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from bot import render
from bot.projection import utc

if TYPE_CHECKING:
    from bot.models import SessionSummary

DEFAULT_LENGTH = timedelta(hours=1)
"""An external event needs an end: a session without one is taken to last an hour."""
ONLINE = "Online"

EventStatus = Literal["pending", "published", "failed"]


@dataclass(frozen=True, slots=True)
class EventSpec:
    """What a session's scheduled event should say (the description is added when sent)."""

    key: str
    name: str
    location: str
    starts_at: datetime
    ends_at: datetime

    @classmethod
    def of(cls, summary: SessionSummary) -> EventSpec | None:
        """The event for a session; None for a session without a start time."""
        if summary.starts_at is None:
            return None
        starts = utc(summary.starts_at)
        ends = utc(summary.ends_at) if summary.ends_at else starts + DEFAULT_LENGTH
        name = ": ".join(p for p in (summary.reference, summary.title) if p) or summary.key
        room = render.shorten(summary.room or "", render.SCHEDULED_EVENT_LOCATION_LIMIT) or ONLINE
        return cls(
            summary.key,
            render.shorten(name, render.SCHEDULED_EVENT_NAME_LIMIT),
            room,
            starts,
            max(ends, starts + timedelta(minutes=1)),
        )

    @property
    def shown(self) -> tuple[str, str, datetime, datetime]:
        """What an edit compares."""
        return (self.name, self.location, self.starts_at, self.ends_at)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """The bot's record of one session's event in one server."""

    key: str
    status: EventStatus
    event_id: int | None = None
    spec: EventSpec | None = None  # as last sent
    detail: str | None = None

    def live(self, now: datetime) -> bool:
        """Published and not yet ended: it counts against the server's 100."""
        return self.status == "published" and self.spec is not None and self.spec.ends_at > now

    def started(self, now: datetime) -> bool:
        return self.spec is not None and self.spec.starts_at <= now


@dataclass(frozen=True, slots=True)
class EventActions:
    """What to do in one server. ``forget`` are records of ended events (nothing to ask
    Discord); ``left_out`` counts sessions waiting for room."""

    create: tuple[EventSpec, ...] = ()
    edit: tuple[tuple[StoredEvent, EventSpec], ...] = ()
    delete: tuple[StoredEvent, ...] = ()
    forget: tuple[StoredEvent, ...] = ()
    left_out: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.create or self.edit or self.delete or self.forget)


def _soonest(spec: EventSpec) -> tuple[Any, ...]:
    return (spec.starts_at, spec.key)


def _reconcile(
    event: StoredEvent, spec: EventSpec | None, now: datetime
) -> Literal["keep", "edit", "delete", "forget"]:
    """What to do with one published event, given its session's event now (None: gone)."""
    if not event.live(now):
        return "forget"  # ended: Discord completed it; a session moved later gets a new one
    if spec is None:
        return "delete"
    if event.started(now) or event.spec is None or spec.shown == event.spec.shown:
        return "keep"  # a started event cannot move; Discord ends it by itself
    return "edit" if spec.starts_at > now else "delete"


def plan_events(
    wanted: Iterable[EventSpec],
    current: Mapping[str, EventSpec | None],
    stored: Iterable[StoredEvent],
    now: datetime,
    free_slots: int,
) -> EventActions:
    """Decide one server's actions.

    `wanted`: events of the sessions in the published scopes that start after `now`.
    `current`: for live published sessions not in `wanted`, their event now (None: removed).
    `stored`: the bot's records (any 'pending' ones already settled by the caller).
    `free_slots`: how many more uncompleted events the server has room for now.
    """
    wanted_by_key = {spec.key: spec for spec in wanted}
    published = {e.key: e for e in stored if e.status == "published"}
    edit: list[tuple[StoredEvent, EventSpec]] = []
    delete: list[StoredEvent] = []
    forget: list[StoredEvent] = []
    for key, event in sorted(published.items()):
        spec = wanted_by_key.get(key) or current.get(key)
        verdict = _reconcile(event, spec, now)
        if verdict == "edit" and spec is not None:
            edit.append((event, spec))
        elif verdict == "delete":
            delete.append(event)
        elif verdict == "forget":
            forget.append(event)
    missing = sorted((s for k, s in wanted_by_key.items() if k not in published), key=_soonest)
    room = max(0, free_slots + sum(1 for e in delete if e.live(now)))
    create = missing[:room]
    return EventActions(
        tuple(create), tuple(edit), tuple(delete), tuple(forget), len(missing) - len(create)
    )
