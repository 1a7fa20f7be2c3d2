"""/source add|list|remove|refresh (Manage Server): keep the archive current from the IGF site.

Only the commands, the permission check and the Discord adapter (posting the "new takeaways"
message with its buttons, answering those buttons) live here; the feature is `bot.sources`.
A ``tasks.loop`` runs `SourcesScheduler.tick` every minute; the scheduler decides when a
refresh is due. The commands are hidden from members without Manage Server by
`default_permissions` and checked again here (servers can override default permissions).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import discord
from discord import app_commands

from bot import answers
from bot.answers import Reply
from bot.app import IGFBot
from bot.digest.scheduler import DigestDeliveryError
from bot.sources import FetchPolicy, PageFetcher, replies
from bot.sources.news import BUTTON_ID
from bot.sources.refresh import kind_of, remove_stored
from bot.sources.scheduler import SourcesScheduler
from cogs._feature import FeatureGroup
from cogs._views import send_reply
from cogs.admin import is_admin


class NewsButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_ID.pattern):
    """ "See all" on a news post: answered by key, also after a restart (no stored view)."""

    def __init__(self, custom_id: str, label: str = "See all") -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=custom_id)
        )
        self.key = custom_id.split(":", 1)[1]

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button[Any],
        match: re.Match[str],
    ) -> NewsButton:
        return cls(item.custom_id or f"news:{match['key']}")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        assert isinstance(bot, IGFBot)
        record = await bot.catalog.session_record(self.key)
        await send_reply(interaction, bot.catalog, replies.session_outcomes(record, self.key))


class Sources(
    FeatureGroup[SourcesScheduler],
    group_name="source",
    group_description=answers.COMMAND["source"].description,
):
    def __init__(self, bot: IGFBot) -> None:
        super().__init__(bot)
        self.policy = FetchPolicy(hosts=bot.config.source_hosts)

    def make_scheduler(self) -> SourcesScheduler:
        return SourcesScheduler(
            self.bot.catalog,
            self.bot.config.seeds_dir,
            self._make_fetcher,
            self.send_news,
            clock=self.bot.clock,
            refresh_minutes=self.bot.config.refresh_minutes,
        )

    def _make_fetcher(self) -> PageFetcher:
        agent = self.bot.config.source_user_agent
        return PageFetcher(self.policy, user_agent=agent, clock=self.bot.clock)

    async def use_policy(self, policy: FetchPolicy) -> None:
        """Fetch under `policy` from now on (tests: loopback over http)."""
        self.policy = policy
        await self.scheduler.close()

    # ----------------------------------------------------------------- the schedule

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(NewsButton)
        await super().cog_load()

    async def cog_unload(self) -> None:
        await super().cog_unload()
        self.bot.remove_dynamic_items(NewsButton)
        if self._scheduler is not None:
            await self._scheduler.close()

    # ----------------------------------------------------------------- Discord adapter

    async def send_news(
        self, channel_id: int, embeds: list[discord.Embed], buttons: list[tuple[str, str]]
    ) -> int:
        """The scheduler's sender: Discord's 404/403 become `DigestDeliveryError`."""
        view = discord.ui.View(timeout=None)
        for label, custom_id in buttons:
            view.add_item(NewsButton(custom_id, label))
        try:
            channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                raise DigestDeliveryError(f"<#{channel_id}> is not a channel the bot can post in")
            none = discord.AllowedMentions.none()
            message = await channel.send(embeds=embeds, view=view, allowed_mentions=none)
        except (discord.NotFound, discord.Forbidden) as exc:
            raise DigestDeliveryError(f"<#{channel_id}>: {exc.status} {exc.text}") from exc
        return message.id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if is_admin(interaction):
            return True
        raise app_commands.CheckFailure(replies.REFUSED)

    async def _reply(self, interaction: discord.Interaction, reply: Reply) -> None:
        await send_reply(interaction, self.bot.catalog, reply)

    # ----------------------------------------------------------------- commands

    @app_commands.command(name="add", description="Fetch an IGF session or list page, and keep it")
    @app_commands.describe(url="A session page, or a list page whose session pages are followed")
    async def add(self, interaction: discord.Interaction, url: str) -> None:
        url = url.strip()
        reason = self.policy.refusal(url)
        if reason is not None:
            await self._reply(interaction, replies.refused_url(url, reason))
            return
        kind = kind_of(url)
        user = interaction.user.id
        if not await self.bot.catalog.sources.add_sources([url], kind, added_by=user):
            await self._reply(interaction, replies.already_known(url))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        run = await self.scheduler.run_now([url])
        await self._reply(interaction, replies.added(url, kind, run.report, run.news))

    @app_commands.command(name="list", description="Sources: last fetched, last changed, status")
    async def list_(self, interaction: discord.Interaction) -> None:
        sources = await self.bot.catalog.sources.all_sources()
        await self._reply(interaction, replies.source_list(sources))

    @app_commands.command(name="remove", description="Stop fetching a source and drop its pages")
    @app_commands.describe(url="The address as `/source list` shows it")
    async def remove(self, interaction: discord.Interaction, url: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        gone = await self.bot.catalog.sources.remove_source(url.strip())
        seeds = self.bot.config.seeds_dir
        files = await asyncio.to_thread(remove_stored, seeds, [s.url for s in gone])
        if files:
            await self.bot.catalog.reload()
        await self._reply(interaction, replies.removed(url.strip(), len(gone), files))

    @app_commands.command(name="refresh", description="Fetch what may have changed, now")
    async def refresh(self, interaction: discord.Interaction) -> None:
        if not await self.bot.catalog.sources.all_sources():
            await self._reply(interaction, replies.nothing_to_refresh())
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        run = await self.scheduler.run_now()
        await self._reply(interaction, replies.refreshed(run.report, run.news))


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Sources(bot))
