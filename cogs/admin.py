"""/reload, /import (Manage Server or OWNER_IDS) and /export (everyone).

Admin commands are hidden from members without Manage Server by `default_permissions`, and
checked again here: a server can override default permissions, so the client-side gate alone
is not enough.
"""

from __future__ import annotations

import logging
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers
from bot.app import IGFBot
from bot.html_import import html_to_text, looks_like_html
from bot.parser import ParseError, parse_text
from cogs._views import answer, send_reply, slash_command

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 1_000_000
IMPORT_SUFFIXES = (".txt", ".html", ".htm")
CONFIRM_TIMEOUT = 300.0


def is_admin(interaction: discord.Interaction) -> bool:
    bot = interaction.client
    if isinstance(bot, IGFBot) and bot.is_owner_id(interaction.user.id):
        return True
    permissions = interaction.permissions
    return bool(interaction.guild_id and (permissions.manage_guild or permissions.administrator))


def admin_only() -> app_commands.check:  # type: ignore[valid-type]
    def predicate(interaction: discord.Interaction) -> bool:
        if not is_admin(interaction):
            raise app_commands.CheckFailure(
                "Only members with Manage Server (or the bot's owners) can do this."
            )
        return True

    return app_commands.check(predicate)


def document_from_upload(filename: str, data: bytes) -> str:
    """Text the parser reads from an uploaded .txt or .html page; raises ParseError."""
    suffix = Path(filename).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ParseError(f"{filename!r} is not a .txt or .html session page")
    if len(data) > MAX_IMPORT_BYTES:
        raise ParseError(f"file is {len(data):,} bytes; the limit is {MAX_IMPORT_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError("the file is not UTF-8 text") from None
    if suffix in (".html", ".htm") or looks_like_html(data):
        text = html_to_text(text)
    return text


class ConfirmImport(discord.ui.View):
    def __init__(self, bot: IGFBot, owner_id: int, text: str):
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.bot = bot
        self.owner_id = owner_id
        self.text = text

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id and is_admin(interaction):
            return True
        await interaction.response.send_message(
            "Only the admin who started this import can confirm it.", ephemeral=True
        )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:  # type: ignore[type-arg]
        log.error("import confirmation failed", exc_info=error)
        self.stop()
        await send_reply(interaction, self.bot.catalog, answers.import_failed())

    @discord.ui.button(
        label="Confirm", style=discord.ButtonStyle.success, custom_id="import:confirm"
    )
    async def confirm(
        self, interaction: discord.Interaction, _: discord.ui.Button[ConfirmImport]
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        name, existed, report = await self.bot.catalog.add_document(self.text)
        self.stop()
        await send_reply(interaction, self.bot.catalog, answers.imported(name, existed, report))

    @discord.ui.button(
        label="Cancel", style=discord.ButtonStyle.secondary, custom_id="import:cancel"
    )
    async def cancel(
        self, interaction: discord.Interaction, _: discord.ui.Button[ConfirmImport]
    ) -> None:
        self.stop()
        reply = answers.import_cancelled()
        await interaction.response.edit_message(content=reply.content, embed=None, view=None)


class Admin(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot

    @slash_command("reload")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        catalog = self.bot.catalog

        async def reloaded() -> answers.Reply:
            return answers.load_report("Reload", await catalog.reload())

        await answer(interaction, catalog, reloaded, ephemeral=True)

    @slash_command("import")
    @app_commands.describe(file="A session page saved from the IGF website, or its text")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        catalog = self.bot.catalog
        if file.size > MAX_IMPORT_BYTES:
            reason = f"{file.filename} is {file.size:,} bytes; the limit is {MAX_IMPORT_BYTES:,}."
            await send_reply(interaction, catalog, answers.import_refused(reason))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            text = document_from_upload(file.filename, await file.read())
            session = parse_text(text, file.filename)
        except ParseError as exc:
            await send_reply(interaction, catalog, answers.import_refused(exc.reason))
            return
        view = ConfirmImport(self.bot, interaction.user.id, text)
        await send_reply(interaction, catalog, answers.import_preview(session), view=view)

    @slash_command("export")
    @app_commands.describe(format="json (the README's schema) or csv (one row per session)")
    @app_commands.choices(
        format=[
            app_commands.Choice(name="json", value="json"),
            app_commands.Choice(name="csv", value="csv"),
        ]
    )
    async def export(self, interaction: discord.Interaction, format: str = "json") -> None:
        catalog = self.bot.catalog
        await answer(interaction, catalog, lambda: answers.export(catalog, format), ephemeral=True)


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Admin(bot))
