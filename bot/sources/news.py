"""The "new takeaways" post: which sessions it lists (pure plan) and how it looks (embeds and
buttons), always within Discord's limits.

One post per server per refresh lists the sessions whose key takeaways or calls to action
appeared or changed since the server's last post: the newest first, grouped by event (one embed
per event), each with its reference, title and first takeaway, and a button that shows all of
them. At most `MAX_SHOWN` sessions are shown (one button each fits in two rows); the rest are
counted, and `/takeaways` lists the newest first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot import render
from bot.models import SessionSummary
from bot.sources.ledger import Appeared

MAX_SHOWN = 10
FIRST_TEXT = 300  # characters of the first takeaway shown per session
BUTTON_PREFIX = "news:"
BUTTON_ID = re.compile(r"news:(?P<key>[a-z0-9-]{1,95})")
TITLE = "New key takeaways"


@dataclass(frozen=True, slots=True)
class NewsItem:
    appeared: Appeared
    summary: SessionSummary
    first: str  # the first takeaway, else the first call to action
    is_call: bool = False  # `first` is a call to action (the session has no takeaways yet)


@dataclass(frozen=True, slots=True)
class NewsPlan:
    shown: list[NewsItem]
    more: int  # further sessions in this post's claim, counted but not shown


def plan_news(items: Sequence[NewsItem], max_shown: int = MAX_SHOWN) -> NewsPlan | None:
    """Newest first (as given); None when there is nothing to tell."""
    if not items:
        return None
    return NewsPlan(list(items[:max_shown]), max(len(items) - max_shown, 0))


def button_id(key: str) -> str | None:
    """The button's custom_id, or None when the key cannot be one (too long, odd characters)."""
    custom_id = BUTTON_PREFIX + key
    ok = len(custom_id) <= render.CUSTOM_ID_LIMIT and BUTTON_ID.fullmatch(custom_id)
    return custom_id if ok else None


def _field_name(summary: SessionSummary) -> str:
    ref = summary.reference or summary.session_type
    head = f"{ref}: {summary.title}" if ref else summary.title or summary.heading
    return render.shorten(render.one_line(head), render.FIELD_NAME_LIMIT)


def _field_value(item: NewsItem) -> str:
    label = "Call to action" if item.is_call else "Takeaway"
    first = render.shorten(render.one_line(item.first), FIRST_TEXT)
    return render.shorten(f"**{label}:** {render.md(first)}", render.FIELD_VALUE_LIMIT)


def _groups(items: Sequence[NewsItem]) -> dict[str, list[NewsItem]]:
    groups: dict[str, list[NewsItem]] = {}
    for item in items:
        groups.setdefault(item.summary.event or "Other sessions", []).append(item)
    return groups


def render_news(plan: NewsPlan) -> list[discord.Embed]:
    """One embed per event (at most `MAX_SHOWN` fields in all), the count of the rest in the
    last footer; cut to Discord's size limits by the toolkit."""
    groups = list(_groups(plan.shown).items())[: render.EMBEDS_PER_MESSAGE]
    embeds: list[discord.Embed] = []
    for event, items in groups:
        embed = render.make_embed(f"{TITLE} — {event}")
        for item in items:
            embed.add_field(name=_field_name(item.summary), value=_field_value(item), inline=False)
        embeds.append(embed)
    footer = "The buttons show all of a session's takeaways and calls to action."
    if plan.more:
        footer = f"…and {plan.more} more sessions: /takeaways lists the newest first. " + footer
    embeds[-1].set_footer(text=render.shorten(footer, render.FOOTER_LIMIT))
    return render.enforce_limits(embeds)


def news_buttons(plan: NewsPlan) -> list[tuple[str, str]]:
    """(label, custom_id) of each shown session's button, in the order shown."""
    buttons: list[tuple[str, str]] = []
    for _, items in _groups(plan.shown).items():
        for item in items:
            custom_id = button_id(item.summary.key)
            if custom_id is not None:
                label = item.summary.reference or render.one_line(item.summary.title) or "Session"
                buttons.append((render.shorten(label, render.BUTTON_LABEL_LIMIT), custom_id))
    return buttons[: render.COMPONENTS_PER_ROW * render.ROWS_PER_MESSAGE]


def news_text(plan: NewsPlan) -> str:
    """The post as the console prints it."""
    return "\n\n".join(render.embed_to_text(embed) for embed in render_news(plan))
