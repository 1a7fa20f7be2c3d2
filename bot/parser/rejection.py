"""What is not one session's page, with a reason a person can act on: raw transcripts,
third-party reports, calls for proposals, lists of sessions, and text with no session structure."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from bot.parser import dates, heading, shapes
from bot.parser.cleaning import is_boilerplate
from bot.parser.dates import is_schedule_line
from bot.parser.errors import ParseError
from bot.parser.heading import heading_from_url
from bot.parser.shapes import label_of
from bot.vocabulary import TYPE_PATTERN

_SCHEDULE_RANGE = re.compile(r"\b\d{1,2}:\d{2}\s*(?:[ap]m)?\s*[-–]\s*\d{1,2}:\d{2}", re.IGNORECASE)

_CALL_FOR = re.compile(r"\bcall for\b", re.IGNORECASE)

_TRANSCRIPT_LINE = "full session transcript"

_LIST_LINE = "view all dates"

_MARKER_LINE_MAX_LEN = max(len(_TRANSCRIPT_LINE), len(_LIST_LINE))

_THIRD_PARTY_NOTE = "not an official record"

_CAPTIONING = "captioning"

# The characters beyond ASCII whose casefold() holds an ASCII letter ("ß" -> "ss", "ﬁ" -> "fi"),
# per the Unicode data of Python 3.11.
_FOLDS_TO_ASCII = (
    "\u00df\u0130\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u212a"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
)


def _phrases_in_casefold(text: str, phrases: tuple[str, ...]) -> set[str]:
    """The lower-case ASCII `phrases` that `text.casefold()` contains, found without casefolding
    the whole text when possible: casefold() is slow on long non-ASCII text."""
    if any(char in text for char in _FOLDS_TO_ASCII):
        folded = text.casefold()
        return {phrase for phrase in phrases if phrase in folded}
    # Then only ASCII letters fold to ASCII, one to one, as bytes.lower() folds them; UTF-8 writes
    # every other character with bytes above 0x7F, which no phrase holds.
    data = text.encode("utf-8", "surrogatepass").lower()
    return {phrase for phrase in phrases if phrase.encode("ascii") in data}


_CAPTION_NOTE = re.compile(
    r"output of the (?:real-time )?captioning|outputs of the captioning", re.I
)


def reject_non_sessions(lines: list[str], url: str | None, source: str | None) -> None:
    content = [line for line in lines if line]
    text = "\n".join(content)
    phrases = _phrases_in_casefold(text, (_THIRD_PARTY_NOTE, _CAPTIONING))
    # casefold never shortens a string: only short lines can fold to a marker line.
    folded = {line.casefold() for line in content if len(line) <= _MARKER_LINE_MAX_LEN}
    first_line = next((line for line in content if not is_boilerplate(line)), "")
    path = urlparse(url).path if url else ""

    def reject(reason: str) -> None:
        raise ParseError(reason, source=source)

    if "/transcript/" in path or _TRANSCRIPT_LINE in folded:
        reject("a raw session transcript, not a session page")
    if _THIRD_PARTY_NOTE in phrases:
        reject("a third-party report about a session, not an official IGF session page")
    # Only ASCII letters match "call for" under re.I, so the lower() test is a safe first filter.
    if "call for" in first_line.lower() and _CALL_FOR.search(first_line):
        reject("a call for proposals, not a session page")
    if _LIST_LINE in folded or _looks_like_session_list(content):
        reject("a list of several sessions, not one session page")
    transcript_turns = sum(1 for line in content if line.startswith(">>")) if ">>" in text else 0
    if (_CAPTIONING in phrases and _CAPTION_NOTE.search(text)) or transcript_turns >= 3:
        before = content[
            : next(
                (
                    i
                    for i, line in enumerate(content)
                    if _CAPTION_NOTE.search(line) or line.startswith(">>")
                ),
                len(content),
            )
        ]
        if not any(is_schedule_line(line) or dates.FOTIGF_DATE.match(line) for line in before):
            reject("a raw session transcript, not a session page")
    if not _has_session_signal(content) and not heading_from_url(url):
        reject(
            "no session structure found: no IGF heading, schedule, format, "
            "organizers, speakers or moderators"
        )


def _looks_like_session_list(content: list[str]) -> bool:
    # A schedule listing repeats "Weekday Month Day, Year HH:MM - HH:MM" for each session.
    # `CLOCK` is a cheap first filter: every range holds ":" and two digits.
    ranges = {
        line
        for line in content
        if ":" in line
        and dates.CLOCK.search(line)
        and _SCHEDULE_RANGE.search(line)
        and _YEAR.search(line)
    }
    if len(ranges) < 2:
        return False
    refs = {m.group(0) for line in content for m in _LIST_REFERENCE.finditer(line)}
    return bool(refs) or len(ranges) >= 3


_YEAR = re.compile(r"\d{4}")

_LIST_REFERENCE = re.compile(r"\b(?:WS|OF|LT|TH)\s*#\s*\d+")


def _has_session_signal(content: list[str]) -> bool:
    for line in content[:400]:
        if (
            heading.HEADING_RE.match(line)
            or is_schedule_line(line)
            or dates.FOTIGF_DATE.match(line)
        ):
            return True
        if shapes.FORMAT_RE.match(line) or _DURATION_LABEL.match(line):
            return True
        if _PEOPLE_LABEL.match(line):
            return True
        if label_of(line) in {"onsite", "online", "rapporteur", "organizers", "speakers"}:
            return True
        if _TYPE_LABEL.match(line):
            return True
    return False


_DURATION_LABEL = re.compile(r"^Duration \(minutes\)", re.I)

_PEOPLE_LABEL = re.compile(r"^(?:Organizer|Speaker)\s*\d*\s*:", re.I)

_TYPE_LABEL = re.compile(rf"^(?:{TYPE_PATTERN})\b.*:", re.I)
