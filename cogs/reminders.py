"""/remind, /agenda and the card's "Remind me" / "Add to calendar" buttons.

Only the commands, the buttons and the Discord adapter (sending a DM) live here; the feature is
`bot.reminders` (see its docstring). Its minute loop (`cogs._feature.MinuteLoop`) runs
`ReminderScheduler.tick` every minute. The buttons join a session card's view through
`card_extras` (``cogs._views``'s hook).
"""

from __future__ import annotations

import logging
from typing import ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers
from bot.answers import Reply
from bot.app import IGFBot
from bot.catalog import Catalog
from bot.reminders import replies
from bot.reminders.plan import DEFAULT_MINUTES, MAX_MINUTES, ReminderSession
from bot.reminders.render import confirmation_dm
from bot.reminders.scheduler import ReminderDeliveryError, ReminderScheduler
from bot.reminders.source import ReminderSource
from cogs._feature import MinuteLoop
from cogs._views import ReplyView, answer, send_reply, slash_command
from cogs.sessions import Sessions

log = logging.getLogger(__name__)

BUTTON_ROW = 3  # below the section buttons (1) and the select (2)
DM_REFUSALS = {
    403: "Discord refused the DM: DMs are closed",
    404: "Discord no longer knows this user",
}


class Reminders(MinuteLoop[ReminderScheduler], commands.Cog):
    remind = app_commands.Group(name="remind", description=answers.COMMAND["remind"].description)

    def __init__(self, bot: IGFBot) -> None:
        self.bot = bot

    @property
    def catalog(self) -> Catalog:
        return self.bot.catalog

    # ----------------------------------------------------------------- the schedule

    def make_scheduler(self) -> ReminderScheduler:
        return ReminderScheduler(self.catalog, self.send_dm, self.bot.clock)

    # ----------------------------------------------------------------- Discord adapter

    async def send_dm(self, user_id: int, embed: discord.Embed) -> None:
        """The scheduler's sender: Discord's 403/404 become `ReminderDeliveryError`."""
        try:
            channel = await self.bot.create_dm(discord.Object(user_id))
            await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except (discord.Forbidden, discord.NotFound) as exc:
            why = DM_REFUSALS[exc.status]
            raise ReminderDeliveryError(f"{why} ({exc.status}: {exc.text or 'refused'})") from exc

    async def card_extras(self, catalog: Catalog, reply: Reply) -> list[discord.ui.Item[ReplyView]]:
        """ "Remind me" (not started yet) and "Add to calendar" (dated) for a session card."""
        if reply.session is None:
            return []
        session = await ReminderSource(catalog).session(reply.session.key)
        if session is None or session.starts_at is None:
            return []
        items: list[discord.ui.Item[ReplyView]] = []
        if session.starts_at > self.bot.clock.now():
            items.append(_CardButton("remind", session.key))
        items.append(_CardButton("ics", session.key))
        return items

    # ----------------------------------------------------------------- helpers

    async def _named(self, interaction: discord.Interaction, query: str) -> ReminderSession | None:
        session = await ReminderSource(self.catalog).named(query)
        if session is None:
            await send_reply(interaction, self.catalog, replies.no_session(query))
        return session

    async def remind_me(self, interaction: discord.Interaction, key: str) -> None:
        """The card's button: set a default reminder, proven by a test DM."""

        async def make() -> Reply:
            session = await ReminderSource(self.catalog).session(key)
            if session is None:
                return replies.no_session(key)
            now, user = self.bot.clock.now(), interaction.user.id
            reply, created = await replies.add(self.catalog, user, session, DEFAULT_MINUTES, now)
            if created is None:
                return reply
            try:
                await self.send_dm(user, confirmation_dm(session, DEFAULT_MINUTES))
            except ReminderDeliveryError as exc:
                if created:
                    await self.catalog.reminders.remove(user, key)
                return replies.dm_refused(session, exc.reason)
            return reply

        await answer(interaction, self.catalog, make)

    async def calendar_for(self, interaction: discord.Interaction, key: str) -> None:
        session = await ReminderSource(self.catalog).session(key)
        if session is None:
            reply = replies.no_session(key)
        else:
            reply = replies.calendar_file(session, self.bot.clock.now())
        await send_reply(interaction, self.catalog, reply)

    # ----------------------------------------------------------------- commands

    @remind.command(name="add", description="DM me before a session starts")
    @app_commands.describe(
        session="A session: pick one as you type",
        minutes_before=f"How long before the start (0-{MAX_MINUTES}, default {DEFAULT_MINUTES})",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        session: str,
        minutes_before: app_commands.Range[int, 0, MAX_MINUTES] = DEFAULT_MINUTES,
    ) -> None:
        found = await self._named(interaction, session)
        if found is None:
            return
        now = self.bot.clock.now()
        reply, _ = await replies.add(self.catalog, interaction.user.id, found, minutes_before, now)
        await send_reply(interaction, self.catalog, reply)

    @remind.command(name="list", description="Your reminders and what became of them")
    async def list_(self, interaction: discord.Interaction) -> None:
        await send_reply(
            interaction, self.catalog, await replies.listing(self.catalog, interaction.user.id)
        )

    @remind.command(name="remove", description="Cancel a reminder")
    @app_commands.describe(session="A session you have a reminder for")
    async def remove(self, interaction: discord.Interaction, session: str) -> None:
        found = await self._named(interaction, session)
        if found is None:
            return
        reply = await replies.remove(self.catalog, interaction.user.id, found)
        await send_reply(interaction, self.catalog, reply)

    add.autocomplete("session")(Sessions.session_autocomplete)
    remove.autocomplete("session")(Sessions.session_autocomplete)

    @slash_command("agenda")
    async def agenda(self, interaction: discord.Interaction) -> None:
        now = self.bot.clock.now()
        reply = await replies.agenda(self.catalog, interaction.user.id, now)
        await send_reply(interaction, self.catalog, reply)


class _CardButton(discord.ui.Button[ReplyView]):
    """ "Remind me" (``remind:<key>``) or "Add to calendar" (``ics:<key>``) on a card."""

    LOOKS: ClassVar[dict[str, tuple[str, str, discord.ButtonStyle]]] = {
        "remind": ("Remind me", "⏰", discord.ButtonStyle.success),
        "ics": ("Add to calendar", "📅", discord.ButtonStyle.secondary),
    }

    def __init__(self, kind: str, key: str) -> None:
        label, emoji, style = self.LOOKS[kind]
        super().__init__(
            label=label, emoji=emoji, style=style, row=BUTTON_ROW, custom_id=f"{kind}:{key}"[:100]
        )
        self.kind = kind
        self.key = key

    async def callback(self, interaction: discord.Interaction) -> None:
        found = interaction.client.get_cog("Reminders")  # type: ignore[attr-defined]
        assert isinstance(found, Reminders)
        if self.kind == "remind":
            await found.remind_me(interaction, self.key)
        else:
            await found.calendar_for(interaction, self.key)


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Reminders(bot))
