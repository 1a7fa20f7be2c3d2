"""Session documents in the future, for the scheduled-events and change-notice tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

FORUM_DAY = datetime(2030, 11, 10, tzinfo=UTC)
"""The first day of the made-up IGF 2030; tests start their clock before it."""


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _stamp(moment: datetime) -> str:
    return f"{moment:%A}, {_ordinal(moment.day)} {moment:%B}, {moment.year} ({moment:%H:%M} UTC)"


def starts_of(number: int) -> datetime:
    """Open Forum #n starts on day n // 10 of the forum, at 08:00 + (n % 10) hours."""
    return FORUM_DAY + timedelta(days=number // 10, hours=8 + number % 10)


def session_document(
    number: int,
    *,
    title: str | None = None,
    room: str = "Ballroom B",
    starts: datetime | None = None,
    speakers: tuple[str, ...] = ("Alice Example", "Bob Example"),
) -> str:
    start = starts or starts_of(number)
    people = "\n".join(f"{name}, Civil Society" for name in speakers)
    return (
        f"IGF 2030 Open Forum #{number} {title or f'Session number {number}'}\n\n"
        f"{_stamp(start)} - {_stamp(start + timedelta(hours=1))}\n{room}\n\n"
        f"Speakers\n{people}\n"
    )


def file_name(number: int) -> str:
    return f"igf2030_of{number:03d}.txt"


def write_sessions(seeds: Path, numbers: range, **changes: object) -> None:
    for number in numbers:
        (seeds / file_name(number)).write_text(session_document(number, **changes))  # type: ignore[arg-type]
