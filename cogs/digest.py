"""/digest: a daily forum digest in a channel of the server's choice (Manage Server).

Only the commands, the permission check and the Discord adapter (sending a digest to a channel,
checking a channel's permissions) live here; the feature is `bot.digest` (see its docstring).
A ``tasks.loop`` runs `DigestScheduler.tick` every minute. Commands are hidden from members
without Manage Server by `default_permissions` and checked again here (servers can override
default permissions).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Literal
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.answers import Reply
from bot.app import IGFBot
from bot.digest import replies
from bot.digest.ledger import DigestLedger
from bot.digest.render import render_digest
from bot.digest.scheduler import DigestDeliveryError, DigestScheduler
from bot.digest.source import build_digest
from bot.digest.timing import find_zone, local_today, parse_post_time, zone_choices
from bot.models import DigestPost, GuildSettings
from bot.sources.replies import news_switched
from cogs._views import send_reply

log = logging.getLogger(__name__)

NEEDED = ("view_channel", "send_messages", "embed_links")


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Digest(
    commands.GroupCog,
    group_name="digest",
    group_description="A daily forum digest in a channel of this server",
):
    def __init__(self, bot: IGFBot) -> None:
        self.bot = bot
        self._scheduler: DigestScheduler | None = None
        self.ticks = 0
        """Loop iterations completed (for tests and diagnostics)."""
        super().__init__()

    @property
    def ledger(self) -> DigestLedger:
        return self.bot.catalog.digests

    @property
    def scheduler(self) -> DigestScheduler:
        """Created on first use: the catalog opens in the bot's setup_hook."""
        if self._scheduler is None:
            self._scheduler = DigestScheduler(self.bot.catalog, self.send_digest, self.bot.clock)
        return self._scheduler

    # ----------------------------------------------------------------- the schedule

    async def cog_load(self) -> None:
        self.ticker.start()

    async def cog_unload(self) -> None:
        self.ticker.cancel()

    @tasks.loop(minutes=1)
    async def ticker(self) -> None:
        try:
            await self.scheduler.tick()
        except Exception:  # the loop must survive anything (e.g. a locked database)
            log.exception("digest tick failed")
        finally:
            self.ticks += 1

    @ticker.before_loop
    async def _before_ticker(self) -> None:
        await self.bot.wait_until_ready()  # channel cache; sending needs no gateway

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

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        permissions = interaction.permissions
        if self.bot.is_owner_id(interaction.user.id) or (
            interaction.guild_id and (permissions.manage_guild or permissions.administrator)
        ):
            return True
        raise app_commands.CheckFailure(replies.REFUSED)

    # ----------------------------------------------------------------- helpers

    async def _reply(self, interaction: discord.Interaction, reply: Reply) -> None:
        await send_reply(interaction, self.bot.catalog, reply)

    async def _settings(self, guild_id: int) -> GuildSettings:
        return await self.ledger.guild_settings(guild_id) or GuildSettings(guild_id)

    async def _today(self, settings: GuildSettings) -> DigestPost | None:
        """Today's ledger row for the server (its local date), if any."""
        today = local_today(self.bot.clock.now(), ZoneInfo(settings.timezone))
        return await self.ledger.digest_post(settings.guild_id, today)

    async def _save(
        self, interaction: discord.Interaction, settings: GuildSettings, problems: list[str]
    ) -> None:
        """Store the settings and answer with the status they give."""
        settings = await self.ledger.upsert_guild_settings(settings)
        today = await self._today(settings)
        await self._reply(
            interaction, replies.saved(settings, self.bot.clock.now(), today, problems)
        )

    # ----------------------------------------------------------------- commands

    @app_commands.command(name="channel", description="Post the daily digest in this channel")
    @app_commands.describe(channel="A text channel the bot can post in")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        assert interaction.guild is not None
        settings = await self._settings(interaction.guild.id)
        problems = await self.channel_problems(interaction.guild, channel.id)
        await self._save(
            interaction, replace(settings, channel_id=channel.id, enabled=True), problems
        )

    @app_commands.command(name="time", description="The local time to post at (24-hour HH:MM)")
    @app_commands.describe(time="For example 09:00 or 17:30, in the server's digest time zone")
    async def time(self, interaction: discord.Interaction, time: str) -> None:
        assert interaction.guild is not None
        try:
            parsed = parse_post_time(time)
        except ValueError:
            await self._reply(interaction, replies.bad_time())
            return
        settings = await self._settings(interaction.guild.id)
        await self._save(interaction, replace(settings, post_time=parsed.strftime("%H:%M")), [])

    @app_commands.command(name="timezone", description="The time zone of the digest time")
    @app_commands.describe(zone="An IANA time zone such as Europe/Oslo or America/New_York")
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        assert interaction.guild is not None
        name = find_zone(zone)
        if name is None:
            await self._reply(interaction, replies.unknown_zone(zone))
            return
        settings = await self._settings(interaction.guild.id)
        await self._save(interaction, replace(settings, timezone=name), [])

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_choices(current)]

    @app_commands.command(name="off", description="Stop posting the daily digest")
    async def off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        settings = await self._settings(interaction.guild.id)
        settings = await self.ledger.upsert_guild_settings(replace(settings, enabled=False))
        today = await self._today(settings)
        await self._reply(interaction, replies.turned_off(settings, self.bot.clock.now(), today))

    @app_commands.command(name="preview", description="Today's digest as it would be posted")
    async def preview(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await self._settings(interaction.guild.id)
        zone = ZoneInfo(settings.timezone)
        now = self.bot.clock.now()
        plan = await build_digest(self.bot.catalog, settings.guild_id, local_today(now, zone), zone)
        problems: list[str] = []
        if settings.channel_id is not None:
            problems = await self.channel_problems(interaction.guild, settings.channel_id)
        today = await self._today(settings)
        reply = replies.preview(settings, now, today, problems, render_digest(plan, zone))
        await self._reply(interaction, reply)

    @app_commands.command(name="now", description="Post today's digest now")
    async def now(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        settings = await self._settings(interaction.guild.id)
        if settings.channel_id is None:
            await self._reply(interaction, replies.no_channel())
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.scheduler.post_now(settings)
        await self._reply(interaction, replies.outcome(result))

    @app_commands.command(name="news", description="Post new key takeaways after each refresh")
    @app_commands.describe(state="on (the default) or off")
    async def news(self, interaction: discord.Interaction, state: Literal["on", "off"]) -> None:
        assert interaction.guild is not None  # the feature: bot.sources (issue #17)
        await self.bot.catalog.sources.set_news(interaction.guild.id, state == "on")
        settings = await self._settings(interaction.guild.id)
        reply = news_switched(state == "on", settings.channel_id is not None and settings.enabled)
        await self._reply(interaction, reply)


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Digest(bot))
