"""What each command answers, as data: the console and the Discord cogs both call these.

A `Reply` is a list of embed pages (or a short text, or a file) plus what the adapter needs
to offer next (buttons for a session's sections, a select menu of alternatives). Nothing
here knows about interactions; everything comes from the `Catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import discord

from bot import __version__, render
from bot.catalog import Catalog, ChoiceKind, ChoiceValue, Filters, OutcomeKind
from bot.export import sessions_to_csv, sessions_to_json
from bot.fuzzy import close_name
from bot.loader import LoadReport
from bot.models import PersonSummary, SearchHit, Session, SessionSummary
from bot.vocabulary import parse_reference


@dataclass(frozen=True, slots=True)
class Command:
    """A command as users see it: the slash command's description and the help line."""

    name: str
    usage: str
    description: str  # at most 100 characters (Discord's limit)
    example: str = ""  # what /help shows to type, as the console takes it too


# The one list of commands: the cogs take their descriptions from it, /help shows it. Laid
# out by hand as a table, one block a command: name and options, description, example.
# fmt: off
COMMANDS: tuple[Command, ...] = (
    Command("session", "query",
            "A session card: by reference (Open Forum #5, WS 100) or title",
            "/session Open Forum #5"),
    Command("speaker", "name",
            "A person: every session and role, newest first",
            "/speaker luca belli"),
    Command("takeaways", "[session]",
            "Key takeaways of a session, or the latest",
            "/takeaways WS 100"),
    Command("actions", "[session]",
            "Calls to action of a session, or the latest",
            "/actions Open Forum #5"),
    Command("search", "text [year] [type]",
            "Full text over titles, descriptions, takeaways, calls to action and reports",
            "/search internet shutdowns year:2023"),
    Command("sessions", "[year] [type] [sdg] [day]",
            "Browse sessions by year, type, SDG or day",
            '/sessions year:2021 type:"Open Forum"'),
    Command("now", "",
            "Sessions in progress now",
            "/now"),
    Command("next", "[minutes]",
            "Sessions starting soon",
            "/next minutes:90"),
    Command("remind", "add|list|remove",
            "DM reminders before sessions start",
            "/remind add session:Open Forum #5 minutes_before:15"),
    Command("agenda", "",
            "Your reminded sessions, with a calendar file",
            "/agenda"),
    Command("about", "",
            "What the bot knows: counts, data version, latency",
            "/about"),
    Command("help", "",
            "How to use the IGF forum bot",
            "/help"),
    Command("digest", "…",
            "A daily forum digest in a channel of this server (Manage Server)",
            "/digest channel channel:#igf"),
    Command("events", "publish|status|clear",
            "The forum schedule in this server's Events calendar (Manage Server)",
            "/events publish year:2025"),
    Command("source", "add|list|remove|refresh",
            "Pages of the IGF website that keep the archive current (Manage Server)",
            "/source add url:https://www.intgovforum.org/en/content/igf-2025-ws-411"),
    Command("reload", "",
            "Re-read the session documents (changed files only; Manage Server)",
            "/reload"),
    Command("import", "file",
            "Add a session page (.txt or .html, up to 1 MB; Manage Server)",
            "/import file:(attach a saved session page)"),
    Command("export", "[format]",
            "Download every session as JSON or CSV",
            "/export format:csv"),
)
# fmt: on
COMMAND = {command.name: command for command in COMMANDS}

