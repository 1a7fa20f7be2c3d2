"""/now and /next: what is on at the forum, in the server's digest time zone (else UTC).

Only the commands; the answers are `bot.reminders.replies.now_on` and `next_up`.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers import Reply
from bot.app import IGFBot
from bot.reminders import replies
from bot.reminders.plan import DEFAULT_WINDOW, MAX_WINDOW
from cogs._views import answer, slash_command


class Live(commands.Cog):
    def __init__(self, bot: IGFBot) -> None:
        self.bot = bot

    async def _zone(self, guild_id: int | None) -> tzinfo:
        """The server's digest time zone when one is set, else UTC."""
        settings = await self.bot.catalog.digests.guild_settings(guild_id) if guild_id else None
        if settings is None:
            return UTC
        try:
            return ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return UTC

    @slash_command("now")
    async def now(self, interaction: discord.Interaction) -> None:
        async def make() -> Reply:
            zone = await self._zone(interaction.guild_id)
            return await replies.now_on(self.bot.catalog, self.bot.clock.now(), zone)

        await answer(interaction, self.bot.catalog, make)

    @slash_command("next")
    @app_commands.describe(minutes=f"The window in minutes (default {DEFAULT_WINDOW})")
    async def next(
        self,
        interaction: discord.Interaction,
        minutes: app_commands.Range[int, 1, MAX_WINDOW] = DEFAULT_WINDOW,
    ) -> None:
        async def make() -> Reply:
            zone = await self._zone(interaction.guild_id)
            return await replies.next_up(self.bot.catalog, self.bot.clock.now(), zone, minutes)

        await answer(interaction, self.bot.catalog, make)


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Live(bot))
