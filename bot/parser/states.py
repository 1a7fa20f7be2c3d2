"""The page reader's states (`State`, described in `bot.parser.reader`) and the state each kind
of explicit label opens."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """What the lines being read belong to."""

    TOP = "top"
    SCHEDULE = "schedule"
    ROOM = "room"
    POLICY_QUESTIONS = "policy_questions"
    DESCRIPTION = "description"
    ORGANIZERS = "organizers"
    SPEAKERS = "speakers"
    NUMBERED_SPEAKERS = "numbered_speakers"
    ONSITE = "onsite"
    ONLINE = "online"
    RAPPORTEUR = "rapporteur"
    ORG_BLOCK = "org_block"
    ORG_PEOPLE_DONE = "org_people_done"
    SPEAKERS_BLOCK = "speakers_block"
    FORMAT = "format"
    FORMAT_DESCRIPTION = "format_description"
    AFTER_FORMAT = "after_format"
    AFTER_PEOPLE = "after_people"
    SDGS = "sdgs"
    TARGETS = "targets"
    TAKEAWAYS = "takeaways"
    CALLS = "calls"
    REPORT = "report"
    SKIP = "skip"


# The state each kind of explicit label (`bot.parser.shapes.label_of`) opens.
LABEL_STATES: dict[str, State] = {
    "schedule": State.SCHEDULE,
    "room": State.ROOM,
    "pq": State.POLICY_QUESTIONS,
    "description": State.DESCRIPTION,
    "organizers": State.ORGANIZERS,
    "speakers": State.SPEAKERS,
    "add_speakers": State.SPEAKERS,
    "onsite": State.ONSITE,
    "online": State.ONLINE,
    "rapporteur": State.RAPPORTEUR,
    "format": State.FORMAT,
    "sdgs": State.SDGS,
    "takeaways": State.TAKEAWAYS,
    "calls": State.CALLS,
    "report": State.REPORT,
    "skip": State.SKIP,
}

# IGF's template orders these: moderator, online moderator, rapporteur.
TEMPLATE_SLOTS = (State.ONSITE, State.ONLINE, State.RAPPORTEUR)
