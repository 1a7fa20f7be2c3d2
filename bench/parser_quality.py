"""How much of what a reader sees on real IGF pages the parser gets right (issue #13).

    python bench/parser_quality.py [--json]

Parses every page of both corpus batches (tests/fixtures/corpus/ and its batch2/) with the
current parser and holds each against tests/corpus_facts.py. Each fact key of each page counts
as one field. Prints, per batch and overall, the share of fields correct, every wrong field
(page, field, expected, got), the session pages the parser rejects and the non-session pages it
accepts (or rejects for another reason than the expected one). --json prints one JSON object
instead. A measuring stick, not a test: it exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.models import Session  # noqa: E402
from bot.names import strip_honorifics  # noqa: E402
from bot.parser import Parsed, ParseError, parse_document  # noqa: E402
from bot.parser.report import STAKEHOLDER_GROUPS  # noqa: E402
from tests.corpus_facts import (  # noqa: E402
    CORPUS_FACTS_BATCH1,
    CORPUS_FACTS_BATCH2,
    REJECTIONS_BATCH1,
    REJECTIONS_BATCH2,
)

CORPUS = ROOT / "tests" / "fixtures" / "corpus"


@dataclass(frozen=True)
class Batch:
    name: str
    pages: Path
    not_sessions: Path
    facts: dict[str, dict[str, object]]
    rejections: dict[str, str]


BATCHES = (
    Batch(
        "batch1",
        CORPUS,
        ROOT / "tests" / "fixtures" / "not-sessions",
        CORPUS_FACTS_BATCH1,
        REJECTIONS_BATCH1,
    ),
    Batch(
        "batch2",
        CORPUS / "batch2",
        CORPUS / "batch2" / "not-sessions",
        CORPUS_FACTS_BATCH2,
        REJECTIONS_BATCH2,
    ),
)


@dataclass
class Result:
    """One batch's (or the overall) measurements."""

    fields: int = 0
    correct: int = 0
    wrong: list[dict[str, Any]] = field(default_factory=list)
    rejected_sessions: list[dict[str, str]] = field(default_factory=list)
    accepted_non_sessions: list[str] = field(default_factory=list)
    wrong_reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.correct / self.fields if self.fields else 1.0

    def add(self, other: Result) -> None:
        self.fields += other.fields
        self.correct += other.correct
        self.wrong += other.wrong
        self.rejected_sessions += other.rejected_sessions
        self.accepted_non_sessions += other.accepted_non_sessions
        self.wrong_reasons += other.wrong_reasons


# ------------------------------------------------------------------------------ comparisons

# A word that marks the head of an organiser line as an organisation's name.
_ORG_WORDS = {
    *("of", "and", "for", "the", "in", "on", "&"),
    *("ministry", "office", "department", "government", "agency", "authority", "commission"),
    *("foundation", "institute", "university", "centre", "center", "lab", "hub", "school"),
    *("organization", "organisation", "association", "society", "union", "council", "forum"),
    *("coalition", "network", "group", "initiative", "alliance", "secretariat", "committee"),
    *("igf", "unesco", "itu", "ieee", "icann", "isoc", "apnic", "gfce", "oecd", "un"),
    *("inc", "ltd", "llc", "gmbh", "corporation", "company", "ngo", "youth", "chamber"),
}


def _leading_person(line: str) -> str | None:
    """ "Timea Suto, ICC BASIS" -> "Timea Suto"; None for an organisation or a stakeholder group."""
    head = strip_honorifics(line.split(",")[0].strip(" ,"))
    words = head.split()
    if not 2 <= len(words) <= 5 or head.casefold() in STAKEHOLDER_GROUPS:
        return None
    if any(word.casefold().strip("().") in _ORG_WORDS for word in words):
        return None
    return head


def organizer_people(session: Session | Parsed) -> list[str]:
    """People named as organisers: the parser's `Parsed.organizer_people` when given one, else
    read from the flat `Session.organizers` lines."""
    people = getattr(session, "organizer_people", None)
    if people is not None:
        return [getattr(person, "name", person) for person in people]
    return [name for line in session.organizers if (name := _leading_person(line))]


def _names(people: list[Any]) -> list[str]:
    return [person.name for person in people]


Check = Callable[[Session, Any], tuple[bool, Any]]

_PEOPLE_FIELDS = {
    "speakers": "speakers",
    "onsite": "onsite_moderators",
    "online": "online_moderators",
    "rapporteurs": "rapporteurs",
}


def _people(attr: str) -> Check:
    def check(session: Session, expected: Any) -> tuple[bool, Any]:
        got = _names(getattr(session, attr))
        return got == expected, got

    return check


def _speakers_include(session: Session, expected: Any) -> tuple[bool, Any]:
    got = _names(session.speakers)
    return set(expected) <= set(got), got


def _organizers(session: Session, expected: Any) -> tuple[bool, Any]:
    return session.organizers == expected, session.organizers


def _organizers_start(session: Session, expected: Any) -> tuple[bool, Any]:
    got = session.organizers[: len(expected)]
    return got == expected, got


def _organizer_people(session: Session | Parsed, expected: Any) -> tuple[bool, Any]:
    got = organizer_people(session)
    return got == expected, got


