"""Sessions made into table rows (and rows back into summaries), and session key allocation.

`prepare_session` is pure: the loader runs it in its parser worker processes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from bot.models import Person, Session, SessionSummary, Speaker
from bot.names import is_placeholder, person_key, strip_honorifics
from bot.parser.report import affiliation_parts

_ROLES: tuple[tuple[str, str], ...] = (
    ("speaker", "speakers"),
    ("onsite_moderator", "onsite_moderators"),
    ("online_moderator", "online_moderators"),
    ("rapporteur", "rapporteurs"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every byte but those of `_CONTROL_RE`: UTF-8 writes each of them as that one byte, and no other
# character as a byte below 0x80.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL_RE.match(chr(b)))
# `json.dumps(record, ensure_ascii=False)` builds this encoder on every call.
_JSON = json.JSONEncoder(ensure_ascii=False)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def utc_iso(value: datetime | None) -> str | None:
    """Fixed-width UTC ISO text, so text order is time order. Naive times are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def summary_from_row(row: sqlite3.Row) -> SessionSummary:
    """A `session_summaries` row (or any row with its columns) as a `SessionSummary`."""
    return SessionSummary(
        id=row["id"],
        key=row["key"],
        heading=row["heading"],
        title=row["title"],
        event=row["event"],
        year=row["year"],
        session_type=row["session_type"],
        number=row["number"],
        starts_at=_parse_dt(row["starts_at"]),
        ends_at=_parse_dt(row["ends_at"]),
        room=row["room"],
    )


def _fts_text(values: Iterable[str | None]) -> str:
    text = "\n".join(v for v in values if v)
    # Pages seldom hold control characters, and finding none with bytes.translate takes a third
    # of the time `_CONTROL_RE` takes (a page's six texts: 6 µs against 18).
    if text.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL_BYTES):
        return _CONTROL_RE.sub(" ", text)
    return text


@dataclass(slots=True)
class Existing:
    id: int
    key: str
    title: str


class Profile(NamedTuple):
    """How much one version of a session holds: to tell a degraded update (see
    `bot.loader.losses`) and the richer of two files of one session (see `richer`).

    Computed from the record's JSON (`Session.to_json`) here for a parsed document and in
    SQL (`PROFILE_COLUMNS`) for a stored one; the two must agree.
    """

    takeaways: int
    calls_to_action: int
    people: int  # speakers, moderators and rapporteurs
    report: int  # characters
    text: int  # characters of the whole record's JSON
    filled: int  # fields with a value (not null, "" or [])


_PEOPLE_FIELDS = ("speakers", "onsite_moderators", "online_moderators", "rapporteurs")

# The same Profile, of a stored `sessions` row.
PROFILE_COLUMNS = """
    json_array_length(data, '$.key_takeaways'),
    json_array_length(data, '$.calls_to_action'),
    json_array_length(data, '$.speakers') + json_array_length(data, '$.onsite_moderators')
        + json_array_length(data, '$.online_moderators')
        + json_array_length(data, '$.rapporteurs'),
    COALESCE(length(json_extract(data, '$.report')), 0),
    length(data),
    (SELECT COUNT(*) FROM json_each(data) AS f WHERE f.type != 'null'
        AND NOT (f.type = 'array' AND f.value = '[]') AND NOT (f.type = 'text' AND f.value = ''))
"""


def profile_of(record: dict[str, Any], text: str) -> Profile:
    """The profile of a record (`Session.to_json()`) whose JSON text is `text`."""
    return Profile(
        takeaways=len(record["key_takeaways"]),
        calls_to_action=len(record["calls_to_action"]),
        people=sum(len(record[name]) for name in _PEOPLE_FIELDS),
        report=len(record["report"] or ""),
        text=len(text),
        # A record's values are text, numbers, lists or None: those not null, "" or [] are true
        # or 0 (twice as fast as comparing each with null, "" and []).
        filled=sum(1 for value in record.values() if value or value == 0),
    )


def richer(a: Profile, b: Profile) -> bool:
    """Whether `a` is a richer record than `b`: more fields filled, then more text."""
    return (a.filled, a.text) > (b.filled, b.text)


