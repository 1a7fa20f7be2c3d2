"""Discord components for a `Reply`: page buttons, section buttons, a select of alternatives.

Paging and the select belong to the person who ran the command and disable themselves on
timeout. A card's section buttons are persistent (`SectionButton`, a `DynamicItem` whose
custom id carries the session's stable reference): anyone may press them, after the view's
timeout and after a restart, and the answer is ephemeral to them.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot import answers, render
from bot.catalog import Catalog

log = logging.getLogger(__name__)

VIEW_TIMEOUT = 300.0
PAGING_ROW, SECTION_ROW = 0, 1
ANSWER_BUDGET = render.INTERACTION_RESPONSE_SECONDS - 1.0  # seconds before we defer


def slash_command(name: str) -> Callable[[Any], app_commands.Command[Any, ..., Any]]:
    """`app_commands.command` with the name and description from `answers.COMMANDS`."""
    return app_commands.command(name=name, description=answers.COMMAND[name].description)


class ExpiringView(discord.ui.View):
    """A view whose buttons and menus grey out on its message when it times out."""

    message: discord.Message | discord.InteractionMessage | None = None

    async def on_timeout(self) -> None:
        await disable_components(self, self.message)


class ReplyView(ExpiringView):
    def __init__(
        self,
        catalog: Catalog,
        reply: answers.Reply,
        owner_id: int,
        *,
        timeout: float | None = None,
        card: answers.CardButtons | None = None,
    ):
        super().__init__(timeout=timeout or VIEW_TIMEOUT)
        self.catalog = catalog
        self.reply = reply
        self.owner_id = owner_id
        self.page = 0
        self.card = card
        self.message: discord.Message | discord.InteractionMessage | None = None
        self.extras: list[discord.ui.Item[ReplyView]] = []  # from the cogs' card_extras (below)
        self._build()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.clear_items()
        pages = len(self.reply.pages)
        if pages > 1 and not self.reply.one_message:
            self._add_paging(pages)
        if self.reply.session is not None and self.card is not None:
            value = self.reply.session.encode()
            for section, label in self.card.sections:
                self.add_item(_Face(SectionButton.make(section, label, value)))
            if self.card.url:
                self.add_item(discord.ui.Button(label="Session page", url=self.card.url, row=4))
        if self.reply.choices:
            self.add_item(_ChoiceSelect(self.reply, row=2))
        for item in self.extras:
            self.add_item(item)

    def _add_paging(self, pages: int) -> None:
        """◀ n/N ▶; a long list adds first and last, and its counter asks for a page number
        (as R. Danny's and python-discord's paginators do)."""
        first, last = self.page == 0, self.page >= pages - 1
        long = pages > 2
        if long:
            self.add_item(_PageButton("⏮", "first", disabled=first))
        self.add_item(_PageButton("◀", -1, disabled=first))
        self.add_item(_Counter(f"{self.page + 1}/{pages}", jump=long))
        self.add_item(_PageButton("▶", 1, disabled=last))
        if long:
            self.add_item(_PageButton("⏭", "last", disabled=last))

    # -- behaviour --------------------------------------------------------------------------

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id or _for_anyone(self, interaction):
            return True
        await send_reply(interaction, self.catalog, answers.not_your_buttons())
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:  # type: ignore[type-arg]
        from bot.app import ERROR_MESSAGE, send_error

        log.exception("component %s failed", getattr(item, "custom_id", item), exc_info=error)
        await send_error(interaction, ERROR_MESSAGE)

    async def turn(self, interaction: discord.Interaction, step: Step) -> None:
        """Show another page: `step` pages on, or the first, the last, or page number `step`
        (counted from 1) when it is a string of digits (the jump modal)."""
        last = len(self.reply.pages) - 1
        if step == "first":
            target = 0
        elif step == "last":
            target = last
        elif isinstance(step, str):
            target = int(step) - 1
        else:
            target = self.page + step
        self.page = max(0, min(last, target))
        self._build()
        await interaction.response.edit_message(embed=self.reply.pages[self.page], view=self)


Step = int | str  # pages on (-1, 1), "first", "last", or a page number typed in the modal


class _PageButton(discord.ui.Button["ReplyView"]):
    def __init__(self, label: str, step: Step, *, disabled: bool):
        super().__init__(
            label=label,
            style=discord.ButtonStyle.secondary,
            disabled=disabled,
            row=PAGING_ROW,
            custom_id=f"page:{step}",
        )
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.turn(interaction, self.step)


class _Counter(discord.ui.Button["ReplyView"]):
    """ "2/7": on a long list, pressing it asks which page to show."""

    def __init__(self, label: str, *, jump: bool):
        super().__init__(
            label=label,
            style=discord.ButtonStyle.secondary,
            disabled=not jump,
            row=PAGING_ROW,
            custom_id="page:jump" if jump else "page:counter",
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await interaction.response.send_modal(_JumpModal(self.view))


class _JumpModal(discord.ui.Modal, title="Go to page"):
    def __init__(self, view: ReplyView):
        super().__init__(timeout=VIEW_TIMEOUT)  # its own random custom id: one a user
        self.view = view
        pages = len(view.reply.pages)
        self.number: discord.ui.TextInput[_JumpModal] = discord.ui.TextInput(
            label=f"Page number (1–{pages})",
            placeholder=str(view.page + 1),
            min_length=1,
            max_length=len(str(pages)),
            custom_id="page:number",
        )
        self.add_item(self.number)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        typed = self.number.value.strip()
        pages = len(self.view.reply.pages)
        if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) <= pages):
            reply = answers.Reply(content=f"Type a page number from 1 to {pages}.", ephemeral=True)
            await send_reply(interaction, self.view.catalog, reply)
            return
        await self.view.turn(interaction, typed)


class SectionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"section:(?P<section>[a-z]+):(?P<value>.+)",
):
    """A card's section button: it works for anyone, after a timeout and after a restart,
    because everything it needs is in its custom id (registered with `add_dynamic_items`)."""

    def __init__(self, item: discord.ui.Button[Any], section: str, value: str) -> None:
        super().__init__(item)
        self.section = section
        self.value = value  # an encoded session ChoiceValue

    @classmethod
    def make(cls, section: str, label: str, value: str) -> discord.ui.Button[Any]:
        """The button as a card shows it."""
        return discord.ui.Button(
            label=label,
            style=discord.ButtonStyle.primary,
            row=SECTION_ROW,
            custom_id=f"section:{section}:{value}",
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> SectionButton:
        return cls(item, match["section"], match["value"])

    async def callback(self, interaction: discord.Interaction) -> None:
        catalog: Catalog = interaction.client.catalog  # type: ignore[attr-defined]
        reply = await answers.section_by_value(catalog, self.value, self.section)
        reply.ephemeral = True
        reply.session = None  # a section page offers paging, not more section buttons
        await send_reply(interaction, catalog, reply)


class _Face(discord.ui.Button["ReplyView"]):
    """A persistent button shown in a `ReplyView` but answered by its `DynamicItem`: the view
    must not dispatch it, and must not hold the DynamicItem itself, since a view that stops
    (its timeout) unregisters the dynamic items it holds (discord.py's ViewStore.remove_view)."""

    def __init__(self, shown: discord.ui.Button[Any]) -> None:
        super().__init__(
            label=shown.label, style=shown.style, row=shown.row, custom_id=shown.custom_id
        )

    def is_dispatchable(self) -> bool:
        return False


class _ChoiceSelect(discord.ui.Select["ReplyView"]):
    def __init__(self, reply: answers.Reply, row: int):
        options = [
            discord.SelectOption(
                label=render.shorten(c.label, render.SELECT_OPTION_TEXT_LIMIT) or render.EMPTY,
                value=c.value,  # an encoded ChoiceValue: at most 64 characters
                description=(c.description or None)
                and render.shorten(c.description, render.SELECT_OPTION_TEXT_LIMIT),
            )
            for c in reply.choices[: render.SELECT_OPTIONS_LIMIT]
        ]
        placeholder = "Open a session…" if reply.choice_kind == "session" else "Open a person…"
        super().__init__(
            placeholder=placeholder, options=options, row=row, custom_id=f"open:{reply.choice_kind}"
        )
        self.kind = reply.choice_kind

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        catalog = self.view.catalog
        reply = await answers.open_choice(catalog, self.values[0])
        reply.ephemeral = True
        await send_reply(interaction, catalog, reply)


# --- card extras (reminders feature; integrator: keep) -----------------------------------
CardExtras = Callable[[Catalog, answers.Reply], Awaitable[list[discord.ui.Item[ReplyView]]]]
CARD_EXTRAS_HOOK = "card_extras"
"""A loaded cog may offer more components for a reply's view (a card's "Remind me") as an
async method of this name, ``(catalog, reply) -> items``."""


def _for_anyone(view: ReplyView, interaction: discord.Interaction) -> bool:
    """Extras act for whoever clicks them (a reminder for oneself), not only the owner."""
    custom_id = (interaction.data or {}).get("custom_id")
    return any(getattr(item, "custom_id", None) == custom_id for item in view.extras)


async def _add_extras(
    view: ReplyView, interaction: discord.Interaction, catalog: Catalog, reply: answers.Reply
) -> None:
    for cog in getattr(interaction.client, "cogs", {}).values():
        extras: CardExtras | None = getattr(cog, CARD_EXTRAS_HOOK, None)
        if extras is not None:
            view.extras += await extras(catalog, reply)
    if view.extras:
        view._build()


# --- end of card extras


async def disable_components(
    view: discord.ui.View, message: discord.Message | discord.InteractionMessage | None
) -> None:
    """Grey out a view's buttons and menus on its message (after its timeout)."""
    for item in view.children:
        # persistent section buttons (DynamicItem) and links keep working
        if isinstance(item, discord.ui.Select) or (
            isinstance(item, discord.ui.Button) and item.url is None and not isinstance(item, _Face)
        ):
            item.disabled = True
    if message is not None:
        try:
            await message.edit(view=view)
        except discord.HTTPException:
            log.debug("could not disable components after timeout", exc_info=True)


def choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices from the Catalog's (label, encoded value) pairs."""
    return [app_commands.Choice(name=label, value=value) for label, value in pairs]


async def send_reply(
    interaction: discord.Interaction,
    catalog: Catalog,
    reply: answers.Reply,
    *,
    view: discord.ui.View | None = None,
) -> discord.Message | discord.InteractionMessage | None:
    """Send a reply as the first response, or as a follow-up if we already deferred.

    Its components are the reply's own (`ReplyView`) unless a `view` is given. Returns the
    message when it has components (for disabling them later)."""
    if view is None:
        card = None
        if reply.session is not None:
            card = await answers.card_buttons(catalog, reply.session.key)
        view = ReplyView(catalog, reply, interaction.user.id, card=card)
        await _add_extras(view, interaction, catalog, reply)
    kwargs = _message_parts(reply)
    if view.children:
        kwargs["view"] = view
    message: discord.Message | discord.InteractionMessage | None
    if interaction.response.is_done():
        message = await interaction.followup.send(ephemeral=reply.ephemeral, wait=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=reply.ephemeral, **kwargs)
        message = await interaction.original_response() if view.children else None
    if isinstance(view, ReplyView):
        view.message = message
    return message


def _message_parts(reply: answers.Reply) -> dict[str, Any]:
    """The message fields of a reply: text, first page, attachment; mentions ping nobody."""
    parts: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
    if reply.content:
        parts["content"] = reply.content
    if reply.one_message:
        parts["embeds"] = reply.pages
    elif reply.pages:
        parts["embed"] = reply.pages[0]
    if reply.attachment is not None:
        file = reply.attachment
        parts["file"] = discord.File(io.BytesIO(file.data), filename=file.filename)
    return parts


def ready(reply: answers.Reply) -> Callable[[], Awaitable[answers.Reply]]:
    """A reply already made, in the form `answer` takes."""

    async def made() -> answers.Reply:
        return reply

    return made


async def answer(
    interaction: discord.Interaction,
    catalog: Catalog,
    make_reply: Callable[[], Awaitable[answers.Reply]],
    *,
    budget: float = ANSWER_BUDGET,
    ephemeral: bool = False,
) -> None:
    """Answer within Discord's 3 seconds: defer if the answer is not ready in `budget`.

    Every slash command answers through here, so none can miss the deadline while the bot is
    busy (a reload holds the write lock; a slow query waits). A deferral's visibility is fixed
    when it is sent, so commands whose replies are private pass ``ephemeral=True``."""
    task = asyncio.ensure_future(make_reply())
    done, _ = await asyncio.wait({task}, timeout=budget)
    if not done:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    await send_reply(interaction, catalog, await task)
