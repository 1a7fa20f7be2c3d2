"""Every answer of ``/source``, ``/digest news`` and the news post's buttons, as `Reply` objects.

Pure: the cog gathers what these need and sends what they return with ``send_reply``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot import render
from bot.answers import Reply
from bot.models import Session
from bot.sources.ledger import Source
from bot.sources.refresh import RefreshReport
from bot.sources.scheduler import NewsResult

REFUSED = "Only members with Manage Server (or the bot's owners) can manage the sources."
LIST_TITLE = "Sources"
_NEVER = "never"


def _ephemeral(text: str, pages: Sequence[discord.Embed] = ()) -> Reply:
    return Reply(list(pages), ephemeral=True, content=render.shorten(text, render.CONTENT_LIMIT))


def _when(moment: datetime | None) -> str:
    return render.timestamp(moment, "R") if moment else _NEVER


def _status(source: Source) -> str:
    state = source.state
    if state.last_error:
        retry = f", next try {_when(state.next_attempt_at)}" if state.next_attempt_at else ""
        return f"⚠️ {render.one_line(state.last_error)} ({state.failures} in a row{retry})"
    return "ok" if state.last_fetched_at else "not fetched yet"


def source_line(source: Source) -> str:
    """`/source list`: URL, last fetched, last changed, status."""
    kind = "list page" if source.kind == "list" else "session page"
    state = source.state
    return (
        f"**{render.md(source.url)}** ({kind})\n"
        f"fetched {_when(state.last_fetched_at)} · changed {_when(state.last_changed_at)} · "
        f"{render.md(_status(source))}"
    )


def source_list(sources: Sequence[Source]) -> Reply:
    added = [s for s in sources if s.found_on is None]
    found = len(sources) - len(added)
    if not added:
        return _ephemeral("No sources yet: `/source add url:<an IGF session or list page>`.")
    footer = f"{len(added)} sources added, {found} session pages found on list pages"
    lines = [source_line(s) for s in added]
    lines += [source_line(s) for s in sources if s.found_on is not None and s.state.last_error]
    return Reply(render.list_pages(LIST_TITLE, lines, footer=footer), ephemeral=True)


def refused_url(url: str, reason: str) -> Reply:
    return _ephemeral(f"Not added: {render.md(url)} — {render.md(reason)}.")


def already_known(url: str) -> Reply:
    return _ephemeral(f"{render.md(url)} is already a source. `/source refresh` fetches it now.")


def report_text(report: RefreshReport) -> str:
    return "\n".join(render.md(line) for line in report.lines())


def _news_line(results: Sequence[NewsResult]) -> str:
    sent = [r for r in results if r.status == "sent"]
    failed = [r for r in results if r.status == "failed"]
    line = (
        f"New takeaways posted in {len(sent)} servers."
        if sent
        else "No new takeaways to post in any server."
    )
    return line + "".join(f"\n⚠️ <#{r.channel_id}>: {r.detail}" for r in failed)


def added(url: str, kind: str, report: RefreshReport, results: Sequence[NewsResult]) -> Reply:
    what = "list page (its session pages are followed)" if kind == "list" else "session page"
    text = f"Added {render.md(url)} as a {what}.\n{report_text(report)}\n{_news_line(results)}"
    return _ephemeral(text)


def refreshed(report: RefreshReport, results: Sequence[NewsResult]) -> Reply:
    return _ephemeral(f"Refreshed.\n{report_text(report)}\n{_news_line(results)}")


def nothing_to_refresh() -> Reply:
    return _ephemeral("There are no sources: `/source add url:<…>` adds one.")


def removed(url: str, count: int, files: int) -> Reply:
    if not count:
        return _ephemeral(f"{render.md(url)} is not a source. `/source list` shows them.")
    return _ephemeral(
        f"Removed {render.md(url)} ({count} sources with the pages found on it); "
        f"{files} stored pages deleted, and the archive reloaded."
    )


def news_switched(enabled: bool, has_channel: bool) -> Reply:
    if not enabled:
        return _ephemeral("New takeaways will not be posted in this server.")
    where = "in the digest channel" if has_channel else "once `/digest channel` is set"
    return _ephemeral(f"New takeaways will be posted {where} after each refresh.")


def session_outcomes(record: Session | None, key: str) -> Reply:
    """A news button: all of the session's takeaways and calls to action."""
    if record is None:
        return _ephemeral(f"That session ({render.md(key)}) is no longer in the archive.")
    pages = render.session_section(record, "takeaways")
    if record.calls_to_action:
        pages += render.session_section(record, "actions")
    return Reply(pages, ephemeral=True)
