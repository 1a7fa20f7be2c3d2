"""From the text of one IGF session page to a typed `Session`.

IGF pages are semi-structured and labels are often missing: the seeds label neither their
organizers, their speakers nor their rapporteur. The parser therefore reads a page the way a
person does, one line at a time, with a small state machine:

* an explicit label ("Online Moderator", "Organizer 1: …") says what follows;
* otherwise the shape of a line decides: a schedule line, a format line ("Panel - 90 Min"),
  an SDG ("9. Industry, Innovation and Infrastructure"), a person ("Name, role, organisation"),
  an organisation, or prose;
* and the order of blocks fills what is left: on IGF's template an unlabelled person after the
  speakers is the onsite moderator, then the online moderator, then the rapporteur.

Anything that is not one session's page is rejected with `ParseError` and a reason a person can
act on. A page cut short yields what it has.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import chain, islice
from operator import attrgetter
from urllib.parse import unquote, urlparse

from bot.models import Person, Sdg, Session, Speaker
from bot.names import fold, person_key, strip_honorifics
from bot.vocabulary import (
    HEADING_SPELLING,
    SDG_NAMES,
    TYPE_PATTERN,
    canonical_type,
    venue_zone,
)

MAX_DOCUMENT_BYTES = 1_000_000


class ParseError(ValueError):
    """The document is not a session page we can read; `reason` says why, for a person."""

    def __init__(self, reason: str, *, source: str | None = None, line: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        where = source or "document"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {reason}")


# --------------------------------------------------------------------------------------------
# Entry points


def parse_bytes(data: bytes, source: str | None = None) -> Session:
    """Decode and parse a file's bytes; binary or non-UTF-8 content is rejected."""
    if not data.strip():
        raise ParseError("empty document", source=source)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"document is larger than {MAX_DOCUMENT_BYTES:,} bytes", source=source)
    if b"\x00" in data:
        raise ParseError("binary file (contains NUL bytes), not a text session page", source=source)
    try:
        # What "utf-8-sig" does, without that codec's slower Python-level wrapper.
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"not UTF-8 text (invalid byte at offset {exc.start})", source=source
        ) from None
    return parse_text(text, source)


def parse_text(text: str, source: str | None = None) -> Session:
    """Parse one session page; raises `ParseError` for anything that is not one."""
    lines = _clean_lines(text)
    if not any(lines):
        raise ParseError("empty document", source=source)
    if _control_ratio(text) > 0.05:
        raise ParseError("binary or control characters, not a text session page", source=source)
    url, lines = _take_url(lines)
    _reject_non_sessions(lines, url, source)
    return _PageReader(lines, url, source).read()


# --------------------------------------------------------------------------------------------
# Cleaning and rejection

_BOILERPLATE = {
    "check-in and access this session from the igf schedule.",
    "session",
    "about this session",
    "loading…",
}
_BOILERPLATE_MAX_LEN = max(map(len, _BOILERPLATE))
_LOCK_MARKS = ("🔒", "πŸ”’")
_EMAIL_PLACEHOLDER = re.compile(r"<?\[email\s*protected\]>?", re.IGNORECASE)


def _is_boilerplate(line: str) -> bool:
    # casefold never shortens a string, so a longer line cannot fold to boilerplate.
    return len(line) <= _BOILERPLATE_MAX_LEN and line.casefold() in _BOILERPLATE


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    for mark in _LOCK_MARKS:
        text = text.replace(mark, "")
    if "protected]" in text:
        text = _EMAIL_PLACEHOLDER.sub("", text)
    return [raw if not raw or _is_tidy(raw) else " ".join(raw.split()) for raw in text.split("\n")]


def _is_tidy(line: str) -> bool:
    """Whether `" ".join(line.split())` would return `line` unchanged, at a fraction of the cost."""
    # isprintable() is False for every white space character but " " (tabs, no-break spaces…).
    return (
        not line.startswith(" ")
        and not line.endswith(" ")
        and "  " not in line
        and line.isprintable()
    )


_CONTROL_CHARS = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])
_ALL_BUT_CONTROL_CHARS = bytes(b for b in range(256) if b not in _CONTROL_CHARS)


def _control_ratio(text: str) -> float:
    sample = text[:5000]
    # UTF-8 writes each control character as that one byte, and no other character uses bytes
    # below 0x20: counting bytes counts characters, and bytes.translate is much faster than re.
    controls = sample.encode("utf-8", "surrogatepass").translate(None, _ALL_BUT_CONTROL_CHARS)
    return len(controls) / max(1, len(sample))


def _take_url(lines: list[str]) -> tuple[str | None, list[str]]:
    for i, line in enumerate(lines):
        if not line:
            continue
        match = _URL_LINE.match(line)
        if match:
            return match.group(1), lines[i + 1 :]
        return None, lines[i:]
    return None, lines


_URL_LINE = re.compile(r"^URL:\s*(\S+)\s*$", re.IGNORECASE)
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


def _reject_non_sessions(lines: list[str], url: str | None, source: str | None) -> None:
    content = [line for line in lines if line]
    text = "\n".join(content)
    phrases = _phrases_in_casefold(text, (_THIRD_PARTY_NOTE, _CAPTIONING))
    # casefold never shortens a string: only short lines can fold to a marker line.
    folded = {line.casefold() for line in content if len(line) <= _MARKER_LINE_MAX_LEN}
    heading = next((line for line in content if not _is_boilerplate(line)), "")
    path = urlparse(url).path if url else ""

    def reject(reason: str) -> None:
        raise ParseError(reason, source=source)

    if "/transcript/" in path or _TRANSCRIPT_LINE in folded:
        reject("a raw session transcript, not a session page")
    if _THIRD_PARTY_NOTE in phrases:
        reject("a third-party report about a session, not an official IGF session page")
    # Only ASCII letters match "call for" under re.I, so the lower() test is a safe first filter.
    if "call for" in heading.lower() and _CALL_FOR.search(heading):
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
        if not any(_is_schedule_line(line) or _FOTIGF_DATE.match(line) for line in before):
            reject("a raw session transcript, not a session page")
    if not _has_session_signal(content) and not _heading_from_url(url):
        reject(
            "no session structure found: no IGF heading, schedule, format, "
            "organizers, speakers or moderators"
        )


