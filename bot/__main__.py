"""Command line: `python -m bot [run|parse|load|console|digest|calendar|doctor|export|fetch]`.

Every command that opens the database checks it (and the seeds) first with `bot.preflight`:
a start that cannot work ends with one line naming the file and what to do, exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sqlite3
import sys
from datetime import date
from pathlib import Path

from bot.catalog import Catalog
from bot.config import Config, ConfigError
from bot.doctor import diagnose, start_line
from bot.export import EXPORT_FORMATS
from bot.loader import LoadReport
from bot.parser import ParseError, parse_document
from bot.preflight import StartupError, check_seeds

log = logging.getLogger("bot")

NO_TOKEN = (
    "No DISCORD_TOKEN set: the bot cannot connect to Discord. Create a bot at "
    "https://discord.com/developers/applications, copy its token into .env (see .env.example), "
    "or try the bundled data in the console (python -m bot console), starting now."
)


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiosqlite logs every statement at DEBUG: thousands of lines a second say nothing useful.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)


def cmd_parse(args: argparse.Namespace) -> int:
    results: list[dict[str, object]] = []
    failed = False
    for name in args.files:
        path = Path(name)
        try:
            parsed = parse_document(path.read_bytes(), path.name)
        except (ParseError, OSError) as exc:
            failed = True
            reason = (
                exc.reason if isinstance(exc, ParseError) else f"cannot read file: {exc.strerror}"
            )
            results.append({"file": name, "error": reason})
            if not args.json:
                print(f"{name}: rejected: {reason}", file=sys.stderr)
            continue
        session = parsed.session
        results.append({"file": name, **session.to_json(), "warnings": parsed.warnings})
        if not args.json:
            from bot import render

            print(render.embed_to_text(render.session_card(session)), end="\n\n")
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if failed else 0


def preflight(config: Config) -> int:
    """Check the database and the seeds before anything opens them: `StartupError` if a
    start cannot work. Returns the number of documents in the seeds directory."""
    Catalog.check(config.database)
    return check_seeds(config.seeds_dir)


async def open_catalog(
    config: Config, *, prune: bool = False, force: bool = False
) -> tuple[Catalog, LoadReport]:
    """The checked catalogue, loaded; says (logs) which database and seeds it uses."""
    documents = preflight(config)
    catalog = await Catalog.open(config.database, config.seeds_dir)
    try:
        report = await catalog.reload(prune=prune, force=force)
        log.info("%s", start_line(config, (await catalog.counts()).sessions, documents))
    except BaseException:
        await catalog.close()
        raise
    return catalog, report


async def cmd_load(
    config: Config, *, prune: bool = False, force: bool = False, verbose: bool = False
) -> int:
    catalog, report = await open_catalog(config, prune=prune, force=force)
    try:
        counts = await catalog.counts()
        for line in report.lines(verbose=verbose):
            print(line)
        print(
            f"database {config.database}: {counts.sessions} sessions, {counts.people} people, "
            f"{counts.takeaways} takeaways, {counts.calls_to_action} calls to action"
        )
        return 0 if report.ok else 1
    finally:
        await catalog.close()


def cmd_console(config: Config, commands: list[str] | None) -> int:
    """The console on one event loop kept between commands (`asyncio.Runner`): at a terminal,
    the prompt waits outside the loop, where Ctrl-C is Python's plain KeyboardInterrupt (under
    a running loop, about one Ctrl-C in four was lost)."""
    from bot.console import run_console, run_interactive

    with asyncio.Runner() as runner:
        catalog, report = runner.run(open_catalog(config))
        try:
            documents = check_seeds(config.seeds_dir)
            sessions = runner.run(catalog.counts()).sessions
            print(start_line(config, sessions, documents), file=sys.stderr)
            if report.refused is not None:
                print(f"warning: load {report.lines()[0]}", file=sys.stderr)
            for rejected in report.rejected:
                print(f"warning: {rejected.line()}", file=sys.stderr)
            if commands is None and sys.stdin.isatty():
                return run_interactive(runner, catalog)
            return runner.run(run_console(catalog, commands))
        finally:
            runner.run(catalog.close())


async def cmd_digest(config: Config, day: date, tz: str) -> int:
    from bot.digest.source import digest_text_for

    catalog, _ = await open_catalog(config)
    try:
        print(await digest_text_for(catalog, day, tz))
        return 0
    finally:
        await catalog.close()


def cmd_doctor(config: Config) -> int:
    """One line per item; 0 when a start would work, 1 otherwise."""
    items = diagnose(config)
    for item in items:
        print(item.line())
    return 0 if all(item.ok for item in items) else 1


def cmd_export(config: Config, format: str, out: Path | None) -> int:
    """The data of `/export`, from the database alone (never created, never loaded)."""
    health = Catalog.check(config.database)
    if not health.exists or health.sessions is None:
        raise StartupError(f"database {config.database} holds no sessions: run `load` first")
    data = asyncio.run(_export(config, format))
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)
    return 0


async def _export(config: Config, format: str) -> bytes:
    catalog = await Catalog.open(config.database, config.seeds_dir)
    try:
        return EXPORT_FORMATS[format](await catalog.all_records())
    finally:
        await catalog.close()


def cmd_run(config: Config) -> int:
    if not config.token:
        # Still useful with no token: the same answers, on the bundled data, in the terminal.
        print(NO_TOKEN, file=sys.stderr)
        return cmd_console(config, None)
    from bot.app import run_bot

    preflight(config)  # before connecting: a bad database is said in one line, not a traceback
    return run_bot(config)


def _digest_command(config: Config, day: date | None, tz: str) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from bot.clock import SystemClock
    from bot.digest.timing import local_today

    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        print(f"unknown time zone {tz!r}: use an IANA name such as Europe/Oslo", file=sys.stderr)
        return 2
    return asyncio.run(cmd_digest(config, day or local_today(SystemClock().now(), zone), tz))


async def cmd_calendar(config: Config, query: str) -> int:
    from bot.clock import SystemClock
    from bot.reminders.calendar import calendar_text_for

    catalog, _ = await open_catalog(config)
    try:
        text, notes = await calendar_text_for(catalog, query, SystemClock().now())
    finally:
        await catalog.close()
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if text:
        sys.stdout.write(text)
    return 0 if text else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="IGF forum bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord (the default)")
    p = sub.add_parser("parse", help="parse session documents and print them")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="print a JSON array (the export schema)")
    p = sub.add_parser("load", help="load the seeds directory into the database")
    p.add_argument("--seeds", type=Path)
    p.add_argument("--db", type=Path)
    p.add_argument(
        "--prune", action="store_true", help="apply a load that removes all or most sessions"
    )
    p.add_argument(
        "--force", action="store_true", help="accept updates that lost most of their content"
    )
    p.add_argument("--verbose", action="store_true", help="list each parsed page's warnings")
    p = sub.add_parser("console", help="answer slash commands locally, without Discord")
    p.add_argument("--seeds", type=Path)
    p.add_argument("--db", type=Path)
    p.add_argument("-c", "--command", dest="commands", action="append", help="answer this and exit")
    p = sub.add_parser("digest", help="print a day's forum digest")
    p.add_argument("--date", type=date.fromisoformat, default=None)
    p.add_argument("--tz", default="UTC")
    p.add_argument("--db", type=Path)
    p = sub.add_parser("calendar", help="print the iCalendar (.ics) text of sessions")
    p.add_argument("query", help="a session (reference, title, key), a year or a session type")
    p.add_argument("--db", type=Path)
    for name, aliases in (("doctor", ["check"]),):
        p = sub.add_parser(name, aliases=aliases, help="check configuration, database and seeds")
        p.add_argument("--seeds", type=Path)
        p.add_argument("--db", type=Path)
    p = sub.add_parser("export", help="write every session as JSON or CSV")
    p.add_argument("--db", type=Path)
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="json")
    p.add_argument("--out", type=Path, help="write here instead of to standard output")
    p = sub.add_parser("fetch", help="add IGF pages as sources and fetch them now")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--follow", action="store_true", help="follow the session links of list pages")
    p.add_argument("--db", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    overrides = {}
    if getattr(args, "seeds", None):
        overrides["seeds_dir"] = args.seeds
    if getattr(args, "db", None):
        overrides["database"] = args.db
    if overrides:
        from dataclasses import replace

        config = replace(config, **overrides)
    connecting = args.command in (None, "run") and config.token
    _setup_logging(config.log_level if connecting else "WARNING")
    try:
        return _dispatch(args, config)
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except sqlite3.DatabaseError as exc:  # damage that showed only once in use
        detail = " ".join(str(exc).split())[:160]
        print(
            f"error: database {config.database} failed ({detail}): run `python -m bot doctor`",
            file=sys.stderr,
        )
    return 1


def _dispatch(args: argparse.Namespace, config: Config) -> int:
    command = args.command or "run"
    if command == "parse":
        return cmd_parse(args)
    if command == "load":
        return asyncio.run(
            cmd_load(config, prune=args.prune, force=args.force, verbose=args.verbose)
        )
    if command == "console":
        return cmd_console(config, args.commands)
    if command == "digest":
        return _digest_command(config, args.date, args.tz)
    if command == "calendar":
        return asyncio.run(cmd_calendar(config, args.query))
    if command in ("doctor", "check"):
        return cmd_doctor(config)
    if command == "export":
        return cmd_export(config, args.format, args.out)
    if command == "fetch":
        from bot.sources.cli import fetch_command

        preflight(config)
        return asyncio.run(fetch_command(config, args.urls, args.follow))
    return cmd_run(config)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `python -m bot parse … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        sys.exit(0)
