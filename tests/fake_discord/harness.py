"""The bot the fake's own tests drive: discord.py's real AutoShardedBot with one command for
each interaction pattern the IGF bot uses (embed reply, defer, components, modal, autocomplete,
subcommand with a channel option, attachment, a deliberately silent command)."""

from __future__ import annotations

import asyncio
import io
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from tests.fake_discord import FakeGuild

CALLBACK = r"/interactions/\d+/[^/]+/callback"


class SessionView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Next", custom_id="next", style=discord.ButtonStyle.primary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="page 2", view=self)  # type 7

    @discord.ui.select(
        custom_id="pick",
        placeholder="Pick a session",
        options=[discord.SelectOption(label=f"Session {c}", value=c) for c in "abc"],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.defer()  # type 6, then an edit by the channel route
        assert interaction.message is not None
        await interaction.message.edit(content=f"picked {select.values[0]}")


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput = discord.ui.TextInput(label="Your feedback", custom_id="text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class HarnessBot(commands.AutoShardedBot):
    """One of each interaction pattern the real bot will use."""

    def __init__(self, guild: FakeGuild) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.1,
        )
        self.sync_guild = discord.Object(guild.id)
        self.digest_channel_id: int | None = None
        self.errors: list[Exception] = []
        self.release_silent = asyncio.Event()
        self._add_commands()

    async def setup_hook(self) -> None:
        await self.tree.sync()
        await self.tree.sync(guild=self.sync_guild)

    def _add_commands(self) -> None:
        tree, guild = self.tree, self.sync_guild

        @tree.command(description="Is the bot there?")  # global: also in DMs
        async def ping(interaction: discord.Interaction) -> None:
            where = "DM" if interaction.guild_id is None else "guild"
            await interaction.response.send_message(f"pong from {where}")

        @tree.command(guild=guild, description="Show a session")
        async def session(interaction: discord.Interaction, query: str) -> None:
            embed = discord.Embed(title=f"Session: {query}", description="Details")
            await interaction.response.send_message(embed=embed, view=SessionView())

        @tree.command(guild=guild, description="Search sessions")
        async def search(interaction: discord.Interaction, query: str) -> None:
            await interaction.response.send_message(f"searching {query}")

        @search.autocomplete("query")
        async def search_choices(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=f"{current} {i}", value=str(i)) for i in range(30)]

        @tree.command(guild=guild, description="Defer, then answer")
        async def slow(interaction: discord.Interaction, mode: Literal["edit", "followup"]) -> None:
            await interaction.response.defer(thinking=True, ephemeral=True)
            if mode == "edit":
                await interaction.edit_original_response(content="done (edited)")
            else:
                await interaction.followup.send("done (followup)")

        @tree.command(guild=guild, description="An embed over Discord's limits")
        async def toolong(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="x" * 300, description="y" * 5000)
            await interaction.response.send_message(embed=embed)

        digest = app_commands.Group(name="digest", description="Daily digest", guild_ids=[guild.id])

        @digest.command(name="channel", description="Where the digest goes")
        async def digest_channel(
            interaction: discord.Interaction, channel: discord.TextChannel
        ) -> None:
            self.digest_channel_id = channel.id
            await interaction.response.send_message(
                f"Digest goes to {channel.mention}", ephemeral=True
            )

        tree.add_command(digest)

        @tree.command(guild=guild, description="Post to the digest channel")
        async def announce(interaction: discord.Interaction) -> None:
            assert self.digest_channel_id is not None
            target = self.get_partial_messageable(self.digest_channel_id)
            try:
                await target.send("Today at IGF: ...")
            except discord.Forbidden:
                await interaction.response.send_message("no permission there", ephemeral=True)
            except discord.NotFound:
                await interaction.response.send_message("that channel is gone", ephemeral=True)
            else:
                await interaction.response.send_message("posted", ephemeral=True)

        @tree.command(guild=guild, description="Echo an uploaded file")
        async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()  # fetched from the fake CDN
            await interaction.response.send_message(
                f"got {file.filename} ({len(data)} bytes)",
                file=discord.File(io.BytesIO(data.upper()), filename="upper.txt"),
            )

        @tree.command(guild=guild, description="Open a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Feedback())

        @tree.command(guild=guild, description="Answers only when released")
        async def silent(interaction: discord.Interaction) -> None:
            await self.release_silent.wait()
            await interaction.response.send_message("too late")

        @tree.error
        async def on_app_command_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.errors.append(error)
