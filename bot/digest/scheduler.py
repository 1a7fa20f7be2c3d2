"""When to post each server's daily digest, and posting it at most once.

`DigestScheduler.tick` is called about once a minute (by the digest cog's ``tasks.loop``). For
every enabled server whose local time has reached its ``post_time`` today and that has no
digest row for today's local date, it:

1. **claims** the date (``digest_posts`` row 'pending', committed) - the intent, BEFORE sending;
2. builds and sends the digest through the injected ``send(channel_id, embeds)``;
3. **confirms**: marks the row 'sent' with the message id, then marks the featured sessions.

Hence never twice: a row in any state means "done for that date". A crash between 1 and 3
leaves a 'pending' row, which is logged and NOT re-sent (the message may have gone out).
A delivery failure (deleted channel, missing permissions: `DigestDeliveryError`) marks the row
'failed' with the reason, which ``/digest preview`` can show; other servers are unaffected.

Catch-up: after downtime, the first tick of the same local day posts the missed digest once; a
day that has ended is not posted. DST: a ``post_time`` inside a spring-forward gap is due at the
first minute after the gap; one inside a fall-back overlap is due at its first occurrence (and
the date's row keeps it to one post). See `bot.digest.timing.due_at`.

Data comes only through the catalog: the ledger (``catalog.digests``) and a `DigestSource`
per tick, so servers due in the same tick share the reads, the archive order and the rendered
embeds they have in common. Their digests are built and sent concurrently, at most
`DIGEST_CONCURRENCY` at once; each server's claim, send and confirm stay in that order, and
one server's failure is its own.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord

from bot.clock import Clock
from bot.digest.plan import DigestPlan
from bot.digest.source import DigestSource
from bot.digest.timing import due_at, local_today, parse_post_time
from bot.ledger import Delivery
from bot.models import GuildSettings
from bot.scheduling import ReasonedError, Sender

if TYPE_CHECKING:
    from bot.catalog import Catalog

log = logging.getLogger(__name__)

DIGEST_CONCURRENCY = 8
"""Servers whose digest is built and sent at once. Each post goes to its own channel, so
discord.py's per-route buckets do not serialise them (and it waits out any 429); the bound
keeps the single SQLite writer's queue short. One after another, 100 servers took 32 s."""
DIGEST_POSTS_PER_SECOND = 40.0
"""Digest posts started per second at most: Discord allows a bot 50 requests a second in all
(interaction answers aside), and commands and other work need the rest. At Discord's ~0.1 s
per post, 8 at once would otherwise go to 80 a second."""


SendDigest = Callable[[int, list[discord.Embed]], Awaitable[int | None]]
"""``await send(channel_id, embeds) -> message id``; raises `DigestDeliveryError` when Discord
refuses for good (404 unknown channel, 403 missing access/permissions)."""


class DigestDeliveryError(ReasonedError):
    """The digest cannot be delivered to the channel; `reason` is for people (logs, preview)."""


TickStatus = Literal["sent", "failed", "pending", "skipped"]


@dataclass(frozen=True, slots=True)
class TickResult:
    """What a tick did for one server. 'pending' reports an unconfirmed earlier attempt that
    is deliberately not retried (reported once per scheduler object); 'skipped' is
    `DigestScheduler.post_now` declining to post a second copy."""

    guild_id: int
    local_date: date
    status: TickStatus
    channel_id: int | None = None
    message_id: int | None = None
    detail: str | None = None


