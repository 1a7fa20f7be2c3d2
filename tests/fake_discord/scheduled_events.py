"""Guild scheduled events as Discord keeps them: the store, who may change them, the field and
time rules, the 100 uncompleted events per guild, status transitions, and the automatic start
and end of EXTERNAL events on the fake's clock.

Source: https://discord.com/developers/docs/resources/guild-scheduled-event and the JSON
error codes of .../topics/opcodes-and-status-codes (10070, 30038, 50013, 180000)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from . import limits
from .limits import (
    ENTITY_EXTERNAL,
    EVENT_ACTIVE,
    EVENT_CANCELED,
    EVENT_COMPLETED,
    EVENT_SCHEDULED,
    Errors,
)
from .models import CREATE_EVENTS, GUILD_VOICE, MANAGE_EVENTS, FakeGuild, FakeScheduledEvent

GUILD_SCHEDULED_EVENTS = 1 << 16
"""The gateway intent of GUILD_SCHEDULED_EVENT_* dispatches."""
GUILD_STAGE_VOICE = 13

UNKNOWN_CHANNEL = {"code": 10003, "message": "Unknown Channel"}
UNKNOWN_EVENT = {"code": 10070, "message": "Unknown Guild Scheduled Event"}
MISSING_PERMISSIONS = {"code": 50013, "message": "Missing Permissions"}
TOO_MANY_EVENTS = {
    "code": 30038,
    "message": "Maximum number of uncompleted guild scheduled events reached "
    f"({limits.SCHEDULED_EVENTS_UNCOMPLETED_MAX})",
}
FINISHED_EVENT = {"code": 180000, "message": "Cannot update a finished event"}

_FIELDS = (
    "name",
    "description",
    "privacy_level",
    "entity_type",
    "scheduled_start_time",
    "scheduled_end_time",
    "channel_id",
    "entity_metadata",
)


class EventRefused(Exception):
    """What Discord answers instead (the server turns it into its ApiError)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body


