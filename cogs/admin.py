"""/reload, /import (Manage Server or OWNER_IDS) and /export (everyone).

Admin commands are hidden from members without Manage Server by `default_permissions`, and
checked again here: a server can override default permissions, so the client-side gate alone
is not enough.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers
from bot.app import IGFBot
from bot.attachments import AttachmentError, AttachmentPolicy, read_attachment
from bot.html_import import Upload, read_upload
from bot.offload import CpuWorker, OffloadError
from cogs._views import ExpiringView, send_reply, slash_command

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 1_000_000
# A hostile page (150,000 nested elements) can keep the HTML reader busy for seconds: it runs
# in a worker process that is killed past this budget, so the event loop keeps answering.
IMPORT_BUDGET_S = 10.0
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
            raise app_commands.CheckFailure(answers.ADMIN_ONLY)
        return True

    return app_commands.check(predicate)


class Confirm(ExpiringView):
    """Confirm/Cancel for the admin who started an action; disabled on timeout."""

    def __init__(
        self,
        bot: IGFBot,
        owner_id: int,
        action: str,
        on_confirm: Callable[[], Awaitable[answers.Reply]],
        *,
        timeout: float = CONFIRM_TIMEOUT,
    ):
        super().__init__(timeout=timeout)
        self.bot = bot
        self.owner_id = owner_id
        self.action = action
        self.on_confirm = on_confirm
        self.message: discord.Message | discord.InteractionMessage | None = None
        for label, style, callback in (
            ("Confirm", discord.ButtonStyle.danger, self._confirm),
            ("Cancel", discord.ButtonStyle.secondary, self._cancel),
        ):
            button: discord.ui.Button[Confirm] = discord.ui.Button(
                label=label, style=style, custom_id=f"{action}:{label.lower()}"
            )
            button.callback = callback  # type: ignore[method-assign]
            self.add_item(button)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id and is_admin(interaction):
            return True
        await send_reply(interaction, self.bot.catalog, answers.not_your_confirm(self.action))
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:  # type: ignore[type-arg]
        log.error("%s confirmation failed", self.action, exc_info=error)
        self.stop()
        await send_reply(interaction, self.bot.catalog, answers.admin_failed(self.action))

    async def _confirm(self, interaction: discord.Interaction) -> None:
        self.stop()
        await interaction.response.defer(ephemeral=True, thinking=True)
        await send_reply(interaction, self.bot.catalog, await self.on_confirm())

    async def _cancel(self, interaction: discord.Interaction) -> None:
        self.stop()
        reply = answers.cancelled(self.action)
        await interaction.response.edit_message(content=reply.content, embed=None, view=None)


class Admin(commands.Cog):
    def __init__(self, bot: IGFBot):
        self.bot = bot
        self.worker = CpuWorker()
        self.import_budget_s = IMPORT_BUDGET_S
        self.confirm_timeout_s = CONFIRM_TIMEOUT

    async def cog_unload(self) -> None:
        self.worker.close()

    @slash_command("reload")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        catalog = self.bot.catalog
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await catalog.reload()
        if report.refused is None:
            await send_reply(interaction, catalog, answers.load_report("Reload", report))
            return

        async def prune() -> answers.Reply:
            return answers.load_report("Reload", await catalog.reload(prune=True))

        view = Confirm(
            self.bot, interaction.user.id, "reload", prune, timeout=self.confirm_timeout_s
        )
        await self._ask(interaction, answers.reload_refused(report), view)

    @slash_command("import")
    @app_commands.describe(file="A session page saved from the IGF website, or its text")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admin_only()
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        catalog = self.bot.catalog
        if file.size > MAX_IMPORT_BYTES:
            reason = f"{file.filename} is {file.size:,} bytes; the limit is {MAX_IMPORT_BYTES:,}"
            await send_reply(interaction, catalog, answers.import_refused(reason))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        upload = await self._read(file)
        if upload.session is None:
            await send_reply(interaction, catalog, answers.import_refused(upload.refused or ""))
            return
        if await catalog.session_record(upload.session.key) == upload.session:
            await send_reply(interaction, catalog, answers.already_loaded(upload.session))
            return

        async def add() -> answers.Reply:
            return answers.imported(*await catalog.add_document(upload.text))

        view = Confirm(self.bot, interaction.user.id, "import", add, timeout=self.confirm_timeout_s)
        await self._ask(interaction, answers.import_preview(upload.session), view)

    async def _read(self, file: discord.Attachment) -> Upload:
        """The upload, read from Discord's CDN only (hard cap) and parsed in the worker."""
        policy = AttachmentPolicy.for_api_base(self.bot.config.api_base)
        try:
            data = await read_attachment(file.url, max_bytes=MAX_IMPORT_BYTES, policy=policy)
        except AttachmentError as exc:
            return Upload(refused=str(exc))
        try:
            return await self.worker.run(self.import_budget_s, read_upload, file.filename, data)
        except OffloadError as exc:
            log.warning("import of %r stopped: %s", file.filename, exc)
            return Upload(refused=answers.too_slow_to_read(self.import_budget_s))

    async def _ask(
        self, interaction: discord.Interaction, reply: answers.Reply, view: Confirm
    ) -> None:
        view.message = await send_reply(interaction, self.bot.catalog, reply, view=view)

    @slash_command("export")
    @app_commands.describe(format="json (the README's schema) or csv (one row per session)")
    @app_commands.choices(
        format=[app_commands.Choice(name=f, value=f) for f in answers.EXPORT_FORMATS]
    )
    async def export(
        self, interaction: discord.Interaction, format: app_commands.Choice[str] | None = None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        chosen = format.value if format is not None else answers.EXPORT_FORMATS[0]
        await send_reply(
            interaction, self.bot.catalog, await answers.export(self.bot.catalog, chosen)
        )


async def setup(bot: IGFBot) -> None:
    await bot.add_cog(Admin(bot))
