"""What every ``/events`` command answers, as `bot.answers.Reply` objects (all ephemeral).

Pure: the cog reads what these need and sends what they return with ``send_reply``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import render
from bot.answers import Reply
from bot.events.ledger import Scope
from bot.events.scheduler import NO_PERMISSION, SyncResult

REFUSED = "Only members with Manage Server (or the bot's owners) can publish events."
MISSING_PERMISSION = (
    "⚠️ The bot cannot manage this server's events: it needs the **Manage Events** "
    "permission. Give its role Manage Events (Server Settings → Roles), or re-invite it with "
    "the link in the README, then try again."
)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _ephemeral(text: str) -> Reply:
    return Reply([], ephemeral=True, content=render.shorten(text, render.CONTENT_LIMIT))


def missing_permission() -> Reply:
    return _ephemeral(MISSING_PERMISSION)


def bad_day(typed: str) -> Reply:
    return _ephemeral(f"`{render.md(typed)}` is not a day: give it as YYYY-MM-DD, e.g. 2030-11-12.")


def _problem(result: SyncResult) -> str:
    if result.problem == NO_PERMISSION:
        return "\n" + MISSING_PERMISSION
    return f"\n⚠️ Stopped: {result.problem}." if result.problem else ""


def published(scope: Scope, result: SyncResult, counts: tuple[int, int, int]) -> Reply:
    """`/events publish`: what this publish did and where the server stands."""
    lines = [f"**Publishing:** {render.md(scope.describe())} (sessions that start later)"]
    done = f"Created {_plural(result.created, 'event')}"
    if result.edited or result.deleted:
        done += f", updated {result.edited}, deleted {result.deleted}"
    lines.append(done + ".")
    if result.left_out:
        lines.append(
            f"{_plural(result.left_out, 'session')} left out: Discord allows 100 upcoming events "
            "per server. They are published, soonest first, as earlier events end."
        )
    if result.failed:
        lines.append(f"⚠️ {result.failed} could not be created; `/events status` shows them.")
    return _ephemeral("\n".join(lines) + "\n" + status_line(counts) + _problem(result))


def status_line(counts: tuple[int, int, int]) -> str:
    published_count, pending, failed = counts
    return f"**Events:** {published_count} published, {pending} pending, {failed} failed."


def status(
    scopes: Sequence[Scope], counts: tuple[int, int, int], failures: Sequence[str], can: bool
) -> Reply:
    """`/events status`: the scopes, the counts, why some failed, and the permission."""
    if not scopes and not any(counts):
        return _ephemeral("No events published here. Use `/events publish` to start.")
    lines = ["**Scopes:** " + ("; ".join(render.md(s.describe()) for s in scopes) or "none")]
    lines.append(status_line(counts))
    lines += [f"• {render.md(reason)}" for reason in failures[:5]]
    if not can:
        lines.append(MISSING_PERMISSION)
    return _ephemeral("\n".join(lines))


def cleared(count: int) -> Reply:
    return _ephemeral(
        f"Deleted the {_plural(count, 'event')} the bot made in this server; nothing is published "
        "now. "
        "Events made by others are untouched."
    )
