"""Sessions out of the bot: a JSON array (the README's schema) and a spreadsheet-friendly CSV.

Pure functions from `Session` lists to bytes and back, so the export command, the tests and a
re-import all share one definition of the formats.

* JSON is an array of `Session.to_json()` objects, pretty-printed, UTF-8, non-ASCII kept as is;
  `sessions_from_json` is its exact inverse (datetimes included).
* CSV has one row per session and the columns in `CSV_COLUMNS`. It is UTF-8 with a byte order
  mark, so Excel shows accents, and lists are joined with `LIST_SEPARATOR`. Any cell a
  spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return) is prefixed with an apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from bot.models import Person, Sdg, Session, Speaker

LIST_SEPARATOR = " | "

CSV_COLUMNS: tuple[str, ...] = (
    "key",
    "reference",
    "event",
    "year",
    "session_type",
    "number",
    "title",
    "heading",
    "starts_at",
    "ends_at",
    "room",
    "format",
    "duration_minutes",
    "organizers",
    "speakers",
    "onsite_moderators",
    "online_moderators",
    "rapporteurs",
    "sdgs",
    "targets",
    "key_takeaways",
    "calls_to_action",
    "policy_questions",
    "description",
    "report",
    "source_url",
)

# OWASP's list, plus the full-width forms some spreadsheet locales also evaluate.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_BOM = "\ufeff"

_T = TypeVar("_T")


# --------------------------------------------------------------------------------------------
# JSON


def sessions_to_json(sessions: list[Session]) -> bytes:
    """A pretty UTF-8 JSON array of `session.to_json()` objects, in the order given."""
    data = [session.to_json() for session in sessions]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sessions_from_json(data: bytes) -> list[Session]:
    """Inverse of `sessions_to_json`; raises `ValueError` when the bytes are not such an array."""
    try:
        loaded: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a JSON export: {exc}") from None
    if not isinstance(loaded, list):
        raise ValueError("not a JSON export: expected an array of sessions")
    sessions = []
    for index, item in enumerate(loaded):
        if not isinstance(item, dict):
            raise ValueError(f"not a JSON export: item {index} is not an object")
        try:
            sessions.append(Session.from_json(item))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a JSON export: item {index}: {exc}") from None
    return sessions


# --------------------------------------------------------------------------------------------
# CSV


def sessions_to_csv(sessions: list[Session]) -> bytes:
    """One row per session under a `CSV_COLUMNS` header; UTF-8 with BOM, formula-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for session in sessions:
        row = _csv_row(session)
        writer.writerow([_neutralise(row[column]) for column in CSV_COLUMNS])
    return (_BOM + buffer.getvalue()).encode("utf-8")


def sessions_from_csv(data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV export as dicts, cells exactly as written (guard apostrophes kept).

    Missing cells read as ""; cells beyond the header are ignored.
    """
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), restval="")
    return [{k: v for k, v in row.items() if k is not None} for row in reader]


def _csv_row(session: Session) -> dict[str, str]:
    return {
        "key": session.key,
        "reference": _text(session.reference),
        "event": _text(session.event),
        "year": _text(session.year),
        "session_type": _text(session.session_type),
        "number": _text(session.number),
        "title": session.title,
        "heading": session.heading,
        "starts_at": session.starts_at.isoformat() if session.starts_at else "",
        "ends_at": session.ends_at.isoformat() if session.ends_at else "",
        "room": _text(session.room),
        "format": _text(session.format),
        "duration_minutes": _text(session.duration_minutes),
        "organizers": _joined(session.organizers, str),
        "speakers": _joined(session.speakers, _person),
        "onsite_moderators": _joined(session.onsite_moderators, _person),
        "online_moderators": _joined(session.online_moderators, _person),
        "rapporteurs": _joined(session.rapporteurs, _person),
        "sdgs": _joined(session.sdgs, _sdg),
        "targets": _joined(session.targets, str),
        "key_takeaways": _joined(session.key_takeaways, str),
        "calls_to_action": _joined(session.calls_to_action, str),
        "policy_questions": _joined(session.policy_questions, str),
        "description": _text(session.description),
        "report": _text(session.report),
        "source_url": _text(session.source_url),
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _joined(items: Iterable[_T], render: Callable[[_T], str]) -> str:
    return LIST_SEPARATOR.join(render(item) for item in items)


def _person(person: Person | Speaker) -> str:
    """ "Name (Affiliation)", or just the name when the page gives no affiliation."""
    return f"{person.name} ({person.affiliation})" if person.affiliation else person.name


def _sdg(sdg: Sdg) -> str:
    """ "9 Industry, Innovation and Infrastructure", or just "9" without a name."""
    return f"{sdg.number} {sdg.name}" if sdg.name else str(sdg.number)


def _neutralise(cell: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would otherwise evaluate as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


# The export formats by name: `python -m bot export --format` and `/export` offer these only.
EXPORT_FORMATS: dict[str, Callable[[list[Session]], bytes]] = {
    "json": sessions_to_json,
    "csv": sessions_to_csv,
}
