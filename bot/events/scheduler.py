"""Keeping each server's scheduled events in step with the schedule, restart-safe.

`EventPublisher.sync(guild_id)` re-plans one server from the catalogue on every call (so a
reload needs no special path): the sessions of its published scopes that start in the future
against the events the bot recorded, through the pure `plan_events`. Then, in this order:
deletes (freeing room), forgets, edits, creates - soonest first, at most as many as the
server has room for under Discord's 100 uncompleted events. `tick` (about once a minute, from
``cogs/events.py``) syncs every server with scopes or events, so the sessions left out are
created as earlier events end, and moved, renamed or removed sessions follow a reload.

Never twice, never lost: each create is **claimed** ('pending' row) before the request and
**confirmed** with the event id after. A 'pending' row found later (a crash or restart
half-way) is settled from Discord's list of the server's events: the bot's own event carrying
the session key (`bot.events.render.marker`) is adopted, otherwise the claim is dropped and
the event is created again. discord.py waits out 429s; a request that still fails leaves the
claim for the next sync when its outcome is unknown, or drops it when Discord refused.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from bot import render
from bot.clock import Clock
from bot.events.ledger import EventLedger
from bot.events.plan import EventActions, EventSpec, StoredEvent, plan_events
from bot.events.render import event_body, key_in
from bot.events.source import EventSource
from bot.scheduling import ReasonedError, Scheduler

if TYPE_CHECKING:
    from bot.catalog import Catalog

log = logging.getLogger(__name__)


class EventsForbidden(Exception):
    """The bot lacks Manage Events in the server (403)."""


class EventsFull(Exception):
    """The server has 100 uncompleted events (30038)."""


class EventGone(Exception):
    """The event no longer exists in Discord (404: deleted by someone)."""


class EventRefused(ReasonedError):
    """Discord refused this request for good (400 ...); `reason` is for people."""


class EventsBusy(Exception):
    """Rate limited beyond discord.py's retries: nothing was done; try on the next sync."""


@dataclass(frozen=True, slots=True)
class RemoteEvent:
    """One of the server's events as Discord lists it."""

    id: int
    mine: bool  # made by this bot
    live: bool  # scheduled or active: counts against the 100
    description: str | None = None


class EventsAdapter(Protocol):
    """Discord, as the publisher needs it (``cogs/events.py``). Errors: the exceptions above."""

    def can_manage(self, guild_id: int) -> bool: ...
    async def list(self, guild_id: int) -> list[RemoteEvent]: ...
    async def create(self, guild_id: int, body: dict[str, Any]) -> int: ...
    async def edit(self, guild_id: int, event_id: int, body: dict[str, Any]) -> None: ...
    async def delete(self, guild_id: int, event_id: int) -> None: ...


@dataclass(slots=True)
class SyncResult:
    """What one sync of one server did; `problem` stops it (e.g. a missing permission)."""

    guild_id: int
    created: int = 0
    edited: int = 0
    deleted: int = 0
    failed: int = 0
    left_out: int = 0
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.edited or self.deleted or self.failed)


NO_PERMISSION = "the bot lacks the Manage Events permission in this server"


