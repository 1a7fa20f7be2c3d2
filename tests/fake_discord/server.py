"""FakeDiscord: Discord's REST API (``/api/v10``), gateway (``/``) and CDN (``/attachments``)
on 127.0.0.1, strict about payload limits, recording everything, driven by tests."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import mimetypes
import re
import secrets
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import discord
import discord.http
from aiohttp import BodyPartReader, hdrs, web

from . import limits
from .gateway import DIRECT_MESSAGES, GUILD_MEMBERS, GUILD_MESSAGES, GUILDS, Gateway, GatewaySession
from .interactions import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionFailed,
    InteractionRecord,
    InteractionResult,
    walk_components,
)
from .limits import FLAG_EPHEMERAL, FLAG_LOADING, Errors
from .models import (
    ADMINISTRATOR,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_MEMBER_PERMISSIONS,
    DM,
    FORBIDDEN_CHANNEL_PERMISSIONS,
    GUILD_TEXT,
    CommandStats,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeScheduledEvent,
    FakeUser,
    RecordedFile,
    RecordedRequest,
    Snowflakes,
)
from .payloads import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    CHAT_INPUT_COMMAND_MESSAGE,
    DEFAULT_MESSAGE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    _embed_as_returned,
    channel_payload,
    client_user_payload,
    guild_create_payload,
    interaction_metadata,
    interaction_payload,
    iso_now,
    member_payload,
    message_payload,
    number_components,
    role_payload,
    scheduled_event_payload,
    user_payload,
)
from .scheduled_events import GUILD_SCHEDULED_EVENTS, EventRefused, ScheduledEventStore

API_PREFIX = "/api/v10"
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
_SENDABLE_FLAGS = (
    FLAG_EPHEMERAL | FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | limits.FLAG_COMPONENTS_V2
)
_EDITABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | limits.FLAG_COMPONENTS_V2
_NO_AUTH = re.compile(r"/interactions/\d+/[^/]+/callback|/webhooks/\d+/[^/]+(/.*)?")
_FILE_FIELD = re.compile(r"files\[(\d+)\]")
_INTERACTION_TOKEN = re.compile(r"/interactions/\d+/([^/]+)/callback|/webhooks/\d+/([^/]+)(?:/.*)?")

UNKNOWN_CHANNEL = {"code": 10003, "message": "Unknown Channel"}
UNKNOWN_GUILD = {"code": 10004, "message": "Unknown Guild"}
UNKNOWN_MESSAGE = {"code": 10008, "message": "Unknown Message"}
UNKNOWN_USER = {"code": 10013, "message": "Unknown User"}
UNKNOWN_WEBHOOK = {"code": 10015, "message": "Unknown Webhook"}
UNKNOWN_INTERACTION = {"code": 10062, "message": "Unknown interaction"}
UNKNOWN_COMMAND = {"code": 10063, "message": "Unknown application command"}
MISSING_PERMISSIONS = {"code": 50013, "message": "Missing Permissions"}
EMPTY_MESSAGE = {"code": 50006, "message": "Cannot send an empty message"}
ALREADY_ACKNOWLEDGED = {"code": 40060, "message": "Interaction has already been acknowledged."}
TOO_LARGE = {"code": 40005, "message": "Request entity too large"}
UNAUTHORIZED = {"message": "401: Unauthorized", "code": 0}
CANNOT_MESSAGE_USER = {"code": 50007, "message": "Cannot send messages to this user"}
NOT_FOUND = {"message": "404: Not Found", "code": 0}


class ApiError(Exception):
    def __init__(
        self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@contextlib.contextmanager
def _as_api_error() -> Iterator[None]:
    """Scheduled-event refusals become the answer the middleware sends."""
    try:
        yield
    except EventRefused as exc:
        raise ApiError(exc.status, exc.body) from None


def _query_flag(request: web.Request, name: str) -> bool:
    """Discord's boolean query strings: ``true``/``1`` (discord.py sends ``0``/``1``)."""
    return request.query.get(name, "").lower() in ("1", "true")


def _id_of(thing: FakeUser | FakeGuild | int) -> int:
    return thing if isinstance(thing, int) else thing.id


def _form_error(path: tuple[str | int, ...], code: str, message: str) -> ApiError:
    errors = Errors()
    errors.add(path, code, message)
    return ApiError(400, errors.body())


@dataclass(eq=False)
class StoredMessage:
    payload: dict[str, Any]
    """The message as Discord returns it now."""
    channel: FakeChannel
    allowed_mentions: dict[str, Any] | None
    files: list[RecordedFile]
    visible_to: int | None = None
    """Ephemeral messages: the only user who sees them."""
    interaction_id: int | None = None
    writes: list[dict[str, Any]] = field(default_factory=list)
    """Every create/edit body the bot sent for it."""
    deleted: bool = False

    @property
    def id(self) -> int:
        return int(self.payload["id"])


@dataclass
class _RateLimitRule:
    method: str
    pattern: re.Pattern[str]
    remaining: int
    retry_after: float
    is_global: bool


@dataclass
class _Outgoing:
    event: str
    data: Any
    intent: int
    sent: asyncio.Future[None]
    on_sent: Callable[[], None] | None = None


MessageRef = dict[str, Any] | InteractionResult | int

# Per-request storage: the RecordedRequest (aiohttp >= 3.12 wants typed keys).
_REC: Any = (
    web.RequestKey("fake_discord.request", RecordedRequest)
    if hasattr(web, "RequestKey")
    else "fake_discord.request"
)


