"""Change lines as text, pure and without Discord: what changed in one session ("Room:
Ballroom B → Room 3"). With `plain_time` it is terminal text (the ``load`` and ``/reload``
reports, through `bot.loader.LoadReport.lines`); `bot.changes.render` passes Discord
timestamps instead, so each reader sees the times in their own zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.changes.diff import FieldName, SessionChange, SessionFacts

Escape = Callable[[str], str]
TimeText = Callable[[datetime | None, datetime | None], str]


def plain_time(start: datetime | None, end: datetime | None) -> str:
    """ "2021-12-10 08:30–09:30 UTC" (terminal text)."""
    if start is None:
        return "no time"
    start = start.astimezone(UTC)
    text = start.strftime("%Y-%m-%d %H:%M")
    if end is not None:
        end = end.astimezone(UTC)
        same_day = end.date() == start.date()
        text += "–" + end.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
    return text + " UTC"


def _value(facts: SessionFacts, name: FieldName, when: TimeText, escape: Escape) -> str:
    if name == "time":
        return when(facts.starts_at, facts.ends_at)
    return escape(getattr(facts, name) or "none")


def describe(change: SessionChange, when: TimeText = plain_time, escape: Escape = str) -> str:
    """What changed: "Room: Ballroom B → Room 3; Time: … → …", "new" or "cancelled".
    `escape` is applied to document text (titles, rooms), not to the times."""
    if change.kind == "added":
        return "new"
    if change.kind == "removed":
        return "cancelled"
    before, after = change.before, change.after
    assert before is not None and after is not None
    return "; ".join(
        f"{name.capitalize()}: {_value(before, name, when, escape)} → "
        f"{_value(after, name, when, escape)}"
        for name in change.fields
    )


def label(facts: SessionFacts) -> str:
    """ "IGF 2021 Open Forum #5" or the key: what to type after `/session`."""
    parts = [facts.event, facts.reference]
    return " ".join(p for p in parts if p) or facts.key


def report_line(change: SessionChange) -> str:
    """The ``load``/``/reload`` report line of an updated session (terminal text)."""
    return f"  {label(change.current)}: {describe(change)}"