# The buttons under a session card: (section, label). The one list of them.
SESSION_SECTIONS: tuple[tuple[str, str], ...] = (
    ("takeaways", "Key takeaways"),
    ("actions", "Calls to action"),
    ("report", "Report"),
    ("speakers", "Speakers"),
)
# "actions" is what users see (the /actions command, the section); the data is
# calls_to_action.
_OUTCOMES: dict[str, tuple[OutcomeKind, str]] = {
    "takeaways": ("takeaways", "Latest key takeaways"),
    "actions": ("calls_to_action", "Latest calls to action"),
}
EXPORT_FORMATS = ("json", "csv")
FIRST_YEAR, LAST_YEAR = 2006, 2100  # the forum years a user may type (the IGF began in 2006)
ADMIN_ONLY = "Only members with Manage Server (or the bot's owners) can do this."
SERVER_ONLY = "Run this in a server: the digest belongs to a server, not to a DM."
SEARCH_RESULTS = 25  # five pages of five
ECHO_CHARS = 100  # what a reply repeats of a user's text
REASON_CHARS = 900  # a refusal's reason (it may name an uploaded file): well within 2,000
MAX_CHOICES = render.SELECT_OPTIONS_LIMIT
MAX_OTHERS = 5  # "Other close matches" on a card


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    value: str  # an encoded `ChoiceValue`
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(slots=True)
class Reply:
    pages: list[discord.Embed] = field(default_factory=list)
    ephemeral: bool = False
    session: ChoiceValue | None = None  # a session card: offer its section buttons
    choices: list[Choice] = field(default_factory=list)  # a select menu: open one of these
    choice_kind: ChoiceKind = "session"  # what a choice opens
    content: str | None = None  # a short text above the pages (or alone)
    attachment: Attachment | None = None
    one_message: bool = False  # every page in one message (a digest), not paged


def _session_choice(s: SessionSummary) -> Choice:
    ref = " ".join(p for p in (s.event, s.reference) if p)
    return Choice(
        render.shorten(s.title or s.heading, render.SELECT_OPTION_TEXT_LIMIT),
        ChoiceValue("session", s.key).encode(),
        render.shorten(ref, render.SELECT_OPTION_TEXT_LIMIT) or None,
    )


def _person_choice(p: PersonSummary) -> Choice:
    return Choice(
        render.shorten(p.name, render.SELECT_OPTION_TEXT_LIMIT),
        ChoiceValue("person", p.key).encode(),
        f"{p.session_count} sessions",
    )


def _echo(text: str) -> str:
    """A user's text as a reply repeats it: capped, inline code."""
    shown = render.shorten(text, ECHO_CHARS).replace("`", "'")
    return f"`{shown}`"


def bad_day(day: str) -> Reply:
    return Reply(content=f"`day` must be a date like 2021-12-10, not {_echo(day)}.", ephemeral=True)


def channel_elsewhere() -> Reply:
    return Reply(
        content="That channel is in another server: choose a channel of this server.",
        ephemeral=True,
    )


def _not_found(query: str, what: str, options: list[str] | None = None) -> Reply:
    return Reply([render.suggestions_embed(query, what, options or [])], ephemeral=True)


# ------------------------------------------------------------------------------ sessions


async def session(catalog: Catalog, query: str) -> Reply:
    """One clear match: its card. Several close ones: the best card plus the others to pick.
    None: an ephemeral "did you mean"."""
    lookup = await catalog.find_session(query)
    matches = ([lookup.best] if lookup.best is not None else []) + lookup.alternatives
    if matches:
        return await session_card(catalog, matches[0].key, alternatives=matches[1:])
    if lookup.other_years:
        return _in_other_years(query, lookup.other_years)
    year = typed_year(query)
    if year is not None and (rows := await catalog.browse(Filters.of(year=year))):
        return _session_list(Filters.of(year=year), rows)
    return _no_session(catalog, query)


def typed_year(text: str) -> int | None:
    """The forum year a bare number names ("2023"), if it is one. A number typed by a user
    is a year, a session number or text: never a row id."""
    text = text.strip()
    if len(text) == 4 and text.isascii() and text.isdigit():
        year = int(text)
        return year if FIRST_YEAR <= year <= LAST_YEAR else None
    return None


def _in_other_years(query: str, sessions: list[SessionSummary]) -> Reply:
    """A reference typed with a year that has no such session: the years that have it."""
    typed = parse_reference(query)
    name = sessions[0].reference or "This session"
    years = ", ".join(str(s.year) for s in sessions if s.year) or "a year not on record"
    body = f"There is no {name} in {typed.year if typed else 'that year'}."
    body += f"\n{name} took place in {years}: pick it below."
    reply = Reply([render.make_embed("Not in that year", body)], ephemeral=True)
    reply.choices = [_session_choice(s) for s in sessions[:MAX_CHOICES]]
    return reply