class EventPublisher(Scheduler):
    """See the module docstring. One per bot; syncs run one at a time."""

    def __init__(
        self, catalog: Catalog, discord_api: EventsAdapter, clock: Clock | None = None
    ) -> None:
        super().__init__(catalog, clock)
        self.ledger: EventLedger = catalog.events
        self.api = discord_api

    async def tick(self) -> list[SyncResult]:
        """Sync every server with scopes or events; one result per server that changed."""
        results = []
        for guild_id in await self.ledger.guilds():
            try:
                result = await self.sync(guild_id)
            except Exception:  # one server's trouble never stops the others
                log.exception("events: guild %s failed unexpectedly", guild_id)
                continue
            if result.changed or result.problem:
                results.append(result)
        return results

    async def sync(self, guild_id: int, *, retry_failed: bool = False) -> SyncResult:
        """Bring one server in step. Creates Discord refused are tried again only when
        `retry_failed` (``/events publish``), not every minute."""
        async with self._lock:
            result = SyncResult(guild_id)
            try:
                await self._sync(guild_id, result, retry_failed)
            except EventsForbidden:
                result.problem = NO_PERMISSION
            except EventsBusy:
                result.problem = "Discord is rate limiting the bot; the rest follows shortly"
            if result.problem:
                log.warning("events: guild %s: %s", guild_id, result.problem)
            return result

    async def _sync(self, guild_id: int, result: SyncResult, retry_failed: bool) -> None:
        now = self.clock.now()
        source = EventSource(self.catalog)
        stored = await self.ledger.events(guild_id)
        wanted = await source.wanted(await self.ledger.scopes(guild_id), now)
        wanted_keys = {spec.key for spec in wanted}
        await self._drop_old_failures(guild_id, stored, wanted_keys)
        if not retry_failed:
            failed = {e.key for e in stored if e.status == "failed"}
            wanted = [spec for spec in wanted if spec.key not in failed]
            wanted_keys -= failed
        published = {e.key for e in stored if e.status == "published"}
        free = 0
        if wanted_keys - published or any(e.status == "pending" for e in stored):
            if not self.api.can_manage(guild_id):
                raise EventsForbidden
            remote = await self.api.list(guild_id)
            stored = await self._settle(guild_id, stored, remote, wanted)
            free = render.SCHEDULED_EVENTS_MAX - sum(1 for r in remote if r.live)
        live = {e.key for e in stored if e.live(now)}
        current = await source.current(live - wanted_keys)
        actions = plan_events(wanted, current, stored, now, free)
        result.left_out = actions.left_out
        await self._apply(guild_id, actions, source, result)

    async def _drop_old_failures(
        self, guild_id: int, stored: Sequence[StoredEvent], wanted_keys: set[str]
    ) -> None:
        """A failure for a session no longer wanted is old news."""
        for event in stored:
            if event.status == "failed" and event.key not in wanted_keys:
                await self.ledger.forget(guild_id, event.key)

    async def _settle(
        self,
        guild_id: int,
        stored: list[StoredEvent],
        remote: Sequence[RemoteEvent],
        wanted: Sequence[EventSpec],
    ) -> list[StoredEvent]:
        """Settle 'pending' claims from Discord's list: adopt the event made for the session,
        or drop the claim (it was never created). Returns the records afterwards."""
        pending = [e for e in stored if e.status == "pending"]
        if not pending:
            return stored
        made = {key_in(r.description): r for r in remote if r.mine}
        specs = {spec.key: spec for spec in wanted}
        for event in pending:
            found, spec = made.get(event.key), specs.get(event.key)
            if found is not None and spec is not None:
                log.info("events: guild %s: adopting event %s for %s", guild_id, found.id, spec.key)
                await self.ledger.confirm(guild_id, found.id, spec)
            elif found is not None:  # made, but its session is no longer wanted
                await self._delete(guild_id, found.id)
                await self.ledger.forget(guild_id, event.key)
            else:
                await self.ledger.forget(guild_id, event.key)
        return await self.ledger.events(guild_id)

    async def _apply(
        self, guild_id: int, actions: EventActions, source: EventSource, result: SyncResult
    ) -> None:
        for event in actions.delete:
            if event.event_id is not None:
                await self._delete(guild_id, event.event_id)
            await self.ledger.forget(guild_id, event.key)
            result.deleted += 1
        for event in actions.forget:
            await self.ledger.forget(guild_id, event.key)
        for event, spec in actions.edit:
            if await self._edit(guild_id, event, spec, source):
                result.edited += 1
        for index, spec in enumerate(actions.create):
            try:
                created = await self._create(guild_id, spec, source)
            except EventsFull:
                result.left_out += len(actions.create) - index
                break
            result.created += created == "created"
            result.failed += created == "failed"

    async def _delete(self, guild_id: int, event_id: int) -> None:
        try:
            await self.api.delete(guild_id, event_id)
        except EventGone:
            pass  # someone deleted it already
        except EventRefused as exc:
            log.warning("events: guild %s: could not delete %s: %s", guild_id, event_id, exc)

    async def _edit(
        self, guild_id: int, event: StoredEvent, spec: EventSpec, source: EventSource
    ) -> bool:
        assert event.event_id is not None
        body = event_body(spec, await source.description(spec.key))
        try:
            await self.api.edit(guild_id, event.event_id, body)
        except EventGone:  # deleted by someone: created again on the next sync
            await self.ledger.forget(guild_id, event.key)
            return False
        except EventRefused as exc:
            log.warning("events: guild %s: could not edit %s: %s", guild_id, spec.key, exc)
            return False
        await self.ledger.confirm(guild_id, event.event_id, spec)
        return True

    async def _create(
        self, guild_id: int, spec: EventSpec, source: EventSource
    ) -> Literal["created", "failed", "claimed"]:
        """Claim, create, confirm one event ('claimed': someone else holds the claim)."""
        if not await self.ledger.claim(guild_id, spec.key):
            return "claimed"
        body = event_body(spec, await source.description(spec.key))
        try:
            event_id = await self.api.create(guild_id, body)
        except (EventsForbidden, EventsFull, EventsBusy):
            await self.ledger.forget(guild_id, spec.key)  # refused: nothing was made
            raise
        except EventRefused as exc:
            await self.ledger.fail(guild_id, spec.key, exc.reason)
            log.warning("events: guild %s: %s refused: %s", guild_id, spec.key, exc.reason)
            return "failed"
        # Any other error leaves the claim 'pending': the next sync settles it from the list.
        await self.ledger.confirm(guild_id, event_id, spec)
        return "created"

    async def clear(self, guild_id: int) -> int:
        """Delete every event the bot made in the server (and only those) and its scopes."""
        async with self._lock:
            if not self.api.can_manage(guild_id):
                raise EventsForbidden
            await self.ledger.clear_scopes(guild_id)
            recorded = {e.event_id for e in await self.ledger.events(guild_id) if e.event_id}
            remote = await self.api.list(guild_id)
            made = {r.id for r in remote if r.mine and key_in(r.description)}
            known = {r.id for r in remote}
            for event_id in sorted(recorded | made):
                if event_id in known:
                    await self._delete(guild_id, event_id)
            for event in await self.ledger.events(guild_id):
                await self.ledger.forget(guild_id, event.key)
            return len((recorded | made) & known)

    async def counts(self, guild_id: int) -> tuple[int, int, int]:
        """(published, pending, failed): pending counts sessions still to be created."""
        now = self.clock.now()
        stored = await self.ledger.events(guild_id)
        wanted = await EventSource(self.catalog).wanted(await self.ledger.scopes(guild_id), now)
        published = {e.key for e in stored if e.live(now)}
        failed = {e.key for e in stored if e.status == "failed"}
        pending = {spec.key for spec in wanted} - published - failed
        return len(published), len(pending), len(failed)