def _organizer_orgs(session: Session, expected: Any) -> tuple[bool, Any]:
    got = getattr(session, "organizer_orgs", session.organizers)
    return set(expected) <= set(got), got


def _sdgs(session: Session, expected: Any) -> tuple[bool, Any]:
    got = [sdg.number for sdg in session.sdgs]
    return got == expected, got


def _policy_question_count(session: Session, expected: Any) -> tuple[bool, Any]:
    got = len(session.policy_questions)
    return got == expected, got


def _format_description_start(session: Session, expected: Any) -> tuple[bool, Any]:
    text = session.format_description or ""
    return text.startswith(str(expected)), text[: len(str(expected)) + 20] or None


CHECKS: dict[str, Check] = {
    **{key: _people(attr) for key, attr in _PEOPLE_FIELDS.items()},
    "speakers_include": _speakers_include,
    "organizers": _organizers,
    "organizers_start": _organizers_start,
    "organizer_people": _organizer_people,
    "organizer_orgs": _organizer_orgs,
    "sdgs": _sdgs,
    "policy_question_count": _policy_question_count,
    "format_description_start": _format_description_start,
}


def check_fact(parsed: Session | Parsed, key: str, expected: Any) -> tuple[bool, Any]:
    """Whether the parsed page shows fact `key` as `expected`, and what it shows instead."""
    if key == "organizer_people":
        return _organizer_people(parsed, expected)  # type: ignore[arg-type]
    session = parsed.session if isinstance(parsed, Parsed) else parsed
    if key in CHECKS:
        return CHECKS[key](session, expected)
    if not hasattr(session, key):
        return False, f"<Session has no field {key}>"
    got = getattr(session, key)
    return got == expected, got


# ------------------------------------------------------------------------------ measuring


def _parse(path: Path) -> Parsed | str:
    """The parsed page, or why it was rejected (a crash counts as a rejection)."""
    try:
        return parse_document(path.read_bytes(), path.name)
    except ParseError as error:
        return error.reason
    except Exception as error:  # a measuring stick reports a crash rather than stopping
        return f"crash: {type(error).__name__}: {error}"


def measure_sessions(batch: Batch, result: Result) -> None:
    for name, facts in sorted(batch.facts.items()):
        parsed = _parse(batch.pages / name)
        result.fields += len(facts)
        if isinstance(parsed, str):
            result.rejected_sessions.append({"page": name, "reason": parsed})
            result.wrong += [
                {"page": name, "field": key, "expected": value, "got": "<page rejected>"}
                for key, value in facts.items()
            ]
            continue
        for key, expected in facts.items():
            ok, got = check_fact(parsed, key, expected)
            if ok:
                result.correct += 1
            else:
                result.wrong.append({"page": name, "field": key, "expected": expected, "got": got})


def measure_non_sessions(batch: Batch, result: Result) -> None:
    for name, reason in sorted(batch.rejections.items()):
        parsed = _parse(batch.not_sessions / name)
        if not isinstance(parsed, str):
            result.accepted_non_sessions.append(name)
        elif reason not in parsed:
            result.wrong_reasons.append({"page": name, "expected": reason, "got": parsed})


def measure(batch: Batch) -> Result:
    result = Result()
    measure_sessions(batch, result)
    measure_non_sessions(batch, result)
    return result


# ------------------------------------------------------------------------------ reporting


def _show(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)


def report_text(name: str, result: Result) -> list[str]:
    lines = [
        f"== {name}: {result.correct}/{result.fields} facts correct ({result.share:.1%})",
        f"   wrong fields: {len(result.wrong)}",
    ]
    lines += [
        f"   {w['page']} {w['field']}: expected {_show(w['expected'])}, got {_show(w['got'])}"
        for w in result.wrong
    ]
    lines.append(f"   session pages rejected: {len(result.rejected_sessions)}")
    lines += [f"   {r['page']}: {r['reason']}" for r in result.rejected_sessions]
    lines.append(f"   non-session pages accepted: {len(result.accepted_non_sessions)}")
    lines += [f"   {page}" for page in result.accepted_non_sessions]
    lines.append(f"   non-session pages rejected for another reason: {len(result.wrong_reasons)}")
    lines += [
        f"   {r['page']}: expected {r['expected']!r}, got {r['got']!r}"
        for r in result.wrong_reasons
    ]
    return lines


def summary(results: dict[str, Result]) -> dict[str, Any]:
    return {
        name: {**asdict(result), "share": round(result.share, 4)}
        for name, result in results.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    results = {batch.name: measure(batch) for batch in BATCHES}
    overall = Result()
    for result in results.values():
        overall.add(result)
    results["overall"] = overall
    if args.json:
        print(json.dumps(summary(results), default=_show, ensure_ascii=False))
        return 0
    for batch in BATCHES:
        print("\n".join(report_text(batch.name, results[batch.name])), end="\n\n")
    print(
        f"== overall: {overall.correct}/{overall.fields} facts correct ({overall.share:.1%}); "
        f"{len(overall.rejected_sessions)} session pages rejected, "
        f"{len(overall.accepted_non_sessions)} non-session pages accepted, "
        f"{len(overall.wrong_reasons)} rejected for another reason"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
