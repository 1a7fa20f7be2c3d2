"""Pure rendering: records in, `discord.Embed` pages out, always within Discord's limits.

`discord.Embed` is plain data, so everything here runs without a connection (the console prints
the same embeds as text). The rule for long text: nothing is silently lost. Long takeaways,
reports and lists flow onto further pages; only a title that must be shortened is cut, at a
word, with an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import discord
from discord.utils import escape_markdown, format_dt

from bot.models import Counts, PersonDetail, SearchHit, Session, SessionSummary

# Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
EVENT_NAME_LIMIT = 100  # guild scheduled events
EVENT_DESCRIPTION_LIMIT = 1000
EVENT_LOCATION_LIMIT = 100
SCHEDULED_EVENTS_MAX = 100  # uncompleted scheduled events per server

# Pages are kept well under the hard limits so a footer and a title always fit beside them.
PAGE_TEXT = 3500
COLOUR = discord.Colour(0x1F6FB2)
EMPTY = "—"

ROLE_LABELS = {
    "speaker": "Speaker",
    "onsite_moderator": "Onsite moderator",
    "online_moderator": "Online moderator",
    "rapporteur": "Rapporteur",
}


# ------------------------------------------------------------------------------ text helpers


def shorten(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def chunk(text: str, limit: int = PAGE_TEXT) -> list[str]:
    """Split `text` into pieces of at most `limit` characters, losing nothing.

    Splits at paragraph breaks, then line breaks, then sentence ends, then spaces.
    """
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), -1)
        for separator in ("\n", ". ", " "):
            if cut > limit // 3:
                break
            cut = window.rfind(separator)
            if separator == ". " and cut != -1:
                cut += 1
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def md(text: str | None) -> str:
    """Document text shown as-is: markdown escaped so a stray `*` or `_` cannot reflow a card."""
    return escape_markdown(text or "")


def when(start: datetime | None, end: datetime | None) -> str:
    """Discord timestamps: each reader sees their own time zone."""
    if start is None:
        return EMPTY
    text = format_dt(start, "F")
    if end is not None:
        text += f" – {format_dt(end, 't')}"
    return f"{text} ({format_dt(start, 'R')})"


def reference_line(session: Session | SessionSummary) -> str:
    parts = [session.event, session.reference or session.session_type]
    return " · ".join(p for p in parts if p) or EMPTY


# ------------------------------------------------------------------------------ embed builder


@dataclass
class _Fields:
    """Collects fields, splitting long values over several fields instead of cutting them."""

    fields: list[tuple[str, str, bool]]

    def add(self, name: str, lines: Iterable[str], *, inline: bool = False) -> None:
        value = ""
        part = 0
        for line in lines:
            line = shorten(line, FIELD_VALUE_LIMIT)
            if value and len(value) + 1 + len(line) > FIELD_VALUE_LIMIT:
                self._push(name, part, value, inline)
                part, value = part + 1, ""
            value = f"{value}\n{line}" if value else line
        if value:
            self._push(name, part, value, inline)

    def _push(self, name: str, part: int, value: str, inline: bool) -> None:
        label = name if part == 0 else f"{name} (cont.)"
        self.fields.append((shorten(label, FIELD_NAME_LIMIT), value, inline))


def embed_size(embed: discord.Embed) -> int:
    """Characters Discord counts towards the 6,000 total."""
    total = len(embed.title or "") + len(embed.description or "")
    total += len(embed.footer.text or "") + len(embed.author.name or "")
    total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    return total


def _make(title: str, description: str = "", *, url: str | None = None) -> discord.Embed:
    return discord.Embed(
        title=shorten(title, TITLE_LIMIT),
        description=description[:DESCRIPTION_LIMIT] or None,
        url=url if url and url.startswith(("http://", "https://")) else None,
        colour=COLOUR,
    )


def _fit_fields(embed: discord.Embed, fields: list[tuple[str, str, bool]], more: str) -> list[str]:
    """Add fields while they fit; return the names of those that did not."""
    left: list[str] = []
    for name, value, inline in fields:
        room = EMBED_TOTAL_LIMIT - embed_size(embed) - len(more) - 100
        if len(embed.fields) >= FIELD_COUNT_LIMIT - 1 or len(name) + len(value) > room:
            left.append(name)
            continue
        embed.add_field(name=name, value=value, inline=inline)
    return left


def _number_pages(pages: list[discord.Embed], footer: str = "") -> list[discord.Embed]:
    total = len(pages)
    for index, page in enumerate(pages, start=1):
        text = f"Page {index}/{total}" if total > 1 else ""
        text = " · ".join(t for t in (footer, text) if t)
        if text:
            page.set_footer(text=shorten(text, FOOTER_LIMIT))
    return pages


def _text_pages(
    title: str, text: str, *, url: str | None = None, footer: str = ""
) -> list[discord.Embed]:
    pages = [_make(title, piece, url=url) for piece in chunk(text)] or [_make(title, EMPTY)]
    return _number_pages(pages, footer)


# ------------------------------------------------------------------------------ sessions


def _person_line(name: str, affiliation: str | None, note: str | None = None) -> str:
    line = f"**{md(name)}**"
    if affiliation:
        line += f", {md(affiliation)}"
    if note:
        line += f" ({md(note)})"
    return line


def _speaker_groups(session: Session) -> list[tuple[str, list[str]]]:
    groups: list[tuple[str, list[str]]] = []
    for speaker in session.speakers:
        segment = speaker.segment or "Speakers"
        if not groups or groups[-1][0] != segment:
            groups.append((segment, []))
        groups[-1][1].append(_person_line(speaker.name, speaker.affiliation, speaker.note))
    return groups


def session_card(session: Session) -> discord.Embed:
    """The `/session` card: when, where, how, who. Outcomes are behind buttons."""
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
    embed = _make(session.heading, "\n".join(lines), url=session.source_url)

    collected = _Fields([])
    if session.organizers:
        collected.add("Organizers", (md(o) for o in session.organizers))
    for segment, people in _speaker_groups(session):
        collected.add(segment, people)
    for label, people in (
        ("Onsite moderator", session.onsite_moderators),
        ("Online moderator", session.online_moderators),
        ("Rapporteur", session.rapporteurs),
    ):
        if people:
            collected.add(label, (_person_line(p.name, p.affiliation) for p in people))
    if session.sdgs:
        sdgs = (f"{s.number}. {md(s.name)}" if s.name else str(s.number) for s in session.sdgs)
        collected.add("SDGs", [", ".join(sdgs)])
    more = "Some sections did not fit: press Speakers for the full list."
    left = _fit_fields(embed, collected.fields, more)
    if left:
        embed.add_field(name="More", value=more, inline=False)
    counts = (
        f"{len(session.key_takeaways)} takeaways · {len(session.calls_to_action)} calls to action"
    )
    embed.set_footer(text=f"{counts} · key {session.key}")
    return embed


SECTIONS = ("takeaways", "actions", "report", "speakers", "description")


def session_section(session: Session, section: str) -> list[discord.Embed]:
    """Every word of one section of a session, paged."""
    title = session.heading
    if section == "takeaways":
        body = "\n\n".join(f"**{i}.** {md(t)}" for i, t in enumerate(session.key_takeaways, 1))
        label = "Key takeaways"
    elif section == "actions":
        body = "\n\n".join(f"**{i}.** {md(t)}" for i, t in enumerate(session.calls_to_action, 1))
        label = "Calls to action"
    elif section == "report":
        body, label = md(session.report), "Session report"
    elif section == "description":
        parts = [md(session.description)]
        if session.policy_questions:
            parts.append(
                "**Policy questions**\n" + "\n".join(f"• {md(q)}" for q in session.policy_questions)
            )
        body, label = "\n\n".join(p for p in parts if p), "About this session"
    elif section == "speakers":
        blocks = [
            f"__{md(seg)}__\n" + "\n".join(people) for seg, people in _speaker_groups(session)
        ]
        for label_, people_ in (
            ("Onsite moderator", session.onsite_moderators),
            ("Online moderator", session.online_moderators),
            ("Rapporteur", session.rapporteurs),
        ):
            if people_:
                blocks.append(
                    f"__{label_}__\n"
                    + "\n".join(_person_line(p.name, p.affiliation) for p in people_)
                )
        body, label = "\n\n".join(blocks), "People"
    else:
        raise ValueError(f"unknown section {section!r}")
    if not body.strip():
        body = f"This session has no {label.lower()} on record."
    return _text_pages(f"{label} — {title}", body, url=session.source_url, footer=session.key)


# ------------------------------------------------------------------------------ lists


def summary_line(summary: SessionSummary) -> str:
    start = (
        format_dt(summary.starts_at, "d")
        if summary.starts_at
        else (str(summary.year or "") or EMPTY)
    )
    ref = summary.reference or summary.session_type or ""
    head = f"**{md(shorten(summary.title, 150))}**"
    meta = " · ".join(p for p in (summary.event, ref, start) if p)
    return f"{head}\n{md(meta)}"


def _list_pages(
    title: str, entries: Sequence[str], *, per_page: int = 10, footer: str = ""
) -> list[discord.Embed]:
    pages: list[discord.Embed] = []
    current: list[str] = []
    for entry in entries:
        entry = shorten(entry, 900)
        if len(current) >= per_page or sum(len(e) + 2 for e in current) + len(entry) > PAGE_TEXT:
            pages.append(_make(title, "\n\n".join(current)))
            current = []
        current.append(entry)
    if current or not pages:
        pages.append(_make(title, "\n\n".join(current) or "Nothing found."))
    return _number_pages(pages, footer)


def session_list(
    title: str, sessions: Sequence[SessionSummary], footer: str = ""
) -> list[discord.Embed]:
    return _list_pages(title, [summary_line(s) for s in sessions], footer=footer)


def search_pages(query: str, hits: Sequence[SearchHit]) -> list[discord.Embed]:
    entries = [f"{summary_line(h.session)}\n> {h.snippet}" for h in hits]
    return _list_pages(f"Search: {query}", entries, per_page=5, footer=f"{len(hits)} results")


def outcomes_pages(
    label: str, items: Sequence[tuple[SessionSummary, list[str]]]
) -> list[discord.Embed]:
    """Latest takeaways or calls to action across sessions: each item flows onto pages whole."""
    pages: list[discord.Embed] = []
    for summary, texts in items:
        body = "\n\n".join(f"**{i}.** {md(t)}" for i, t in enumerate(texts, 1))
        head = f"{summary_line(summary)}\n\n"
        for piece in chunk(body, PAGE_TEXT - len(head)):
            pages.append(_make(label, head + piece))
    if not pages:
        pages.append(_make(label, f"No {label.lower()} on record yet."))
    return _number_pages(pages)


def person_pages(person: PersonDetail) -> list[discord.Embed]:
    """Person card: affiliations seen, then every session with the role held, newest first."""
    header = ""
    if person.affiliations:
        header = "**Affiliations seen**\n" + "\n".join(
            f"• {md(a)}" for a in person.affiliations[:10]
        )
        if len(person.affiliations) > 10:
            header += f"\n• …and {len(person.affiliations) - 10} more"
    entries = []
    for role in person.roles:
        label = ROLE_LABELS.get(role.role, role.role)
        extra = f" — {md(role.segment)}" if role.segment else ""
        entries.append(f"{summary_line(role.session)}\n*{label}*{extra}")
    pages = _list_pages(
        person.name,
        entries,
        per_page=8,
        footer=f"{len(person.roles)} role" + ("" if len(person.roles) == 1 else "s"),
    )
    if header:
        first = pages[0]
        first.description = shorten(header, 1500) + "\n\n" + (first.description or "")
    return pages


def suggestions_embed(query: str, what: str, options: Sequence[str]) -> discord.Embed:
    body = f"No {what} matches **{md(shorten(query, 100))}**."
    if options:
        body += "\nDid you mean:\n" + "\n".join(f"• {md(o)}" for o in options[:10])
    else:
        body += "\nTry fewer words, or `/search` for full text."
    return _make("Not found", body)


def about_embed(
    counts: Counts, *, loaded_at: str | None, version: str, latency_ms: float | None
) -> discord.Embed:
    embed = _make("IGF forum bot", "Records of the Internet Governance Forum, in chat.")
    years = f"{min(counts.years)}–{max(counts.years)}" if counts.years else EMPTY
    embed.add_field(name="Sessions", value=str(counts.sessions), inline=True)
    embed.add_field(name="People", value=str(counts.people), inline=True)
    embed.add_field(name="Years", value=years, inline=True)
    embed.add_field(name="Takeaways", value=str(counts.takeaways), inline=True)
    embed.add_field(name="Calls to action", value=str(counts.calls_to_action), inline=True)
    embed.add_field(name="Data loaded", value=loaded_at or EMPTY, inline=True)
    latency = f"{latency_ms:.0f} ms" if latency_ms is not None else EMPTY
    embed.set_footer(text=f"version {version} · gateway latency {latency}")
    return embed


HELP_TEXT = """\
**/session** `query` — a session card: by reference (`Open Forum #5`, `WS 100`) or title.
**/speaker** `name` — a person: every session and role, newest first.
**/takeaways** `[session]` — key takeaways of one session, or the latest.
**/actions** `[session]` — calls to action of one session, or the latest.
**/search** `text [year] [type]` — full text over titles, descriptions, takeaways, calls, reports.
**/sessions** `[year] [type] [sdg] [day]` — browse.
**/about** — counts, data version, latency.
**/digest** … — a daily forum digest in a channel (Manage Server).
**/reload**, **/import**, **/export** — data management (reload and import need Manage Server)."""


def help_embed() -> discord.Embed:
    return _make("How to use the IGF forum bot", HELP_TEXT)


# ------------------------------------------------------------------------------ console


def embed_to_text(embed: discord.Embed) -> str:
    """What a reader sees, as plain text: for the console and the README."""
    out: list[str] = []
    if embed.title:
        out.append(f"## {embed.title}")
    if embed.url:
        out.append(str(embed.url))
    if embed.description:
        out.append(_plain(embed.description))
    for f in embed.fields:
        out.append(f"\n[{f.name}]\n{_plain(f.value or '')}")
    if embed.footer.text:
        out.append(f"-- {embed.footer.text}")
    return "\n".join(out)


def _plain(text: str) -> str:
    def stamp(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), tz=discord.utils.utcnow().tzinfo)
        style = match.group(2) or "f"
        if style == "R":
            return "relative"
        if style == "t":
            return moment.strftime("%H:%M UTC")
        if style == "d":
            return moment.strftime("%Y-%m-%d")
        return moment.strftime("%A %d %B %Y %H:%M UTC")

    text = re.sub(r"<t:(\d+)(?::([tTdDfFR]))?>", stamp, text)
    return text.replace("\\", "")
