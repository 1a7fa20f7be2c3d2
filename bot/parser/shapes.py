"""The shape of one line, without context: labels ("Online Moderator", "Organizer 1: …"),
format lines, SDGs and targets, programme segments, enumerations, organisation words."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from bot.models import Sdg
from bot.names import fold
from bot.parser.patterns import by_first_letter
from bot.vocabulary import SDG_NAMES

FORMAT_RE = re.compile(
    # The lookahead changes no match: it fails fast on lines without the hyphen the pattern needs.
    r"^(?=[^-]*-)(?:Session Format:\s*)?(?P<format>[^:]{2,80}?)"
    r"\s+-\s+(?P<minutes>\d{1,3})\s*Min(?:utes)?\.?$",
    re.IGNORECASE,
)

TARGET_CODE = re.compile(r"^(?P<goal>\d{1,2})\.(?:\d{1,2}|[a-z])$", re.I)

SEGMENT_WORDS = re.compile(
    r"^(?:topic|theme|session|part|segment|panel(?! of)|keynote|opening|closing|concluding|"
    r"welcome|introduction|remarks|q\s*&\s*a|discussion|round|block|high-level)\b",
    re.IGNORECASE,
)

_ORG_WORDS = re.compile(
    r"\b(?:"
    + by_first_letter(
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


@lru_cache(maxsize=8192)
def mentions_org(text: str) -> bool:
    # `_ORG_WORDS` tries its long alternation at every position: slow, so worth caching.
    return bool(_ORG_WORDS.search(text))


WORDS = re.compile(r"[\w'’-]+")

STOPWORDS = {"of", "and", "for", "the", "in", "on", "at", "de", "la", "du", "des", "y", "e", "&"}

_TIMED_ITEM = re.compile(r"^\d+\.\s+.+\(\d+\s*min", re.IGNORECASE)


def is_segment_line(line: str) -> bool:
    if len(line) > 160 or "," in line.partition(":")[0]:
        return False
    return bool(SEGMENT_WORDS.match(line)) or bool(_TIMED_ITEM.match(line))


_SDG_RE = re.compile(
    r"^(?:GOAL\s+|SDG\s*)?(?P<n>\d{1,2})\s*[.:]\s*(?P<name>[A-Za-z].{2,80})$", re.I
)

# The first word of each goal's name, folded: "9. Industry, …" must start with "industry".
_SDG_FIRST_WORDS = {number: fold(name).split()[0] for number, name in SDG_NAMES.items()}


def sdg_of(line: str) -> Sdg | None:
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


LABELS: list[tuple[str, str]] = [
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

_LABEL_RES = [(re.compile(rf"^(?:{p})\s*:?$", re.IGNORECASE), kind) for p, kind in LABELS]


def label_of(line: str) -> str | None:
    # Checked before the cache so that long prose lines do not push short lines out of it.
    return _label_of_short(line) if len(line) <= 60 else None


@lru_cache(maxsize=8192)
def _label_of_short(line: str) -> str | None:
    for pattern, kind in _LABEL_RES:
        if pattern.match(line):
            return kind
    return None


LABELLED_PEOPLE = re.compile(r"^(?:Organizer|Speaker)\s*\d*\s*:|^(?:Organizers|Speakers)$", re.I)

LABELLED_ORGANIZERS = re.compile(r"^(?:Organizer\s*\d*\s*:|Organizers$|Proposer's Name:)", re.I)

# The first letters those two patterns accept under re.I, which also takes "ſ" for "s".
PEOPLE_LABEL_INITIALS = {"O", "o", "S", "s", "ſ", "P", "p"}

_INLINE_LABEL = re.compile(
    r"^(?:•\s*)?(?P<label>[A-Za-z'’ ()/-]{2,40}?)\s*(?P<n>\d*)\s*:\s*(?P<value>.*)$"
)


@lru_cache(maxsize=8192)
def inline_label_parts(line: str) -> tuple[str, bool, str] | None:
    """ "Organizer 1: Jane Doe" -> ("organizer", True, "Jane Doe"): the folded label, whether it
    is numbered, and the value."""
    match = _INLINE_LABEL.match(line)
    if not match:
        return None
    label = fold(match.group("label")).replace("’", "'")
    return label, bool(match.group("n")), match.group("value").strip()


# A room named inline ("…, Room 6", "– Room XVII, UNOG") or alone ("Salle VI").
ROOM_MENTION = re.compile(
    r"\b(?:Room|Salle)\s+(?:[IVXLC]{1,6}|\d{1,3}[A-Z]?|[A-Z]\d{0,2})\b(?:\s*\((?:Main|main)\))?"
)

# The folded inline labels of the moderator, rapporteur and speaker roles -> the role.
ROLE_OF_LABEL: dict[str, str] = {
    **dict.fromkeys(
        (
            "moderator",
            "moderators",
            "co-moderator",
            "co-moderators",
            "onsite moderator",
            "on-site moderator",
            "onsite moderators",
            "moderator and organizer",
            "moderator and organiser",
            "chair",
            "chairs",
            "co-chairs",
            "chair/moderator",
            "chairperson",
            "introduction and moderation",
            "moderation",
            "facilitator",
        ),
        "onsite",
    ),
    **dict.fromkeys(("online moderator", "online moderators"), "online"),
    **dict.fromkeys(
        (
            "rapporteur",
            "rapporteurs",
            "rapporteur/notetaker",
            "rapporteur/note taker",
            "notetaker",
            "note taker",
        ),
        "rapporteur",
    ),
    **dict.fromkeys(("speakers", "panelists", "panellists", "panel"), "speakers"),
}

_ROLE_LABEL = re.compile(
    r"\b(?:moderator and organi[sz]er|chair/moderator|rapporteur/note\s?taker"
    r"|(?:(?:onsite|on-site|online)\s+)?(?:co-)?moderators?|rapporteurs?|speakers?"
    r"|panel(?:l?ists)?|organi[sz]ers?|chairs?|stakeholder(?: group)?|regional group|country"
    r"|organi[sz]ational affiliation)\s*:",
    re.IGNORECASE,
)


def split_role_labels(line: str) -> list[str]:
    """ "Moderator: A Speakers: B, C Rapporteur: D" -> one segment per role label."""
    starts = [m.start() for m in _ROLE_LABEL.finditer(line)]
    if len(starts) < 2:
        return [line]
    if starts[0] != 0:
        starts.insert(0, 0)
    bounds = [*starts, len(line)]
    parts = (line[a:b].strip(" ,;.") for a, b in pairwise(bounds))
    return [p for p in parts if p]


INLINE_LABEL_LIKE = re.compile(r"^[^:]{3,80}:\s")

NUMBERED = re.compile(r"^\d+\.\s")

NUMBER_PREFIX = re.compile(r"^\d+\.\s*")

MINUTES_SUFFIX = re.compile(r"\s*\(\d+\s*min(?:ute)?s?\)\s*$", re.IGNORECASE)

THEMED_QUESTION = re.compile(r"^[^:?]{3,120}:\s+.+\?\s*$")

PARTICIPANTS_GAIN = re.compile(r"^What will participants gain", re.IGNORECASE)

AFTER_QUESTION = re.compile(r"(?<=\?)\s+(?=[A-Z])")

AFTER_ANY_QUESTION = re.compile(r"(?<=\?)\s+(?=\S)")

PQ_LABEL = re.compile(r"^Policy Question\(s\):?$", re.IGNORECASE)

TARGET_TOKEN = re.compile(r"\d{1,2}(?:\.\w{1,2})?")

# "2016 IGF BPF Cybersecurity - Markus Kummer, Maarten Van Horenbeeck": a segment and its people.
_SEGMENT_DASH = re.compile(r"^(?P<seg>[^,]*?(?:\d|[A-Z]{2,})[^,]*?)\s+[-–]\s+(?P<names>[^-–]+)$")


def segment_dash(line: str) -> re.Match[str] | None:
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


STAKEHOLDER_TAIL = re.compile(
    r",\s*(?:Civil Society|Private Sector|Technical Community|Government|Academia|"
    r"Intergovernmental Organi[sz]ation)\s*,\s*[^,]+$",
    re.IGNORECASE,
)

REPORT_START = re.compile(
    r"^(?P<role>Moderators?|Panelists|Panellists|Speakers|Rapporteurs?)\s*:\s*(?P<value>.+)$", re.I
)

_ENUMERATION = re.compile(r"^(?:\d{1,2}|[A-Ha-h]|[ivx]{1,4})[.)]\s+")

_ENUMERATION_MARK = re.compile(r"^(?:\d{1,2}|[A-H]|[ivx]{1,4})[.)]\s+|^•\s*")

_NEXT_ENUMERATED = re.compile(r"(?<=[?.])\s+(?=(?:\d{1,2}|[A-H])[.)]\s+[A-Z])")


def is_enumerated(line: str) -> bool:
    return bool(_ENUMERATION.match(line)) or line.startswith("•")


def split_enumerated(text: str) -> list[str]:
    """ "1. How …? 2. What …?" on one line -> separate questions, without their numbers."""
    parts = _NEXT_ENUMERATED.split(text.strip())
    return [_ENUMERATION_MARK.sub("", p).strip() for p in parts if p.strip()]
