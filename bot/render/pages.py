"""Lists, search results, people, outcomes, suggestions, about and help, as embed pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.models import Counts, PersonDetail, SearchHit, SessionSummary
from bot.render.embeds import PAGE_TEXT, list_pages, make_embed, number_pages
from bot.render.text import EMPTY, chunk, full_and_relative, md, shorten, timestamp

ROLE_LABELS = {
    "speaker": "Speaker",
    "onsite_moderator": "Onsite moderator",
    "online_moderator": "Online moderator",
    "rapporteur": "Rapporteur",
    "organizer": "Organizer",
}
_SUMMARY_TITLE = 150
_AFFILIATIONS_SHOWN = 10
_PERSON_HEAD = 1500
_QUERY_SHOWN = 100
_SUGGESTIONS_SHOWN = 10


def summary_line(summary: SessionSummary) -> str:
    """A session in a list: its title in bold, then event, reference and date."""
    if summary.starts_at:
        start = timestamp(summary.starts_at, "d")
    else:
        start = str(summary.year or "") or EMPTY
    ref = summary.reference or summary.session_type or ""
    head = f"**{md(shorten(summary.title, _SUMMARY_TITLE))}**"
    meta = " · ".join(p for p in (summary.event, ref, start) if p)
    return f"{head}\n{md(meta)}"


def session_list(
    title: str, sessions: Sequence[SessionSummary], footer: str = ""
) -> list[discord.Embed]:
    return list_pages(title, [summary_line(s) for s in sessions], footer=footer)


def search_pages(query: str, hits: Sequence[SearchHit]) -> list[discord.Embed]:
    entries = [f"{summary_line(h.session)}\n> {h.snippet}" for h in hits]
    return list_pages(f"Search: {query}", entries, per_page=5, footer=f"{len(hits)} results")


def outcomes_pages(
    label: str, items: Sequence[tuple[SessionSummary, list[str]]]
) -> list[discord.Embed]:
    """Latest takeaways or calls to action across sessions: each item flows onto pages whole."""
    pages: list[discord.Embed] = []
    for summary, texts in items:
        body = "\n\n".join(f"**{i}.** {md(t)}" for i, t in enumerate(texts, 1))
        head = f"{summary_line(summary)}\n\n"
        for piece in chunk(body, PAGE_TEXT - len(head)):
            pages.append(make_embed(label, head + piece))
    if not pages:
        pages.append(make_embed(label, f"No {label.lower()} on record yet."))
    return number_pages(pages)


def _person_head(person: PersonDetail) -> str:
    """Organisations seen, then the stakeholder groups and regions on a line of their own, then
    the people who may be this one under another name order."""
    lines: list[str] = []
    if person.organizations:
        shown = person.organizations[:_AFFILIATIONS_SHOWN]
        lines.append("**Organisations seen**")
        lines += [f"• {md(a)}" for a in shown]
        if len(person.organizations) > _AFFILIATIONS_SHOWN:
            lines.append(f"• …and {len(person.organizations) - _AFFILIATIONS_SHOWN} more")
    if person.groups:
        lines.append("**Stakeholder groups and regions:** " + " · ".join(map(md, person.groups)))
    if person.possibly_same:
        others = " · ".join(f"**{md(name)}**" for name in person.possibly_same)
        lines.append(f"Possibly the same person as {others} (same organisation; not merged)")
    return shorten("\n".join(lines), _PERSON_HEAD)


def person_pages(person: PersonDetail) -> list[discord.Embed]:
    """Person card: organisations and groups seen, then every session and role, newest first."""
    entries = []
    for role in person.roles:
        label = ROLE_LABELS.get(role.role, role.role)
        extra = f" — {md(role.segment)}" if role.segment else ""
        entries.append(f"{summary_line(role.session)}\n*{label}*{extra}")
    roles = f"{len(person.roles)} role" + ("" if len(person.roles) == 1 else "s")
    return list_pages(person.name, entries, per_page=8, footer=roles, head=_person_head(person))


def suggestions_embed(query: str, what: str, options: Sequence[str]) -> discord.Embed:
    body = f"No {what} matches **{md(shorten(query, _QUERY_SHOWN))}**."
    if options:
        shown = options[:_SUGGESTIONS_SHOWN]
        body += "\nDid you mean:\n" + "\n".join(f"• {md(o)}" for o in shown)
    else:
        body += "\nTry fewer words, or `/search` for full text."
    return make_embed("Not found", body)


def _loaded(loaded_at: str | None) -> str:
    """When the data was loaded (the store's ISO time) as a Discord timestamp."""
    try:
        moment = datetime.fromisoformat(loaded_at) if loaded_at else None
    except ValueError:
        return md(shorten(loaded_at or "", _QUERY_SHOWN)) or EMPTY
    return full_and_relative(moment) if moment is not None else EMPTY


def about_embed(
    counts: Counts, *, loaded_at: str | None, version: str, latency_ms: float | None
) -> discord.Embed:
    embed = make_embed("IGF forum bot", "Records of the Internet Governance Forum, in chat.")
    years = f"{min(counts.years)}–{max(counts.years)}" if counts.years else EMPTY
    embed.add_field(name="Sessions", value=str(counts.sessions), inline=True)
    embed.add_field(name="People", value=str(counts.people), inline=True)
    embed.add_field(name="Years", value=years, inline=True)
    embed.add_field(name="Takeaways", value=str(counts.takeaways), inline=True)
    embed.add_field(name="Calls to action", value=str(counts.calls_to_action), inline=True)
    embed.add_field(name="Data loaded", value=_loaded(loaded_at), inline=True)
    latency = f"{latency_ms:.0f} ms" if latency_ms is not None else EMPTY
    embed.set_footer(text=f"version {version} · gateway latency {latency}")
    return embed


def help_embed(lines: list[str]) -> discord.Embed:
    """/help: one entry a command (answers.COMMANDS), each with an example."""
    return make_embed("How to use the IGF forum bot", "\n".join(lines))
