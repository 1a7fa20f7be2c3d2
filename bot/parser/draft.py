"""The session as the reader fills it in, and the `Session` it finishes as."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from bot.models import Person, Sdg, Session, Speaker
from bot.names import person_key
from bot.parser.dates import SCHEDULE_MINUTES, parse_schedule
from bot.parser.lines import FORMAT_RE, PQ_LABEL, TARGET_CODE, TARGET_TOKEN, split_enumerated
from bot.parser.people import is_key_among, person_chunks
from bot.vocabulary import SDG_NAMES, canonical_type

_ON_TAIL = re.compile(r"\s+on\s+.*$")


@dataclass
class Draft:
    """`Session`'s fields under `Session`'s names; the text fields the page spreads over several
    lines gather those lines here (`description`, one per line, "" between paragraphs;
    `key_takeaways` and `calls_to_action`, one list of lines per item) until `to_session`."""

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
    onsite_moderators: list[Person] = field(default_factory=list)
    online_moderators: list[Person] = field(default_factory=list)
    rapporteurs: list[Person] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    key_takeaways: list[list[str]] = field(default_factory=list)
    calls_to_action: list[list[str]] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    source_url: str | None = None

    # -- people ---------------------------------------------------------------------------

    def is_known(self, key: str) -> bool:
        """Whether anyone on the page so far has this `person_key`."""
        return is_key_among(
            key,
            chain(self.speakers, self.onsite_moderators, self.online_moderators, self.rapporteurs),
        )

    def add_person(self, slot: list[Person], text: str, *, known_elsewhere_ok: bool = True) -> None:
        """Add the person `text` names to `slot` (one of this draft's lists) unless already there,
        or, without `known_elsewhere_ok`, unless anywhere on the page."""
        name, affiliation = person_chunks(text)
        if not name:
            return
        key = person_key(name)
        taken = is_key_among(key, slot) if known_elsewhere_ok else self.is_known(key)
        if not taken:
            slot.append(Person(name, affiliation))

    # -- other fields -----------------------------------------------------------------------

    def add_questions(self, text: str) -> None:
        if PQ_LABEL.match(text):
            return
        for question in split_enumerated(text):
            self.policy_questions.append(question)

    def add_targets(self, value: str) -> None:
        tokens = value.split()
        if tokens and all(TARGET_TOKEN.fullmatch(t) for t in tokens):
            self.targets.extend(tokens)
        elif value:
            self.targets.append(value)

    def set_schedule(self, line: str) -> None:
        duration = SCHEDULE_MINUTES.search(line)
        if duration:
            self.duration_minutes = int(duration.group(1))
        start, end = parse_schedule(line, self.year)
        self.starts_at, self.ends_at = start, end
        if self.year is None and start is not None:
            self.year = start.year
            self.event = self.event or f"IGF {self.year}"

    def set_fotigf(self, match: re.Match[str]) -> None:
        """From "10 December 2021 - A Workshop on … in Katowice" (`FOTIGF_DATE`)."""
        self.year = self.year or int(match.group("y"))
        self.event = self.event or f"IGF {self.year}"
        kind = _ON_TAIL.sub("", match.group("type"))
        self.session_type = self.session_type or canonical_type(kind) or kind.strip()

    def set_format(self, line: str) -> None:
        """From a format line (`FORMAT_RE`): "Panel - 90 Min"."""
        match = FORMAT_RE.match(line)
        assert match is not None
        self.format = match.group("format").strip()
        self.duration_minutes = int(match.group("minutes"))

    # -- result -----------------------------------------------------------------------------

    def to_session(self) -> Session:
        """The finished `Session`: what the page implies filled in, the gathered lines joined."""
        self._imply_duration()
        self._imply_sdgs()
        return Session(
            heading=self.heading,
            title=self.title.strip() or self.heading,
            event=self.event,
            year=self.year,
            session_type=self.session_type,
            number=self.number,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            room=self.room,
            format=self.format,
            duration_minutes=self.duration_minutes,
            format_description=" ".join(self.format_description).strip() or None,
            policy_questions=[q for q in self.policy_questions if q],
            description=paragraphs(self.description) or None,
            organizers=[o for o in self.organizers if o],
            speakers=self.speakers,
            onsite_moderators=self.onsite_moderators,
            online_moderators=self.online_moderators,
            rapporteurs=self.rapporteurs,
            sdgs=self.sdgs,
            targets=self.targets,
            key_takeaways=[" ".join(p) for p in self.key_takeaways if p],
            calls_to_action=[" ".join(p) for p in self.calls_to_action if p],
            report="\n".join(self.report).strip() or None,
            source_url=self.source_url,
        )

    def _imply_duration(self) -> None:
        if self.duration_minutes is None and self.starts_at and self.ends_at:
            self.duration_minutes = int((self.ends_at - self.starts_at).total_seconds() // 60)

    def _imply_sdgs(self) -> None:
        """A target ("9.c") names its goal, which the page may not list itself."""
        sdg_numbers = {s.number for s in self.sdgs}
        for code in self.targets:
            goal = TARGET_CODE.match(code)
            if (
                goal
                and int(goal.group("goal")) in SDG_NAMES
                and int(goal.group("goal")) not in sdg_numbers
            ):
                number = int(goal.group("goal"))
                self.sdgs.append(Sdg(number, SDG_NAMES[number]))
                sdg_numbers.add(number)


_THREE_NEWLINES = re.compile(r"\n{3,}")


def paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _THREE_NEWLINES.sub("\n\n", text)
    return text.strip()
