"""/speaker: a person and every session they took part in."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers
from bot.app import IGFBot
from cogs._views import answer, choices, slash_command
from cogs.sessions import QUERY


class People(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot

    @slash_command("speaker")
    @app_commands.describe(name="The person's name (honorifics and accents don't matter)")
    async def speaker(self, interaction: discord.Interaction, name: QUERY) -> None:
        await answer(interaction, self.bot.catalog, lambda: answers.speaker(self.bot.catalog, name))

    @speaker.autocomplete("name")
    async def name_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(self.bot.catalog.person_choices(current))


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(People(bot))