def _no_session(catalog: Catalog, query: str) -> Reply:
    suggestions = catalog.suggest_sessions(query)
    reply = _not_found(query, "session", [s.heading for s in suggestions])
    reply.choices = [_session_choice(s) for s in suggestions]
    return reply


async def session_card(
    catalog: Catalog, key: str, *, alternatives: list[SessionSummary] | None = None
) -> Reply:
    """The card of the session with this key, with close matches to pick from."""
    record = await catalog.session_record(key)
    if record is None:
        return _not_found(key, "session")
    card = render.session_card(record)
    others = (alternatives or [])[:MAX_CHOICES]
    name = "Other close matches"
    # The card was fitted to Discord's 6,000 without this field: it gets what is left.
    room = render.EMBED_TOTAL_LIMIT - render.embed_size(card) - len(name) - 50
    if others and len(card.fields) < render.FIELD_COUNT_LIMIT and room >= 100:
        lines = "\n".join(f"• {render.md(a.heading)}" for a in others[:MAX_OTHERS])
        value = render.shorten(lines, min(render.FIELD_VALUE_LIMIT, room))
        card.add_field(name=name, value=value, inline=False)
    return Reply(
        [card],
        session=ChoiceValue("session", record.key),
        choices=[_session_choice(a) for a in others],
    )


async def section(catalog: Catalog, key: str, name: str) -> Reply:
    """Every word of one section ("takeaways", "actions", "report", "speakers") of a session."""
    record = await catalog.session_record(key)
    if record is None:
        return _not_found(key, "session")
    return Reply(render.session_section(record, name), session=ChoiceValue("session", key))


async def open_choice(catalog: Catalog, value: str) -> Reply:
    """What a picked choice value opens: a session card or a person; "not found" for a
    stale or malformed value."""
    choice = catalog.decode_choice(value)
    if choice is None:
        return _not_found(value, "session or person")
    if choice.kind == "person":
        return await person(catalog, choice.key)
    return await session_card(catalog, choice.key)


async def outcomes(catalog: Catalog, section_name: str, query: str | None) -> Reply:
    """`/takeaways` and `/actions`: one session's, or the latest across sessions."""
    kind, label = _OUTCOMES[section_name]
    if query:
        lookup = await catalog.find_session(query)
        best = lookup.best or (lookup.alternatives[0] if lookup.alternatives else None)
        if best is None:
            return _no_session(catalog, query)
        return await section(catalog, best.key, section_name)
    latest = await catalog.latest_outcomes(kind, 5)
    return Reply(render.outcomes_pages(label, latest))


async def search(
    catalog: Catalog, text: str, year: int | None = None, session_type: str | None = None
) -> Reply:
    """Full-text hits over pages, saying how many matched in all; none: what was tried."""
    filters = Filters.of(year=year, session_type=session_type)
    hits = await catalog.search(text, filters, SEARCH_RESULTS)
    if not hits:
        return _no_search_hits(text, filters)
    shown: list[SearchHit] = [replace(h, snippet=render.discord_snippet(h.snippet)) for h in hits]
    entries = [f"{render.summary_line(h.session)}\n> {h.snippet}" for h in shown]
    return Reply(
        render.list_pages(
            f"Search: {text}", entries, per_page=5, footer=_count_line(len(hits), hits.total)
        ),
        choices=[_session_choice(h.session) for h in hits[:MAX_CHOICES]],
    )


def _count_line(shown: int, total: int) -> str:
    """ "1 result", "12 results", "25 of 1,935 results"."""
    noun = "result" if total == 1 else "results"
    return f"{total:,} {noun}" if shown >= total else f"{shown:,} of {total:,} {noun}"


def _no_search_hits(text: str, filters: Filters) -> Reply:
    """No match: the words and the filters tried, and what to drop (never "try /search")."""
    body = f"No session mentions **{render.md(render.shorten(text, 100))}**"
    labels = filters.labels()
    if labels:
        body += f" with the filters: {', '.join(labels)}.\nTry again without them."
    else:
        body += ".\nTry fewer or other words, or the beginning of a word."
    return Reply([render.make_embed("Not found", body)], ephemeral=True)


