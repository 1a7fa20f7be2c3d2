"""Embeds within Discord's limits: making them, filling fields, paging, and reading them back.

`discord.Embed` is plain data, so everything here runs without a connection (the console prints
the same embeds as text, through `embed_to_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import discord

from bot.render import limits
from bot.render.text import EMPTY, chunk, safe_url, shorten

# Pages are kept well under the hard limits so a footer and a title always fit beside them.
PAGE_TEXT = 3500
COLOUR = discord.Colour(0x1F6FB2)
# Room kept free on a card beside the fields it shows (the "More" field and a safety margin).
_CARD_MARGIN = 100
_LIST_ENTRY = 900
_BLANK = "\u200b"  # Discord refuses empty field names and values


def embed_size(embed: discord.Embed) -> int:
    """Characters Discord counts towards the 6,000 total of an embed."""
    total = len(embed.title or "") + len(embed.description or "")
    total += len(embed.footer.text or "") + len(embed.author.name or "")
    total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    return total


def fit(text: str, limit: int) -> str:
    """`text` untouched when it fits, else shortened: for text already laid out."""
    return text if len(text) <= limit else shorten(text, limit)


def make_embed(title: str, description: str = "", *, url: str | None = None) -> discord.Embed:
    """An embed in the bot's colour; the title shortened, an unsafe link left out."""
    return discord.Embed(
        title=shorten(title, limits.TITLE_LIMIT),
        description=fit(description, limits.DESCRIPTION_LIMIT) or None,
        url=safe_url(url),
        colour=COLOUR,
    )


@dataclass
class Fields:
    """Collects fields, splitting long values over several fields instead of cutting them."""

    fields: list[tuple[str, str, bool]] = field(default_factory=list)

    def add(self, name: str, lines: Iterable[str], *, inline: bool = False) -> None:
        value = ""
        part = 0
        for line in lines:
            line = shorten(line, limits.FIELD_VALUE_LIMIT)
            if value and len(value) + 1 + len(line) > limits.FIELD_VALUE_LIMIT:
                self._push(name, part, value, inline)
                part, value = part + 1, ""
            value = f"{value}\n{line}" if value else line
        if value:
            self._push(name, part, value, inline)

    def _push(self, name: str, part: int, value: str, inline: bool) -> None:
        name = name.strip() or EMPTY  # Discord refuses a blank field name
        label = name if part == 0 else f"{name} (cont.)"
        self.fields.append((shorten(label, limits.FIELD_NAME_LIMIT), value, inline))


def fit_fields(embed: discord.Embed, fields: list[tuple[str, str, bool]], more: str) -> list[str]:
    """Add fields while they fit beside a closing `more` field; return the names left out."""
    left: list[str] = []
    for name, value, inline in fields:
        room = limits.EMBED_TOTAL_LIMIT - embed_size(embed) - len(more) - _CARD_MARGIN
        if len(embed.fields) >= limits.FIELD_COUNT_LIMIT - 1 or len(name) + len(value) > room:
            left.append(name)
            continue
        embed.add_field(name=name, value=value, inline=inline)
    return left


def number_pages(pages: list[discord.Embed], footer: str = "") -> list[discord.Embed]:
    """Footer each page with `footer` and "Page i/n" (when there is more than one)."""
    total = len(pages)
    for index, page in enumerate(pages, start=1):
        text = f"Page {index}/{total}" if total > 1 else ""
        text = shorten(" · ".join(t for t in (footer, text) if t), limits.FOOTER_LIMIT)
        if text:  # Discord refuses an empty footer text
            page.set_footer(text=text)
    return pages


def text_pages(
    title: str, text: str, *, url: str | None = None, footer: str = ""
) -> list[discord.Embed]:
    """All of `text` over as many pages as it needs."""
    pages = [make_embed(title, piece, url=url) for piece in chunk(text, PAGE_TEXT)]
    return number_pages(pages or [make_embed(title, EMPTY)], footer)


