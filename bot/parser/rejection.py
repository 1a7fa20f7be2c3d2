"""What is not one session's page, with a reason a person can act on: server warnings, raw
transcripts, third-party reports (a note, a reporting site, its sections), calls for proposals,
MAG meeting and open-consultation pages, lists of sessions (a schedule listing, several session
headings, a theme page), and text with no session structure."""

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


# PHP's own messages, which some archive pages hold instead of their content.
_SERVER_WARNING = re.compile(
    r"^(?:Deprecated|Warning|Notice|Strict Standards|Fatal error|Parse error):\s.*\bon line\s+\d+",
    re.IGNORECASE,
)


def _is_server_warnings(content: list[str]) -> bool:
    """A page made (at least half) of PHP's "Deprecated: … on line 1946" lines."""
    if not content or ": " not in content[0][:20]:
        return False
    warnings = sum(1 for line in content[:200] if _SERVER_WARNING.match(line))
    return warnings * 2 >= min(len(content), 200)


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

    if _is_server_warnings(content):
        reject("server warnings (PHP errors) instead of a page: fetch it again")
    if "/transcript/" in path or _TRANSCRIPT_LINE in folded:
        reject("a raw session transcript, not a session page")
    host = urlparse(url).netloc.casefold() if url else ""
    if _THIRD_PARTY_NOTE in phrases or _is_third_party(host, folded):
        reject("a third-party report about a session, not an official IGF session page")
    # Only ASCII letters match "call for" under re.I, so the lower() test is a safe first filter.
    lowered = first_line.lower()
    if "call for" in lowered and _CALL_FOR.search(first_line):
        reject("a call for proposals, not a session page")
    if any(hint in lowered for hint in _MEETING_HINTS) and _MEETING_PAGE.search(first_line):
        reject("a MAG meeting or open-consultation page, not a session page")
    if _LIST_LINE in folded or _is_filtered_list(path, text) or _looks_like_session_list(content):
        reject("a list of several sessions, not one session page")
    # A page that opens with one session's heading is that session's page.
    if not _LISTED_HEADING.match(first_line) and _several_headings(content, text):
        if "theme" in path.casefold() or _THEME_LINE.match(first_line):
            reject("a theme page (a list of themes' sessions), not one session page")
        reject("a list of several sessions (several session headings), not one session page")
    # ">" first: one character is found ten times faster than two (7 µs of a page's 50).
    has_turns = ">" in text and ">>" in text
    transcript_turns = sum(1 for line in content if line.startswith(">>")) if has_turns else 0
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
    if (
        not _has_session_signal(content)
        and not heading_from_url(url)
        and not _describes_one_session(content)
    ):
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
            or heading.YEARLESS_HEADING.match(line)
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

_PEOPLE_WORDS = r"Organizer|Speaker|(?:Chair/)?Moderator|Rapporteur(?:/Notetaker)?|Panelists?"
_PEOPLE_LABEL = re.compile(rf"^(?:{_PEOPLE_WORDS})\s*\d*\s*:", re.I)

_TYPE_LABEL = re.compile(rf"^(?:{TYPE_PATTERN})\b.*:", re.I)


# Hosts of third-party reports of IGF sessions, and the sections such reports have.
_REPORT_HOSTS = frozenset({"dig.watch"})

_REPORT_SUBDOMAINS = tuple(f".{host}" for host in _REPORT_HOSTS)

_REPORT_SECTIONS = frozenset(
    {"session at a glance", "keypoints", "key points", "major discussion points:"}
)


def _is_third_party(host: str, folded: set[str]) -> bool:
    if host in _REPORT_HOSTS or host.endswith(_REPORT_SUBDOMAINS):
        return True
    return sum(1 for section in _REPORT_SECTIONS if section in folded) >= 2


_MEETING_PAGE = re.compile(
    r"\bMAG\b.*\b(?:meeting|call)\b|\bopen consultations?\b|^(?:MAG|multistakeholder advisory"
    r" group)\b.*\bmeeting\b",
    re.IGNORECASE,
)

# Every match of `_MEETING_PAGE` holds one of these in some case, and re.I matches their letters
# only as ASCII letters: a safe first filter of the lowered line (the search takes 3 µs a page).
_MEETING_HINTS = ("mag", "open con", "ory group")

# A session heading in a list: "IGF 2018 LIGHTNING SESSION #12 …", or a title ending "(WS37)".
_LISTED_HEADING = re.compile(r"^IGF\s+\d{4}\s+[A-Za-z0-9 /-]{2,40}?\s*#\s*\d+\b")

_LISTED_REFERENCE = re.compile(
    r"\((?:WS|OF|TH|LT|NS|DC|BPF|MS|Workshop|Open Forum)\s*#?\s*\d+\)$", re.IGNORECASE
)

_THEME_LINE = re.compile(r"^(?:theme|themes)\b", re.IGNORECASE)


def _several_headings(content: list[str], text: str) -> bool:
    """Two different session headings, or two titles with a reference in brackets."""
    # Cheap first filters: each heading holds "#" and starts a line with "IGF", each
    # reference holds "(" and a type. A loop over the lines finds "IGF" sooner than a search
    # of the text for "\nIGF " (6 µs a page), as they are few and long.
    if "#" in text:
        headings = {
            m.group(0).casefold().replace(" ", "")
            for line in content
            if line.startswith("IGF") and (m := _LISTED_HEADING.match(line))
        }
        if len(headings) >= 2:
            return True
    if not _REFERENCE_HINT.search(text):
        return False
    references = {line for line in content if line.endswith(")") and _LISTED_REFERENCE.search(line)}
    return len(references) >= 2


_REFERENCE_HINT = re.compile(r"\((?:WS|OF|TH|LT|NS|DC|BPF|MS|Workshop|Open Forum)\s*#?\s*\d")


def _is_filtered_list(path: str, text: str) -> bool:
    """A schedule site's listing: a `/list/` URL, or a "[clear filter]" line."""
    return "/list/" in path.casefold() or text.find("[clear filter]", 0, 4000) >= 0


def _describes_one_session(content: list[str]) -> bool:
    """A page that opens with the "Session" label and describes "this session"."""
    if not content or content[0].casefold() != "session":
        return False
    return any("this session" in line.casefold() for line in content[1:40])