async def browse(
    catalog: Catalog,
    *,
    year: int | None = None,
    session_type: str | None = None,
    sdg: int | None = None,
    day: date | None = None,
) -> Reply:
    filters = Filters.of(year=year, session_type=session_type, sdg=sdg, day=day)
    return _session_list(filters, sorted(await catalog.browse(filters), key=session_order))


def _session_list(filters: Filters, rows: list[SessionSummary]) -> Reply:
    labels = filters.labels()
    title = "Sessions" + (f" — {', '.join(labels)}" if labels else "")
    return Reply(
        render.session_list(title, rows, footer=f"{len(rows)} sessions"),
        choices=[_session_choice(s) for s in rows[:MAX_CHOICES]],
    )


# ------------------------------------------------------------------------------ people


async def speaker(catalog: Catalog, name: str) -> Reply:
    """The person the name clearly names; several close ones: the closest, titled as such,
    and the others in a menu."""
    lookup = await catalog.find_person(name)
    if lookup.best is not None:
        return await person(catalog, lookup.best.key)
    if not lookup.alternatives or not close_name(name, lookup.alternatives[0].name):
        reply = _not_found(name, "person", [p.name for p in lookup.alternatives])
        reply.choices = [_person_choice(p) for p in lookup.alternatives[:MAX_CHOICES]]
        reply.choice_kind = "person"
        return reply
    closest, *others = lookup.alternatives
    reply = await person(catalog, closest.key)
    if reply.pages:
        title = f"Closest match: {reply.pages[0].title or closest.name}"
        reply.pages[0].title = render.shorten(title, render.TITLE_LIMIT)
    if others:
        reply.content = f"No one is named exactly {_echo(name)}: other close matches below."
        reply.choices = [_person_choice(p) for p in others[:MAX_CHOICES]]
        reply.choice_kind = "person"
    return reply


async def person(catalog: Catalog, key: str) -> Reply:
    """A person by stable key: every role, and their sessions to pick from."""
    detail = await catalog.person(key)
    if detail is None:
        return _not_found(key, "person")
    sessions = {role.session.key: role.session for role in detail.roles}
    choices = [_session_choice(s) for s in sessions.values()]
    return Reply(render.person_pages(detail), choices=choices[:MAX_CHOICES])


# ------------------------------------------------------------------------------ about, help


async def about(catalog: Catalog, latency_ms: float | None = None) -> Reply:
    counts = await catalog.counts()
    loaded = await catalog.meta("loaded_at")
    return Reply(
        [render.about_embed(counts, loaded_at=loaded, version=__version__, latency_ms=latency_ms)]
    )


def help_reply() -> Reply:
    lines = [
        f"**/{c.name}**"
        + (f" `{c.usage}`" if c.usage else "")
        + f" — {c.description}."
        + (f"\n  e.g. `{c.example}`" if c.example else "")
        for c in COMMANDS
    ]
    return Reply([render.help_embed(lines)], ephemeral=True)


# ------------------------------------------------------------------------------ admin


def load_report(title: str, report: LoadReport) -> Reply:
    """What a reload or an import did, line by line."""
    body = "\n".join(render.md(line) for line in report.lines())
    embed = discord.Embed(
        title=title, description=render.shorten(body, render.PAGE_TEXT), colour=render.COLOUR
    )
    return Reply([embed], ephemeral=True)


def import_refused(reason: str) -> Reply:
    shown = render.md(render.shorten(reason, REASON_CHARS))
    return Reply(content=f"Refused: {shown}", ephemeral=True)


def too_slow_to_read(budget_s: float) -> str:
    """Why an upload was refused when reading it ran over its time budget."""
    return f"the page took longer than {budget_s:g} s to read; save it again or upload its text"


def import_preview(session: Session) -> Reply:
    """The parsed page, for the admin to confirm."""
    return Reply(
        [render.session_card(session)],
        content="This is what I understood. Import it?",
        ephemeral=True,
    )