class ScheduledEventStore:
    """Events per guild, changed by the bot (``actor_id``) only through Discord's rules,
    with the bot's guild-level permissions."""

    def __init__(
        self, new_id: Callable[[], int], now: Callable[[], datetime.datetime], *, actor_id: int
    ) -> None:
        self._new_id = new_id
        self._now = now
        self._actor_id = actor_id
        self.by_guild: dict[int, dict[int, FakeScheduledEvent]] = {}

    def in_guild(self, guild_id: int) -> list[FakeScheduledEvent]:
        return list(self.by_guild.get(guild_id, {}).values())

    def get(self, guild_id: int, event_id: int) -> FakeScheduledEvent:
        event = self.by_guild.get(guild_id, {}).get(event_id)
        if event is None:
            raise EventRefused(404, UNKNOWN_EVENT)
        return event

    def advance(self, guild_id: int) -> list[FakeScheduledEvent]:
        """Discord starts an EXTERNAL event at its start time and completes it at its end
        time by itself; returns the events whose status changed."""
        now = self._now()
        changed = []
        for event in self.in_guild(guild_id):
            before = event.status
            if event.entity_type != ENTITY_EXTERNAL:
                continue
            if event.status == EVENT_SCHEDULED and event.scheduled_start_time <= now:
                event.status = EVENT_ACTIVE
            end = event.scheduled_end_time
            if event.status == EVENT_ACTIVE and end is not None and end <= now:
                event.status = EVENT_COMPLETED
            if event.status != before:
                changed.append(event)
        return changed

    def create(self, guild: FakeGuild, body: Mapping[str, Any]) -> FakeScheduledEvent:
        if not guild.permissions_of(self._actor_id) & (MANAGE_EVENTS | CREATE_EVENTS):
            raise EventRefused(403, MISSING_PERMISSIONS)
        fields = {key: body.get(key) for key in _FIELDS}
        start, end = self._checked(guild, fields, Errors(), start_given=True)
        uncompleted = [
            e for e in self.in_guild(guild.id) if e.status in (EVENT_SCHEDULED, EVENT_ACTIVE)
        ]
        if len(uncompleted) >= limits.SCHEDULED_EVENTS_UNCOMPLETED_MAX:
            raise EventRefused(400, TOO_MANY_EVENTS)
        event = FakeScheduledEvent(
            id=self._new_id(),
            guild_id=guild.id,
            creator_id=self._actor_id,
            name=str(fields["name"]),
            scheduled_start_time=start,
            entity_type=int(fields["entity_type"] or 0),
        )
        self._apply(event, fields, end, body.get("image"))
        self.by_guild.setdefault(guild.id, {})[event.id] = event
        return event

    def edit(self, guild: FakeGuild, event_id: int, body: Mapping[str, Any]) -> FakeScheduledEvent:
        event = self.get(guild.id, event_id)
        self._check_may_change(guild, event)
        if event.status in (EVENT_COMPLETED, EVENT_CANCELED):
            raise EventRefused(400, FINISHED_EVENT)
        fields = {**_fields_of(event), **{k: v for k, v in body.items() if k in _FIELDS}}
        if fields["entity_type"] != ENTITY_EXTERNAL:
            fields["entity_metadata"] = None  # "silently discards entity_metadata"
        errors = _status_errors(event, body)
        start_given = "scheduled_start_time" in body and event.status == EVENT_SCHEDULED
        start, end = self._checked(guild, fields, errors, start_given=start_given)
        event.scheduled_start_time = start
        event.entity_type = int(fields["entity_type"])
        event.name = str(fields["name"])
        self._apply(event, fields, end, body.get("image", event.image))
        event.status = int(body.get("status") or event.status)
        return event

    def delete(self, guild: FakeGuild, event_id: int) -> FakeScheduledEvent:
        event = self.get(guild.id, event_id)
        self._check_may_change(guild, event)
        del self.by_guild[guild.id][event_id]
        return event

    def _check_may_change(self, guild: FakeGuild, event: FakeScheduledEvent) -> None:
        """MANAGE_EVENTS, or CREATE_EVENTS for one's own events."""
        permissions = guild.permissions_of(self._actor_id)
        own = event.creator_id == self._actor_id
        if not (permissions & MANAGE_EVENTS or (own and permissions & CREATE_EVENTS)):
            raise EventRefused(403, MISSING_PERMISSIONS)

    def _checked(
        self, guild: FakeGuild, fields: dict[str, Any], errors: Errors, *, start_given: bool
    ) -> tuple[datetime.datetime, datetime.datetime | None]:
        """The parsed start and end, or EventRefused with every problem of ``fields``."""
        errors.extend((), limits.validate_scheduled_event(fields))
        start = limits.parse_timestamp(
            errors, ("scheduled_start_time",), fields["scheduled_start_time"]
        )
        end = limits.parse_timestamp(errors, ("scheduled_end_time",), fields["scheduled_end_time"])
        errors.extend(
            (),
            limits.validate_event_times(start, end, now=self._now(), start_given=start_given),
        )
        if errors or start is None:
            raise EventRefused(400, errors.body())
        if fields["entity_type"] != ENTITY_EXTERNAL:
            channel = guild.channels.get(int(fields["channel_id"] or 0))
            if (
                channel is None
                or channel.deleted
                or channel.type not in (GUILD_VOICE, GUILD_STAGE_VOICE)
            ):
                raise EventRefused(404, UNKNOWN_CHANNEL)
        return start, end

    @staticmethod
    def _apply(
        event: FakeScheduledEvent,
        fields: Mapping[str, Any],
        end: datetime.datetime | None,
        image: Any,
    ) -> None:
        external = fields["entity_type"] == ENTITY_EXTERNAL
        event.scheduled_end_time = end
        event.description = fields["description"]
        event.privacy_level = int(fields["privacy_level"])
        event.channel_id = None if external else int(fields["channel_id"])
        event.location = fields["entity_metadata"]["location"] if external else None
        if image != event.image:
            event.image = secrets.token_hex(16) if image else None


def _fields_of(event: FakeScheduledEvent) -> dict[str, Any]:
    """The stored event in the shape of a create body."""
    end = event.scheduled_end_time
    return {
        "name": event.name,
        "description": event.description,
        "privacy_level": event.privacy_level,
        "entity_type": event.entity_type,
        "scheduled_start_time": event.scheduled_start_time.isoformat(),
        "scheduled_end_time": end.isoformat() if end else None,
        "channel_id": event.channel_id,
        "entity_metadata": {"location": event.location} if event.location is not None else None,
    }


def _status_errors(event: FakeScheduledEvent, body: Mapping[str, Any]) -> Errors:
    """A running event's start cannot be sent again; status moves only along Discord's
    transitions (SCHEDULED -> ACTIVE | CANCELED, ACTIVE -> COMPLETED)."""
    errors = Errors()
    if "scheduled_start_time" in body and event.status == EVENT_ACTIVE:
        errors.add(
            ("scheduled_start_time",),
            "GUILD_SCHEDULED_EVENT_SCHEDULE_INVALID_START_BY_STATUS",
            "Cannot update start time of an event that has started.",
        )
    status = body.get("status")
    allowed = limits.EVENT_TRANSITIONS.get(event.status, set())
    if "status" in body and status != event.status and status not in allowed:
        # The code is the fake's own: Discord's text for this case is not documented.
        errors.add(
            ("status",),
            "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
            f"Cannot change status from {event.status} to {status}.",
        )
    return errors
