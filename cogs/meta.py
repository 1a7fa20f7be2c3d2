"""/about and /help."""

from __future__ import annotations

import math

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers
from bot.app import IGFBot
from cogs._views import send_reply


class Meta(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot

    @app_commands.command(
        name="about", description="What the bot knows: counts, data version, latency"
    )
    async def about(self, interaction: discord.Interaction) -> None:
        latency = self.bot.latency * 1000 if math.isfinite(self.bot.latency) else None
        await send_reply(
            interaction, self.bot.catalog, await answers.about(self.bot.catalog, latency)
        )

    @app_commands.command(name="help", description="How to use the IGF forum bot")
    async def help(self, interaction: discord.Interaction) -> None:
        await send_reply(interaction, self.bot.catalog, answers.help_reply())


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Meta(bot))
