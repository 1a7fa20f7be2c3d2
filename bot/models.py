"""Typed records for one IGF session page and the people in it.

These dataclasses are the contract between the parser, the store, the renderers and the
JSON export: field names here are exactly the names in the README's JSON schema.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Person:
    """A moderator or rapporteur: a name and, when the page gives one, an affiliation."""

    name: str
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker, with the programme segment they speak in and a short note ("opening speech")."""

    name: str
    affiliation: str | None = None
    segment: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Sdg:
    """A UN Sustainable Development Goal (1-17), with its name when the page gives it."""

    number: int
    name: str | None = None


@dataclass(slots=True)
class Session:
    """Everything a reader can see on one session page."""

    heading: str
    title: str
    event: str | None = None
    year: int | None = None
    session_type: str | None = None
    number: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    room: str | None = None
    format: str | None = None
    duration_minutes: int | None = None
    format_description: str | None = None
    policy_questions: list[str] = field(default_factory=list)
    description: str | None = None
    organizers: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    onsite_moderators: list[Person] = field(default_factory=list)
    online_moderators: list[Person] = field(default_factory=list)
    rapporteurs: list[Person] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    key_takeaways: list[str] = field(default_factory=list)
    calls_to_action: list[str] = field(default_factory=list)
    report: str | None = None
    source_url: str | None = None

    @property
    def reference(self) -> str | None:
        """Short reference such as "Open Forum #5", or None when the page has no number."""
        if self.session_type and self.number is not None:
            return f"{self.session_type} #{self.number}"
        return None

    @property
    def key(self) -> str:
        """Stable identifier, e.g. "igf-2021-open-forum-5"; used for digests and exports."""
        if self.year and self.session_type and self.number is not None:
            return f"igf-{self.year}-{_slug(self.session_type)}-{self.number}"
        digest = hashlib.sha1(self.heading.encode()).hexdigest()[:8]
        return f"{_slug(self.heading)[:60].strip('-')}-{digest}"

    def to_json(self) -> dict[str, Any]:
        """The README's JSON schema: dataclass fields, datetimes as ISO 8601.

        Written out field by field: `dataclasses.asdict` deep-copies every value, and a
        generic walk over the values was still a fifth of a 10,000-session load.
        """
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in _DATETIME_FIELDS:
            if data[name] is not None:
                data[name] = data[name].isoformat()
        for name in _RECORD_LIST_FIELDS:
            data[name] = [_record(item) for item in data[name]]
        for name in _TEXT_LIST_FIELDS:
            data[name] = list(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Session:
        """Inverse of `to_json` (extra keys such as "file" are ignored)."""
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("starts_at", "ends_at"):
            if values.get(name):
                values[name] = datetime.fromisoformat(values[name])
        values["speakers"] = [Speaker(**s) for s in values.get("speakers", [])]
        for role in ("onsite_moderators", "online_moderators", "rapporteurs"):
            values[role] = [Person(**p) for p in values.get(role, [])]
        values["sdgs"] = [Sdg(**s) for s in values.get("sdgs", [])]
        return cls(**values)


_DATETIME_FIELDS = ("starts_at", "ends_at")
_RECORD_LIST_FIELDS = ("speakers", "onsite_moderators", "online_moderators", "rapporteurs", "sdgs")
_TEXT_LIST_FIELDS = (
    "policy_questions",
    "organizers",
    "targets",
    "key_takeaways",
    "calls_to_action",
)


def _record(item: Person | Speaker | Sdg) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
