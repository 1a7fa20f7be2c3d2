"""Command line: `python -m bot [run|parse|load|console|digest|fetch]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import date
from pathlib import Path

from bot.catalog import Catalog
from bot.config import Config, ConfigError
from bot.loader import LoadReport
from bot.parser import ParseError, parse_bytes

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


def cmd_parse(args: argparse.Namespace) -> int:
    results: list[dict[str, object]] = []
    failed = False
    for name in args.files:
        path = Path(name)
        try:
            session = parse_bytes(path.read_bytes(), path.name)
        except (ParseError, OSError) as exc:
            failed = True
            reason = (
                exc.reason if isinstance(exc, ParseError) else f"cannot read file: {exc.strerror}"
            )
            results.append({"file": name, "error": reason})
            if not args.json:
                print(f"{name}: rejected: {reason}", file=sys.stderr)
            continue
        results.append({"file": name, **session.to_json()})
        if not args.json:
            from bot import render

            print(render.embed_to_text(render.session_card(session)), end="\n\n")
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if failed else 0


async def _open_catalog(config: Config) -> tuple[Catalog, LoadReport]:
    catalog = await Catalog.open(config.database, config.seeds_dir)
    return catalog, await catalog.reload()


async def cmd_load(config: Config) -> int:
    catalog, report = await _open_catalog(config)
    try:
        counts = await catalog.store.counts()
        for line in report.lines():
            print(line)
        print(
            f"database {config.database}: {counts.sessions} sessions, {counts.people} people, "
            f"{counts.takeaways} takeaways, {counts.calls_to_action} calls to action"
        )
        return 0 if report.ok else 1
    finally:
        await catalog.close()


async def cmd_console(config: Config, commands: list[str] | None) -> int:
    from bot.console import run_console

    catalog, report = await _open_catalog(config)
    try:
        for rejected in report.rejected:
            print(f"warning: {rejected.file} not loaded: {rejected.reason}", file=sys.stderr)
        return await run_console(catalog, commands)
    finally:
        await catalog.close()


async def cmd_digest(config: Config, day: date, tz: str) -> int:
    from bot.digest.source import digest_text_for

    catalog, _ = await _open_catalog(config)
    try:
        print(await digest_text_for(catalog, day, tz))
        return 0
    finally:
        await catalog.close()


def cmd_run(config: Config) -> int:
    if not config.token:
        # Still useful with no token: the same answers, on the bundled data, in the terminal.
        print(NO_TOKEN, file=sys.stderr)
        return asyncio.run(cmd_console(config, None))
    from bot.app import run_bot

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
    p = sub.add_parser("console", help="answer slash commands locally, without Discord")
    p.add_argument("--seeds", type=Path)
    p.add_argument("--db", type=Path)
    p.add_argument("-c", "--command", dest="commands", action="append", help="answer this and exit")
    p = sub.add_parser("digest", help="print a day's forum digest")
    p.add_argument("--date", type=date.fromisoformat, default=None)
    p.add_argument("--tz", default="UTC")
    p.add_argument("--db", type=Path)
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
    command = args.command or "run"
    if command == "parse":
        return cmd_parse(args)
    if command == "load":
        return asyncio.run(cmd_load(config))
    if command == "console":
        return asyncio.run(cmd_console(config, args.commands))
    if command == "digest":
        return _digest_command(config, args.date, args.tz)
    if command == "fetch":
        from bot.sources.cli import fetch_command

        return asyncio.run(fetch_command(config, args.urls, args.follow))
    return cmd_run(config)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `python -m bot parse … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        sys.exit(0)