def already_loaded(session: Session) -> Reply:
    heading = render.md(render.shorten(session.heading, 200))
    return Reply(
        content=f"Already loaded: {heading} is in the archive as it is. Nothing was written.",
        ephemeral=True,
    )


def imported(name: str, existed: bool, report: LoadReport) -> Reply:
    return load_report("Already imported" if existed else f"Imported as {name}", report)


def reload_refused(report: LoadReport) -> Reply:
    """A load that was refused (it would remove too much): the reason, for the admin to confirm."""
    reason = render.md(render.shorten(report.refused or "", REASON_CHARS))
    return Reply(
        content=f"Nothing was changed: {reason}\n"
        f"Confirm to reload anyway and remove {report.would_remove} sessions.",
        ephemeral=True,
    )


def cancelled(action: str) -> Reply:
    return Reply(content=f"{action.capitalize()} cancelled: nothing was written.", ephemeral=True)


def not_your_buttons() -> Reply:
    text = "These buttons belong to whoever ran the command: run it yourself to browse."
    return Reply(content=text, ephemeral=True)


def not_your_confirm(action: str) -> Reply:
    text = f"Only the admin who started this {action} can confirm it."
    return Reply(content=text, ephemeral=True)


def admin_failed(action: str) -> Reply:
    return Reply(
        content=f"Something went wrong during the {action}. It has been logged; please try again.",
        ephemeral=True,
    )


async def export(catalog: Catalog, format: str) -> Reply:
    """Every session as a JSON (the README's schema) or CSV attachment, named by its format."""
    if format not in EXPORT_FORMATS:
        choices = " or ".join(EXPORT_FORMATS)
        return Reply(content=f"Export as {choices}, not {_echo(format)}.", ephemeral=True)
    records = await catalog.all_records()
    data = sessions_to_csv(records) if format == "csv" else sessions_to_json(records)
    return Reply(
        content=f"{len(records)} sessions.",
        ephemeral=True,
        attachment=Attachment(f"igf-sessions.{format}", data),
    )


# ------------------------------------------------------------------------------ card buttons

# The section buttons a card may offer, "About" first: (section, label).
CARD_SECTIONS: tuple[tuple[str, str], ...] = (("description", "About"), *SESSION_SECTIONS)


@dataclass(frozen=True, slots=True)
class CardButtons:
    """What a session card offers below it: the sections it has, and its page's address."""

    sections: tuple[tuple[str, str], ...]
    url: str | None = None


def _has_section(record: Session, section: str) -> bool:
    present = {
        "description": bool(record.description or record.policy_questions),
        "takeaways": bool(record.key_takeaways),
        "actions": bool(record.calls_to_action),
        "report": bool(record.report),
        "speakers": bool(
            record.speakers
            or record.onsite_moderators
            or record.online_moderators
            or record.rapporteurs
        ),
    }
    return present.get(section, False)


async def card_buttons(catalog: Catalog, key: str) -> CardButtons:
    """The buttons of the card of the session with this key: only sections it has."""
    record = await catalog.session_record(key)
    if record is None:
        return CardButtons(())
    sections = tuple((s, label) for s, label in CARD_SECTIONS if _has_section(record, s))
    return CardButtons(sections, render.safe_url(record.source_url))


async def section_by_value(catalog: Catalog, value: str, name: str) -> Reply:
    """A section behind a card's button, by the button's encoded session value: "not found"
    for a stale or malformed value or an unknown section."""
    choice = catalog.decode_choice(value)
    if choice is None or choice.kind != "session" or name not in dict(CARD_SECTIONS):
        return _not_found(value, "session")
    return await section(catalog, choice.key, name)


def session_order(s: SessionSummary) -> tuple[int, bool, datetime, str]:
    """/sessions' order: by start time; a session with no time among its year's, after the
    timed ones (then by title)."""
    year = s.year or (s.starts_at.year if s.starts_at else LAST_YEAR + 1)
    moment = s.starts_at or datetime.max.replace(tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (year, s.starts_at is None, moment, s.title.casefold())
