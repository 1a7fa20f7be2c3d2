"""The parser against what a careful reader sees on each page."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.parser_quality import check_fact
from bot.models import Person, Sdg, Session, Speaker
from bot.names import person_key
from bot.parser import ParseError, parse_bytes, parse_document, parse_text
from tests.corpus_facts import (
    CORPUS_FACTS_BATCH1,
    CORPUS_FACTS_BATCH2,
    REJECTIONS_BATCH1,
    REJECTIONS_BATCH2,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
NOT_SESSIONS = ROOT / "tests" / "fixtures" / "not-sessions"
BATCH2 = CORPUS / "batch2"
SEED_2021 = SEEDS / "000_2d8a54ebfe520b7f.txt"
SEED_2022 = SEEDS / "001_f0b5d1bb55f3a80c.txt"


def parse_file(path: Path) -> Session:
    return parse_bytes(path.read_bytes(), path.name)


def names(people: list[Person] | list[Speaker]) -> list[str]:
    return [p.name for p in people]


# ---------------------------------------------------------------------------------- seed 2021


@pytest.fixture(scope="module")
def of5() -> Session:
    return parse_file(SEED_2021)


def test_2021_identity(of5: Session) -> None:
    assert of5.heading == (
        "IGF 2021 Open Forum #5 Development and Rule-Making on Artificial Intelligence"
    )
    assert (of5.event, of5.year, of5.session_type, of5.number) == (
        "IGF 2021",
        2021,
        "Open Forum",
        5,
    )
    assert of5.title == "Development and Rule-Making on Artificial Intelligence"
    assert of5.reference == "Open Forum #5"
    assert of5.key == "igf-2021-open-forum-5"
    assert of5.source_url is None


def test_2021_schedule_room_format(of5: Session) -> None:
    assert of5.starts_at == datetime(2021, 12, 10, 8, 30, tzinfo=UTC)
    assert of5.ends_at == datetime(2021, 12, 10, 9, 30, tzinfo=UTC)
    assert of5.starts_at.utcoffset() is not None
    assert of5.room == "Ballroom B"
    assert (of5.format, of5.duration_minutes, of5.format_description) == (
        "Round Table - U-shape",
        60,
        None,
    )


def test_2021_policy_questions_and_description(of5: Session) -> None:
    assert len(of5.policy_questions) == 2
    assert of5.policy_questions[0].startswith(
        "Governance and cooperation for an evolving Internet:"
    )
    assert of5.policy_questions[1].startswith("Technical Internet governance: How can")
    assert of5.description is not None
    assert of5.description.startswith("Artificial Intelligence (AI), a major strategic technology")
    assert of5.description.endswith(
        "offering interaction with speakers and delegates across the world."
    )
    assert "\n\n" in of5.description  # two paragraphs kept apart


def test_2021_organizers(of5: Session) -> None:
    assert of5.organizers == [
        "Bureau of International Cooperation, Cyberspace Administration of China",
        "Chinese Academy of Cyberspace Studies",
    ]


def test_2021_speakers_with_segments(of5: Session) -> None:
    topic1 = "Topic 1: Cutting Edge Developments of AI and Their Impacts"
    topic2 = "Topic 2: International Governance and International Cooperation on AI"
    assert [(s.name, s.segment) for s in of5.speakers] == [
        ("Xu Feng", "Keynote Speech"),
        ("Gong Ke", topic1),
        ("David Robertson", topic1),
        ("Zhang Hui", topic1),
        ("Wang Bo", topic1),
        ("Ma Yanjun", topic1),
        ("Xue Lan", topic2),
        ("Thorsten Jelinek", topic2),
        ("Ayad Al-Ani", topic2),
        ("Luca Belli", topic2),
        ("Xia Xueping", "Concluding Remarks"),
    ]
    belli = of5.speakers[9]
    assert (
        belli.affiliation
        == "Professor of Internet Governance and Regulation, Fundação Getulio Vargas"
    )
    assert of5.speakers[0].affiliation == (
        "Deputy Director General, Bureau of International Cooperation, "
        "Cyberspace Administration of China"
    )
    assert all(s.note is None for s in of5.speakers)


def test_2021_moderators_rapporteur(of5: Session) -> None:
    delegate = Person("Delegate from Cyberspace Administration of China")
    assert of5.onsite_moderators == [delegate]
    assert of5.online_moderators == [
        Person(
            "Li Yuxiao",
            "Vice President, Chinese Academy of Cyberspace Studies; "
            "Secretary-General, Cybersecurity Association of China",
        )
    ]
    assert of5.rapporteurs == [delegate]


def test_2021_sdgs_targets_outcomes(of5: Session) -> None:
    assert [s.number for s in of5.sdgs] == [8, 9, 10, 11, 12, 16]
    assert of5.sdgs[1] == Sdg(9, "Industry, Innovation and Infrastructure")
    assert len(of5.targets) == 1 and of5.targets[0].startswith("With diversified application")
    assert len(of5.key_takeaways) == 2
    assert of5.key_takeaways[0].startswith("AI is having a significant and far-reaching impact")
    assert of5.key_takeaways[1].endswith("through sufficient communication.")
    assert len(of5.calls_to_action) == 2
    assert of5.calls_to_action[0].startswith(
        "Artificial intelligence should benefit human well-being"
    )
    assert of5.calls_to_action[1].endswith("ethics and moral codes, etc.")
    assert of5.report is None


# ---------------------------------------------------------------------------------- seed 2022


@pytest.fixture(scope="module")
def of25() -> Session:
    return parse_file(SEED_2022)


def test_2022_identity_schedule_format(of25: Session) -> None:
    assert (of25.event, of25.session_type, of25.number) == ("IGF 2022", "Open Forum", 25)
    assert of25.title == "Explore the road of intelligent social governance in advance"
    assert of25.starts_at == datetime(2022, 11, 29, 13, 15, tzinfo=UTC)
    assert of25.ends_at == datetime(2022, 11, 29, 14, 15, tzinfo=UTC)
    assert of25.room == "Banquet Hall A"
    assert (of25.format, of25.duration_minutes) == ("Other", 60)
    assert of25.format_description == "online meeting"
    assert of25.policy_questions == []


def test_2022_description_keeps_bullets(of25: Session) -> None:
    assert of25.description is not None
    assert of25.description.startswith(
        "The deep restructuring of society by artificial intelligence"
    )
    assert (
        "• the methods and paths of future-oriented intelligent society governance;"
        in of25.description
    )
    assert of25.description.endswith("shared future for mankind in the intelligent era.")


def test_2022_organizers(of25: Session) -> None:
    assert of25.organizers == [
        "Bureau of Information Technology Development, Cyberspace Administration of China",
        "Institute of intelligent Society Governance, Tsinghua University",
        "Center for Science, Technology & Education Policy, Tsinghua University",
    ]


def test_2022_speakers_notes_and_continuations(of25: Session) -> None:
    assert names(of25.speakers) == [
        "Zhang Peng",
        "Su Jun",
        "John E. Hopcroft",
        "Zhang Xiao",
        "Simon Marvin",
        "Huang Cui",
        "Wang Yingchun",
    ]
    assert of25.speakers[0].note == "opening speech"
    assert of25.speakers[0].affiliation == (
        "Deputy Director General of Information Technology Bureau, "
        "Cyberspace Administration of China"
    )
    # The second line under Simon Marvin is his second affiliation, not another speaker.
    assert of25.speakers[4].affiliation == (
        "Professor Urban Institute, University of Sheffield; "
        "Professor School of Architecture, Design and Planning, University of Sydney"
    )


def test_2022_people_are_one_person_each(of25: Session) -> None:
    assert of25.onsite_moderators == [Person("Amrita Choudhury")]
    # "Moderator: Dr Zhang Fang" in the report is the online moderator, not a new person.
    assert names(of25.online_moderators) == ["Zhang Fang"]
    assert of25.online_moderators[0].affiliation.startswith(
        "Associate Director of Center for Science"
    )
    assert names(of25.rapporteurs)[0] == "Li Xiaoli"
    assert names(of25.rapporteurs)[1:] == [
        "Lian Xiangpeng",
        "Tu Shengming",
        "Zhang Yu",
        "Ren Tianpei",
    ]
    everyone = [*of25.speakers, *of25.onsite_moderators, *of25.online_moderators, *of25.rapporteurs]
    keys = [person_key(p.name) for p in everyone]
    assert len(keys) == len(set(keys))


def test_2022_sdgs_targets_outcomes_report(of25: Session) -> None:
    assert of25.sdgs == [Sdg(4, "Quality Education")]
    assert of25.targets == ["4", "10"]
    assert len(of25.key_takeaways) == 2 and len(of25.calls_to_action) == 2
    assert of25.calls_to_action[1].startswith(
        "Panelists further called on the international community"
    )
    assert of25.report is not None
    assert of25.report.startswith("Moderator: Dr Zhang Fang")
    assert "(3) Actively promoting international exchange" in of25.report
    assert of25.report.rstrip().endswith("academic conferences.")


def test_json_round_trip(of5: Session, of25: Session) -> None:
    for session in (of5, of25):
        assert Session.from_json(session.to_json()) == session


# ---------------------------------------------------------------------------------- corpus

# What a reader sees on each page of both corpus batches: tests/corpus_facts.py. Each key is
# compared as its docstring says (bench/parser_quality.py's `check_fact`, the same stick).
BATCHES = {
    "batch1": (CORPUS, NOT_SESSIONS, CORPUS_FACTS_BATCH1, REJECTIONS_BATCH1),
    "batch2": (BATCH2, BATCH2 / "not-sessions", CORPUS_FACTS_BATCH2, REJECTIONS_BATCH2),
}

# Facts the parser does not read yet, page by page, with the rule each needs. The test fails
# when one of these is read right (then remove it here) as when any other fact is wrong.
KNOWN_GAPS: dict[str, dict[str, str]] = {
    "igf-2023-ws-313.txt": {
        # "Stefaan G Verhulst Verhulst": a repeated last word is kept, since two family names
        # can be the same ("Muller Muller", as bench/corpus.py generates them).
        "speakers": "a repeated surname",
    },
}

CORPUS_PAGES = [(batch, name) for batch, (_, _, facts, _) in BATCHES.items() for name in facts]
NOT_SESSION_PAGES = [
    (batch, name) for batch, (*_, rejections) in BATCHES.items() for name in rejections
]


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_every_corpus_page_has_facts(batch: str) -> None:
    pages, not_sessions, facts, rejections = BATCHES[batch]
    assert sorted(p.name for p in pages.glob("*.txt")) == sorted(facts)
    assert sorted(p.name for p in not_sessions.glob("*.txt")) == sorted(rejections)


@pytest.mark.parametrize(("batch", "name"), CORPUS_PAGES)
def test_corpus_page(batch: str, name: str) -> None:
    pages, _, facts, _ = BATCHES[batch]
    parsed = parse_document((pages / name).read_bytes(), name)
    session = parsed.session
    url = (pages / name).read_text().splitlines()[0].removeprefix("URL: ")
    assert session.source_url == url
    year = int(name.split("-")[1])
    if batch == "batch1" and "intro-breakout" not in name:  # that page never says its year
        assert session.year == year and session.event == f"IGF {year}"
    wrong = {}
    for field, expected in facts[name].items():
        ok, got = check_fact(parsed, field, expected)
        if not ok:
            wrong[field] = got
    assert set(wrong) == set(KNOWN_GAPS.get(name, {})), wrong
    for person in [*session.speakers, *session.onsite_moderators, *session.online_moderators]:
        assert person.name.strip() == person.name and len(person.name.split()) >= 2


@pytest.mark.parametrize(("batch", "name"), NOT_SESSION_PAGES)
def test_not_session_pages_are_rejected_with_reason(batch: str, name: str) -> None:
    _, not_sessions, _, rejections = BATCHES[batch]
    with pytest.raises(ParseError) as caught:
        parse_file(not_sessions / name)
    assert rejections[name] in caught.value.reason
    assert name in str(caught.value)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty document"),
        (b"   \n\n  ", "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"IGF 2021 WS #1 Caf\xe9", "not UTF-8"),
        (b"Just some words about nothing in particular.", "no session structure"),
    ],
)
def test_non_documents_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "upload.txt")
    assert reason in caught.value.reason


def test_page_cut_short_yields_what_it_has() -> None:
    text = SEED_2021.read_text()
    cut = text[: text.index("Gong Ke")]
    session = parse_text(cut)
    assert session.number == 5 and session.room == "Ballroom B"
    assert names(session.speakers) == ["Xu Feng"]
    assert session.key_takeaways == []


def test_local_times_without_zone_use_the_venue_zone() -> None:
    session = parse_text("IGF 2025 WS #1 Test\n\nMonday, 23rd June, 2025, 09:00 - 10:30\nRoom 1\n")
    assert session.starts_at == datetime(2025, 6, 23, 7, 0, tzinfo=UTC)  # Oslo is UTC+2 in June
    assert session.ends_at == datetime(2025, 6, 23, 8, 30, tzinfo=UTC)


# ---------------------------------------------------------------------------------- robustness


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_arbitrary_text_only_raises_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_text(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_raise_parse_error(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_bytes(data)


SEED_LINES = [*SEED_2021.read_text().splitlines(), *SEED_2022.read_text().splitlines()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SEED_LINES), max_size=80),
    st.lists(st.tuples(st.integers(0, 79), st.text(max_size=40)), max_size=5),
)
def test_mutated_seeds_only_raise_parse_error(
    lines: list[str], noise: list[tuple[int, str]]
) -> None:
    for position, junk in noise:
        lines.insert(min(position, len(lines)), junk)
    try:
        session = parse_text("\n".join(lines))
    except ParseError:
        return
    assert session.heading