@dataclass(slots=True)
class PreparedSession:
    """One session turned into rows, without session id or key (assigned in the transaction).

    Built by `prepare_session` away from the event loop: `Session.to_json`, name folding and
    FTS text are ~0.3 ms a session. The loader builds them in its parser worker processes,
    so that a full load's main process only writes.
    """

    source_file: str
    title: str
    session_key: str
    params: dict[str, Any]  # the sessions row
    people: list[tuple[str, str]]  # (person key, display name)
    # (person key, role, position, name, affiliation, segment, note, organization,
    # stakeholder group, region)
    session_people: list[tuple[Any, ...]]
    warnings: list[str]  # the parser's, for `load --verbose`
    organizers: list[tuple[Any, ...]]
    sdgs: list[tuple[Any, ...]]
    takeaways: list[tuple[Any, ...]]
    calls_to_action: list[tuple[Any, ...]]
    fts: tuple[Any, ...]
    profile: Profile

    @property
    def referenced(self) -> bool:
        """Whether the key comes from the session's reference (year, type, number): then
        two files with this key are two copies of one session."""
        params = self.params
        return bool(params["year"] and params["session_type"] and params["number"] is not None)

    def __reduce__(self) -> tuple[type[PreparedSession], tuple[Any, ...]]:
        # Worker processes send these to the main process. A slotted dataclass pickles
        # through Python-level __getstate__/__setstate__: 0.84 s out and 1.6 s in for
        # 10,000 sessions, against 0.40 s and 0.68 s as plain constructor arguments.
        return PreparedSession, tuple(getattr(self, name) for name in _PREPARED_FIELDS)


_PREPARED_FIELDS = tuple(f.name for f in fields(PreparedSession))


