"""/about and /help."""

from __future__ import annotations

import math

import discord
from discord.ext import commands

from bot import answers
from bot.app import IGFBot
from cogs._views import answer, ready, slash_command


class Meta(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot

    @slash_command("about")
    async def about(self, interaction: discord.Interaction) -> None:
        latency = self.bot.latency * 1000 if math.isfinite(self.bot.latency) else None
        catalog = self.bot.catalog
        await answer(interaction, catalog, lambda: answers.about(catalog, latency))

    @slash_command("help")
    async def help(self, interaction: discord.Interaction) -> None:
        await answer(interaction, self.bot.catalog, ready(answers.help_reply()))


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Meta(bot))
