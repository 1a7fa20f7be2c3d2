"""A session's scheduled event as Discord takes it, and as text, pure.

Limits and cutting come from `bot.render`. The description ends with the session's stable key
(`marker`): after a crash between creating an event and recording its id, the next sync finds
the event by it in Discord's list instead of creating a second one.
"""

from __future__ import annotations

from typing import Any

import discord

from bot import render
from bot.events.plan import EventSpec
from bot.models import Session

MARKER = "Session key: "


def marker(key: str) -> str:
    return f"{MARKER}{key}"


def key_in(description: str | None) -> str | None:
    """The session key a description made by `event_description` carries."""
    last = (description or "").rstrip().rpartition("\n")[2]
    return last.removeprefix(MARKER) if last.startswith(MARKER) else None


def event_description(key: str, record: Session | None) -> str:
    """ "Speakers: A, B…", the page link and the marker, within Discord's 1,000 characters."""
    tail = [render.safe_url(record.source_url) if record else None, marker(key)]
    fixed = "\n".join(t for t in tail if t)
    names = ", ".join(dict.fromkeys(s.name for s in record.speakers)) if record else ""
    if not names:
        return fixed
    room = render.SCHEDULED_EVENT_DESCRIPTION_LIMIT - len(fixed) - 1
    return render.shorten(f"Speakers: {names}", room) + "\n" + fixed


def event_body(spec: EventSpec, description: str) -> dict[str, Any]:
    """The REST body of an external event (create and edit)."""
    return {
        "name": spec.name,
        "description": description[: render.SCHEDULED_EVENT_DESCRIPTION_LIMIT],
        "scheduled_start_time": spec.starts_at.isoformat(),
        "scheduled_end_time": spec.ends_at.isoformat(),
        "entity_type": discord.EntityType.external.value,
        "privacy_level": discord.PrivacyLevel.guild_only.value,
        "entity_metadata": {"location": spec.location},
    }


def event_text(spec: EventSpec, description: str) -> str:
    """The event as a reader sees it in Discord's calendar (for the README and logs)."""
    when = f"{spec.starts_at:%a %d %b %Y %H:%M}–{spec.ends_at:%H:%M} UTC"
    return "\n".join((spec.name, f"{when} · {spec.location}", description))
