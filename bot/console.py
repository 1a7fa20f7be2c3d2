"""A local prompt over the same database: the slash commands, with no Discord at all.

It calls the same `bot.answers` functions as the cogs and prints the same embeds as text.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TextIO

from bot import answers, render
from bot.catalog import Catalog

PROMPT = "igf> "
BANNER = "IGF forum bot console. Try: /session Open Forum #5 · /speaker luca belli · /help · quit"


def _options(text: str) -> tuple[str, dict[str, str]]:
    """ "climate year:2021 type:WS" -> ("climate", {"year": "2021", "type": "WS"})."""
    options: dict[str, str] = {}
    words = []
    for word in shlex.split(text, posix=True) if text.count('"') % 2 == 0 else text.split():
        match = re.fullmatch(r"(year|type|sdg|day|session):(.+)", word, re.I)
        if match:
            options[match.group(1).lower()] = match.group(2)
        else:
            words.append(word)
    return " ".join(words), options


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


async def run_command(catalog: Catalog, line: str) -> answers.Reply:
    """Answer one console line like the matching slash command."""
    command, _, rest = line.strip().partition(" ")
    command = command.lstrip("/").lower()
    rest = rest.strip()
    text, opts = _options(rest)
    handlers: dict[str, Callable[[], Awaitable[answers.Reply]]] = {
        "session": lambda: answers.session(catalog, rest),
        "speaker": lambda: answers.speaker(catalog, rest),
        "takeaways": lambda: answers.outcomes(catalog, "takeaways", rest or None),
        "actions": lambda: answers.outcomes(catalog, "actions", rest or None),
        "search": lambda: answers.search(catalog, text, _int(opts.get("year")), opts.get("type")),
        "sessions": lambda: answers.browse(
            catalog,
            year=_int(opts.get("year")),
            session_type=opts.get("type"),
            sdg=_int(opts.get("sdg")),
            day=date.fromisoformat(opts["day"]) if "day" in opts else None,
        ),
        "about": lambda: answers.about(catalog),
    }
    if command == "help" or command not in handlers:
        return answers.help_reply()
    if command in {"session", "speaker", "search"} and not rest:
        return answers.Reply([render.suggestions_embed("", command, [])], ephemeral=True)
    try:
        return await handlers[command]()
    except ValueError as exc:
        return answers.Reply([render.suggestions_embed(str(exc), command, [])], ephemeral=True)


def format_reply(reply: answers.Reply) -> str:
    parts = [reply.content] if reply.content else []
    parts += [render.embed_to_text(page) for page in reply.pages]
    if reply.session is not None:
        labels = " · ".join(label for _, label in answers.SESSION_SECTIONS)
        parts.append(f"[buttons: {labels}]")
    if reply.choices and reply.session is None:
        parts.append("[menu: " + " | ".join(c.label for c in reply.choices[:5]) + "]")
    return "\n\n".join(parts)


async def _next_line(commands: list[str] | None, interactive: bool) -> str | None:
    """The next command: from `commands`, the prompt, or piped standard input; None at the end."""
    if commands is not None:
        return commands.pop(0) if commands else None
    if not interactive:
        line = sys.stdin.readline()
        return line or None
    try:
        return await asyncio.to_thread(input, PROMPT)
    except EOFError:
        return None


async def run_console(
    catalog: Catalog, commands: list[str] | None = None, out: TextIO = sys.stdout
) -> int:
    """Interactive when `commands` is None and stdin is a terminal; else answer each line."""
    interactive = commands is None and sys.stdin.isatty()
    if interactive:
        print(BANNER, file=out)
    while (line := await _next_line(commands, interactive)) is not None:
        line = line.strip()
        if line in {"quit", "exit", ":q"}:
            break
        if not line:
            continue
        if not interactive:
            print(f"{PROMPT}{line}", file=out)
        print(format_reply(await run_command(catalog, line)), file=out)
        print(file=out)
    return 0