def prepare_session(
    source_file: str,
    content_hash: str,
    session: Session,
    organizer_people: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> PreparedSession:
    """`session` as rows; `organizer_people` (`Parsed.organizer_people`) get role rows too."""
    session_people: list[tuple[Any, ...]] = []
    for role, attribute in _ROLES:
        entries: list[Person] | list[Speaker] = getattr(session, attribute)
        for position, entry in enumerate(entries):
            segment, note = getattr(entry, "segment", None), getattr(entry, "note", None)
            _add_role(session_people, role, position, entry.name, entry.affiliation, segment, note)
    for position, name in enumerate(organizer_people):
        affiliation = organizer_affiliation(name, session.organizers)
        _add_role(session_people, "organizer", position, name, affiliation, None, None)
    record = session.to_json()
    params = _session_params(source_file, content_hash, session, record)
    return PreparedSession(
        source_file=source_file,
        title=session.title,
        session_key=session.key,
        params=params,
        people=[(row[0], row[3]) for row in session_people],
        session_people=session_people,
        warnings=list(warnings),
        organizers=list(enumerate(session.organizers)),
        sdgs=[(g.number, g.name) for g in session.sdgs],
        takeaways=list(enumerate(session.key_takeaways)),
        calls_to_action=list(enumerate(session.calls_to_action)),
        fts=fts_columns(session),
        profile=profile_of(record, params["data"]),
    )


def _add_role(
    rows: list[tuple[Any, ...]],
    role: str,
    position: int,
    name: str,
    affiliation: str | None,
    segment: str | None,
    note: str | None,
) -> None:
    columns = _person_columns(name, affiliation)
    if columns is not None:
        key, display, organization, group, region = columns
        rows.append(
            (key, role, position, display, affiliation, segment, note, organization, group, region)
        )


# One cached call a person instead of four: a person recurs on page after page, mostly with the
# same affiliation, and each look-up in a cache this large is likely a CPU cache miss. It runs
# no fewer instructions, but took prepare_session from 152 to 138 µs a page. Its values are
# plain tuples of strings, which the garbage collector stops tracking (a named tuple in them
# would keep each of the cache's entries in every full collection).
@lru_cache(maxsize=65536)
def _person_columns(name: str, affiliation: str | None) -> tuple[str | None, ...] | None:
    """The person key, display name, organisation, stakeholder group and region of a person's
    role row; None for a name of punctuation only or a placeholder ("TBD", "Delegate from …"),
    which stays in `data` (the card shows the slot as written) but is not a person."""
    key = person_key(name)
    if not key or is_placeholder(name):
        return None
    return (key, strip_honorifics(name), *affiliation_parts(affiliation))


def organizer_affiliation(name: str, lines: Sequence[str]) -> str | None:
    """What follows `name` on the organiser line that starts with it ("Timea Suto, ICC BASIS"
    -> "ICC BASIS"), or None."""
    for line in lines:
        head, _, rest = line.partition(",")
        if rest.strip() and strip_honorifics(head.strip()) == name:
            return rest.strip(" ,") or None
    return None


@dataclass(slots=True)
class ChildRows:
    """Child rows of the sessions written by one `apply`, inserted with executemany."""

    people: dict[str, str]  # person key -> a display name (placeholder until renamed)
    session_people: list[tuple[Any, ...]]
    organizers: list[tuple[Any, ...]]
    sdgs: list[tuple[Any, ...]]
    takeaways: list[tuple[Any, ...]]
    calls_to_action: list[tuple[Any, ...]]
    fts: list[tuple[Any, ...]]

    @classmethod
    def empty(cls) -> ChildRows:
        return cls({}, [], [], [], [], [], [])

    def add(self, session_id: int, prepared: PreparedSession) -> None:
        for key, display in prepared.people:
            self.people.setdefault(key, display)
        # session_people keeps the person key until people are inserted and have ids.
        self.session_people += [(session_id, *row) for row in prepared.session_people]
        self.organizers += [(session_id, *row) for row in prepared.organizers]
        self.sdgs += [(session_id, *row) for row in prepared.sdgs]
        self.takeaways += [(session_id, *row) for row in prepared.takeaways]
        self.calls_to_action += [(session_id, *row) for row in prepared.calls_to_action]
        self.fts.append((session_id, *prepared.fts))


def fts_columns(session: Session) -> tuple[str, ...]:
    people: list[Person | Speaker] = [
        *session.speakers,
        *session.onsite_moderators,
        *session.online_moderators,
        *session.rapporteurs,
    ]
    return (
        _fts_text([session.title]),
        _fts_text(
            [
                session.description,
                *session.policy_questions,
                session.format,
                session.format_description,
                session.room,
                *(sdg.name for sdg in session.sdgs),
            ]
        ),
        _fts_text(session.key_takeaways),
        _fts_text(session.calls_to_action),
        _fts_text([session.report]),
        _fts_text([*(f"{p.name} {p.affiliation or ''}" for p in people), *session.organizers]),
    )


def _session_params(
    source_file: str, content_hash: str, session: Session, record: dict[str, Any]
) -> dict[str, Any]:
    starts_at = utc_iso(session.starts_at)
    return {
        "source_file": source_file,
        "content_hash": content_hash,
        "heading": session.heading,
        "title": session.title,
        "event": session.event,
        "year": session.year,
        "session_type": session.session_type,
        "number": session.number,
        "starts_at": starts_at,
        "ends_at": utc_iso(session.ends_at),
        "start_day": starts_at[:10] if starts_at else None,
        "room": session.room,
        "format": session.format,
        "duration_minutes": session.duration_minutes,
        "format_description": session.format_description,
        "source_url": session.source_url,
        "data": _JSON.encode(record),
        "now": now_iso(),
    }


class KeyAllocator:
    """Unique session keys within one load: a duplicate `Session.key` gets -2, -3, …"""

    def __init__(self, owners: dict[str, int]) -> None:
        self._owners = owners  # key -> session id

    def release(self, key: str) -> None:
        self._owners.pop(key, None)

    def claim(self, base: str, current: str | None, owner: int | None) -> str:
        # Keep an existing key that still derives from the same base: keys must stay stable
        # (digests remember featured keys), even if a lower suffix became free.
        if (
            current is not None
            and re.fullmatch(re.escape(base) + r"(?:-\d+)?", current)
            and self._owners.get(current) in (None, owner)
        ):
            return current
        candidate, n = base, 1
        while self._owners.get(candidate) not in (None, owner):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def owner(self, key: str) -> int | None:
        """The id of the session that holds `key`, if any."""
        return self._owners.get(key)

    def bind(self, key: str, owner: int) -> None:
        self._owners[key] = owner
