"""/session, /sessions, /takeaways, /actions: thin adapters over `bot.answers`."""

from __future__ import annotations

from datetime import date

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers, render
from bot.app import IGFBot
from bot.catalog import MAX_QUERY_CHARS
from bot.vocabulary import SESSION_TYPES
from cogs._views import SectionButton, answer, choices, send_reply, slash_command

TYPE_CHOICES = [
    app_commands.Choice(name=t, value=t) for t in list(SESSION_TYPES)[: render.CHOICES_LIMIT]
]
QUERY = app_commands.Range[str, 1, MAX_QUERY_CHARS]


class Sessions(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot

    async def session_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(self.bot.catalog.session_choices(current))

    @slash_command("session")
    @app_commands.describe(
        query="A reference such as 'Open Forum #5' or 'WS 100', or words of the title"
    )
    async def session_command(self, interaction: discord.Interaction, query: QUERY) -> None:
        await answer(
            interaction, self.bot.catalog, lambda: answers.session(self.bot.catalog, query)
        )

    @slash_command("takeaways")
    @app_commands.describe(session="A session (leave empty for the latest takeaways)")
    async def takeaways(
        self, interaction: discord.Interaction, session: QUERY | None = None
    ) -> None:
        await answer(
            interaction,
            self.bot.catalog,
            lambda: answers.outcomes(self.bot.catalog, "takeaways", session),
        )

    @slash_command("actions")
    @app_commands.describe(session="A session (leave empty for the latest calls to action)")
    async def actions(self, interaction: discord.Interaction, session: QUERY | None = None) -> None:
        await answer(
            interaction,
            self.bot.catalog,
            lambda: answers.outcomes(self.bot.catalog, "actions", session),
        )

    @slash_command("sessions")
    @app_commands.describe(
        year="Forum year",
        type="Session type",
        sdg="Sustainable Development Goal (1-17)",
        day="A day, YYYY-MM-DD",
    )
    @app_commands.choices(type=TYPE_CHOICES)
    async def sessions(
        self,
        interaction: discord.Interaction,
        year: app_commands.Range[int, answers.FIRST_YEAR, answers.LAST_YEAR] | None = None,
        type: str | None = None,
        sdg: app_commands.Range[int, 1, 17] | None = None,
        day: app_commands.Range[str, 10, 10] | None = None,
    ) -> None:
        try:
            parsed_day = date.fromisoformat(day) if day else None
        except ValueError:
            await send_reply(interaction, self.bot.catalog, answers.bad_day(day or ""))
            return
        await answer(
            interaction,
            self.bot.catalog,
            lambda: answers.browse(
                self.bot.catalog, year=year, session_type=type, sdg=sdg, day=parsed_day
            ),
        )

    session_command.autocomplete("query")(session_autocomplete)
    takeaways.autocomplete("session")(session_autocomplete)
    actions.autocomplete("session")(session_autocomplete)


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Sessions(bot))
    bot.add_dynamic_items(SectionButton)  # cards' section buttons, from any earlier run too
