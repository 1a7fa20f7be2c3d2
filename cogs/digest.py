"""/digest: a daily forum digest in a channel of the server's choice (Manage Server).

Thin: settings go to the digest ledger (``catalog.digests``), content comes from `bot.digest`,
timing and the "never twice" bookkeeping from `bot.digest.scheduler.DigestScheduler`, whose
`tick` a ``tasks.loop`` runs every minute. Commands are hidden from members without Manage Server by
`default_permissions` and checked again here (servers can override default permissions).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands, tasks
from discord.utils import format_dt

from bot.app import IGFBot
from bot.digest.ledger import DigestLedger
from bot.digest.render import render_digest
from bot.digest.scheduler import DigestDeliveryError, DigestScheduler, TickResult
from bot.digest.source import build_digest
from bot.digest.timing import find_zone, local_today, next_due, parse_post_time, zone_choices
from bot.models import GuildSettings

log = logging.getLogger(__name__)

REFUSED = "Only members with Manage Server (or the bot's owners) can change the digest."
NEEDED = ("view_channel", "send_messages", "embed_links")


def _fits(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

    # ----------------------------------------------------------------- permissions

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        permissions = interaction.permissions
        if self.bot.is_owner_id(interaction.user.id) or (
            interaction.guild_id and (permissions.manage_guild or permissions.administrator)
        ):
            return True
        raise app_commands.CheckFailure(REFUSED)

    # ----------------------------------------------------------------- helpers

    async def _settings(self, guild_id: int) -> GuildSettings:
        return await self.ledger.guild_settings(guild_id) or GuildSettings(guild_id)

    async def _save(self, settings: GuildSettings) -> GuildSettings:
        return await self.ledger.upsert_guild_settings(settings)

    async def _status(self, settings: GuildSettings) -> str:
        """Settings, the next post, and today's outcome, for ephemeral replies."""
        zone = ZoneInfo(settings.timezone)
        now = self.bot.clock.now()
        today = local_today(now, zone)
        channel = f"<#{settings.channel_id}>" if settings.channel_id else "not set"
        lines = [
            f"**Channel:** {channel}",
            f"**Time:** {settings.post_time} ({settings.timezone})",
            f"**Digest:** {'on' if settings.enabled and settings.channel_id else 'off'}",
        ]
        post = await self.ledger.digest_post(settings.guild_id, today)
        if settings.enabled and settings.channel_id:
            due = next_due(now, parse_post_time(settings.post_time), zone, done_today=bool(post))
            soon = "within a minute" if due <= now else f"{format_dt(due, 'F')}"
            lines.append(f"**Next digest:** {soon} ({format_dt(max(due, now), 'R')})")
        if post is not None and post.status == "failed":
            lines.append(
                f"⚠️ Today's digest could not be posted: {post.detail or 'unknown error'}. "
                "Fix it, then use `/digest now`."
            )
        elif post is not None and post.status == "sent":
            lines.append("Today's digest has been posted.")
        return "\n".join(lines)

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

    # ----------------------------------------------------------------- commands

    @app_commands.command(name="channel", description="Post the daily digest in this channel")
    @app_commands.describe(channel="A text channel the bot can post in")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        assert interaction.guild is not None
        settings = replace(
            await self._settings(interaction.guild.id), channel_id=channel.id, enabled=True
        )
        settings = await self._save(settings)
        text = await self._status(settings)
        problems = await self.channel_problems(interaction.guild, channel.id)
        if problems:
            text += "\n⚠️ " + "\n⚠️ ".join(problems)
        await interaction.response.send_message(_fits(text), ephemeral=True)

    @app_commands.command(name="time", description="The local time to post at (24-hour HH:MM)")
    @app_commands.describe(time="For example 09:00 or 17:30, in the server's digest time zone")
    async def time(self, interaction: discord.Interaction, time: str) -> None:
        assert interaction.guild is not None
        try:
            parsed = parse_post_time(time)
        except ValueError:
            await interaction.response.send_message(
                "Please give the time as HH:MM on a 24-hour clock, e.g. `09:00`.", ephemeral=True
            )
            return
        settings = replace(
            await self._settings(interaction.guild.id), post_time=parsed.strftime("%H:%M")
        )
        settings = await self._save(settings)
        await interaction.response.send_message(_fits(await self._status(settings)), ephemeral=True)

    @app_commands.command(name="timezone", description="The time zone of the digest time")
    @app_commands.describe(zone="An IANA time zone such as Europe/Oslo or America/New_York")
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        assert interaction.guild is not None
        name = find_zone(zone)
        if name is None:
            suggestions = ", ".join(f"`{z}`" for z in zone_choices(zone, 5))
            hint = f" Did you mean {suggestions}?" if suggestions else ""
            await interaction.response.send_message(
                _fits(f"Unknown time zone.{hint} Pick one from the list as you type."),
                ephemeral=True,
            )
            return
        settings = replace(await self._settings(interaction.guild.id), timezone=name)
        settings = await self._save(settings)
        await interaction.response.send_message(_fits(await self._status(settings)), ephemeral=True)

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in zone_choices(current)]

    @app_commands.command(name="off", description="Stop posting the daily digest")
    async def off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        settings = await self._save(
            replace(await self._settings(interaction.guild.id), enabled=False)
        )
        await interaction.response.send_message(
            _fits(
                "The daily digest is off. `/digest channel` turns it on again.\n"
                + await self._status(settings)
            ),
            ephemeral=True,
        )

    @app_commands.command(name="preview", description="Today's digest as it would be posted")
    async def preview(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await self._settings(interaction.guild.id)
        zone = ZoneInfo(settings.timezone)
        today = local_today(self.bot.clock.now(), zone)
        plan = await build_digest(self.bot.catalog, settings.guild_id, today, zone)
        problems: list[str] = []
        if settings.channel_id is None:
            problems.append("No channel is set: use `/digest channel`.")
        else:
            problems += await self.channel_problems(interaction.guild, settings.channel_id)
        if not settings.enabled:
            problems.append("The digest is off: `/digest channel` turns it on.")
        text = "**Preview** (only you can see this)\n" + await self._status(settings)
        if problems:
            text += "\n⚠️ " + "\n⚠️ ".join(problems)
        await interaction.followup.send(
            _fits(text), embeds=render_digest(plan, zone), ephemeral=True
        )

    @app_commands.command(name="now", description="Post today's digest now")
    async def now(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        settings = await self._settings(interaction.guild.id)
        if settings.channel_id is None:
            await interaction.response.send_message(
                "No channel is set: use `/digest channel` first.", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.scheduler.post_now(settings)
        await interaction.followup.send(_fits(self._outcome(result)), ephemeral=True)

    @staticmethod
    def _outcome(result: TickResult) -> str:
        where = f"<#{result.channel_id}>"
        if result.status == "sent":
            return f"Today's digest has been posted in {where}."
        if result.status == "failed":
            return f"⚠️ The digest could not be posted in {where}: {result.detail}."
        return f"Nothing posted: {result.detail}."


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Digest(bot))
