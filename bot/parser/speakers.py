"""The speakers a page lists, in its order, each with the programme segment they speak in."""

from __future__ import annotations

import re

from bot.models import Speaker
from bot.parser import shapes
from bot.parser.draft import Draft
from bot.parser.people import bulleted_person, labelled_speaker_fields, speaker_fields

_BULLETS = frozenset("•·*▪")

_MODERATOR_TAIL = re.compile(r"\s*[,(–-]\s*(?:session\s+)?moderator\)?$", re.IGNORECASE)


class SpeakerList:
    """Adds speakers to a draft; a segment line ("Keynote Speech", "2. Panel (30 min)") names
    the segment of the speakers after it."""

    def __init__(self, draft: Draft):
        self.draft = draft
        self.segment: str | None = None
        self.pending_segment: str | None = None  # named by a segment line, no speaker yet

    def add(self, text: str, *, labelled: bool = False) -> None:
        """The speaker `text` names, unless it names nobody or someone already on the page;
        `labelled`: `text` follows a speaker label."""
        if text[:1] in _BULLETS:
            text = bulleted_person(text)
        if text.endswith(("Moderator", "moderator")) and _MODERATOR_TAIL.search(text):
            # "Name, Organisation, Moderator" among the speakers is the moderator.
            self.draft.add_person(
                self.draft.session.onsite_moderators, _MODERATOR_TAIL.sub("", text)
            )
            return
        fields = speaker_fields(text)
        if fields is None and labelled:
            fields = labelled_speaker_fields(text)
        if fields is None or self.draft.is_known(fields[3]):
            return
        name, affiliation, note, _ = fields
        if self.pending_segment:
            self.segment, self.pending_segment = self.pending_segment, None
        self.draft.session.speakers.append(Speaker(name, affiliation, self.segment, note))

    def extend_last(self, line: str) -> None:
        """`line` continues the affiliation of the last speaker."""
        speakers = self.draft.session.speakers
        last = speakers[-1]
        extra = line.strip(" .")
        affiliation = f"{last.affiliation.rstrip(' .')}; {extra}" if last.affiliation else extra
        speakers[-1] = Speaker(last.name, affiliation.strip(" ."), last.segment, last.note)

    def open_segment(self, line: str) -> None:
        segment = shapes.NUMBER_PREFIX.sub("", line)
        segment = shapes.MINUTES_SUFFIX.sub("", segment).strip()
        speakers = self.draft.session.speakers
        # "Xu Feng, …" then "Keynote Speech" then "Topic 1: …": a segment line that no speaker
        # followed names what the speaker above it does.
        if self.pending_segment and speakers and speakers[-1].segment is None:
            last = speakers[-1]
            speakers[-1] = Speaker(last.name, last.affiliation, self.pending_segment, last.note)
        self.pending_segment = segment
        self.segment = None
