"""/search: full text over titles, descriptions, takeaways, calls to action and reports."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers
from bot.app import IGFBot
from cogs._views import answer, slash_command
from cogs.sessions import QUERY, TYPE_CHOICES


class Search(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot

    @slash_command("search")
    @app_commands.describe(
        text="Words to find", year="Only this forum year", type="Only this session type"
    )
    @app_commands.choices(type=TYPE_CHOICES)
    async def search(
        self,
        interaction: discord.Interaction,
        text: QUERY,
        year: app_commands.Range[int, answers.FIRST_YEAR, answers.LAST_YEAR] | None = None,
        type: str | None = None,
    ) -> None:
        await answer(
            interaction,
            self.bot.catalog,
            lambda: answers.search(self.bot.catalog, text, year, type),
        )


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Search(bot))