class FakeDiscord:
    """A fake Discord for discord.py's real client. Use as ``async with FakeDiscord() as fake``
    or ``start()``/``stop()``; see the package docstring for a walk-through."""

    def __init__(
        self,
        *,
        token: str = "fake-token",
        bot_name: str = "IGF Bot",
        response_deadline: float = 3.0,
        heartbeat_interval: float = 41.25,
        allowed_intents: int | None = None,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        attachment_size_limit: int = limits.FILE_SIZE_MAX,
        rejection_grace: float = 0.5,
    ) -> None:
        self.token = token
        self.response_deadline = response_deadline
        """Seconds the bot has for its first callback (Discord: 3)."""
        self.allowed_intents = allowed_intents
        """Privileged intents the "developer portal" enabled; None allows all."""
        self.bot_permissions = bot_permissions
        self.attachment_size_limit = attachment_size_limit
        self.rejection_grace = rejection_grace
        """After the fake refuses a request of an interaction, how long the bot has to
        recover before ``slash()`` & co. fail."""
        self._ids = Snowflakes()
        self.application_id = self._ids.next()
        self.bot_user = FakeUser(
            self._ids.next(), bot_name.lower().replace(" ", "-"), bot_name, bot=True
        )
        self.owner = FakeUser(self._ids.next(), "app-owner", "App Owner")
        self.users: dict[int, FakeUser] = {}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.attachments: dict[int, FakeAttachment] = {}
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        """Requests to routes the fake does not implement (answered 404)."""
        self.interactions: list[InteractionResult] = []
        self.unanswered: list[InteractionResult] = []
        """Interactions without a callback within ``response_deadline``."""
        self.gateway = Gateway(self, heartbeat_interval_ms=int(heartbeat_interval * 1000))
        self._messages: dict[int, StoredMessage] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self._returned_messages: set[int] = set()
        self._commands: dict[int | None, dict[int, dict[str, Any]]] = {}
        self._command_stats: dict[int | None, CommandStats] = {}
        self._rate_limits: list[_RateLimitRule] = []
        self._user_permissions: dict[int, int | None] = {}
        self._default_user: FakeUser | None = None
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._outbox: asyncio.Queue[_Outgoing] | None = None
        self._outbox_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._timers: list[asyncio.TimerHandle] = []
        self.port = 0
        self._clock: datetime.datetime | Callable[[], datetime.datetime] | None = None
        self._scheduled_events = ScheduledEventStore(
            self._ids.next, lambda: self.now, actor_id=self.bot_user.id
        )
        self._closed_dms: set[int] = set()

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._outbox = asyncio.Queue()
        self._outbox_task = asyncio.create_task(self._send_outbox(), name="fake-discord-outbox")

    async def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        if self._outbox_task is not None:
            self._outbox_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._outbox_task
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What ``point_discord_at`` / ``DISCORD_API_BASE`` takes."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # --- the world ---------------------------------------------------------------------------

    def add_guild(
        self,
        name: str = "Test Guild",
        channels: Iterable[str] = ("general",),
        *,
        owner: FakeUser | None = None,
        locale: str = "en-US",
    ) -> FakeGuild:
        """A guild the bot is in, with text channels, @everyone, and the bot's managed role.
        Users added earlier join it too. Dispatched as GUILD_CREATE if the bot is connected."""
        gid = self._ids.next()
        owner = owner or self.owner
        guild = FakeGuild(id=gid, name=name, owner_id=owner.id, locale=locale)
        guild.roles[gid] = FakeRole(gid, gid, "@everyone", DEFAULT_MEMBER_PERMISSIONS)
        bot_role = FakeRole(
            self._ids.next(),
            gid,
            self.bot_user.global_name or "bot",
            self.bot_permissions,
            position=1,
            managed=True,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, gid, [bot_role], iso_now())
        guild.members[owner.id] = FakeMember(owner, gid, [], iso_now())
        self.guilds[gid] = guild
        for position, channel_name in enumerate(channels):
            self._new_channel(guild, channel_name, GUILD_TEXT, None, None, position)
        for user in self.users.values():
            self._join(guild, user, (), dispatch=False)
        self._enqueue("GUILD_CREATE", lambda s: self._guild_create(guild, s), GUILDS)
        return guild

    def add_channel(
        self,
        guild: FakeGuild,
        name: str,
        *,
        type: int = GUILD_TEXT,
        parent: FakeChannel | None = None,
        topic: str | None = None,
    ) -> FakeChannel:
        channel = self._new_channel(
            guild, name, type, parent.id if parent else None, topic, len(guild.channels)
        )
        self._enqueue("CHANNEL_CREATE", channel_payload(channel), GUILDS)
        return channel

    def _new_channel(
        self,
        guild: FakeGuild,
        name: str,
        type: int,
        parent_id: int | None,
        topic: str | None,
        position: int,
    ) -> FakeChannel:
        channel = FakeChannel(self._ids.next(), guild.id, name, type, parent_id, position, topic)
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def delete_channel(self, channel: FakeChannel) -> None:
        """The channel disappears: REST answers 404 10003; the bot gets CHANNEL_DELETE."""
        channel.deleted = True
        self._enqueue("CHANNEL_DELETE", channel_payload(channel), GUILDS)

    def forbid_channel(self, channel: FakeChannel, forbidden: bool = True) -> None:
        """The bot loses its permissions there: REST answers 403 50013, and interactions
        from it carry reduced ``app_permissions`` (interaction replies still work)."""
        channel.forbidden = forbidden

    def add_role(self, guild: FakeGuild, name: str, permissions: int = 0) -> FakeRole:
        role = FakeRole(self._ids.next(), guild.id, name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        self._enqueue(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role_payload(role)}, GUILDS
        )
        return role

    def add_user(
        self,
        name: str,
        *,
        permissions: int | None = None,
        roles: Iterable[FakeRole] = (),
        guilds: Iterable[FakeGuild] | None = None,
        global_name: str | None = None,
    ) -> FakeUser:
        """A user who joins ``guilds`` (default: every guild, now and later). ``permissions``
        (e.g. ``ADMINISTRATOR``) become a role of theirs in each guild."""
        user = FakeUser(self._ids.next(), name, global_name)
        self.users[user.id] = user
        self._user_permissions[user.id] = permissions
        for guild in self.guilds.values() if guilds is None else guilds:
            self._join(guild, user, [r for r in roles if r.guild_id == guild.id], dispatch=True)
        return user

    def _join(
        self, guild: FakeGuild, user: FakeUser, roles: Iterable[FakeRole], *, dispatch: bool
    ) -> None:
        member_roles = list(roles)
        permissions = self._user_permissions.get(user.id)
        if permissions:
            role = FakeRole(
                self._ids.next(),
                guild.id,
                f"{user.username}-permissions",
                permissions,
                position=len(guild.roles),
            )
            guild.roles[role.id] = role
            member_roles.append(role)
            if dispatch:
                self._enqueue(
                    "GUILD_ROLE_CREATE",
                    {"guild_id": str(guild.id), "role": role_payload(role)},
                    GUILDS,
                )
        member = FakeMember(user, guild.id, member_roles, iso_now())
        guild.members[user.id] = member
        if dispatch:
            self._enqueue(
                "GUILD_MEMBER_ADD",
                {**member_payload(member), "guild_id": str(guild.id)},
                GUILD_MEMBERS,
            )

    @property
    def default_user(self) -> FakeUser:
        """The user of interactions that name none (created on first use)."""
        if self._default_user is None:
            self._default_user = self.add_user("tester", global_name="Tester")
        return self._default_user

    def add_attachment(
        self,
        filename: str,
        data: bytes,
        *,
        content_type: str | None = None,
        description: str | None = None,
    ) -> FakeAttachment:
        """Bytes on the fake CDN, usable as an attachment option of ``slash()``."""
        aid = self._ids.next()
        guessed = mimetypes.guess_type(filename)[0]
        attachment = FakeAttachment(
            id=aid,
            filename=filename,
            data=bytes(data),
            url=f"{self.base_url}/attachments/{aid}/{urllib.parse.quote(filename, safe='')}",
            content_type=content_type or guessed,
            description=description,
        )
        self.attachments[aid] = attachment
        return attachment

    # --- observing ---------------------------------------------------------------------------

    def requests_to(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Requests whose path (without ``/api/v10``) fully matches ``path_regex``."""
        pattern = re.compile(path_regex)
        return [
            r for r in self.requests if r.method == method.upper() and pattern.fullmatch(r.path)
        ]

    @property
    def rejections(self) -> list[RecordedRequest]:
        """Every request answered with a 4xx/5xx, in order."""
        return [r for r in self.requests if r.status >= 400]

    def assert_no_errors(self) -> None:
        """Fail if any request was refused or any interaction went unanswered."""
        problems = [r.describe() for r in self.rejections]
        problems += [f"unanswered interaction {r.record.label}" for r in self.unanswered]
        if problems:
            raise AssertionError("fake Discord saw problems:\n  " + "\n  ".join(problems))

    def message(self, message_id: int) -> dict[str, Any]:
        stored = self._messages.get(message_id)
        if stored is None:
            raise KeyError(f"no message {message_id}")
        return stored.payload

    def stored_message(self, message: MessageRef) -> StoredMessage:
        """Everything the fake knows about a message (files, allowed_mentions, writes)."""
        return self._stored(message)

    def messages_in(self, channel: FakeChannel) -> list[dict[str, Any]]:
        """Messages everyone sees in the channel (not deleted, not ephemeral), oldest first."""
        return [
            m.payload
            for m in self._messages.values()
            if m.channel is channel and not m.deleted and m.visible_to is None
        ]

    async def wait_for_message(
        self,
        channel: FakeChannel,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The next message the bot posted itself in ``channel`` (``POST /channels/{id}/
        messages``; interaction replies are in InteractionResult) matching ``predicate`` that
        this method has not returned before. Already-posted messages count: no race."""

        def find() -> StoredMessage | None:
            for stored in self._messages.values():
                if (
                    stored.channel is channel
                    and stored.interaction_id is None
                    and not stored.deleted
                    and stored.id not in self._returned_messages
                    and (predicate is None or predicate(stored.payload))
                ):
                    return stored
            return None

        if not await self._wait(lambda: find() is not None, timeout):
            recent = "\n  ".join(r.describe() for r in self.requests[-10:])
            raise AssertionError(
                f"no new matching message in #{channel.name} after {timeout}s "
                f"({len(self._returned_messages)} returned before). Last requests:\n  {recent}"
            )
        found = find()
        assert found is not None
        self._returned_messages.add(found.id)
        return found.payload

    def commands(self, guild: FakeGuild | None = None) -> list[dict[str, Any]]:
        """Commands synced globally (``guild=None``) or to ``guild``."""
        return list(self._commands.get(guild.id if guild else None, {}).values())

    def command_stats(self, guild: FakeGuild | None = None) -> CommandStats:
        return self._command_stats.setdefault(guild.id if guild else None, CommandStats())

    async def wait_for_commands(
        self,
        *names: str,
        guild: FakeGuild | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        def synced() -> bool:
            have = {c["name"] for c in self.commands(guild)}
            return bool(have) and set(names) <= have

        if not await self._wait(synced, timeout):
            raise AssertionError(
                f"commands {names} not synced to {'guild ' + guild.name if guild else 'global'} "
                f"after {timeout}s; synced: {[c['name'] for c in self.commands(guild)]}"
            )

    # --- fault injection ---------------------------------------------------------------------

    def rate_limit(
        self,
        method: str,
        path_regex: str,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
    ) -> None:
        """The next ``times`` matching requests get a proper 429 (``retry_after``, ``Via``,
        ``X-RateLimit-*``), so discord.py waits and retries."""
        self._rate_limits.append(
            _RateLimitRule(method.upper(), re.compile(path_regex), times, retry_after, is_global)
        )

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's websocket with ``code``; it should RESUME (``wait_until_ready``)."""
        await self.flush()
        await self.gateway.drop(code)
        self._changed()

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send any gateway event to the bot."""
        await self._enqueue_and_wait(event, data)

    async def flush(self) -> None:
        """Wait until every queued gateway event has been sent."""
        if self._outbox is not None:
            await self._outbox.join()

    # --- clock, scheduled events, DMs, bot permissions (test-facing) ------------------------

    @property
    def now(self) -> datetime.datetime:
        """The fake's clock for time rules (scheduled events start in the future, EXTERNAL
        events start and end by themselves): real UTC time unless a test set ``fake.now`` to
        an aware datetime or to a function returning one (an injected clock); None resets."""
        clock = self._clock
        if clock is None:
            return datetime.datetime.now(datetime.UTC)
        return clock() if callable(clock) else clock

    @now.setter
    def now(self, value: datetime.datetime | Callable[[], datetime.datetime] | None) -> None:
        self._clock = value

    def scheduled_events(self, guild: FakeGuild | int) -> list[dict[str, Any]]:
        """The guild's scheduled events as Discord returns them (with ``user_count``)."""
        gid = _id_of(guild)
        self._advance_events(gid)
        return [
            self._event_payload(e, with_user_count=True)
            for e in self._scheduled_events.in_guild(gid)
        ]

    def scheduled_event(self, guild: FakeGuild | int, event_id: int) -> FakeScheduledEvent:
        """The stored event itself, e.g. to set its ``user_count``."""
        gid = _id_of(guild)
        try:
            return self._scheduled_events.get(gid, event_id)
        except EventRefused:
            raise KeyError(f"no scheduled event {event_id} in guild {gid}") from None

    def grant_bot_permissions(self, guild: FakeGuild, permissions: int) -> None:
        """Add ``permissions`` (e.g. ``MANAGE_EVENTS``) to the bot's role in ``guild``."""
        role = self._bot_role(guild)
        self._set_role_permissions(guild, role, role.permissions | permissions)

    def revoke_bot_permissions(self, guild: FakeGuild, permissions: int) -> None:
        """Take ``permissions`` away from the bot's role in ``guild``."""
        role = self._bot_role(guild)
        self._set_role_permissions(guild, role, role.permissions & ~permissions)

    def close_dms(self, user: FakeUser | int, closed: bool = True) -> None:
        """The user accepts no DMs from the bot: opening the DM channel still works, a
        message in it is refused with 403 50007 "Cannot send messages to this user"."""
        uid = _id_of(user)
        if closed:
            self._closed_dms.add(uid)
        else:
            self._closed_dms.discard(uid)

    def forget_user(self, user: FakeUser | int) -> None:
        """The user no longer exists: ``GET /users/{id}`` and opening a DM answer 404 10013
        Unknown User; a message in an already open DM channel answers 403 50007."""
        uid = _id_of(user)
        self.users.pop(uid, None)

    def dm_messages(self, user: FakeUser | int) -> list[dict[str, Any]]:
        """Messages in the user's DM channel with the bot, oldest first."""
        uid = _id_of(user)
        return [
            message
            for channel in self.channels.values()
            if channel.type == DM and [u.id for u in channel.recipients] == [uid]
            for message in self.messages_in(channel)
        ]

    def _bot_role(self, guild: FakeGuild) -> FakeRole:
        member = guild.members[self.bot_user.id]
        return next(r for r in member.roles if r.managed)

    def _set_role_permissions(self, guild: FakeGuild, role: FakeRole, permissions: int) -> None:
        role.permissions = permissions
        data = {"guild_id": str(guild.id), "role": role_payload(role)}
        self._enqueue("GUILD_ROLE_UPDATE", data, GUILDS)

    def _check_dm_recipient(self, channel: FakeChannel) -> None:
        if channel.type != DM:
            return
        for user in channel.recipients:
            if user.id in self._closed_dms or user.id not in self.users:
                raise ApiError(403, CANNOT_MESSAGE_USER)

    def _event_payload(
        self, event: FakeScheduledEvent, *, with_user_count: bool = False
    ) -> dict[str, Any]:
        creator = self.users.get(event.creator_id) or (
            self.bot_user if event.creator_id == self.bot_user.id else None
        )
        return scheduled_event_payload(event, creator=creator, with_user_count=with_user_count)

    def _dispatch_event(self, name: str, event: FakeScheduledEvent) -> None:
        self._enqueue(name, self._event_payload(event), GUILD_SCHEDULED_EVENTS)

    def _advance_events(self, guild_id: int) -> None:
        for event in self._scheduled_events.advance(guild_id):
            self._dispatch_event("GUILD_SCHEDULED_EVENT_UPDATE", event)

    # --- gateway readiness -------------------------------------------------------------------

    async def wait_until_ready(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """A client identified (or resumed) and got READY and its GUILD_CREATEs."""

        def ready() -> bool:
            session = self.gateway.current
            return session is not None and session.live and session.guilds_sent

        if not await self._wait(ready, timeout):
            last = "\n  ".join(r.describe() for r in self.requests[-5:]) or "(no requests)"
            raise AssertionError(
                f"no bot connected to the fake gateway within {timeout}s "
                f"(connections: {self.gateway.connections}, identifies: "
                f"{self.gateway.identifies}). Is discord pointed at {self.base_url}? "
                f"Last requests:\n  {last}"
            )

    @contextlib.asynccontextmanager
    async def run(
        self,
        bot: discord.Client,
        *,
        token: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> AsyncIterator[discord.Client]:
        """Start ``bot`` against the fake, wait for its ``on_ready``; close it afterwards and
        re-raise anything ``bot.start()`` raised."""
        if self.api_url != discord.http.Route.BASE:
            raise AssertionError(
                f"discord.py points at {discord.http.Route.BASE}, not the fake: call "
                f"point_discord_at(fake.base_url) (the fake_discord fixture does)"
            )
        task = asyncio.create_task(bot.start(token or self.token), name="bot-under-test")
        try:
            await self._race(task, self.wait_until_ready(timeout))
            await self._race(task, asyncio.wait_for(bot.wait_until_ready(), timeout))
            yield bot
        finally:
            await bot.close()
            if not task.done():
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, 5.0)
        # Reached only when the test body passed: surface a crash of bot.start().
        if task.done() and not task.cancelled() and (exc := task.exception()) is not None:
            raise exc

    @staticmethod
    async def _race(task: asyncio.Task[None], awaitable: Awaitable[Any]) -> None:
        waiter = asyncio.ensure_future(awaitable)
        done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if waiter in done:
            waiter.result()
            return
        waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiter
        exc = task.exception()
        raise AssertionError(f"the bot stopped before it was ready: {exc!r}") from exc

    # --- interactions (the test-facing API) --------------------------------------------------

    async def slash(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        dm: bool = False,
        permissions: int | None = None,
        locale: str = "en-US",
        bypass_default_permissions: bool = False,
        wait: bool = True,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """Run ``/command`` (``"digest channel"`` or ``subcommand="channel"`` for
        subcommands) with typed ``options`` (str/int/float/bool, FakeUser, FakeChannel,
        FakeRole, FakeAttachment). Waits until the bot's answer is final: a reply (4), or a
        defer (5) followed by an edit of @original, a followup or a deletion."""
        guild, channel, user = self._context(guild, channel, user, dm)
        path = command.split() + (subcommand.split() if subcommand else [])
        data, label = await self._command_data(
            path,
            options or {},
            guild=guild,
            channel=channel,
            user=user,
            focused=None,
            permissions=permissions,
            bypass=bypass_default_permissions,
            timeout=timeout,
        )
        result = await self._interact(
            APPLICATION_COMMAND,
            data,
            label,
            guild=guild,
            channel=channel,
            user=user,
            permissions=permissions,
            locale=locale,
        )
        if wait:
            await self.wait_settled(result, timeout=timeout)
        return result

    async def autocomplete(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        focused: str,
        subcommand: str | None = None,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        dm: bool = False,
        locale: str = "en-US",
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Type into option ``focused`` (its text is ``options[focused]``, default ``""``);
        returns the choices the bot answered. Fails (InteractionFailed) if the fake refused
        them, e.g. more than 25: discord.py only logs autocomplete errors."""
        guild, channel, user = self._context(guild, channel, user, dm)
        path = command.split() + (subcommand.split() if subcommand else [])
        given = dict(options or {})
        given.setdefault(focused, "")
        data, label = await self._command_data(
            path,
            given,
            guild=guild,
            channel=channel,
            user=user,
            focused=focused,
            permissions=None,
            bypass=False,
            timeout=timeout,
        )
        result = await self._interact(
            AUTOCOMPLETE,
            data,
            f"autocomplete {label} [{focused}]",
            guild=guild,
            channel=channel,
            user=user,
            permissions=None,
            locale=locale,
        )
        await self.wait_settled(result, timeout=timeout, grace=0.0)
        assert result.choices is not None
        return result.choices

    async def click(
        self,
        message: MessageRef,
        custom_id: str,
        *,
        user: FakeUser | None = None,
        wait: bool = True,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """Click the button ``custom_id`` on a message (a message dict, an InteractionResult
        or a message id). The result's ``message`` is the updated message for answers 6/7."""
        stored = self._stored(message)
        component = self._component(stored, custom_id)
        if component.get("type") != limits.BUTTON:
            raise AssertionError(f"{custom_id!r} is not a button: {component}")
        if component.get("style") in (5, 6):
            raise AssertionError(f"{custom_id!r} is a link/premium button: no interaction")
        data = {"custom_id": custom_id, "component_type": limits.BUTTON}
        return await self._component_interaction(
            stored, data, f"click {custom_id!r}", user, wait, timeout
        )

    async def select(
        self,
        message: MessageRef,
        custom_id: str,
        values: Iterable[Any],
        *,
        user: FakeUser | None = None,
        wait: bool = True,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """Pick ``values`` in the select menu ``custom_id`` (option values for string
        selects; FakeUser/FakeRole/FakeChannel for user/role/mentionable/channel selects)."""
        stored = self._stored(message)
        component = self._component(stored, custom_id)
        kind = component.get("type")
        if kind not in limits.SELECT_TYPES:
            raise AssertionError(f"{custom_id!r} is not a select menu: {component}")
        chosen = list(values)
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(chosen) <= high:
            raise AssertionError(f"select {custom_id!r} takes {low}..{high} values, got {chosen}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if kind == limits.STRING_SELECT:
            offered = [o.get("value") for o in component.get("options") or []]
            unknown = [v for v in chosen if v not in offered]
            if unknown:
                raise AssertionError(f"select {custom_id!r} offers {offered}, not {unknown}")
            data["values"] = chosen
        else:
            guild = self.guilds.get(stored.channel.guild_id or 0)
            resolved: dict[str, dict[str, Any]] = {}
            ids = [self._resolve_entity(v, kind, guild, resolved) for v in chosen]
            data["values"] = ids
            data["resolved"] = resolved
        return await self._component_interaction(
            stored, data, f"select {custom_id!r}={chosen}", user, wait, timeout
        )

    async def submit_modal(
        self,
        shown: InteractionResult,
        values: Mapping[str, Any],
        *,
        user: FakeUser | None = None,
        wait: bool = True,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """Fill and submit the modal the bot answered ``shown`` with: ``values`` maps text
        input custom_ids to text (select custom_ids to lists of values)."""
        modal = shown.modal
        if modal is None:
            raise InteractionFailed(f"{shown.record.label} did not open a modal", shown)
        components, known = self._modal_answer(modal, values)
        unknown = set(values) - known
        if unknown:
            raise AssertionError(f"modal {modal.get('custom_id')!r} has no inputs {unknown}")
        record = shown.record
        source = self._messages.get(record.source_message_id or 0)
        data = {"custom_id": modal.get("custom_id"), "components": components}
        result = await self._interact(
            MODAL_SUBMIT,
            data,
            f"submit modal {modal.get('custom_id')!r}",
            guild=record.guild,
            channel=record.channel,
            user=user or record.user,
            permissions=None,
            locale="en-US",
            message=source.payload if source else None,
            source_message_id=source.id if source else None,
        )
        if wait:
            await self.wait_settled(result, timeout=timeout)
        return result

    async def wait_settled(
        self,
        result: InteractionResult,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        grace: float | None = None,
    ) -> InteractionResult:
        """Wait until Discord would show the bot's final answer; fail with a report of what
        the fake received if it does not come, was refused, or missed the 3 s deadline."""
        record = result.record
        grace = self.rejection_grace if grace is None else grace

        def done() -> bool:
            if record.settled or record.missed_deadline:
                return True
            if record.last_rejection_at is None:
                return False
            last = max(q.at for q in record.requests)
            return time.monotonic() - last >= grace

        await self._wait(done, timeout)
        if record.settled:
            return result
        if record.missed_deadline:
            why = f"no callback within {self.response_deadline}s: 'The application did not respond'"
        elif record.last_rejection_at is not None:
            why = "the fake refused the bot's request(s)"
        elif record.response_type is None:
            why = f"no callback after {timeout}s"
        else:
            why = f"deferred ({result.response_name}) but no edit/followup after {timeout}s"
        raise InteractionFailed(f"{record.label}: {why}\n{result.describe()}", result)

    # --- building interactions ---------------------------------------------------------------

    def _context(
        self,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        user: FakeUser | None,
        dm: bool,
    ) -> tuple[FakeGuild | None, FakeChannel, FakeUser]:
        user = user or self.default_user
        if dm:
            return None, self._dm_channel(user), user
        if guild is None and channel is not None and channel.guild_id is not None:
            guild = self.guilds[channel.guild_id]
        if guild is None:
            if len(self.guilds) != 1:
                raise AssertionError(
                    f"pass guild= (the fake has {len(self.guilds)} guilds) or dm=True"
                )
            guild = next(iter(self.guilds.values()))
        if channel is None:
            if not guild.text_channels:
                raise AssertionError(f"guild {guild.name!r} has no text channel")
            channel = guild.text_channels[0]
        if channel.guild_id != guild.id:
            raise AssertionError(f"#{channel.name} is not in guild {guild.name!r}")
        if channel.deleted:
            raise AssertionError(f"#{channel.name} was deleted")
        if user.id not in guild.members:
            self._join(guild, user, (), dispatch=True)
        return guild, channel, user

    def _dm_channel(self, user: FakeUser) -> FakeChannel:
        for channel in self.channels.values():
            if channel.type == DM and channel.recipients == [user]:
                return channel
        channel = FakeChannel(self._ids.next(), None, "", DM, recipients=[user])
        self.channels[channel.id] = channel
        return channel

    def _permissions(self, guild: FakeGuild | None, user: FakeUser, override: int | None) -> int:
        if override is not None:
            return override
        if guild is None:
            return DEFAULT_MEMBER_PERMISSIONS
        return guild.permissions_of(user.id)

    def _app_permissions(self, guild: FakeGuild | None, channel: FakeChannel) -> int:
        if guild is None:
            return DEFAULT_BOT_PERMISSIONS
        value = guild.permissions_of(self.bot_user.id)
        return value & FORBIDDEN_CHANNEL_PERMISSIONS if channel.forbidden else value

    def _find_command(
        self, name: str, guild: FakeGuild | None
    ) -> tuple[dict[str, Any], int | None] | None:
        scopes: list[int | None] = [guild.id, None] if guild else [None]
        for scope in scopes:
            for cmd in self._commands.get(scope, {}).values():
                if cmd["name"] == name and cmd.get("type", 1) == 1:
                    return cmd, scope
        return None

    async def _command_data(
        self,
        path: list[str],
        options: Mapping[str, Any],
        *,
        guild: FakeGuild | None,
        channel: FakeChannel,
        user: FakeUser,
        focused: str | None,
        permissions: int | None,
        bypass: bool,
        timeout: float,  # noqa: ASYNC109
    ) -> tuple[dict[str, Any], str]:
        label = "/" + " ".join(path)
        await self.wait_until_ready(timeout)
        if not await self._wait(lambda: self._find_command(path[0], guild) is not None, timeout):
            scopes = {"global": [c["name"] for c in self.commands()]}
            if guild:
                scopes[guild.name] = [c["name"] for c in self.commands(guild)]
            raise AssertionError(f"{label}: /{path[0]} is not synced; synced commands: {scopes}")
        found = self._find_command(path[0], guild)
        assert found is not None
        command, scope = found
        self._check_command_visible(command, label, guild, user, permissions, bypass)
        chain: list[dict[str, Any]] = []
        node = command
        for part in path[1:]:
            subs = [o for o in node.get("options") or [] if o.get("type") in (1, 2)]
            match = next((o for o in subs if o["name"] == part), None)
            if match is None:
                raise AssertionError(
                    f"{label}: no subcommand {part!r}; has {[o['name'] for o in subs]}"
                )
            chain.append(match)
            node = match
        leaf_options = node.get("options") or []
        if any(o.get("type") in (1, 2) for o in leaf_options):
            names = [o["name"] for o in leaf_options]
            raise AssertionError(f"{label} needs a subcommand: one of {names}")
        resolved: dict[str, dict[str, Any]] = {}
        built = self._build_options(label, leaf_options, options, guild, user, focused, resolved)
        for sub in reversed(chain):
            wrapped: dict[str, Any] = {"type": sub["type"], "name": sub["name"]}
            if built:
                wrapped["options"] = built
            built = [wrapped]
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1}
        if built:
            data["options"] = built
        if resolved and focused is None:  # autocomplete carries no resolved data
            data["resolved"] = resolved
        if scope is not None:
            data["guild_id"] = str(scope)
        return data, label

    def _check_command_visible(
        self,
        command: dict[str, Any],
        label: str,
        guild: FakeGuild | None,
        user: FakeUser,
        permissions: int | None,
        bypass: bool,
    ) -> None:
        contexts = command.get("contexts")
        if guild is None and (
            command.get("dm_permission") is False or (contexts and 1 not in contexts)
        ):
            raise AssertionError(f"{label} is not available in DMs")
        if guild is not None and contexts and 0 not in contexts:
            raise AssertionError(f"{label} is not available in guilds")
        required = command.get("default_member_permissions")
        if guild is None or required is None or bypass:
            return
        have = self._permissions(guild, user, permissions)
        needed = int(required)
        if not have & ADMINISTRATOR and (needed == 0 or have & needed != needed):
            raise AssertionError(
                f"Discord hides {label} from {user.username}: default_member_permissions "
                f"{needed} not in their permissions {have} (bypass_default_permissions=True "
                f"to test the bot's own check)"
            )

    def _build_options(
        self,
        label: str,
        schema: list[dict[str, Any]],
        given: Mapping[str, Any],
        guild: FakeGuild | None,
        user: FakeUser,
        focused: str | None,
        resolved: dict[str, dict[str, Any]],
    ) -> list[dict[str, Any]]:
        by_name = {o["name"]: o for o in schema}
        unknown = sorted(set(given) - set(by_name))
        if unknown:
            raise AssertionError(f"{label} has no option(s) {unknown}; it has {sorted(by_name)}")
        out: list[dict[str, Any]] = []
        for option in schema:
            name = option["name"]
            if name not in given:
                if option.get("required") and focused is None:
                    raise AssertionError(f"{label}: option {name!r} is required")
                continue
            value = given[name]
            if name == focused:
                if not option.get("autocomplete"):
                    raise AssertionError(f"{label}: option {name!r} has no autocomplete")
                out.append(
                    {"type": option["type"], "name": name, "value": str(value), "focused": True}
                )
                continue
            out.append(
                {
                    "type": option["type"],
                    "name": name,
                    "value": self._option_value(label, option, value, guild, resolved),
                }
            )
        return out

    def _option_value(
        self,
        label: str,
        option: dict[str, Any],
        value: Any,
        guild: FakeGuild | None,
        resolved: dict[str, dict[str, Any]],
    ) -> Any:
        kind = option["type"]
        where = f"{label} option {option['name']!r}"
        if kind == limits.STRING:
            if not isinstance(value, str):
                raise AssertionError(f"{where} takes a str, not {value!r}")
            low, high = option.get("min_length", 0), option.get("max_length", 6000)
            if not low <= len(value) <= high:
                raise AssertionError(f"{where}: length must be {low}..{high}")
        elif kind in (limits.INTEGER, limits.NUMBER):
            types: tuple[type, ...] = (int,) if kind == limits.INTEGER else (int, float)
            if isinstance(value, bool) or not isinstance(value, types):
                raise AssertionError(f"{where} takes a number, not {value!r}")
            low, high = option.get("min_value"), option.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise AssertionError(f"{where}: {value} is outside {low}..{high}")
        elif kind == limits.BOOLEAN:
            if not isinstance(value, bool):
                raise AssertionError(f"{where} takes a bool, not {value!r}")
        else:
            return self._resolve_entity(value, kind, guild, resolved, where=where, option=option)
        choices = option.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise AssertionError(
                f"{where}: {value!r} is not one of {[c['value'] for c in choices]}"
            )
        return value

    def _resolve_entity(
        self,
        value: Any,
        kind: int,
        guild: FakeGuild | None,
        resolved: dict[str, dict[str, Any]],
        *,
        where: str = "",
        option: dict[str, Any] | None = None,
    ) -> str:
        """A snowflake option/select value, adding its object to ``resolved``."""
        user_kinds = (limits.USER, limits.MENTIONABLE, 5, 7)  # option types, then select types
        role_kinds = (limits.ROLE, limits.MENTIONABLE, 6, 7)
        channel_kinds = (limits.CHANNEL, 8)
        if isinstance(value, FakeUser) and kind in user_kinds:
            resolved.setdefault("users", {})[str(value.id)] = user_payload(value)
            member = guild.members.get(value.id) if guild else None
            if member is not None:
                resolved.setdefault("members", {})[str(value.id)] = member_payload(
                    member, permissions=self._permissions(guild, value, None), with_user=False
                )
            return str(value.id)
        if isinstance(value, FakeRole) and kind in role_kinds:
            resolved.setdefault("roles", {})[str(value.id)] = role_payload(value)
            return str(value.id)
        if isinstance(value, FakeChannel) and kind in channel_kinds:
            if guild is not None and value.guild_id != guild.id:
                raise AssertionError(f"{where}: #{value.name} is in another guild")
            allowed = (option or {}).get("channel_types")
            if allowed and value.type not in allowed:
                raise AssertionError(f"{where}: channel type {value.type} not in {allowed}")
            resolved.setdefault("channels", {})[str(value.id)] = {
                "id": str(value.id),
                "name": value.name,
                "type": value.type,
                "permissions": str(self._app_permissions(guild, value)),
                "parent_id": str(value.parent_id) if value.parent_id else None,
                "guild_id": str(value.guild_id) if value.guild_id else None,
                "flags": 0,
            }
            return str(value.id)
        if kind == limits.ATTACHMENT:
            if isinstance(value, tuple):
                value = self.add_attachment(value[0], value[1])
            if isinstance(value, FakeAttachment):
                resolved.setdefault("attachments", {})[str(value.id)] = {
                    **value.payload(),
                    "ephemeral": True,
                }
                return str(value.id)
        raise AssertionError(
            f"{where or 'value'}: {value!r} does not fit option/select type {kind}"
        )

    def _component(self, stored: StoredMessage, custom_id: str) -> dict[str, Any]:
        components = list(walk_components(stored.payload.get("components") or []))
        for component in components:
            if component.get("custom_id") == custom_id:
                if component.get("disabled"):
                    raise AssertionError(f"component {custom_id!r} is disabled")
                return component
        ids = [c.get("custom_id") for c in components if c.get("custom_id")]
        raise AssertionError(f"message {stored.id} has no component {custom_id!r}; it has {ids}")

    async def _component_interaction(
        self,
        stored: StoredMessage,
        data: dict[str, Any],
        label: str,
        user: FakeUser | None,
        wait: bool,
        timeout: float,  # noqa: ASYNC109
    ) -> InteractionResult:
        if stored.deleted:
            raise AssertionError(f"message {stored.id} was deleted")
        user = user or self._message_user(stored)
        if stored.visible_to is not None and user.id != stored.visible_to:
            raise AssertionError(f"message {stored.id} is ephemeral: only its user can click it")
        channel = stored.channel
        guild = self.guilds.get(channel.guild_id) if channel.guild_id else None
        if guild is not None and user.id not in guild.members:
            self._join(guild, user, (), dispatch=True)
        result = await self._interact(
            MESSAGE_COMPONENT,
            data,
            label,
            guild=guild,
            channel=channel,
            user=user,
            permissions=None,
            locale="en-US",
            message=stored.payload,
            source_message_id=stored.id,
        )
        if wait:
            await self.wait_settled(result, timeout=timeout)
        return result

    def _message_user(self, stored: StoredMessage) -> FakeUser:
        metadata = stored.payload.get("interaction_metadata")
        if metadata is not None:
            uid = int(metadata["user"]["id"])
            if uid in self.users:
                return self.users[uid]
        return self.default_user

    def _modal_answer(
        self, modal: dict[str, Any], values: Mapping[str, Any]
    ) -> tuple[list[dict[str, Any]], set[str]]:
        known: set[str] = set()

        def answer(c: dict[str, Any]) -> dict[str, Any]:
            cid = c.get("custom_id")
            known.add(cid or "")
            if c.get("type") == limits.TEXT_INPUT:
                text = values.get(cid or "", c.get("value") or "")
                if not isinstance(text, str):
                    raise AssertionError(f"modal input {cid!r} takes text, not {text!r}")
                if c.get("required", True) and not text:
                    raise AssertionError(f"modal input {cid!r} is required")
                low, high = c.get("min_length", 0), c.get("max_length", 4000)
                if text and not low <= len(text) <= high:
                    raise AssertionError(f"modal input {cid!r}: length must be {low}..{high}")
                return {"type": limits.TEXT_INPUT, "custom_id": cid, "value": text}
            return {
                "type": c.get("type"),
                "custom_id": cid,
                "values": list(values.get(cid or "", [])),
            }

        out: list[dict[str, Any]] = []
        for row in modal.get("components") or []:
            if row.get("type") == limits.ACTION_ROW:
                out.append(
                    {"type": 1, "components": [answer(c) for c in row.get("components") or []]}
                )
            elif row.get("type") == limits.LABEL and isinstance(row.get("component"), dict):
                out.append({"type": limits.LABEL, "component": answer(row["component"])})
        return out, known

    async def _interact(
        self,
        itype: int,
        data: dict[str, Any],
        label: str,
        *,
        guild: FakeGuild | None,
        channel: FakeChannel,
        user: FakeUser,
        permissions: int | None,
        locale: str,
        message: dict[str, Any] | None = None,
        source_message_id: int | None = None,
    ) -> InteractionResult:
        await self.wait_until_ready()
        iid = self._ids.next()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        member = guild.members[user.id] if guild else None
        payload = interaction_payload(
            interaction_id=iid,
            interaction_type=itype,
            token=token,
            application_id=self.application_id,
            data=data,
            user=user,
            member=member,
            guild=guild,
            channel=channel,
            permissions=self._permissions(guild, user, permissions),
            app_permissions=self._app_permissions(guild, channel),
            locale=locale,
            message=message,
            attachment_size_limit=self.attachment_size_limit,
        )
        record = InteractionRecord(
            id=iid,
            token=token,
            type=itype,
            label=label,
            payload=payload,
            user=user,
            guild=guild,
            channel=channel,
            source_message_id=source_message_id,
        )
        result = InteractionResult(self, record)
        self._by_token[token] = record
        self.interactions.append(result)

        def sent() -> None:
            record.dispatched_at = time.monotonic()
            loop = asyncio.get_running_loop()
            self._timers.append(loop.call_later(self.response_deadline, self._deadline, result))

        await self._enqueue_and_wait("INTERACTION_CREATE", payload, on_sent=sent)
        return result

    def _deadline(self, result: InteractionResult) -> None:
        if result.record.response_type is None:
            result.record.missed_deadline = True
            self.unanswered.append(result)
            self._changed()

    def _stored(self, message: MessageRef) -> StoredMessage:
        if isinstance(message, InteractionResult):
            stored = message.stored
            if stored is None:
                raise InteractionFailed(f"{message.record.label} has no message", message)
            return stored
        mid = message if isinstance(message, int) else int(message["id"])
        try:
            return self._messages[mid]
        except KeyError:
            raise AssertionError(f"the fake has no message {mid}") from None

    # --- gateway plumbing --------------------------------------------------------------------

    def _enqueue(
        self,
        event: str,
        data: Any,
        intent: int = 0,
        on_sent: Callable[[], None] | None = None,
    ) -> asyncio.Future[None] | None:
        """Queue a dispatch for the bot's current session (in order; needs a running loop).
        ``data`` may be a function of the session. Without a session nothing is queued:
        READY/GUILD_CREATE will carry the state."""
        if self._outbox is None or self.gateway.current is None:
            return None
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._outbox.put_nowait(_Outgoing(event, data, intent, future, on_sent))
        return future

    async def _enqueue_and_wait(
        self, event: str, data: Any, *, on_sent: Callable[[], None] | None = None
    ) -> None:
        future = self._enqueue(event, data, 0, on_sent)
        if future is None:
            raise AssertionError(f"cannot dispatch {event}: no bot session")
        await future

    async def _send_outbox(self) -> None:
        assert self._outbox is not None
        while True:
            item = await self._outbox.get()
            try:
                session = self.gateway.current
                if session is not None and (not item.intent or session.intents & item.intent):
                    data = item.data(session) if callable(item.data) else item.data
                    await self.gateway.dispatch(session, item.event, data)
                    if item.on_sent is not None:
                        item.on_sent()
                if not item.sent.done():
                    item.sent.set_result(None)
            except Exception as exc:  # never let the outbox die silently
                if not item.sent.done():
                    item.sent.set_exception(exc)
            finally:
                self._outbox.task_done()

    def _ready_payload(self, session: GatewaySession) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": 10,
            "user": client_user_payload(self.bot_user),
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/resume",
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "guild_join_requests": [],
            "auth": {},
            "user_settings": {},
            "_trace": ["fake-discord"],
        }
        if session.shard is not None:
            data["shard"] = session.shard
        return data

    def _guild_create(self, guild: FakeGuild, session: GatewaySession) -> dict[str, Any]:
        payload = guild_create_payload(
            guild, bot=self.bot_user, include_all_members=bool(session.intents & GUILD_MEMBERS)
        )
        events = self._scheduled_events.in_guild(guild.id)
        payload["guild_scheduled_events"] = [self._event_payload(e) for e in events]
        return payload

    def _member_payload(self, member: FakeMember) -> dict[str, Any]:
        return member_payload(member)

    def _token_ok(self, token: Any) -> bool:
        return isinstance(token, str) and token == self.token

    # --- waiting -----------------------------------------------------------------------------

    def _changed(self) -> None:
        """Something happened: wake the waiters whose condition now holds."""
        for predicate, future in list(self._waiters):
            if future.done():
                continue
            try:
                ok = predicate()
            except Exception as exc:
                future.set_exception(exc)
                continue
            if ok:
                future.set_result(None)

    async def _wait(self, predicate: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        if predicate():
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (predicate, future)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(future, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiters.remove(entry)

    # --- HTTP plumbing -----------------------------------------------------------------------

    def _add_routes(self, app: web.Application) -> None:
        r = app.router
        api = API_PREFIX
        r.add_get("/", self.gateway.handle)
        r.add_get("/resume", self.gateway.handle)
        r.add_get("/attachments/{attachment_id}/{filename}", self._cdn)
        r.add_get(api + "/users/@me", self._users_me)
        r.add_get(api + "/users/{user_id}", self._get_user)
        r.add_post(api + "/users/@me/channels", self._create_dm)
        r.add_get(api + "/oauth2/applications/@me", self._application_me)
        r.add_get(api + "/applications/@me", self._application_me)
        r.add_get(api + "/gateway", self._gateway_url)
        r.add_get(api + "/gateway/bot", self._gateway_bot)
        for prefix in (
            api + "/applications/{application_id}",
            api + "/applications/{application_id}/guilds/{guild_id}",
        ):
            r.add_get(prefix + "/commands", self._list_commands)
            r.add_put(prefix + "/commands", self._bulk_overwrite_commands)
            r.add_post(prefix + "/commands", self._create_command)
            r.add_get(prefix + "/commands/{command_id}", self._get_command)
            r.add_patch(prefix + "/commands/{command_id}", self._edit_command)
            r.add_delete(prefix + "/commands/{command_id}", self._delete_command)
        r.add_post(api + "/interactions/{interaction_id}/{token}/callback", self._callback)
        r.add_post(api + "/webhooks/{application_id}/{token}", self._followup)
        hook_message = api + "/webhooks/{application_id}/{token}/messages/{message_id}"
        r.add_get(hook_message, self._get_webhook_message)
        r.add_patch(hook_message, self._edit_webhook_message)
        r.add_delete(hook_message, self._delete_webhook_message)
        r.add_get(api + "/channels/{channel_id}", self._get_channel)
        r.add_get(api + "/channels/{channel_id}/messages", self._list_messages)
        r.add_post(api + "/channels/{channel_id}/messages", self._create_channel_message)
        r.add_post(api + "/channels/{channel_id}/typing", self._typing)
        message = api + "/channels/{channel_id}/messages/{message_id}"
        r.add_get(message, self._get_channel_message)
        r.add_patch(message, self._edit_channel_message)
        r.add_delete(message, self._delete_channel_message)
        r.add_get(api + "/guilds/{guild_id}", self._get_guild)
        r.add_get(api + "/guilds/{guild_id}/channels", self._get_guild_channels)
        r.add_get(api + "/guilds/{guild_id}/members/{user_id}", self._get_member)
        events = api + "/guilds/{guild_id}/scheduled-events"
        r.add_get(events, self._list_scheduled_events)
        r.add_post(events, self._create_scheduled_event)
        r.add_get(events + "/{event_id}", self._get_scheduled_event)
        r.add_patch(events + "/{event_id}", self._edit_scheduled_event)
        r.add_delete(events + "/{event_id}", self._delete_scheduled_event)

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.headers.get(hdrs.UPGRADE, "").lower() == "websocket":
            return await handler(request)
        path = request.path
        is_api = path.startswith(API_PREFIX)
        headers = {
            k: ("<redacted>" if k.lower() == "authorization" else v)
            for k, v in request.headers.items()
        }
        rec = RecordedRequest(
            method=request.method,
            path=path[len(API_PREFIX) :] if is_api else path,
            query=dict(request.query),
            headers=headers,
            json=None,
            files=[],
            at=time.monotonic(),
        )
        request[_REC] = rec
        self.requests.append(rec)
        token_match = _INTERACTION_TOKEN.fullmatch(rec.path) if is_api else None
        record = (
            self._by_token.get(token_match.group(1) or token_match.group(2))
            if token_match
            else None
        )
        if record is not None:
            rec.interaction_id = record.id
            record.requests.append(rec)
        try:
            await self._read_body(request, rec)
            self._check_rate_limit(rec)
            if is_api and not _NO_AUTH.fullmatch(rec.path):
                auth = request.headers.get("Authorization", "")
                if not (auth.startswith("Bot ") and self._token_ok(auth[4:])):
                    raise ApiError(401, UNAUTHORIZED)
            response = await handler(request)
        except ApiError as exc:
            response = self._reply(request, exc.status, exc.body, exc.headers)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            self.unhandled.append(rec)
            response = self._reply(request, 404, NOT_FOUND)
        rec.status = response.status
        if record is not None and rec.status >= 400 and rec.status != 429:
            record.last_rejection_at = time.monotonic()
            loop = asyncio.get_running_loop()
            self._timers.append(loop.call_later(self.rejection_grace + 0.01, self._changed))
        self._changed()
        return response

    async def _read_body(self, request: web.Request, rec: RecordedRequest) -> None:
        if not request.body_exists:
            return
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):  # nested multipart: not Discord's
                    continue
                if part.name == "payload_json":
                    rec.json = self._parse_json(await part.read(decode=True))
                elif part.filename is not None or _FILE_FIELD.fullmatch(part.name or ""):
                    data = bytes(await part.read(decode=False))
                    rec.files.append(
                        RecordedFile(
                            field_name=part.name or "",
                            filename=part.filename or "",
                            content_type=part.headers.get(hdrs.CONTENT_TYPE),
                            data=data,
                        )
                    )
            for f in rec.files:
                if len(f.data) > self.attachment_size_limit:
                    raise ApiError(413, TOO_LARGE)
            return
        raw = await request.read()
        if raw and request.content_type == "application/json":
            rec.json = self._parse_json(raw)

    @staticmethod
    def _parse_json(raw: bytes | bytearray) -> Any:
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiError(
                400, {"code": 50109, "message": "The request body contains invalid JSON."}
            ) from None

    def _check_rate_limit(self, rec: RecordedRequest) -> None:
        for rule in self._rate_limits:
            if (
                rule.remaining > 0
                and rule.method == rec.method
                and rule.pattern.fullmatch(rec.path)
            ):
                rule.remaining -= 1
                headers = {
                    "Via": "1.1 google",
                    "Retry-After": str(max(1, round(rule.retry_after))),
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                    "X-RateLimit-Bucket": "fake-" + secrets.token_hex(8),
                    "X-RateLimit-Scope": "global" if rule.is_global else "user",
                }
                if rule.is_global:
                    headers["X-RateLimit-Global"] = "true"
                body = {
                    "message": "You are being rate limited.",
                    "retry_after": rule.retry_after,
                    "global": rule.is_global,
                }
                raise ApiError(429, body, headers)

    @staticmethod
    def _reply(
        request: web.Request,
        status: int,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> web.Response:
        """Discord's JSON: ``Content-Type: application/json`` exactly (no charset), or 204."""
        request[_REC].response = body
        if status == 204 or body is None:
            return web.Response(status=204, headers=headers)
        return web.Response(
            status=status,
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    @staticmethod
    def _snowflake(request: web.Request, key: str) -> int:
        raw = request.match_info[key]
        if not raw.isdigit():
            raise _form_error((key,), "NUMBER_TYPE_COERCE", f'Value "{raw}" is not snowflake.')
        return int(raw)

    @staticmethod
    def _body(request: web.Request) -> dict[str, Any]:
        body = request[_REC].json
        if body is None:
            return {}
        if not isinstance(body, dict):
            raise _form_error(
                (), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"
            )
        return body

    # --- REST: identity, gateway, CDN --------------------------------------------------------

    async def _users_me(self, request: web.Request) -> web.Response:
        return self._reply(request, 200, client_user_payload(self.bot_user))

    async def _get_user(self, request: web.Request) -> web.Response:
        uid = self._snowflake(request, "user_id")
        user = self.users.get(uid) or (self.bot_user if uid == self.bot_user.id else None)
        if user is None:
            raise ApiError(404, UNKNOWN_USER)
        return self._reply(request, 200, user_payload(user))

    async def _create_dm(self, request: web.Request) -> web.Response:
        uid = int(self._body(request).get("recipient_id") or 0)
        user = self.users.get(uid)
        if user is None:
            raise ApiError(404, UNKNOWN_USER)
        return self._reply(request, 200, channel_payload(self._dm_channel(user)))

    async def _application_me(self, request: web.Request) -> web.Response:
        bot_name = self.bot_user.global_name or self.bot_user.username
        return self._reply(
            request,
            200,
            {
                "id": str(self.application_id),
                "name": bot_name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": user_payload(self.owner),
                "team": None,
                "bot": user_payload(self.bot_user),
                "rpc_origins": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "tags": [],
                "approximate_guild_count": len(self.guilds),
            },
        )

    async def _gateway_url(self, request: web.Request) -> web.Response:
        return self._reply(request, 200, {"url": f"ws://127.0.0.1:{self.port}"})

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        return self._reply(
            request,
            200,
            {
                "url": f"ws://127.0.0.1:{self.port}",
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000 - self.gateway.identifies,
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            },
        )

    async def _cdn(self, request: web.Request) -> web.Response:
        raw = request.match_info["attachment_id"]
        attachment = self.attachments.get(int(raw)) if raw.isdigit() else None
        if attachment is None or attachment.filename != request.match_info["filename"]:
            request[_REC].response = "404: Not Found"
            return web.Response(status=404, text="404: Not Found")
        return web.Response(
            body=attachment.data,
            headers={"Content-Type": attachment.content_type or "application/octet-stream"},
        )

    # --- REST: application commands ----------------------------------------------------------

    def _command_scope(self, request: web.Request) -> int | None:
        if self._snowflake(request, "application_id") != self.application_id:
            raise ApiError(403, {"code": 50001, "message": "Missing Access"})
        if "guild_id" not in request.match_info:
            return None
        gid = self._snowflake(request, "guild_id")
        if gid not in self.guilds:
            raise ApiError(404, UNKNOWN_GUILD)
        return gid

    def _command_payload(
        self, body: dict[str, Any], scope: int | None, command_id: int
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": 1,
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            "name_localizations": None,
            "description_localizations": None,
            "options": [],
            **{k: v for k, v in body.items() if v is not None or k == "default_member_permissions"},
            "id": str(command_id),
            "application_id": str(self.application_id),
            "version": str(self._ids.next()),
        }
        if scope is not None:
            out["guild_id"] = str(scope)
        return out

    def _check_daily_creates(self, stats: CommandStats, new: int) -> None:
        if stats.creates + new > limits.COMMAND_CREATES_PER_DAY:
            # Discord answers 429 with retry_after ~1 day. Without ``Via`` discord.py raises
            # at once instead of sleeping a day, which is what a test wants.
            raise ApiError(
                429,
                {
                    "message": "Max number of daily application command creates has been "
                    f"reached ({limits.COMMAND_CREATES_PER_DAY})",
                    "code": 30034,
                    "retry_after": 86400,
                    "global": False,
                },
            )

    async def _list_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        return self._reply(request, 200, list(self._commands.get(scope, {}).values()))

    async def _bulk_overwrite_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        body = request[_REC].json
        errors = limits.validate_command_list(body)
        if errors:
            raise ApiError(400, errors.body())
        stats = self._command_stats.setdefault(scope, CommandStats())
        old = {(c.get("type", 1), c["name"]): c for c in self._commands.get(scope, {}).values()}
        keys = [(c.get("type", 1), c["name"]) for c in body]
        self._check_daily_creates(stats, sum(k not in old for k in keys))
        stats.bulk_overwrites += 1
        new: dict[int, dict[str, Any]] = {}
        for key, command in zip(keys, body, strict=True):
            previous = old.get(key)
            if previous is None:
                stats.creates += 1
                stored = self._command_payload(command, scope, self._ids.next())
            elif _normalize_command(previous) != _normalize_command(command):
                stats.updates += 1
                stored = self._command_payload(command, scope, int(previous["id"]))
            else:
                stats.unchanged += 1
                stored = previous
            new[int(stored["id"])] = stored
        stats.deletes += len(set(old) - set(keys))
        self._commands[scope] = new
        return self._reply(request, 200, list(new.values()))

    async def _create_command(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        body = self._body(request)
        errors = limits.validate_command(body)
        if errors:
            raise ApiError(400, errors.body())
        store = self._commands.setdefault(scope, {})
        stats = self._command_stats.setdefault(scope, CommandStats())
        key = (body.get("type", 1), body.get("name"))
        previous = next((c for c in store.values() if (c.get("type", 1), c["name"]) == key), None)
        if previous is not None:
            if _normalize_command(previous) == _normalize_command(body):
                stats.unchanged += 1
                return self._reply(request, 200, previous)
            stats.updates += 1
            stored = self._command_payload(body, scope, int(previous["id"]))
            store[int(stored["id"])] = stored
            return self._reply(request, 200, stored)
        if len([c for c in store.values() if c.get("type", 1) == key[0]]) >= (
            limits.CHAT_INPUT_COMMANDS_MAX if key[0] == 1 else limits.CONTEXT_MENU_COMMANDS_MAX
        ):
            raise ApiError(
                400, {"code": 30032, "message": "Maximum number of application commands reached"}
            )
        self._check_daily_creates(stats, 1)
        stats.creates += 1
        stored = self._command_payload(body, scope, self._ids.next())
        store[int(stored["id"])] = stored
        return self._reply(request, 201, stored)

    def _command(self, request: web.Request) -> tuple[int | None, dict[str, Any]]:
        scope = self._command_scope(request)
        command = self._commands.get(scope, {}).get(self._snowflake(request, "command_id"))
        if command is None:
            raise ApiError(404, UNKNOWN_COMMAND)
        return scope, command

    async def _get_command(self, request: web.Request) -> web.Response:
        return self._reply(request, 200, self._command(request)[1])

    async def _edit_command(self, request: web.Request) -> web.Response:
        scope, command = self._command(request)
        merged = {**_strip_ids(command), **self._body(request)}
        errors = limits.validate_command(merged)
        if errors:
            raise ApiError(400, errors.body())
        stats = self._command_stats.setdefault(scope, CommandStats())
        if _normalize_command(command) != _normalize_command(merged):
            stats.updates += 1
        stored = self._command_payload(merged, scope, int(command["id"]))
        self._commands[scope][int(command["id"])] = stored
        return self._reply(request, 200, stored)

    async def _delete_command(self, request: web.Request) -> web.Response:
        scope, command = self._command(request)
        del self._commands[scope][int(command["id"])]
        self._command_stats.setdefault(scope, CommandStats()).deletes += 1
        return self._reply(request, 204)

    # --- REST: interaction callbacks and webhooks --------------------------------------------

    def _allowed_callbacks(self, record: InteractionRecord) -> set[int]:
        if record.type == APPLICATION_COMMAND:
            return {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL}
        if record.type == MESSAGE_COMPONENT:
            return {
                CHANNEL_MESSAGE,
                DEFERRED_CHANNEL_MESSAGE,
                DEFERRED_UPDATE_MESSAGE,
                UPDATE_MESSAGE,
                MODAL,
            }
        if record.type == AUTOCOMPLETE:
            return {AUTOCOMPLETE_RESULT}
        if record.type == MODAL_SUBMIT:
            allowed = {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE}
            if record.source_message_id is not None:
                allowed |= {DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE}
            return allowed
        return set()

    async def _callback(self, request: web.Request) -> web.Response:
        iid = self._snowflake(request, "interaction_id")
        record = self._by_token.get(request.match_info["token"])
        if record is None or record.id != iid:
            raise ApiError(404, UNKNOWN_INTERACTION)
        rec = request[_REC]
        if record.missed_deadline:
            raise ApiError(404, UNKNOWN_INTERACTION)
        if record.response_type is not None:
            raise ApiError(400, ALREADY_ACKNOWLEDGED)
        body = self._body(request)
        kind = body.get("type")
        allowed = self._allowed_callbacks(record)
        if kind not in allowed:
            raise _form_error(
                ("type",), "BASE_TYPE_CHOICES", f"Value must be one of {sorted(allowed)}."
            )
        data = body.get("data") or {}
        if not isinstance(data, dict):
            raise _form_error(
                ("data",), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"
            )
        errors = Errors()
        if kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            errors.extend(("data",), limits.validate_message(data, files=len(rec.files)))
        elif kind == AUTOCOMPLETE_RESULT:
            errors.extend(("data",), limits.validate_autocomplete(data))
        elif kind == MODAL:
            errors.extend(("data",), limits.validate_modal(data))
        if errors:
            raise ApiError(400, errors.body())

        flags = data.get("flags") or 0
        ephemeral = bool(flags & FLAG_EPHEMERAL)
        stored: StoredMessage | None = None
        if kind == CHANNEL_MESSAGE:
            if limits.message_is_empty(data) and not rec.files:
                raise ApiError(400, EMPTY_MESSAGE)
            stored = self._create_message(
                record.channel,
                data,
                rec.files,
                message_type=CHAT_INPUT_COMMAND_MESSAGE
                if record.type == APPLICATION_COMMAND
                else DEFAULT_MESSAGE,
                flags=flags & _SENDABLE_FLAGS,
                record=record,
            )
            record.original_id = stored.id
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            stored = self._create_message(
                record.channel,
                {},
                [],
                message_type=CHAT_INPUT_COMMAND_MESSAGE
                if record.type == APPLICATION_COMMAND
                else DEFAULT_MESSAGE,
                flags=FLAG_LOADING | (flags & FLAG_EPHEMERAL),
                record=record,
                allow_empty=True,
            )
            record.original_id = stored.id
        elif kind in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
            source = self._messages.get(record.source_message_id or 0)
            if source is None or source.deleted:
                raise ApiError(404, UNKNOWN_MESSAGE)
            if kind == UPDATE_MESSAGE:
                self._edit_message(source, data, rec.files)
            record.original_id = source.id
            stored = source
            ephemeral = source.visible_to is not None
        elif kind == AUTOCOMPLETE_RESULT:
            record.choices = list(data.get("choices") or [])
        elif kind == MODAL:
            record.modal = data
        record.response_type = kind
        record.response = body
        record.responded_at = time.monotonic()

        if request.query.get("with_response", "").lower() not in ("1", "true"):
            return self._reply(request, 204)
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "activity_instance_id": None,
                "response_message_id": str(stored.id) if stored else None,
                "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": ephemeral,
            }
        }
        if stored is not None and kind != DEFERRED_UPDATE_MESSAGE:
            answer["resource"] = {"type": kind, "message": stored.payload}
        return self._reply(request, 200, answer)

    def _webhook_record(self, request: web.Request) -> InteractionRecord:
        app = self._snowflake(request, "application_id")
        record = self._by_token.get(request.match_info["token"])
        if record is None or app != self.application_id:
            raise ApiError(404, UNKNOWN_WEBHOOK)
        return record

    async def _followup(self, request: web.Request) -> web.Response:
        record = self._webhook_record(request)
        if record.response_type is None or record.response_type in (AUTOCOMPLETE_RESULT, MODAL):
            raise ApiError(404, UNKNOWN_WEBHOOK)
        rec = request[_REC]
        body = self._body(request)
        errors = limits.validate_message(body, files=len(rec.files))
        if errors:
            raise ApiError(400, errors.body())
        if limits.message_is_empty(body) and not rec.files:
            raise ApiError(400, EMPTY_MESSAGE)
        original = self._messages.get(record.original_id or 0)
        if (
            record.response_type == DEFERRED_CHANNEL_MESSAGE
            and original is not None
            and not original.deleted
            and original.payload["flags"] & FLAG_LOADING
        ):
            # The first followup after a "thinking" defer replaces the loading message
            # (and keeps the defer's ephemerality).
            self._edit_message(original, body, rec.files)
            stored = original
        else:
            stored = self._create_message(
                record.channel,
                body,
                rec.files,
                message_type=DEFAULT_MESSAGE,
                flags=(body.get("flags") or 0) & _SENDABLE_FLAGS,
                record=record,
            )
        record.followup_ids.append(stored.id)
        if request.query.get("wait", "").lower() in ("1", "true"):
            return self._reply(request, 200, stored.payload)
        return self._reply(request, 204)

    def _webhook_message(self, request: web.Request) -> StoredMessage:
        """``@original`` or a followup of the interaction whose token is in the path."""
        record = self._webhook_record(request)
        raw = request.match_info["message_id"]
        if raw == "@original":
            mid = record.original_id
        else:
            mid = self._snowflake(request, "message_id")
            if mid != record.original_id and mid not in record.followup_ids:
                raise ApiError(404, UNKNOWN_MESSAGE)
        stored = self._messages.get(mid or 0)
        if stored is None or stored.deleted:
            raise ApiError(404, UNKNOWN_MESSAGE)
        return stored

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        stored = self._webhook_message(request)
        return self._reply(request, 200, stored.payload)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        stored = self._webhook_message(request)
        rec = request[_REC]
        self._edit_message(stored, self._body(request), rec.files)
        return self._reply(request, 200, stored.payload)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        stored = self._webhook_message(request)
        self._delete_message(stored)
        return self._reply(request, 204)

    # --- REST: channels and messages ---------------------------------------------------------

    def _rest_channel(self, request: web.Request) -> FakeChannel:
        channel = self.channels.get(self._snowflake(request, "channel_id"))
        if channel is None or channel.deleted:
            raise ApiError(404, UNKNOWN_CHANNEL)
        if channel.forbidden:
            raise ApiError(403, MISSING_PERMISSIONS)
        return channel

    def _channel_message(self, request: web.Request) -> StoredMessage:
        channel = self._rest_channel(request)
        stored = self._messages.get(self._snowflake(request, "message_id"))
        if stored is None or stored.deleted or stored.channel is not channel or stored.visible_to:
            raise ApiError(404, UNKNOWN_MESSAGE)
        return stored

    async def _get_channel(self, request: web.Request) -> web.Response:
        return self._reply(request, 200, channel_payload(self._rest_channel(request)))

    async def _typing(self, request: web.Request) -> web.Response:
        self._rest_channel(request)
        return self._reply(request, 204)

    async def _list_messages(self, request: web.Request) -> web.Response:
        channel = self._rest_channel(request)
        limit = min(int(request.query.get("limit", "50")), 100)
        newest_first = list(reversed(self.messages_in(channel)))[:limit]
        return self._reply(request, 200, newest_first)

    async def _create_channel_message(self, request: web.Request) -> web.Response:
        channel = self._rest_channel(request)
        self._check_dm_recipient(channel)
        rec = request[_REC]
        body = self._body(request)
        errors = limits.validate_message(body, files=len(rec.files))
        if errors:
            raise ApiError(400, errors.body())
        if limits.message_is_empty(body) and not rec.files:
            raise ApiError(400, EMPTY_MESSAGE)
        reference = body.get("message_reference")
        if reference and reference.get("fail_if_not_exists", True):
            target = self._messages.get(int(reference.get("message_id") or 0))
            if target is None or target.deleted:
                raise _form_error(
                    ("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
                )
        stored = self._create_message(
            channel,
            body,
            rec.files,
            message_type=19 if reference else DEFAULT_MESSAGE,
            flags=(body.get("flags") or 0) & (FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS),
            record=None,
        )
        return self._reply(request, 200, stored.payload)

    async def _get_channel_message(self, request: web.Request) -> web.Response:
        return self._reply(request, 200, self._channel_message(request).payload)

    async def _edit_channel_message(self, request: web.Request) -> web.Response:
        stored = self._channel_message(request)
        if int(stored.payload["author"]["id"]) != self.bot_user.id:
            raise ApiError(
                403, {"code": 50005, "message": "Cannot edit a message authored by another user"}
            )
        rec = request[_REC]
        self._edit_message(stored, self._body(request), rec.files)
        return self._reply(request, 200, stored.payload)

    async def _delete_channel_message(self, request: web.Request) -> web.Response:
        self._delete_message(self._channel_message(request))
        return self._reply(request, 204)

    async def _get_guild(self, request: web.Request) -> web.Response:
        guild = self.guilds.get(self._snowflake(request, "guild_id"))
        if guild is None:
            raise ApiError(404, UNKNOWN_GUILD)
        payload = guild_create_payload(guild, bot=self.bot_user, include_all_members=False)
        for key in ("members", "channels", "threads", "presences", "voice_states", "joined_at"):
            payload.pop(key, None)
        return self._reply(request, 200, payload)

    async def _get_guild_channels(self, request: web.Request) -> web.Response:
        guild = self.guilds.get(self._snowflake(request, "guild_id"))
        if guild is None:
            raise ApiError(404, UNKNOWN_GUILD)
        channels = [channel_payload(c) for c in guild.channels.values() if not c.deleted]
        return self._reply(request, 200, channels)

    async def _get_member(self, request: web.Request) -> web.Response:
        guild = self.guilds.get(self._snowflake(request, "guild_id"))
        if guild is None:
            raise ApiError(404, UNKNOWN_GUILD)
        member = guild.members.get(self._snowflake(request, "user_id"))
        if member is None:
            raise ApiError(404, {"code": 10007, "message": "Unknown Member"})
        return self._reply(request, 200, member_payload(member))

    # --- REST: guild scheduled events --------------------------------------------------------

    def _events_guild(self, request: web.Request) -> FakeGuild:
        guild = self.guilds.get(self._snowflake(request, "guild_id"))
        if guild is None:
            raise ApiError(404, UNKNOWN_GUILD)
        self._advance_events(guild.id)
        return guild

    async def _list_scheduled_events(self, request: web.Request) -> web.Response:
        guild = self._events_guild(request)
        counts = _query_flag(request, "with_user_count")
        events = self._scheduled_events.in_guild(guild.id)
        return self._reply(
            request, 200, [self._event_payload(e, with_user_count=counts) for e in events]
        )

    async def _create_scheduled_event(self, request: web.Request) -> web.Response:
        guild = self._events_guild(request)
        with _as_api_error():
            event = self._scheduled_events.create(guild, self._body(request))
        self._dispatch_event("GUILD_SCHEDULED_EVENT_CREATE", event)
        return self._reply(request, 200, self._event_payload(event))

    async def _get_scheduled_event(self, request: web.Request) -> web.Response:
        guild = self._events_guild(request)
        with _as_api_error():
            event = self._scheduled_events.get(guild.id, self._snowflake(request, "event_id"))
        counts = _query_flag(request, "with_user_count")
        return self._reply(request, 200, self._event_payload(event, with_user_count=counts))

    async def _edit_scheduled_event(self, request: web.Request) -> web.Response:
        guild = self._events_guild(request)
        with _as_api_error():
            event_id = self._snowflake(request, "event_id")
            event = self._scheduled_events.edit(guild, event_id, self._body(request))
        self._dispatch_event("GUILD_SCHEDULED_EVENT_UPDATE", event)
        return self._reply(request, 200, self._event_payload(event))

    async def _delete_scheduled_event(self, request: web.Request) -> web.Response:
        guild = self._events_guild(request)
        with _as_api_error():
            event = self._scheduled_events.delete(guild, self._snowflake(request, "event_id"))
        self._dispatch_event("GUILD_SCHEDULED_EVENT_DELETE", event)
        return self._reply(request, 204)

    # --- message store -----------------------------------------------------------------------

    def _upload(self, body: dict[str, Any], files: list[RecordedFile]) -> list[dict[str, Any]]:
        """Put uploaded ``files[n]`` on the CDN, named as ``attachments[{id: n}]`` says."""
        entries = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        out = []
        for position, f in enumerate(files):
            match = _FILE_FIELD.fullmatch(f.field_name)
            index = match.group(1) if match else str(position)
            entry = entries.get(index, {})
            attachment = self.add_attachment(
                entry.get("filename") or f.filename,
                f.data,
                description=entry.get("description"),
            )
            out.append(attachment.payload())
        return out

    def _create_message(
        self,
        channel: FakeChannel,
        body: dict[str, Any],
        files: list[RecordedFile],
        *,
        message_type: int,
        flags: int,
        record: InteractionRecord | None,
        allow_empty: bool = False,
    ) -> StoredMessage:
        mid = self._ids.next()
        metadata = None
        if record is not None:
            metadata = interaction_metadata(
                interaction_id=record.id,
                interaction_type=record.type,
                user=record.user,
                guild_id=record.guild.id if record.guild else None,
                name=record.label.lstrip("/") if record.type == APPLICATION_COMMAND else None,
                message_id=record.source_message_id,
            )
        payload = message_payload(
            message_id=mid,
            channel=channel,
            author=self.bot_user,
            body=body,
            attachments=self._upload(body, files),
            message_type=message_type,
            application_id=self.application_id if record is not None else None,
            interaction=metadata,
            flags=flags,
        )
        assert allow_empty or not limits.message_is_empty(payload)
        ephemeral_user = record.user.id if record is not None and flags & FLAG_EPHEMERAL else None
        stored = StoredMessage(
            payload=payload,
            channel=channel,
            allowed_mentions=body.get("allowed_mentions"),
            files=list(files),
            visible_to=ephemeral_user,
            interaction_id=record.id if record else None,
            writes=[body] if body else [],
        )
        self._messages[mid] = stored
        if ephemeral_user is None:
            channel.last_message_id = mid
            self._enqueue("MESSAGE_CREATE", payload, _message_intent(channel))
        return stored

    def _edit_message(
        self, stored: StoredMessage, body: dict[str, Any], files: list[RecordedFile]
    ) -> None:
        errors = limits.validate_message(body, files=len(files))
        if errors:
            raise ApiError(400, errors.body())
        new = dict(stored.payload)
        if "content" in body:
            new["content"] = body["content"] or ""
        if "embeds" in body:
            new["embeds"] = [_embed_as_returned(e) for e in body["embeds"] or []]
        if "components" in body:
            new["components"] = number_components(body["components"] or [])
        if "attachments" in body or files:
            keep = {str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, dict)}
            kept = [a for a in new["attachments"] if "attachments" not in body or a["id"] in keep]
            new["attachments"] = kept + self._upload(body, files)
        flags = new.get("flags", 0) & ~FLAG_LOADING
        if body.get("flags") is not None:
            flags = (flags & ~_EDITABLE_FLAGS) | (body["flags"] & _EDITABLE_FLAGS)
        new["flags"] = flags
        if limits.message_is_empty(new):
            raise ApiError(400, EMPTY_MESSAGE)
        if not stored.payload.get("flags", 0) & FLAG_LOADING:
            new["edited_timestamp"] = iso_now()
        stored.payload = new
        stored.writes.append(body)
        stored.files.extend(files)
        if "allowed_mentions" in body:
            stored.allowed_mentions = body["allowed_mentions"]
        for record in self._answered_with(stored):
            record.original_edits += 1
        if stored.visible_to is None:
            self._enqueue("MESSAGE_UPDATE", new, _message_intent(stored.channel))

    def _answered_with(self, stored: StoredMessage) -> list[InteractionRecord]:
        """Interactions whose answer is this message (by webhook or channel route alike)."""
        return [
            r
            for r in self._by_token.values()
            if r.original_id == stored.id and r.response_type is not None
        ]

    def _delete_message(self, stored: StoredMessage) -> None:
        stored.deleted = True
        for record in self._answered_with(stored):
            record.original_deleted = True
        if stored.visible_to is None:
            data: dict[str, Any] = {"id": str(stored.id), "channel_id": str(stored.channel.id)}
            if stored.channel.guild_id is not None:
                data["guild_id"] = str(stored.channel.guild_id)
            self._enqueue("MESSAGE_DELETE", data, _message_intent(stored.channel))


def _message_intent(channel: FakeChannel) -> int:
    return DIRECT_MESSAGES if channel.guild_id is None else GUILD_MESSAGES


_COMMAND_DEFAULTS: dict[str, Any] = {
    "nsfw": False,
    "dm_permission": True,
    "required": False,
    "autocomplete": False,
}
_COMMAND_IDS = ("id", "application_id", "version", "guild_id")


def _strip_ids(command: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in command.items() if k not in _COMMAND_IDS}


def _normalize_command(value: Any, top: bool = True) -> Any:
    """A command with defaults dropped, so what Discord stored compares equal to a resend."""
    if isinstance(value, list):
        return [_normalize_command(v, False) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if top and key in _COMMAND_IDS:
            continue
        if item is None or item == [] or item == {} or _COMMAND_DEFAULTS.get(key, object()) == item:
            continue
        if top and key == "type" and item == 1:
            continue
        if top and key == "integration_types" and item == [0]:
            continue
        out[key] = _normalize_command(item, False)
    return out
