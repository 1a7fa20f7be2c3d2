"""/digest: a daily forum digest in a channel of the server's choice (Manage Server).

Only the commands, the permission check and the Discord adapter (sending a digest to a channel,
checking a channel's permissions) live here; the feature is `bot.digest` (see its docstring).
Its minute loop (`cogs._feature.MinuteLoop`) runs `DigestScheduler.tick`. Commands are hidden
from members without Manage Server by `default_permissions` and checked again here (servers
can override default permissions).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot import answers
from bot.answers import Reply
from bot.app import IGFBot
from bot.digest import replies
from bot.digest.ledger import DigestLedger, DigestPost
from bot.digest.render import render_digest
from bot.digest.scheduler import DigestDeliveryError, DigestScheduler
from bot.digest.source import build_digest
from bot.digest.timing import find_zone, local_today, parse_post_time, zone_choices
from bot.models import GuildSettings
from bot.sources.replies import news_switched
from cogs._feature import FeatureGroup, check_manager
from cogs._views import answer, ready

log = logging.getLogger(__name__)

NEEDED = ("view_channel", "send_messages", "embed_links")


class ChannelOption(app_commands.Transformer):
    """A text channel as Discord resolved it, of this server or not: discord.py's own
    `TextChannel` conversion fails with a generic error for another server's channel, and
    the command answers that case clearly instead."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news]

    async def transform(
        self, interaction: discord.Interaction, value: object
    ) -> app_commands.AppCommandChannel | discord.abc.GuildChannel:
        assert isinstance(value, app_commands.AppCommandChannel | discord.abc.GuildChannel)
        return value


