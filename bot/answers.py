"""What each command answers, as data: the console and the Discord cogs both call these.

A `Reply` is a list of embed pages plus what the adapter needs to offer next (buttons for a
session's sections, a select menu of alternatives). Nothing here knows about interactions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import discord

from bot import __version__, render
from bot.catalog import Catalog
from bot.models import SessionSummary
from bot.vocabulary import canonical_type

MAX_TEXT = 200


@dataclass(slots=True)
class Choice:
    label: str
    value: str
    description: str | None = None


@dataclass(slots=True)
class Reply:
    pages: list[discord.Embed]
    ephemeral: bool = False
    session_id: int | None = None  # a session card: offer its section buttons
    choices: list[Choice] = field(default_factory=list)  # a select menu: open one of these
    choice_kind: str = "session"  # what a choice opens: "session" or "person"
    content: str | None = None  # text above the embeds (a command's status)
    one_message: bool = False  # every page in one message (a digest), not paged


def _session_choice(s: SessionSummary) -> Choice:
    ref = " ".join(p for p in (s.event, s.reference) if p)
    return Choice(
        render.shorten(s.title or s.heading, 100), str(s.id), render.shorten(ref, 100) or None
    )


async def session(catalog: Catalog, query: str) -> Reply:
    """One clear match: its card. Several close ones: the best card plus the others to pick.
    None: an ephemeral "did you mean"."""
    lookup = await catalog.find_session(query)
    if lookup.best is not None:
        return await session_by_id(catalog, lookup.best.id, alternatives=lookup.alternatives)
    if lookup.alternatives:
        best, *others = lookup.alternatives
        return await session_by_id(catalog, best.id, alternatives=others)
    return _no_session(catalog, query)


def _no_session(catalog: Catalog, query: str) -> Reply:
    suggestions = catalog.sessions.autocomplete(query[:MAX_TEXT], limit=5)
    return Reply(
        [render.suggestions_embed(query, "session", [s.heading for s in suggestions])],
        ephemeral=True,
        choices=[_session_choice(s) for s in suggestions],
    )


async def session_by_id(
    catalog: Catalog, session_id: int, *, alternatives: list[SessionSummary] | None = None
) -> Reply:
    record = await catalog.store.session(session_id)
    if record is None:
        return Reply([render.suggestions_embed(str(session_id), "session", [])], ephemeral=True)
    card = render.session_card(record)
    if alternatives and len(card.fields) < render.FIELD_COUNT_LIMIT:
        others = "\n".join(f"• {render.md(a.heading)}" for a in alternatives[:5])
        card.add_field(name="Other close matches", value=render.shorten(others, 1000), inline=False)
    return Reply(
        [card],
        session_id=session_id,
        choices=[_session_choice(a) for a in (alternatives or [])[:25]],
    )


async def section(catalog: Catalog, session_id: int, name: str) -> Reply:
    record = await catalog.store.session(session_id)
    if record is None:
        return Reply([render.suggestions_embed(str(session_id), "session", [])], ephemeral=True)
    return Reply(render.session_section(record, name), session_id=session_id)


async def speaker(catalog: Catalog, name: str) -> Reply:
    lookup = await catalog.find_person(name)
    if lookup.best is None:
        return Reply(
            [render.suggestions_embed(name, "person", [p.name for p in lookup.alternatives])],
            ephemeral=True,
            choices=[
                Choice(p.name[:100], f"person:{p.id}", f"{p.session_count} sessions")
                for p in lookup.alternatives[:25]
            ],
            choice_kind="person",
        )
    return await person_by_id(catalog, lookup.best.id)


async def person_by_id(catalog: Catalog, person_id: int) -> Reply:
    detail = await catalog.store.person(person_id)
    if detail is None:
        return Reply([render.suggestions_embed(str(person_id), "person", [])], ephemeral=True)
    seen: set[int] = set()
    choices = []
    for role in detail.roles:
        if role.session.id not in seen:
            seen.add(role.session.id)
            choices.append(_session_choice(role.session))
    return Reply(render.person_pages(detail), choices=choices[:25])


async def outcomes(catalog: Catalog, kind: str, query: str | None) -> Reply:
    """`/takeaways` and `/actions`: one session's, or the latest across sessions."""
    section_name = "takeaways" if kind == "takeaways" else "actions"
    if query:
        lookup = await catalog.find_session(query)
        best = lookup.best or (lookup.alternatives[0] if lookup.alternatives else None)
        if best is None:
            return _no_session(catalog, query)
        return await section(catalog, best.id, section_name)
    if kind == "takeaways":  # newest first by when they appeared (issue #17)
        latest = await catalog.newest_takeaways(5)
    else:
        latest = await catalog.store.latest_sessions_with("calls_to_action", 5)
    label = "Latest key takeaways" if kind == "takeaways" else "Latest calls to action"
    return Reply(render.outcomes_pages(label, latest))


SEARCH_RESULTS = 25  # five pages of five


async def search(
    catalog: Catalog, text: str, year: int | None = None, session_type: str | None = None
) -> Reply:
    text = text[:MAX_TEXT]
    kind = canonical_type(session_type) if session_type else None
    hits = await catalog.store.search(text, year=year, session_type=kind, limit=SEARCH_RESULTS)
    if not hits:
        return Reply([render.suggestions_embed(text, "document", [])], ephemeral=True)
    return Reply(
        render.search_pages(text, hits), choices=[_session_choice(h.session) for h in hits[:25]]
    )


async def browse(
    catalog: Catalog,
    *,
    year: int | None = None,
    session_type: str | None = None,
    sdg: int | None = None,
    day: date | None = None,
) -> Reply:
    kind = canonical_type(session_type) if session_type else None
    rows = await catalog.store.sessions_filtered(year=year, session_type=kind, sdg=sdg, day=day)
    filters = [str(x) for x in (year, kind, f"SDG {sdg}" if sdg else None, day) if x]
    title = "Sessions" + (f" — {', '.join(filters)}" if filters else "")
    return Reply(
        render.session_list(title, rows, footer=f"{len(rows)} sessions"),
        choices=[_session_choice(s) for s in rows[:25]],
    )


async def about(catalog: Catalog, latency_ms: float | None = None) -> Reply:
    counts = await catalog.store.counts()
    loaded = await catalog.store.get_meta("loaded_at")
    return Reply(
        [render.about_embed(counts, loaded_at=loaded, version=__version__, latency_ms=latency_ms)]
    )


def help_reply() -> Reply:
    return Reply([render.help_embed()], ephemeral=True)