def list_pages(
    title: str,
    entries: Sequence[str],
    *,
    per_page: int = 10,
    footer: str = "",
    head: str = "",
) -> list[discord.Embed]:
    """Entries over pages of at most `per_page`; `head` opens the first page and counts
    towards its room (a head added after the cut once pushed a page to 4,508 characters)."""
    pages: list[discord.Embed] = []
    current = [head] if head else []
    shown = 0
    for entry in entries:
        entry = shorten(entry, _LIST_ENTRY)
        if shown >= per_page or sum(len(e) + 2 for e in current) + len(entry) > PAGE_TEXT:
            pages.append(make_embed(title, "\n\n".join(current)))
            current, shown = [], 0
        current.append(entry)
        shown += 1
    if not entries:
        current.append("Nothing found.")
    if current:
        pages.append(make_embed(title, "\n\n".join(current)))
    return number_pages(pages, footer)


def enforce_limits(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """Last line of defence for one message: at most 10 embeds, every part within its limit,
    and the 6,000 total (the longest description or field value gives way first; only when
    none is left to cut do trailing embeds go)."""
    embeds = embeds[: limits.EMBEDS_PER_MESSAGE]
    for embed in embeds:
        _clamp_parts(embed)
    while embeds and (excess := sum(map(embed_size, embeds)) - limits.EMBED_TOTAL_LIMIT) > 0:
        if not _shrink_longest(embeds, excess):
            embeds.pop()
    return embeds


def _shrink_longest(embeds: list[discord.Embed], excess: int) -> bool:
    """Shorten the longest description or field value by `excess`, or by half at most so that
    the cuts are shared; False if none is longer than one character."""
    parts = [(len(e.description or ""), e, -1) for e in embeds]
    parts += [(len(f.value or ""), e, i) for e in embeds for i, f in enumerate(e.fields)]
    length, embed, index = max(parts, key=lambda part: part[0])
    if length <= 1:
        return False
    limit = max(length - excess, length // 2)
    if index < 0:
        embed.description = shorten(embed.description or "", limit)
    else:
        item = embed.fields[index]
        value = shorten(item.value or "", limit) or _BLANK
        embed.set_field_at(index, name=item.name, value=value, inline=bool(item.inline))
    return True


def _clamp_parts(embed: discord.Embed) -> None:
    if embed.title:
        embed.title = fit(embed.title, limits.TITLE_LIMIT)
    if embed.description:
        embed.description = fit(embed.description, limits.DESCRIPTION_LIMIT)
    while len(embed.fields) > limits.FIELD_COUNT_LIMIT:
        embed.remove_field(-1)
    for index, item in enumerate(list(embed.fields)):
        name = fit(item.name or _BLANK, limits.FIELD_NAME_LIMIT)
        value = fit(item.value or _BLANK, limits.FIELD_VALUE_LIMIT)
        embed.set_field_at(index, name=name, value=value, inline=bool(item.inline))
    if embed.footer.text:
        embed.set_footer(
            text=fit(embed.footer.text, limits.FOOTER_LIMIT), icon_url=embed.footer.icon_url
        )
    if embed.author.name:
        author = embed.author
        embed.set_author(
            name=fit(author.name or "", limits.AUTHOR_LIMIT),
            url=author.url,
            icon_url=author.icon_url,
        )


# ------------------------------------------------------------------------------ console

_STAMP = re.compile(r"<t:(\d+)(?::([tTdDfFR]))?>")


def embed_to_text(embed: discord.Embed) -> str:
    """What a reader sees, as plain text: for the console and the README."""
    out: list[str] = []
    if embed.title:
        out.append(f"## {embed.title}")
    if embed.url:
        out.append(str(embed.url))
    if embed.description:
        out.append(plain(embed.description))
    for item in embed.fields:
        out.append(f"\n[{item.name}]\n{plain(item.value or '')}")
    if embed.footer.text:
        out.append(f"-- {embed.footer.text}")
    return "\n".join(out)


def plain(text: str) -> str:
    """Markdown text as a terminal shows it: timestamps in UTC, escapes removed."""
    return _STAMP.sub(_stamp_text, text).replace("\\", "")


def _stamp_text(match: re.Match[str]) -> str:
    moment = datetime.fromtimestamp(int(match.group(1)), tz=UTC)
    style = match.group(2) or "f"
    if style == "R":
        return "relative"
    if style == "t":
        return moment.strftime("%H:%M UTC")
    if style == "d":
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%A %d %B %Y %H:%M UTC")
