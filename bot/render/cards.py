"""The session card and the full sections behind its buttons."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import discord

from bot.models import Person, Session, SessionSummary
from bot.render.embeds import Fields, fit, fit_fields, make_embed, text_pages
from bot.render.limits import DESCRIPTION_LIMIT
from bot.render.text import EMPTY, md, when

# The card's description holds up to five lines; none may crowd the others out.
_CARD_LINE = DESCRIPTION_LIMIT // 5
_MORE = "Some sections did not fit: press Speakers for the full list."


def reference_line(session: Session | SessionSummary) -> str:
    """ "IGF 2021 · Open Forum #5", or the event and session type."""
    parts = [session.event, session.reference or session.session_type]
    return " · ".join(p for p in parts if p) or EMPTY


def person_line(name: str, affiliation: str | None, note: str | None = None) -> str:
    line = f"**{md(name)}**"
    if affiliation:
        line += f", {md(affiliation)}"
    if note:
        line += f" ({md(note)})"
    return line


def speaker_groups(session: Session) -> list[tuple[str, list[str]]]:
    """Speakers as lines, grouped by programme segment in page order."""
    groups: list[tuple[str, list[str]]] = []
    for speaker in session.speakers:
        segment = (speaker.segment or "").strip() or "Speakers"
        if not groups or groups[-1][0] != segment:
            groups.append((segment, []))
        groups[-1][1].append(person_line(speaker.name, speaker.affiliation, speaker.note))
    return groups


def _role_groups(session: Session) -> Iterator[tuple[str, list[str]]]:
    """Moderators and rapporteurs as lines, one group per role held by anyone."""
    roles: tuple[tuple[str, list[Person]], ...] = (
        ("Onsite moderator", session.onsite_moderators),
        ("Online moderator", session.online_moderators),
        ("Rapporteur", session.rapporteurs),
    )
    for label, people in roles:
        if people:
            yield label, [person_line(p.name, p.affiliation) for p in people]


def _card_lines(session: Session) -> list[str]:
    lines = [f"**{md(reference_line(session))}**"]
    if session.title != session.heading:
        lines.append(md(session.title))
    lines.append(f"🗓️ {when(session.starts_at, session.ends_at)}")
    if session.room:
        lines.append(f"📍 {md(session.room)}")
    if session.format or session.duration_minutes:
        fmt = session.format or "Format not given"
        minutes = f" · {session.duration_minutes} min" if session.duration_minutes else ""
        lines.append(f"🪑 {md(fmt)}{minutes}")
    return [fit(line, _CARD_LINE) for line in lines]


def _card_fields(session: Session) -> Fields:
    collected = Fields()
    if session.organizers:
        collected.add("Organizers", (md(o) for o in session.organizers))
    for segment, people in speaker_groups(session):
        collected.add(segment, people)
    for label, people in _role_groups(session):
        collected.add(label, people)
    if session.sdgs:
        sdgs = (f"{s.number}. {md(s.name)}" if s.name else str(s.number) for s in session.sdgs)
        collected.add("SDGs", [", ".join(sdgs)])
    return collected


def session_card(session: Session) -> discord.Embed:
    """The `/session` card: when, where, how, who. Outcomes are behind buttons."""
    embed = make_embed(session.heading, "\n".join(_card_lines(session)), url=session.source_url)
    counts = (
        f"{len(session.key_takeaways)} takeaways · {len(session.calls_to_action)} calls to action"
    )
    # the footer goes on first so that the fields are fitted beside it
    embed.set_footer(text=f"{counts} · key {session.key}")
    if fit_fields(embed, _card_fields(session).fields, _MORE):
        embed.add_field(name="More", value=_MORE, inline=False)
    return embed


# ------------------------------------------------------------------------------ sections


def _numbered(texts: list[str]) -> str:
    return "\n\n".join(f"**{i}.** {md(t)}" for i, t in enumerate(texts, 1))


def _takeaways(session: Session) -> tuple[str, str]:
    return _numbered(session.key_takeaways), "Key takeaways"


def _actions(session: Session) -> tuple[str, str]:
    return _numbered(session.calls_to_action), "Calls to action"


def _report(session: Session) -> tuple[str, str]:
    return md(session.report), "Session report"


def _description(session: Session) -> tuple[str, str]:
    parts = [md(session.description)]
    if session.policy_questions:
        questions = "\n".join(f"• {md(q)}" for q in session.policy_questions)
        parts.append(f"**Policy questions**\n{questions}")
    return "\n\n".join(p for p in parts if p), "About this session"


def _speakers(session: Session) -> tuple[str, str]:
    groups = [(md(segment), people) for segment, people in speaker_groups(session)]
    groups += list(_role_groups(session))
    blocks = [f"__{label}__\n" + "\n".join(people) for label, people in groups]
    return "\n\n".join(blocks), "People"


_SECTION_BODIES: dict[str, Callable[[Session], tuple[str, str]]] = {
    "takeaways": _takeaways,
    "actions": _actions,
    "report": _report,
    "speakers": _speakers,
    "description": _description,
}
SECTIONS = tuple(_SECTION_BODIES)


def session_section(session: Session, section: str) -> list[discord.Embed]:
    """Every word of one section of a session, paged."""
    body_of = _SECTION_BODIES.get(section)
    if body_of is None:
        raise ValueError(f"unknown section {section!r}")
    body, label = body_of(session)
    if not body.strip():
        body = f"This session has no {label.lower()} on record."
    title = f"{label} — {session.heading}"
    return text_pages(title, body, url=session.source_url, footer=session.key)