class Digest(
    FeatureGroup[DigestScheduler],
    group_name="digest",
    group_description="A daily forum digest in a channel of this server",
):
    @property
    def ledger(self) -> DigestLedger:
        return self.bot.catalog.digests

    def make_scheduler(self) -> DigestScheduler:
        return DigestScheduler(self.bot.catalog, self.send_digest, self.bot.clock)

    # ----------------------------------------------------------------- Discord adapter

    async def send_digest(self, channel_id: int, embeds: list[discord.Embed]) -> int:
        """The scheduler's sender: Discord's 404/403 become `DigestDeliveryError`."""
        try:
            channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                raise DigestDeliveryError(f"<#{channel_id}> is not a channel the bot can post in")
            message = await channel.send(
                embeds=embeds, allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.NotFound as exc:
            raise DigestDeliveryError(
                f"the channel <#{channel_id}> no longer exists (404: {exc.text or 'not found'})"
            ) from exc
        except discord.Forbidden as exc:
            raise DigestDeliveryError(
                f"the bot may not post in <#{channel_id}> (403: {exc.text or 'forbidden'})"
            ) from exc
        return message.id

    async def channel_problems(self, guild: discord.Guild, channel_id: int) -> list[str]:
        """What would stop a digest from reaching the channel, checked with Discord now."""
        try:
            channel = await self.bot.fetch_channel(channel_id)
        except discord.NotFound:
            return [f"The digest channel (id {channel_id}) no longer exists: choose another."]
        except discord.Forbidden:
            return [f"The bot cannot see or use <#{channel_id}>: check its permissions there."]
        except discord.HTTPException as exc:
            return [f"Could not check <#{channel_id}> ({exc.status}); try again later."]
        if not isinstance(channel, discord.abc.Messageable):
            return [f"<#{channel_id}> is not a text channel: choose another."]
        me = guild.me
        if me is not None and isinstance(channel, discord.abc.GuildChannel):
            permissions = channel.permissions_for(me)
            missing = [name for name in NEEDED if not getattr(permissions, name)]
            if missing:
                names = ", ".join(name.replace("_", " ").title() for name in missing)
                return [f"The bot is missing {names} in <#{channel_id}>."]
        return []

    async def _elsewhere(self, guild: discord.Guild, channel_id: int) -> bool:
        """Whether the channel belongs to another server. discord.py files every resolved
        channel under the interaction's server, so ask Discord when it is not in the cache."""
        if guild.get_channel(channel_id) is not None:
            return False
        try:
            channel = await self.bot.fetch_channel(channel_id)
        except discord.HTTPException:
            return False  # `channel_problems` says what is wrong with it
        return isinstance(channel, discord.abc.GuildChannel) and channel.guild.id != guild.id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_manager(self.bot, interaction, replies.REFUSED)

    # ----------------------------------------------------------------- helpers

    async def _reply(
        self, interaction: discord.Interaction, make: Callable[[], Awaitable[Reply]]
    ) -> None:
        """Every /digest answer goes through `answer`: deferred (privately) if it is slow."""
        await answer(interaction, self.bot.catalog, make, ephemeral=True)

    async def _settings(self, guild_id: int) -> GuildSettings:
        return await self.ledger.guild_settings(guild_id) or GuildSettings(guild_id)

    async def _reply_on_settings(
        self,
        interaction: discord.Interaction,
        make: Callable[[GuildSettings], Awaitable[Reply]],
    ) -> None:
        """Answer with `make` applied to this server's settings (read once the answer runs)."""
        guild_id = interaction.guild_id or 0

        async def reply() -> Reply:
            return await make(await self._settings(guild_id))

        await self._reply(interaction, reply)

    async def _today(self, settings: GuildSettings) -> DigestPost | None:
        """Today's ledger row for the server (its local date), if any."""
        today = local_today(self.bot.clock.now(), ZoneInfo(settings.timezone))
        return await self.ledger.digest_post(settings.guild_id, today)

    async def _save(self, settings: GuildSettings, problems: list[str]) -> Reply:
        """Store the settings; the status they give."""
        settings = await self.ledger.upsert_guild_settings(settings)
        today = await self._today(settings)
        return replies.saved(settings, self.bot.clock.now(), today, problems)

    async def _update(self, guild: discord.Guild, **changes: Any) -> Reply:
        settings = await self._settings(guild.id)
        problems: list[str] = []
        if "channel_id" in changes:
            problems = await self.channel_problems(guild, changes["channel_id"])
        return await self._save(replace(settings, **changes), problems)

    # ----------------------------------------------------------------- commands

    @app_commands.command(name="channel", description="Post the daily digest in this channel")
    @app_commands.describe(channel="A text channel the bot can post in")
    async def channel(
        self,
        interaction: discord.Interaction,
        channel: app_commands.Transform[discord.abc.GuildChannel, ChannelOption],
    ) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        await self._reply(interaction, lambda: self._choose_channel(guild, channel.id))

    async def _choose_channel(self, guild: discord.Guild, channel_id: int) -> Reply:
        if await self._elsewhere(guild, channel_id):
            return answers.channel_elsewhere()
        return await self._update(guild, channel_id=channel_id, enabled=True)

    @app_commands.command(name="time", description="The local time to post at (24-hour HH:MM)")
    @app_commands.describe(time="For example 09:00 or 17:30, in the server's digest time zone")
    async def time(self, interaction: discord.Interaction, time: str) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        try:
            parsed = parse_post_time(time)
        except ValueError:
            await self._reply(interaction, ready(replies.bad_time()))
            return
        post_time = parsed.strftime("%H:%M")
        await self._reply(interaction, lambda: self._update(guild, post_time=post_time))

    @app_commands.command(name="timezone", description="The time zone of the digest time")
    @app_commands.describe(zone="An IANA time zone such as Europe/Oslo or America/New_York")
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        name = find_zone(zone)
        if name is None:
            await self._reply(interaction, ready(replies.unknown_zone(zone)))
            return
        await self._reply(interaction, lambda: self._update(guild, timezone=name))

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_choices(current)]

    @app_commands.command(name="off", description="Stop posting the daily digest")
    async def off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await self._reply_on_settings(interaction, self._turn_off)

    async def _turn_off(self, settings: GuildSettings) -> Reply:
        settings = await self.ledger.upsert_guild_settings(replace(settings, enabled=False))
        today = await self._today(settings)
        return replies.turned_off(settings, self.bot.clock.now(), today)

    @app_commands.command(name="preview", description="Today's digest as it would be posted")
    async def preview(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        await self._reply(interaction, lambda: self._preview(guild))

    async def _preview(self, guild: discord.Guild) -> Reply:
        settings = await self._settings(guild.id)
        zone = ZoneInfo(settings.timezone)
        now = self.bot.clock.now()
        plan = await build_digest(self.bot.catalog, settings.guild_id, local_today(now, zone), zone)
        problems: list[str] = []
        if settings.channel_id is not None:
            problems = await self.channel_problems(guild, settings.channel_id)
        today = await self._today(settings)
        return replies.preview(settings, now, today, problems, render_digest(plan, zone))

    @app_commands.command(name="now", description="Post today's digest now")
    async def now(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await self._reply_on_settings(interaction, self._post_now)

    async def _post_now(self, settings: GuildSettings) -> Reply:
        if settings.channel_id is None:
            return replies.no_channel()
        return replies.outcome(await self.scheduler.post_now(settings))

    @app_commands.command(name="changes", description="Announce schedule changes in the channel")
    @app_commands.describe(state="on: post a notice after a reload changes the schedule")
    async def changes(self, interaction: discord.Interaction, state: Literal["on", "off"]) -> None:
        assert interaction.guild is not None
        await self._reply(interaction, lambda: self._set_changes(interaction.guild_id or 0, state))

    async def _set_changes(self, guild_id: int, state: str) -> Reply:
        await self.ledger.set_changes(guild_id, state == "on")
        return replies.changes_set(await self._settings(guild_id), state == "on")

    @app_commands.command(name="news", description="Post new key takeaways after each refresh")
    @app_commands.describe(state="on (the default) or off")
    async def news(self, interaction: discord.Interaction, state: Literal["on", "off"]) -> None:
        assert interaction.guild is not None  # the feature: bot.sources (issue #17)
        await self._reply(interaction, lambda: self._set_news(interaction.guild_id or 0, state))

    async def _set_news(self, guild_id: int, state: str) -> Reply:
        await self.bot.catalog.sources.set_news(guild_id, state == "on")
        settings = await self._settings(guild_id)
        return news_switched(state == "on", settings.channel_id is not None and settings.enabled)


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Digest(bot))
