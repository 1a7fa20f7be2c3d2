"""A local prompt over the same database: the slash commands, with no Discord at all.

It calls the same `bot.answers` functions as the cogs and prints the same embeds as text.
Options are typed as in Discord (`/search climate year:2021 type:"Open Forum"`,
`/session session:Open Forum #5`) and checked as Discord checks them.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from bot import answers, render
from bot.catalog import Catalog
from bot.vocabulary import SESSION_TYPES, canonical_type

PROMPT = "igf> "
QUIT = frozenset({"quit", "exit", ":q"})
BANNER = "IGF forum bot console. Try: /session Open Forum #5 · /speaker luca belli · /help · quit"
# Every option name a command takes; the first of each command's names is its main text.
_TEXT_OPTIONS = ("query", "session", "name", "text")
_OPTION = re.compile(r"(?:^|(?<=\s))(query|session|name|text|year|type|sdg|day|format):", re.I)


@dataclass(slots=True)
class Line:
    """One console line: the command, its free text and its `name:value` options."""

    command: str
    text: str = ""
    options: dict[str, str] = field(default_factory=dict)

    @property
    def main(self) -> str:
        """The command's main text: the free text, or its named option (`session:…`)."""
        named = (self.options.get(o) for o in _TEXT_OPTIONS)
        return self.text or next((v for v in named if v), "")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def parse_line(line: str) -> Line:
    """ "/search climate year:2021 type:"Open Forum"" -> ("search", "climate", {…}).

    An option's value runs to the next option, as Discord's client reads it; quotes and
    apostrophes are plain text ("children's rights"), and a quoted phrase stays quoted."""
    command, _, rest = line.strip().partition(" ")
    marks = list(_OPTION.finditer(rest))
    text = rest[: marks[0].start()] if marks else rest
    options: dict[str, str] = {}
    ends = [m.start() for m in marks[1:]] + [len(rest)]
    for mark, end in zip(marks, ends[: len(marks)], strict=True):
        options[mark.group(1).lower()] = _unquote(rest[mark.end() : end])
    return Line(command.lstrip("/").lower(), " ".join(text.split()), options)


class BadOption(ValueError):
    """An option Discord would not have accepted, with the message to show."""


def _number(line: Line, name: str, low: int, high: int) -> int | None:
    value = line.options.get(name)
    if not value:
        return None
    if value.isascii() and value.isdigit() and low <= int(value) <= high:
        return int(value)
    shown = render.shorten(value, answers.ECHO_CHARS).replace("`", "'")
    raise BadOption(f"`{name}` must be a whole number from {low} to {high}, not `{shown}`.")


def _type(line: Line) -> str | None:
    value = line.options.get("type")
    if not value:
        return None
    canonical = canonical_type(value)
    if canonical is None:
        shown = render.shorten(value, answers.ECHO_CHARS).replace("`", "'")
        raise BadOption(f"`type` must be one of {', '.join(SESSION_TYPES)}; not `{shown}`.")
    return canonical


def _day(line: Line) -> date | None:
    value = line.options.get("day")
    if not value:
        return None
    if len(value) == 10:  # Discord's day option takes exactly YYYY-MM-DD
        with suppress(ValueError):
            return date.fromisoformat(value)
    raise BadOption(answers.bad_day(value).content or "")


def _year(line: Line) -> int | None:
    return _number(line, "year", answers.FIRST_YEAR, answers.LAST_YEAR)


def _handlers(catalog: Catalog, line: Line) -> dict[str, Callable[[], Awaitable[answers.Reply]]]:
    main = line.main
    return {
        "session": lambda: answers.session(catalog, main),
        "speaker": lambda: answers.speaker(catalog, main),
        "takeaways": lambda: answers.outcomes(catalog, "takeaways", main or None),
        "actions": lambda: answers.outcomes(catalog, "actions", main or None),
        "search": lambda: answers.search(catalog, main, _year(line), _type(line)),
        "sessions": lambda: answers.browse(
            catalog,
            year=_year(line),
            session_type=_type(line),
            sdg=_number(line, "sdg", 1, 17),
            day=_day(line),
        ),
        "about": lambda: answers.about(catalog),
        "help": lambda: _ready(answers.help_reply()),
    }


async def _ready(reply: answers.Reply) -> answers.Reply:
    return reply


def unknown_command(command: str) -> answers.Reply:
    shown = render.shorten(command, answers.ECHO_CHARS).replace("`", "'")
    return answers.Reply(content=f"Unknown command `/{shown}`. Type /help for the list.")


async def run_command(catalog: Catalog, text: str) -> answers.Reply:
    """Answer one console line like the matching slash command."""
    line = parse_line(text)
    handlers = _handlers(catalog, line)
    if line.command not in handlers:
        return unknown_command(line.command)
    if line.command in {"session", "speaker", "search"} and not line.main:
        return answers.Reply([render.suggestions_embed("", line.command, [])], ephemeral=True)
    try:
        return await handlers[line.command]()
    except BadOption as exc:
        return answers.Reply(content=str(exc), ephemeral=True)


def format_reply(reply: answers.Reply, card: answers.CardButtons | None = None) -> str:
    """A reply as text; a card's buttons as `card` (see `answer_line`) lists them."""
    parts = [reply.content] if reply.content else []
    parts += [render.embed_to_text(page) for page in reply.pages]
    if card is not None and card.sections:
        parts.append("[buttons: " + " · ".join(label for _, label in card.sections) + "]")
    if card is not None and card.url:
        parts.append(f"[link: {card.url}]")
    if reply.choices and reply.session is None:
        parts.append("[menu: " + " | ".join(c.label for c in reply.choices[:5]) + "]")
    return "\n\n".join(parts)


async def answer_line(catalog: Catalog, text: str) -> str:
    """One console line answered and printed as text, with the buttons Discord would show."""
    reply = await run_command(catalog, text)
    card = None
    if reply.session is not None:
        card = await answers.card_buttons(catalog, reply.session.key)
    return format_reply(reply, card)


def _prompt() -> str | None:
    """A line typed at the prompt (readline: editing, history); None on Ctrl-D or Ctrl-C."""
    try:
        return input(PROMPT)
    except (EOFError, KeyboardInterrupt):
        print()  # leave the terminal on a fresh line
        return None


def run_interactive(runner: asyncio.Runner, catalog: Catalog, out: TextIO = sys.stdout) -> int:
    """The console at a terminal. The prompt waits outside the event loop (`runner` keeps it
    between commands), so Ctrl-C there is an ordinary KeyboardInterrupt; Ctrl-C during an
    answer stops that answer and ends the console."""
    import readline  # noqa: F401  (importing it gives input() line editing and history)

    print(BANNER, file=out)
    while (line := _prompt()) is not None:
        line = line.strip()
        if line in QUIT:
            break
        if line:
            try:
                print(runner.run(answer_line(catalog, line)), file=out)
            except KeyboardInterrupt:
                print(file=out)
                break
            print(file=out)
    return 0


async def run_console(
    catalog: Catalog, commands: list[str] | None = None, out: TextIO = sys.stdout
) -> int:
    """Answer each of `commands`, or each line of standard input, until the end or "quit"."""
    while True:
        if commands is not None:
            line = commands.pop(0) if commands else None
        else:
            line = sys.stdin.readline() or None
        if line is None or line.strip() in QUIT:
            break
        line = line.strip()
        if line:
            print(f"{PROMPT}{line}", file=out)
            print(await answer_line(catalog, line), file=out)
            print(file=out)
    return 0
