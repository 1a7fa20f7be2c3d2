"""The fake's world (users, guilds, channels, roles) and what it records (requests, files)."""

from __future__ import annotations

import datetime
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import discord

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bitfields, from discord.py so they always match the client under test.
ADMINISTRATOR: int = discord.Permissions(administrator=True).value
ALL_PERMISSIONS: int = discord.Permissions.all().value
MANAGE_GUILD: int = discord.Permissions(manage_guild=True).value  # "Manage Server", 1 << 5
DEFAULT_MEMBER_PERMISSIONS: int = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_application_commands=True,
    use_external_emojis=True,
    connect=True,
    speak=True,
).value
DEFAULT_BOT_PERMISSIONS: int = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_application_commands=True,
).value
MANAGE_EVENTS: int = discord.Permissions(manage_events=True).value
"""1 << 33: create, edit and delete any scheduled event of the guild."""
CREATE_EVENTS: int = discord.Permissions(create_events=True).value
"""1 << 44: create scheduled events, edit and delete one's own."""
# What a channel the bot is "forbidden" in leaves it (it can see the channel, nothing more).
FORBIDDEN_CHANNEL_PERMISSIONS: int = discord.Permissions(view_channel=True).value

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
GUILD_TEXT = 0
DM = 1
GUILD_VOICE = 2
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
PUBLIC_THREAD = 11
GUILD_FORUM = 15


class Snowflakes:
    """Real, time-ordered snowflakes (discord.py derives ``created_at`` from them)."""

    def __init__(self) -> None:
        self._increment = itertools.count()
        self._last = 0

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (ms << 22) | (1 << 17) | (1 << 12) | (next(self._increment) & 0xFFF)
        # Never go backwards, even inside one millisecond or if the clock steps back.
        self._last = max(value, self._last + 1)
        return self._last


@dataclass(eq=False)
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass(eq=False)
class FakeRole:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass(eq=False)
class FakeChannel:
    id: int
    guild_id: int | None
    name: str
    type: int = GUILD_TEXT
    parent_id: int | None = None
    position: int = 0
    topic: str | None = None
    forbidden: bool = False
    """Every REST call on it answers 403 50013 Missing Permissions; app_permissions drop."""
    deleted: bool = False
    recipients: list[FakeUser] = field(default_factory=list)
    last_message_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass(eq=False)
class FakeMember:
    user: FakeUser
    guild_id: int
    roles: list[FakeRole]
    joined_at: str
    nick: str | None = None


@dataclass(eq=False)
class FakeGuild:
    id: int
    name: str
    owner_id: int
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    roles: dict[int, FakeRole] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    locale: str = "en-US"

    def channel(self, name: str) -> FakeChannel:
        """The live (not deleted) channel called ``name``."""
        for channel in self.channels.values():
            if channel.name == name and not channel.deleted:
                return channel
        names = sorted(c.name for c in self.channels.values() if not c.deleted)
        raise KeyError(f"guild {self.name!r} has no channel {name!r}; it has {names}")

    def role(self, name: str) -> FakeRole:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"guild {self.name!r} has no role {name!r}")

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    @property
    def text_channels(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.type == GUILD_TEXT and not c.deleted]

    def permissions_of(self, user_id: int) -> int:
        """Guild-level permissions of a member, as Discord computes them (no overwrites)."""
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        value = self.everyone.permissions
        if member is not None:
            for role in member.roles:
                value |= role.permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value


@dataclass(eq=False)
class FakeAttachment:
    """Bytes served at ``url`` (the fake's CDN); ``payload()`` is Discord's attachment object."""

    id: int
    filename: str
    data: bytes
    url: str
    content_type: str | None = None
    description: str | None = None
    ephemeral: bool = False

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            out["content_type"] = self.content_type
        if self.description:
            out["description"] = self.description
        if self.ephemeral:
            out["ephemeral"] = True
        return out


@dataclass(eq=False)
class RecordedFile:
    """One ``files[n]`` part of a multipart request."""

    field_name: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass(eq=False)
class RecordedRequest:
    """One HTTP request the fake received, and what it answered."""

    method: str
    path: str
    """Without the ``/api/v10`` prefix for API calls, e.g. ``/channels/1/messages``."""
    query: dict[str, str]
    headers: dict[str, str]
    """Request headers; ``Authorization`` is replaced by ``<redacted>``."""
    json: Any
    """The JSON body, or the ``payload_json`` part of a multipart body; None without a body."""
    files: list[RecordedFile]
    at: float
    status: int = 0
    response: Any = None
    """The JSON the fake answered (None for 204)."""
    interaction_id: int | None = None
    """Set for callbacks and webhook calls of an interaction the fake dispatched."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def describe(self) -> str:
        line = f"{self.method} {self.path} -> {self.status}"
        if not self.ok and self.response is not None:
            line += f" {self.response}"
        return line


@dataclass
class GatewayEvent:
    """One websocket frame, decoded. ``direction`` is ``"sent"`` (by the fake) or ``"received"``."""

    direction: str
    op: int
    t: str | None
    s: int | None
    d: Any
    session_id: str | None


@dataclass
class CommandStats:
    """Application-command writes for one scope (global or one guild) since the fake started."""

    creates: int = 0
    """Commands that did not exist before (Discord allows 200 a day per scope)."""
    updates: int = 0
    deletes: int = 0
    unchanged: int = 0
    """Commands in a bulk overwrite identical to the stored one."""
    bulk_overwrites: int = 0

    @property
    def changes(self) -> int:
        return self.creates + self.updates + self.deletes


@dataclass(eq=False)
class FakeScheduledEvent:
    """A guild scheduled event as the fake stores it; ``payloads.scheduled_event_payload``
    turns it into Discord's object."""

    id: int
    guild_id: int
    creator_id: int
    name: str
    scheduled_start_time: datetime.datetime
    entity_type: int
    scheduled_end_time: datetime.datetime | None = None
    description: str | None = None
    privacy_level: int = 2
    status: int = 1
    channel_id: int | None = None
    location: str | None = None
    image: str | None = None
    user_count: int = 0
    """Subscribers; tests may set it (``with_user_count`` reports it)."""