class DigestScheduler(Sender[SendDigest]):
    """Posts due digests; see the module docstring. One instance per bot; `tick` is safe to
    call concurrently (ticks run one at a time) and from a new instance after a restart."""

    AT_ONCE = DIGEST_CONCURRENCY
    PER_SECOND = DIGEST_POSTS_PER_SECOND

    def __init__(self, catalog: Catalog, send: SendDigest, clock: Clock | None = None) -> None:
        super().__init__(catalog, send, clock)
        self._reported: set[tuple[int, date]] = set()
        self._done: set[tuple[int, date]] = set()  # dates known to have a row: no query

    async def tick(self) -> list[TickResult]:
        """Post every due digest; one result per server acted on (or newly found pending),
        in the order of the servers' ids."""
        async with self._lock:
            now = self.clock.now()
            source = DigestSource(self.catalog)  # shared by the servers due in this tick
            everyone = await self.catalog.digests.all_guild_settings(enabled_only=True)
            results = await self.throttle.each(
                everyone, lambda settings: self._tick_alone(settings, now, source)
            )
            return [result for result in results if result is not None]

    async def _tick_alone(
        self, settings: GuildSettings, now: datetime, source: DigestSource
    ) -> TickResult | None:
        try:
            return await self._tick_guild(settings, now, source)
        except Exception:  # one server's trouble never stops the others
            log.exception("digest: guild %s failed unexpectedly", settings.guild_id)
            return None

    async def _tick_guild(
        self, settings: GuildSettings, now: datetime, source: DigestSource
    ) -> TickResult | None:
        if settings.channel_id is None:
            return None
        try:
            tz = ZoneInfo(settings.timezone)
            post_time = parse_post_time(settings.post_time)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            log.warning("digest: guild %s has bad settings: %s", settings.guild_id, exc)
            return None
        local_date = local_today(now, tz)
        marker = (settings.guild_id, local_date)
        if marker in self._done or now < due_at(local_date, post_time, tz):
            return None
        existing = await self.catalog.digests.digest_post(settings.guild_id, local_date)
        if existing is not None:
            self._remember(marker)
            return self._report_pending(settings, existing.status, existing.created_at, local_date)
        result = await self.post(settings, local_date, tz, source=source)
        self._remember(marker)
        return result

    def _remember(self, marker: tuple[int, date]) -> None:
        if len(self._done) > 10_000:  # old dates are never asked about again
            newest = max(d for _, d in self._done)
            self._done = {m for m in self._done if m[1] >= newest - timedelta(days=2)}
        self._done.add(marker)

    def _report_pending(
        self, settings: GuildSettings, status: str, since: str, local_date: date
    ) -> TickResult | None:
        marker = (settings.guild_id, local_date)
        if status != "pending" or marker in self._reported:
            return None
        self._reported.add(marker)
        detail = f"an attempt started at {since} was never confirmed; not re-sent"
        log.warning("digest: guild %s, %s: %s", settings.guild_id, local_date, detail)
        return TickResult(
            settings.guild_id, local_date, "pending", settings.channel_id, detail=detail
        )

    async def post(
        self,
        settings: GuildSettings,
        local_date: date,
        tz: tzinfo | None = None,
        *,
        source: DigestSource | None = None,
    ) -> TickResult | None:
        """Claim `local_date` for this server, send its digest and confirm.

        Returns None when the date was already claimed (nothing is sent)."""
        if settings.channel_id is None:
            raise ValueError("no digest channel set")
        if not await self.catalog.digests.claim_digest(settings.guild_id, local_date):
            return None
        zone = tz or ZoneInfo(settings.timezone)
        return await self._deliver(settings, local_date, zone, source or DigestSource(self.catalog))

    async def post_now(self, settings: GuildSettings) -> TickResult:
        """``/digest now``: today's digest (the server's local date), right away.

        * nothing yet today: claimed and sent (the scheduled post is then skipped);
        * today's attempt failed (e.g. the channel was fixed since): tried again;
        * already sent, or an unconfirmed attempt: 'skipped' - never a second copy.
        """
        if settings.channel_id is None:
            raise ValueError("no digest channel set")
        zone = ZoneInfo(settings.timezone)
        async with self._lock:
            local_date = local_today(self.clock.now(), zone)
            marker = (settings.guild_id, local_date)
            existing = await self.catalog.digests.digest_post(settings.guild_id, local_date)
            if existing is not None and existing.status != "failed":
                self._remember(marker)
                detail = (
                    "today's digest was already posted"
                    if existing.status == "sent"
                    else "an earlier attempt today was never confirmed; not re-sent"
                )
                return TickResult(
                    settings.guild_id,
                    local_date,
                    "skipped",
                    settings.channel_id,
                    existing.message_id,
                    detail,
                )
            if existing is None:
                result = await self.post(settings, local_date, zone)
            else:  # failed: record the intent again, then retry
                await self.catalog.digests.mark_digest(
                    settings.guild_id, local_date, Delivery("pending")
                )
                result = await self._deliver(settings, local_date, zone, DigestSource(self.catalog))
            self._remember(marker)
            if result is None:  # claimed in between (cannot happen under the lock)
                return TickResult(
                    settings.guild_id, local_date, "skipped", settings.channel_id, None, "busy"
                )
            return result

    async def _deliver(
        self, settings: GuildSettings, local_date: date, zone: tzinfo, source: DigestSource
    ) -> TickResult:
        """Build, send and confirm a digest whose date is already claimed ('pending')."""
        guild_id, channel_id = settings.guild_id, settings.channel_id
        assert channel_id is not None
        try:
            plan = await source.plan(guild_id, local_date, zone)
            embeds = source.rendered(plan, zone)
        except Exception as exc:
            log.exception("digest: could not build guild %s's digest", guild_id)
            return await self._fail(guild_id, local_date, channel_id, f"could not build: {exc}")
        try:
            await self.throttle.wait()
            message_id = await self.send(channel_id, embeds)
        except DigestDeliveryError as exc:
            log.warning(
                "digest: guild %s channel %s: not delivered: %s", guild_id, channel_id, exc.reason
            )
            return await self._fail(guild_id, local_date, channel_id, exc.reason)
        except Exception as exc:
            # It may or may not have reached Discord: never risk a second copy.
            log.exception("digest: guild %s channel %s: send failed", guild_id, channel_id)
            detail = f"send failed ({type(exc).__name__}: {exc}); it may not have been delivered"
            return await self._fail(guild_id, local_date, channel_id, detail)
        await self.catalog.digests.mark_digest(guild_id, local_date, Delivery("sent", message_id))
        await self._record_featured(guild_id, plan, local_date)
        log.info("digest: guild %s %s sent as message %s", guild_id, local_date, message_id)
        return TickResult(guild_id, local_date, "sent", channel_id, message_id)

    async def _record_featured(self, guild_id: int, plan: DigestPlan, local_date: date) -> None:
        try:
            if plan.new_cycle:
                await self.catalog.digests.reset_featured(guild_id)
            if plan.featured:
                await self.catalog.digests.mark_featured(guild_id, plan.featured, local_date)
        except Exception:  # the digest went out; a repeat pick later is the only cost
            log.exception("digest: guild %s: could not record featured sessions", guild_id)

    async def _fail(
        self, guild_id: int, local_date: date, channel_id: int, detail: str
    ) -> TickResult:
        await self.catalog.digests.mark_digest(
            guild_id, local_date, Delivery("failed", detail=detail)
        )
        return TickResult(guild_id, local_date, "failed", channel_id, detail=detail)
