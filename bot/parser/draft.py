"""The session as the reader fills it in, and the `Session` it finishes as."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain

from bot.models import Person, Sdg, Session
from bot.names import person_key
from bot.parser import dates, shapes
from bot.parser.dates import parse_schedule
from bot.parser.people import is_key_among, person_chunks
from bot.parser.shapes import split_enumerated
from bot.vocabulary import SDG_NAMES, canonical_type

_ON_TAIL = re.compile(r"\s+on\s+.*$")


@dataclass
class Draft:
    """A `Session` being read. `session` is filled in place; the text fields a page spreads over
    several lines gather them here, under `Session`'s names, until `to_session` joins them
    (`description`: one item a line, "" between paragraphs; `key_takeaways` and
    `calls_to_action`: the lines of each item)."""

    session: Session
    format_description: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    key_takeaways: list[list[str]] = field(default_factory=list)
    calls_to_action: list[list[str]] = field(default_factory=list)
    report: list[str] = field(default_factory=list)

    # -- people ---------------------------------------------------------------------------

    def is_known(self, key: str) -> bool:
        """Whether anyone on the page so far has this `person_key`."""
        s = self.session
        return is_key_among(
            key, chain(s.speakers, s.onsite_moderators, s.online_moderators, s.rapporteurs)
        )

    def add_person(self, slot: list[Person], text: str, *, known_elsewhere_ok: bool = True) -> None:
        """Add the person `text` names to `slot` (one of the session's lists) unless already
        there, or, without `known_elsewhere_ok`, unless anywhere on the page."""
        name, affiliation = person_chunks(text)
        if not name:
            return
        key = person_key(name)
        taken = is_key_among(key, slot) if known_elsewhere_ok else self.is_known(key)
        if not taken:
            slot.append(Person(name, affiliation))

    # -- other fields -----------------------------------------------------------------------

    def add_questions(self, text: str) -> None:
        if shapes.PQ_LABEL.match(text):
            return
        items = split_enumerated(text)
        enumerated = len(items) > 1 or shapes.is_enumerated(text)
        for item in items:
            # "• How …? • What …?": one question per bullet.
            parts = [p.strip() for p in item.split("•")] if "•" in item else [item]
            for part in parts:
                self.session.policy_questions.extend(_questions(part, enumerated))

    def add_targets(self, value: str) -> None:
        tokens = value.split()
        if tokens and all(shapes.TARGET_TOKEN.fullmatch(t) for t in tokens):
            self.session.targets.extend(tokens)
        elif value:
            self.session.targets.append(value)

    def set_schedule(self, line: str) -> None:
        session = self.session
        duration = dates.SCHEDULE_MINUTES.search(line)
        if duration:
            session.duration_minutes = int(duration.group(1))
        start, end = parse_schedule(line, session.year)
        session.starts_at, session.ends_at = start, end
        if session.year is None and start is not None:
            session.year = start.year
            session.event = session.event or f"IGF {session.year}"

    def set_fotigf(self, match: re.Match[str]) -> None:
        """From "10 December 2021 - A Workshop on … in Katowice" (`FOTIGF_DATE`)."""
        session = self.session
        session.year = session.year or int(match.group("y"))
        session.event = session.event or f"IGF {session.year}"
        kind = _ON_TAIL.sub("", match.group("type"))
        session.session_type = session.session_type or canonical_type(kind) or kind.strip()

    def set_format(self, line: str) -> None:
        """From a format line (`FORMAT_RE`): "Panel - 90 Min"."""
        match = shapes.FORMAT_RE.match(line)
        assert match is not None
        self.session.format = match.group("format").strip()
        self.session.duration_minutes = int(match.group("minutes"))

    # -- result -----------------------------------------------------------------------------

    def to_session(self) -> Session:
        """The finished `Session`: what the page implies filled in, the gathered lines joined."""
        session = self.session
        _imply_duration(session)
        _imply_sdgs(session)
        session.title = session.title.strip() or session.heading
        session.format_description = " ".join(self.format_description).strip() or None
        session.policy_questions = [q for q in session.policy_questions if q]
        session.description = paragraphs(self.description) or None
        session.organizers = [o for o in session.organizers if o]
        session.key_takeaways = [" ".join(p) for p in self.key_takeaways if p]
        session.calls_to_action = [" ".join(p) for p in self.calls_to_action if p]
        session.report = "\n".join(self.report).strip() or None
        return session


def _questions(text: str, enumerated: bool) -> list[str]:
    """A paragraph made only of questions ("How …? What …?") is one question per "?"; an
    enumerated item, a themed question ("Theme: How …? Why …?") or one with prose is one."""
    if text.count("?") < 2 or enumerated or shapes.THEMED_QUESTION.match(text):
        return [text]
    parts = shapes.AFTER_ANY_QUESTION.split(text)
    return parts if all(p.rstrip().endswith("?") for p in parts) else [text]


def _imply_duration(session: Session) -> None:
    if session.duration_minutes is None and session.starts_at and session.ends_at:
        session.duration_minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)


def _imply_sdgs(session: Session) -> None:
    """A target ("9.c") names its goal, which the page may not list itself."""
    sdg_numbers = {s.number for s in session.sdgs}
    for code in session.targets:
        goal = shapes.TARGET_CODE.match(code)
        if (
            goal
            and int(goal.group("goal")) in SDG_NAMES
            and int(goal.group("goal")) not in sdg_numbers
        ):
            number = int(goal.group("goal"))
            session.sdgs.append(Sdg(number, SDG_NAMES[number]))
            sdg_numbers.add(number)


_THREE_NEWLINES = re.compile(r"\n{3,}")


def paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _THREE_NEWLINES.sub("\n\n", text)
    return text.strip()
