"""Persons and organisations on a line: names, affiliations and notes, and lists of people that
lost their line breaks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from operator import attrgetter

from bot.models import Person, Speaker
from bot.names import person_key, strip_honorifics
from bot.parser import shapes
from bot.parser.shapes import STOPWORDS, is_enumerated, label_of, mentions_org

_REGION_END = re.compile(
    r"(?:\((?:WEOG|GRULAC)\)|\b(?:Group|Africa|Asia-Pacific|APAC|Asia Pacific|Asia|GRULAC|"
    r"WEOG|Eastern Europe|Europe|LAC|Intergovernmental Organization)|\((?:onsite|online)\))"
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
def looks_like_name(text: str) -> bool:
    """A person's name: 1-6 capitalised words, no digits, no organisation words."""
    if "(" in text:
        text = _PRONOUN_MARK.sub("", text)
    name = strip_honorifics(text).strip(" .,;")
    if not name or len(name) > 60 or _NOT_IN_NAMES.search(name):
        return False
    words = name.split()
    if not 2 <= len(words) <= 6 or shapes.SEGMENT_WORDS.match(name):
        return False
    if not all(w[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in words):
        return False
    # One word is too weak a signal ("Trust, security, stability"): names have two or more.
    if all(w.casefold() in _ROLE_WORDS for w in words):
        return False
    return not mentions_org(name)  # the slowest check, last


# Words of roles and formats (speaker lists say "Moderator", "Panel", "Online"): a "name" made
# only of them is not a person. One string: the words read as a paragraph, not a column.
_ROLE_WORDS = frozenset(
    """
    executive director professor president chair moderator speaker speakers tbc tbd
    rapporteur member representative delegate panelist panelists ceo minister secretary
    general manager head senior advisor officer founder dean researcher vice deputy
    other theater theatre classroom roundtable panel format online onsite
    """.split()  # noqa: SIM905
)

_PROFILE_LINK = re.compile(r"\[profile:[^\]]*\]")

_GENDER_MARK = re.compile(r"\s*\((?:[MF])\)")

_ATTENDANCE_MARK = re.compile(r"\s*\((?:onsite|online|main|sub)\)\s*$", re.IGNORECASE)

_NAME_THEN_PAREN = re.compile(r"^(?P<name>[^,(]+?)\s*\((?P<aff>[^)]*)\)?\s*(?P<rest>.*)$")

_NAME_THEN_DASH = re.compile(r"^(?P<name>[^,]+?)\s+[-–]\s+(?P<aff>.+)$")


@lru_cache(maxsize=8192)
def person_chunks(line: str) -> tuple[str, str | None]:
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
    if paren and looks_like_name(paren.group("name")) and not paren.group("rest").startswith(","):
        affiliation = " ".join(p for p in (paren.group("aff"), paren.group("rest")) if p).strip()
        return clean_name(paren.group("name")), affiliation or None
    dash = _NAME_THEN_DASH.match(line) if "-" in line or "–" in line else None
    if dash and looks_like_name(dash.group("name")):
        return clean_name(dash.group("name")), dash.group("aff").strip() or None
    name, _, rest = line.partition(",")
    return clean_name(name), rest.strip(" ,") or None


def clean_name(name: str) -> str:
    return undouble(strip_honorifics(name.strip(" .,;")).strip())


def undouble(name: str) -> str:
    """ "Karen McCabe Karen McCabe" -> "Karen McCabe": a name written twice is one name. A
    repeated last word alone is kept: "Muller Muller" may be two family names."""
    words = name.split()
    half = len(words) // 2
    if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return name


def is_person_line(line: str) -> bool:
    # Checked before the cache so that long prose lines do not push short lines out of it.
    return len(line) <= 400 and _is_short_person_line(line)


@lru_cache(maxsize=8192)
def _is_short_person_line(line: str) -> bool:
    if shapes.FORMAT_RE.match(line) or label_of(line):
        return False
    name, _ = person_chunks(line)
    return looks_like_name(name) and not line.endswith(("?", ":"))


# Lines that are never an organiser: an agenda item ("I. Introduction … [~5 mins]") or a
# sub-heading ("About IGF 2022 Youth Track").
_NOT_ORG = re.compile(r"^(?:[IVX]{1,4}|\d{1,2})[.)]\s|\[~?\d+\s*min|^About\s", re.IGNORECASE)


def is_not_org(line: str) -> bool:
    return bool(_NOT_ORG.search(line))


def is_paragraph(line: str) -> bool:
    """Prose: sentences of many words (a run-on list of people has no full stop)."""
    sentences = ". " in line or line.endswith(".")
    return sentences and (len(line) > 240 or line.count(" ") >= 12)


_ORG_SEPARATOR = re.compile(r"\s+/\s+")


def split_orgs(line: str) -> list[str]:
    """ "IEEE SA / Norwegian Ministry of Foreign Affairs" -> two organisers."""
    parts = _ORG_SEPARATOR.split(line) if " / " in line else [line]
    return parts if all(len(p) >= 2 for p in parts) else [line]


@lru_cache(maxsize=8192)
def is_org_line(line: str) -> bool:
    if len(line) > 160 or line.endswith((".", "?", ":")) or is_person_line(line):
        return False
    if is_not_org(line):
        return False
    if not line[:1].isupper() or is_enumerated(line) or shapes.SEGMENT_WORDS.match(line):
        return False
    words = [w for w in shapes.WORDS.findall(line) if w.casefold() not in STOPWORDS]
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capitalised >= 0.6 * len(words) and mentions_org(line)


def labelled_speaker_fields(text: str) -> tuple[str, str | None, str | None, str] | None:
    """`speaker_fields` after a speaker label ("Speaker 2: jin yan, …"), where a name in lower
    case is one."""
    return speaker_fields(text, labelled=True)


@lru_cache(maxsize=8192)
def speaker_fields(
    text: str, labelled: bool = False
) -> tuple[str, str | None, str | None, str] | None:
    """A speaker's name, affiliation, note ("[opening remarks]") and person_key; None if `text`
    names nobody (`labelled`: a lower-case name counts)."""
    text = text.strip()
    note = None
    # The note ends the (stripped) text: without a closing bracket there is none.
    bracket = _TRAILING_NOTE.search(text) if text.endswith("]") else None
    if bracket and not bracket.group("note").startswith("profile:"):
        note = bracket.group("note").strip()
        text = text[: bracket.start()].strip()
    name, affiliation = person_chunks(text)
    if not looks_like_name(name) and not (
        labelled and name.islower() and looks_like_name(name.title())
    ):
        return None
    return name, affiliation, note, person_key(name)


_TRAILING_NOTE = re.compile(r"\[(?P<note>[^\]]{1,80})\]\s*$")

_NAME_OF = attrgetter("name")


def is_key_among(key: str, people: Iterable[Person | Speaker]) -> bool:
    """Whether one of `people` has this `person_key`."""
    return key in map(person_key, map(_NAME_OF, people))


_ORG_MARK = re.compile(r"\s*\((?:[MF]|onsite|online)\)")

_SPACE_BEFORE_COMMA = re.compile(r"\s+,")


def tidy_org(text: str) -> str:
    if "(" in text:
        text = _ORG_MARK.sub("", text)
    return _SPACE_BEFORE_COMMA.sub(",", text).strip(" ,;")


_MAIN_OR_SUB = re.compile(r"\((?:main|sub)\)")

_NUMBERED_SPLIT = re.compile(r"(?:^|\s)\d+\.\s+")

_BEFORE_HONORIFIC = re.compile(r"\s+(?=(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+[A-Z])")

# Cheap first filters: every match of the pattern above / of `_REGION_END` holds one of these.
_HONORIFIC_HINT = re.compile(r"M[rs]|Dr|Prof")

_REGION_HINT = re.compile(
    r"Group|Africa|Asia|APAC|Europe|LAC|WEOG|Intergovernmental Organization|\((?:onsite|online)\)"
)


def split_people(value: str) -> list[str]:
    """ "Yoichi Iida (main), Yuka Nishimura (sub)" -> two people; "Name, Org" stays one."""
    if _MAIN_OR_SUB.search(value):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [value]


_NAME_LIST_SEPARATOR = re.compile(r"\s*(?:;|&|\s/\s|\band\b)\s*")


def split_names(value: str) -> list[str]:
    """ "A; B", "A & B", "A and B", "A, B, C" (names only) -> each name; "Name, Org" stays one."""
    parts = [p for p in _NAME_LIST_SEPARATOR.split(value) if p.strip(" ,")]
    if len(parts) > 1 and all(looks_like_name(person_chunks(p)[0]) for p in parts):
        return parts
    commas = [p.strip() for p in value.split(",") if p.strip()]
    if len(commas) > 1 and all(looks_like_name(p) for p in commas):
        return commas
    if ";" in value:
        return [p for p in value.split(";") if p.strip(" ,")]
    return [value]


def name_pair(line: str) -> tuple[str, str] | None:
    """ "Nicola Burgess/Laura O’Brian" -> both names, when both sides are names."""
    first, _, second = line.partition("/")
    if "/" in second or not (looks_like_name(first.strip()) and looks_like_name(second.strip())):
        return None
    return first.strip(), second.strip()


_ROLE_PREFIX = re.compile(r"^[^:]{2,120}:\s+(?P<value>.+)$")

_NAME_END = re.compile(r"\s*(?:,|\s[-–]\s|\(|\.\s)")


@lru_cache(maxsize=4096)
def role_prefixed_person(line: str) -> str | None:
    """ "Academia: Joss Wright. Oxford Internet Institute" -> "Joss Wright, Oxford Internet
    Institute": a speaker line that names the speaker's role or group first."""
    match = _ROLE_PREFIX.match(line)
    if not match:
        return None
    value = match.group("value")
    end = _NAME_END.search(value)
    name = value[: end.start()] if end else value
    if not looks_like_name(name):
        return None
    rest = value[end.end() :].strip() if end else ""
    return f"{name}, {rest}" if rest else name


_NAME_COLON = re.compile(r"^(?P<name>[^:,]{3,60}):\s*[-–]?\s*(?P<rest>.*)$")


def bulleted_person(text: str) -> str:
    """ "• Fuatai Gisa Purcell: - Chief Executive Officer, …" -> "Fuatai Gisa Purcell, Chief
    Executive Officer, …": a person in a bullet list, the name maybe ended by a colon."""
    text = text[1:].strip()
    match = _NAME_COLON.match(text) if ":" in text[:62] else None
    if match and looks_like_name(match.group("name")):
        return f"{match.group('name')}, {match.group('rest')}".strip(" ,")
    return text


_DASH = " – "

# Words that join a family name to the given name ("Idan Ben Yakir", "Ursula von der Leyen").
_JOINING_WORDS = _NAME_PARTICLES | {"ben", "bin", "bint", "van", "von", "der", "de", "del"}


def _split_dash_run_on(line: str) -> tuple[str, ...] | None:
    """ "A B, Role, Org C D – Org E F – Org": people written "Name – Affiliation" one after the
    other, each name right after the previous affiliation -> ("A B, Role, Org", "C D, Org", …)."""
    segments = line.split(_DASH)
    first = person_chunks(segments[0])[0]
    if len(segments) < 3 or not looks_like_name(first):
        return None
    people: list[tuple[str, str]] = []
    head = segments[0]
    for segment in segments[1:]:
        words = head.split()
        size = 3 if len(words) > 3 and words[-2].casefold() in _JOINING_WORDS else 2
        name = " ".join(words[-size:])
        if not looks_like_name(name):
            return None
        people.append((name, " ".join(words[:-size])))
        head = segment
    # The first "affiliation" is the first person's line; each next one, the last person's.
    parts = [people[0][1]]
    parts += [
        f"{name}, {aff}"
        for (name, _), (_, aff) in zip(people, [*people[1:], ("", head)], strict=True)
    ]
    return tuple(p.strip(" ,") for p in parts if p.strip(" ,"))


@lru_cache(maxsize=8192)
def split_run_on(line: str) -> tuple[str, ...]:
    """Pages sometimes lose the line breaks between people: split them back."""
    if line.count(_DASH) >= 2:
        dashed = _split_dash_run_on(line)
        if dashed:
            return dashed
    if shapes.NUMBERED.match(line):
        return tuple(p.strip() for p in _NUMBERED_SPLIT.split(line) if p.strip())
    honorific_split = _BEFORE_HONORIFIC.split(line) if _HONORIFIC_HINT.search(line) else [line]
    if len(honorific_split) > 1 and all(
        looks_like_name(person_chunks(p)[0]) for p in honorific_split
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
            if after and looks_like_name(person_chunks(after)[0]):
                match = candidate
                break
        if not match:
            parts.append(rest.strip())
            break
        parts.append(rest[: match.end()].strip())
        rest = rest[match.end() :].lstrip(" ,")
    return tuple(p for p in parts if p)
