"""The session as the reader fills it in, and the `Session` it finishes as."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot.models import Person, Sdg, Speaker


@dataclass
class Draft:
    heading: str = ""
    title: str = ""
    event: str | None = None
    year: int | None = None
    session_type: str | None = None
    number: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    room: str | None = None
    format: str | None = None
    duration_minutes: int | None = None
    format_description: list[str] = field(default_factory=list)
    policy_questions: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    organizers: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    onsite: list[Person] = field(default_factory=list)
    online: list[Person] = field(default_factory=list)
    rapporteurs: list[Person] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    takeaways: list[list[str]] = field(default_factory=list)
    calls: list[list[str]] = field(default_factory=list)
    report: list[str] = field(default_factory=list)


_THREE_NEWLINES = re.compile(r"\n{3,}")


def paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _THREE_NEWLINES.sub("\n\n", text)
    return text.strip()
