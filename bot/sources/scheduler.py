"""The periodic refresh and the "new takeaways" posts, restart-safe, on an injected clock.

`SourcesScheduler.tick` is called about once a minute (by the sources cog's ``tasks.loop``).
A refresh is due `REFRESH_MINUTES` (default 30) after the last one on a forum day - a UTC day
with sessions in the archive - and a day after it otherwise; the time of the last refresh is
kept in the database, so a restart does not refresh early. After each refresh every server with
a digest channel (digest on) and news on gets one post about the sessions whose takeaways or
calls to action appeared or changed:

1. **claim** each (server, session key, text hash) in ``news_posts`` ('pending') BEFORE sending;
   an item claimed before, in any state, is never claimed again: never twice, across restarts;
2. send the post through the injected ``send(channel_id, embeds, buttons)``;
3. **confirm** ('sent', with the message id), or record why not ('failed').

Appearances older than `NEWS_WINDOW` are not announced (a server that sets a digest channel
today is not told about last year's takeaways).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import discord

from bot.clock import Clock
from bot.digest.scheduler import DigestDeliveryError
from bot.ledger import Delivery
from bot.models import GuildSettings, SessionSummary
from bot.scheduling import Sender
from bot.sources.fetcher import PageFetcher
from bot.sources.ledger import Appeared
from bot.sources.news import NewsItem, news_buttons, plan_news, render_news
from bot.sources.refresh import Refresher, RefreshReport

if TYPE_CHECKING:
    from bot.catalog import Catalog

log = logging.getLogger(__name__)

NEWS_WINDOW = timedelta(days=7)
OFF_FORUM_INTERVAL = timedelta(days=1)

SendNews = Callable[[int, list[discord.Embed], list[tuple[str, str]]], Awaitable[int]]
"""``await send(channel_id, embeds, buttons) -> message id``; raises `DigestDeliveryError`
when Discord refuses for good."""

Outcomes = dict[str, tuple[SessionSummary, list[str], list[str]]]


@dataclass(frozen=True, slots=True)
class NewsResult:
    guild_id: int
    status: Literal["sent", "failed"]
    channel_id: int
    sessions: int
    message_id: int | None = None
    detail: str | None = None


@dataclass(slots=True)
class RunResult:
    report: RefreshReport
    news: list[NewsResult] = field(default_factory=list)


def _items(appeared: list[Appeared], outcomes: Outcomes) -> list[NewsItem]:
    items: list[NewsItem] = []
    for item in appeared:
        found = outcomes.get(item.session_key)
        if found is None:  # the session left the archive since
            continue
        summary, takeaways, calls = found
        first = (takeaways or calls or [""])[0]
        items.append(NewsItem(item, summary, first, is_call=not takeaways))
    return items


class SourcesScheduler(Sender[SendNews]):
    """One per bot. `tick`, `run_now` and `close` are safe to call concurrently (runs are
    serialised)."""

    def __init__(
        self,
        catalog: Catalog,
        seeds_dir: Path,
        make_fetcher: Callable[[], PageFetcher],
        send: SendNews,
        *,
        clock: Clock | None = None,
        refresh_minutes: int = 30,
    ) -> None:
        super().__init__(catalog, send, clock)
        self.seeds_dir = seeds_dir
        self.make_fetcher = make_fetcher
        self.forum_interval = timedelta(minutes=refresh_minutes)
        self._refresher: Refresher | None = None

    @property
    def refresher(self) -> Refresher:
        if self._refresher is None:
            fetcher = self.make_fetcher()
            self._refresher = Refresher(self.catalog, self.seeds_dir, fetcher, self.clock)
        return self._refresher

    async def close(self) -> None:
        async with self._lock:
            if self._refresher is not None:
                await self._refresher.fetcher.close()
                self._refresher = None

    async def interval(self, now: datetime) -> timedelta:
        """`REFRESH_MINUTES` on a forum day, a day otherwise."""
        start = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
        forum_day = await self.catalog.sessions_between(start, start + timedelta(days=1))
        return self.forum_interval if forum_day else OFF_FORUM_INTERVAL

    async def due(self, now: datetime) -> bool:
        last = await self.catalog.sources.last_refresh_at()
        return last is None or now >= last + await self.interval(now)

    async def tick(self) -> RunResult | None:
        """Refresh and announce when due and there is anything to refresh."""
        now = self.clock.now()
        if not await self.catalog.sources.all_sources() or not await self.due(now):
            return None
        return await self.run_now()

    async def run_now(self, urls: list[str] | None = None) -> RunResult:
        """Refresh (all sources, or `urls` and the pages found on them), then announce."""
        async with self._lock:
            await self.catalog.sources.set_last_refresh_at(self.clock.now())
            report = await self.refresher.refresh(urls)
            return RunResult(report, await self._announce())

    async def _announce(self) -> list[NewsResult]:
        since = self.clock.now() - NEWS_WINDOW
        outcomes: Outcomes = {}  # read once when first needed, shared by every server
        results: list[NewsResult] = []
        for settings in await self._news_guilds():
            appeared = await self.catalog.sources.unposted(settings.guild_id, since)
            if appeared and not outcomes:
                found = await self.catalog.sessions_with_outcomes()
                outcomes = {summary.key: (summary, t, c) for summary, t, c in found}
            if appeared and (result := await self._post_safely(settings, appeared, outcomes)):
                results.append(result)
        return results

    async def _news_guilds(self) -> list[GuildSettings]:
        """Servers with a digest channel, the digest on, and news on."""
        every = await self.catalog.digests.all_guild_settings(enabled_only=True)
        with_channel = [s for s in every if s.channel_id is not None]
        return [s for s in with_channel if await self.catalog.sources.news_enabled(s.guild_id)]

    async def _post_safely(
        self, settings: GuildSettings, appeared: list[Appeared], outcomes: Outcomes
    ) -> NewsResult | None:
        try:
            return await self._post(settings, _items(appeared, outcomes))
        except Exception:  # one server's trouble never stops the others
            log.exception("news: guild %s failed unexpectedly", settings.guild_id)
            return None

    async def _post(self, settings: GuildSettings, items: list[NewsItem]) -> NewsResult | None:
        guild_id, channel_id = settings.guild_id, settings.channel_id
        assert channel_id is not None
        claimed = await self.catalog.sources.claim_news(guild_id, [i.appeared for i in items])
        plan = plan_news([i for i in items if i.appeared in claimed])
        if plan is None:
            return None
        try:
            message_id = await self.send(channel_id, render_news(plan), news_buttons(plan))
        except Exception as exc:
            # Refused for good, or it may have reached Discord: never risk a second copy.
            detail = exc.reason if isinstance(exc, DigestDeliveryError) else repr(exc)
            log.warning("news: guild %s channel %s: not posted: %s", guild_id, channel_id, detail)
            await self.catalog.sources.mark_news(
                guild_id, claimed, Delivery("failed", detail=detail)
            )
            return NewsResult(guild_id, "failed", channel_id, len(claimed), detail=detail)
        await self.catalog.sources.mark_news(guild_id, claimed, Delivery("sent", message_id))
        log.info("news: guild %s: %d sessions in message %s", guild_id, len(claimed), message_id)
        return NewsResult(guild_id, "sent", channel_id, len(claimed), message_id)
