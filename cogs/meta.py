"""/about and /help."""

from __future__ import annotations

import math

import discord
from discord.ext import commands

from bot import answers
from bot.app import IGFBot
from cogs._views import send_reply, slash_command


class Meta(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot

    @slash_command("about")
    async def about(self, interaction: discord.Interaction) -> None:
        latency = self.bot.latency * 1000 if math.isfinite(self.bot.latency) else None
        await send_reply(
            interaction, self.bot.catalog, await answers.about(self.bot.catalog, latency)
        )

    @slash_command("help")
    async def help(self, interaction: discord.Interaction) -> None:
        await send_reply(interaction, self.bot.catalog, answers.help_reply())


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Meta(bot))
