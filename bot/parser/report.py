"""What the admin should know about a parsed page: `Parsed`, the session with the people named
as its organisers and the page's warnings (fields a session page normally states but this one
lacks; text that looked like a date or a role but was not used)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from bot.models import Session
from bot.names import is_placeholder, person_key, strip_honorifics
from bot.parser.people import looks_like_name, person_chunks

if TYPE_CHECKING:
    from bot.parser.reader import PageReader


@dataclass
class Parsed:
    """One parsed page: the `Session`, the people named as its organisers (names as written;
    `Session.organizers` keeps the organiser lines), and warnings, one sentence each."""

    session: Session
    organizer_people: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Organiser lines whose head is one of these name a stakeholder group, not a person.
STAKEHOLDER_GROUPS = frozenset(
    {
        "civil society",
        "private sector",
        "government",
        "technical community",
        "intergovernmental organization",
        "intergovernmental organisation",
        "academia",
    }
)


# Regions as pages write them after the stakeholder group: the UN regional groups (with or
# without their acronym in brackets), their acronyms, and continents.
_REGION = re.compile(
    r"^(?:(?:african|asia[- ]pacific|eastern european|western european and others|"
    r"latin american and caribbean)\s+group(?:\s+region)?(?:\s*\((?:grulac|weog)\))?|"
    r"grulac|weog|lac|africa|asia|asia[- ]pacific|europe|eastern europe|western europe|"
    r"latin america(?: and (?:the )?caribbean)?|north america|middle east|oceania|arab states)$",
    re.IGNORECASE,
)


class AffiliationParts(NamedTuple):
    organization: str | None
    stakeholder_group: str | None
    region: str | None


@lru_cache(maxsize=16384)
def affiliation_parts(affiliation: str | None) -> AffiliationParts:
    """An affiliation's organisation, stakeholder group and region, as written: "Civil
    Society, Asia-Pacific Group" is a group and a region and no organisation; "ICC, Private
    Sector" is the organisation "ICC" of the group "Private Sector". Parts of one kind are
    kept in page order, joined by ", "."""
    if not affiliation:
        return AffiliationParts(None, None, None)
    kinds: tuple[list[str], list[str], list[str]] = ([], [], [])
    for part in affiliation.split(","):
        text = part.strip(" ;")
        if not text:
            continue
        if _group_key(text) in _GROUP_KEYS:
            kinds[1].append(text)
        elif _REGION.match(text):
            kinds[2].append(text)
        else:
            kinds[0].append(text)
    return AffiliationParts(*(", ".join(found) or None for found in kinds))


def _group_key(text: str) -> str:
    return " ".join(text.casefold().replace("-", "").split())


_GROUP_KEYS = frozenset(_group_key(g) for g in STAKEHOLDER_GROUPS)


def parsed_from(session: Session, reader: PageReader) -> Parsed:
    named = [*reader.organizer_people, *numbered_organizers(reader.lines, session.organizers)]
    people = organizer_people(session.organizers, named)
    return Parsed(session, people, [*reader.warnings, *missing_fields(session)])


def organizer_people(lines: list[str], named: list[str]) -> list[str]:
    """The people among the organiser lines ("Timea Suto, ICC BASIS"), then those a role label
    named as organisers, each once."""
    heads = (strip_honorifics(line.split(",")[0].strip(" ,")) for line in lines)
    found = [h for h in heads if h.casefold() not in STAKEHOLDER_GROUPS and _is_person(h)]
    people: list[str] = []
    seen: set[str] = set()
    for name in [*found, *named]:
        key = person_key(name)
        if key and key not in seen and not is_placeholder(name):
            seen.add(key)
            people.append(name)
    return people


_NUMBERED_ITEM = re.compile(r"(?:^|\s)\d{1,2}\.\s+")
# Longer heads of a run-on item run into the affiliation ("June Parris Women In Internet …").
_MAX_NAME_WORDS = 4


def numbered_organizers(lines: list[str], organizers: list[str]) -> list[str]:
    """The people of a numbered run-on list ("1. Ann Lee, Org 2. Bob Ray 3. …") on the line
    right under an organiser line: the heads that are a name of at most four words."""
    if not organizers:
        return []
    shown = set(organizers)
    people: list[str] = []
    for above, line in itertools.pairwise(lines):
        # The cheap test first: few lines start a numbered list, every line has one above.
        if not line.startswith("1. ") or " 2. " not in line or above.strip() not in shown:
            continue
        for item in _NUMBERED_ITEM.split(line):
            name = strip_honorifics(person_chunks(item)[0]) if item.strip() else ""
            if name and len(name.split()) <= _MAX_NAME_WORDS and _is_person(name):
                people.append(name)
    return people


def _is_person(head: str) -> bool:
    words = head.split()
    # "IEEE SA": capitals with a short word are an acronym, not a name in capitals.
    if all(w.isupper() for w in words) and any(len(w) <= 3 for w in words):
        return False
    return looks_like_name(head)


def missing_fields(session: Session) -> list[str]:
    """What a session page normally states and this one does not."""
    missing = [
        ("title", not session.title or (session.title == session.heading and not session.year)),
        ("year", session.year is None),
        ("session type", session.session_type is None),
        ("date and time", session.starts_at is None),
        ("room", session.room is None),
        (
            "speakers or moderators",
            not (session.speakers or session.onsite_moderators or session.online_moderators),
        ),
    ]
    return [f"no {name} found on the page" for name, lacking in missing if lacking]