def _looks_like_session_list(content: list[str]) -> bool:
    # A schedule listing repeats "Weekday Month Day, Year HH:MM - HH:MM" for each session.
    # `_CLOCK` is a cheap first filter: every range holds ":" and two digits.
    ranges = {
        line
        for line in content
        if ":" in line
        and _CLOCK.search(line)
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
        if _HEADING_RE.match(line) or _is_schedule_line(line) or _FOTIGF_DATE.match(line):
            return True
        if _FORMAT_RE.match(line) or _DURATION_LABEL.match(line):
            return True
        if _PEOPLE_LABEL.match(line):
            return True
        if _label_of(line) in {"onsite", "online", "rapporteur", "organizers", "speakers"}:
            return True
        if _TYPE_LABEL.match(line):
            return True
    return False


_DURATION_LABEL = re.compile(r"^Duration \(minutes\)", re.I)
_PEOPLE_LABEL = re.compile(r"^(?:Organizer|Speaker)\s*\d*\s*:", re.I)
_TYPE_LABEL = re.compile(rf"^(?:{TYPE_PATTERN})\b.*:", re.I)


# --------------------------------------------------------------------------------------------
# Line shapes

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


def _by_first_letter(alternation: str) -> str:
    """ "march|may|june" -> "m(?:arch|ay)|j(?:une)": the same alternatives, tried in the same order,
    but re tests one branch per first letter instead of one per alternative.

    Each alternative must start with a plain letter."""
    groups: dict[str, list[str]] = {}
    for alternative in alternation.split("|"):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_RE = r"(?P<mon>" + _by_first_letter(_MONTH_NAMES) + r")\.?"
_WEEKDAY_STEMS = "mon|tues|wednes|thurs|fri|satur|sun"
_WEEKDAY = r"(?:" + _by_first_letter(_WEEKDAY_STEMS) + r")day"
# Every date starts with a digit or with the first letter of a weekday or month: testing that
# first lets re skip most positions of a line quickly.
_DATE_WORDS = f"{_WEEKDAY_STEMS}|{_MONTH_NAMES}".split("|")
_DATE_INITIALS = "".join(sorted({word[0] for word in _DATE_WORDS}))
_DATE_RE = re.compile(
    rf"(?=[\d{_DATE_INITIALS}])"
    rf"(?:{_WEEKDAY},?\s+)?(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE}"
    rf"|{_MONTH_RE.replace('mon>', 'mon2>')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
    r",?(?:\s+(?P<y>\d{4}))?",
    re.IGNORECASE,
)
_TIME_RE = re.compile(
    r"(?P<h>\d{1,2})[:.h](?P<min>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?P<tz>UTC|GMT)(?P<off>[+-]\d{1,2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_FOTIGF_DATE = re.compile(
    rf"^(?P<d>\d{{1,2}})\s+{_MONTH_RE}\s+(?P<y>\d{{4}})\s+-\s+An?\s+(?P<type>.+?)\s+on\s+.+?\s+in\s+(?P<place>.+)$",
    re.IGNORECASE,
)
_FORMAT_RE = re.compile(
    # The lookahead changes no match: it fails fast on lines without the hyphen the pattern needs.
    r"^(?=[^-]*-)(?:Session Format:\s*)?(?P<format>[^:]{2,80}?)"
    r"\s+-\s+(?P<minutes>\d{1,3})\s*Min(?:utes)?\.?$",
    re.IGNORECASE,
)
_HEADING_RE = re.compile(r"^IGF\s+(?P<year>(?:19|20)\d{2})\b\s*[-:–]?\s*(?P<rest>.*)$")
_SDG_RE = re.compile(
    r"^(?:GOAL\s+|SDG\s*)?(?P<n>\d{1,2})\s*[.:]\s*(?P<name>[A-Za-z].{2,80})$", re.I
)
_TARGET_CODE = re.compile(r"^(?P<goal>\d{1,2})\.(?:\d{1,2}|[a-z])$", re.I)
_SEGMENT_WORDS = re.compile(
    r"^(?:topic|theme|session|part|segment|panel(?! of)|keynote|opening|closing|concluding|"
    r"welcome|introduction|remarks|q\s*&\s*a|discussion|round|block|high-level)\b",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(?:"
    + _by_first_letter(
        r"university|universidad|universit\w*|institute|institut|school|college|academy|"
        r"ministry|bureau|department|agency|office|government|commission|committee|council|"
        r"center|centre|foundation|association|society|organi[sz]ation|group|company|corporation|"
        r"inc|ltd|llc|gmbh|lab|laboratory|network|forum|union|programme|program|secretariat|"
        r"authority|administration|initiative|partnership|coalition|alliance|federation|"
        r"registry|project|platform|unesco|icann|isoc|itu|oecd|undp|unicef|igf|wsis|cnnic|"
        r"bank|fund|consulting|consultancy|technologies|telecom\w*|"
        r"cyberspace|chamber|embassy|parliament|labs?"
    )
    + r")\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r":\d\d")


@lru_cache(maxsize=8192)
def _mentions_org(text: str) -> bool:
    # `_ORG_WORDS` tries its long alternation at every position: slow, so worth caching.
    return bool(_ORG_WORDS.search(text))


_REGION_END = re.compile(
    r"(?:\((?:WEOG|GRULAC)\)|\b(?:Group|Africa|Asia-Pacific|APAC|Asia Pacific|Asia|GRULAC|"
    r"WEOG|Eastern Europe|Europe|LAC|Intergovernmental Organization)|\((?:onsite|online)\))"
)


_SCHEDULE_TIME = re.compile(
    r"\(\s*\d{1,2}:\d{2}\s*(?:UTC|GMT)|\d{1,2}:\d{2}\s*(?:[ap]m)?\s*[-–]", re.IGNORECASE
)


def _is_schedule_line(line: str) -> bool:
    # Checked before the cache so that long prose lines do not push short lines out of it.
    # Every `_SCHEDULE_TIME` holds `_CLOCK`, which a fast literal scan finds.
    return len(line) <= 200 and bool(_CLOCK.search(line)) and _is_short_schedule_line(line)


@lru_cache(maxsize=8192)
def _is_short_schedule_line(line: str) -> bool:
    # `_DATE_RE` is by far the slowest of the three: it runs last.
    return (
        bool(_SCHEDULE_TIME.search(line))
        and bool(_TIME_RE.search(line))
        and bool(_DATE_RE.search(line))
    )


_PRONOUN_MARK = re.compile(r"\((?:[MF]|he|she|they)\)")
_NOT_IN_NAMES = re.compile(r"[\d@:/]")
_NAME_PARTICLES = {
    "de",
    "da",
    "do",
    "dos",
    "van",
    "von",
    "der",
    "den",
    "del",
    "la",
    "le",
    "bin",
    "al",
    "el",
    "di",
    "du",
    "y",
    "e",
    "ibn",
    "st.",
}


@lru_cache(maxsize=8192)
def _looks_like_name(text: str) -> bool:
    """A person's name: 1-6 capitalised words, no digits, no organisation words."""
    if "(" in text:
        text = _PRONOUN_MARK.sub("", text)
    name = strip_honorifics(text).strip(" .,;")
    if not name or len(name) > 60 or _NOT_IN_NAMES.search(name):
        return False
    words = name.split()
    if not 2 <= len(words) <= 6 or _SEGMENT_WORDS.match(name):
        return False
    if not all(w[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in words):
        return False
    # One word is too weak a signal ("Trust, security, stability"): names have two or more.
    if all(w.casefold() in _ROLE_WORDS for w in words):
        return False
    return not _mentions_org(name)  # the slowest check, last


_ROLE_WORDS = {
    "executive",
    "director",
    "professor",
    "president",
    "chair",
    "moderator",
    "speaker",
    "speakers",
    "tbc",
    "tbd",
    "rapporteur",
    "member",
    "representative",
    "delegate",
    "panelist",
    "panelists",
    "ceo",
    "minister",
    "secretary",
    "general",
    "manager",
    "head",
    "senior",
    "advisor",
    "officer",
    "founder",
    "dean",
    "researcher",
    "vice",
    "deputy",
    "other",
    "theater",
    "theatre",
    "classroom",
    "roundtable",
    "panel",
    "format",
    "online",
    "onsite",
}


_PROFILE_LINK = re.compile(r"\[profile:[^\]]*\]")
_GENDER_MARK = re.compile(r"\s*\((?:[MF])\)")
_ATTENDANCE_MARK = re.compile(r"\s*\((?:onsite|online|main|sub)\)\s*$", re.IGNORECASE)
_NAME_THEN_PAREN = re.compile(r"^(?P<name>[^,(]+?)\s*\((?P<aff>[^)]*)\)?\s*(?P<rest>.*)$")
_NAME_THEN_DASH = re.compile(r"^(?P<name>[^,]+?)\s+[-–]\s+(?P<aff>.+)$")


@lru_cache(maxsize=8192)
def _person_chunks(line: str) -> tuple[str, str | None]:
    """Split "Name, role, org" / "Name (Org)" / "Name - Org" into name and affiliation."""
    # The `in` guards skip patterns that need a character the line does not have.
    if "[" in line:
        line = _PROFILE_LINK.sub("", line)
    line = line.strip()
    if "(M)" in line or "(F)" in line:
        line = _GENDER_MARK.sub("", line)
    if line.rstrip().endswith(")"):
        line = _ATTENDANCE_MARK.sub("", line)
    line = line.strip(" ,;")
    paren = _NAME_THEN_PAREN.match(line) if "(" in line else None
    if paren and _looks_like_name(paren.group("name")) and not paren.group("rest").startswith(","):
        affiliation = " ".join(p for p in (paren.group("aff"), paren.group("rest")) if p).strip()
        return _clean_name(paren.group("name")), affiliation or None
    dash = _NAME_THEN_DASH.match(line) if "-" in line or "–" in line else None
    if dash and _looks_like_name(dash.group("name")):
        return _clean_name(dash.group("name")), dash.group("aff").strip() or None
    name, _, rest = line.partition(",")
    return _clean_name(name), rest.strip(" ,") or None


def _clean_name(name: str) -> str:
    return strip_honorifics(name.strip(" .,;")).strip()


def _is_person_line(line: str) -> bool:
    # Checked before the cache so that long prose lines do not push short lines out of it.
    return len(line) <= 400 and _is_short_person_line(line)


@lru_cache(maxsize=8192)
def _is_short_person_line(line: str) -> bool:
    if _FORMAT_RE.match(line) or _label_of(line):
        return False
    name, _ = _person_chunks(line)
    return _looks_like_name(name) and not line.endswith(("?", ":"))


@lru_cache(maxsize=8192)
def _is_org_line(line: str) -> bool:
    if len(line) > 160 or line.endswith((".", "?", ":")) or _is_person_line(line):
        return False
    if not line[:1].isupper() or _is_enumerated(line) or _SEGMENT_WORDS.match(line):
        return False
    words = [w for w in _WORDS.findall(line) if w.casefold() not in _STOPWORDS]
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capitalised >= 0.6 * len(words) and _mentions_org(line)


_WORDS = re.compile(r"[\w'’-]+")
_STOPWORDS = {"of", "and", "for", "the", "in", "on", "at", "de", "la", "du", "des", "y", "e", "&"}
_TIMED_ITEM = re.compile(r"^\d+\.\s+.+\(\d+\s*min", re.IGNORECASE)


def _is_segment_line(line: str) -> bool:
    if len(line) > 160 or "," in line.partition(":")[0]:
        return False
    return bool(_SEGMENT_WORDS.match(line)) or bool(_TIMED_ITEM.match(line))


# The first word of each goal's name, folded: "9. Industry, …" must start with "industry".
_SDG_FIRST_WORDS = {number: fold(name).split()[0] for number, name in SDG_NAMES.items()}


def _sdg_of(line: str) -> Sdg | None:
    match = _SDG_RE.match(line)
    if not match:
        return None
    return _known_sdg(int(match.group("n")), match.group("name").strip())


@lru_cache(maxsize=1024)
def _known_sdg(number: int, name: str) -> Sdg | None:
    known = _SDG_FIRST_WORDS.get(number)
    if not known or fold(name).split()[0] != known:
        return None
    return Sdg(number, name)


_LABELS: list[tuple[str, str]] = [
    (r"time", "schedule"),
    (r"room", "room"),
    (r"issue\(s\)|policy questions?(?:\(s\))?", "pq"),
    (r"description", "description"),
    (r"organi[sz]ers?(?:\(s\))?|co-organi[sz]ers", "organizers"),
    (r"speakers?(?:\(s\))?|panelists", "speakers"),
    (r"additional speakers", "add_speakers"),
    (r"(?:onsite |on-site )?moderators?|co-moderators?", "onsite"),
    (r"online moderators?", "online"),
    (r"rapporteurs?", "rapporteur"),
    (r"format", "format"),
    (r"sdgs?", "sdgs"),
    (r"key takeaways.*", "takeaways"),
    (r"calls? to action.*", "calls"),
    (r"session report|report", "report"),
    (
        r"subthemes?|interventions|diversity|connections? with (?:other sessions|previous messages)"
        r"|desired results/objectives|session transcript|online participation"
        r"|discussion facilitation"
        r"|content of the session|internet governance issue|agenda|background paper|relevance to .*"
        r"|expected outcomes?|session support.*",
        "skip",
    ),
]
_LABEL_RES = [(re.compile(rf"^(?:{p})\s*:?$", re.IGNORECASE), kind) for p, kind in _LABELS]


def _label_of(line: str) -> str | None:
    # Checked before the cache so that long prose lines do not push short lines out of it.
    return _label_of_short(line) if len(line) <= 60 else None


@lru_cache(maxsize=8192)
def _label_of_short(line: str) -> str | None:
    for pattern, kind in _LABEL_RES:
        if pattern.match(line):
            return kind
    return None


# --------------------------------------------------------------------------------------------
# The reader


@dataclass
class _Draft:
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
    onsite: list[Person] = field(default_factory=list)
    online: list[Person] = field(default_factory=list)
    rapporteurs: list[Person] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    takeaways: list[list[str]] = field(default_factory=list)
    calls: list[list[str]] = field(default_factory=list)
    report: list[str] = field(default_factory=list)


_LABELLED_PEOPLE = re.compile(r"^(?:Organizer|Speaker)\s*\d*\s*:|^(?:Organizers|Speakers)$", re.I)
_LABELLED_ORGANIZERS = re.compile(r"^(?:Organizer\s*\d*\s*:|Organizers$|Proposer's Name:)", re.I)
# The first letters those two patterns accept under re.I, which also takes "ſ" for "s".
_PEOPLE_LABEL_INITIALS = {"O", "o", "S", "s", "ſ", "P", "p"}
_INLINE_LABEL = re.compile(
    r"^(?:•\s*)?(?P<label>[A-Za-z'’ ()/-]{2,40}?)\s*(?P<n>\d*)\s*:\s*(?P<value>.*)$"
)


@lru_cache(maxsize=8192)
def _inline_label_parts(line: str) -> tuple[str, bool, str] | None:
    """ "Organizer 1: Jane Doe" -> ("organizer", True, "Jane Doe"): the folded label, whether it
    is numbered, and the value."""
    match = _INLINE_LABEL.match(line)
    if not match:
        return None
    label = fold(match.group("label")).replace("’", "'")
    return label, bool(match.group("n")), match.group("value").strip()


@lru_cache(maxsize=8192)
def _speaker_fields(text: str) -> tuple[str, str | None, str | None, str] | None:
    """A speaker's name, affiliation, note ("[opening remarks]") and person_key; None if `text`
    names nobody."""
    text = text.strip()
    note = None
    # The note ends the (stripped) text: without a closing bracket there is none.
    bracket = _TRAILING_NOTE.search(text) if text.endswith("]") else None
    if bracket and not bracket.group("note").startswith("profile:"):
        note = bracket.group("note").strip()
        text = text[: bracket.start()].strip()
    name, affiliation = _person_chunks(text)
    if not _looks_like_name(name):
        return None
    return name, affiliation, note, person_key(name)


_INLINE_LABEL_LIKE = re.compile(r"^[^:]{3,80}:\s")
_BARE_REFERENCE = re.compile(rf"^IGF\s+\d{{4}}\s+(?:{TYPE_PATTERN})\s*#\s*\d+$", re.IGNORECASE)
_TYPED_TITLE = re.compile(
    rf"^(?P<type>{TYPE_PATTERN})\b\s*(?:#\s*(?P<n>\d+)|(?P<roman>[IVX]{{1,5}})\b)?\s*[:\-–]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_TYPE_COLON = re.compile(rf"^(?:{TYPE_PATTERN})\s*:", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d+\.\s")
_NUMBER_PREFIX = re.compile(r"^\d+\.\s*")
_MINUTES_SUFFIX = re.compile(r"\s*\(\d+\s*min(?:ute)?s?\)\s*$", re.IGNORECASE)
_SCHEDULE_MINUTES = re.compile(r"\((\d{2,3})\s*Minutes?\)", re.IGNORECASE)
_THEMED_QUESTION = re.compile(r"^[^:?]{3,120}:\s+.+\?\s*$")
_PARTICIPANTS_GAIN = re.compile(r"^What will participants gain", re.IGNORECASE)
_AFTER_QUESTION = re.compile(r"(?<=\?)\s+(?=[A-Z])")
_PQ_LABEL = re.compile(r"^Policy Question\(s\):?$", re.IGNORECASE)
_TARGET_TOKEN = re.compile(r"\d{1,2}(?:\.\w{1,2})?")
_NAME_SEPARATORS = re.compile(r"\s*/\s*|;\s*")
_TRAILING_NOTE = re.compile(r"\[(?P<note>[^\]]{1,80})\]\s*$")
_ON_TAIL = re.compile(r"\s+on\s+.*$")
_NAME_OF = attrgetter("name")


def _is_key_among(key: str, people: Iterable[Person | Speaker]) -> bool:
    """Whether one of `people` has this `person_key`."""
    return key in map(person_key, map(_NAME_OF, people))


class _PageReader:
    def __init__(self, lines: list[str], url: str | None, source: str | None):
        self.lines = lines
        self.url = url
        self.source = source
        self.d = _Draft()
        self.state = "top"
        self.segment: str | None = None
        self.pending_segment: str | None = None
        self.blank_run = 1  # the first line after the heading starts a paragraph
        self.numbered_speakers = False
        self._closed: set[str] = set()  # moderator/rapporteur slots filled by template order
        self._last_short_line: str | None = None  # a bare format name ("Theater") above "Duration"
        # Pages that label organizers or speakers get no shape-based guessing for them.
        heads = [line for line in lines if line[:1] in _PEOPLE_LABEL_INITIALS]
        self.labelled_people = any(_LABELLED_PEOPLE.match(line) for line in heads)
        self.labelled_organizers = any(_LABELLED_ORGANIZERS.match(line) for line in heads)

    # -- driver ---------------------------------------------------------------------------

    def read(self) -> Session:
        start = self._read_heading()
        for line in self.lines[start:]:
            if not line:
                self.blank_run += 1
                self._on_blank()
                continue
            self._on_line(line)
            self.blank_run = 0
        return self._finish()

    def _on_line(self, line: str) -> None:
        if _is_boilerplate(line) or line.startswith(">>Twitter"):
            return
        state = self.state
        if state == "report":
            self._report_line(line)
            return
        label = _label_of(line)
        in_outcomes = state in {"takeaways", "calls"}
        if label and not (in_outcomes and label not in {"calls", "report"}):
            self._enter(label, line)
            return
        if in_outcomes:
            self._outcome_line(line)
            return
        if self._inline_label(line) or self._shaped_line(line):
            return
        handler = getattr(self, f"_in_{self.state}", None) or self._in_top
        handler(line)

    def _enter(self, label: str, line: str) -> None:
        self.pending_segment = None
        if label in {"onsite", "online", "rapporteur"}:
            self.state = label
        elif label == "add_speakers":
            self.state = "speakers"
        else:
            self.state = label

    def _on_blank(self) -> None:
        state, d = self.state, self.d
        if state in {"room", "schedule_label"}:
            return
        if state == "format_description":
            self.state = "after_format"
        elif state in {"onsite", "online", "rapporteur"} and self._slot(state):
            self.state = "after_people"
        elif state == "takeaways" and d.takeaways and d.takeaways[-1]:
            d.takeaways.append([])
        elif state == "calls" and d.calls and d.calls[-1]:
            d.calls.append([])
        if d.description and d.description[-1]:
            d.description.append("")

    # -- heading ----------------------------------------------------------------------------

    def _read_heading(self) -> int:
        index = next((i for i, line in enumerate(self.lines) if line), len(self.lines))
        while index < len(self.lines) and (
            not self.lines[index] or _is_boilerplate(self.lines[index])
        ):
            index += 1
        first = self.lines[index] if index < len(self.lines) else ""
        slug_heading = _heading_from_url(self.url)
        if slug_heading and not _HEADING_RE.match(first):
            heading, start = slug_heading, index
        else:
            heading, start = first, index + 1
            # "IGF 2019 WS #415" alone, with the title on the next line.
            if _BARE_REFERENCE.match(heading):
                nxt = self.lines[start] if start < len(self.lines) else ""
                if nxt and not _label_of(nxt) and not _is_schedule_line(nxt):
                    heading, start = f"{heading} {nxt}", start + 1
        self.d.heading = heading
        self._interpret_heading(heading)
        return start

    def _interpret_heading(self, heading: str) -> None:
        d = self.d
        match = _HEADING_RE.match(heading)
        rest = heading
        if match:
            d.year = int(match.group("year"))
            d.event = f"IGF {d.year}"
            rest = match.group("rest")
        type_match = _TYPED_TITLE.match(rest)
        if type_match:
            d.session_type = canonical_type(type_match.group("type"))
            if type_match.group("n"):
                d.number = int(type_match.group("n"))
                d.title = type_match.group("title").strip() or rest
            elif type_match.group("roman"):
                d.number = _roman(type_match.group("roman"))
                d.title = rest
            elif _TYPE_COLON.match(rest):
                d.title = type_match.group("title").strip() or rest
            else:
                d.title = rest
        else:
            d.title = rest or heading

    # -- inline labels ("Organizer 1: …") ---------------------------------------------------

    def _inline_label(self, line: str) -> bool:
        d = self.d
        parts = _inline_label_parts(line) if ":" in line[:60] else None
        if not parts:
            return False
        label, numbered, value = parts
        if label in {"organizer", "organiser", "co-organizer"}:
            if value:
                d.organizers.append(_tidy_org(value))
            self.state = "organizers"
        elif label in {"speaker", "panelist"}:
            if numbered:
                self.numbered_speakers = True
                self.state = "numbered_speakers"
            self._add_speaker(value)
        elif label in {"moderator", "co-moderator", "onsite moderator", "moderator and organizer"}:
            for part in _split_people(value):
                self._add_person(d.onsite, part)
        elif label == "online moderator":
            self._add_person(d.online, value)
        elif label == "rapporteur":
            for part in _split_people(value):
                self._add_person(d.rapporteurs, part)
        elif label == "format description":
            d.format_description = [value] if value else []
            self.state = "format_description"
        elif label == "duration (minutes)" and value.isdigit():
            d.duration_minutes = int(value)
            if not d.format and self._last_short_line:
                d.format = self._last_short_line
        elif label == "session format" and _FORMAT_RE.match(line):
            self._set_format(line)
        elif label == "description":
            self.state = "description"
            if value:
                self._add_description(value)
        elif label == "title" and value and self.state == "top":
            d.title = value
        elif label == "targets":
            self._add_targets(value)
            self.state = "targets"
        elif label in {"proposer's name", "co-proposer's name"}:
            d.organizers.append(_clean_name(value))
            self.state = "organizers"
        elif label in {"proposer's organization", "co-proposer's organization"} and d.organizers:
            d.organizers[-1] = f"{d.organizers[-1]}, {value}"
        elif label in {"policy question(s)", "policy questions"}:
            self.state = "pq"
            if value:
                self._add_questions(value)
        elif label in {
            "country",
            "stakeholder group",
            "stakeholder",
            "regional group",
            "organizational affiliation",
            "twitter comments for this session",
        }:
            pass
        else:
            return False
        return True

    # -- shape-recognised lines ---------------------------------------------------------------

    def _shaped_line(self, line: str) -> bool:
        d, state = self.d, self.state
        if d.starts_at is None and state in {"top", "schedule"} and _is_schedule_line(line):
            self._set_schedule(line)
            self.state = "room" if d.room is None else "top"
            return True
        fotigf = _FOTIGF_DATE.match(line) if d.starts_at is None and state == "top" else None
        if fotigf:
            self._set_fotigf(fotigf)
            return True
        if state != "description" and not d.format and _FORMAT_RE.match(line):
            self._set_format(line)
            return True
        sdg = _sdg_of(line)
        if sdg:
            if sdg.number not in {s.number for s in d.sdgs}:
                d.sdgs.append(sdg)
            self.state = "sdgs"
            return True
        if state in {"sdgs", "top", "after_people"} and _TARGET_CODE.match(line):
            d.targets.append(line)
            self.state = "sdgs"
            return True
        return False

    # -- per-state handlers -------------------------------------------------------------------

    def _in_top(self, line: str) -> None:
        self._last_short_line = line if len(line) <= 40 else None
        if self.state == "top" and self._top_questions(line):
            return
        if not self.labelled_people and self._unlabelled_people(line):
            return
        if self.labelled_people and self._top_organizers(line):
            return
        if self.numbered_speakers and _is_person_line(line):
            self._fill_next_slot(line)
            return
        if _NUMBERED.match(line) and _is_segment_line(line):
            self._set_segment(line)
        if (
            self.state == "top"
            and not self.d.description
            and len(line) < 60
            and not line.endswith(".")
        ):
            return  # a subtheme or track name near the top: not part of the description
        self._add_description(line)

    def _top_organizers(self, line: str) -> bool:
        # 2024-2025 pages open with the organising entity and its people, labels lost.
        nothing_yet = not (self.d.speakers or self.d.description or self.d.format)
        if self.labelled_organizers or not nothing_yet or self.state not in {"top", "organizers"}:
            return False
        entity = _is_org_line(line) or (len(line) <= 80 and not line.endswith((".", "?", ":")))
        if entity and not self.d.organizers:
            self.d.organizers.append(_tidy_org(line))
            self.state = "organizers"
            return True
        if self.d.organizers and len(_split_run_on(line)) > 1:
            self._in_organizers(line)
            return True
        return False

    def _top_questions(self, line: str) -> bool:
        # Seeds list policy questions unlabelled, right under the schedule: "Theme: question?"
        if self.d.format or self.d.description:
            return False
        if _THEMED_QUESTION.match(line):
            self.d.policy_questions.append(line)
            return True
        return False

    def _unlabelled_people(self, line: str) -> bool:
        state = self.state
        if state not in {
            "top",
            "description",
            "org_block",
            "speakers_block",
            "after_format",
            "org_people_done",
        }:
            return False
        in_speakers = state == "speakers_block"
        after_blank = self.blank_run >= 1
        if in_speakers and _is_segment_line(line):
            self._set_segment(line)
            return True
        if in_speakers and _segment_dash(line):
            self._in_speakers(line)
            return True
        if state == "org_block" and not after_blank and len(_split_run_on(line)) > 1:
            self._in_organizers(line)
            self.state = "org_people_done"  # the next run of people is the speakers
            return True
        if in_speakers and "," not in line and _is_person_line(line):
            return self._fill_next_slot(line)
        starts_block = (after_blank or state == "org_people_done") and "," in line
        if _is_person_line(line) and (starts_block or in_speakers):
            if in_speakers and not after_blank and self._is_continuation(line):
                self._extend_last_speaker(line)
                return True
            self.state = "speakers_block"
            for part in _split_run_on(line):
                self._add_speaker(part)
            return True
        if in_speakers and not after_blank and self.d.speakers:
            self._extend_last_speaker(line)
            return True
        if _is_org_line(line) and not self.d.speakers and (after_blank or state == "org_block"):
            self.state = "org_block"
            self.d.organizers.append(_tidy_org(line))
            return True
        return False

    def _is_continuation(self, line: str) -> bool:
        name, _ = _person_chunks(line)
        return _mentions_org(name)

    def _in_org_block(self, line: str) -> None:
        self._in_top(line)

    def _in_speakers_block(self, line: str) -> None:
        self._in_top(line)

    def _in_org_people_done(self, line: str) -> None:
        self._in_top(line)

    def _in_after_format(self, line: str) -> None:
        self._in_top(line)

    def _in_schedule(self, line: str) -> None:
        self.state = "top"
        self._in_top(line)

    def _in_room(self, line: str) -> None:
        words = _WORDS.findall(line)
        looks_like_room = (
            len(line) <= 60
            and not line.endswith((".", "?"))
            and not _FORMAT_RE.match(line)
            and not _INLINE_LABEL_LIKE.match(line)
            and all(w[:1].isupper() or w[:1].isdigit() or w in _STOPWORDS for w in words)
        )
        if looks_like_room and self.d.room is None:
            self.d.room = line
            self.state = "top"
        else:
            self.state = "top"
            self._on_line(line)

    def _in_pq(self, line: str) -> None:
        if _PARTICIPANTS_GAIN.match(line):
            self.state = "description"
            self._add_description(line)
            return
        if self.d.policy_questions and self.blank_run >= 1 and not _is_enumerated(line):
            self.state = "description"
            self._add_description(line)
            return
        self._add_questions(line)

    def _in_description(self, line: str) -> None:
        if not self.labelled_people and self._unlabelled_people(line):
            return
        self._add_description(line)

    def _in_organizers(self, line: str) -> None:
        parts = _split_run_on(line)
        self.d.organizers.extend(_tidy_org(strip_honorifics(p)) for p in parts)

    def _in_speakers(self, line: str) -> None:
        if self.numbered_speakers and _STAKEHOLDER_TAIL.search(line) and _is_person_line(line):
            # "Name, Civil Society, African Group" after the additional speakers is the
            # template's unlabelled moderator / rapporteur line, not another speaker.
            self._fill_next_slot(line)
            return
        if _is_segment_line(line) and not _is_person_line(line):
            self._set_segment(line)
            return
        for part in _split_run_on(line):
            seg = _segment_dash(part)
            if seg:
                self.segment = seg.group("seg").strip()
                for name in seg.group("names").split(","):
                    self._add_speaker(name)
                continue
            self._add_speaker(part)

    def _in_numbered_speakers(self, line: str) -> None:
        if _is_person_line(line):
            self._fill_next_slot(line)
        else:
            self._in_top(line)

    def _in_onsite(self, line: str) -> None:
        self._people_value(self.d.onsite, line)

    def _in_online(self, line: str) -> None:
        self._people_value(self.d.online, line)

    def _in_rapporteur(self, line: str) -> None:
        self._people_value(self.d.rapporteurs, line)

    def _people_value(self, slot: list[Person], line: str) -> None:
        if _looks_like_name(_person_chunks(line)[0]) or not slot:
            for part in _split_run_on(line):
                self._add_person(slot, part)
        else:
            self.state = "top"
            self._in_top(line)

    def _in_after_people(self, line: str) -> None:
        short = len(line) < 120 and not line.endswith(".")
        if (_is_person_line(line) or short) and self._fill_next_slot(line):
            return
        self.state = "top"
        self._in_top(line)

    def _in_format(self, line: str) -> None:
        if _FORMAT_RE.match(line):
            self._set_format(line)
        elif not self.d.format and len(line) <= 60:
            self.d.format = line
        else:
            self.state = "top"
            self._in_top(line)

    def _in_format_description(self, line: str) -> None:
        if self._top_like_question_run(line):
            return
        self.d.format_description.append(line)

    def _top_like_question_run(self, line: str) -> bool:
        # 2024 pages follow the format description with the policy questions, unlabelled.
        if line.count("?") >= 2 and line.rstrip().endswith("?"):
            self.state = "pq"
            for question in _AFTER_QUESTION.split(line):
                self._add_questions(question)
            return True
        if _PARTICIPANTS_GAIN.match(line):
            self.state = "description"
            self._add_description(line)
            return True
        return False

    def _in_sdgs(self, line: str) -> None:
        self.state = "top"
        self._in_top(line)

    def _in_targets(self, line: str) -> None:
        if self.d.targets and not _TARGET_CODE.match(line) and self.blank_run == 0:
            self.d.targets[-1] += " " + line
        else:
            self.state = "top"
            self._in_top(line)

    def _in_skip(self, line: str) -> None:
        pass

    def _in_report(self, line: str) -> None:
        self._report_line(line)

    # -- outcomes and report ----------------------------------------------------------------

    def _outcome_line(self, line: str) -> None:
        target = self.d.takeaways if self.state == "takeaways" else self.d.calls
        if self.state == "calls" and _REPORT_START.match(line):
            self.state = "report"
            self._report_line(line)
            return
        if not target:
            target.append([])
        target[-1].append(line)

    def _report_line(self, line: str) -> None:
        self.d.report.append(line if self.blank_run == 0 or not self.d.report else "\n" + line)
        people = _REPORT_START.match(line)
        if not people:
            return
        role, value = people.group("role").casefold(), people.group("value")
        names = _NAME_SEPARATORS.split(value) if "/" in value or ";" in value else [value]
        for name in names:
            if not name.strip():
                continue
            # The report names people the page already listed ("Moderator: Dr Zhang Fang"):
            # one person, so only names not seen anywhere on the page are added.
            if role.startswith("moderator"):
                self._add_person(self.d.onsite, name, known_elsewhere_ok=False)
            elif role.startswith("rapporteur"):
                self._add_person(self.d.rapporteurs, name, known_elsewhere_ok=False)
            else:
                self._add_speaker(name)

    # -- adders -----------------------------------------------------------------------------

    def _is_known(self, key: str) -> bool:
        """Whether anyone on the page so far has this `person_key`."""
        d = self.d
        return _is_key_among(key, chain(d.speakers, d.onsite, d.online, d.rapporteurs))

    def _add_speaker(self, text: str) -> None:
        fields = _speaker_fields(text)
        if fields is None or self._is_known(fields[3]):
            return
        name, affiliation, note, _ = fields
        if self.pending_segment:
            self.segment, self.pending_segment = self.pending_segment, None
        self.d.speakers.append(Speaker(name, affiliation, self.segment, note))

    def _extend_last_speaker(self, line: str) -> None:
        last = self.d.speakers[-1]
        extra = line.strip(" .")
        affiliation = f"{last.affiliation.rstrip(' .')}; {extra}" if last.affiliation else extra
        self.d.speakers[-1] = Speaker(last.name, affiliation.strip(" ."), last.segment, last.note)

    def _set_segment(self, line: str) -> None:
        segment = _NUMBER_PREFIX.sub("", line)
        segment = _MINUTES_SUFFIX.sub("", segment).strip()
        # "Xu Feng, …" then "Keynote Speech" then "Topic 1: …": a segment line that no speaker
        # followed names what the speaker above it does.
        if self.pending_segment and self.d.speakers and self.d.speakers[-1].segment is None:
            last = self.d.speakers[-1]
            self.d.speakers[-1] = Speaker(
                last.name, last.affiliation, self.pending_segment, last.note
            )
        self.pending_segment = segment
        self.segment = None

    def _add_person(
        self, slot: list[Person], text: str, *, known_elsewhere_ok: bool = True
    ) -> None:
        name, affiliation = _person_chunks(text)
        if not name:
            return
        key = person_key(name)
        taken = _is_key_among(key, slot) if known_elsewhere_ok else self._is_known(key)
        if not taken:
            slot.append(Person(name, affiliation))

    def _slot(self, state: str) -> list[Person]:
        return {"onsite": self.d.onsite, "online": self.d.online, "rapporteur": self.d.rapporteurs}[
            state
        ]

    def _fill_next_slot(self, line: str) -> bool:
        # IGF's template orders these: moderator, online moderator, rapporteur.
        for state in ("onsite", "online", "rapporteur"):
            slot = self._slot(state)
            if not slot and not self._slot_closed(state):
                slot.append(Person(*_person_chunks(line)))
                self._closed.add(state)
                return True
        return False

    def _slot_closed(self, state: str) -> bool:
        order = ("onsite", "online", "rapporteur")
        # A slot is closed once a later one has been filled: nothing goes back up the template.
        later = order[order.index(state) + 1 :]
        return state in self._closed or any(self._slot(s) for s in later)

    def _add_description(self, line: str) -> None:
        self.d.description.append(line)

    def _add_questions(self, text: str) -> None:
        if _PQ_LABEL.match(text):
            return
        for question in _split_enumerated(text):
            self.d.policy_questions.append(question)

    def _add_targets(self, value: str) -> None:
        tokens = value.split()
        if tokens and all(_TARGET_TOKEN.fullmatch(t) for t in tokens):
            self.d.targets.extend(tokens)
        elif value:
            self.d.targets.append(value)

    # -- schedule and format ----------------------------------------------------------------

    def _set_schedule(self, line: str) -> None:
        d = self.d
        duration = _SCHEDULE_MINUTES.search(line)
        if duration:
            d.duration_minutes = int(duration.group(1))
        start, end = _parse_schedule(line, d.year)
        d.starts_at, d.ends_at = start, end
        if d.year is None and start is not None:
            d.year = start.year
            d.event = d.event or f"IGF {d.year}"

    def _set_fotigf(self, match: re.Match[str]) -> None:
        d = self.d
        d.year = d.year or int(match.group("y"))
        d.event = d.event or f"IGF {d.year}"
        kind = _ON_TAIL.sub("", match.group("type"))
        d.session_type = d.session_type or canonical_type(kind) or kind.strip()

    def _set_format(self, line: str) -> None:
        match = _FORMAT_RE.match(line)
        assert match is not None
        self.d.format = match.group("format").strip()
        self.d.duration_minutes = int(match.group("minutes"))
        self.state = "after_format"

    # -- result -----------------------------------------------------------------------------

    def _finish(self) -> Session:
        d = self.d
        if d.duration_minutes is None and d.starts_at and d.ends_at:
            d.duration_minutes = int((d.ends_at - d.starts_at).total_seconds() // 60)
        sdg_numbers = {s.number for s in d.sdgs}
        for code in d.targets:
            goal = _TARGET_CODE.match(code)
            if (
                goal
                and int(goal.group("goal")) in SDG_NAMES
                and int(goal.group("goal")) not in sdg_numbers
            ):
                number = int(goal.group("goal"))
                d.sdgs.append(Sdg(number, SDG_NAMES[number]))
                sdg_numbers.add(number)
        return Session(
            heading=d.heading,
            title=d.title.strip() or d.heading,
            event=d.event,
            year=d.year,
            session_type=d.session_type,
            number=d.number,
            starts_at=d.starts_at,
            ends_at=d.ends_at,
            room=d.room,
            format=d.format,
            duration_minutes=d.duration_minutes,
            format_description=" ".join(d.format_description).strip() or None,
            policy_questions=[q for q in d.policy_questions if q],
            description=_paragraphs(d.description) or None,
            organizers=[o for o in d.organizers if o],
            speakers=d.speakers,
            onsite_moderators=d.onsite,
            online_moderators=d.online,
            rapporteurs=d.rapporteurs,
            sdgs=d.sdgs,
            targets=d.targets,
            key_takeaways=[" ".join(p) for p in d.takeaways if p],
            calls_to_action=[" ".join(p) for p in d.calls if p],
            report="\n".join(d.report).strip() or None,
            source_url=self.url,
        )


# "2016 IGF BPF Cybersecurity - Markus Kummer, Maarten Van Horenbeeck": a segment and its people.
_SEGMENT_DASH = re.compile(r"^(?P<seg>[^,]*?(?:\d|[A-Z]{2,})[^,]*?)\s+[-–]\s+(?P<names>[^-–]+)$")


def _segment_dash(line: str) -> re.Match[str] | None:
    """`_SEGMENT_DASH.match(line)`; its nested lazy groups are slow on long lines, so lines that
    cannot match are ruled out first."""
    # The names after the separating dash hold no dash, so the separator is the last one; it has
    # white space on both sides and no comma before it.
    dash = max(line.rfind("-"), line.rfind("–"))
    if dash < 1 or not line[dash - 1].isspace() or not line[dash + 1 : dash + 2].isspace():
        return None
    if "," in line[:dash]:
        return None
    return _SEGMENT_DASH.match(line)


_STAKEHOLDER_TAIL = re.compile(
    r",\s*(?:Civil Society|Private Sector|Technical Community|Government|Academia|"
    r"Intergovernmental Organi[sz]ation)\s*,\s*[^,]+$",
    re.IGNORECASE,
)
_REPORT_START = re.compile(
    r"^(?P<role>Moderators?|Panelists|Panellists|Speakers|Rapporteurs?)\s*:\s*(?P<value>.+)$", re.I
)


# --------------------------------------------------------------------------------------------
# Helpers


def _parse_schedule(line: str, default_year: int | None) -> tuple[datetime | None, datetime | None]:
    """ "Friday, 10th December, 2021 (08:30 UTC) - Friday, …" -> two aware UTC datetimes."""
    dates = list(islice(_DATE_RE.finditer(line), 2))  # only the first two are used
    if not dates:
        return None, None
    times = list(_TIME_RE.finditer(line))
    first = dates[0]
    year = int(first.group("y")) if first.group("y") else default_year
    if year is None:
        return None, None
    month = _MONTHS[(first.group("mon") or first.group("mon2")).casefold().rstrip(".")]
    day = int(first.group("d") or first.group("d2"))
    end_date = dates[1] if len(dates) > 1 else first
    end_year = int(end_date.group("y")) if end_date.group("y") else year
    end_month = _MONTHS[(end_date.group("mon") or end_date.group("mon2")).casefold().rstrip(".")]
    end_day = int(end_date.group("d") or end_date.group("d2"))
    if not times:
        return None, None
    try:
        start = _at(year, month, day, times[0], times[-1] if len(times) > 1 else None)
        end = _at(end_year, end_month, end_day, times[1], None) if len(times) > 1 else None
    except ValueError:
        return None, None
    if start and end and end <= start and len(dates) == 1:
        end += timedelta(days=1)
    return start, end


def _at(
    year: int, month: int, day: int, time: re.Match[str], partner: re.Match[str] | None
) -> datetime:
    hour, minute = int(time.group("h")), int(time.group("min"))
    ampm = time.group("ampm") or (partner.group("ampm") if partner else None)
    if ampm:
        pm = ampm.lower().startswith("p")
        if (
            pm
            and hour < 12
            and not (
                partner and not time.group("ampm") and hour + 12 > int(partner.group("h")) + 12
            )
        ):
            hour += 12
        if not pm and hour == 12:
            hour = 0
    local = datetime(year, month, day, hour, minute)
    if time.group("tz") or (partner and partner.group("tz")):
        offset = time.group("off") or ""
        delta = _offset(offset)
        return (local - delta).replace(tzinfo=UTC)
    return local.replace(tzinfo=venue_zone(year)).astimezone(UTC)


def _offset(text: str) -> timedelta:
    text = text.replace(" ", "")
    if not text:
        return timedelta()
    sign = -1 if text.startswith("-") else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (
        (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    )
    return sign * timedelta(hours=hours, minutes=minutes)


def _roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(text.upper()):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1].upper()] > value else value
    return total or None


def _heading_from_url(url: str | None) -> str | None:
    """igf-2018-ws-376-innovative-approaches… -> "IGF 2018 WS #376 Innovative approaches …"."""
    if not url:
        return None
    slug = unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1])
    match = _SLUG.match(slug)
    if not match:
        return None
    kind = canonical_type(
        match.group(2).replace("-", " ").replace("launch award event", "Launch / Award Event")
    )
    if not kind:
        return None
    words = match.group(4).replace("-", " ").strip()
    title = words[:1].upper() + words[1:]
    return f"IGF {match.group(1)} {HEADING_SPELLING.get(kind, kind)} #{match.group(3)} {title}"


_SLUG = re.compile(r"^igf-(\d{4})-(.+?)-(\d+)-(.+)$")
_ORG_MARK = re.compile(r"\s*\((?:[MF]|onsite|online)\)")
_SPACE_BEFORE_COMMA = re.compile(r"\s+,")
_THREE_NEWLINES = re.compile(r"\n{3,}")


def _tidy_org(text: str) -> str:
    if "(" in text:
        text = _ORG_MARK.sub("", text)
    return _SPACE_BEFORE_COMMA.sub(",", text).strip(" ,;")


def _paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _THREE_NEWLINES.sub("\n\n", text)
    return text.strip()


_ENUMERATION = re.compile(r"^(?:\d{1,2}|[A-Ha-h]|[ivx]{1,4})[.)]\s+")
_ENUMERATION_MARK = re.compile(r"^(?:\d{1,2}|[A-H]|[ivx]{1,4})[.)]\s+|^•\s*")
_NEXT_ENUMERATED = re.compile(r"(?<=[?.])\s+(?=(?:\d{1,2}|[A-H])[.)]\s+[A-Z])")
_MAIN_OR_SUB = re.compile(r"\((?:main|sub)\)")
_NUMBERED_SPLIT = re.compile(r"(?:^|\s)\d+\.\s+")
_BEFORE_HONORIFIC = re.compile(r"\s+(?=(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+[A-Z])")
# Cheap first filters: every match of the pattern above / of `_REGION_END` holds one of these.
_HONORIFIC_HINT = re.compile(r"M[rs]|Dr|Prof")
_REGION_HINT = re.compile(
    r"Group|Africa|Asia|APAC|Europe|LAC|WEOG|Intergovernmental Organization|\((?:onsite|online)\)"
)


def _is_enumerated(line: str) -> bool:
    return bool(_ENUMERATION.match(line)) or line.startswith("•")


def _split_enumerated(text: str) -> list[str]:
    """ "1. How …? 2. What …?" on one line -> separate questions, without their numbers."""
    parts = _NEXT_ENUMERATED.split(text.strip())
    return [_ENUMERATION_MARK.sub("", p).strip() for p in parts if p.strip()]


def _split_people(value: str) -> list[str]:
    """ "Yoichi Iida (main), Yuka Nishimura (sub)" -> two people; "Name, Org" stays one."""
    if _MAIN_OR_SUB.search(value):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [value]


@lru_cache(maxsize=8192)
def _split_run_on(line: str) -> tuple[str, ...]:
    """Pages sometimes lose the line breaks between people: split them back."""
    if _NUMBERED.match(line):
        return tuple(p.strip() for p in _NUMBERED_SPLIT.split(line) if p.strip())
    honorific_split = _BEFORE_HONORIFIC.split(line) if _HONORIFIC_HINT.search(line) else [line]
    if len(honorific_split) > 1 and all(
        _looks_like_name(_person_chunks(p)[0]) for p in honorific_split
    ):
        return tuple(honorific_split)
    if not _REGION_HINT.search(line):  # then the loop below would keep the line whole
        return (line.strip(),) if line.strip() else ()
    parts: list[str] = []
    rest = line
    while len(rest) > 0:
        match = None
        for candidate in _REGION_END.finditer(rest):
            after = rest[candidate.end() :].lstrip(" ,")
            if after and _looks_like_name(_person_chunks(after)[0]):
                match = candidate
                break
        if not match:
            parts.append(rest.strip())
            break
        parts.append(rest[: match.end()].strip())
        rest = rest[match.end() :].lstrip(" ,")
    return tuple(p for p in parts if p)
