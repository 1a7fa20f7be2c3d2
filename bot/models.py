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


# ------------------------------------------------------------ records the store returns


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """The columns lists and pickers need; the full record is `Store.session(id)`."""

    id: int
    key: str
    heading: str
    title: str
    event: str | None
    year: int | None
    session_type: str | None
    number: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    room: str | None

    @property
    def reference(self) -> str | None:
        """ "Open Forum #5", like `Session.reference`."""
        if self.session_type and self.number is not None:
            return f"{self.session_type} #{self.number}"
        return None


@dataclass(frozen=True, slots=True)
class PersonSummary:
    id: int
    key: str
    name: str
    session_count: int


@dataclass(frozen=True, slots=True)
class PersonRole:
    """One role of a person. `affiliation` is as the page wrote it; `organization`,
    `stakeholder_group` and `region` are its parts ("Civil Society, Asia-Pacific Group" is a
    group and a region, no organisation)."""

    session: SessionSummary
    role: str
    affiliation: str | None
    segment: str | None
    note: str | None
    organization: str | None = None
    stakeholder_group: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """A person with every role they had; roles newest session first. `organizations` and
    `groups` (stakeholder groups, then regions) are each seen once, in role order;
    `possibly_same` names people whose name is this one in another order and who share an
    organisation with them ("Zhang Xiao" / "Xiao Zhang"): shown, never merged."""

    id: int
    key: str
    name: str
    organizations: list[str]
    roles: list[PersonRole]
    groups: list[str] = field(default_factory=list)
    possibly_same: list[str] = field(default_factory=list)


# Control characters that never occur in stored text (the parser drops them).
MATCH_START = "\x02"
MATCH_END = "\x03"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text hit; ``rank`` is ``-bm25`` (higher is more relevant). ``snippet`` is plain
    text with each match between MATCH_START and MATCH_END; rendering makes it markdown."""

    session: SessionSummary
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class Counts:
    sessions: int
    people: int
    takeaways: int
    calls_to_action: int
    years: list[int]


@dataclass(frozen=True, slots=True)
class FileChange:
    source_file: str
    key: str
    title: str


@dataclass(frozen=True, slots=True)
class ApplyResult:
    added: list[FileChange]
    updated: list[FileChange]
    removed: list[FileChange]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    channel_id: int | None = None
    post_time: str = "09:00"
    timezone: str = "UTC"
    enabled: bool = False
    updated_at: str | None = None
