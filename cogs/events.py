"""/events: the schedule as Discord scheduled events (Manage Server; the bot needs Manage Events).

Only the commands, the permission checks and the Discord adapter (`DiscordEvents`: the REST
calls and their errors) live here; the feature is `bot.events` (see its docstring). Its
minute loop (`cogs._feature.MinuteLoop`) runs `EventPublisher.tick`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import discord
from discord import app_commands

from bot import answers
from bot.answers import Reply
from bot.app import IGFBot
from bot.events import replies
from bot.events.ledger import Scope
from bot.events.scheduler import (
    EventGone,
    EventPublisher,
    EventRefused,
    EventsBusy,
    EventsForbidden,
    EventsFull,
    RemoteEvent,
)
from bot.vocabulary import canonical_type
from cogs._feature import FeatureGroup, check_manager
from cogs._views import send_reply
from cogs.sessions import TYPE_CHOICES

TOO_MANY_EVENTS = 30038
LIVE = (discord.EventStatus.scheduled.value, discord.EventStatus.active.value)


class DiscordEvents:
    """`bot.events.scheduler.EventsAdapter` on discord.py's REST client."""

    def __init__(self, bot: IGFBot) -> None:
        self.bot = bot

    def can_manage(self, guild_id: int) -> bool:
        guild = self.bot.get_guild(guild_id)
        return bool(guild and guild.me and guild.me.guild_permissions.manage_events)

    async def list(self, guild_id: int) -> list[RemoteEvent]:
        data = await self._call(self.bot.http.get_scheduled_events(guild_id, False))
        me = self.bot.user.id if self.bot.user else 0
        return [
            RemoteEvent(
                int(e["id"]),
                int(e.get("creator_id") or 0) == me,
                e.get("status") in LIVE,
                e.get("description"),
            )
            for e in data
        ]

    async def create(self, guild_id: int, body: dict[str, Any]) -> int:
        data = await self._call(self.bot.http.create_guild_scheduled_event(guild_id, **body))
        return int(data["id"])

    async def edit(self, guild_id: int, event_id: int, body: dict[str, Any]) -> None:
        await self._call(self.bot.http.edit_scheduled_event(guild_id, event_id, **body))

    async def delete(self, guild_id: int, event_id: int) -> None:
        await self._call(self.bot.http.delete_scheduled_event(guild_id, event_id))

    @staticmethod
    async def _call(request: Any) -> Any:
        """Discord's refusals as the publisher's exceptions (429s are waited out by
        discord.py; one that still fails did nothing)."""
        try:
            return await request
        except discord.Forbidden as exc:
            raise EventsForbidden from exc
        except discord.NotFound as exc:
            raise EventGone from exc
        except discord.HTTPException as exc:
            if exc.status == 429:
                raise EventsBusy from exc
            if exc.code == TOO_MANY_EVENTS:
                raise EventsFull from exc
            if exc.status >= 500:
                raise  # the outcome is unknown: the claim stays for the next sync
            raise EventRefused(f"{exc.status} {exc.code}: {exc.text}"[:300]) from exc


class Events(
    FeatureGroup[EventPublisher],
    group_name="events",
    group_description=answers.COMMAND["events"].description,
):
    def make_scheduler(self) -> EventPublisher:
        return EventPublisher(self.bot.catalog, DiscordEvents(self.bot), self.bot.clock)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_manager(self.bot, interaction, replies.REFUSED)

    async def _reply(self, interaction: discord.Interaction, reply: Reply) -> None:
        await send_reply(interaction, self.bot.catalog, reply)

    @app_commands.command(name="publish", description="Publish sessions as scheduled events")
    @app_commands.choices(type=TYPE_CHOICES)
    async def publish(
        self,
        interaction: discord.Interaction,
        year: app_commands.Range[int, 2006, 2100] | None = None,
        day: str | None = None,
        type: str | None = None,
    ) -> None:
        """Publish sessions as scheduled events

        Args:
            year: Only this forum year
            day: Only this day (YYYY-MM-DD, UTC)
            type: Only this session type
        """
        assert interaction.guild is not None
        try:
            on = date.fromisoformat(day.strip()) if day else None
        except ValueError:
            await self._reply(interaction, replies.bad_day(day or ""))
            return
        if not self.scheduler.api.can_manage(interaction.guild.id):
            await self._reply(interaction, replies.missing_permission())
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        scope = Scope(year, on, canonical_type(type) if type else None)
        await self.bot.catalog.events.add_scope(interaction.guild.id, scope)
        result = await self.scheduler.sync(interaction.guild.id, retry_failed=True)
        counts = await self.scheduler.counts(interaction.guild.id)
        await self._reply(interaction, replies.published(scope, result, counts))

    @app_commands.command(name="status", description="How many events are published")
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        guild_id = interaction.guild.id
        ledger = self.bot.catalog.events
        failures = [e.detail or e.key for e in await ledger.events(guild_id) if e.detail]
        reply = replies.status(
            await ledger.scopes(guild_id),
            await self.scheduler.counts(guild_id),
            failures,
            self.scheduler.api.can_manage(guild_id),
        )
        await self._reply(interaction, reply)

    @app_commands.command(name="clear", description="Delete every event the bot made here")
    async def clear(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        if not self.scheduler.api.can_manage(interaction.guild.id):
            await self._reply(interaction, replies.missing_permission())
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            count = await self.scheduler.clear(interaction.guild.id)
        except EventsForbidden:
            await self._reply(interaction, replies.missing_permission())
            return
        await self._reply(interaction, replies.cleared(count))


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Events(bot))
